"""Persistence of the custody ledger: the Django side of :mod:`dhakira.custody`.

Only :func:`dhakira.ledger.store.record` and :func:`~dhakira.ledger.store.record_many`
append entries; nothing updates or deletes them.
"""
