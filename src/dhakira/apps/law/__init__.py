"""Django app for legal analysis: charges, element assessments, the proof matrix, patterns,
perpetrators and the brief. The law itself (catalogue, matrix, patterns) is the pure core
:mod:`dhakira.core.law`; this app only selects from the dossier and records analysts' decisions."""
