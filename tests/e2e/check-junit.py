#!/usr/bin/env python3
"""Checks a JUnit XML report against the common schema CI servers read
(the Ant/Jenkins junit XSD): well-formed XML 1.0 (expat refuses the
characters it does not allow), testsuites holding testsuite elements
holding testcase elements, the attributes each requires, counts that
match the test cases, and at most one failure or error in a test case,
each with a message and a type.  Exits 1 with the first breach.
  check-junit.py FILE"""
import re
import sys
import xml.etree.ElementTree as ET

NUMBER = re.compile(r"\d+(\.\d+)?")
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def need(cond, why):
    if not cond:
        sys.exit(why)


def attrs(el, names, where):
    for a in names:
        need(a in el.attrib, f"{where}: no {a} attribute")


def case(tc, where):
    attrs(tc, ("name", "classname", "time"), where)
    need(NUMBER.fullmatch(tc.get("time")), f"{where}: time is not a number")
    kinds = [c.tag for c in tc]
    for c in tc:
        need(c.tag in ("failure", "error", "skipped", "system-out", "system-err"),
             f"{where}: unexpected <{c.tag}>")
        if c.tag in ("failure", "error"):
            attrs(c, ("message", "type"), f"{where} <{c.tag}>")
            need(list(c) == [], f"{where} <{c.tag}>: has elements")
    need(kinds.count("failure") + kinds.count("error") <= 1,
         f"{where}: more than one failure or error")
    return "failure" in kinds, "error" in kinds


def suite(ts, where):
    attrs(ts, ("name", "tests", "failures", "errors", "time", "timestamp"), where)
    need(NUMBER.fullmatch(ts.get("time")), f"{where}: time is not a number")
    need(STAMP.fullmatch(ts.get("timestamp")), f"{where}: bad timestamp")
    failures = errors = 0
    cases = [c for c in ts if c.tag == "testcase"]
    for c in ts:
        need(c.tag in ("properties", "testcase", "system-out", "system-err"),
             f"{where}: unexpected <{c.tag}>")
    for i, tc in enumerate(cases):
        f, e = case(tc, f"{where} testcase {i}")
        failures += f
        errors += e
    need(int(ts.get("tests")) == len(cases), f"{where}: tests is not the count")
    need(int(ts.get("failures")) == failures, f"{where}: failures is not the count")
    need(int(ts.get("errors")) == errors, f"{where}: errors is not the count")
    return len(cases)


def main():
    try:
        root = ET.parse(sys.argv[1]).getroot()
    except ET.ParseError as e:
        sys.exit(f"not well-formed XML: {e}")
    need(root.tag == "testsuites", f"the root is <{root.tag}>, not <testsuites>")
    need(len(root) > 0, "no testsuite")
    n = 0
    for i, ts in enumerate(root):
        need(ts.tag == "testsuite", f"unexpected <{ts.tag}> in <testsuites>")
        n += suite(ts, f"testsuite {i}")
    print(f"{n} test cases")


main()
