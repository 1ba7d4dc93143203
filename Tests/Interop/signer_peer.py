#!/usr/bin/env python3
"""An independent signer for the signing service (seed 004), with Python's websockets, coincurve
(libsecp256k1) and cryptography (Ed25519) packages.

    signer_peer.py URL (secp256k1|ed25519) SECRET_HEX (hex|base64) COUNT

Connects to URL, introduces itself with the public key derived here (in hex or base64), answers the
challenge (the requests before `registered`) over "circles-register:v1\n" host "\n" key hex "\n"
challenge hex and every later sign_request over "circles-sign:v1\n" + message (secp256k1: 64-byte
compact ECDSA over SHA-256; Ed25519: over the bytes themselves),
prints one JSON line per event, and closes after answering COUNT requests (the challenge included);
the last line is a summary {"signed": N, "registered": KEY, "errors": [...]}.
"""
import base64
import json
import sys
from urllib.parse import urlsplit

from coincurve import PrivateKey
from coincurve.ecdsa import der_to_cdata, serialize_compact
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from websockets.sync.client import connect


def make_signer(kind, secret):
    if kind == "secp256k1":
        key = PrivateKey(secret)
        return key.public_key.format(compressed=True), lambda m: serialize_compact(der_to_cdata(key.sign(m)))
    key = Ed25519PrivateKey.from_private_bytes(secret)
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw), key.sign


def main():
    url, kind, secret_hex, encoding, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    public, sign = make_signer(kind, bytes.fromhex(secret_hex))
    summary = {"signed": 0, "registered": None, "errors": []}
    host = urlsplit(url).netloc.lower()
    with connect(url, compression=None) as ws:
        shown = public.hex() if encoding == "hex" else base64.b64encode(public).decode()
        ws.send(json.dumps({"type": "introduction", "public_key": shown}))
        for text in ws:
            message = json.loads(text)
            kind_of = message.get("type")
            if kind_of == "sign_request":
                data = base64.b64decode(message["message"], validate=True)
                if summary["registered"] is None:
                    signed = f"circles-register:v1\n{host}\n{public.hex()}\n{data.hex()}".encode()
                else:
                    signed = b"circles-sign:v1\n" + data
                ws.send(json.dumps({
                    "type": "sign_response",
                    "request_id": message["request_id"],
                    "message": message["message"],
                    "signature": base64.b64encode(sign(signed)).decode(),
                }))
                summary["signed"] += 1
                print(json.dumps({"signed": message["request_id"], "bytes": len(data)}), flush=True)
                if summary["signed"] >= count:
                    break
            elif kind_of == "registered":
                summary["registered"] = message["public_key"]
                print(json.dumps({"registered": message["public_key"]}), flush=True)
            elif kind_of == "error":
                summary["errors"].append(message["code"])
                print(json.dumps({"error": message}), flush=True)
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
