"""HTTPS for ``dhakira serve``: the certificate, its private key, and the TLS context.

A certificate comes from the organisation (``--tls-cert``/``--tls-key``) or is made here
(:func:`make_self_signed`) and kept in the vault: ``tls/cert.pem`` (public) and
``tls/key.sealed``, the private key sealed under the vault's data key
(:mod:`dhakira.core.vault.sealed`), so it is never plaintext on disk. Browsers cannot check a
self-made certificate against an authority; people pin its SHA-256 fingerprint instead
(:func:`fingerprint`, printed by ``dhakira tls make`` and ``dhakira serve``).

Python's ``ssl`` loads keys from files only: :func:`context` hands it the key re-encrypted
under a one-time password in a private temporary directory, and removes the file at once.
When the server re-executes itself locked (no data key), the pair travels to the new image
in memory (:func:`to_fd`/:func:`from_fd`), never through a file.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import secrets
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

__all__ = ["KEY_FILE", "PURPOSE", "Pair", "context", "fingerprint", "from_fd", "load_files",
           "load_from_vault", "make_self_signed", "save_to_vault", "to_fd"]

VALID_DAYS = 825  # the longest validity browsers accept for a server certificate
_SEP = b"\n--dhakira-tls-key--\n"
PURPOSE = "tls server key"
KEY_FILE = "tls/key.sealed"  # relative to the vault; `dhakira rekey` seals it again


@dataclass(frozen=True)
class Pair:
    """A PEM certificate chain and its PEM private key (unencrypted, in memory only)."""

    cert_pem: bytes
    key_pem: bytes = b""

    def __repr__(self) -> str:  # never print the key
        return f"Pair(fingerprint={fingerprint(self.cert_pem)})"


def make_self_signed(names: list[str]) -> Pair:
    """A new P-256 key and a certificate for ``names`` (host names or IP addresses)."""
    if not names:
        raise ValueError("a certificate needs at least one host name or address")
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0]),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Dhakira")])
    alt: list[x509.GeneralName] = []
    for name in names:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt.append(x509.DNSName(name))
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return Pair(cert.public_bytes(serialization.Encoding.PEM), key_pem)


def fingerprint(cert_pem: bytes) -> str:
    """The SHA-256 fingerprint of the first certificate in ``cert_pem``, as ``AB:CD:...``."""
    digest = x509.load_pem_x509_certificate(cert_pem).fingerprint(hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)


def load_files(cert: Path, key: Path) -> Pair:
    """The organisation's certificate chain and unencrypted private key, read from files.

    Raises:
        ValueError: the files do not hold a certificate and a key that belongs to it.
    """
    pair = Pair(cert.read_bytes(), key.read_bytes())
    try:
        private = serialization.load_pem_private_key(pair.key_pem, password=None)
        leaf = x509.load_pem_x509_certificate(pair.cert_pem)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{cert} and {key} must be a PEM certificate and an unencrypted "
                         "PEM private key") from exc
    pem = serialization.Encoding.PEM
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    if private.public_key().public_bytes(pem, spki) != leaf.public_key().public_bytes(pem, spki):
        raise ValueError(f"the key in {key} does not belong to the certificate in {cert}")
    return pair


def save_to_vault(vault: Path, pair: Pair) -> None:
    """Keep ``pair`` in ``vault``: the certificate as is, the key sealed (needs the vault unlocked)."""
    from dhakira.core.vault import sealed

    folder = vault / "tls"
    folder.mkdir(mode=0o700, exist_ok=True)
    token = sealed.seal(pair.key_pem, purpose=PURPOSE)
    for name, data in (("key.sealed", token), ("cert.pem", pair.cert_pem)):
        tmp = folder / f".{name}.new"
        tmp.write_bytes(data)
        os.replace(tmp, folder / name)


def load_from_vault(vault: Path) -> Pair | None:
    """The pair kept in ``vault`` by :func:`save_to_vault`, or None (needs the vault unlocked)."""
    from dhakira.core.vault import sealed

    folder = vault / "tls"
    if not (folder / "key.sealed").exists():
        return None
    key_pem = sealed.unseal((folder / "key.sealed").read_bytes(), purpose=PURPOSE)
    return Pair((folder / "cert.pem").read_bytes(), key_pem)


def context(pair: Pair) -> ssl.SSLContext:
    """A server TLS context (TLS 1.2 or later) holding ``pair``."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    password = secrets.token_bytes(32)
    private = serialization.load_pem_private_key(pair.key_pem, password=None)
    sealed = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.BestAvailableEncryption(password))
    with tempfile.TemporaryDirectory(prefix="dhakira-tls-") as tmp:  # mode 0700
        cert_file, key_file = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
        cert_file.write_bytes(pair.cert_pem)
        key_file.write_bytes(sealed)  # ciphertext; the password never leaves memory
        ctx.load_cert_chain(cert_file, key_file, password=password)
    return ctx


def to_fd(pair: Pair) -> int:
    """An inheritable file descriptor onto an in-memory copy of ``pair`` (for the next image)."""
    data = pair.cert_pem + _SEP + pair.key_pem
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("dhakira-tls", 0)  # anonymous memory, no path on disk
        os.write(fd, data)
        os.lseek(fd, 0, os.SEEK_SET)
    else:  # a pipe holds 64 KiB before a writer would block; a chain plus key fits
        fd, write_end = os.pipe()
        os.write(write_end, data)
        os.close(write_end)
    os.set_inheritable(fd, True)
    return fd


def from_fd(fd: int) -> Pair:
    """The pair :func:`to_fd` put behind ``fd``; closes it."""
    chunks = []
    with os.fdopen(fd, "rb") as stream:
        while chunk := stream.read(65536):
            chunks.append(chunk)
    cert_pem, _, key_pem = b"".join(chunks).partition(_SEP)
    return Pair(cert_pem, key_pem)
