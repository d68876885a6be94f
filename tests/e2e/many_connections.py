#!/usr/bin/python3
"""1000 idle connections and a 64-client pgbench at once.

sqlrited runs with --max-connections 1100 (it raises its open-file limit at start to what that
needs). The test opens 1000 connections that log in and stay idle, then runs pgbench with 64
clients (-M simple, a select-only script over a table made by SQL) to completion with no failed
transaction, checks that the idle connections still answer, and prints the server's memory per
idle connection: (VmRSS with 1000 idle - VmRSS before) / 1000.

It also checks that a --max-connections the open-file limit cannot serve stops the server at
start with a clear message (exit 1), rather than failing at the 1001st accept.

  many_connections.py --sqlrited PATH [--pgbench PATH]

Exit status 0 on success, 1 on a failure (a missing server or pgbench is a failure).
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pgwire  # noqa: E402
import servers  # noqa: E402

IDLE = 1000
CLIENTS = 64
SECONDS = 10
ROWS = 1000
RSS_LIMIT_KIB = 64  # per idle connection


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def rss_kib(pid):
    with open(f'/proc/{pid}/status', encoding='ascii') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    raise Failure('no VmRSS in /proc/PID/status')


def ok(conn, sql):
    rows, error = conn.simple_query(sql)
    expect(error is None, f'{sql!r} failed: {error}')
    return rows


def check_fd_limit_refusal(binary):
    """A --max-connections beyond what the open-file limit can be raised to stops the start."""
    root = tempfile.mkdtemp(prefix='sqlrite-fd-')
    try:
        result = subprocess.run(
            [binary, '--listen', '127.0.0.1', '--port', '0', '--data-dir',
             os.path.join(root, 'data'), '--max-connections', str(1 << 20)],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
        expect(result.returncode == 1, f'exit status {result.returncode} with --max-connections '
               f'{1 << 20}: {result.stderr}')
        expect('open files' in result.stderr and '--max-connections' in result.stderr,
               f'unclear message: {result.stderr!r}')
        print(f'ok   an unservable --max-connections stops the start: {result.stderr.strip()}')
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(binary, pgbench, rss_check=True):
    # The test itself holds 1000 sockets.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = IDLE + CLIENTS + 256
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))

    check_fd_limit_refusal(binary)

    server = servers.Sqlrited(binary, ['--max-connections', '1100', '--log-level', 'warn'])
    idle = []
    try:
        server.start()
        setup = pgwire.Connection(server.port)
        setup.startup()
        ok(setup, 'create table accounts (aid int primary key, abalance int not null)')
        ok(setup, 'insert into accounts values ' +
           ', '.join(f'({i}, {i * 7 % 1000})' for i in range(1, ROWS + 1)))
        ok(setup, 'select count(*) from accounts')
        time.sleep(0.5)
        before = rss_kib(server.proc.pid)

        start = time.monotonic()
        for i in range(IDLE):
            conn = pgwire.Connection(server.port, timeout=30)
            conn.startup()
            idle.append(conn)
        opened = time.monotonic() - start
        time.sleep(1.0)
        with_idle = rss_kib(server.proc.pid)
        per_idle = (with_idle - before) / IDLE

        with tempfile.TemporaryDirectory(prefix='sqlrite-pgbench-') as work:
            script = os.path.join(work, 'select.sql')
            with open(script, 'w', encoding='ascii') as f:
                f.write(f'\\set aid random(1, {ROWS})\n'
                        'select abalance from accounts where aid = :aid;\n')
            env = dict(os.environ, PGHOST='127.0.0.1', PGPORT=str(server.port),
                       PGUSER='postgres', PGDATABASE='postgres')
            result = subprocess.run(
                [pgbench, '-n', '-M', 'simple', '-c', str(CLIENTS), '-j', '4', '-T',
                 str(SECONDS), '-f', script], env=env, capture_output=True, text=True,
                timeout=SECONDS + 120, cwd=work)
        out = result.stdout + result.stderr
        expect(result.returncode == 0, f'pgbench failed ({result.returncode}):\n{out}')
        expect(f'number of clients: {CLIENTS}' in out, f'pgbench output:\n{out}')
        expect('number of failed transactions: 0 ' in out or
               'number of failed transactions' not in out, f'pgbench had failures:\n{out}')
        tps = [line for line in out.splitlines() if line.startswith('tps')]
        processed = [line for line in out.splitlines() if 'actually processed' in line]

        # Every idle connection is still there and answers.
        for conn in idle:
            expect(ok(conn, 'select 1') == [['1']], 'an idle connection did not answer')
        after = rss_kib(server.proc.pid)
        expect(server.alive(), 'the server died')
        print(f'ok   {IDLE} idle connections opened in {opened:.1f} s; pgbench -c {CLIENTS} '
              f'-M simple ran clean beside them: {processed[0].strip() if processed else "?"}; '
              f'{tps[0] if tps else "?"}')
        print(f'RSS before {before} KiB, with {IDLE} idle {with_idle} KiB, after pgbench '
              f'{after} KiB: {per_idle:.1f} KiB per idle connection')
        # A sanitizer's shadow memory swamps the measure: that build checks the rest only.
        expect(not rss_check or per_idle < RSS_LIMIT_KIB,
               f'{per_idle:.1f} KiB per idle connection (aim: under {RSS_LIMIT_KIB})')
    finally:
        for conn in idle:
            conn.close()
        server.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sqlrited', required=True)
    ap.add_argument('--pgbench', default=shutil.which('pgbench') or
                    '/usr/lib/postgresql/15/bin/pgbench')
    ap.add_argument('--no-rss-check', action='store_true',
                    help='skip the RSS bound (sanitizer builds, whose shadow memory swamps it)')
    args = ap.parse_args()
    if not os.access(args.sqlrited, os.X_OK):
        print(f'many_connections: FAIL: no sqlrited binary at {args.sqlrited}')
        return 1
    if not args.pgbench or not os.access(args.pgbench, os.X_OK):
        print('many_connections: FAIL: pgbench not found (postgresql-contrib / postgresql-15)')
        return 1
    try:
        run(args.sqlrited, args.pgbench, rss_check=not args.no_rss_check)
    except (Failure, servers.ServerError, pgwire.WireError, OSError,
            subprocess.TimeoutExpired) as e:
        print(f'many_connections: FAILED: {e}')
        return 1
    print('many_connections: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
