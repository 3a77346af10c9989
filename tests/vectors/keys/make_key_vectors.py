"""Regenerate hkdf_labels.json: ``.venv/bin/python tests/vectors/keys/make_key_vectors.py``.

Each sub-key comes from ``dhakira.vault.keys.derive`` with the fixed synthetic data key
``00 01 … 1f``; tests/vault/test_keys.py also derives them with an independent RFC 5869
HKDF written with only ``hmac``, so a vector is not merely the code agreeing with itself.
"""

from __future__ import annotations

import json
from pathlib import Path

from dhakira.core.vault import keys

DATA_KEY = bytes(range(32))
HERE = Path(__file__).parent


def main() -> None:
    vectors = {
        "comment": "HKDF-SHA256(ikm=data_key, salt=None, info=label, L=32); synthetic key",
        "data_key_hex": DATA_KEY.hex(),
        "subkeys": [{"name": name, "label": label.decode(), "subkey_hex":
                     keys.derive(DATA_KEY, label).hex()} for name, label in keys.LABELS.items()],
    }
    (HERE / "hkdf_labels.json").write_text(json.dumps(vectors, indent=2) + "\n")


if __name__ == "__main__":
    main()
