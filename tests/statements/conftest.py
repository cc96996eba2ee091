import pytest

from ledger.db.regio import RegioService
from ledger.db.service import LedgerService
from tests.scenarios.flow import zwolle_world


@pytest.fixture
def regio(ledger: LedgerService) -> RegioService:
    service = RegioService(ledger.engine)
    zwolle_world(service, paid="10000000.00")
    return service
