#!/usr/bin/env python3
"""Adds up the counters of every TRX file in a folder and prints the suite's summary line.

usage: trx-summary.py RESULTS_DIR CRASHED_PROJECTS SECONDS
Exit status 0 only when nothing failed and no project crashed before writing results.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

# The summary is the last thing a CI log shows; each failure keeps enough of its message to say why.
MESSAGE_CHARS = 1500
NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def main() -> int:
    folder, crashed, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    passed = failed = skipped = 0
    failures = []
    for path in sorted(glob.glob(os.path.join(folder, "*.trx"))):
        tree = ET.parse(path)
        counters = tree.find(".//t:ResultSummary/t:Counters", NS)
        if counters is None:
            failed += 1
            failures.append(f"{os.path.basename(path)}: no counters")
            continue
        passed += int(counters.get("passed", 0))
        failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
        skipped += int(counters.get("notExecuted", 0))
        for result in tree.iterfind(".//t:UnitTestResult", NS):
            if result.get("outcome") == "Failed":
                message = result.find(".//t:ErrorInfo/t:Message", NS)
                why = " ".join((message.text or "").split()) if message is not None else ""
                if len(why) > MESSAGE_CHARS:
                    why = why[:MESSAGE_CHARS] + " ..."
                failures.append(f"{os.path.basename(path)}: {result.get('testName')}\n  {why}")
    failed += crashed
    for line in failures:
        print(f"FAILED {line}")
    print(f"suite took {seconds // 60}m{seconds % 60:02d}s")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
