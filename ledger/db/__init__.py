"""Persistence of the ledger: SQLModel tables, the unit of work, the journal repository and
the service layer. The database enforces the invariants too (see migrations/sql/)."""
