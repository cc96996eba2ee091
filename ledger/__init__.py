"""regioledger's double-entry core and its persistence.

The top-level modules are pure: no I/O and no database, the standard library and Babel (for
words) only; import-linter holds them to it. ``ledger.db`` is the journal's persistence and
``ledger.regio`` the Regio Deals domain on top (its pure rules, and ``ledger.regio.db``).
"""
