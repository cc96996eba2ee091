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
from ledger.said import Said, said


def check_envelope(envelope: Envelope) -> list[Problem]:
    problems = check_codes(envelope=envelope.code)
    if not envelope.amount.is_positive() or envelope.amount.currency != "EUR":
        problems.append(
            problem(
                "invalid_amount",
                said(
                    "Envelope {envelope}: the budget must be a positive euro amount.",
                    envelope=envelope.code,
                ),
            )
        )
    if envelope.ends_on < envelope.starts_on:
        problems.append(
            problem(
                "invalid_period",
                said(
                    "Envelope {envelope} ends ({ends_on}) before it starts ({starts_on}).",
                    envelope=envelope.code,
                    ends_on=envelope.ends_on,
                    starts_on=envelope.starts_on,
                ),
            )
        )
    return problems


def check_rate(rate: Decimal | None) -> list[Problem]:
    if rate is not None and (not rate.is_finite() or rate <= 0):
        return [
            problem(
                "invalid_rate",
                said("A conversion rate must be positive, not {rate}.", rate=rate),
            )
        ]
    return []


def check_in_envelope(what: Said, on: date, envelope: Envelope) -> list[Problem]:
    """Budget moves and decisions of an envelope fall inside its period."""
    period = said("the period of envelope {envelope}", envelope=envelope.code)
    return not_before(
        "outside_envelope_period",
        what,
        on,
        envelope.starts_on,
        said("the start of {period}", period=period),
    ) + not_after(
        "outside_envelope_period",
        what,
        on,
        envelope.ends_on,
        said("the end of {period}", period=period),
    )


def check_same_envelope(
    from_tranche: str, from_envelope: str, to_tranche: str, to_envelope: str
) -> list[Problem]:
    if from_envelope == to_envelope:
        return []
    return [
        problem(
            "shift_across_envelopes",
            said(
                "Tranche {from_tranche} is in envelope {from_envelope}, tranche {to_tranche} in {to_envelope}: budget moves between tranches of one envelope only.",
                from_tranche=from_tranche,
                from_envelope=from_envelope,
                to_tranche=to_tranche,
                to_envelope=to_envelope,
            ),
        )
    ]
