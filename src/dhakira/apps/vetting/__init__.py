"""Vetting: each report's vetting status, reviewers' comments, external reviewers and
confirmation tasks (docs/vetting.md)."""
