"""The Rijksbegroting's writes: a budget article (with the tranches it pays), a budget mutation
booked as one entry, and the reversal of a mutation booked wrong. Each is dated, sourced,
booked once per key and refused in the domain's words; the database keeps every budget cell
from going below zero on any date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select

from ledger.clock import today
from ledger.dates import not_after_today
from ledger.db.rows import load_entries
from ledger.errors import LedgerError, raise_if_any
from ledger.posted import PostedEntry
from ledger.regio import begroting
from ledger.regio.begroting import Article, Mutation, MutationKind
from ledger.regio.db import records
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.begroting_tables import article_table, article_tranche_table, mutation_table
from ledger.regio.db.writer import Writer
from ledger.regio.model import Who
from ledger.regio.rules.common import check_codes
from ledger.said import said


class BegrotingOperations(Writer):
    """Budget articles and the mutations of their budget per year."""

    def open_article(self, article: Article, *, who: Who) -> Article:
        """A budget article, named by its source; opening the same article again changes
        nothing, another article under its code is refused."""
        raise_if_any(check_codes(article=article.code, **_tranche_codes(article)))
        if not who.source_document:
            raise LedgerError.single(
                "article_without_source",
                said("Name the source that publishes article {article}.", article=article.code),
            )
        with self._write() as connection:
            known = connection.execute(
                select(article_table).where(article_table.c.code == article.code)
            ).first()
            if known is not None:
                return _same_article(connection, known, article)
            records.write_row(
                connection,
                article_table,
                code=article.code,
                ministry=article.ministry,
                chapter=article.chapter,
                number=article.number,
                sub_article=article.sub_article,
                name=article.name,
                source=who.source_document,
                actor=who.actor,
                recorded_at=self.clock(),
            )
            for tranche in article.tranches:
                self._pay_tranche(connection, article.code, tranche, who)
        return article

    def _pay_tranche(self, connection: Connection, article: str, tranche: str, who: Who) -> None:
        regio_rows.envelope_of_tranche(connection, tranche)  # refuses an unknown tranche
        paid_by = connection.execute(
            select(article_tranche_table.c.article).where(
                article_tranche_table.c.tranche == tranche
            )
        ).scalar()
        if paid_by is not None:
            raise LedgerError.single(
                "tranche_on_other_article",
                said(
                    "Tranche {tranche} is paid from article {other} already; a tranche is "
                    "paid from one article.",
                    tranche=tranche,
                    other=paid_by,
                ),
            )
        records.write_row(
            connection,
            article_tranche_table,
            tranche=tranche,
            article=article,
            actor=who.actor,
            recorded_at=self.clock(),
        )

    def record_budget_mutation(self, mutation: Mutation, *, key: str, who: Who) -> PostedEntry:
        """A change of an article's budget per year (the budget as enacted, an overboeking
        with its cash series, a kasschuif, a loon- en prijsbijstelling): one entry."""
        raise_if_any(check_mutation_now(mutation))
        entry = begroting.book_mutation(key, who, mutation)
        with self._write() as connection:
            if replay := records.replayed(connection, entry):
                return replay
            for code in filter(None, (mutation.article, mutation.from_article)):
                _known_article(connection, code)
            posted = self._book(connection, entry, begroting.accounts_of(mutation), who)
            self._keep(connection, key, mutation, posted, reverses=None)
        return posted

    def reverse_budget_mutation(
        self, reverses: str, *, on: date, key: str, who: Who
    ) -> PostedEntry:
        """A budget mutation booked wrong, reversed in full by its mirror entry, dated
        ``on``; the mutation itself stays as it was booked."""
        raise_if_any(not_after_today("The reversal", on, today()))
        with self._write() as connection:
            original = connection.execute(
                select(mutation_table).where(mutation_table.c.key == reverses)
            ).first()
            if original is None or original.kind == MutationKind.REVERSAL:
                raise LedgerError.single(
                    "budget_mutation_not_found",
                    said("There is no budget mutation {key} to reverse.", key=reverses),
                )
            [booked] = load_entries(connection, keys=[reverses])
            name = f"Reversal of {original.name}"
            entry = begroting.reversal_of(booked, key, who, on, name)
            if replay := records.replayed(connection, entry):
                return replay
            if on < original.effective_on:
                raise LedgerError.single(
                    "reversal_before_mutation",
                    said(
                        "The reversal is dated {on}, before the mutation {key} it reverses "
                        "({original}).",
                        on=on,
                        key=reverses,
                        original=original.effective_on,
                    ),
                )
            posted = self._book(connection, entry, [], who)
            kept = Mutation(
                MutationKind.REVERSAL, original.article, name, on, (), original.from_article
            )
            self._keep(connection, key, kept, posted, reverses=reverses)
        return posted

    def _keep(
        self,
        connection: Connection,
        key: str,
        mutation: Mutation,
        posted: PostedEntry,
        reverses: str | None,
    ) -> None:
        records.write_row(
            connection,
            mutation_table,
            key=key,
            kind=mutation.kind.value,
            article=mutation.article,
            from_article=mutation.from_article,
            name=mutation.name,
            effective_on=mutation.on,
            reverses=reverses,
            entry_id=posted.sequence,
        )


def check_mutation_now(mutation: Mutation) -> list:
    return begroting.check_mutation(mutation) + not_after_today(
        "The budget mutation", mutation.on, today()
    )


def _tranche_codes(article: Article) -> dict[str, str]:
    return {f"tranche {i + 1}": t for i, t in enumerate(article.tranches)}


def _known_article(connection: Connection, code: str) -> None:
    if connection.execute(select(article_table.c.code).where(article_table.c.code == code)).first():
        return
    raise LedgerError.single(
        "article_not_found",
        said(
            "There is no budget article {article}; open it first (regioledger begroting "
            "article add).",
            article=code,
        ),
    )


def _same_article(connection: Connection, known: object, article: Article) -> Article:
    tranches = connection.execute(
        select(article_tranche_table.c.tranche).where(
            article_tranche_table.c.article == article.code
        )
    ).scalars()
    same = (
        known.ministry == article.ministry  # type: ignore[attr-defined]
        and known.chapter == article.chapter  # type: ignore[attr-defined]
        and known.number == article.number  # type: ignore[attr-defined]
        and known.name == article.name  # type: ignore[attr-defined]
        and sorted(tranches) == sorted(article.tranches)
    )
    if same:
        return article
    raise LedgerError.single(
        "article_exists",
        said(
            "Article {article} exists with other details; a budget article is written once.",
            article=article.code,
        ),
    )
