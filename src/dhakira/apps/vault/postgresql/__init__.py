"""A Django database ENGINE: PostgreSQL whose transactions take turns, as on SQLCipher."""
