"""The movement schedule (BBV art. 52a) per beschikking for year T: received but unspent Rijk
money at the start, received, spent, repaid, and at the end. It ties out to SiSa /02."""

from __future__ import annotations

from dataclasses import dataclass

from ledger.money import Money


@dataclass(frozen=True)
class Movement:
    nummer: str
    recipient: str
    opening: Money
    received: Money
    spent: Money
    repaid: Money

    @property
    def closing(self) -> Money:
        return self.opening + self.received - self.spent - self.repaid

    def as_dict(self) -> dict[str, str]:
        return {
            "beschikking": self.nummer,
            "recipient": self.recipient,
            "opening": str(self.opening.amount),
            "received": str(self.received.amount),
            "spent": str(self.spent.amount),
            "repaid": str(self.repaid.amount),
            "closing": str(self.closing.amount),
        }


def movement(
    nummer: str,
    recipient: str,
    year: int,
    received: dict[int, int],
    spent: dict[int, int],
    repaid: dict[int, int],
) -> Movement:
    def before(flows: dict[int, int]) -> int:
        return sum(c for y, c in flows.items() if y < year)

    opening = before(received) - before(spent) - before(repaid)
    return Movement(
        nummer,
        recipient,
        Money.from_minor_units(opening),
        Money.from_minor_units(received.get(year, 0)),
        Money.from_minor_units(spent.get(year, 0)),
        Money.from_minor_units(repaid.get(year, 0)),
    )
