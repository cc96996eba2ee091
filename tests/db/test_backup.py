"""Backup and restore on both databases: the restored ledger verifies, has the same last hash,
and reconciles to exactly the same figures as the original."""

import uuid
from datetime import date

import pytest
from typer.testing import CliRunner

from api.cli.main import app
from api.demo import load_demo
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import load_snapshot
from reports.reconciliation import build_tranche_reconciliation
from reports.render import to_json

runner = CliRunner()


def reconciliation(url: str) -> str:
    service = LedgerService.from_url(url)
    with UnitOfWork(service.engine) as uow:
        snapshot = load_snapshot(uow.connection, date(2026, 1, 1))
    service.engine.dispose()
    return to_json(build_tranche_reconciliation(snapshot), illustrative=snapshot.illustrative)


@pytest.fixture
def empty_target(request, database_url, tmp_path):
    """An empty database of the same kind (no tables, not even migrated)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"regioledger_restore_{uuid.uuid4().hex[:8]}"
    yield server.create(name)
    server.drop(name)


def test_a_restored_backup_verifies_and_reconciles_exactly_like_the_original(
    ledger, database_url, empty_target, tmp_path
):
    load_demo(RegioService(ledger.engine))
    original = ledger.verify()
    file = tmp_path / "ledger.backup"
    made = runner.invoke(app, ["backup", "--out", str(file), "--database", database_url])
    assert made.exit_code == 0, made.output
    restored = runner.invoke(app, ["restore", str(file), "--database", empty_target])
    assert restored.exit_code == 0, restored.output
    assert "OK" in restored.output
    copy = LedgerService.from_url(empty_target).verify()
    assert copy.ok and (copy.entries_checked, copy.last_hash) == (
        original.entries_checked,
        original.last_hash,
    )
    assert reconciliation(empty_target) == reconciliation(database_url)
    again = runner.invoke(app, ["restore", str(file), "--database", empty_target])
    assert again.exit_code == 1 and "restore_target_not_empty" in again.output
    twice = runner.invoke(app, ["backup", "--out", str(file), "--database", database_url])
    assert twice.exit_code == 1 and "backup_exists" in twice.output
