"""The optional re-identification key: encrypted, passphrase-protected, never beside the output.

Format: ``LWPKEY1\\n`` + 16-byte salt + a Fernet token of the JSON mapping
``{case name: {"sha256": ..., "entries": [[start, end, type, original], ...]}}``.
The Fernet key is derived from the passphrase with scrypt (n=2**15, r=8, p=1).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from leerwerkplaats.core.errors import KeyFileError
from leerwerkplaats.core.io_atomic import write_bytes_atomic

MAGIC = b"LWPKEY1\n"
#: Shortest passphrase accepted for a new key (existing keys open with the one they were made with).
MIN_PASSPHRASE = 12


def check_passphrase(passphrase: str, fix: str = "choose a longer one") -> None:
    """Refuse a passphrase too short to protect a new key; ``fix`` ends the message.

    Raises
    ------
    KeyFileError
        "the passphrase must be at least 12 characters; <fix>".
    """
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyFileError(f"the passphrase must be at least {MIN_PASSPHRASE} characters; {fix}")


def _fernet(passphrase: str, salt: bytes) -> Fernet:
    if not passphrase:
        raise KeyFileError("an empty passphrase cannot protect a key")
    kdf = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1)
    return Fernet(base64.urlsafe_b64encode(kdf.derive(passphrase.encode("utf-8"))))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def encrypt_key(cases: dict[str, dict], passphrase: str) -> bytes:
    """The bytes of a key file holding ``cases`` (name → {"sha256", "entries"})."""
    salt = os.urandom(16)
    token = _fernet(passphrase, salt).encrypt(json.dumps(cases, ensure_ascii=False).encode("utf-8"))
    return MAGIC + salt + token


def write_key(path: str | Path, cases: dict[str, dict], passphrase: str) -> None:
    """Encrypt ``cases`` into ``path``, atomically (the commands stage :func:`encrypt_key` through their output policy)."""
    write_bytes_atomic(Path(path), encrypt_key(cases, passphrase), mode=0o600)


def read_key(path: str | Path, passphrase: str) -> dict[str, dict]:
    """Decrypt a key file; a wrong passphrase or a damaged file raises :class:`KeyFileError`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot be read ({exc.strerror})") from None
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 17:
        raise KeyFileError(f"{path}: not a leerwerkplaats key file")
    salt, token = data[len(MAGIC):len(MAGIC) + 16], data[len(MAGIC) + 16:]
    try:
        return json.loads(_fernet(passphrase, salt).decrypt(token))
    except InvalidToken:
        raise KeyFileError(f"{path}: wrong passphrase, or the key file is damaged") from None


def entries_for(result) -> dict:
    """The key record of one :class:`~leerwerkplaats.privacy.pseudonymise.PseudonymisationResult`."""
    return {
        "sha256": text_hash(result.case.text),
        "date_shift_days": result.date_shift_days,
        "entries": [[e.start, e.end, e.type, e.original] for e in result.key],
    }


def reidentify(text: str, record: dict) -> str:
    """Put the originals back into a pseudonymised text; refuses a text that was edited since."""
    if text_hash(text) != record["sha256"]:
        raise KeyFileError("the pseudonymised file was changed after pseudonymisation; the key does not fit")
    out = text
    for start, end, _type, original in sorted(record["entries"], reverse=True):
        out = out[:start] + original + out[end:]
    return out
