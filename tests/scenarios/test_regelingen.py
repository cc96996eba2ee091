"""A beschikking knows the regeling it was decided under, on SQLite and PostgreSQL: written at
its grant (its tranche's, or the one it names; a SPUK converted from a DU names its own), never
changed, and the SiSa block it is accounted for in."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from ledger.db.service import LedgerService
from ledger.errors import LedgerError
from ledger.regio.db.regeling_tables import beschikking_regeling_table
from ledger.regio.db.service import RegioService
from ledger.regio.model import Instrument
from ledger.regio.regelingen import Regeling
from sisa.service import regelingen_with_rows
from tests.scenarios.flow import (
    OFFICER,
    build_world,
    eur,
    saba_beschikking,
    saba_deal,
    zwolle_beschikking,
    zwolle_deal,
)
from tests.unit.regio.test_regelingen import BESLUIT as UNIT_BESLUIT

#: Tranche 5's regeling, in force from after the deal was signed (1 July 2024).
BESLUIT = replace(UNIT_BESLUIT, starts_on=date(2024, 8, 1), ends_on=None)
TRANCHE_3 = Regeling("RD-T3", "Derde tranche", "Ministerie van BZK (nu VRO)", "Stcrt. 2020, 14351")


@pytest.fixture
def regio(ledger: LedgerService) -> RegioService:
    service = RegioService(ledger.engine)
    build_world(service)
    service.add_regeling(BESLUIT, who=OFFICER)
    service.add_regeling(TRANCHE_3, who=OFFICER)
    service.assign_regeling("T5", "RD-BZK", who=OFFICER)
    service.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    return service


def decided_under(regio: RegioService) -> dict[str, str]:
    c = beschikking_regeling_table.c
    with regio.engine.connect() as connection:
        return dict(connection.execute(select(c.nummer, c.regeling)).all())


def test_a_grant_records_its_tranches_regeling_or_the_one_it_names(regio):
    regio.grant(zwolle_beschikking(amount=eur("20000000.00")), key="grant-1", who=OFFICER)
    regio.grant(
        zwolle_beschikking(nummer="RD-2024-002", amount=eur("1.00"), regeling="RD-T3"),
        key="grant-2",
        who=OFFICER,
    )
    assert decided_under(regio) == {"RD-2024-001": "RD-BZK", "RD-2024-002": "RD-T3"}
    assert regelingen_with_rows(regio.engine, 2025) == ["RD-BZK", "RD-T3"]  # a block each


def test_a_decision_before_the_regeling_or_of_an_instrument_it_does_not_cover_is_refused(regio):
    early = zwolle_beschikking(decided_on=date(2024, 7, 31), spending_starts_on=date(2024, 7, 31))
    with pytest.raises(LedgerError) as refused:
        regio.grant(early, key="early", who=OFFICER)
    assert refused.value.code == "regeling_period" and "2024-08-01" in str(refused.value)
    du = zwolle_beschikking(instrument=Instrument.DU, regeling="RD-BZK")
    with pytest.raises(LedgerError) as refused:
        regio.grant(du, key="du", who=OFFICER)
    assert refused.value.code == "regeling_instrument"
    with pytest.raises(LedgerError) as refused:
        regio.grant(zwolle_beschikking(regeling="RD-NONE"), key="none", who=OFFICER)
    assert refused.value.code == "regeling_not_found"
    assert decided_under(regio) == {}  # nothing half-written


def test_a_bu_follows_no_spuk_regeling_and_a_converted_spuk_names_its_own(regio):
    regio.sign_deal(saba_deal(), key="sign-saba", who=OFFICER)
    regio.grant(saba_beschikking(), key="grant-bu", who=OFFICER)
    du = zwolle_beschikking(nummer="DU-1", instrument=Instrument.DU, amount=eur("1000.00"))
    regio.grant(du, key="grant-du", who=OFFICER)  # the tranche's SPUK regeling covers no DU
    regio.pay("DU-1", eur("400.00"), on=date(2024, 10, 1), key="pay-du", who=OFFICER)
    spuk = zwolle_beschikking(
        nummer="SPUK-1",
        amount=eur("600.00"),
        decided_on=date(2024, 11, 1),
        spending_starts_on=date(2024, 11, 1),
        converted_from="DU-1",
        regeling="RD-T3",
    )
    regio.convert_du_to_spuk("DU-1", spuk, on=date(2024, 11, 1), key="convert", who=OFFICER)
    assert decided_under(regio) == {"SPUK-1": "RD-T3"}


def test_the_regeling_a_beschikking_was_decided_under_is_never_changed(regio, ledger):
    regio.grant(zwolle_beschikking(), key="grant-1", who=OFFICER)
    for statement in (
        "UPDATE beschikking_regeling SET regeling = 'RD-T3'",
        "DELETE FROM beschikking_regeling",
    ):
        with pytest.raises(DBAPIError), ledger.engine.begin() as connection:
            connection.execute(text(statement))
    assert decided_under(regio) == {"RD-2024-001": "RD-BZK"}
