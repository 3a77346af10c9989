"""Hand-over: selection, consent gate, redaction and packaging, and the disclosure log.

A Django app on top of the pure :mod:`dhakira.core.handover` core. Import its modules directly
(``dhakira.apps.handover.build``, ``.gate``, ``.select``); this package imports nothing at load
time so that Django can set up first.
"""

__all__: list[str] = []
