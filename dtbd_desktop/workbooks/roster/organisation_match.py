"""Matching the organisation named in a list ("UBND xã Mỹ Yên") to the organisation tree.

Names are compared as keys: folded (no diacritics, lower case), abbreviations expanded
("UBND" -> "ủy ban nhân dân", "GD&ĐT" -> "giáo dục và đào tạo"), "Việt Nam" dropped. The
order of attempts, first hit wins:

1. the whole text equals an organisation's name or short name;
2. the text before the first comma or " - " does ("Xã Mỹ Yên, huyện Bến Lức"), the rest
   choosing between organisations of the same name by their ancestors;
3. without a body prefix ("Ủy ban nhân dân", "Đảng ủy"...), it names an organisation: "UBND
   xã Mỹ Yên" and "Đảng ủy xã Mỹ Yên" are "Xã Mỹ Yên" when no organisation has that exact
   name (the commune's or district's bodies are the commune or district for the roster).

Several organisations left after that is "ambiguous": not matched, and not added either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from dtbd_desktop.base import text
from dtbd_desktop.base.paths import resource_path

_SEGMENT_RE: Final = re.compile(r"\s*(?:,|;|\s-\s|\s–\s|\n)\s*")
_NON_WORD_RE: Final = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class _Vocabulary:
    abbreviations: dict[str, str]
    bodies: tuple[str, ...]  # keys, longest first
    noise: tuple[str, ...]


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    with resource_path("import", "column_synonyms.json").open(encoding="utf-8") as fh:
        data = json.load(fh)
    abbreviations = {text.fold(k): text.fold(v) for k, v in data.get("organisation_abbreviations", {}).items()}
    noise = tuple(_plain(text.fold(n)) for n in data.get("organisation_noise", []))
    vocab = _Vocabulary(abbreviations, (), noise)
    bodies = sorted((org_key(b, vocab) for b in data.get("organisation_bodies", [])), key=len, reverse=True)
    return _Vocabulary(abbreviations, tuple(bodies), noise)


def _plain(value: str) -> str:
    return _NON_WORD_RE.sub(" ", value).strip()


def org_key(name: str, vocab: _Vocabulary | None = None) -> str:
    """The comparison key of an organisation's name."""
    v = vocab or _vocabulary()
    words = [v.abbreviations.get(word.strip(".,;:()"), word) for word in text.fold(name).split(" ")]
    key = f" {_plain(' '.join(words))} "
    for phrase in v.noise:
        key = key.replace(f" {phrase} ", " ")
    return " ".join(key.split())


def _strip_body(key: str) -> str | None:
    for body in _vocabulary().bodies:
        if key.startswith(body + " ") and len(key) > len(body) + 1:
            return key[len(body) + 1:]
    return None


@dataclass(frozen=True)
class OrgNode:
    id: int
    name: str
    short_name: str | None
    parent_id: int | None
    level: str


@dataclass(frozen=True)
class OrgMatch:
    """`organisation_id` when matched; `ambiguous` lists the candidates' names when several fit."""

    organisation_id: int | None
    ambiguous: tuple[str, ...] = ()


class OrganisationMatcher:
    """The organisation tree indexed by keys; `match` is pure and cheap, for every row."""

    def __init__(self, nodes: Iterable[OrgNode]) -> None:
        self.nodes = {n.id: n for n in nodes}
        self.by_key: dict[str, set[int]] = {}
        for node in self.nodes.values():
            for name in (node.name, node.short_name):
                if not name:
                    continue
                self.by_key.setdefault(org_key(name), set()).add(node.id)
        self._cache: dict[str, OrgMatch | None] = {}

    def _ancestor_keys(self, org_id: int) -> list[str]:
        keys: list[str] = []
        parent = self.nodes[org_id].parent_id
        while parent is not None and parent in self.nodes:
            node = self.nodes[parent]
            keys += [org_key(n) for n in (node.name, node.short_name) if n]
            parent = node.parent_id
        return keys

    def _choose(self, candidates: set[int], context: str) -> OrgMatch | None:
        if not candidates:
            return None
        if len(candidates) == 1:
            return OrgMatch(next(iter(candidates)))
        if context:
            fitting = {c for c in candidates if any(k and k in context for k in self._ancestor_keys(c))}
            if len(fitting) == 1:
                return OrgMatch(next(iter(fitting)))
        names = sorted(self.nodes[c].name for c in candidates)
        return OrgMatch(None, tuple(names))

    def match(self, name: str) -> OrgMatch | None:
        """The organisation a text names; None when none fits (a new organisation)."""
        cleaned = text.nfc(name)
        if cleaned in self._cache:
            return self._cache[cleaned]
        key = org_key(cleaned)
        segments = [s for s in _SEGMENT_RE.split(cleaned) if s]
        head = org_key(segments[0]) if segments else key
        context = org_key(" ".join(segments[1:])) if len(segments) > 1 else ""
        found = self._choose(self.by_key.get(key, set()), "")
        if found is None and head != key:
            found = self._choose(self.by_key.get(head, set()), context)
        if found is None:
            for candidate in (key, head):
                stripped = _strip_body(candidate)
                if stripped is not None:
                    found = self._choose(self.by_key.get(stripped, set()), context)
                    if found is not None:
                        break
        self._cache[cleaned] = found
        return found

    def split_position(self, value: str) -> tuple[str, int | None]:
        """A combined "chức vụ, đơn vị công tác" cell: (position, organisation id or None).

        When the text after the last comma or " - " names a known organisation, that part is the
        organisation and the text before it the position ("Chuyên viên, Phòng Nội vụ huyện Bến
        Lức"). Otherwise the whole text stays the position, and the organisation is the longest
        known organisation the text ends with ("Phó Chủ tịch UBND xã Mỹ Yên"), if any.
        """
        cleaned = text.nfc(value)
        for separator in _SEGMENT_RE.finditer(cleaned):
            head, tail = cleaned[:separator.start()], cleaned[separator.end():]
            found = self.match(tail) if head and tail else None
            if found is not None and found.organisation_id is not None:
                return head, found.organisation_id
        words = cleaned.split(" ")
        for start in range(1, len(words) - 1):
            found = self.match(" ".join(words[start:]))
            if found is not None and found.organisation_id is not None:
                return cleaned, found.organisation_id
        return cleaned, None

    def parent_for_new(self, name: str) -> int | None:
        """Where a new organisation goes: under the district or province its name ends with."""
        key = org_key(name)
        best: tuple[int, int] | None = None
        for node in self.nodes.values():
            if node.level not in ("district", "province"):
                continue
            node_key = org_key(node.name)
            if key.endswith(" " + node_key) and (best is None or len(node_key) > best[0]):
                best = (len(node_key), node.id)
        return best[1] if best else None


def level_for_new(name: str) -> str:
    """A new organisation's level: "commune" for a xã, phường or thị trấn, else "agency"."""
    key = org_key(name)
    return "commune" if re.match(r"(xa|phuong|thi tran) ", key) else "agency"
