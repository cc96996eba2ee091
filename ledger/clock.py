"""Today, from one clock: ``REGIOLEDGER_TODAY`` (an ISO date) when it is set, so that the tests
and the demo can fix it, else the real date in Europe/Amsterdam, where the Regio Deals' days
begin and end. Every rule that asks what today is (nothing is booked in the future, a year is
accounted for only after it ended, the reports' default date) asks here, never
``date.today()``, whose answer is the machine's own time zone.

The one module of the core that reads the world: the rules themselves take ``today`` as an
argument (``ledger.dates.not_after_today``) and stay pure.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ledger.dates import parse_date

TODAY_VARIABLE = "REGIOLEDGER_TODAY"
ZONE = ZoneInfo("Europe/Amsterdam")


def today() -> date:
    if said := os.environ.get(TODAY_VARIABLE):
        return parse_date(said, TODAY_VARIABLE)
    return datetime.now(ZONE).date()
