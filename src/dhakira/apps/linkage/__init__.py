"""Identity resolution in the dossier: link runs, the review queue and reversible person links.

The pure model is :mod:`dhakira.core.linkage`; this app reads mentions out of the dossier, stores
candidate pairs for review, records every decision in the custody ledger and keeps merges
as reversible links (no Person row is ever deleted).
"""
