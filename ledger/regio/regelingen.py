"""Regelingen as published (pure): the legal basis a beschikking is decided under, the
instruments it covers and its period. A beschikking is decided under the regeling it names, or
else its tranche's; a SPUK converted from a DU names the one it is decided under."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger.errors import Problem
from ledger.regio.model import Beschikking
from ledger.said import said


@dataclass(frozen=True)
class Regeling:
    code: str
    name: str
    ministry: str  # responsible now (BZK since 2022 for every Regio Deals regeling)
    source: str  # where it was published: title, date, Staatscourant or Staatsblad
    instruments: tuple[str, ...] = ()  # empty: not said
    starts_on: date | None = None
    ends_on: date | None = None
    sisa_code: str | None = None  # None: no SiSa code published for it

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "ministry": self.ministry,
            "source": self.source,
            "instruments": list(self.instruments),
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "sisa_code": self.sisa_code,
        }


INSTRUMENTS = ("SPUK", "DU", "BU")


def check_instruments(instruments: tuple[str, ...]) -> list[Problem]:
    unknown = [i for i in instruments if i not in INSTRUMENTS]
    if unknown or len(set(instruments)) != len(instruments):
        return [
            Problem.of(
                "invalid_instruments",
                said(
                    "Instruments {names}: name each of SPUK, DU and BU at most once.",
                    names=", ".join(instruments),
                ),
            )
        ]
    return []


def check_regeling_period(starts_on: date | None, ends_on: date | None) -> list[Problem]:
    if starts_on and ends_on and ends_on < starts_on:
        return [
            Problem.of(
                "invalid_period",
                said(
                    "The regeling ends ({ends_on}) before it starts ({starts_on}).",
                    ends_on=ends_on,
                    starts_on=starts_on,
                ),
            )
        ]
    return []


def check_decided_under(regeling: Regeling, beschikking: Beschikking) -> list[Problem]:
    """A beschikking is decided under a regeling that covers its instrument, on a date within
    the regeling's period."""
    b = beschikking
    problems = []
    if regeling.instruments and b.instrument.value not in regeling.instruments:
        covered = ", ".join(regeling.instruments)
        problems.append(
            Problem.of(
                "regeling_instrument",
                said(
                    "Regeling {regeling} covers {covered}, not a {value} ({nummer}); name the regeling it is decided under.",
                    regeling=regeling.code,
                    covered=covered,
                    value=b.instrument.value,
                    nummer=b.nummer,
                ),
            )
        )
    outside = (regeling.starts_on and b.decided_on < regeling.starts_on) or (
        regeling.ends_on and b.decided_on > regeling.ends_on
    )
    if outside:
        period = f"{regeling.starts_on or '…'} – {regeling.ends_on or '…'}"
        problems.append(
            Problem.of(
                "regeling_period",
                said(
                    "{nummer} is decided on {decided_on}, outside regeling {regeling}'s period ({period}); name the regeling in force on that date.",
                    nummer=b.nummer,
                    decided_on=b.decided_on,
                    regeling=regeling.code,
                    period=period,
                ),
            )
        )
    return problems
