"""A Django database ENGINE for SQLCipher 4 (``sqlcipher3``) opened with a raw key."""
