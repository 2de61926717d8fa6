"""PyInstaller entry point of `dtbd-desktop` (the windowed program)."""

import sys

from dtbd_desktop.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
