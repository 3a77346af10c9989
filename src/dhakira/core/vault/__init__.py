"""The vault: key slots, the SQLCipher engine for Django, and the encrypted blob store.

Only this package touches keys. The unlocked data key lives in process memory
(:mod:`dhakira.core.vault.session`) and is dropped by ``dhakira lock``.
"""
