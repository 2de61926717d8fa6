"""Translation of visible text, shared by the core, the command line and the GUI.

Source strings are Vietnamese, the language users see first. Every visible string goes
through `tr(context, text)`; the GUI routes it to Qt's translation system
(`QCoreApplication.translate` with the `.qm` built from `resources/translations/*.ts`),
and the command line reads the same Qt Linguist `.ts` files directly, so there is one
set of translations for both. `scripts/update_translations.py` collects the strings.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import lru_cache

from dtbd_desktop.base.paths import resource_path

Translator = Callable[[str, str], str]

#: The languages the program speaks, each named in itself (for the language choosers).
LANGUAGES: dict[str, str] = {"vi": "Tiếng Việt", "en": "English"}

_translator: Translator | None = None
_language = "vi"


def tr(context: str, text: str) -> str:
    """The text in the user's language (the Vietnamese source when no translation is active)."""
    if _translator is None:
        return text
    return _translator(context, text) or text


def set_translator(translator: Translator | None, language: str | None = None) -> None:
    """Install the function that translates (the GUI installs Qt's); None means Vietnamese."""
    global _translator, _language
    _translator = translator
    _language = "vi" if translator is None else (language or _language)


def current_language() -> str:
    """The language being shown: 'vi' (the source text) unless a translation was installed."""
    return _language


@lru_cache(maxsize=4)
def load_ts(language: str) -> dict[tuple[str, str], str]:
    """Read `resources/translations/dtbd_<language>.ts` into {(context, source): translation}."""
    path = resource_path("translations", f"dtbd_{language}.ts")
    if not path.exists():
        return {}
    table: dict[tuple[str, str], str] = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for message in ctx.iter("message"):
            source = message.findtext("source") or ""
            node = message.find("translation")
            if node is not None and node.text and node.get("type") not in ("unfinished", "obsolete"):
                table[(name, source)] = node.text
    return table


def use_language(language: str | None) -> None:
    """Translate with the `.ts` tables (command line); 'vi' or None keeps the source text."""
    if not language or language == "vi":
        set_translator(None)
        return
    table = load_ts(language)
    set_translator(lambda context, text: table.get((context, text), text), language)


def language_from_environment() -> str:
    return os.environ.get("DTBD_LANG", "vi").split("_")[0].lower() or "vi"


def tr_noop(context: str, text: str) -> str:
    """Marks a string for translation where it is defined (labels in tables); `tr` translates it where shown."""
    del context
    return text
