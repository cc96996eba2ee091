"""A region's whole yearly round in a real headless Chromium (Debian's package, driven by
Playwright) against a running server, with the workbooks LibreOffice wrote
(``tests/api/fixtures/``): sign in, download the template, hand in the faulty workbook and see
every problem with its row, download it marked, hand in the fixed one and see it booked, the
same file again, another file only after confirming it replaces the first, withdraw it, write
the toelichting, make the eindverantwoording, preview and submit the SiSa rows; then an auditor
sees the submission, and a finance officer reconciles the ministry's file; on SQLite and on
PostgreSQL. axe-core runs on
every page and finds no violation of any impact (WCAG 2.1 AA). Without chromium the tests
fail in CI and are skipped on a developer's machine."""

from __future__ import annotations

import os
import re
from io import BytesIO
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from api.http.users import add_user
from ledger.regio.db.service import RegioService
from tests import server as server_process
from tests.scenarios.flow import zwolle_world
from tests.statements.builders import GOOD_ROWS, openpyxl_workbook
from tests.web.browser import accessible, launched, require_chromium

FIXTURES = Path(__file__).parent.parent / "api" / "fixtures"
NUMMER, YEAR = "RD-2024-001", 2025
LIMIT = 1024 * 1024  # the server's upload limit in this test: 1 MB

require_chromium("portal tests")

from playwright.sync_api import Page  # noqa: E402


@pytest.fixture
def server(ledger, database_url: str):
    """A served ledger with deal Zwolle II and its beschikking, on SQLite and on PostgreSQL."""
    engine = ledger.engine
    zwolle_world(RegioService(engine), paid="1000000.00")
    tokens = {
        "finance": add_user(engine, "financien", "finance"),
        "auditor": add_user(engine, "accountant", "auditor"),
        "region": add_user(engine, "zwolle", "region", "GM-ZWOLLE"),
        "other": add_user(engine, "overijssel", "region", "PV-OVERIJSSEL"),
    }
    before = os.environ.get("REGIOLEDGER_STATEMENT_MAX_FILE_BYTES")
    os.environ["REGIOLEDGER_STATEMENT_MAX_FILE_BYTES"] = str(LIMIT)
    try:
        process, base = server_process.start(database_url)
    finally:
        if before is None:
            os.environ.pop("REGIOLEDGER_STATEMENT_MAX_FILE_BYTES")
        else:
            os.environ["REGIOLEDGER_STATEMENT_MAX_FILE_BYTES"] = before
    yield base, tokens
    server_process.stop(process)


@pytest.fixture(scope="module")
def browser():
    yield from launched()


def signed_in(browser, base: str, token: str, lang: str = "nl") -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(f"{base}/dashboard?lang={lang}")
    accessible(page)  # the sign-in page
    page.fill("#token", token)
    return submit(page, "button[type=submit]")


def hand_in(page: Page, path: Path, replace: bool = False) -> Page:
    page.set_input_files("#file", str(path))
    if replace:
        page.check("#replace")
    return submit(page, "form[enctype] button[type=submit]")


