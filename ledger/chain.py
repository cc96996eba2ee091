"""Tamper evidence: every entry's hash covers the previous entry's hash and its own content.

``content_digest`` is a SHA-256 over a canonical JSON form of the entry (its key, dates,
texts, reversal link and postings in order, amounts as integer minor units). The chain hash
of entry *n* is SHA-256 over ``prev_hash | n | recorded_at | content_digest``. Changing any
stored amount, text or order breaks the digest of that entry; removing or inserting an entry
breaks the chain after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

GENESIS_HASH = "0" * 64


#: One posting as hashed: (account code, side, amount in minor units, currency).
PostingContent = tuple[str, str, int, str]


@dataclass(frozen=True, slots=True)
class EntryContent:
    """The hashed content of an entry, in primitive form (no validation: a verifier must be
    able to hash whatever is stored, even a broken row)."""

    key: str
    effective_on: date
    memo: str
    actor: str
    reason: str
    source_document: str | None
    reverses: str | None
    postings: Sequence[PostingContent]


def canonical_form(content: EntryContent) -> bytes:
    """A JSON array with the fields in a fixed order (the order below is the format):
    ``[key, effective_on, memo, actor, reason, source_document, reverses,
    [[account, side, minor_units, currency], ...]]``, UTF-8, no spaces."""
    document = [
        content.key,
        content.effective_on.isoformat(),
        content.memo,
        content.actor,
        content.reason,
        content.source_document,
        content.reverses,
        content.postings,
    ]
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def content_digest(content: EntryContent) -> str:
    return hashlib.sha256(canonical_form(content)).hexdigest()


@lru_cache(maxsize=256)  # a batch of entries shares one recorded time
def canonical_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("recorded_at must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def chain_hash(prev_hash: str, sequence: int, recorded_at: datetime, digest: str) -> str:
    material = f"{prev_hash}|{sequence}|{canonical_time(recorded_at)}|{digest}"
    return hashlib.sha256(material.encode()).hexdigest()
