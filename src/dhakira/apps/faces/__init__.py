"""Faces in evidence pictures: found, decided by an analyst, blurred in hand-over copies.

The pure work (finding, blurring) is :mod:`dhakira.core.faces`; this app stores what was
found and decided (:mod:`.models`), does it with custody entries (:mod:`.services`), shows it
on the item page (:mod:`.views`) and tells the hand-over what to blur (:func:`.services.for_package`).
"""
