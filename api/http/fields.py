"""The types of what enters through the API, each rule stated in the OpenAPI schema exactly as
the door checks it (a schema-valid request is never refused for its form): identifiers by their
one grammar, text by the one text rule and its length limit, money as positive ASCII decimals,
dates as ISO strings from 1900 to 2200, years in a plausible range.

The rules themselves live in the core (``ledger.text``, ``ledger.dates``); this module only
says them to pydantic and to the schema.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Header, Path, Query
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from ledger.dates import ISO_DATE_PATTERN, parse_date
from ledger.errors import LedgerError
from ledger.text import (
    IDENTIFIER_LENGTH,
    IDENTIFIER_PATTERN,
    NAME_LENGTH,
    PROGRAMME_LINE_LENGTH,
    TEXT_LENGTH,
    check_text,
    is_plain_integer,
    text_pattern,
)


class Body(BaseModel):
    """The base of every request body: unknown fields are refused (a typo is not ignored)."""

    model_config = ConfigDict(extra="forbid")


def one_of(kind: type[StrEnum]) -> str:
    """The pattern of a parameter that names a member of ``kind``: the enum is the one list."""
    return "^(" + "|".join(kind) + ")$"


def _text_rule(free_text: bool):  # noqa: ANN202 - a validator factory
    def check(value: str) -> str:
        if problems := check_text("text", value, limit=len(value), free_text=free_text):
            raise ValueError(problems[0].message.removeprefix("text "))
        return value

    return check


def _state_text_rule(free_text: bool):  # noqa: ANN202 - a schema hook factory
    def state(schema: dict[str, Any]) -> None:
        schema["pattern"] = text_pattern(free_text)

    return state


def _text(max_length: int, *, free_text: bool, min_length: int = 1) -> Any:
    return Annotated[
        str,
        Field(
            min_length=min_length,
            max_length=max_length,
            json_schema_extra=_state_text_rule(free_text),
        ),
        AfterValidator(_text_rule(free_text)),
    ]


#: A code: beschikkingsnummer, deal, tranche, envelope, organisation, reservation.
Code = Annotated[
    str,
    Field(
        pattern=IDENTIFIER_PATTERN,
        max_length=IDENTIFIER_LENGTH,
        description="Letters, digits, '.', '_' or '-'; starts with a letter or digit; at most 64.",
    ),
]
Name = _text(NAME_LENGTH, free_text=False)
ProgrammeLine = _text(PROGRAMME_LINE_LENGTH, free_text=False)
Text = _text(TEXT_LENGTH, free_text=True)
#: What an identity provider says of an identity: its issuer, its subject, one of its groups.
Claim = _text(500, free_text=False)


def _positive_decimal(integer_digits: int, decimals: int) -> str:
    """A positive decimal with ASCII digits, no leading zeros, at most ``decimals`` decimals;
    zero in any spelling is not matched (stated without look-arounds, which schema tools lack)."""
    whole = rf"[1-9][0-9]{{0,{integer_digits - 1}}}(?:\.[0-9]{{1,{decimals}}})?"
    fractions = "|".join(
        f"0{{{zeros}}}[1-9][0-9]{{0,{decimals - zeros - 1}}}"
        if zeros
        else f"[1-9][0-9]{{0,{decimals - 1}}}"
        for zeros in range(decimals)
    )
    return rf"^(?:{whole}|0\.(?:{fractions}))$"


POSITIVE_AMOUNT = _positive_decimal(13, 2)
AMOUNT_OR_ZERO = r"^(?:0|[1-9][0-9]{0,12})(?:\.[0-9]{1,2})?$"
POSITIVE_RATE = _positive_decimal(4, 8)

Amount = Annotated[
    str,
    Field(
        pattern=POSITIVE_AMOUNT,
        description="Above zero, as a string with at most 2 decimals: 1234.50",
    ),
]
AmountOrZero = Annotated[str, Field(pattern=AMOUNT_OR_ZERO, description="Zero or more: 1234.50")]
Rate = Annotated[str, Field(pattern=POSITIVE_RATE, description="Above zero, at most 8 decimals")]


def _iso_date(value: object) -> date:
    try:
        return parse_date(value)
    except LedgerError as error:
        raise ValueError(error.problems[0].message.removeprefix("date ")) from None


#: A date: the string YYYY-MM-DD, from 1900-01-01 to 2200-12-31; never a number.
IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": ISO_DATE_PATTERN}),
]


def _aware_moment(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("must be a time as text, e.g. 2025-01-01T00:00:00+01:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a time such as 2025-01-01T00:00:00+01:00") from None
    if moment.tzinfo is None:
        raise ValueError("needs a time zone, e.g. 2025-01-01T00:00:00+01:00")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("is outside the calendar once put in UTC") from None


#: A moment: an RFC 3339 time with its zone (``2025-01-01T00:00:00+01:00``); never a number.
AwareMoment = Annotated[
    datetime,
    BeforeValidator(_aware_moment),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def _plain_digits(value: object) -> object:
    if isinstance(value, str) and not is_plain_integer(value):
        raise ValueError(
            "write a whole number in plain digits: no sign, no leading zero, no decimals"
        )
    return value


#: A whole number in a path or query is ASCII digits only (``2025``, not ``02025``, ``+2025`` or
#: ``2025.0``), which pydantic's lax mode would otherwise take.
PlainDigits = BeforeValidator(_plain_digits)

# Parameters shared by the routers. Numbers are bounded so that a huge one is a 422, not a
# database overflow: ids fit a signed 64-bit integer, years are plausible reporting years.
MAX_ID = 2**63 - 1
FIRST_REPORTING_YEAR, LAST_REPORTING_YEAR = 2000, 2100
Nummer = Annotated[str, Path(pattern=IDENTIFIER_PATTERN, description="The beschikkingsnummer")]
PathCode = Annotated[str, Path(pattern=IDENTIFIER_PATTERN, description="The code")]
EntryNumber = Annotated[
    int, Path(ge=1, le=MAX_ID, description="Sequence number of the entry"), PlainDigits
]
After = Annotated[
    int, Query(ge=0, le=MAX_ID, description="Continue after this sequence number"), PlainDigits
]
Year = Annotated[int, Query(ge=FIRST_REPORTING_YEAR, le=LAST_REPORTING_YEAR), PlainDigits]
PathYear = Annotated[int, Path(ge=FIRST_REPORTING_YEAR, le=LAST_REPORTING_YEAR), PlainDigits]
OptionalCode = Annotated[str | None, Query(pattern=IDENTIFIER_PATTERN)]
OptionalDate = Annotated[IsoDate | None, Query()]
IdempotencyKey = Annotated[
    str | None,
    Header(
        pattern=IDENTIFIER_PATTERN,
        description="Retries with the same key happen once; the same key with another request is 409.",
    ),
]
#: An account code as the chart writes them (``beschikking:RD-2024-001:paid``).
ACCOUNT_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$"
