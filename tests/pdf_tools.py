"""The command-line tools the document tests read with: poppler-utils (PDF text, fonts, pages)
and zbar-tools (QR codes)."""

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


def needs(*tools: str, package: str) -> pytest.MarkDecorator:
    """Skip the test on a developer's machine without `tools`; in CI, where `scripts/dev.py test`
    installs them, never skip (a missing tool fails the test)."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    return pytest.mark.skipif(bool(missing) and os.environ.get("CI") != "true",
                              reason=f"{', '.join(missing)} ({package}) not installed: apt-get install {package}")
