"""The screens of the main window and the tabs of a class."""