def submit(page: Page, selector: str) -> Page:
    """Click a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)
    return accessible(page)


def downloaded(page: Page, selector: str) -> bytes:
    with page.expect_download() as download:
        page.click(selector)
    return Path(download.value.path()).read_bytes()


def year_page(page: Page, base: str, lang: str = "nl") -> Page:
    page.goto(f"{base}/dashboard/beschikkingen/{NUMMER}/{YEAR}?lang={lang}")
    return accessible(page)


def test_a_regions_whole_round_in_the_browser(server, browser, tmp_path):
    base, tokens = server
    page = signed_in(browser, base, tokens["region"])
    assert "/dashboard/beschikkingen" in page.url
    row = page.locator(f"tr[data-beschikking='{NUMMER}']")
    assert row.locator(f"li[data-year='{YEAR}']").get_attribute("data-status") == "missing"
    submit(page, f"tr[data-beschikking='{NUMMER}'] li[data-year='{YEAR}'] a")
    assert page.locator("[data-status]").first.get_attribute("data-status") == "missing"

    # the template, with the beschikkingsnummer filled in
    template = load_workbook(BytesIO(downloaded(page, "#template")))
    assert NUMMER in [c.value for r in template.active.iter_rows() for c in r]

    # the faulty workbook: every problem with its row, in Dutch; the marked workbook back
    hand_in(page, FIXTURES / "libreoffice-with-errors.xlsx")
    assert page.locator("#outcome").get_attribute("data-outcome") == "refused"
    problems = page.locator("table.problems tr[data-code]")
    found = sorted(
        (problems.nth(i).get_attribute("data-code"), problems.nth(i).get_attribute("data-cell"))
        for i in range(problems.count())
    )
    assert found == [("too_many_decimals", "E2"), ("unknown_source", "D3")]
    assert "decimalen" in page.locator("table.problems").inner_text()
    marked = load_workbook(BytesIO(downloaded(page, "#marked")))
    statement_sheet = next(name for name in marked.sheetnames if name != "Fouten")
    assert marked[statement_sheet]["E2"].comment is not None  # the bad cell, marked
    assert {row[2] for row in marked["Fouten"].iter_rows(min_row=2, values_only=True)} == {
        "E2",
        "D3",
    }

    # the same workbook from the English page: the problems in English
    year_page(page, base, "en")
    hand_in(page, FIXTURES / "libreoffice-with-errors.xlsx")
    assert "decimals" in page.locator("table.problems").inner_text()

    # the fixed one is booked with its totals per funding source; the same file again changes nothing
    year_page(page, base)
    hand_in(page, FIXTURES / "libreoffice-fixed.xlsx")
    assert page.locator("#outcome").get_attribute("data-outcome") == "booked"
    assert "12.345,67" in page.locator("tr[data-source='rijk']").inner_text()
    assert "5.000,00" in page.locator("tr[data-source='cofinanciering_publiek']").inner_text()
    year_page(page, base)
    hand_in(page, FIXTURES / "libreoffice-fixed.xlsx")
    assert "niets veranderd" in page.locator("#outcome").inner_text()

    # another file replaces it only after the page says so and the user confirms
    other = tmp_path / "ander-overzicht.xlsx"
    other.write_bytes(openpyxl_workbook([list(r) for r in GOOD_ROWS]))
    year_page(page, base)
    hand_in(page, other)
    assert page.locator("#file-error").is_visible()
    assert page.locator("#replace-note").is_visible()
    hand_in(page, other, replace=True)
    assert page.locator("#outcome").get_attribute("data-outcome") == "booked"

    # the history: every statement, the original downloadable; withdraw the replacement
    year_page(page, base)
    history = page.locator("table.history tr[data-statement]")
    statuses = [history.nth(i).get_attribute("data-status") for i in range(history.count())]
    assert statuses == ["refused", "refused", "replaced", "booked"]
    original = downloaded(page, "table.history tr[data-status='replaced'] a")
    assert original == (FIXTURES / "libreoffice-fixed.xlsx").read_bytes()
    booked = page.locator("table.history tr[data-status='booked']")
    booked.locator("input[name=reason]").fill("Verkeerde versie ingeleverd")
    submit(page, "table.history tr[data-status='booked'] button")
    assert page.locator(".done").is_visible()
    assert page.locator("table.history tr[data-status='withdrawn']").count() == 1
    hand_in(page, other)  # handed in again after the withdrawal: no earlier one to replace
    assert page.locator("#outcome").get_attribute("data-outcome") == "booked"

    # the toelichting, with the rule in words; then the eindverantwoording, confirmed
    year_page(page, base)
    assert "verplicht" in page.locator("#toelichting-rule").inner_text()
    page.fill("#toelichting", "Het project loopt door in 2026; de rest wordt later besteed.")
    submit(page, "form[action*='/toelichting'] button")
    assert "loopt door" in page.locator("#toelichting-given").inner_text()
    page.check("#confirm")
    submit(page, "form[action*='/final'] button")
    assert page.locator("[data-status]").first.get_attribute("data-status") == "final"
    assert page.locator("#file").count() == 0  # a final year takes no more statements

    # the SiSa rows as they will be submitted, then submitted, the annex downloadable
    submit(page, "#sisa-rows")
    assert NUMMER in page.locator("table.sisa-rows").inner_text()
    submit(page, "form[action*='/submission'] button")
    assert page.locator(".done").is_visible()
    annex = downloaded(page, "table.submissions a")
    assert annex[:2] == b"PK"

    # an auditor sees the submission and the same pages, read-only
    auditor = signed_in(browser, base, tokens["auditor"])
    auditor.goto(f"{base}/dashboard/sisa/{YEAR}/rows?recipient=GM-ZWOLLE")
    accessible(auditor)
    assert auditor.locator("table.submissions tr[data-submission]").count() == 1
    assert downloaded(auditor, "table.submissions a") == annex
    year_page(auditor, base)
    assert auditor.locator("form").count() == 1  # only sign-out: nothing to write
    for path in ("/dashboard", "/dashboard/sisa", f"/dashboard/beschikkingen/{NUMMER}"):
        auditor.goto(f"{base}{path}")
        accessible(auditor)


def test_a_finance_officer_reconciles_in_the_browser(server, browser, tmp_path):
    base, tokens = server
    page = signed_in(browser, base, tokens["finance"])
    submit(page, "a[href^='/dashboard/reconciliations']")
    record = tmp_path / "kas.csv"
    record.write_text(
        "Beschikkingsnummer;Soort;Datum;Bedrag\n"
        f"{NUMMER};verplichting;01-09-2024;30.000.000,00\n"
        f"{NUMMER};betaling;15-09-2024;1.000.000,01\n",
        encoding="utf-8",
    )
    page.set_input_files("#file", str(record))
    page.fill("#as_of", "2024-12-31")
    submit(page, "form[enctype] button[type=submit]")
    assert page.locator("table.counts tr[data-outcome='matched'] td.num").inner_text() == "1"
    assert page.locator("table.counts tr[data-outcome='amount_differs'] td.num").inner_text() == "1"
    assert "€\xa01.000.000,01" in page.locator("table.pairs").inner_text()  # said the Dutch way
    workbook = load_workbook(BytesIO(downloaded(page, "#workbook")))
    assert workbook.sheetnames[0] == "Overzicht"
    page.goto(f"{base}/dashboard/reconciliations")
    assert page.locator("table.kept a").count() == 1


def test_the_forms_keep_their_rules_off_the_happy_path(server, browser, tmp_path):
    """What a browser's own checks would stop, the server stops too: a form without the
    session's token, an eindverantwoording not confirmed, another region's page, an auditor's
    write, an upload over the limit (a page that says the limit, before anything is read)."""
    base, tokens = server
    page = signed_in(browser, base, tokens["other"])
    response = page.goto(f"{base}/dashboard/beschikkingen/{NUMMER}/{YEAR}")
    assert response.status == 404
    accessible(page)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    with httpx.Client(base_url=base, cookies=cookies, headers={"Origin": base}) as client:
        no_token = client.post(
            f"/dashboard/beschikkingen/{NUMMER}/2026/final", data={"confirm": "yes"}
        )
        assert no_token.status_code == 403
    region = signed_in(browser, base, tokens["region"])
    year_page(region, base)
    csrf = region.locator("input[name=csrf]").first.get_attribute("value")
    cookies = {c["name"]: c["value"] for c in region.context.cookies()}
    with httpx.Client(base_url=base, cookies=cookies, headers={"Origin": base}) as client:
        unconfirmed = client.post(
            f"/dashboard/beschikkingen/{NUMMER}/2026/final", data={"csrf": csrf}
        )
        assert unconfirmed.status_code == 422 and "Vink aan" in unconfirmed.text
        elsewhere = client.post(
            f"/dashboard/beschikkingen/{NUMMER}/2026/final",
            data={"csrf": csrf, "confirm": "yes"},
            headers={"Origin": "https://evil.example"},
        )
        assert elsewhere.status_code == 403
    huge = tmp_path / "te-groot.xlsx"
    huge.write_bytes(b"PK" + os.urandom(LIMIT + 200_000))
    year_page(region, base)
    region.set_input_files("#file", str(huge))
    submit(region, "form[enctype] button[type=submit]")
    assert re.search(r"groter dan 1 MB", region.content())
    year_page(region, base)
    assert region.locator("table.history tr[data-statement]").count() == 0  # nothing was kept
    auditor = signed_in(browser, base, tokens["auditor"])
    cookies = {c["name"]: c["value"] for c in auditor.context.cookies()}
    with httpx.Client(base_url=base, cookies=cookies, headers={"Origin": base}) as client:
        token = auditor.locator("input[name=csrf]").count()
        assert token == 0  # no form to write with on the auditor's pages
        write = client.post(f"/dashboard/sisa/{YEAR}/submission", data={"csrf": "x"})
        assert write.status_code == 403


def test_the_round_works_with_the_keyboard_alone(server, browser):
    """Tab to a field, type, Tab to its button, press Enter: no mouse anywhere."""
    base, tokens = server
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(f"{base}/dashboard/signin")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    for _ in range(20):  # the token field comes after the header
        if focused == "token":
            break
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
    assert focused == "token"
    page.keyboard.type(tokens["region"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"{base}/dashboard/beschikkingen/{NUMMER}/{YEAR}")
    for _ in range(80):
        if page.evaluate("document.activeElement.id") == "toelichting":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "toelichting"
    page.keyboard.type("Met het toetsenbord geschreven.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    accessible(page)
    assert page.locator("#toelichting-given").inner_text() == "Met het toetsenbord geschreven."


@pytest.fixture
def demo_server(ledger, database_url: str):
    """The demo ledger served, with a clerk of Gemeente Zwolle (GM0193), which has beschikkingen
    of tranches 1–3 and of 4–6: two regelingen, two SiSa blocks."""
    from api.demo import load_demo

    load_demo(RegioService(ledger.engine))
    token = add_user(ledger.engine, "zwolle-clerk", "region", "GM0193")
    process, base = server_process.start(database_url)
    yield base, token
    server_process.stop(process)


def test_gemeente_zwolle_finishes_its_2025_sisa_round_under_two_regelingen(demo_server, browser):
    base, token = demo_server
    page = signed_in(browser, base, token)
    page.goto(f"{base}/dashboard/sisa/2025/rows")
    accessible(page)
    blocks = page.locator("section.block")
    assert blocks.count() == 2  # a block per regeling, not a refusal
    codes = [blocks.nth(n).get_attribute("data-regeling") for n in range(2)]
    for code in codes:
        page.goto(f"{base}/dashboard/sisa/2025/rows")
        submit(page, f"section.block[data-regeling='{code}'] button[type=submit]")
        assert page.locator("p.done[role=status]").is_visible()
    listed = page.locator("table.submissions tr[data-submission]")
    assert listed.count() == 2
    assert sorted(listed.nth(n).locator("td").nth(3).inner_text() for n in range(2)) == sorted(
        codes
    )
