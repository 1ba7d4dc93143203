#!/usr/bin/env python3
"""Signs MESSAGE with PRIVATE_KEY_HEX in every form circles accepts, with coincurve (libsecp256k1) and
the pure-Python keccak of circle_client.py, and prints them as JSON for the Swift tests to verify.
Also verifies Swift-made signatures given as extra arguments: compact=HEX eth=HEX."""
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coincurve  # noqa: E402
from coincurve.ecdsa import cdata_to_der, deserialize_compact  # noqa: E402
from circle_client import keccak256, sign  # noqa: E402

N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def main():
    key_hex, message = sys.argv[1], sys.argv[2]
    key = coincurve.PrivateKey(bytes.fromhex(key_hex))
    out = {}
    for form in ("compact", "recoverable", "eth"):
        pub, sig = sign(key, message, form)
        out[form] = {"pubkey": pub, "signature": sig}
    compact = bytes.fromhex(out["compact"]["signature"])
    r, s = compact[:32], int.from_bytes(compact[32:], "big")
    out["high_s"] = (r + (N - s).to_bytes(32, "big")).hex()
    out["der"] = key.sign(message.encode(), hasher=lambda m: hashlib.sha256(m).digest()).hex()
    pub = key.public_key
    for arg in sys.argv[3:]:
        form, sig_hex = arg.split("=", 1)
        sig = bytes.fromhex(sig_hex)
        if form == "compact":
            der = cdata_to_der(deserialize_compact(sig))
            out["verified_compact"] = pub.verify(der, message.encode(), hasher=lambda m: hashlib.sha256(m).digest())
        elif form == "eth":
            data = b"\x19Ethereum Signed Message:\n" + str(len(message.encode())).encode() + message.encode()
            rec = sig[:64] + bytes([sig[64] - 27])
            recovered = coincurve.PublicKey.from_signature_and_message(rec, data, hasher=keccak256)
            out["verified_eth"] = recovered.format() == pub.format()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
