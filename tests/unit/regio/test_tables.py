"""``rules.tables``: the rules per instrument and tranche, as data, each with its basis."""

from decimal import Decimal

from ledger.regio.model import Instrument, OrganisationType
from ledger.regio.rules import tables


def test_every_instrument_has_a_rule_with_its_basis():
    assert set(tables.INSTRUMENT_RULES) == set(Instrument)
    for instrument, rule in tables.INSTRUMENT_RULES.items():
        assert rule.instrument is instrument and rule.basis and rule.recipients


def test_a_bu_goes_to_an_openbaar_lichaam_in_dollars_and_a_du_never_to_a_wgr():
    bu = tables.INSTRUMENT_RULES[Instrument.BU]
    assert bu.currency == "USD" and bu.recipients == {OrganisationType.OPENBAAR_LICHAAM_BES}
    assert OrganisationType.WGR not in tables.INSTRUMENT_RULES[Instrument.DU].recipients
    assert OrganisationType.WGR in tables.INSTRUMENT_RULES[Instrument.SPUK].recipients


def test_each_tranche_follows_its_own_cofinancing_rule():
    early, late = tables.cofinancing_rule("T2"), tables.cofinancing_rule("T5")
    assert not early.counts_private and not early.counts_in_kind
    assert late.counts_private and late.counts_in_kind
    assert early.minimum_ratio == late.minimum_ratio == Decimal(1)


def test_a_tranche_no_rule_names_follows_the_newest():
    assert tables.cofinancing_rule("T9") is tables.COFINANCING_RULES[-1]


def test_the_rules_as_one_document_say_what_the_tables_say():
    document = tables.rules_as_data()
    instruments = {row["instrument"]: row for row in document["instruments"]}
    assert instruments["BU"]["currency"] == "USD"
    assert instruments["SPUK"]["recipients"] == ["gemeente", "provincie", "wgr"]
    assert [row["tranches"] for row in document["cofinancing"]] == [
        ["T1", "T2", "T3"],
        ["T4", "T5", "T6"],
    ]
    assert document["rijksbijdrage_bounds"] == {}
    assert document["rijksbijdrage_bounds_note"]
