"""Counting the unreported: capture histories from the dossier and multiple systems estimates.

A thin Django app over :mod:`dhakira.estimate`. Start with
:func:`dhakira.counting.services.run_estimate`; the brief calls
:func:`dhakira.counting.services.summary_for_brief`.
"""

__all__: list[str] = []
