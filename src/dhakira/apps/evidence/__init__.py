"""The evidence locker: immutable originals, derived copies, custody checks and search.

A Django app. Import its modules directly (``dhakira.apps.evidence.intake``,
``dhakira.apps.evidence.integrity``, ``dhakira.apps.search.services``); this package imports
nothing at load time so that Django can set up first.
"""

__all__: list[str] = []
