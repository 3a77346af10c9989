"""The vault's Django side: the database engines, lock and unlock, and start-up.

The keys themselves stay in :mod:`dhakira.core.vault`."""
