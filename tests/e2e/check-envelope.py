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
validator = jsonschema.Draft202012Validator(schema)
# A fleet document holds one envelope per target.
if isinstance(doc, dict) and doc.get("fleet") is True:
    keys = {"schema_version", "fleet", "ok", "outcome", "exit_code", "runs",
            "warnings"}
    if set(doc) != keys:
        print("(root): fleet document keys %s" % sorted(doc))
        sys.exit(1)
    docs = [("runs/%d" % i, run) for i, run in enumerate(doc["runs"])]
else:
    docs = [("", doc)]
for where, d in docs:
    errors = sorted(validator.iter_errors(d), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        path = "/".join(str(p) for p in e.path) or "(root)"
        print("%s%s: %s" % (where + "/" if where else "", path, e.message))
        sys.exit(1)
