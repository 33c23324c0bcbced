"""The cryptography of the whistleblowing system, on libsodium (PyNaCl). No Django here.

- A **person's key pair** (Curve25519): the private key is wrapped (XSalsa20-Poly1305
  ``SecretBox``) with a key derived from their passphrase by Argon2id, and a second time with a
  random recovery key given to them once.
- A **case key pair** per report: its private key is sealed (``SealedBox``) to each recipient's
  public key, and wrapped with a key derived from the whistleblower's receipt.
- **Texts** (the 4W+1H, identity, messages) are padded and sealed to the case public key.
- **Files** are encrypted as a stream of fixed-size chunks (XChaCha20-Poly1305 secretstream) with
  a random key per file, padded (Padmé) to hide their size; the file key is sealed to the case.

Every decryption authenticates: a changed byte raises ``Tampered``.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from hashlib import blake2b
from typing import IO, Any

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_ABYTES as STREAM_ABYTES,
)
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_HEADERBYTES as STREAM_HEADERBYTES,
)
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_init_pull,
    crypto_secretstream_xchacha20poly1305_init_push,
    crypto_secretstream_xchacha20poly1305_pull,
    crypto_secretstream_xchacha20poly1305_push,
    crypto_secretstream_xchacha20poly1305_state,
)
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_KEYBYTES as STREAM_KEYBYTES,
)
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_TAG_FINAL as TAG_FINAL,
)
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_TAG_MESSAGE as TAG_MESSAGE,
)
from nacl.public import PrivateKey, PublicKey, SealedBox

CHUNK = 64 * 1024  # plaintext bytes per secretstream chunk
MIN_PADDED_FILE = CHUNK  # no file is stored smaller than one chunk
MIN_PADDED_TEXT = 256
SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES
RECEIPT_DIGITS = 16


class Tampered(Exception):
    """A ciphertext failed authentication: changed, truncated, or not for this key."""


@dataclass(frozen=True)
class KdfCost:
    """Argon2id cost, stored beside what it protects so it can be raised later."""

    opslimit: int
    memlimit: int


INTERACTIVE = KdfCost(
    nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE, nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
)
MINIMUM = KdfCost(nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_MIN)


def derive(secret: str, salt: bytes, cost: KdfCost, size: int = 32) -> bytes:
    return nacl.pwhash.argon2id.kdf(
        size, secret.encode(), salt, opslimit=cost.opslimit, memlimit=cost.memlimit
    )


def new_salt() -> bytes:
    return nacl.utils.random(SALT_BYTES)


# --- secret boxes (symmetric) -------------------------------------------------------------


def box_encrypt(key: bytes, plaintext: bytes) -> bytes:
    return bytes(nacl.secret.SecretBox(key).encrypt(plaintext))


def box_decrypt(key: bytes, ciphertext: bytes) -> bytes:
    try:
        return nacl.secret.SecretBox(key).decrypt(ciphertext)
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as exc:
        raise Tampered("secret box") from exc


# --- people's key pairs ---------------------------------------------------------------------


@dataclass(frozen=True)
class WrappedKey:
    public_key: bytes
    salt: bytes
    cost: KdfCost
    wrapped: bytes  # private key under the passphrase-derived key
    recovery_wrapped: bytes  # private key under the recovery key


def recovery_key_text(raw: bytes) -> str:
    """A recovery key as people copy it: base32 in groups of four."""
    text = base64.b32encode(raw).decode().rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def recovery_key_raw(text: str) -> bytes:
    clean = "".join(ch for ch in text.upper() if ch.isalnum())
    clean += "=" * (-len(clean) % 8)
    try:
        raw = base64.b32decode(clean)
    except ValueError as exc:
        raise Tampered("recovery key") from exc
    if len(raw) != 32:
        raise Tampered("recovery key")
    return raw


def new_person_key(passphrase: str, cost: KdfCost) -> tuple[WrappedKey, str]:
    """A new key pair wrapped with ``passphrase``, and its recovery key (to show once)."""
    private = PrivateKey.generate()
    return wrap_private(bytes(private), passphrase, cost)


def wrap_private(private: bytes, passphrase: str, cost: KdfCost) -> tuple[WrappedKey, str]:
    """Wrap an existing private key under a new passphrase and a new recovery key."""
    salt = new_salt()
    recovery = nacl.utils.random(32)
    key = WrappedKey(
        public_key=bytes(PrivateKey(private).public_key),
        salt=salt,
        cost=cost,
        wrapped=box_encrypt(derive(passphrase, salt, cost), private),
        recovery_wrapped=box_encrypt(recovery, private),
    )
    return key, recovery_key_text(recovery)


def unwrap_with_passphrase(key: WrappedKey, passphrase: str) -> bytes:
    return box_decrypt(derive(passphrase, key.salt, key.cost), key.wrapped)


def unwrap_with_recovery(key: WrappedKey, recovery_text: str) -> bytes:
    return box_decrypt(recovery_key_raw(recovery_text), key.recovery_wrapped)


# --- case keys ---------------------------------------------------------------------------------


def new_case_key() -> tuple[bytes, bytes]:
    """(public, private) of a new case."""
    private = PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def seal(public_key: bytes, plaintext: bytes) -> bytes:
    return bytes(SealedBox(PublicKey(public_key)).encrypt(plaintext))


def unseal(private_key: bytes, ciphertext: bytes) -> bytes:
    try:
        return SealedBox(PrivateKey(private_key)).decrypt(ciphertext)
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as exc:
        raise Tampered("sealed box") from exc


def _pad_text(data: bytes) -> bytes:
    body = struct.pack(">I", len(data)) + data
    return body + b"\0" * (padme(max(len(body), MIN_PADDED_TEXT)) - len(body))


def _unpad_text(data: bytes) -> bytes:
    (size,) = struct.unpack(">I", data[:4])
    if size > len(data) - 4:
        raise Tampered("padding")
    return data[4 : 4 + size]


def seal_json(public_key: bytes, value: Any) -> bytes:
    """A JSON value padded (its length hidden in Padmé buckets) and sealed to ``public_key``."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return seal(public_key, _pad_text(raw))


