"""Persistence of the custody ledger: the Django side of :mod:`dhakira.custody`.

Only :func:`dhakira.ledger.store.record` appends entries; nothing updates or deletes them.
"""
