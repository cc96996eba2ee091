"""Refusals as data: every problem has a stable code and says what, where and what to do."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing that is wrong, with a stable ``code`` that callers may rely on.

    ``message`` is English, ``message_nl`` Dutch; ``entry`` and ``account`` name where the
    problem is, ``details`` carries the values involved.
    """

    code: str
    message: str
    message_nl: str = ""
    entry: str | None = None
    account: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

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
    def single(cls, code: str, message: str, message_nl: str = "", **where: Any) -> LedgerError:
        entry = where.pop("entry", None)
        account = where.pop("account", None)
        return cls([Problem(code, message, message_nl, entry, account, where)])


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise LedgerError(problems)
