"""The database's own share of an API payment on PostgreSQL, measured without the API: the
statements a payment POST sends (the journal lock with the Idempotency-Key lookup, the
beschikking's state, the booking call, the payment's event, the answer kept under the key, the
commit), each payment sent as one message, so that no Python and no round trip sits between
its statements, from several connections at once, every payment on the same beschikking as in
the API benchmark. No API can book payments faster than its database does this work: it is the
ceiling printed beside the API's rate. With ``per_commit`` above one, that many payments share
one commit, as they would under a group commit."""

from __future__ import annotations

from datetime import date

from psycopg import ClientCursor
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from ledger.db.engine import make_engine
from ledger.db.journal import BOOK_ENTRY_CALL, JOURNAL_LOCK_KEY, book_entry_arguments, utc_now
from ledger.money import Money
from ledger.regio import bookings
from ledger.regio.db.rows import STATE_QUERY, beschikking_state
from ledger.regio.model import Beschikking, Who
from tests.benchmarks.together import in_threads

ACTOR = "bench"
PAID_ON = date(2025, 1, 1)

REQUEST = "SELECT * FROM regioledger_request_in_turn(%s, %s, %s)"
EVENT = (
    "INSERT INTO beschikking_event (key, beschikking, kind, effective_on, amount, actor, reason,"
    " recorded_at, entry_id) SELECT %s, %s, 'payment', %s, %s, %s, %s, now(), id"
    " FROM journal_entry WHERE key = %s"
)
ANSWER = (
    "INSERT INTO api_request (actor, key, fingerprint, status, body, headers, created_at)"
    " VALUES (%s, %s, %s, 201, %s, '{}', now())"
)


#: The database's checks of its own invariants that a payment's statements run into: the
#: triggers that refuse a booking (not the one that keeps the account totals, on which the
#: balance limit rests) and the foreign keys. Dropped only at the very end of the benchmark, on
#: its own throwaway database, to show what they cost.
CHECKS = (
    "DROP TRIGGER journal_entry_balanced ON journal_entry",
    "DROP TRIGGER posting_balanced ON posting",
    "DROP TRIGGER journal_entry_chain ON journal_entry",
    "DROP TRIGGER account_guard ON account",
    "DROP TRIGGER account_month_balance_guard ON account_month_balance",
    "DROP TRIGGER posting_no_spending_after_final ON posting",
    "DROP TRIGGER beschikking_event_partner ON beschikking_event",
    "ALTER TABLE posting DROP CONSTRAINT fk_posting_account_currency,"
    " DROP CONSTRAINT fk_posting_entry",
    "ALTER TABLE beschikking_event DROP CONSTRAINT fk_beschikking_event_beschikking,"
    " DROP CONSTRAINT fk_beschikking_event_entry_id, DROP CONSTRAINT fk_beschikking_event_partner",
)


def drop_checks(url: str) -> None:
    """Take the invariant checks of ``CHECKS`` off a benchmark's throwaway database."""
    engine = make_engine(url)
    with engine.begin() as connection:
        for statement in CHECKS:
            connection.exec_driver_sql(statement)
    engine.dispose()


def _payment(cursor: ClientCursor, state: str, beschikking: Beschikking, key: str) -> str:
    """One payment's statements, its values written in (as the driver would send them)."""
    entry_key = f"api:{ACTOR}:{key}"
    amount = Money.of("1.00", beschikking.amount.currency)
    entry = bookings.pay(entry_key, Who(ACTOR, "bench"), PAID_ON, beschikking, amount)
    answer = f'{{"entry": 0, "beschikking": "{beschikking.nummer}", "amount": "1.00"}}'
    return ";".join(
        [
            cursor.mogrify(REQUEST, (JOURNAL_LOCK_KEY, ACTOR, key)),
            state,
            cursor.mogrify(BOOK_ENTRY_CALL, book_entry_arguments(entry, utc_now())),
            cursor.mogrify(
                EVENT,
                (
                    entry_key,
                    beschikking.nummer,
                    PAID_ON,
                    amount.minor_units,
                    ACTOR,
                    "bench",
                    entry_key,
                ),
            ),
            cursor.mogrify(ANSWER, (ACTOR, key, "0" * 64, answer)),
        ]
    )


def _messages(url: str, nummer: str, prefix: str, payments: int, per_commit: int) -> list[str]:
    """Every message to send, made before the clock starts: ``per_commit`` payments each."""
    engine = make_engine(url)
    with engine.connect() as connection:
        beschikking = beschikking_state(connection, nummer).beschikking
        cursor = ClientCursor(connection.connection.dbapi_connection)
        state = str(
            STATE_QUERY.params(nummer=nummer).compile(
                dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
            )
        )
        scripts = [_payment(cursor, state, beschikking, f"{prefix}{n}") for n in range(payments)]
    engine.dispose()
    return [
        f"BEGIN;{';'.join(scripts[start : start + per_commit])};COMMIT"
        for start in range(0, payments, per_commit)
    ]


def payments_per_second(
    url: str, nummer: str, prefix: str, *, payments: int, clients: int, per_commit: int = 1
) -> float:
    """Payments a second that the database books from ``clients`` connections sending the
    payments' statements as fast as it answers (keys ``prefix`` and a number); checks that
    every one was booked."""
    messages = _messages(url, nummer, prefix, payments, per_commit)
    engine = make_engine(url)
    connections = [engine.raw_connection() for _ in range(clients)]
    for connection in connections:
        connection.driver_connection.autocommit = True  # each message says BEGIN and COMMIT

    def send(index: int) -> None:
        cursor = connections[index].driver_connection.cursor()
        for message in messages[index::clients]:
            cursor.execute(message)

    seconds = in_threads(clients, send)
    for connection in connections:
        connection.close()
    with engine.connect() as connection:
        booked = connection.execute(
            text("SELECT count(*) FROM beschikking_event WHERE key LIKE :keys"),
            {"keys": f"api:{ACTOR}:{prefix}%"},
        ).scalar_one()
    engine.dispose()
    if booked != payments:
        raise RuntimeError(f"the ceiling booked {booked} of {payments} payments")
    return payments / seconds
