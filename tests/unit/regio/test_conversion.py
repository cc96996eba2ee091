"""``rules.conversion``: a DU converts its unpaid remainder, once, into a linked SPUK of the same
deal."""

from ledger.regio.model import Instrument
from ledger.regio.rules import conversion as rules
from tests.unit.regio.objects import beschikking, eur


def test_a_du_converts_only_what_it_has_left_unpaid():
    assert rules.check_something_to_convert("DU-1", eur(1)) == []
    assert [p.code for p in rules.check_something_to_convert("DU-1", eur(0))] == [
        "nothing_to_convert"
    ]


def du(**changes):
    return beschikking(**({"nummer": "DU-1", "instrument": Instrument.DU} | changes))


def spuk_of(remaining, **changes):
    return beschikking(
        **({"nummer": "SPUK-1", "amount": remaining, "converted_from": "DU-1"} | changes)
    )


def test_a_du_converts_its_unpaid_remainder_into_a_linked_spuk_of_the_same_deal():
    left = eur(4_000_000)
    assert rules.check_du_conversion(du(), spuk_of(left), left) == []
    for spuk in (
        spuk_of(eur(3_000_000)),
        spuk_of(left, deal="T5-OTHER"),
        spuk_of(left, converted_from="DU-2"),
    ):
        assert [p.code for p in rules.check_du_conversion(du(), spuk, left)] == [
            "conversion_mismatch"
        ]
    assert [p.code for p in rules.check_du_conversion(du(), spuk_of(eur(0)), eur(0))] == [
        "nothing_to_convert"
    ]


def test_only_a_du_converts_and_only_into_a_spuk():
    left = eur(1)
    assert [p.code for p in rules.check_du_conversion(beschikking(), spuk_of(left), left)] == [
        "not_a_du_conversion"
    ]
    bu_target = spuk_of(left, instrument=Instrument.BU)
    assert [p.code for p in rules.check_du_conversion(du(), bu_target, left)] == [
        "not_a_du_conversion"
    ]


def test_a_du_converts_once_and_a_retry_for_the_same_spuk_is_no_second_conversion():
    assert rules.check_converted_once("DU-1", "SPUK-1", "SPUK-1") == []
    [problem] = rules.check_converted_once("DU-1", "SPUK-1", "SPUK-2")
    assert problem.code == "beschikking_converted" and "SPUK-1" in problem.message
