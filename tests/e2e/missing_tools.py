#!/usr/bin/python3
"""A test whose server or client is missing must fail, never pass or skip: a machine without
PostgreSQL 15 or psql would otherwise report a green suite that tested nothing.

Runs every e2e script with a sqlrited binary and PostgreSQL binaries that do not exist, and the
psql-driven ones also with no psql on PATH, and checks that each exits 1 (not 0, and not 77, which
ctest used to count as a skip) saying FAIL.

Usage: missing_tools.py          exit 0 when every script fails as it should, 1 otherwise
"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    missing = os.path.join(tempfile.gettempdir(), 'sqlrite-no-such-dir', 'bin')
    cases = []
    for script, extra in (('harness.py', ['basics']), ('protocol_fuzz.py', []),
                          ('transactions.py', []), (os.path.join('..', 'diff', 'run_diff.py'), [])):
        cases.append((script, ['--server', 'sqlrited', '--sqlrited', os.path.join(missing, 'sqlrited'),
                               '--pg-bin', missing, *extra]))
        cases.append((script, ['--server', 'postgres', '--pg-bin', missing, *extra]))
    # psql missing: an executable stands in for sqlrited, and PATH holds no psql.
    no_psql = {'PATH': missing}
    for script, extra in (('harness.py', ['basics']), ('transactions.py', [])):
        cases.append((script, ['--server', 'sqlrited', '--sqlrited', '/bin/true', '--pg-bin', missing,
                               *extra], no_psql))
    bad = 0
    for case in cases:
        script, args = case[0], case[1]
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE='1', **(case[2] if len(case) > 2 else {}))
        result = subprocess.run([sys.executable, os.path.join(HERE, script), *args], env=env,
                                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                timeout=60)
        output = (result.stdout + result.stderr).strip()
        ok = result.returncode == 1 and 'FAIL' in output
        what = args[1] + (' without psql' if len(case) > 2 else '')
        print(f'{"ok  " if ok else "FAIL"} {script} {what}: exit {result.returncode}: '
              f'{output.splitlines()[-1] if output else "(no output)"}')
        bad += not ok
    print(f'missing_tools: {len(cases) - bad} passed, {bad} failed')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
