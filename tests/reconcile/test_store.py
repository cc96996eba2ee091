"""A kept reconciliation is append-only in the database itself, on both databases: the answer
and the file as they were given, never changed or removed afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.reconcile.service import Scope, reconcile_file
from api.reconcile.store import kept
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.service import RegioService
from tests.scenarios.flow import zwolle_world

RECORD = (
    b"Beschikkingsnummer;Soort;Datum;Bedrag\nRD-2024-001;verplichting;01-09-2024;30.000.000,00\n"
)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE reconciliation SET answer = '{}'", "DELETE FROM reconciliation"],
)
def test_a_kept_reconciliation_cannot_be_changed(ledger: LedgerService, statement):
    zwolle_world(RegioService(ledger.engine))
    with UnitOfWork(ledger.engine, write=True) as uow:
        made = reconcile_file(uow.connection, RECORD, "kas.csv", "fo", Scope())
        uow.commit()
    assert made.answer["counts"]["matched"] == 1
    with pytest.raises(DBAPIError) as refused, ledger.engine.begin() as connection:
        connection.execute(text(statement))
    assert "entry_immutable" in str(refused.value) or "refused" in str(refused.value)
    with UnitOfWork(ledger.engine) as uow:
        assert kept(uow.connection, made.id).answer == made.answer
