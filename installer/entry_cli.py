"""PyInstaller entry point of `dtbd` (the command line, a console program on Windows)."""

import sys

from dtbd_desktop.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
