"""The Regio Deals service: every operation is one unit of work that checks the rules,
writes its object rows and books its one balanced entry, or does nothing at all.

Idempotency: each operation takes a ``key``. Repeating it with the same content returns the
first booking; with other content it is refused (``idempotency_conflict``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from ledger import words
from ledger.accounts import Account, Dimensions
from ledger.book import check_idempotency
from ledger.db import queries
from ledger.db.errors import translate_database_error
from ledger.db.journal import Clock, book_entries_noting_new, serialise_writers, utc_now
from ledger.db.rows import account_table, load_entries
from ledger.db.service import open_accounts
from ledger.db.unit_of_work import UnitOfWork
from ledger.entries import JournalEntry
from ledger.errors import LedgerError, Problem, raise_if_any
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio import bookings, chart, rules
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.rows import (
    BeschikkingState,
    beschikking_table,
    budget_change_table,
    deal_table,
    envelope_table,
    event_table,
    figure_table,
    line_table,
    pledge_table,
    regeling_table,
    reservation_table,
    tranche_regeling_table,
)
from ledger.regio.model import (
    Beschikking,
    Deal,
    Envelope,
    FundingSource,
    Instrument,
    Organisation,
    Reservation,
    Tranche,
    Who,
)

Amount = Money | Decimal  # a bare Decimal: in the currency of the beschikking it concerns



def in_currency_of(state: regio_rows.BeschikkingState, amount: Amount) -> Money:
    if isinstance(amount, Money):
        return amount
    return Money.of(amount, state.beschikking.amount.currency)


class RegioService:
    """The operations. Each runs in its own write transaction, or, when the service is made
    with a ``connection``, inside the caller's (which then commits or rolls back)."""

    def __init__(self, engine: Engine, clock: Clock = utc_now, connection: Connection | None = None):
        self.engine = engine
        self.clock = clock
        self.connection = connection

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction; refusals of the ledger are said in the domain's words."""
        if self.connection is not None:
            with self._domain_words():
                serialise_writers(self.connection)
                yield self.connection
            return
        with UnitOfWork(self.engine, write=True) as uow:
            with self._domain_words():
                serialise_writers(uow.connection)  # "was this key booked?" sees every booking
                yield uow.connection
            uow.commit()

    @staticmethod
    @contextmanager
    def _domain_words() -> Iterator[None]:
        try:
            yield
        except LedgerError as error:
            raise LedgerError([rules.explain_limit(p) for p in error.problems]) from error

    def _book(
        self, connection: Connection, entry: JournalEntry, accounts: Sequence[Account], who: Who
    ) -> PostedEntry:
        open_accounts(connection, accounts, actor=who.actor, opened_at=self.clock())
        [(posted, _new)] = book_entries_noting_new(connection, [entry], self.clock)
        return posted

    @staticmethod
    def _replayed(connection: Connection, entry: JournalEntry) -> PostedEntry | None:
        found = load_entries(connection, keys=[entry.key])
        return check_idempotency(entry, found[0]) if found else None

    @staticmethod
    def _exists(connection: Connection, column: Any, value: str) -> bool:
        return connection.execute(select(column).where(column == value)).first() is not None

    def _insert(self, connection: Connection, table: Any, **values: Any) -> None:
        with translate_database_error():
            connection.execute(insert(table), values)  # compiled once per set of columns

    # --- organisations, envelopes, tranches ---------------------------------------------

    def add_organisation(self, organisation: Organisation) -> Organisation:
        raise_if_any(rules.check_codes(organisation=organisation.code))
        with self._write() as connection:
            existing = regio_rows.organisation(connection, organisation.code)
            if existing is None:
                self._insert(connection, regio_rows.organisation_table, code=organisation.code,
                             name=organisation.name, type=organisation.type.value)  # fmt: skip
            elif existing != organisation:
                raise LedgerError.single("organisation_exists", f"Organisation {organisation.code} exists with other details.",
                                         f"Organisatie {organisation.code} bestaat al met andere gegevens.")  # fmt: skip
        return organisation

    def open_envelope(self, envelope: Envelope, *, key: str, who: Who) -> PostedEntry:
        raise_if_any(rules.check_envelope(envelope))
        entry = bookings.fund_envelope(key, who, envelope)
        with self._write() as connection:
            if replay := self._replayed(connection, entry):
                return replay
            if self._exists(connection, envelope_table.c.code, envelope.code):
                raise LedgerError.single("envelope_exists", f"Envelope {envelope.code} already exists.",
                                         f"Envelop {envelope.code} bestaat al.")  # fmt: skip
            self._insert(connection, envelope_table, code=envelope.code, name=envelope.name,
                         amount=envelope.amount.minor_units, starts_on=envelope.starts_on,
                         ends_on=envelope.ends_on, source_document=who.source_document)  # fmt: skip
            posted = self._book(connection, entry, chart.envelope_accounts(envelope), who)
            self._budget_change(
                connection, key, "fund", envelope.code, envelope.amount, envelope.starts_on, posted
            )
        return posted

    def open_tranche(self, tranche: Tranche) -> Tranche:
        raise_if_any(rules.check_codes(tranche=tranche.code, envelope=tranche.envelope))
        with self._write() as connection:
            known = connection.execute(
                select(regio_rows.tranche_table).where(
                    regio_rows.tranche_table.c.code == tranche.code
                )
            ).first()
            if known is None:
                self._insert(connection, regio_rows.tranche_table, code=tranche.code,
                             envelope=tranche.envelope, name=tranche.name)  # fmt: skip
                open_accounts(
                    connection,
                    chart.tranche_accounts(tranche),
                    actor="system",
                    opened_at=self.clock(),
                )
            elif (known.envelope, known.name) != (tranche.envelope, tranche.name):
                raise LedgerError.single("tranche_exists", f"Tranche {tranche.code} exists with other details.",
                                         f"Tranche {tranche.code} bestaat al met andere gegevens.")  # fmt: skip
        return tranche

    def _budget_change(self, connection: Connection, key: str, kind: str, envelope: str, amount: Money,
                       on: date, posted: PostedEntry, **where: str | None) -> None:  # fmt: skip
        self._insert(connection, budget_change_table, key=key, kind=kind, envelope=envelope,
                     amount=amount.minor_units, effective_on=on, entry_id=posted.sequence, **where)  # fmt: skip

    def _move_budget(self, kind: str, what: tuple[str, str], tranche: str, amount: Money, on: date, key: str,
                     who: Who, build: Callable[[str], JournalEntry], *, to_tranche: str | None = None,
                     reservation: Reservation | None = None) -> PostedEntry:  # fmt: skip
        """A dated, sourced change of a tranche's budget, inside its envelope's period; ``build``
        makes the entry from the envelope's code. A shift stays inside one envelope."""
        with self._write() as connection:
            envelope = regio_rows.envelope_of_tranche(connection, tranche)
            entry = build(envelope)
            if replay := self._replayed(connection, entry):
                return replay
            problems = rules.check_in_envelope(what, on, regio_rows.envelope(connection, envelope))
            if kind == "shift" and to_tranche is not None:
                problems += rules.check_same_envelope(tranche, envelope, to_tranche,
                                                      regio_rows.envelope_of_tranche(connection, to_tranche))  # fmt: skip
            raise_if_any(problems)
            accounts = []
            if reservation is not None:
                self._keep_reservation(connection, reservation)
                accounts = chart.reservation_accounts(reservation, envelope)
            posted = self._book(connection, entry, accounts, who)
            where = {"to_tranche": to_tranche} if kind != "reserve" else {"reservation": reservation.code}  # type: ignore[union-attr]
            if kind in ("shift", "reserve"):
                where["from_tranche"] = tranche
            self._budget_change(connection, key, kind, envelope, amount, on, posted, **where)
        return posted

    def allocate(self, tranche: str, amount: Money, *, on: date, key: str, who: Who) -> PostedEntry:
        return self._move_budget("allocate", (f"The allocation to tranche {tranche}", f"De toekenning aan tranche {tranche}"),
                                 tranche, amount, on, key, who,
                                 lambda envelope: bookings.allocate_tranche(key, who, on, envelope, tranche, amount),
                                 to_tranche=tranche)  # fmt: skip

    def shift(
        self, from_tranche: str, to_tranche: str, amount: Money, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        return self._move_budget("shift", (f"The shift from {from_tranche} to {to_tranche}", f"De verschuiving van {from_tranche} naar {to_tranche}"),
                                 from_tranche, amount, on, key, who,
                                 lambda _: bookings.shift_between_tranches(key, who, on, from_tranche, to_tranche, amount),
                                 to_tranche=to_tranche)  # fmt: skip

    def add_from_outside(
        self, tranche: str, amount: Money, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        return self._move_budget("add", (f"Money added to tranche {tranche}", f"Geld toegevoegd aan tranche {tranche}"),
                                 tranche, amount, on, key, who,
                                 lambda envelope: bookings.add_to_envelope(key, who, on, envelope, tranche, amount),
                                 to_tranche=tranche)  # fmt: skip

    def reserve(
        self, reservation: Reservation, amount: Money, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        raise_if_any(rules.check_codes(reservation=reservation.code, tranche=reservation.tranche))
        return self._move_budget("reserve", (f"The reservation {reservation.code}", f"De reservering {reservation.code}"),
                                 reservation.tranche, amount, on, key, who,
                                 lambda _: bookings.reserve(key, who, on, reservation.tranche, reservation.code, amount),
                                 reservation=reservation)  # fmt: skip

    def _keep_reservation(self, connection: Connection, reservation: Reservation) -> None:
        if not self._exists(connection, reservation_table.c.code, reservation.code):
            self._insert(connection, reservation_table, code=reservation.code, tranche=reservation.tranche,
                         name=reservation.name)  # fmt: skip

    # --- deals and beschikkingen ----------------------------------------------------------

    def sign_deal(self, deal: Deal, *, key: str, who: Who) -> PostedEntry:
        entry = bookings.sign_deal(key, who, deal)
        with self._write() as connection:
            if replay := self._replayed(connection, entry):
                return replay
            envelope = regio_rows.envelope_of_tranche(connection, deal.tranche)
            problems = rules.check_deal(deal)
            problems += rules.check_deal_dates(deal, regio_rows.envelope(connection, envelope),
                                               regio_rows.budget_since(connection, deal.tranche, deal.reservation))  # fmt: skip
            if self._exists(connection, deal_table.c.code, deal.code):
                problems.append(rules.problem("deal_exists", f"Deal {deal.code} is already signed.",
                                              f"Deal {deal.code} is al ondertekend."))  # fmt: skip
            for pledge in deal.pledges:
                problems += rules.check_partner(
                    regio_rows.organisation(connection, pledge.partner), pledge.partner
                )
            raise_if_any(problems)
            posted = self._book(connection, entry, chart.deal_accounts(deal, envelope), who)
            self._insert_deal(connection, deal, posted)
        return posted

    def _insert_deal(self, connection: Connection, deal: Deal, posted: PostedEntry) -> None:
        self._insert(connection, deal_table, code=deal.code, name=deal.name, tranche=deal.tranche,
                     reservation=deal.reservation, rijksbijdrage=deal.rijksbijdrage.minor_units,
                     signed_on=deal.signed_on, ends_on=deal.ends_on,
                     cofinancing_exception=deal.cofinancing_exception, entry_id=posted.sequence)  # fmt: skip
        for line in deal.programme_lines:
            self._insert(connection, line_table, deal=deal.code, code=line)
        for pledge in deal.pledges:
            self._insert(connection, pledge_table, deal=deal.code, partner=pledge.partner,
                         kind=pledge.kind.value, amount=pledge.amount.minor_units)  # fmt: skip

    def grant(self, beschikking: Beschikking, *, key: str, who: Who) -> PostedEntry:
        with self._write() as connection:
            return self._grant(connection, beschikking, key, who)

    def _grant(
        self, connection: Connection, beschikking: Beschikking, key: str, who: Who
    ) -> PostedEntry:
        raise_if_any(rules.check_beschikking(beschikking))
        entry = bookings.grant(key, who, beschikking)
        if replay := self._replayed(connection, entry):
            return replay
        if self._exists(connection, beschikking_table.c.nummer, beschikking.nummer):
            raise LedgerError.single("beschikking_exists", f"Beschikking {beschikking.nummer} already exists.",
                                     f"Beschikking {beschikking.nummer} bestaat al.")  # fmt: skip
        deal = regio_rows.deal(connection, beschikking.deal)
        envelope = regio_rows.envelope_of_tranche(connection, deal.tranche)
        problems = rules.check_recipient(regio_rows.organisation(connection, beschikking.recipient), beschikking.nummer,
                                         beschikking.instrument)  # fmt: skip
        problems += rules.check_grant_dates(beschikking, deal, regio_rows.envelope(connection, envelope))
        if deal.withdrawn_on is not None:
            problems += rules.check_deal_open(deal, beschikking.decided_on)
        raise_if_any(problems)
        posted = self._book(
            connection, entry, chart.beschikking_accounts(beschikking, envelope, deal.tranche), who
        )
        b = beschikking
        self._insert(connection, beschikking_table, nummer=b.nummer, deal=b.deal, instrument=b.instrument.value,
                     recipient=b.recipient, currency=b.amount.currency, amount=b.amount.minor_units,
                     eur_commitment=b.eur_amount.minor_units, usd_per_eur=str(b.usd_per_eur) if b.usd_per_eur else None,
                     decided_on=b.decided_on, spending_starts_on=b.spending_starts_on,
                     spending_ends_on=b.spending_ends_on, converted_from=b.converted_from,
                     entry_id=posted.sequence)  # fmt: skip
        return posted

    # --- what happens to a beschikking ------------------------------------------------------

    def _event(self, connection: Connection, key: str, nummer: str, kind: str, on: date, who: Who,
               posted: PostedEntry | None, **values: Any) -> None:  # fmt: skip
        self._insert(connection, event_table, key=key, beschikking=nummer, kind=kind, effective_on=on,
                     actor=who.actor, reason=who.reason, recorded_at=self.clock(),
                     entry_id=posted.sequence if posted else None, **values)  # fmt: skip

    def _open_state(self, connection: Connection, nummer: str) -> BeschikkingState:
        state = regio_rows.beschikking_state(connection, nummer)
        self._check_open(state)
        return state

    @staticmethod
    def _check_open(state: BeschikkingState) -> None:
        raise_if_any(rules.check_open(state.nummer, state.settled, state.converted_to is not None))

    def pay(self, nummer: str, amount: Amount, *, on: date, key: str, who: Who) -> PostedEntry:
        """A payment (voorschot); a bare Decimal is in the beschikking's own currency."""
        with self._write() as connection:
            state = regio_rows.beschikking_state(connection, nummer)
            amount = in_currency_of(state, amount)
            entry = bookings.pay(key, who, on, state.beschikking, amount)
            if state.settled or state.converted_to is not None:  # closed: only a retry passes
                if replay := self._replayed(connection, entry):
                    return replay
                self._check_open(state)
            raise_if_any(rules.check_payment_date(state.beschikking, on))
            [(posted, new)] = book_entries_noting_new(connection, [entry], self.clock)
            if new:  # a retry found its first booking: that booking has its event already
                self._event(
                    connection, key, nummer, "payment", on, who, posted, amount=amount.minor_units
                )
        return posted

    def record_spending(
        self, nummer: str, year: int, source: FundingSource, amount: Money, *, on: date, key: str, who: Who,
        partner: str | None = None, programme_line: str | None = None,
    ) -> PostedEntry:  # fmt: skip
        with self._write() as connection:
            state = regio_rows.beschikking_state(connection, nummer)
            entry = bookings.record_spending(key, who, on, state.beschikking, year, source, amount)
            if replay := self._replayed(connection, entry):
                return replay
            self._check_open(state)  # the state read above, not a second read
            problems = self._spending_problems(connection, state, on, year, source, amount, partner)
            if (final := self._final_year(connection, nummer)) is not None:
                problems += rules.check_not_final(nummer, final)
            raise_if_any(problems)
            accounts = chart.spending_accounts(
                state.beschikking, state.envelope, state.tranche, year, source
            )
            posted = self._book(connection, entry, accounts, who)
            self._event(connection, key, nummer, "spending", on, who, posted, amount=amount.minor_units,
                        year=year, source=source.value, partner=partner, programme_line=programme_line)  # fmt: skip
        return posted

    @staticmethod
    def _spending_problems(connection: Connection, state: BeschikkingState, on: date, year: int,
                           source: FundingSource, amount: Money, partner: str | None) -> list[Problem]:  # fmt: skip
        problems = rules.check_spending(
            state.beschikking, state.spending_ends_on, on, year, source, amount
        )
        if source.is_regional:
            if partner is None:
                problems.append(rules.problem("partner_missing", "Co-financing and in-kind spending name their partner.",
                                              "Cofinanciering en bijdragen in natura noemen hun partner."))  # fmt: skip
            else:
                problems += rules.check_partner(
                    regio_rows.organisation(connection, partner), partner
                )
        return problems

    def extend(self, nummer: str, new_end: date, *, on: date, key: str, who: Who) -> date:
        """Verlenging: the spending period ends later; no money moves."""
        with self._write() as connection:
            known = connection.execute(select(event_table).where(event_table.c.key == key)).first()
            if known is not None:
                if (known.beschikking, known.kind, known.new_end_on) != (
                    nummer,
                    "extension",
                    new_end,
                ):
                    raise LedgerError.single("idempotency_conflict", f"Key {key} was used for another change.",
                                             f"Sleutel {key} is al voor een andere wijziging gebruikt.")  # fmt: skip
                return new_end
            state = self._open_state(connection, nummer)
            deal = regio_rows.deal(connection, state.beschikking.deal)
            raise_if_any(rules.check_extension(nummer, state.spending_ends_on, new_end)
                         + rules.check_extension_dates(state.beschikking, on, new_end, deal.ends_on))  # fmt: skip
            self._event(connection, key, nummer, "extension", on, who, None, new_end_on=new_end)
        return new_end

    def _stage_balances(self, connection: Connection, nummer: str) -> dict[str, Money]:
        """Balances of a beschikking's accounts by their code's stage (``paid``, ``unspent``, ...),
        with ``spent_rijk`` the Rijk spending over all years."""
        found = queries.balances(connection, dimensions=Dimensions(beschikking=nummer))
        stages: dict[str, Money] = {}
        for balance in found:
            account = chart.parse(balance.account)
            stage = account.stage
            if account.is_spending and account.source == FundingSource.RIJK.value:
                stages["spent_rijk"] = (
                    stages.get("spent_rijk", Money.zero(balance.balance.currency)) + balance.balance
                )
            else:
                stages[stage] = balance.balance
        return stages

    def settle(
        self, nummer: str, *, on: date, key: str, who: Who, ineligible: Amount | None = None,
        ambtshalve: str | None = None,
    ) -> PostedEntry:
        """Vaststelling of a SPUK or BU: eligible spending is settled, overpayment becomes a
        terugvordering, the rest of the grant lapses, and the beschikking is closed. It follows
        the eindverantwoording, or is taken ambtshalve (``ambtshalve``: why) after the spending
        period."""
        with self._write() as connection:
            known = connection.execute(select(event_table).where(event_table.c.key == key)).first()
            if known is not None:
                if (known.beschikking, known.kind) != (nummer, "settlement"):
                    raise LedgerError.single("idempotency_conflict", f"Key {key} was used for another operation.",
                                             f"Sleutel {key} is al voor een andere handeling gebruikt.")  # fmt: skip
                return load_entries(connection, ids=[known.entry_id])[0]
            state = self._open_state(connection, nummer)
            stages = self._stage_balances(connection, nummer)
            currency = state.beschikking.amount.currency
            spent = stages.get("spent_rijk", Money.zero(currency))
            ineligible = in_currency_of(state, ineligible or Money.zero(currency))
            problems = rules.check_settlement(state.beschikking, ineligible, spent)
            if not problems:
                problems = rules.check_settlement_dates(state.beschikking, on, state.spending_ends_on,
                                                        self._final_year(connection, nummer),
                                                        regio_rows.last_movement_on(connection, nummer), ambtshalve)  # fmt: skip
            raise_if_any(problems)
            granted = stages["unpaid"] + stages["paid"]
            entry = bookings.settle(key, who, on, state.beschikking, granted=granted, paid=stages["paid"],
                                    eligible=spent - ineligible, unspent=stages["unspent"])  # fmt: skip
            posted = self._book(connection, entry, [], who)
            self._event(
                connection,
                key,
                nummer,
                "settlement",
                on,
                who,
                posted,
                amount=(spent - ineligible).minor_units,
            )
            self._close_after_settlement(connection, nummer, who)
        return posted

    def _close_after_settlement(self, connection: Connection, nummer: str, who: Who) -> None:
        """After vaststelling nothing more is paid or spent: the database refuses it too."""
        with translate_database_error():
            connection.execute(
                update(account_table)
                .where(
                    account_table.c.code.in_(
                        [chart.beschikking_account(nummer, s) for s in ("unpaid", "unspent")]
                    )
                )
                .where(account_table.c.closed_at.is_(None))
                .values(closed_at=self.clock(), closed_by=who.actor)
            )

    def repay(self, nummer: str, amount: Amount, *, on: date, key: str, who: Who) -> PostedEntry:
        """A repayment of a terugvordering; a bare Decimal is in the beschikking's currency."""
        with self._write() as connection:
            state = regio_rows.beschikking_state(connection, nummer)
            amount = in_currency_of(state, amount)
            entry = bookings.repay(key, who, on, state.beschikking, amount)
            if replay := self._replayed(connection, entry):
                return replay
            raise_if_any(rules.check_repayment_date(state.beschikking, on, state.settled_on))
            posted = self._book(connection, entry, [], who)
            self._event(
                connection, key, nummer, "repayment", on, who, posted, amount=amount.minor_units
            )
        return posted

    def convert_du_to_spuk(
        self, du_nummer: str, spuk: Beschikking, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        """The DU's unpaid remainder goes back to the deal and is granted again as a new, linked
        SPUK; the DU keeps what it was paid. Both histories stay in the journal."""
        with self._write() as connection:
            if (
                replay := connection.execute(
                    select(beschikking_table.c.nummer).where(
                        beschikking_table.c.converted_from == du_nummer
                    )
                ).scalar()
            ) is not None:
                if replay != spuk.nummer:
                    raise LedgerError.single("beschikking_converted", f"DU {du_nummer} was already converted into {replay}.",
                                             f"DU {du_nummer} is al omgezet in {replay}.")  # fmt: skip
                return load_entries(connection, keys=[f"{key}:grant"])[0]
            state = self._open_state(connection, du_nummer)
            if (
                state.beschikking.instrument is not Instrument.DU
                or spuk.instrument is not Instrument.SPUK
            ):
                raise LedgerError.single("not_a_du_conversion", "Only a DU can be converted, and only into a SPUK.",
                                         "Alleen een DU kan worden omgezet, en alleen in een SPUK.")  # fmt: skip
            remaining = self._stage_balances(connection, du_nummer)["unpaid"]
            if (
                spuk.amount != remaining
                or spuk.deal != state.beschikking.deal
                or spuk.converted_from != du_nummer
            ):
                raise LedgerError.single("conversion_mismatch",
                    f"The SPUK must take over the DU's unpaid {words.money(remaining, 'en')} in the same deal, converted_from {du_nummer}.",
                    f"De SPUK moet het onbetaalde deel {words.money(remaining)} van de DU overnemen, in dezelfde deal.")  # fmt: skip
            release = bookings.release_grant(
                f"{key}:release", who, on, state.beschikking, remaining, remaining
            )
            released = self._book(connection, release, [], who)
            self._event(
                connection,
                f"{key}:release",
                du_nummer,
                "release",
                on,
                who,
                released,
                amount=remaining.minor_units,
            )
            return self._grant(connection, spuk, f"{key}:grant", who)

    def unpaid_of(self, connection: Connection, nummer: str) -> Money:
        """What of a beschikking's grant is not paid yet (what a DU→SPUK conversion takes over)."""
        return self._stage_balances(connection, nummer)["unpaid"]

    # --- regelingen ---------------------------------------------------------------------------

    def add_regeling(self, code: str, name: str, ministry: str, source: str, *, who: Who) -> dict[str, str]:
        """A regeling: the grant regulation a tranche's beschikkingen are decided under and the
        SiSa block they are accounted for in. The same details again are a retry."""
        raise_if_any(rules.check_codes(regeling=code))
        values = {"code": code, "name": name, "ministry": ministry, "source": source}
        with self._write() as connection:
            known = connection.execute(select(regeling_table).where(regeling_table.c.code == code)).first()
            if known is None:
                self._insert(connection, regeling_table, **values, actor=who.actor, recorded_at=self.clock())
            elif {k: getattr(known, k) for k in values} != values:
                raise LedgerError.single("regeling_exists", f"Regeling {code} exists with other details.",
                                         f"Regeling {code} bestaat al met andere gegevens.")  # fmt: skip
        return values

    def assign_regeling(self, tranche: str, regeling: str, *, who: Who) -> dict[str, str]:
        """Which regeling a tranche's beschikkingen follow; set once (its SiSa rows depend on it)."""
        with self._write() as connection:
            regio_rows.envelope_of_tranche(connection, tranche)
            if not self._exists(connection, regeling_table.c.code, regeling):
                raise regio_rows.not_found("regeling", regeling, "regeling")
            known = connection.execute(
                select(tranche_regeling_table.c.regeling).where(tranche_regeling_table.c.tranche == tranche)
            ).scalar()
            raise_if_any(rules.check_regeling_assignment(tranche, known, regeling))
            if known is None:
                self._insert(connection, tranche_regeling_table, tranche=tranche, regeling=regeling, actor=who.actor,
                             reason=who.reason, recorded_at=self.clock())  # fmt: skip
        return {"tranche": tranche, "regeling": regeling}

    def add_published_figure(
        self, kind: str, key: str, name: str, amount: Money, published_on: date, source: str
    ) -> None:
        with self._write() as connection:
            exists = connection.execute(
                select(figure_table.c.id).where(
                    figure_table.c.kind == kind,
                    figure_table.c.key == key,
                    figure_table.c.published_on == published_on,
                )  # fmt: skip
            ).first()
            if exists is None:
                self._insert(connection, figure_table, kind=kind, key=key, name=name, amount=amount.minor_units,
                             published_on=published_on, source=source)  # fmt: skip

    # --- accountability (SiSa) ---------------------------------------------------------------

    def mark_final(self, nummer: str, year: int, *, key: str, who: Who, organisation: str | None = None,
                   toelichting: str | None = None) -> None:  # fmt: skip
        """Eindverantwoording: ``year`` is the beschikking's last SiSa report. It locks the
        accountability: no statement replacement, no spending booked afterwards, but for the SiSa
        correction procedure. Refused without the toelichting the row then needs; a second
        eindverantwoording is refused (``already_final``)."""
        with self._write() as connection:
            if (known := self._known_event(connection, key)) is not None:
                if (known.beschikking, known.kind, known.year) != (nummer, "final", year):
                    raise self._key_used(key)
                return
            state = regio_rows.beschikking_state(connection, nummer)
            if organisation is not None and state.beschikking.recipient != organisation:
                raise regio_rows.not_found("beschikking", nummer, "beschikking")
            problems = rules.check_final(state.beschikking, year, self._final_year(connection, nummer))
            if not problems:
                why = rules.toelichting_needed(state.granted.minor_units, regio_rows.spending_cents(connection, nummer),
                                               year, final=True, currency=state.granted.currency)  # fmt: skip
                given = toelichting or regio_rows.toelichting(connection, nummer, year)
                problems = rules.check_toelichting_given(nummer, year, why, given)
            raise_if_any(problems)
            self._event(connection, key, nummer, "final", date(year, 12, 31), who, None, year=year)
            if toelichting:
                self._event(connection, f"{key}:toelichting", nummer, "toelichting", date(year, 12, 31),
                            Who(who.actor, toelichting), None, year=year)  # fmt: skip

    def add_toelichting(self, nummer: str, year: int, text: str, *, key: str, who: Who,
                        submitted: Callable[[Connection], bool], organisation: str | None = None) -> None:  # fmt: skip
        """A toelichting for a beschikking's SiSa row of ``year`` (the latest counts), until that
        row is submitted (``submitted`` answers that inside this transaction; SiSa owns the
        submissions, see ``sisa.service.add_toelichting``); after that it changes through the
        SiSa correction procedure."""
        with self._write() as connection:
            if (known := self._known_event(connection, key)) is not None:
                if (known.beschikking, known.kind, known.year, known.reason) != (nummer, "toelichting", year, text):
                    raise self._key_used(key)
                return
            state = regio_rows.beschikking_state(connection, nummer)
            if organisation is not None and state.beschikking.recipient != organisation:
                raise regio_rows.not_found("beschikking", nummer, "beschikking")
            problems = rules.check_accountable(state.beschikking)
            if submitted(connection):
                problems.append(rules.problem("already_submitted", f"The {year} row of {nummer} was submitted; its toelichting no "
                                              "longer changes (use the SiSa correction procedure).",
                                              f"De regel {year} van {nummer} is ingezonden; de toelichting verandert niet meer "
                                              "(gebruik de SiSa-correctieprocedure)."))  # fmt: skip
            raise_if_any(problems)
            self._event(connection, key, nummer, "toelichting", date(year, 12, 31), Who(who.actor, text), None, year=year)

    @staticmethod
    def _known_event(connection: Connection, key: str) -> Any:
        return connection.execute(select(event_table).where(event_table.c.key == key)).first()

    @staticmethod
    def _key_used(key: str) -> LedgerError:
        return LedgerError.single("idempotency_conflict", f"Key {key} was used for another change.",
                                  f"Sleutel {key} is al voor een andere wijziging gebruikt.")  # fmt: skip

    @staticmethod
    def _final_year(connection: Connection, nummer: str) -> int | None:
        return connection.execute(
            select(event_table.c.year).where(
                event_table.c.beschikking == nummer, event_table.c.kind == "final"
            )
        ).scalar()
