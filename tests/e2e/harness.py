#!/usr/bin/python3
"""End-to-end harness: runs psql scripts against a freshly started server and diffs the output with
golden files that were produced by running the same harness against a real PostgreSQL 15.

  harness.py --server sqlrited --sqlrited PATH CASE...     check sqlrited against the goldens
  harness.py --server postgres CASE...                     check the goldens against PostgreSQL
  harness.py --server postgres --update CASE...            (re)write the goldens from PostgreSQL

A CASE is a psql script (tests/e2e/psql/NAME.sql, golden NAME.out beside it), `psql_c` (the issue's
`psql -c` command, restart, and a second `psql -c`; golden tests/e2e/psql_c.out) or `lock` (a second
server on the same data directory must refuse to start).

Directive lines in a script split it: `-- @restart` stops the server with SIGTERM and starts it again on
the same data directory; `-- @crash` does the same with SIGKILL. The output of the parts is
concatenated with the directive line between them.

Exit status: 0 all cases passed, 1 a case failed or the requested server or psql is missing (a missing
tool is a failure, never a skip: scripts/setup installs them all).
"""

import argparse
import difflib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import servers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MISSING = 1  # a missing server or client fails the test
DIRECTIVE = re.compile(r'^--\s*@(restart|crash)\s*$')
PSQL_TIMEOUT = 60

ISSUE_CREATE = ("create table t(a int primary key, b text); "
                "insert into t values (1,'x'),(2,null); select * from t order by a")
ISSUE_SELECT = 'select * from t order by a'


def psql_path(pg_bin):
    candidate = os.path.join(pg_bin, 'psql')
    return candidate if os.access(candidate, os.X_OK) else 'psql'


def psql_env(home):
    """A fixed environment so nothing from the caller's leaks into psql's output."""
    return {
        'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
        'HOME': home,
        'LC_ALL': 'C',
        'LANG': 'C',
        'PGAPPNAME': 'sqlrite_e2e',
        'PGTZ': 'UTC',
        'PGDATESTYLE': 'ISO, MDY',
        'PSQL_HISTORY': os.devnull,
        'PGCONNECT_TIMEOUT': '10',
    }


def run_psql(psql, args, cwd):
    """psql's stdout and stderr merged in the order written (one pipe for both)."""
    try:
        result = subprocess.run([psql, *args], cwd=cwd, env=psql_env(cwd), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                timeout=PSQL_TIMEOUT)
        out = result.stdout.decode('utf-8', errors='replace')
        if result.returncode not in (0, 1):
            out += f'[psql exited with {result.returncode}]\n'
        return out
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode('utf-8', errors='replace')
        return out + f'[psql timed out after {PSQL_TIMEOUT} s]\n'


def split_script(text):
    """[(directive before this part or None, part text)]."""
    parts, current, directive = [], [], None
    for line in text.splitlines(keepends=True):
        m = DIRECTIVE.match(line.strip())
        if m:
            parts.append((directive, ''.join(current)))
            current, directive = [], m.group(1)
        else:
            current.append(line)
    parts.append((directive, ''.join(current)))
    return parts


def normalize(text):
    """Differences we accept between PostgreSQL and sqlrited: PostgreSQL's source LOCATION lines."""
    return ''.join(line for line in text.splitlines(keepends=True)
                   if not line.startswith('LOCATION:'))


def restart(server, directive):
    server.stop(signal.SIGKILL if directive == 'crash' else signal.SIGTERM)
    server.start()


def run_script_case(server, psql, script_path, workdir):
    name = os.path.splitext(os.path.basename(script_path))[0]
    with open(script_path, encoding='utf-8') as f:
        parts = split_script(f.read())
    output = []
    for index, (directive, text) in enumerate(parts):
        if directive:
            restart(server, directive)
            output.append(f'-- @{directive}\n')
        # psql names the file in its error lines; keep that name stable across runs and servers.
        part_name = f'{name}.sql' if index == 0 else f'{name}.{index + 1}.sql'
        with open(os.path.join(workdir, part_name), 'w', encoding='utf-8') as f:
            f.write(text)
        output.append(run_psql(psql, ['-X', '-q', '-h', '127.0.0.1', '-p', str(server.port),
                                      '-U', 'postgres', '-d', 'postgres', '-a',
                                      '-v', 'ON_ERROR_STOP=0', '-f', part_name], workdir))
    return ''.join(output)


def run_psql_c_case(server, psql, workdir):
    def psql_c(sql):
        return run_psql(psql, ['-X', '-h', '127.0.0.1', '-p', str(server.port), '-U', 'postgres',
                               '-c', sql], workdir)

    output = [f'$ psql -c "{ISSUE_CREATE}"\n', psql_c(ISSUE_CREATE), '-- @restart\n']
    restart(server, 'restart')
    output += [f'$ psql -c "{ISSUE_SELECT}"\n', psql_c(ISSUE_SELECT)]
    return ''.join(output)


