from datetime import date

import pytest

from ledger.db.regio import RegioService
from ledger.db.service import LedgerService
from tests.scenarios.flow import OFFICER, build_world, eur, zwolle_beschikking, zwolle_deal


@pytest.fixture
def regio(ledger: LedgerService) -> RegioService:
    service = RegioService(ledger.engine)
    build_world(service)
    service.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    service.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    service.pay("RD-2024-001", eur("10000000.00"), on=date(2024, 9, 15), key="pay", who=OFFICER)
    return service
