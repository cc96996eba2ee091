"""Rules of a DU's conversion into a SPUK: what is left to convert, what the SPUK must take over,
and that a DU converts once."""

from __future__ import annotations

from ledger.errors import Problem
from ledger.money import Money
from ledger.regio.model import Beschikking, Instrument
from ledger.regio.rules.common import problem
from ledger.said import said
from ledger.words import Amount


def check_something_to_convert(du_nummer: str, remaining: Money) -> list[Problem]:
    """A DU→SPUK conversion takes over the DU's unpaid remainder: a DU paid in full has none."""
    if remaining.is_positive():
        return []
    return [
        problem(
            "nothing_to_convert",
            said(
                "DU {du_nummer} is paid in full: nothing is left to convert into a SPUK.",
                du_nummer=du_nummer,
            ),
        )
    ]


def check_du_conversion(du: Beschikking, spuk: Beschikking, remaining: Money) -> list[Problem]:
    """A DU's unpaid remainder is granted again as a SPUK: only a DU converts, only into a SPUK,
    of the same deal, linked to the DU, for exactly what the DU has left unpaid."""
    if du.instrument is not Instrument.DU or spuk.instrument is not Instrument.SPUK:
        return [
            problem(
                "not_a_du_conversion",
                said("Only a DU can be converted, and only into a SPUK."),
            )
        ]
    if problems := check_something_to_convert(du.nummer, remaining):
        return problems
    if spuk.amount != remaining or spuk.deal != du.deal or spuk.converted_from != du.nummer:
        return [
            problem(
                "conversion_mismatch",
                said(
                    "The SPUK must take over the DU's unpaid {remaining} in the same deal, "
                    "converted_from {nummer}.",
                    remaining=Amount(remaining),
                    nummer=du.nummer,
                ),
            )
        ]
    return []


def check_converted_once(du_nummer: str, converted_into: str, spuk_nummer: str) -> list[Problem]:
    """A DU converts once: asked again for the same SPUK it is a retry, for another a refusal."""
    if converted_into == spuk_nummer:
        return []
    return [
        problem(
            "beschikking_converted",
            said(
                "DU {du_nummer} was already converted into {converted_into}.",
                du_nummer=du_nummer,
                converted_into=converted_into,
            ),
        )
    ]
