"""Exports of a selection in others' formats (HURIDOCS ESF JSON, Uwazi CSV), through the
hand-over's consent gate and redaction, and the import of an ESF document
(docs/import-export.md). No models: the log is the hand-over's disclosure log."""
