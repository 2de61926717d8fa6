from dtbd_desktop.cli.main import run

run()
