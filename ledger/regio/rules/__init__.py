"""The Regio Deals' rules as plain functions that return every problem (``check_*``), one
module per aggregate; each rule has one home there, and ``rules.X`` names it from anywhere.

- ``common``: problems, codes, date windows
- ``tables``: the rules per instrument and tranche as data
- ``budget``: envelopes, dates inside them, rates
- ``deals``: deals and their corrections
- ``beschikkingen``: grants, payments, extensions, repayments and corrections
- ``conversion``: a DU's unpaid remainder converted into a SPUK
- ``accountability``: spending, eindverantwoording, vaststelling, co-financing at settlement
- ``sisa``: the SiSa lifecycle (toelichting, submitted years, corrections and their deadline)
- ``wording``: a crossed limit in the user's words
"""

from ledger.regio.rules.accountability import (
    check_accountable,
    check_cofinancing_at_settlement,
    check_final,
    check_not_final,
    check_settlement,
    check_settlement_dates,
    check_spending,
    check_statement_withdrawal,
    cofinancing_cap,
    counted_realised,
    realised_cofinancing_short,
)
from ledger.regio.rules.beschikkingen import (
    beschikking_status,
    check_amendment_order,
    check_beschikking,
    check_eur_paid,
    check_extension,
    check_extension_dates,
    check_grant_dates,
    check_grant_floor,
    check_not_extended_after_final,
    check_open,
    check_payment_correction,
    check_payment_date,
    check_recipient,
    check_repayment_date,
    grant_change,
)
from ledger.regio.rules.budget import (
    check_envelope,
    check_in_envelope,
    check_rate,
    check_same_envelope,
)
from ledger.regio.rules.common import (
    check_codes,
    check_year_ended,
    not_after,
    not_before,
    problem,
)
from ledger.regio.rules.conversion import (
    check_converted_once,
    check_du_conversion,
    check_something_to_convert,
)
from ledger.regio.rules.deals import (
    check_deal,
    check_deal_amendment,
    check_deal_dates,
    check_deal_extension,
    check_deal_open,
    check_deal_withdrawal,
    check_partner,
    cofinancing_short,
    counted_pledges,
)
from ledger.regio.rules.sisa import (
    REGIONAL_SOURCES,
    check_correction_deadline,
    check_correction_deadline_date,
    check_final_year_correction,
    check_not_submitted,
    check_regeling_assignment,
    check_toelichting_given,
    toelichting_needed,
)
from ledger.regio.rules.tables import (
    COFINANCING_RULES,
    INSTRUMENT_RULES,
    RIJKSBIJDRAGE_BOUNDS,
    CofinancingRule,
    InstrumentRule,
    cofinancing_rule,
    rules_as_data,
)
from ledger.regio.rules.wording import (
    LIMIT_MEANINGS,
    SUBJECTS,
    explain_limit,
    said_in_domain_words,
)

__all__ = [
    "COFINANCING_RULES",
    "CofinancingRule",
    "INSTRUMENT_RULES",
    "InstrumentRule",
    "LIMIT_MEANINGS",
    "REGIONAL_SOURCES",
    "RIJKSBIJDRAGE_BOUNDS",
    "SUBJECTS",
    "check_accountable",
    "check_amendment_order",
    "beschikking_status",
    "check_beschikking",
    "check_converted_once",
    "check_du_conversion",
    "check_codes",
    "check_cofinancing_at_settlement",
    "check_correction_deadline",
    "check_correction_deadline_date",
    "check_deal",
    "check_deal_amendment",
    "check_deal_dates",
    "check_deal_extension",
    "check_deal_open",
    "check_deal_withdrawal",
    "check_envelope",
    "check_extension",
    "check_extension_dates",
    "check_final",
    "check_final_year_correction",
    "check_grant_dates",
    "check_grant_floor",
    "check_in_envelope",
    "check_not_extended_after_final",
    "check_not_final",
    "check_not_submitted",
    "check_open",
    "check_partner",
    "check_payment_correction",
    "check_eur_paid",
    "check_payment_date",
    "check_rate",
    "check_recipient",
    "check_regeling_assignment",
    "check_repayment_date",
    "check_same_envelope",
    "check_settlement",
    "check_settlement_dates",
    "check_something_to_convert",
    "check_spending",
    "check_statement_withdrawal",
    "check_toelichting_given",
    "check_year_ended",
    "cofinancing_cap",
    "cofinancing_rule",
    "cofinancing_short",
    "counted_pledges",
    "counted_realised",
    "explain_limit",
    "said_in_domain_words",
    "grant_change",
    "not_after",
    "not_before",
    "problem",
    "realised_cofinancing_short",
    "rules_as_data",
    "toelichting_needed",
]
