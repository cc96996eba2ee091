"""The labels a reader sees, through gettext: each section (of ``reports/messages.py``, and the
statement problems of ``api/statements/problems.py``) states its labels in English (the source
language) under a key, and the Dutch comes from the gettext catalogue
``reports/locale/nl/LC_MESSAGES/messages.po``, managed with Babel:

- ``make messages`` extracts every label (``pybabel extract`` with ``extract_sections`` below;
  each message's context is ``section.key``) into ``reports/locale/messages.pot`` and merges it
  into the Dutch catalogue (``pybabel update``), where a translator fills in what is new;
- ``make install`` compiles the catalogue (``pybabel compile``); the ``.mo`` file is not kept in
  version control;
- ``tests/unit/test_catalogue.py`` fails on a label missing from either language, a catalogue
  behind the code, or a placeholder a translation drops.

A section is read as ``SECTION[lang][key]``; the Dutch is translated on first use, so importing
this module loads no catalogue."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from ledger import said
from ledger.words import LOCALES

LANGUAGES = tuple(LOCALES)
SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


class Catalogue(Mapping[str, Mapping[str, str]]):
    """One section's labels by language: ``LABELS["nl"]["granted"]``."""

    def __init__(self, section: str, english: dict[str, str]) -> None:
        self.section = section
        self.english = english
        self._by_language: dict[str, dict[str, str]] = {}

    def __getitem__(self, lang: str) -> Mapping[str, str]:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        if lang not in self._by_language:
            self._by_language[lang] = {
                key: translated(lang, f"{self.section}.{key}", text)
                for key, text in self.english.items()
            }
        return self._by_language[lang]

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


def translated(lang: str, context: str, text: str) -> str:
    """``text`` (English) in ``lang``, as the catalogue has it under ``context``."""
    if lang == SOURCE_LANGUAGE:
        return text
    return translations(lang).pgettext(context, text)


def translations(lang: str) -> Any:
    """The compiled catalogue of the labels in ``lang`` (``ledger.said`` loads every catalogue)."""
    return said.translations(lang, LOCALE_DIR, DOMAIN)


def extract_sections(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel's extractor for ``reports/messages.py`` (``babel.cfg``): every
    ``Catalogue("section", {"key": "English", ...})`` gives one message per key, its context
    ``section.key``, its source text the English."""
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == Catalogue.__name__
            and len(node.args) == 2
            and isinstance(node.args[1], ast.Dict)
        ):
            continue
        section = ast.literal_eval(node.args[0])
        for key, value in zip(node.args[1].keys, node.args[1].values, strict=True):
            text = ast.literal_eval(value)
            yield value.lineno, "pgettext", (f"{section}.{ast.literal_eval(key)}", text), []
