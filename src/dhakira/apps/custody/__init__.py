"""Persistence of the custody ledger: the Django side of :mod:`dhakira.core.custody`.

Only :func:`dhakira.apps.custody.store.record` and :func:`~dhakira.apps.custody.store.record_many`
append entries; nothing updates or deletes them.
"""
