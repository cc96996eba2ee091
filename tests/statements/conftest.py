import pytest

from ledger.db.service import LedgerService
from ledger.regio.db.service import RegioService
from tests.scenarios.flow import zwolle_world


@pytest.fixture
def regio(ledger: LedgerService) -> RegioService:
    service = RegioService(ledger.engine)
    zwolle_world(service, paid="10000000.00")
    return service
