"""`python -m mstracker`: the same command line as the installed `mstracker` script."""

import sys

from .cli import entry

sys.exit(entry())
