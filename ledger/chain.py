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

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, slots=True)
class PostingContent:
    account: str
    side: str
    minor_units: int
    currency: str


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
    document = {
        "key": content.key,
        "effective_on": content.effective_on.isoformat(),
        "memo": content.memo,
        "actor": content.actor,
        "reason": content.reason,
        "source_document": content.source_document,
        "reverses": content.reverses,
        "postings": [[p.account, p.side, p.minor_units, p.currency] for p in content.postings],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def content_digest(content: EntryContent) -> str:
    return hashlib.sha256(canonical_form(content)).hexdigest()


def canonical_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("recorded_at must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def chain_hash(prev_hash: str, sequence: int, recorded_at: datetime, digest: str) -> str:
    material = f"{prev_hash}|{sequence}|{canonical_time(recorded_at)}|{digest}"
    return hashlib.sha256(material.encode()).hexdigest()
