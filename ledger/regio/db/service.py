"""The Regio Deals service: every operation is one unit of work that checks the rules,
writes its object rows and books its one balanced entry, or does nothing at all. The
operations live with their aggregate; this class puts them in one place for the callers.
"""

from __future__ import annotations

from ledger.regio.db.accountability import AccountabilityOperations
from ledger.regio.db.accountability_corrections import AccountabilityCorrections
from ledger.regio.db.beschikkingen import BeschikkingOperations
from ledger.regio.db.budget import BudgetOperations
from ledger.regio.db.budget_events import BudgetEventOperations
from ledger.regio.db.corrections import CorrectionOperations
from ledger.regio.db.deals import DealOperations
from ledger.regio.db.writer import Amount, in_currency_of

__all__ = ["Amount", "RegioService", "in_currency_of"]


class RegioService(
    BudgetOperations,
    BudgetEventOperations,
    DealOperations,
    BeschikkingOperations,
    AccountabilityOperations,
    CorrectionOperations,
    AccountabilityCorrections,
):
    """Budget, deals, beschikkingen, accountability and the corrections that cross them, on
    one engine (and clock, and optionally the caller's connection)."""
