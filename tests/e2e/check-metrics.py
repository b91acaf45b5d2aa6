#!/usr/bin/env python3
"""Checks a file strictly against the Prometheus text exposition format
(0.0.4), as the node_exporter textfile collector reads it: every family
has one HELP and one TYPE line before its samples, its samples are
together, names and labels are well formed, values are floats, no series
is written twice.  Stricter than Prometheus in one way: no blank line,
and every family must be declared.  Exits 1 with the first breach.
  check-metrics.py FILE"""
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
FLOAT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?Inf|NaN")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def die(n, why, line=""):
    sys.exit(f"line {n}: {why}: {line!r}")


def label_value(s, i, n):
    """The quoted value at s[i] (a double quote): its text and the end."""
    out = []
    i += 1
    while i < len(s):
        c = s[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\\":
            esc = s[i + 1:i + 2]
            if esc not in ("\\", '"', "n"):
                die(n, f"bad escape \\{esc} in a label value", s)
            out.append("\n" if esc == "n" else esc)
            i += 2
            continue
        if c == "\n":
            die(n, "raw newline in a label value", s)
        out.append(c)
        i += 1
    die(n, "unterminated label value", s)


def labels(s, i, n):
    """The labels from s[i] ('{') to its '}': a dict and the end."""
    got = {}
    i += 1
    while True:
        if s[i:i + 1] == "}":
            return got, i + 1
        m = LABEL.match(s, i)
        if not m or s[m.end():m.end() + 1] != "=" or s[m.end() + 1:m.end() + 2] != '"':
            die(n, "bad label", s)
        name = m.group()
        if name in got:
            die(n, f"label {name} twice", s)
        got[name], i = label_value(s, m.end() + 1, n)
        if s[i:i + 1] == ",":
            i += 1
        elif s[i:i + 1] != "}":
            die(n, "labels not separated by commas", s)


def main():
    text = open(sys.argv[1], "rb").read().decode("utf-8")
    if text and not text.endswith("\n"):
        sys.exit("the file does not end with a newline")
    helps, types, done, series = {}, {}, set(), set()
    current = None
    for n, line in enumerate(text.split("\n")[:-1], 1):
        if line == "":
            die(n, "blank line")
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                kind, name = parts[1], parts[2]
                if not NAME.fullmatch(name):
                    die(n, "bad metric name", line)
                seen = helps if kind == "HELP" else types
                if name in seen:
                    die(n, f"{kind} of {name} twice", line)
                if name in done or name == current:
                    die(n, f"{kind} of {name} after its samples", line)
                if kind == "TYPE" and (len(parts) != 4 or parts[3] not in TYPES):
                    die(n, "bad type", line)
                if kind == "HELP" and re.search(r"\\[^\\n]", parts[3] if len(parts) > 3 else ""):
                    die(n, "bad escape in HELP", line)
                seen[name] = parts[3] if len(parts) > 3 else ""
            continue
        m = NAME.match(line)
        if not m:
            die(n, "bad metric name", line)
        name, i = m.group(), m.end()
        if name not in helps or name not in types:
            die(n, f"{name} has no HELP and TYPE before it", line)
        if name != current:
            if name in done:
                die(n, f"samples of {name} are not together", line)
            if current:
                done.add(current)
            current = name
        got = {}
        if line[i:i + 1] == "{":
            got, i = labels(line, i, n)
        rest = line[i:]
        if not rest.startswith(" "):
            die(n, "no space before the value", line)
        fields = rest[1:].split(" ")
        if len(fields) not in (1, 2) or not FLOAT.fullmatch(fields[0]):
            die(n, "the value is not a float", line)
        if len(fields) == 2 and not re.fullmatch(r"-?\d+", fields[1]):
            die(n, "bad timestamp", line)
        key = (name, tuple(sorted(got.items())))
        if key in series:
            die(n, "the same series twice", line)
        series.add(key)
    print(f"{len(series)} series")


main()
