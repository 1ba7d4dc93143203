#!/usr/bin/env python3
"""Signs a webhook body the way Stripe and iDenfy do, with Python's hmac module (independent of ours).

    webhook_sign.py SECRET TIMESTAMP BODY_FILE
Prints one JSON line: {"stripe": "t=TIMESTAMP,v1=HEX", "idenfy": "HEX"}.
"""
import hashlib
import hmac
import json
import sys

secret, timestamp, path = sys.argv[1], sys.argv[2], sys.argv[3]
body = open(path, "rb").read()
stripe = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
idenfy = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
print(json.dumps({"stripe": f"t={timestamp},v1={stripe}", "idenfy": idenfy}))
