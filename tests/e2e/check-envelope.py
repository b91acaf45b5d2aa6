"""Validates a pai-diag JSON document against docs/envelope.schema.json.

usage: check-envelope.py SCHEMA DOCUMENT
Prints the first violation and exits 1 when the document does not conform.
"""
import json
import sys

import jsonschema

with open(sys.argv[1]) as f:
    schema = json.load(f)
with open(sys.argv[2]) as f:
    doc = json.load(f)
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc),
                key=lambda e: list(e.path))
if errors:
    e = errors[0]
    print("%s: %s" % ("/".join(str(p) for p in e.path) or "(root)", e.message))
    sys.exit(1)
