"""What every read of the API takes and gives: the moment it reads the books at (``as_of``, the
effective date; ``recorded_as_of``, as the books stood at that time) and keyset pages (``limit``
and ``after``; the answer's ``next`` and its ``Link`` header continue the list).

A page is cut after the key of its last item in the list's stable order, never by an offset:
an item booked while a client pages moves no other item from one page to another."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import Field
from sqlalchemy import Connection, Engine

from api.http.cache import whole_books
from api.http.fields import AwareMoment, OptionalDate, PlainDigits
from api.http.problems import Refusal
from api.http.public import Public
from ledger.regio.db.known import Known
from ledger.regio.snapshot import Snapshot
from ledger.text import IDENTIFIER_LENGTH, IDENTIFIER_PATTERN
from reports.reconciliation import Reconciliation, build_tranche_reconciliation

T = TypeVar("T")
K = TypeVar("K", str, int)

MAX_PAGE = 500


@dataclass(frozen=True)
class Moment:
    """The books as of ``as_of`` (every effective date when None), as they stood at
    ``recorded_as_of`` (now when None)."""

    as_of: date | None = None
    recorded_as_of: datetime | None = None

    @property
    def day(self) -> date:
        return self.as_of or date.max

    def known(self, connection: Connection) -> Known:
        return Known.at_moment(connection, self.recorded_as_of)


RecordedAsOf = Annotated[
    AwareMoment | None,
    Query(
        description="As the books stood at this moment (RFC 3339 with a time zone, e.g. "
        "2025-01-01T00:00:00+01:00): what was recorded later is left out."
    ),
]


async def moment(as_of: OptionalDate = None, recorded_as_of: RecordedAsOf = None) -> Moment:
    return Moment(as_of, recorded_as_of)


AsOf = Annotated[Moment, Depends(moment)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="At most this many items"), PlainDigits]
AfterKey = Annotated[
    str | None,
    Query(
        pattern=IDENTIFIER_PATTERN,
        max_length=IDENTIFIER_LENGTH,
        description="Continue after the item with this key (from the previous page's next)",
    ),
]

AfterNumber = Annotated[
    int | None,
    Query(ge=0, le=2**63 - 1, description="Continue after the item with this number"),
    PlainDigits,
]


class Page(Public, Generic[T]):
    """One page of a list in its stable order; ``next`` is the URL of the next page (the same as
    the ``Link: <…>; rel="next"`` header) and ``next_after`` the cursor in it (what to send as
    ``after``), both null on the last page."""

    items: list[T]
    next: str | None = Field(description="The URL of the next page; null on the last page")
    next_after: str | int | None = Field(
        default=None,
        description="The cursor of the next page: send it as `after`; null on the last page",
    )


def paged(
    request: Request,
    response: Response,
    items: Sequence[T],
    key: Callable[[T], K],
    after: K | None,
    limit: int,
) -> Page[T]:
    """The page of ``items`` (already in their stable order by ``key``) after ``after``."""
    rest = [i for i in items if after is None or key(i) > after]
    return page_of(request, response, rest[:limit], key, more=len(rest) > limit)


def page_of(
    request: Request, response: Response, items: Sequence[T], key: Callable[[T], K], *, more: bool
) -> Page[T]:
    """A page whose items were cut by the caller (in SQL); ``more`` says whether any follow."""
    following, cursor = None, None
    if more and items:
        cursor = key(items[-1])
        following = str(request.url.include_query_params(after=cursor))
        following = following.removeprefix(f"{request.url.scheme}://{request.url.netloc}")
        response.headers["Link"] = f'<{following}>; rel="next"'
    return Page[T](items=list(items), next=following, next_after=cursor)


def reconciled(request: Request, engine: Engine, at: Moment) -> tuple[Snapshot, Reconciliation]:
    """The snapshot at a moment and its tranche reconciliation, kept until the next write (see
    ``api.http.cache``)."""

    def compute() -> tuple[Snapshot, Reconciliation]:
        snapshot = whole_books(engine, at.day, at.recorded_as_of)
        return snapshot, build_tranche_reconciliation(snapshot)

    return request.app.state.derived.get_or_compute(  # type: ignore[no-any-return]
        engine, ("reconciled", at), compute
    )


_PARAMETERS: dict[tuple[str, str], frozenset[str]] = {}


async def known_parameters(request: Request) -> None:
    """Refuse a query parameter the route does not take: a misspelt filter (``?beschikkng=``)
    must not silently answer with everything."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    key = (request.method, getattr(route, "path", ""))
    names = _PARAMETERS.get(key)
    if names is None:
        names = frozenset(_query_names(dependant))
        _PARAMETERS[key] = names
    unknown = sorted(set(request.query_params) - names)
    if unknown:
        takes = ", ".join(sorted(names)) or "none"
        raise Refusal(
            422,
            "unknown_parameter",
            f"This route does not take the query parameter {', '.join(unknown)}; it takes: {takes}.",
        )


def _query_names(dependant: Any) -> set[str]:
    """The query parameters a route and its dependencies declare."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names
