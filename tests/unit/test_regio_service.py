"""RegioService is a composition: each operation belongs to one aggregate, and the service
answers it by that aggregate, which works on the service's engine, clock and connection."""

from ledger.regio.db.service import AGGREGATES, RegioService, operations_of


def test_the_service_has_no_parents_but_its_aggregates():
    assert RegioService.__bases__ == (object,)
    offered = [name for aggregate in AGGREGATES.values() for name in operations_of(aggregate)]
    assert len(offered) == len(set(offered)) > 25  # every operation has one home
    settle = AGGREGATES["accountability"].settle
    assert RegioService.settle.__doc__ == settle.__doc__ and settle.__doc__


def test_an_operation_is_answered_by_the_aggregate_that_owns_it(monkeypatch):
    engine, clock, connection = object(), object(), object()
    service = RegioService(engine, clock, connection)  # type: ignore[arg-type]
    heard = []
    monkeypatch.setattr(
        type(service.beschikkingen), "grant", lambda self, *a, **k: heard.append((self, a, k)) or 7
    )
    assert service.grant("b", key="k", who="w") == 7
    [(aggregate, args, kwargs)] = heard
    assert aggregate is service.beschikkingen and (args, kwargs) == (
        ("b",),
        {"key": "k", "who": "w"},
    )
    for name in AGGREGATES:
        part = getattr(service, name)
        assert (part.engine, part.clock, part.connection) == (engine, clock, connection)
