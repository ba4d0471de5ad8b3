"""Adds up the JUnit XML reports of every suite and prints 'N passed, N failed, N skipped'."""
import glob
import os
import sys
import xml.etree.ElementTree as ET


def count(path):
    if path.endswith(".json"):
        # opa test --format json: one entry per test, "fail" or "error" when it did not pass
        import json
        results = json.load(open(path))
        failures = sum(1 for r in results if r.get("fail") or r.get("error"))
        skipped = sum(1 for r in results if r.get("skip"))
        return len(results), failures, skipped
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    tests = failures = skipped = 0
    for suite in suites:
        tests += int(suite.get("tests", 0))
        failures += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return tests, failures, skipped


def main():
    project, *extra = sys.argv[1:]
    # surefire-reports, and surefire-reports-<name> of suites run a second time in another setting
    reports = glob.glob(os.path.join(project, "*", "target", "surefire-reports*", "TEST-*.xml"))
    reports += [path for path in extra if os.path.exists(path)]
    tests = failures = skipped = 0
    for path in reports:
        t, f, s = count(path)
        tests, failures, skipped = tests + t, failures + f, skipped + s
    if tests == 0:
        print("0 passed, 1 failed (no test ran)")
        return 1
    print(f"{tests - failures - skipped} passed, {failures} failed, {skipped} skipped")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
