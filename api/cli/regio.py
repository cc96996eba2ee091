"""Commands on the Regio Deals' objects: ``deals list``, ``beschikkingen list|convert``,
``tranches add``, ``regelingen add|assign`` and ``rules list``. The changes outside the happy path: money added to a tranche
from outside its envelope, a DU converted into a SPUK, regelingen and which tranche follows which;
and the rules per instrument and tranche (``rules list``). Each records who, why and on which
source; without ``--key`` every run is a new request."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer

from api.cli.options import (
    AmountOption,
    Beschikking,
    By,
    DatabaseOption,
    Effective,
    FormatOption,
    Lang,
    Reason,
    RetryKey,
    SourceDocument,
    code,
    database_url,
    iso_date,
    open_ledger,
    write_key,
)

deals_app = typer.Typer(help="Deals (convenanten).", no_args_is_help=True)
beschikkingen_app = typer.Typer(help="Beschikkingen (grant decisions).", no_args_is_help=True)
tranches_app = typer.Typer(
    help="Tranches: money added from outside the envelope.", no_args_is_help=True
)
regelingen_app = typer.Typer(
    help="Regelingen (grant regulations) and which tranche follows which.", no_args_is_help=True
)
rules_app = typer.Typer(help="The rules per instrument and tranche, as data.", no_args_is_help=True)

Tranche = Annotated[str, typer.Option("--tranche", parser=code, help="The tranche code, e.g. T5.")]


@tranches_app.command("add")
def add_money(
    tranche: Tranche,
    amount: AmountOption,
    on: Effective,
    by: By,
    reason: Reason,
    source: SourceDocument = None,
    key: RetryKey = None,
    database: DatabaseOption = None,
) -> None:
    """Money added to a tranche from outside its envelope (a budget transfer), with its source."""
    from ledger.money import Money
    from ledger.regio.db.service import RegioService
    from ledger.regio.model import Who

    with open_ledger(database) as engine:
        posted = RegioService(engine).add_from_outside(
            tranche, Money.of(amount), on=on, key=write_key("add", key), who=Who(by, reason, source)
        )
    typer.echo(f"{tranche}: {Money.of(amount)} added on {on} (entry {posted.sequence}).")


@beschikkingen_app.command("convert")
def convert(
    beschikking: Beschikking,
    spuk: Annotated[str, typer.Option("--spuk", parser=code, help="The nummer of the new SPUK.")],
    on: Effective,
    decided_on: Annotated[
        date, typer.Option("--decided-on", parser=iso_date, help="The SPUK's decision date.")
    ],
    spending_starts_on: Annotated[
        date,
        typer.Option("--spending-starts-on", parser=iso_date, help="Start of its spending period."),
    ],
    spending_ends_on: Annotated[
        date,
        typer.Option("--spending-ends-on", parser=iso_date, help="End of its spending period."),
    ],
    by: By,
    reason: Reason,
    source: SourceDocument = None,
    regeling: Annotated[
        str | None,
        typer.Option(
            "--regeling",
            parser=code,
            help="The regeling the SPUK is decided under (default: its tranche's).",
        ),
    ] = None,
    key: RetryKey = None,
    database: DatabaseOption = None,
) -> None:
    """The DU's unpaid remainder becomes a new SPUK in the same deal (to the same recipient),
    linked both ways and never counted twice; the DU keeps what it was paid."""
    from ledger.money import Money
    from ledger.regio.db.service import RegioService
    from ledger.regio.model import SpukTerms, Who

    terms = SpukTerms(spuk, decided_on, spending_starts_on, spending_ends_on, regeling=regeling)
    with open_ledger(database) as engine:
        posted = RegioService(engine).convert_remainder(
            beschikking, terms, on=on, key=write_key("convert", key), who=Who(by, reason, source)
        )
    first = posted.postings[0]
    converted = Money.from_minor_units(first.minor_units, first.currency)
    typer.echo(f"{beschikking} → {spuk}: {converted} converted on {on} (entry {posted.sequence}).")


@regelingen_app.command("add")
def add_regeling(
    regeling: Annotated[str, typer.Option("--code", parser=code, help="The regeling's code.")],
    name: Annotated[str, typer.Option("--name", help="Its name.")],
    ministry: Annotated[str, typer.Option("--ministry", help="The ministry responsible.")],
    source: Annotated[str, typer.Option("--source", help="Where it was published.")],
    by: By,
    instrument: Annotated[
        list[str] | None,
        typer.Option("--instrument", help="An instrument it covers (SPUK, DU, BU); repeatable."),
    ] = None,
    starts_on: Annotated[
        date | None, typer.Option("--starts-on", parser=iso_date, help="In force from.")
    ] = None,
    ends_on: Annotated[
        date | None, typer.Option("--ends-on", parser=iso_date, help="In force until.")
    ] = None,
    sisa_code: Annotated[
        str | None, typer.Option("--sisa-code", parser=code, help="Its SiSa code, if published.")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """A regeling as published: the grant regulation beschikkingen are decided and accounted
    under, the instruments it covers, its period and its SiSa code."""
    from ledger.regio.db.service import RegioService
    from ledger.regio.model import Who
    from ledger.regio.regelingen import Regeling

    published = Regeling(
        regeling, name, ministry, source, tuple(instrument or ()), starts_on, ends_on, sisa_code
    )
    with open_ledger(database) as engine:
        RegioService(engine).add_regeling(published, who=Who(by, source))
    typer.echo(f"regeling {regeling}: {name} ({ministry}).")


@regelingen_app.command("assign")
def assign_regeling(
    tranche: Tranche,
    regeling: Annotated[str, typer.Option("--regeling", parser=code, help="The regeling's code.")],
    by: By,
    reason: Reason,
    database: DatabaseOption = None,
) -> None:
    """Which regeling a tranche's beschikkingen follow (set once)."""
    from ledger.regio.db.service import RegioService
    from ledger.regio.model import Who

    with open_ledger(database) as engine:
        RegioService(engine).assign_regeling(tranche, regeling, who=Who(by, reason))
    typer.echo(f"{tranche} follows regeling {regeling}.")


