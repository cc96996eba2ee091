"""SiSa's persistence: its tables (``tables``), what it keeps of its own (``store``), what it
reads from the ledger (``reads``) and the drill-down of one figure (``drilldown``).
``sisa.db.X`` names any of them."""

from sisa.db.drilldown import explain
from sisa.db.reads import (
    LedgerSpending,
    journal_cumulative,
    ledger_spending,
    money_flows,
    payment_corrections,
    reasons_since,
)
from sisa.db.store import (
    PreviousExport,
    StoredAnnex,
    Submission,
    annex_definition,
    previous_submission,
    record_submission,
    set_annex,
    submission_of,
    submissions_holding,
    submitted_beschikkingen,
    submitted_cumulative,
    submitted_cumulatives,
)
from sisa.db.tables import (
    definition_indicator_table,
    definition_table,
    export_table,
    submission_table,
    submitted_year_table,
)

__all__ = [
    "LedgerSpending",
    "PreviousExport",
    "StoredAnnex",
    "Submission",
    "annex_definition",
    "definition_indicator_table",
    "definition_table",
    "explain",
    "export_table",
    "journal_cumulative",
    "ledger_spending",
    "money_flows",
    "payment_corrections",
    "previous_submission",
    "reasons_since",
    "record_submission",
    "set_annex",
    "submission_of",
    "submission_table",
    "submissions_holding",
    "submitted_beschikkingen",
    "submitted_cumulative",
    "submitted_cumulatives",
    "submitted_year_table",
]
