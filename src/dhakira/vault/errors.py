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


class KeySlotError(VaultError):
    """A key slot cannot be added, changed or removed as asked."""
