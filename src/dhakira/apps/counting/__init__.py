"""Counting the unreported: capture histories from the dossier and multiple systems estimates.

A thin Django app over :mod:`dhakira.core.counting`. Start with
:func:`dhakira.apps.counting.services.run_estimate`; the brief calls
:func:`dhakira.apps.counting.services.summary_for_brief`.
"""

__all__: list[str] = []
