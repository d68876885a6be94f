#!/usr/bin/python3
"""CREATE INDEX and kill -9: an index build cut short leaves no index, an acknowledged one all of it.

On sqlrited: a table of --rows rows (an integer column in scrambled order, a text column). A
CREATE INDEX is sent and the server killed with SIGKILL after a delay, for delays spread over the
build's length (measured first): inside the scan and sort, inside the bottom-up load (whose pages
spill to the log before the commit), around the commit. After each restart the index is either
absent from pg_indexes or whole (a lookup through it finds the row), `sqlrited check` passes
(every tree sound, every page accounted for once, each index holding exactly one entry per row),
and CREATE INDEX then succeeds. Then an acknowledged build, a kill, and the same checks with the
index required; and a unique build over duplicates fails with PostgreSQL's 23505 and leaves
nothing.
Exit 0 on success, 1 on failure, also when the server is missing (never a skip).
"""

import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgwire  # noqa: E402
import servers  # noqa: E402


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def connect(port):
    conn = pgwire.Connection(port, timeout=300)
    conn.startup()
    return conn


def run(port, sql):
    conn = connect(port)
    try:
        return conn.simple_query(sql)
    finally:
        conn.close()


def query(port, sql):
    rows, error = run(port, sql)
    if error:
        raise Failure(f'{sql}: {error}')
    return rows


def scrambled(i):
    return (i * 7919) % 1000003


CHECK_SECONDS = [0.0]  # summed over the `sqlrited check` runs, for the PASS line


def check_dir(args, server):
    server.stop()
    started = time.monotonic()
    checked = subprocess.run([args.sqlrited, 'check', '-D', server.data_dir],
                             capture_output=True, text=True, timeout=600)
    expect(checked.returncode == 0, f'sqlrited check: exit {checked.returncode}\n'
           f'{checked.stdout[-2000:]}{checked.stderr[-2000:]}')
    CHECK_SECONDS[0] += time.monotonic() - started
    server.start()


def index_state(port, rows):
    """'absent' or 'whole' (found in pg_indexes and answering lookups); fails otherwise."""
    (count,) = query(port, "select count(*) from pg_indexes where indexname = 'big_a'")[0]
    if count == '0':
        return 'absent'
    for i in (1, rows // 2, rows):
        a = scrambled(i)
        got = query(port, f'select id from big where a = {a}')
        expect(got == [[str(i)]], f'lookup of a = {a} through big_a: {got}')
    return 'whole'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sqlrited', required=True)
    ap.add_argument('--rows', type=int, default=400000)
    # The build's pages must outgrow the cache, so that they spill to the log before the commit:
    # fewer rows need a smaller cache (MiB) for the same shape (tests/CMakeLists.txt).
    ap.add_argument('--cache-size', type=int, default=4)
    args = ap.parse_args()
    if not os.access(args.sqlrited, os.X_OK):
        print(f'index_build_crash: FAIL: no sqlrited at {args.sqlrited}')
        return 1
    # A small cache, so that the build's pages spill to the log before its commit.
    # --max-wal-size 64: the 16 MiB checkpoint threshold the build was sized against, so checkpoint
    # rounds run during it and some kills land beside one (the default, 1 GiB, would leave it all in
    # the log).
    server = servers.Sqlrited(args.sqlrited, extra_args=('--cache-size', str(args.cache_size),
                                                         '--max-wal-size', '64'))
    rows = args.rows
    try:
        server.start()
        began = time.monotonic()
        query(server.port, 'create table big (id int, a int, b text)')
        query(server.port, f"insert into big select i, (i::bigint * 7919) % 1000003, 'v' || i "
                           f'from generate_series(1, {rows}) i')
        started = time.monotonic()
        loaded = started - began
        query(server.port, 'create index big_a on big (a)')
        length = time.monotonic() - started
        query(server.port, 'drop index big_a')

        states = []
        for fraction in (0.1, 0.3, 0.5, 0.7, 0.85, 1.0, 1.2):
            conn = connect(server.port)
            conn.send(pgwire.query_message('create index big_a on big (a)'))
            time.sleep(length * fraction)
            server.kill()
            conn.close()
            server.start()
            state = index_state(server.port, rows)
            states.append(state)
            check_dir(args, server)
            if state == 'whole':
                query(server.port, 'drop index big_a')

        query(server.port, 'create index big_a on big (a)')  # acknowledged: must survive
        server.kill()
        server.start()
        expect(index_state(server.port, rows) == 'whole', 'an acknowledged index is missing')
        check_dir(args, server)

        query(server.port, 'insert into big values (0, 7919, \'dup\')')
        _, error = run(server.port, 'create unique index big_a_key on big (a)')
        expect(error is not None and error.get('C') == '23505'
               and error.get('M') == 'could not create unique index "big_a_key"'
               and error.get('D') == 'Key (a)=(7919) is duplicated.',
               f'unique build over a duplicate: {error}')
        (count,) = query(server.port,
                         "select count(*) from pg_indexes where indexname = 'big_a_key'")[0]
        expect(count == '0', 'a failed unique build left its index')
        check_dir(args, server)
        server.stop()
        print(f'index_build_crash: PASS ({rows} rows, cache {args.cache_size} MiB, load '
              f'{loaded:.2f} s, build {length:.2f} s, checks {CHECK_SECONDS[0]:.2f} s, '
              f'{time.monotonic() - began:.2f} s in all; states after kills: '
              f'{", ".join(states)}; an acknowledged build survived; a failed unique build left '
              'nothing)')
        return 0
    except (Failure, servers.ServerError, OSError, pgwire.WireError) as e:
        print(f'index_build_crash: FAIL: {e}\n{server.log()}')
        return 1
    finally:
        server.cleanup()


if __name__ == '__main__':
    sys.exit(main())
