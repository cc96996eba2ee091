"""How a deal report knows a partner: by an organisation's code or its name, one key."""

from reports.deal_report import partner_key

NAMES = {"PARTNER-T5-ZWOLLE-II": "Regionale partners Zwolle II", "GM-ZWOLLE": "Gemeente Zwolle"}


def test_a_code_or_a_name_written_any_way_is_the_organisations_code():
    key = partner_key(NAMES)
    assert key("PARTNER-T5-ZWOLLE-II") == "PARTNER-T5-ZWOLLE-II"
    assert key("partner-t5-zwolle-ii") == "PARTNER-T5-ZWOLLE-II"
    assert key("Regionale partners Zwolle II") == "PARTNER-T5-ZWOLLE-II"
    assert key("  regionale   PARTNERS zwolle ii ") == "PARTNER-T5-ZWOLLE-II"
    assert key("Gemeente Zwolle") == "GM-ZWOLLE"


def test_a_partner_the_ledger_does_not_know_keeps_its_own_words():
    key = partner_key(NAMES)
    assert key("Bakkerij De Korenbloem") == "Bakkerij De Korenbloem"
    assert key("") == ""


def test_a_name_several_organisations_bear_is_the_one_that_pledged_to_the_deal():
    names = {
        "PARTNER-T2-ZAANIJ": "Regionale partners ZaanIJ",
        "PARTNER-T4-ZAANIJ": "Regionale partners ZaanIJ",
    }
    assert (
        partner_key(names, ["PARTNER-T4-ZAANIJ"])("Regionale partners ZaanIJ")
        == "PARTNER-T4-ZAANIJ"
    )
    assert (
        partner_key(names, ["PARTNER-T2-ZAANIJ"])("regionale partners zaanij")
        == "PARTNER-T2-ZAANIJ"
    )
