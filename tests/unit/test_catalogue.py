"""The labels' gettext catalogues hold: every label of ``reports/messages.py`` is in the template
and has its Dutch, no translation drops or adds a placeholder, and what the sections give is the
compiled catalogue's word for word. A label added without ``make messages`` and its
translation, or a catalogue changed without ``make install``, fails here."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

import api.statements.problems as problems
import reports.messages as messages
from reports.catalogue import LOCALE_DIR, Catalogue, extract_sections, translations

#: Every module whose labels are kept in the catalogue (``babel.cfg`` names the same).
SOURCES = (messages, problems)
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _extracted() -> dict[tuple[str, str], str]:
    found = [
        hit for source in SOURCES for hit in extract_from_file(extract_sections, source.__file__)
    ]
    return {(context, message): context for _, message, _, context in found}


def _catalogue(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def _sections() -> list[Catalogue]:
    return [v for s in SOURCES for v in vars(s).values() if isinstance(v, Catalogue)]


def test_every_section_is_extracted_with_each_key_as_its_context():
    extracted = _extracted()
    keys = {(f"{s.section}.{key}", text) for s in _sections() for key, text in s.english.items()}
    assert set(extracted) == keys
    assert len(keys) > 250


def test_the_template_is_current():
    template = _catalogue(LOCALE_DIR / "messages.pot")
    held = {(m.context, m.id) for m in template if m.id}
    assert held == set(_extracted()), "a label changed: run `make messages` and translate it"


def test_every_label_has_its_dutch_and_keeps_its_placeholders():
    dutch = _catalogue(LOCALE_DIR / "nl" / "LC_MESSAGES" / "messages.po")
    by_key = {(m.context, m.id): m for m in dutch if m.id}
    missing = sorted(context for (context, _) in _extracted() if (context, _) not in by_key)
    assert not missing, f"labels without Dutch (run `make messages`, then translate): {missing}"
    for (context, english), message in by_key.items():
        assert (context, english) in _extracted(), f"{context}: no longer a label (obsolete)"
        assert message.string.strip(), f"{context}: the Dutch is empty"
        assert not message.fuzzy, f"{context}: the Dutch is marked fuzzy"
        assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(english)), (
            f"{context}: the Dutch drops or adds a placeholder"
        )


def test_the_sections_give_the_compiled_catalogues_words_in_both_languages():
    dutch = {
        m.context: m.string
        for m in _catalogue(LOCALE_DIR / "nl" / "LC_MESSAGES" / "messages.po")
        if m.id
    }
    for section in _sections():
        for key, english in section.english.items():
            assert english.strip(), f"{section.section}.{key}: the English is empty"
            assert section["en"][key] == english
            assert section["nl"][key] == dutch[f"{section.section}.{key}"], (
                f"{section.section}.{key}: the compiled catalogue is behind: run `make install`"
            )


def test_a_dutch_page_reads_dutch():
    assert messages.LABELS["nl"]["granted"] == "beschikt"
    assert messages.LABELS["en"]["granted"] == "granted"
    assert translations("nl").pgettext("labels.granted", "granted") == "beschikt"
    said = problems.StatementProblem("not_xlsx")
    assert (said.message("nl"), said.message("en")) == (
        "Dit bestand is geen Excel-werkmap (.xlsx).",
        "This file is not an Excel workbook (.xlsx).",
    )


def test_babel_extracts_from_every_source():
    config = (Path(__file__).resolve().parents[2] / "babel.cfg").read_text(encoding="utf-8")
    for source in SOURCES:
        relative = Path(source.__file__).resolve().relative_to(Path(__file__).resolve().parents[2])
        assert f": {relative}]" in config