def run_lock_case(server):
    """A second server on a data directory in use must exit non-zero and say why on stderr."""
    if isinstance(server, servers.Sqlrited):
        cmd = server.command()
    else:
        cmd = server.second_instance_command()
    try:
        result = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=15)
    except subprocess.TimeoutExpired:
        return 'FAIL: the second server was still running after 15 s\n', False
    problems = []
    if result.returncode == 0:
        problems.append('the second server exited with status 0')
    if not result.stderr.strip():
        problems.append('the second server printed nothing on stderr')
    if not server.alive():
        problems.append('the first server died')
    elif not servers.pgwire.can_query(server.port):
        problems.append('the first server stopped answering')
    report = (f'second server exit status {result.returncode}; stderr: '
              f'{result.stderr.decode(errors="replace").strip()[:300]}\n')
    if problems:
        return report + 'FAIL: ' + '; '.join(problems) + '\n', False
    return report, True


def make_server(args):
    if args.server == 'postgres':
        return servers.Postgres(args.pg_bin)
    return servers.Sqlrited(args.sqlrited, args.server_arg)


def golden_path(case):
    if case == 'psql_c':
        return os.path.join(HERE, 'psql_c.out')
    return os.path.splitext(case)[0] + '.out'


def run_case(args, case):
    """Returns True when the case passed (or its golden was written)."""
    label = os.path.basename(case)
    server = make_server(args)
    try:
        server.start()
        with tempfile.TemporaryDirectory(prefix='sqlrite-psql-') as workdir:
            if case == 'lock':
                report, ok = run_lock_case(server)
                print(f'{label} [{server.name}]: {"ok" if ok else "FAILED"}: {report}', end='')
                return ok
            psql = psql_path(args.pg_bin)
            if case == 'psql_c':
                actual = run_psql_c_case(server, psql, workdir)
            else:
                actual = run_script_case(server, psql, case, workdir)
        if server.alive():
            status = server.stop()
            if args.server == 'sqlrited' and status not in (0, None):
                print(f'{label} [{server.name}]: FAILED: exit status {status} after SIGTERM')
                print(server.log())
                return False
        else:
            print(f'{label} [{server.name}]: FAILED: the server died during the test')
            print(server.log())
            return False
    except servers.ServerError as e:
        print(f'{label} [{server.name}]: FAILED: {e}')
        return False
    finally:
        server.cleanup()

    golden = golden_path(case)
    if args.update:
        with open(golden, 'w', encoding='utf-8') as f:
            f.write(actual)
        print(f'{label} [{server.name}]: wrote {os.path.relpath(golden)}')
        return True
    try:
        with open(golden, encoding='utf-8') as f:
            expected = f.read()
    except OSError:
        print(f'{label} [{server.name}]: FAILED: no golden file {golden} (run with --server '
              'postgres --update)')
        print(actual)
        return False
    if normalize(actual) == normalize(expected):
        print(f'{label} [{server.name}]: ok')
        return True
    print(f'{label} [{server.name}]: FAILED: output differs from {os.path.relpath(golden)}')
    sys.stdout.writelines(difflib.unified_diff(
        normalize(expected).splitlines(keepends=True), normalize(actual).splitlines(keepends=True),
        fromfile='expected (PostgreSQL 15)', tofile=f'actual ({server.name})'))
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--server', choices=('sqlrited', 'postgres'), default='sqlrited')
    parser.add_argument('--sqlrited', help='path to the sqlrited binary')
    parser.add_argument('--server-arg', action='append', default=[],
                        help='extra argument for sqlrited (repeatable)')
    parser.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN,
                        help='PostgreSQL 15 binaries (the reference server and psql)')
    parser.add_argument('--update', action='store_true',
                        help='write the golden files from this run (use with --server postgres)')
    parser.add_argument('cases', nargs='+')
    args = parser.parse_args()

    if args.server == 'postgres':
        why = servers.Postgres.available(args.pg_bin)
        if why:
            print(f'FAIL: PostgreSQL 15 is not available: {why} (run scripts/setup)')
            return MISSING
    elif not args.sqlrited or not os.access(args.sqlrited, os.X_OK):
        print(f'FAIL: sqlrited binary not found: {args.sqlrited}')
        return MISSING

    if any(case != 'lock' for case in args.cases) and not shutil.which(psql_path(args.pg_bin)):
        print('FAIL: psql not found (run scripts/setup)')
        return MISSING

    results = [run_case(args, case) for case in args.cases]
    failed = results.count(False)
    print(f'harness: {len(results) - failed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
