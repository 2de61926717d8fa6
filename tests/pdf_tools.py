"""The poppler-utils command-line tools the PDF tests read documents with."""

from __future__ import annotations

import os
import shutil

import pytest


def poppler(tool: str) -> str:
    """The path of `tool` (pdftotext, pdffonts...): skipped on a developer's machine without
    poppler-utils, a failure in CI, where `scripts/dev.py test` installs it."""
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} (poppler-utils) is not installed: apt-get install poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found