def unseal_json(private_key: bytes, ciphertext: bytes) -> Any:
    return json.loads(_unpad_text(unseal(private_key, ciphertext)))


# --- receipts ---------------------------------------------------------------------------------


def new_receipt() -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(RECEIPT_DIGITS))


def normalise_receipt(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def receipt_index(index_key: bytes, receipt: str) -> str:
    """A keyed fast hash of the receipt: the unique column a lookup uses. Without the server's
    key a database dump cannot be searched with it."""
    return blake2b(
        receipt.encode(), key=index_key, digest_size=32, person=b"lapor-wbs-rcpt"
    ).hexdigest()


def receipt_secrets(receipt: str, salt: bytes, cost: KdfCost) -> tuple[bytes, bytes]:
    """(verifier, wrapping key) from one slow Argon2id derivation of the receipt. Only the
    verifier is stored; the wrapping key opens the case key for the whistleblower."""
    out = derive(receipt, salt, cost, size=64)
    return out[:32], out[32:]


def same(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)


# --- padding ----------------------------------------------------------------------------------


def padme(length: int) -> int:
    """Padmé (Nikitin et al., PURBs): round ``length`` up so that at most O(log log n) bits of
    it remain; at most about 12 % is added."""
    if length < 2:
        return length
    e = length.bit_length() - 1
    s = e.bit_length()
    last_bits = e - s
    mask = (1 << last_bits) - 1
    return (length + mask) & ~mask


def padded_file_size(length: int) -> int:
    return padme(max(length, MIN_PADDED_FILE))


# --- files --------------------------------------------------------------------------------


class StreamEncryptor:
    """Encrypt a file fed in pieces of any size; ciphertext is written to ``out`` chunk by
    chunk, so memory stays at one chunk whatever the file's size."""

    def __init__(self, out: IO[bytes]) -> None:
        self.key = nacl.utils.random(STREAM_KEYBYTES)
        self.out = out
        self._state = crypto_secretstream_xchacha20poly1305_state()
        header = crypto_secretstream_xchacha20poly1305_init_push(self._state, self.key)
        out.write(header)
        self._buffer = bytearray()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.size += len(data)
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._push(bytes(self._buffer[:CHUNK]), TAG_MESSAGE)
            del self._buffer[:CHUNK]

    def _push(self, chunk: bytes, tag: int) -> None:
        self.out.write(crypto_secretstream_xchacha20poly1305_push(self._state, chunk, tag=tag))

    def finish(self) -> int:
        """Pad to the size bucket and close the stream; returns the plaintext size. Every chunk
        but the last holds exactly ``CHUNK`` bytes, the last one 1 to ``CHUNK``."""
        padding = padded_file_size(self.size) - self.size
        while padding:
            take = min(padding, CHUNK)
            self._buffer += bytes(take)
            padding -= take
            while len(self._buffer) > CHUNK:
                self._push(bytes(self._buffer[:CHUNK]), TAG_MESSAGE)
                del self._buffer[:CHUNK]
        self._push(bytes(self._buffer), TAG_FINAL)
        self._buffer.clear()
        return self.size


def encrypted_chunks(source: Iterable[bytes], out: IO[bytes]) -> tuple[bytes, int]:
    """Encrypt ``source`` into ``out``; (file key, plaintext size)."""
    enc = StreamEncryptor(out)
    for piece in source:
        enc.write(piece)
    return enc.key, enc.finish()


def decrypt_stream(key: bytes, source: IO[bytes], size: int) -> Iterator[bytes]:
    """The first ``size`` plaintext bytes of an encrypted file, chunk by chunk. A changed,
    reordered or cut-off chunk raises ``Tampered``."""
    header = source.read(STREAM_HEADERBYTES)
    if len(header) != STREAM_HEADERBYTES:
        raise Tampered("file header")
    state = crypto_secretstream_xchacha20poly1305_state()
    try:
        crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
    except (nacl.exceptions.CryptoError, ValueError) as exc:
        raise Tampered("file header") from exc
    left = size
    while True:
        block = source.read(CHUNK + STREAM_ABYTES)
        if not block:
            raise Tampered("file cut short")
        try:
            plain, tag = crypto_secretstream_xchacha20poly1305_pull(state, block)
        except (nacl.exceptions.CryptoError, ValueError) as exc:
            raise Tampered("file chunk") from exc
        if left > 0:
            piece = plain[:left]
            left -= len(piece)
            yield piece
        if tag == TAG_FINAL:
            if source.read(1):
                raise Tampered("data after the end")
            if left:
                raise Tampered("file cut short")
            return


def ciphertext_size(padded: int) -> int:
    chunks = max(1, -(-padded // CHUNK))
    return STREAM_HEADERBYTES + padded + chunks * STREAM_ABYTES
