"""The refusals' gettext catalogue holds: every ``said(...)`` in the code is in the template and
has its Dutch, no translation drops or adds a placeholder, and a refusal says itself in both
languages from the compiled catalogue. A refusal written or changed without ``make messages`` and
its translation, or a catalogue changed without ``make install``, fails here."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ledger.errors import LedgerError, Problem
from ledger.money import Money
from ledger.said import DOMAIN, LOCALE_DIR, Both, said, translations
from ledger.words import Amount, Day

ROOT = Path(__file__).resolve().parents[2]
#: The packages whose refusals are said through the catalogue (``make messages`` names the same).
PACKAGES = ("ledger", "sisa", "api")


def _extracted() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for _, _, message, _, _ in extract_from_dir(
            ROOT / package, keywords={"said": None}, comment_tags=()
        ):
            found.add(message)
    return found


def _catalogue(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def _fields(text: str) -> set[str]:
    return {field for _, field, spec, conversion in string.Formatter().parse(text) if field}


def test_every_said_text_is_a_literal_babel_can_extract():
    """``said`` takes its text as a literal: an f-string or a variable would reach no translator."""
    offenders = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "said"
                    and not (
                        node.args
                        and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)
                    )
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"said(...) without a literal text: {offenders}"
    assert len(_extracted()) > 200


def test_the_template_is_current():
    template = _catalogue(LOCALE_DIR / f"{DOMAIN}.pot")
    held = {m.id for m in template if m.id}
    assert held == _extracted(), "a refusal changed: run `make messages` and translate it"


def test_every_refusal_has_its_dutch_and_keeps_its_placeholders():
    dutch = {
        m.id: m for m in _catalogue(LOCALE_DIR / "nl" / "LC_MESSAGES" / f"{DOMAIN}.po") if m.id
    }
    extracted = _extracted()
    missing = sorted(extracted - set(dutch))
    assert not missing, f"refusals without Dutch (run `make messages`, then translate): {missing}"
    for english, message in dutch.items():
        assert english in extracted, f"{english!r}: no longer said anywhere (obsolete)"
        assert message.string.strip(), f"{english!r}: the Dutch is empty"
        assert not message.fuzzy, f"{english!r}: the Dutch is marked fuzzy"
        assert _fields(message.string) == _fields(english), (
            f"{english!r}: the Dutch drops or adds a placeholder"
        )


def test_the_compiled_catalogue_is_the_po_files_word_for_word():
    compiled = translations("nl")
    for message in _catalogue(LOCALE_DIR / "nl" / "LC_MESSAGES" / f"{DOMAIN}.po"):
        if message.id:
            assert compiled.gettext(message.id) == message.string, (
                f"{message.id!r}: the compiled catalogue is behind: run `make install`"
            )


def test_a_refusal_says_itself_in_both_languages_with_its_values():
    problem = Problem.of("x", said("Beschikking {beschikking} already exists.", beschikking="RD-1"))
    assert problem.message == "Beschikking RD-1 already exists."
    assert problem.message_nl == "Beschikking RD-1 bestaat al."


def test_parts_of_a_sentence_dates_and_amounts_are_said_in_the_sentences_language():
    what = said("The allocation to tranche {tranche}", tranche="T5")
    limit_is = said(
        "the end of {period}", period=said("the period of envelope {envelope}", envelope="E2")
    )
    text = said(
        "{what} is dated {on}, after {limit_is} ({limit}); date it on or before {limit}.",
        what=what,
        on=date(2031, 1, 1),
        limit_is=limit_is,
        limit=date(2030, 12, 31),
    )
    assert text.in_("en") == (
        "The allocation to tranche T5 is dated 2031-01-01, after the end of the period of envelope "
        "E2 (2030-12-31); date it on or before 2030-12-31."
    )
    assert text.in_("nl") == (
        "De toekenning aan tranche T5 is gedateerd 2031-01-01, na het einde van de periode van "
        "envelop E2 (2030-12-31); kies 2030-12-31 of eerder."
    )
    short = said(
        "Refused: {meaning}: {available} available, {short} short.",
        meaning=said("the payment exceeds what is left of the grant"),
        available=Amount(Money.of("1234.5")),
        short=Day(date(2025, 6, 30)),
    )
    assert "€1,234.50 available, 30 June 2025 short" in short.in_("en")
    assert "€\xa01.234,50 beschikbaar, 30 juni 2025 tekort" in short.in_("nl")


def test_a_message_passed_on_keeps_each_language_and_values_are_not_read_as_templates():
    inner = Problem.of("x", said("A spending amount may not be zero."))
    outer = said("entry {sequence} ({key}): {text}", sequence=3, key="k{0}", text=inner.said)
    assert outer.in_("en") == "entry 3 (k{0}): A spending amount may not be zero."
    assert outer.in_("nl") == "boeking 3 (k{0}): Een bestedingsbedrag mag niet nul zijn."
    assert Both("a", "b").in_("nl") == "b"


def test_a_single_refusal_carries_both_languages_and_where():
    error = LedgerError.single(
        "beschikking_exists",
        said("Beschikking {beschikking} already exists.", beschikking="B"),
        entry="k",
    )
    [problem] = error.problems
    assert (problem.message_nl, problem.entry) == ("Beschikking B bestaat al.", "k")


def test_a_missing_catalogue_is_refused_not_answered_in_english(tmp_path):
    with pytest.raises(RuntimeError, match="not compiled"):
        translations("nl", tmp_path, DOMAIN)


def test_no_english_dutch_pair_is_left_in_a_problem():
    """A problem is built from one ``said`` text: no call passes an English and a Dutch string."""
    pair = re.compile(r"Problem\(\s*[^,]+,\s*f?\"[^\"]*\",\s*f?\"")
    offenders = [
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if pair.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders
