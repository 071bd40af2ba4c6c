"""`python -m roundtable.enginehost --db URL`: the GUI's engine process."""

import sys

from roundtable.enginehost.process import main

sys.exit(main())
