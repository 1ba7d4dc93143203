"""Validates an OpenRPC document against the OpenRPC 1.x meta-schema: prints the errors, exits 1 if any.

Usage: python3 validate_openrpc.py META_SCHEMA DOCUMENT (or - for stdin)
"""
import json
import sys

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT7

meta = json.load(open(sys.argv[1]))
document = json.load(sys.stdin if sys.argv[2] == "-" else open(sys.argv[2]))
# The schemas of params and results are JSON Schema draft 7: its meta-schema ships with jsonschema (offline).
draft7 = DRAFT7.create_resource(jsonschema.Draft7Validator.META_SCHEMA)
registry = Registry().with_resource("https://json-schema.org/draft-07/schema", draft7)
validator = jsonschema.Draft7Validator(meta, registry=registry, format_checker=jsonschema.FormatChecker())
errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
for error in errors:
    print("/".join(str(p) for p in error.path) or "(root)", ":", error.message[:300])
sys.exit(1 if errors else 0)
