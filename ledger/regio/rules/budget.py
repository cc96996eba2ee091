"""Rules of the budget: an envelope's own shape and period, dates inside an envelope, two things
in one envelope, and an exchange rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ledger.errors import Problem
from ledger.regio.model import (
    Envelope,
)
from ledger.regio.rules.common import check_codes, not_after, not_before, problem


def check_envelope(envelope: Envelope) -> list[Problem]:
    problems = check_codes(envelope=envelope.code)
    if not envelope.amount.is_positive() or envelope.amount.currency != "EUR":
        problems.append(
            problem(
                "invalid_amount",
                f"Envelope {envelope.code}: the budget must be a positive euro amount.",
                f"Envelop {envelope.code}: het budget moet een positief bedrag in euro zijn.",
            )
        )
    if envelope.ends_on < envelope.starts_on:
        problems.append(
            problem(
                "invalid_period",
                f"Envelope {envelope.code} ends ({envelope.ends_on}) before it starts ({envelope.starts_on}).",
                f"Envelop {envelope.code} eindigt ({envelope.ends_on}) voordat hij begint ({envelope.starts_on}).",
            )
        )
    return problems


def check_rate(rate: Decimal | None) -> list[Problem]:
    if rate is not None and (not rate.is_finite() or rate <= 0):
        return [
            problem(
                "invalid_rate",
                f"A conversion rate must be positive, not {rate}.",
                f"Een koers moet positief zijn, niet {rate}.",
            )
        ]
    return []


def check_in_envelope(what: tuple[str, str], on: date, envelope: Envelope) -> list[Problem]:
    """Budget moves and decisions of an envelope fall inside its period."""
    period = (f"the period of envelope {envelope.code}", f"de periode van envelop {envelope.code}")
    return not_before(
        "outside_envelope_period",
        what,
        on,
        envelope.starts_on,
        (f"the start of {period[0]}", f"het begin van {period[1]}"),
    ) + not_after(
        "outside_envelope_period",
        what,
        on,
        envelope.ends_on,
        (f"the end of {period[0]}", f"het einde van {period[1]}"),
    )


def check_same_envelope(
    from_tranche: str, from_envelope: str, to_tranche: str, to_envelope: str
) -> list[Problem]:
    if from_envelope == to_envelope:
        return []
    return [
        problem(
            "shift_across_envelopes",
            f"Tranche {from_tranche} is in envelope {from_envelope}, tranche {to_tranche} in {to_envelope}: "
            "budget moves between tranches of one envelope only.",
            f"Tranche {from_tranche} hoort bij envelop {from_envelope}, tranche {to_tranche} bij {to_envelope}: "
            "budget verschuift alleen tussen tranches van één envelop.",
        )
    ]
