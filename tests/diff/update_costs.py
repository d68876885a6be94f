#!/usr/bin/python3
"""Rewrites tests/diff/costs.json, the seconds each case file takes under ASan, from a ctest log.

  update_costs.py [--total SECONDS] LOG...

tests/CMakeLists.txt deals the case files out to the diff_sqlrited_N shards by these costs,
longest first, each to the shard with the least so far, so that no shard is a long pole. Take the
log of an ASan tree's ctest run (scripts/test's tree 2, or `ctest -L diff -j3` there: every shard
beside others, as in the suite): run_diff.py prints one line per file,
`  NAME.sql: P / T passed, S s`. Files the log does not show keep their cost; files no longer in
tests/diff/cases are dropped. --total scales the measured figures to sum to SECONDS (for a run on
a machine busier or quieter than the suite's: only the ratios between files and against the e2e
tests' COSTs matter).
"""

import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COSTS = os.path.join(HERE, 'costs.json')
LINE = re.compile(r'^  ([A-Za-z0-9_.-]+\.sql): \d+ / \d+ passed, ([0-9.]+) s$')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--total', type=float)
    ap.add_argument('logs', nargs='+')
    args = ap.parse_args()
    with open(COSTS, encoding='utf-8') as f:
        costs = json.load(f)
    measured = {}
    for log in args.logs:
        with open(log, encoding='utf-8', errors='replace') as f:
            for line in f:
                m = LINE.match(line.rstrip('\n'))
                if m:
                    measured[m.group(1)] = float(m.group(2))
    seen = len(measured)
    scale = args.total / sum(measured.values()) if args.total and measured else 1.0
    for name, seconds in measured.items():
        costs[name] = round(seconds * scale, 1)
    cases = set(os.listdir(os.path.join(HERE, 'cases')))
    costs = {name: cost for name, cost in sorted(costs.items()) if name in cases}
    with open(COSTS, 'w', encoding='utf-8') as f:
        json.dump(costs, f, indent=1)
        f.write('\n')
    print(f'{COSTS}: {seen} files measured, {len(costs)} listed, {sum(costs.values()):.0f} s '
          f'in all')
    return 0 if seen else 1


if __name__ == '__main__':
    sys.exit(main())
