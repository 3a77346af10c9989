"""The dossier: who did what to whom, when and where (HURIDOCS Events Standard Formats)."""