@rules_app.command("list")
def list_rules(
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Who may receive what, in which currency and how it is accounted for; co-financing per
    tranche; the Rijksbijdrage bounds where published."""
    from ledger.regio import rules

    document = rules.rules_as_data()
    if output_format == "json":
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    for r in document["instruments"]:  # type: ignore[union-attr]
        typer.echo(
            f"{r['instrument']:<4} {r['name']}: {', '.join(r['recipients'])}; {r['currency']}; {r['accountability']} "
            f"[{r['basis']}]"
        )
    for c in document["cofinancing"]:  # type: ignore[union-attr]
        typer.echo(
            f"cofinanciering {'/'.join(c['tranches'])}: regionaal ≥ {c['minimum_ratio']} × Rijk; privaat telt "
            f"{'mee' if c['counts_private'] else 'niet mee'}; in natura telt {'mee' if c['counts_in_kind'] else 'niet mee'} "
            f"[{c['basis']}]"
        )
    bounds = document["rijksbijdrage_bounds"] or document["rijksbijdrage_bounds_note"]
    typer.echo(f"Rijksbijdrage per deal: {bounds}")
    typer.echo(f"uitzonderingen: {document['exceptions']}")


@deals_app.command("list")
def list_deals(
    output_format: FormatOption = "text", lang: Lang = "nl", database: DatabaseOption = None
) -> None:
    """Every deal with its Rijksbijdrage, granted, paid and spent (in euros)."""
    from api.cli.reports import read_snapshot
    from reports.listings import deal_rows
    from reports.render import euro

    snapshot, _ = read_snapshot(database_url(database), date.max)
    rows = deal_rows(snapshot)
    if output_format == "json":
        typer.echo(json.dumps([r.as_dict() for r in rows], indent=2, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(
            f"{r.deal.code:<30} {r.deal.tranche:<4} {euro(r.deal.rijksbijdrage, lang):>20} "
            f"beschikt {euro(r.granted, lang):>20} betaald {euro(r.paid, lang):>20} besteed {euro(r.spent_rijk, lang):>20}"
        )


@beschikkingen_app.command("list")
def list_beschikkingen(
    output_format: FormatOption = "text", lang: Lang = "nl", database: DatabaseOption = None
) -> None:
    """Every beschikking: number, deal, instrument, recipient organisation code, amount,
    spending period, paid and spent from Rijk money (in the grant's currency)."""
    from api.cli.reports import read_snapshot
    from reports.listings import beschikking_rows
    from reports.render import euro

    snapshot, ends = read_snapshot(database_url(database), date.max)
    rows = beschikking_rows(snapshot, ends)
    if output_format == "json":
        typer.echo(json.dumps([r.as_dict() for r in rows], indent=2, ensure_ascii=False))
        return
    for r in rows:
        b = r.beschikking
        link = (
            f" (omgezet in {r.converted_to})"
            if r.converted_to
            else f" (uit {b.converted_from})"
            if b.converted_from
            else ""
        )
        typer.echo(
            f"{b.nummer:<34} {b.deal:<30} {b.instrument.value:<4} {b.recipient:<34} {euro(r.granted, lang):>20}{link} "
            f"{b.spending_starts_on}..{r.spending_ends_on} betaald {euro(r.paid, lang):>20} besteed {euro(r.spent_rijk, lang):>20}"
        )
