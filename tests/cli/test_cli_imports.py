"""The command-line package has no import cycles: app.py assembles, nothing imports it back.

Shared options, error printing and exit codes live in leaf modules
(`cli.options`, `cli.exits`) that app.py and every command import.
"""

from __future__ import annotations

import itertools

import grimp


def test_no_cli_module_imports_one_that_imports_it_back() -> None:
    graph = grimp.build_graph("roundtable")
    cli = sorted(module for module in graph.modules if module.startswith("roundtable.cli."))

    cycles = [
        (a, b)
        for a, b in itertools.combinations(cli, 2)
        if graph.chain_exists(importer=a, imported=b) and graph.chain_exists(importer=b, imported=a)
    ]

    assert cycles == []
    assert not graph.find_modules_that_directly_import("roundtable.cli.app") - {"roundtable.cli"}
