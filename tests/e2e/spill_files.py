#!/usr/bin/python3
"""The temporary files of operators past work_mem (base/pgsql_tmp) live exactly as long as their
statement, on the real server:
  1. a portal suspended over a sort that spilled holds its files until its block's COMMIT, and
     so does one over a window partition, an EXCEPT and a WITH query read twice, each past
     work_mem with no sort below it;
  2. a statement that fails after its sort spilled (22012 in the select list) leaves none;
  3. a CancelRequest (57014) and a client that closes its socket mid-join leave none;
  4. a file left in base/pgsql_tmp (a crash's) is gone after a restart, and the server is fine.
Each step waits for files to appear first, so none can pass without spilling.

  spill_files.py --sqlrited PATH [--rows N]

--rows (default 200,000) only has to keep every step past work_mem (64kB: a few thousand rows
do) and the join long enough to be cancelled; the sanitizer build passes fewer
(tests/CMakeLists.txt).

sqlrited only. Exit 0 on success, 1 on failure (a missing binary is a failure).
"""

import argparse
import os
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pgwire  # noqa: E402
import servers  # noqa: E402

ROWS = 200000  # --rows
GONE_LIMIT = 5.0  # seconds for the files of an ended statement to be removed

# 200k rows with 64kB of work_mem: the join's build side spills, and its output (200 groups of
# 1000 x 1000 pairs; 250 x 250 at the sanitizer build's 50k) keeps it running for a while.
LONG_JOIN = 'select count(*) from t a join t b on a.g = b.g'


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def connect(port):
    conn = pgwire.Connection(port, timeout=60.0)
    messages = conn.startup()
    conn.cancel_key = next((p for k, p in messages if k == b'K'), b'')
    return conn


def ok(conn, sql):
    rows, error = conn.simple_query(sql)
    expect(error is None, f'{sql!r} failed: {error}')
    return rows


def temp_files(server):
    path = os.path.join(server.data_dir, 'base', 'pgsql_tmp')
    try:
        return os.listdir(path)
    except FileNotFoundError:
        return []


def wait_for(what, cond, limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.01)
    raise Failure(what)


def error_of(conn):
    error = None
    for kind, payload in conn.read_until_ready():
        if kind == b'E':
            error = pgwire.parse_error_fields(payload)
    return error


# Operators past work_mem other than the sort, each at the top of its query (no sort below).
SPILLING = [
    ('a window partition', 'select id, pad, count(*) over () from t'),
    ('an EXCEPT', 'select id, pad from t except select id * 2, pad from t'),
    ('a WITH query read twice',
     'with c as materialized (select id, pad from t) select (select count(*) from c), id from c'),
]


def cursor(server, conn, what='a spilled sort', query='select id, pad from t order by pad, id'):
    """An unnamed portal of a transaction block suspended after 3 rows (Execute with a row
    limit), then COMMIT."""
    ok(conn, 'begin')
    sql = query.encode()
    conn.send(pgwire.message(b'P', b'\0' + sql + b'\0' + struct.pack('!h', 0)) +
              pgwire.message(b'B', b'\0\0' + struct.pack('!hhh', 0, 0, 0)) +
              pgwire.message(b'E', b'\0' + struct.pack('!i', 3)) + pgwire.message(b'H'))
    kinds = []
    while not kinds or kinds[-1] not in (b's', b'E', b'C'):
        kind, _ = conn.read_message()
        kinds.append(kind)
    expect(kinds == [b'1', b'2', b'D', b'D', b'D', b's'], f'portal over {what}: got {kinds}')
    expect(temp_files(server), f'portal: {what} under the suspended portal wrote no file')
    conn.send(pgwire.message(b'S'))
    conn.read_until_ready()
    ok(conn, 'commit')
    expect(not temp_files(server),
           f'portal over {what}: files left after COMMIT: {temp_files(server)}')
    print(f'spill_files: a portal suspended over {what} held its files until COMMIT')


def failed_statement(server, conn):
    rows, error = conn.simple_query(f'select 1 / (id - {ROWS * 3 // 4}) from t order by pad')
    expect(error is not None and error.get('C') == '22012', f'failure: got {error}')
    expect(not temp_files(server), f'failure: files left: {temp_files(server)}')
    ok(conn, 'select 1')
    print('spill_files: a statement failing mid-input (22012) left no file')


def send_cancel(port, conn):
    with socket.create_connection(('127.0.0.1', port), timeout=10) as s:
        s.sendall(struct.pack('!II', 16, 80877102) + conn.cancel_key)
        s.recv(1)


def cancel(server, conn):
    conn.send(pgwire.query_message(LONG_JOIN))
    wait_for('cancel: the join wrote no file', lambda: temp_files(server), 30.0)
    send_cancel(server.port, conn)
    error = error_of(conn)
    expect(error is not None and error.get('C') == '57014', f'cancel: got {error}')
    expect(not temp_files(server), f'cancel: files left: {temp_files(server)}')
    ok(conn, 'select 1')
    print('spill_files: a cancelled join (57014) left no file')


def disconnect(server):
    conn = connect(server.port)
    ok(conn, "set work_mem = '64kB'")
    conn.send(pgwire.query_message(LONG_JOIN))
    wait_for('disconnect: the join wrote no file', lambda: temp_files(server), 30.0)
    conn.close()
    wait_for(f'disconnect: files left {GONE_LIMIT} s after the client closed: '
             f'{temp_files(server)}', lambda: not temp_files(server), GONE_LIMIT)
    print('spill_files: a client closing mid-join left no file')


def restart(server):
    path = os.path.join(server.data_dir, 'base', 'pgsql_tmp', 'pgsql_tmp999999.0')
    with open(path, 'wb') as f:
        f.write(b'left by a crash')
    expect(server.stop() == 0, 'restart: sqlrited did not stop cleanly')
    server.start()
    expect(not temp_files(server), f'restart: files left: {temp_files(server)}')
    conn = connect(server.port)
    expect(ok(conn, 'select count(*) from t') == [[str(ROWS)]], 'restart: the table changed')
    conn.close()
    print('spill_files: a leftover temporary file was removed at start')


def main():
    global ROWS
    ap = argparse.ArgumentParser()
    ap.add_argument('--sqlrited', required=True)
    ap.add_argument('--rows', type=int, default=ROWS)
    args = ap.parse_args()
    if not os.path.exists(args.sqlrited):
        print(f'spill_files: FAIL: {args.sqlrited} not built')
        return 1
    ROWS = args.rows
    began = time.monotonic()
    server = servers.Sqlrited(args.sqlrited)
    try:
        server.start()
        conn = connect(server.port)
        ok(conn, 'create table t (id int, g int, pad text)')
        ok(conn, f"insert into t select i, i % 200, 'pad ' || i from generate_series(1, {ROWS}) i")
        ok(conn, "set work_mem = '64kB'")
        cursor(server, conn)
        for what, query in SPILLING:
            cursor(server, conn, what, query)
        failed_statement(server, conn)
        cancel(server, conn)
        conn.close()
        disconnect(server)
        restart(server)
        expect(server.alive(), 'sqlrited died')
    except (Failure, servers.ServerError, pgwire.WireError, OSError) as e:
        print(f'spill_files: FAILED: {e}')
        print(server.log())
        return 1
    finally:
        server.cleanup()
    print(f'spill_files: ok ({ROWS} rows, {time.monotonic() - began:.1f} s)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
