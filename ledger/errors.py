"""Refusals as data: every problem has a stable code and says what, where and what to do."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ledger.said import Both, Said


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing that is wrong, with a stable ``code`` that callers may rely on.

    ``message`` is English, ``message_nl`` Dutch (both said by ``Problem.of`` from one
    ``ledger.said`` text); ``entry`` and ``account`` name where the problem is, ``details``
    carries the values involved.
    """

    code: str
    message: str
    message_nl: str = ""
    entry: str | None = None
    account: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        code: str,
        text: Said,
        entry: str | None = None,
        account: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> Problem:
        """The problem ``code``, said in English and in Dutch."""
        return cls(code, text.in_("en"), text.in_("nl"), entry, account, details or {})

    @property
    def said(self) -> Both:
        """The message in both languages, to pass on inside another text."""
        from ledger.said import Both

        return Both(self.message, self.message_nl)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "message_nl": self.message_nl,
            "entry": self.entry,
            "account": self.account,
            "details": {key: str(value) for key, value in self.details.items()},
        }


class LedgerError(Exception):
    """A refused operation. ``problems`` lists every reason; ``code`` is the first one's."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("LedgerError needs at least one problem")
        super().__init__("; ".join(f"{p.code}: {p.message}" for p in self.problems))

    @property
    def code(self) -> str:
        return self.problems[0].code

    @classmethod
    def single(cls, code: str, text: Said, **where: Any) -> LedgerError:
        entry = where.pop("entry", None)
        account = where.pop("account", None)
        return cls([Problem.of(code, text, entry, account, where)])


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise LedgerError(problems)
