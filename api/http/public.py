"""What the API answers, typed: the base of every response model (``XPublic``) and the ones more
than one router shares. A response model forbids fields it does not name, so an answer that
drifts from its schema fails loudly (a 500 the tests see) instead of losing a field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema

#: A day in an answer: ``YYYY-MM-DD``, typed ``format: date`` in the schema.
Day = date
#: A moment in an answer, as the ledger recorded it (ISO 8601 with its offset, written as
#: Python writes it), typed ``format: date-time`` in the schema.
Instant = Annotated[
    datetime,
    PlainSerializer(lambda moment: moment.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class Public(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProblemPublic(Public):
    """One refusal or broken invariant: a stable code, the message in English and Dutch."""

    code: str
    message: str
    message_nl: str | None
    entry: int | None
    account: str | None
    details: dict[str, str]
