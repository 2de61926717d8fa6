"""Translations: every visible string has its English, and the language a PC starts in.

The strings are collected from the literal tr()/tr_noop() calls by scripts/update_translations.py,
the same code that `python scripts/update_translations.py --check` runs.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from dtbd_desktop.base.config import preferred_language, save_config
from dtbd_desktop.base.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent


def _update_translations() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "scripts" / "update_translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_visible_string_has_its_english_translation() -> None:
    found = _update_translations().problems("en")
    assert found == [], f"{len(found)} strings without English; first ones:\n" + "\n".join(found[:40])


def test_qt_s_own_strings_have_a_complete_vietnamese_translation(tmp_path: Path) -> None:
    module = _update_translations()
    assert module.qt_problems(module.QT_TS_FILES["vi"]) == []
    broken = tmp_path / "qtbase_vi.ts"
    broken.write_text('<TS><context><name>QPlatformTheme</name>'
                      '<message><source>Yes to &amp;All</source><translation>&amp;Có &amp;tất cả</translation></message>'
                      '<message><source>%1 File</source><translation>Tệp</translation></message>'
                      '<message><source>Cancel</source><translation type="unfinished"></translation></message>'
                      '</context></TS>', encoding="utf-8")
    assert [p.split(":")[0] for p in module.qt_problems(broken)] == [
        "more than one accelerator", "placeholders differ", "untranslated"]


def test_the_collector_sees_the_setup_screens() -> None:
    """A tr() whose text is not a literal would be invisible to the collector, hence never translated."""
    contexts = {context for context, _text in _update_translations().collect()}
    assert {"first_run", "setup", "settings_dialog", "help", "selfcheck", "settings"} <= contexts


def test_the_language_a_pc_starts_in(monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(LANGUAGES) == {"vi", "en"}
    assert preferred_language() == "vi"  # Vietnamese unless told otherwise
    save_config(language="en")
    assert preferred_language() == "en"  # the choice made in the wizard or Settings
    monkeypatch.setenv("DTBD_LANG", "vi_VN")
    assert preferred_language() == "vi"  # the environment wins over the configuration
    assert preferred_language("en") == "en"  # and --lang over both
    monkeypatch.setenv("DTBD_LANG", "fr")
    assert preferred_language() == "vi"  # a language the program does not have
