#!/usr/bin/env python3
"""An independent circles client: Python's websockets + coincurve (libsecp256k1 bindings) + cryptography
(OpenSSL's Ed25519) + a pure-Python keccak-256. Authenticates against a circle node with one signature
form and plays a script.

    circle_client.py URL PRIVATE_KEY_HEX FORM SCRIPT [MESSAGE]
FORM: compact | recoverable | eth (Ethereum personal-sign, uncompressed pubkey, like the original clients)
      | ed25519 (PRIVATE_KEY_HEX is the 32-byte seed)
MESSAGE: legacy (the bare nonce, the default) | bound (SPEC 3.1: "circles-auth:v1\n" host "\n" circle "\n" nonce)
Prints one JSON line: {"nonce": ..., "auth": <authenticate response>, "play": <play response>}.
"""
import hashlib
import json
import sys
from urllib.parse import urlsplit

try:
    import coincurve
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from websockets.sync.client import connect
except ImportError as missing:
    sys.stderr.write(f"missing Python module {missing.name!r}: install it with "
                     "`python3 -m pip install websockets coincurve cryptography` (scripts/setup.sh does)\n")
    sys.exit(3)

# Keccak-f[1600] and keccak-256 (the pre-SHA-3 padding Ethereum uses), written from FIPS 202.
_RC = [0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
       0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
       0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
       0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
       0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008]
_ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]
_M = (1 << 64) - 1


def _rol(v, n):
    return ((v << n) | (v >> (64 - n))) & _M if n else v


def _keccak_f(a):
    for rc in _RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
        a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rol(a[x][y], _ROT[x][y])
        a = [[b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y]) for y in range(5)] for x in range(5)]
        a[0][0] ^= rc
    return a


def keccak256(data: bytes) -> bytes:
    rate = 136
    msg = bytearray(data) + b"\x01"
    while len(msg) % rate:
        msg += b"\x00"
    msg[-1] |= 0x80
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(msg), rate):
        block = msg[off:off + rate]
        for i in range(rate // 8):
            x, y = i % 5, i // 5
            a[x][y] ^= int.from_bytes(block[8 * i:8 * i + 8], "little")
        a = _keccak_f(a)
    out = b"".join(a[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
    return out


assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"


def sign(key, nonce: str, form: str):
    message = nonce.encode()
    if form == "ed25519":
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return public.hex(), key.sign(message).hex()
    if form == "compact":
        sig = key.sign_recoverable(message, hasher=lambda m: hashlib.sha256(m).digest())[:64]
        return key.public_key.format(compressed=True).hex(), sig.hex()
    if form == "recoverable":
        sig = key.sign_recoverable(message, hasher=lambda m: hashlib.sha256(m).digest())
        return key.public_key.format(compressed=True).hex(), sig.hex()
    if form == "eth":
        prefixed = b"\x19Ethereum Signed Message:\n" + str(len(message)).encode() + message
        sig = bytearray(key.sign_recoverable(prefixed, hasher=keccak256))
        sig[64] += 27
        return key.public_key.format(compressed=False).hex(), "0x" + bytes(sig).hex()
    raise SystemExit(f"unknown form {form}")


def call(ws, method, params, ident):
    ws.send(json.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": ident}))
    return json.loads(ws.recv(timeout=30))


def bound_message(url: str, nonce: str) -> str:
    """SPEC 3.1's bound form: the host as the URL names it (and as the Host header carries it)."""
    parts = urlsplit(url)
    circle = parts.path.rstrip("/").split("/")[-1]
    return f"circles-auth:v1\n{parts.netloc.lower()}\n{circle}\n{nonce}"


def main():
    url, key_hex, form, script = sys.argv[1:5]
    mode = sys.argv[5] if len(sys.argv) > 5 else "legacy"
    if form == "ed25519":
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(key_hex))
    else:
        key = coincurve.PrivateKey(bytes.fromhex(key_hex))
    with connect(url, open_timeout=10) as ws:
        claimed, _ = sign(key, "probe", form)
        nonce = call(ws, "fetch_nonce", {"pubkey": claimed}, 1)["result"]["nonce"]
        message = bound_message(url, nonce) if mode == "bound" else nonce
        pubkey, signature = sign(key, message, form)
        auth = call(ws, "authenticate", {"pubkey": pubkey, "signature": signature}, 2)
        played = call(ws, "play", {"script": script}, 3) if "result" in auth else None
        print(json.dumps({"nonce": nonce, "auth": auth, "play": played}))


if __name__ == "__main__":
    main()
