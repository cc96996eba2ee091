"""SiSa for one beschikking over four years: co-financing and in kind, a correcting statement
after an export, eindverantwoording and vaststelling with underspending. Every cell checked."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import text

from api.demo import load_demo
from api.statements.service import import_statement
from ledger.db.service import LedgerService
from ledger.regio.db.service import RegioService
from ledger.regio.model import FundingSource as Source
from ledger.regio.model import Who
from ledger.rounding import round_half_away_from_zero
from sisa.explain import movement_schedule
from sisa.service import add_toelichting, export_sisa, submit_sisa
from tests.scenarios.flow import OFFICER, build_world, eur, zwolle_beschikking, zwolle_deal
from tests.statements.builders import openpyxl_workbook
from tests.support import writers_held_off

NUMMER = "RD-2024-001"
REGION = Who("GM-ZWOLLE", "opgave")

#: A beschikking over four years, exported year by year: today is after its spending period.
pytestmark = pytest.mark.today("2029-06-30")


@pytest.fixture
def regio(ledger: LedgerService) -> RegioService:
    service = RegioService(ledger.engine)
    build_world(service)
    service.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    service.grant(
        zwolle_beschikking(), key="grant", who=OFFICER
    )  # 30,000,000.00, 2024-09-01 .. 2027-12-31
    service.pay(NUMMER, eur("20000000.00"), on=date(2024, 9, 15), key="pay", who=OFFICER)
    spending = [  # year, source, amount, partner
        (2024, Source.RIJK, "1000000.49", None),
        (2024, Source.COFINANCIERING_PUBLIEK, "500000.50", "PV-OVERIJSSEL"),
        (2025, Source.RIJK, "6000000.50", None),
        (2025, Source.IN_NATURA, "250000.00", "BEDRIJF-X"),
        (2026, Source.RIJK, "7000000.00", None),
        (2026, Source.COFINANCIERING_PRIVAAT, "900000.00", "BEDRIJF-X"),
        (2027, Source.RIJK, "3000000.00", None),
    ]
    for number, (year, source, amount, partner) in enumerate(spending):
        service.record_spending(
            NUMMER,
            year,
            source,
            eur(amount),
            on=date(year, 10, 1),
            key=f"s{number}",
            who=OFFICER,
            partner=partner,
        )
    return service


def rows_of(content: bytes) -> dict[str, list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return {row[1]: list(row) for row in sheet.iter_rows(min_row=8, values_only=True)}


EXPECTED = {  # /02, /03, /04, /05, /07, /08, /09 per year, in whole euros, half away from zero
    2024: [1000000, 500001, 0, 0, 1000000, 500001, "Nee"],
    2025: [6000001, 0, 0, 250000, 7000001, 750001, "Nee"],
    2026: [7000000, 0, 900000, 0, 14000001, 1650001, "Nee"],
}


def test_each_year_every_cell(regio, ledger):
    """Regional money of the year public (/03) and private (/04) apart, in kind (/05) apart."""
    for year, (rijk, public, private, in_kind, rijk_cum, regional_cum, final) in EXPECTED.items():
        content, export = export_sisa(ledger.engine, year, "xlsx")
        assert content is not None, export.problems
        assert rows_of(content)[NUMMER] == [
            "GM-ZWOLLE",
            NUMMER,
            rijk,
            public,
            private,
            in_kind,
            NUMMER,
            rijk_cum,
            regional_cum,
            final,
            None,
        ]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert [c.value for c in sheet[5]][1:3] == ["RD/01", "RD/02"]
    assert [c.value for c in sheet[7]][1:4] == ["n.v.t.", "R", "R"]


def test_a_correction_after_a_submission_produces_the_correction_table(regio, ledger):
    submit_sisa(ledger.engine, 2025, "xlsx", actor="fo")
    regio.correct_final_year(  # the submitted year changes only by the correction procedure
        NUMMER,
        2025,
        Source.RIJK,
        eur("-100000.50"),
        on=date(2029, 6, 1),
        key="fix",
        who=Who("fo", "factuur dubbel geboekt"),
    )
    content, export = export_sisa(ledger.engine, 2025, "xlsx")
    corrections = [(c.indicator, c.was, c.wordt, c.reden) for c in export.corrections]
    assert corrections == [
        ("RD/02", 6000001, 5900000, "factuur dubbel geboekt"),
        ("RD/07", 7000001, 6900000, "factuur dubbel geboekt"),
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Correcties"]
    assert [c.value for c in sheet[1]] == [
        "Nr",
        "Indicatornummer",
        "Beschikkingsnummer",
        "was",
        "wordt",
        "reden",
    ]
    assert sheet.max_row == 3


def test_eindverantwoording_needs_a_toelichting_when_it_differs_and_locks_the_beschikking(
    regio, ledger
):
    from ledger.errors import LedgerError

    with pytest.raises(
        LedgerError
    ) as missing:  # cumulative Rijk 17,000,000.99 differs from the 30,000,000 granted
        regio.mark_final(NUMMER, 2027, key="final", who=REGION, organisation="GM-ZWOLLE")
    assert missing.value.code == "toelichting_required"
    assert "€ 17.000.000,99" in missing.value.problems[0].message_nl.replace("\xa0", " ")
    add_toelichting(
        ledger.engine, NUMMER, 2027, "Onderbesteding: twee projecten vervielen", key="t", who=REGION
    )
    regio.mark_final(NUMMER, 2027, key="final", who=REGION, organisation="GM-ZWOLLE")
    content, export = export_sisa(ledger.engine, 2027, "xlsx")
    assert rows_of(content)[NUMMER][9:] == ["Ja", "Onderbesteding: twee projecten vervielen"]
    assert export_sisa(ledger.engine, 2028, "json")[1].rows == []  # no row after eindverantwoording
    with pytest.raises(LedgerError) as refused:
        regio.record_spending(
            NUMMER, 2027, Source.RIJK, eur("1.00"), on=date(2027, 11, 1), key="late", who=OFFICER
        )
    assert refused.value.code == "year_final"
    regio.settle(
        NUMMER,
        on=date(2028, 3, 1),
        key="settle",
        who=OFFICER,
        cofinancing_exception="de cofinanciering staat buiten deze toets van de SiSa-bijlage",
    )
    assert (
        ledger.balance(f"beschikking:{NUMMER}:settled").balance.amount == eur("17000000.99").amount
    )
    assert (
        ledger.balance(f"beschikking:{NUMMER}:recoverable").balance.amount
        == eur("2999999.01").amount
    )
    assert ledger.verify().ok


def test_the_movement_schedule_ties_out_to_the_sisa_figures(regio, ledger):
    schedule = {m.nummer: m for m in movement_schedule(ledger.engine, 2025)}
    m = schedule[NUMMER]
    assert (m.opening.amount, m.received.amount, m.spent.amount, m.repaid.amount) == (
        eur("18999999.51").amount,
        0,
        eur("6000000.50").amount,
        0,
    )
    assert m.closing == m.opening + m.received - m.spent - m.repaid
    _, export = export_sisa(ledger.engine, 2025, "json")
    assert round_half_away_from_zero(m.spent.minor_units) == next(
        r.rijk_year for r in export.rows if r.nummer == NUMMER
    )


def test_formula_injection_is_neutralised_in_xlsx_and_csv(regio, ledger):
    add_toelichting(
        ledger.engine, NUMMER, 2025, '=HYPERLINK("http://example.invalid","x")', key="t", who=REGION
    )
    content, _ = export_sisa(ledger.engine, 2025, "xlsx")
    cell = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]["K8"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://example.invalid","x")', "s")
    content, _ = export_sisa(ledger.engine, 2025, "csv")
    row = next(
        r
        for r in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
        if NUMMER in r
    )
    assert row[-1] == '\'=HYPERLINK("http://example.invalid","x")'


def test_du_never_appears_and_the_bu_has_its_own_export(ledger):
    regio = RegioService(ledger.engine)
    load_demo(regio)
    spuk, export = export_sisa(ledger.engine, 2025, "json", regeling="RD-BZK")
    assert spuk is not None and export.rows
    assert all(not r.nummer.startswith(("RD-T5-SABA", "RD-T5-SINT")) for r in export.rows)
    bu, islands = export_sisa(ledger.engine, 2025, "json", instrument="BU")
    assert {r.nummer for r in islands.rows} == {
        "RD-T5-SABA-1",
        "RD-T5-SINT-EUSTATIUS-1",
        "RD-T6-BONAIRE-1",
    }
    with ledger.engine.connect() as connection:  # previews record nothing
        recorded = connection.execute(text("SELECT count(*) FROM sisa_submission")).scalar()
    assert recorded == 0


def test_statement_lines_are_behind_the_figure(regio, ledger):
    from ledger.db.unit_of_work import UnitOfWork
    from sisa import db as sisa_store

    rows = [["RD-2024-001", "01-03-2026", "Factuur", "Rijk", "100,00", None, None, "X1"]]
    import_statement(
        ledger.engine,
        NUMMER,
        2026,
        openpyxl_workbook(rows),
        filename="o.xlsx",
        uploader="GM-ZWOLLE",
    )
    with UnitOfWork(ledger.engine) as uow:
        found = sisa_store.explain(uow.connection, NUMMER, 2026, ("rijk",), False)
    assert found["cents"] == 700010000
    assert [line["reference"] for line in found["statement_lines"]] == ["X1"]
    assert len(found["bookings"]) == 2


def test_a_correction_after_a_submitted_statement_is_listed_as_a_correction(regio, ledger):
    first = [
        ["RD-2024-001", "01-03-2026", "Factuur", "Rijk", "1.000,00", None, None, "X1"],
        ["RD-2024-001", "01-04-2026", "Uren", "In natura", "500,00", "Bedrijf X", None, "X2"],
    ]
    import_statement(
        ledger.engine,
        NUMMER,
        2026,
        openpyxl_workbook(first),
        filename="a.xlsx",
        uploader="GM-ZWOLLE",
    )
    before, _ = export_sisa(ledger.engine, 2026, "xlsx")
    assert rows_of(before)[NUMMER][2:6] == [
        7001000,
        0,
        900000,
        500,
    ]  # rijk, public, private, in kind
    submit_sisa(ledger.engine, 2026, "xlsx", actor="fo")
    corrected = [
        first[0],
        ["RD-2024-001", "01-04-2026", "Uren", "In natura", "750,00", "Bedrijf X", None, "X2"],
    ]
    result = import_statement(
        ledger.engine,
        NUMMER,
        2026,
        openpyxl_workbook(corrected),
        filename="b.xlsx",
        uploader="GM-ZWOLLE",
    )
    assert result.booked is None and [p.code for p in result.problems] == ["year_submitted"]
    regio.correct_final_year(  # what the replacement would have said, as a correction
        NUMMER,
        2026,
        Source.IN_NATURA,
        eur("250.00"),
        on=date(2029, 6, 1),
        key="uren",
        who=Who("fo", "uren Bedrijf X te laag opgegeven"),
        partner="Bedrijf X",
    )
    after, export = export_sisa(ledger.engine, 2026, "xlsx")
    assert [(c.indicator, c.was, c.wordt) for c in export.corrections] == [
        ("RD/05", 500, 750),
        ("RD/08", 1650501, 1650751),
    ]
    assert all("te laag opgegeven" in c.reden for c in export.corrections)


def test_spending_booked_while_the_export_reads_is_in_none_of_its_figures(
    regio, ledger, monkeypatch
):
    """The export reads the account totals, then sums the postings to check them; spending
    booked in between must not make the two disagree (which would leave the region out)."""
    from sisa import db as sisa_store

    before, _ = export_sisa(ledger.engine, 2025, "xlsx")
    read_postings = sisa_store.journal_cumulative

    def booked_meanwhile(connection, year, known):  # noqa: ANN001, ANN202
        regio.record_spending(
            NUMMER,
            2025,
            Source.RIJK,
            eur("1000.00"),
            on=date(2025, 11, 1),
            key="meanwhile",
            who=OFFICER,
        )
        return read_postings(connection, year, known)

    monkeypatch.setattr(sisa_store, "journal_cumulative", booked_meanwhile)
    content, export = export_sisa(ledger.engine, 2025, "xlsx")
    assert content is not None, export.problems
    assert rows_of(content) == rows_of(before)
    monkeypatch.undo()
    after, _ = export_sisa(ledger.engine, 2025, "xlsx")
    assert rows_of(after)[NUMMER][2] == rows_of(before)[NUMMER][2] + 1000


def test_a_submission_builds_its_rows_while_no_one_else_can_write(regio, ledger, monkeypatch):
    """From the portal and the command line (no caller's transaction) a submission queues behind
    the writers before it builds its rows: a toelichting or a statement accepted meanwhile is
    in the frozen file, or comes after it, never accepted and left out."""
    from sisa import db as sisa_store

    assert not writers_held_off(ledger.engine)
    held_off = []
    read_postings = sisa_store.journal_cumulative

    def while_building(connection, year, known):  # noqa: ANN001, ANN202
        held_off.append(writers_held_off(ledger.engine))
        return read_postings(connection, year, known)

    monkeypatch.setattr(sisa_store, "journal_cumulative", while_building)
    result = submit_sisa(ledger.engine, 2025, "xlsx", actor="officer")
    assert [s.recipient for s in result.submitted] == ["GM-ZWOLLE"]
    assert held_off and all(held_off)
    assert not writers_held_off(ledger.engine)
