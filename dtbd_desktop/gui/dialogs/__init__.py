"""Dialogs and wizards: a window opened for one job, then closed."""
