"""`python -m coursenotes` runs the CLI."""

import sys

from coursenotes.cli import main

sys.exit(main())
