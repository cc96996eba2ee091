"""Turn the database's refusals into the ledger's own errors with stable codes.

Trigger messages start with the code (``entry_immutable: ...``); CHECK and UNIQUE
violations are recognised by constraint name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError

from ledger.errors import LedgerError, Problem
from ledger.said import said

TRIGGER_CODES = (
    "entry_immutable",
    "account_immutable",
    "account_closed",
    "chain_broken",
    "posting_date_mismatch",
    "running_total_mismatch",
    "too_few_postings",
    "unbalanced_entry",
    "recipient_not_allowed",
    "rijk_as_cofinancier",
    "year_final",
    "year_submitted",
    "unknown_funding_source",
)
CONSTRAINT_CODES = {
    "ck_account_limit": "limit_exceeded",
    "uq_journal_entry_key": "idempotency_conflict",
    "uq_journal_entry_reverses_id": "already_reversed",
    "pk_journal_entry": "concurrent_write",
    "uq_account_code": "account_exists",
    "ck_posting_amount_positive": "non_positive_amount",
    "fk_posting_account_currency": "currency_mismatch",
    "pk_deal": "deal_exists",
    "pk_beschikking": "beschikking_exists",
    "pk_envelope": "envelope_exists",
    "uq_beschikking_event_key": "idempotency_conflict",
    "uq_budget_change_key": "idempotency_conflict",
    "uq_api_request_actor": "idempotency_conflict",
}
#: Codes that differ only in letter case are one record (migration 0017): what each names.
FOLDED_CODES = {
    "uq_organisation_code_folded": ("organisation_exists", said("organisation")),
    "uq_envelope_code_folded": ("envelope_exists", said("envelope")),
    "uq_tranche_code_folded": ("tranche_exists", said("tranche")),
    "uq_reservation_code_folded": ("reservation_exists", said("reservation")),
    "uq_deal_code_folded": ("deal_exists", said("deal")),
    "uq_programme_line_code_folded": ("programme_line_exists", said("programme line")),
    "uq_beschikking_nummer_folded": ("beschikking_exists", said("beschikking")),
    "uq_regeling_code_folded": ("regeling_exists", said("regeling")),
    "uq_api_user_name_folded": ("user_exists", said("user")),
}
#: Any other named rule the database enforces: a refusal with its name, never a crash.
_ANY_CHECK = re.compile(r'CHECK constraint failed: (\w+)|violates check constraint "(\w+)"')
_ANY_REFERENCE = re.compile(r"FOREIGN KEY constraint failed|violates foreign key constraint")
_CODE_PATTERN = re.compile(r"\b(" + "|".join(TRIGGER_CODES) + r"): ([^\n]*)")


def problem_from_database(error: DBAPIError) -> Problem | None:
    text = str(error.orig) if error.orig is not None else str(error)
    match = _CODE_PATTERN.search(text)
    if match:
        return Problem.of(
            match.group(1), said("The database refused: {reason}", reason=match.group(2))
        )
    for constraint, (code, what) in FOLDED_CODES.items():
        if constraint in text:  # SQLite: "UNIQUE constraint failed: index 'uq_..._folded'"
            return Problem.of(
                code,
                said(
                    "A {what} with this code in other letters (upper or lower case) exists "
                    "already: codes that differ only in letter case are one; use the code as it "
                    "is written.",
                    what=what,
                ),
                details={"constraint": constraint},
            )
    for constraint, code in CONSTRAINT_CODES.items():
        if constraint in text or _sqlite_constraint_matches(constraint, text):
            return Problem.of(
                code,
                said(
                    "The database refused the write: constraint {constraint} ({code}).",
                    constraint=constraint,
                    code=code,
                ),
                details={"constraint": constraint},
            )
    return _generic_refusal(text)


def _generic_refusal(text: str) -> Problem | None:
    if "value too long for type" in text:  # PostgreSQL; the door's length limits should come first
        return Problem.of(
            "text_too_long",
            said("A text is longer than the ledger keeps."),
        )
    if match := _ANY_CHECK.search(text):
        name = match.group(1) or match.group(2)
        return Problem.of(
            "constraint_violated",
            said("The database refused the write: rule {name} does not hold.", name=name),
            details={"constraint": name},
        )
    if _ANY_REFERENCE.search(text):
        return Problem.of(
            "unknown_reference",
            said("The write refers to something the ledger does not know."),
        )
    return None


def _sqlite_constraint_matches(constraint: str, text: str) -> bool:
    # SQLite names UNIQUE failures by columns ("UNIQUE constraint failed: journal_entry.key").
    columns = {
        "uq_journal_entry_key": "journal_entry.key",
        "uq_journal_entry_reverses_id": "journal_entry.reverses_id",
        "pk_journal_entry": "journal_entry.id",
        "uq_account_code": "account.code",
        "pk_deal": "deal.code",
        "pk_beschikking": "beschikking.nummer",
        "pk_envelope": "envelope.code",
        "uq_beschikking_event_key": "beschikking_event.key",
        "uq_budget_change_key": "budget_change.key",
        "uq_api_request_actor": "api_request.actor",
    }
    column = columns.get(constraint)
    return column is not None and f"UNIQUE constraint failed: {column}" in text


@contextmanager
def translate_database_error() -> Iterator[None]:
    try:
        yield
    except DBAPIError as error:
        problem = problem_from_database(error)
        if problem is None:
            raise
        raise LedgerError([problem]) from error
