"""The evidence locker: immutable originals, derived copies, custody checks and search.

A Django app. Import its modules directly (``dhakira.evidence.intake``,
``dhakira.evidence.integrity``, ``dhakira.evidence.search``); this package imports
nothing at load time so that Django can set up first.
"""

__all__: list[str] = []
