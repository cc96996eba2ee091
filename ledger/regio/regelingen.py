"""Regelingen as published (pure): the legal basis a beschikking is decided under, the
instruments it covers and its period. A beschikking is decided under the regeling it names, or
else its tranche's; a SPUK converted from a DU names the one it is decided under."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger.errors import Problem
from ledger.regio.model import Beschikking


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
            Problem(
                "invalid_instruments",
                f"Instruments {', '.join(instruments)}: name each of SPUK, DU and BU at most once.",
                f"Instrumenten {', '.join(instruments)}: noem elk van SPUK, DU en BU hoogstens één keer.",
            )
        ]
    return []


def check_regeling_period(starts_on: date | None, ends_on: date | None) -> list[Problem]:
    if starts_on and ends_on and ends_on < starts_on:
        return [
            Problem(
                "invalid_period",
                f"The regeling ends ({ends_on}) before it starts ({starts_on}).",
                f"De regeling eindigt ({ends_on}) voordat ze begint ({starts_on}).",
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
            Problem(
                "regeling_instrument",
                f"Regeling {regeling.code} covers {covered}, not a {b.instrument.value} "
                f"({b.nummer}); name the regeling it is decided under.",
                f"Regeling {regeling.code} geldt voor {covered}, niet voor een "
                f"{b.instrument.value} ({b.nummer}); noem de regeling waaronder besloten is.",
            )
        )
    outside = (regeling.starts_on and b.decided_on < regeling.starts_on) or (
        regeling.ends_on and b.decided_on > regeling.ends_on
    )
    if outside:
        period = f"{regeling.starts_on or '…'} – {regeling.ends_on or '…'}"
        problems.append(
            Problem(
                "regeling_period",
                f"{b.nummer} is decided on {b.decided_on}, outside regeling {regeling.code}'s "
                f"period ({period}); name the regeling in force on that date.",
                f"{b.nummer} is besloten op {b.decided_on}, buiten de looptijd van regeling "
                f"{regeling.code} ({period}); noem de regeling die toen gold.",
            )
        )
    return problems
