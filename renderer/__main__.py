"""`python -m renderer` runs the dreamscape command line."""

import sys

from renderer.cli import main

sys.exit(main())
