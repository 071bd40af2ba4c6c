"""The bundle's one executable: the `roundtable` command, and the app's engine process.

The app starts its engine as `sys.executable -m roundtable.enginehost --db …`
(`roundtable.gui.live.engine_client`). In a bundle `sys.executable` is this program,
which has no `-m`, so it answers that one form itself; anything else is the command line.
"""

import sys

ENGINE_ARGUMENTS = ["-m", "roundtable.enginehost"]


def main() -> None:
    if sys.argv[1:3] == ENGINE_ARGUMENTS:
        from roundtable.enginehost.process import main as engine_main

        sys.exit(engine_main(sys.argv[3:]))
    from roundtable.cli import main as command_line

    command_line()


main()
