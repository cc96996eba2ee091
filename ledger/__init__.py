"""regioledger's double-entry core: pure Python, standard library only.

The persistence lives in ``ledger.db``; nothing in this package's top-level modules
performs I/O.
"""
