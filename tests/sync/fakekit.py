"""A field kit made of keys alone, to send the office hand-made bundles (in-process tests)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dhakira.apps.fieldkit.keys import Card
from dhakira.apps.fieldkit.records import content_hash
from dhakira.core import custody
from dhakira.core.sync import seal_bundle
from dhakira.core.sync.agekey import identity_from_signing_key, recipient_of


@dataclass
class FakeKit:
    """A device key, its age identity and its own custody chain."""

    raw: bytes = field(default_factory=lambda: os.urandom(32))
    chain: list[custody.CustodyEntry] = field(default_factory=list)

    @property
    def signer(self) -> custody.Signer:
        return custody.Signer.from_private_bytes(self.raw)

    @property
    def identity(self) -> str:
        return identity_from_signing_key(self.raw)

    def card(self) -> Card:
        return Card(self.signer.key_id, self.signer.public_key_bytes(), recipient_of(self.identity))

    def log(self, subject: str) -> None:
        self.chain.append(custody.append(self.chain[-1] if self.chain else None, self.signer,
                                         actor="rana", action="new_version", subject=subject,
                                         now=datetime.now(UTC)))

    def person(self, n: int, notes: str = "", seen: tuple[str, ...] = ()) -> dict[str, Any]:
        fields = {"counting_unit": "individual", "sex": "", "age": None, "deceased": None,
                  "notes": notes, "names": [{"text": f"Synthetic Name {n}", "kind": "full",
                                             "report": None}]}
        return {"kind": "person", "gid": f"{self.signer.key_id}/P-{n:06d}",
                "hash": content_hash("person", fields), "seen": list(seen), "fields": fields}

    def files(self, records: list[dict[str, Any]]) -> dict[str, bytes]:
        return {"records.json": json.dumps(records).encode(),
                "custody.json": json.dumps([custody.to_dict(e) for e in self.chain]).encode()}

    def bundle(self, office: Card, records: list[dict[str, Any]], *, seq: int = 1,
               made_at: datetime | None = None, signer: custody.Signer | None = None,
               receiver: str | None = None) -> bytes:
        return seal_bundle(kind="pack", signer=signer or self.signer,
                           receiver=receiver or office.key_id, recipient=office.recipient,
                           seq=seq, made_at=made_at or datetime.now(UTC),
                           files=self.files(records))
