"""The published figures the demo loads (``api/data/public-figures.csv``, a copy of every figure
found in public sources, each with its citation) and the recipients it pays
(``api/data/recipients.csv``: organisations by their real names, with their CBS code where they
have one; ``named_by`` cites the source that names the recipient, empty where the demo chose)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ledger.money import Money
from ledger.regio.model import Organisation, OrganisationType, Who

DATA = Path(__file__).resolve().parent.parent / "data"
FIGURES = DATA / "public-figures.csv"
RECIPIENTS = DATA / "recipients.csv"
ILLUSTRATIVE = "illustratief (demo): niet gepubliceerd"


@dataclass(frozen=True)
class Figure:
    kind: str
    key: str
    name: str
    amount: Money
    on: date | None  # None: the source gives no date
    instrument: str
    source: str

    @property
    def tranche(self) -> str:
        return self.key.split("-")[0]


@dataclass(frozen=True)
class Recipient:
    deal: str
    organisation: Organisation
    named_by: str  # the source that names this recipient; empty: the demo's illustrative choice

    @property
    def basis(self) -> str:
        """Why this recipient, in words a reader can follow."""
        if self.named_by:
            return self.named_by
        return (
            f"{ILLUSTRATIVE}: geen openbare bron in de lijst noemt de regiokassier van deze deal; "
            f"de demo kiest {self.organisation.name}"
        )


def read_figures(path: Path = FIGURES) -> list[Figure]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Figure(
                row["kind"],
                row["key"],
                row["name"],
                Money.of(row["amount_eur"]),
                date.fromisoformat(row["date"]) if row["date"] else None,
                row["instrument"],
                row["source"],
            )
            for row in csv.DictReader(handle)
        ]


def read_recipients(path: Path = RECIPIENTS) -> dict[str, Recipient]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["deal"]: Recipient(
                row["deal"],
                Organisation(row["code"], row["name"], OrganisationType(row["type"])),
                row["named_by"],
            )
            for row in csv.DictReader(handle)
        }


def published(source: str, reason: str = "Gepubliceerd cijfer") -> Who:
    return Who("demo-loader", reason, source)


ILLUSTRATIVE_WHO = Who("demo-loader", "Illustratieve demo-gegevens", ILLUSTRATIVE)
