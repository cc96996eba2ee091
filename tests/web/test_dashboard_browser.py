"""The dashboard in a real headless Chromium (Debian's package, driven by Playwright) against a
running server on the demo ledger, on SQLite and on PostgreSQL: sign in as each role, open the main pages, compare the
figures shown with the API's, save screenshots, check that a region cannot open another
region's pages, and run axe-core on every page shot (no violation of any impact). Without chromium the tests fail in CI and are skipped on a developer's machine."""

import os
import re
import uuid
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from babel.numbers import parse_decimal

from api.demo import load_demo
from api.http.users import add_user
from ledger.db.engine import make_engine
from ledger.db.migrate import upgrade
from ledger.regio.db.service import RegioService
from tests import server as server_process
from tests.web.browser import accessible, launched, require_chromium, violations

SCREENSHOTS = Path(os.environ.get("REGIOLEDGER_SCREENSHOTS", "tests/web/screenshots"))

require_chromium("dashboard tests")

from playwright.sync_api import Page  # noqa: E402


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
)
def server(request, tmp_path_factory):
    """The demo ledger served, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'demo.db'}"
        upgrade(url)
    else:
        postgres = request.getfixturevalue("postgres_server")
        name = f"regioledger_dashboard_{uuid.uuid4().hex[:8]}"
        url = postgres.create(name, template=request.getfixturevalue("postgres_template"))
    engine = make_engine(url)
    load_demo(RegioService(engine))
    tokens = {
        "finance": add_user(engine, "demo-financien", "finance"),
        "auditor": add_user(engine, "demo-accountant", "auditor"),
        "region": add_user(engine, "demo-regio", "region", "GM0153"),  # Gemeente Enschede
    }
    engine.dispose()
    process, base = server_process.start(url)
    yield base, tokens
    server_process.stop(process)
    if request.param != "sqlite":
        postgres.drop(name)


@pytest.fixture(scope="module")
def browser():
    yield from launched()


def signed_in(browser, base: str, token: str, lang: str = "nl") -> Page:
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{base}/dashboard?lang={lang}")
    assert "/dashboard/signin" in page.url  # not signed in: the sign-in form
    page.fill("#token", token)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")  # images included
    return page


def shot(page: Page, name: str) -> None:
    """A screenshot of the page, after axe-core found no violation of any impact on it."""
    accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target, written = SCREENSHOTS / f"{name}.png", SCREENSHOTS / f"{name}.{os.getpid()}.png"
    page.screenshot(path=str(written), full_page=True)
    assert written.stat().st_size > 10_000
    os.replace(written, target)  # whole, whichever database's run wrote it last


def euros(text: str, lang: str = "nl") -> Decimal:
    """A figure as the page shows it (€ 1.234.567,89) back to a number."""
    cleaned = text.replace("€", "").replace("\xa0", " ").strip()
    return parse_decimal(cleaned, locale="nl_NL" if lang == "nl" else "en_GB", strict=False)


def test_the_finance_officer_sees_the_envelopes_with_the_apis_figures(server, browser):
    base, tokens = server
    page = signed_in(browser, base, tokens["finance"])
    assert page.url.startswith(f"{base}/dashboard")
    api = httpx.get(
        f"{base}/api/v1/reports/tranches", headers={"Authorization": f"Bearer {tokens['finance']}"}
    ).json()
    for envelope in api["envelopes"]:
        section = page.locator(f"section[data-envelope='{envelope['code']}']")
        assert euros(section.locator("[data-figure=amount]").inner_text()) == Decimal(
            envelope["amount"]
        )
        for tranche in envelope["tranches"]:
            row = section.locator(f"tr[data-tranche='{tranche['code']}']")
            for figure in (
                "budget",
                "committed",
                "granted",
                "paid",
                "available_free",
                "available_reserved",
            ):
                assert euros(row.locator(f"[data-figure={figure}]").inner_text()) == Decimal(
                    tranche[figure]
                ), figure
    charts = page.locator("img.chart")
    assert charts.count() >= 4
    for index in range(charts.count()):  # every chart arrived and was drawn
        assert charts.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
    shot(page, "finance-overview")
    with page.expect_download() as download:
        page.click("#download")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_clicking_down_to_a_beschikkings_statement_lines(server, browser):
    base, tokens = server
    page = signed_in(browser, base, tokens["finance"])
    page.click("a[href^='/dashboard/deals/T4-']")
    assert "/dashboard/deals/" in page.url
    shot(page, "finance-deal")
    page.click("a[href^='/dashboard/beschikkingen/']")
    nummer = page.url.split("/dashboard/beschikkingen/")[1].split("?")[0]
    lines = page.locator("table.statement-lines tr[data-line]")
    assert lines.count() >= 2
    api = httpx.get(
        f"{base}/api/v1/sisa/2025/beschikkingen/{nummer}/indicators/02",
        headers={"Authorization": f"Bearer {tokens['finance']}"},
    ).json()
    references = {line["reference"] for line in api["statement_lines"]}
    shown = {lines.nth(i).locator("td").nth(6).inner_text() for i in range(lines.count())}
    assert references and references <= shown
    assert page.locator("table.bookings tr[data-entry]").count() > 0
    shot(page, "finance-beschikking")


def test_the_auditor_sees_sisa_status_in_english(server, browser):
    base, tokens = server
    page = signed_in(browser, base, tokens["auditor"], lang="en")
    page.goto(f"{base}/dashboard/sisa?lang=en")
    assert page.locator("h1").inner_text() == "SiSa status"
    cells = page.locator("table.sisa td[data-year]")
    statuses = {cells.nth(i).inner_text() for i in range(cells.count())}
    assert "reported" in statuses
    shot(page, "auditor-sisa")


def test_a_region_sees_its_own_beschikkingen_and_not_another_regions(server, browser):
    base, tokens = server
    page = signed_in(browser, base, tokens["region"])
    assert "/dashboard/beschikkingen" in page.url
    own = httpx.get(
        f"{base}/api/v1/beschikkingen",
        params={"limit": 500},
        headers={"Authorization": f"Bearer {tokens['region']}"},
    ).json()["items"]
    links = page.locator("table.beschikkingen tr[data-beschikking] td:first-child a")
    assert sorted(links.nth(i).inner_text() for i in range(links.count())) == sorted(
        b["nummer"] for b in own
    )
    shot(page, "region-beschikkingen")
    everyone = httpx.get(
        f"{base}/api/v1/beschikkingen",
        params={"limit": 500},
        headers={"Authorization": f"Bearer {tokens['finance']}"},
    ).json()["items"]
    other = next(b["nummer"] for b in everyone if b["nummer"] not in {o["nummer"] for o in own})
    response = page.goto(f"{base}/dashboard/beschikkingen/{other}")
    assert response.status == 404
    assert page.goto(f"{base}/dashboard").url.endswith("/dashboard/beschikkingen?lang=nl")
    assert page.goto(f"{base}/dashboard/sisa").status == 403


def test_the_pages_carry_security_headers_and_the_cookie_is_httponly_and_strict(server, browser):
    base, tokens = server
    page = signed_in(browser, base, tokens["finance"])
    cookie = next(c for c in page.context.cookies() if c["name"] == "regioledger_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/dashboard"
    response = page.goto(f"{base}/dashboard")
    headers = response.headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    page.click("header form button")  # sign out
    assert "/dashboard/signin" in page.url
    assert "/dashboard/signin" in page.goto(f"{base}/dashboard").url


REPOSITORY_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt|seed \d{3}")


def test_the_overview_shows_all_six_tranches_and_each_published_figure_in_dutch(server, browser):
    base, tokens = server
    page = signed_in(browser, base, tokens["finance"])
    api = httpx.get(
        f"{base}/api/v1/reports/tranches", headers={"Authorization": f"Bearer {tokens['finance']}"}
    ).json()
    tranches = [t for e in api["envelopes"] for t in e["tranches"]]
    assert [t["code"] for t in tranches] == ["T1", "T2", "T3", "T4", "T5", "T6"]
    for tranche in tranches:
        cell = page.locator(f"tr[data-tranche='{tranche['code']}'] [data-figure=budget]")
        assert euros(cell.inner_text()) == Decimal(tranche["budget"])
    overview = page.goto(f"{base}/dashboard?lang=nl")
    assert overview is not None and len(overview.body()) < 150_000  # the figures have their page
    page.goto(f"{base}{page.locator('a#published').get_attribute('href')}")
    rows = page.locator("table.published tr[data-figure]")
    assert rows.count() == len(api["differences"])
    after_shift = page.locator("tr[data-figure='tranche_after_shift:T6']")
    assert "Tranche 6 na de verschuiving" in after_shift.inner_text()
    assert after_shift.get_attribute("data-status") == "reproduced"
    awarded = page.locator("tr[data-figure='announcement:T6']")
    assert awarded.get_attribute("data-status") == "open"
    assert "bron van het grootboek" in awarded.inner_text()  # both sources shown
    transfer = page.locator("tr[data-figure='budget_transfer:T6']")
    assert transfer.get_attribute("data-status") == "explained"
    text = page.locator("main").inner_text()
    assert not REPOSITORY_FILE.search(text)
    assert not re.search(r"\d+\.\d{2} EUR", text)
    shot(page, "finance-overview-history")


def test_a_du_deal_shows_its_citation_recipient_and_instrument(server, browser):
    base, tokens = server
    page = signed_in(browser, base, tokens["finance"])
    page.goto(f"{base}/dashboard/deals/T2-TWENTE?lang=nl")
    assert "Kennispark Twente" in page.locator("[data-figure=citation]").inner_text()
    du = page.locator("li[data-instrument=DU]")
    assert du.count() == 1 and "Gemeente Enschede" in du.inner_text()
    shot(page, "finance-du-deal")
    du.locator("a").click()
    assert page.locator("[data-figure=instrument]").inner_text().strip() == "DU"
    history = page.locator("main").inner_text().replace("\xa0", " ")
    assert "Betaling op beschikking RD-T2-TWENTE-1: € 7.500.000,00" in history
    assert "de demo kiest Gemeente Enschede" in history  # no source names the regiokassier
    assert not re.search(r"\d+\.\d{2} EUR", history)
    shot(page, "finance-du-beschikking")


def test_a_converted_deal_leads_from_the_spuk_to_the_du_it_took_over(server, browser):
    base, tokens = server
    page = signed_in(browser, base, tokens["finance"])
    page.goto(f"{base}/dashboard/deals/T1-ROTTERDAM-ZUID?lang=nl")
    assert page.locator("li[data-instrument=DU]").count() == 1
    spuk = page.locator("li[data-instrument=SPUK]")
    assert "omgezet uit RD-T1-ROTTERDAM-ZUID-1" in spuk.inner_text()
    assert page.locator("table.by-line tr").count() > 1  # spending per year and programme line
    assert page.locator("table.partners tr").count() > 1
    assert page.locator("[data-figure=multiplier_total]").inner_text().strip()
    shot(page, "finance-converted-deal")
    spuk.locator("a").click()
    instrument = page.locator("[data-figure=instrument]")
    assert instrument.inner_text().startswith("SPUK")
    instrument.locator("a").click()
    assert page.url.split("?")[0].endswith("/dashboard/beschikkingen/RD-T1-ROTTERDAM-ZUID-1")
    assert page.locator("[data-figure=instrument]").inner_text().strip() == "DU"
    shot(page, "finance-converted-du")


def test_the_underspending_page_lists_what_would_be_reclaimed(server, browser):
    base, tokens = server
    page = signed_in(browser, base, tokens["finance"])
    page.goto(f"{base}/dashboard/underspending?lang=nl")
    api = httpx.get(
        f"{base}/api/v1/reports/underspending",
        headers={"Authorization": f"Bearer {tokens['finance']}"},
    ).json()
    rows = page.locator("table.underspending tr[data-beschikking]")
    assert rows.count() == len(api) > 0
    first = api[0]
    cell = page.locator(
        f"tr[data-beschikking='{first['beschikking']}'] [data-figure=terugvordering]"
    )
    assert euros(cell.inner_text()) == Decimal(first["terugvordering"])
    shot(page, "finance-underspending")


def test_the_budget_page_shows_the_demo_per_article_and_year_with_the_voorjaarsnota_and_its_source(
    server, browser
):
    """Reached from the menu: per article and year the API's figures, a drawn chart, the
    Voorjaarsnota 2024's overboeking of €257.1M with the letter that says so, and each realised
    figure down to its beschikkingen; in English too; not for a region."""
    base, tokens = server
    page = signed_in(browser, base, tokens["finance"])
    link = page.locator("nav a[href^='/dashboard/budget']")  # in the menu
    page.goto(f"{base}{link.get_attribute('href')}")  # returns once loaded, charts included
    assert "/dashboard/budget" in page.url
    api = httpx.get(
        f"{base}/api/v1/reports/budget", headers={"Authorization": f"Bearer {tokens['finance']}"}
    ).json()
    assert {a["code"] for a in api["articles"]} == {"AP", "BZK-RD"}
    for article in api["articles"]:
        section = page.locator(f"section#article-{article['code']}")
        for year in article["years"]:
            row = section.locator(f"tr[data-year='{year['year']}']")
            for side in ("verplichtingen", "uitgaven", "ontvangsten"):
                assert euros(row.locator(f"[data-figure=budget-{side}]").inner_text()) == Decimal(
                    year["budget"][side]
                ), (article["code"], year["year"], side)
                assert euros(row.locator(f"[data-figure=realised-{side}]").inner_text()) == Decimal(
                    year["realised"][side]
                ), (article["code"], year["year"], side)
    regio_deals = page.locator("section#article-BZK-RD")
    vjn = regio_deals.locator("tr[data-mutation='demo:begroting:vjn-2024']")
    assert "Voorjaarsnota 2024" in vjn.inner_text()
    assert "Kamerstuk 29 697, nr. 146" in vjn.locator(".source").inner_text()
    assert euros(
        regio_deals.locator("tr[data-year='2025'] [data-figure=budget-verplichtingen]").inner_text()
    ) == Decimal("257100000.00")
    chart = regio_deals.locator("img.chart")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    regio_deals.locator("details summary").click()
    assert regio_deals.locator("details a[href^='/dashboard/beschikkingen/']").count() > 10
    shot(page, "finance-budget")
    page.goto(f"{base}/dashboard/budget?lang=nl&as_of=2024-05-06")  # the day before the letter
    earlier = page.locator("section#article-BZK-RD")
    assert earlier.locator("tr[data-year='2025']").count() == 0
    assert earlier.locator("tr[data-mutation='demo:begroting:vjn-2024']").count() == 0
    assert page.goto(f"{base}/dashboard/budget?as_of=2999-01-01").status == 422
    english = signed_in(browser, base, tokens["auditor"], "en")
    english.goto(f"{base}/dashboard/budget?lang=en")
    assert "Budget against realisation per article and year" in english.inner_text("h1")
    shot(english, "auditor-budget-en")
    region = signed_in(browser, base, tokens["region"])
    assert "Begroting" not in region.inner_text("nav")
    assert region.goto(f"{base}/dashboard/budget").status == 403


RAW_AMOUNT = re.compile(r"(?<![\d.,])\d{4,}\.\d{2}(?!\d)")
ISO_DAY = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
RECORD = (
    "Beschikkingsnummer;Soort;Datum;Bedrag\n"
    "RD-2024-001;betaling;01-04-2024;18.001.334,56\n"
    "RD-NIET-BESTAAND;betaling;02-04-2024;1.000,00\n"
)


def test_every_page_says_amounts_and_days_the_dutch_way_and_axe_finds_nothing(server, browser):
    """Every page a finance officer opens, in Dutch: no amount as a bare 1234.56 and no day as
    2024-04-01 anywhere in its text; axe-core finds no violation of any impact."""
    base, tokens = server
    headers = {"Authorization": f"Bearer {tokens['finance']}", "Idempotency-Key": "scan-rec"}
    made = httpx.post(
        f"{base}/api/v1/reconciliations",
        params={"everything": "true"},
        files={"file": ("kas.csv", RECORD.encode(), "text/csv")},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    page = signed_in(browser, base, tokens["finance"])
    listed = httpx.get(f"{base}/api/v1/beschikkingen?limit=1", headers=headers).json()
    nummer = listed["items"][0]["nummer"]
    paths = [
        "/dashboard",
        "/dashboard/sisa",
        "/dashboard/reconciliations",
        f"/dashboard/reconciliations/{made.json()['id']}",
        "/dashboard/underspending",
        "/dashboard/budget",
        "/dashboard/beschikkingen",
        f"/dashboard/beschikkingen/{nummer}",
        "/dashboard/deals/T5-ZWOLLE-II",
        "/dashboard/deals/T2-TWENTE",
        "/dashboard/published",
        "/dashboard/tranches/T5",
    ]
    found = {}
    for path in paths:
        answer = page.goto(f"{base}{path}?lang=nl")
        assert answer is not None and answer.status == 200, path
        text = page.locator("body").inner_text()
        wrong = RAW_AMOUNT.findall(text)[:3] + ISO_DAY.findall(text)[:3] + violations(page)
        if wrong:
            found[path] = wrong
    assert found == {}


def test_a_tranche_has_its_page_with_its_figures_history_deals_and_chart(server, browser):
    base, tokens = server
    page = signed_in(browser, base, tokens["finance"])
    api = httpx.get(
        f"{base}/api/v1/reports/tranches", headers={"Authorization": f"Bearer {tokens['finance']}"}
    ).json()
    tranche = next(t for e in api["envelopes"] for t in e["tranches"] if t["code"] == "T5")
    page.click("tr[data-tranche='T5'] a")
    page.wait_for_load_state("load")
    assert page.url.startswith(f"{base}/dashboard/tranches/T5")
    for figure in ("budget", "shifted_in", "committed", "granted", "paid", "available_free"):
        shown = page.locator(f"table.tranche-figures [data-figure={figure}]").inner_text()
        assert euros(shown) == Decimal(tranche[figure]), figure
    history = page.locator("table.history tr[data-kind]")
    assert history.count() == len(tranche["history"]) > 0
    assert page.locator("table.history td.source").first.inner_text()  # each with its source
    assert page.locator("li[data-control]").count() == len(tranche["controls"])
    assert page.locator("li[data-ties-out=false]").count() == sum(
        1 for c in tranche["controls"] if not c["ties_out"]
    )
    deals = [d for d in api["deals"] if d["tranche"] == "T5"]
    assert page.locator("table.deals tr[data-deal]").count() == len(deals)
    drawn = page.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert drawn
    shot(page, "finance-tranche")
    assert page.goto(f"{base}/dashboard/tranches/T99").status == 404
