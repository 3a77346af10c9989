"""Named errors of the vault."""

from dhakira.errors import DhakiraError


class VaultError(DhakiraError):
    """Something is wrong with a vault directory or its keys."""


class WrongPassphrase(VaultError):
    """No key slot opens with the passphrase given."""

    exit_code = 2


class VaultLocked(VaultError):
    """The vault's data key is not in memory: unlock it first."""

    exit_code = 3


class VaultNotFound(VaultError):
    """The directory is not a Dhakira vault."""

    exit_code = 4


class VaultNeedsMigration(VaultError):
    """The vault was made by an earlier release: ``dhakira migrate`` brings it up to date."""

    exit_code = 6


class VaultTooNew(VaultError):
    """The vault was made by a newer release than this one; nothing is read or written."""

    exit_code = 7


class SigningKeyMissing(VaultError):
    """The vault has no custody signing key (it is made once, by ``dhakira init``)."""


class KeySlotError(VaultError):
    """A key slot cannot be added, changed or removed as asked."""


class BlobIntegrityError(VaultError):
    """An encrypted blob failed authentication: altered, truncated, extended or swapped.

    One opaque error for every failure mode, on purpose: telling a truncated blob from a
    flipped bit helps an attacker more than it helps the investigator, who restores the
    blob from a backup either way. The message names the blob by its plaintext SHA-256,
    never by a key.
    """

    def __init__(self, sha256: str) -> None:
        self.sha256 = sha256
        super().__init__(
            f"blob {sha256} failed its integrity check (altered, truncated or swapped); "
            "restore it from a backup and run `dhakira verify` again"
        )


class BlobNotFound(VaultError):
    """No blob with that SHA-256 is held in the store."""

    def __init__(self, sha256: str) -> None:
        self.sha256 = sha256
        super().__init__(f"no blob with SHA-256 {sha256} is held in this vault")


class InvalidBlobRequest(VaultError, ValueError):
    """A blob-store argument is malformed (a data key of the wrong size, a bad digest)."""


class WeakPassphrase(VaultError):
    """A new passphrase is too weak to guard the vault (see :mod:`dhakira.core.vault.strength`)."""

    exit_code = 64
