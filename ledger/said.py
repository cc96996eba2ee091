"""What the ledger says to people, in English and Dutch, through gettext.

A refusal is written once, in English, as a template with named placeholders:
``said("Beschikking {nummer} already exists.", nummer=nummer)``. The English template is the
gettext message id; the Dutch lives in the catalogue ``ledger/locale/nl/LC_MESSAGES/problems.po``,
managed with Babel like the labels of the reports:

- ``make messages`` extracts every ``said(...)`` (``pybabel extract -k said``) into
  ``ledger/locale/problems.pot`` and merges it into the Dutch catalogue, where a translator fills
  in what is new;
- ``make install`` compiles the catalogue; the ``.mo`` file is not kept in version control;
- ``tests/unit/test_catalogue.py`` fails on a text without its Dutch or a placeholder a
  translation drops.

A placeholder's value is put in as it is, unless it says itself per language: another ``Said``
(a part of a sentence, such as "the signing of deal T5-X"), or a ``ledger.words.Day`` or
``Amount`` (a date or an amount written the way each language writes them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "problems"
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class Said:
    """A text in the source language with its values; ``in_("nl")`` says it in Dutch."""

    text: str
    values: tuple[tuple[str, Any], ...] = ()

    def in_(self, lang: str) -> str:
        template = self.text if lang == SOURCE_LANGUAGE else translations(lang).gettext(self.text)
        return template.format(**{name: _in(value, lang) for name, value in self.values})

    def with_(self, **values: Any) -> Said:
        """The same text with (more) values: a template kept in a table, filled in at use."""
        return Said(self.text, (*self.values, *values.items()))

    def __str__(self) -> str:
        return self.in_(SOURCE_LANGUAGE)


def said(text: str, /, **values: Any) -> Said:
    """``text`` (English, with ``{name}`` placeholders) and the values it names."""
    return Said(text, tuple(values.items()))


@dataclass(frozen=True, slots=True)
class Both:
    """A text already said in each language (a problem's message, passed on)."""

    en: str
    nl: str

    def in_(self, lang: str) -> str:
        return self.en if lang == SOURCE_LANGUAGE else self.nl


def _in(value: Any, lang: str) -> Any:
    """A value says itself in ``lang`` when it can (``Said``, ``Both``, ``ledger.words.Day`` and
    ``Amount``); any other value goes in as it is."""
    say = getattr(value, "in_", None)
    return say(lang) if callable(say) else value


@cache
def translations(lang: str, locale_dir: Path = LOCALE_DIR, domain: str = DOMAIN) -> Any:
    """The compiled catalogue of ``lang``; refused when it is missing (a refusal in English where
    Dutch was asked for would be a silent lie). The one loader of every catalogue."""
    from babel.support import Translations  # Babel when something is said, not at start-up

    found = Translations.load(str(locale_dir), [lang], domain=domain)
    if not isinstance(found, Translations):
        raise RuntimeError(
            f"The {lang} catalogue ({locale_dir / lang / 'LC_MESSAGES' / domain}.mo) is not "
            "compiled: run `make install`, which compiles it from its .po file."
        )
    return found
