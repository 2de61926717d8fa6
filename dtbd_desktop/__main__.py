"""`python -m dtbd_desktop` starts the desktop program (`python -m dtbd_desktop.cli` is the command line)."""

import sys

from dtbd_desktop.gui.app import main

sys.exit(main())
