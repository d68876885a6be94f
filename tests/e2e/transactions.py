#!/usr/bin/python3
"""Transaction blocks across sessions, against sqlrited or (as the reference) PostgreSQL 15.

Checks, each on real connections:
  - two psql sessions: one inside BEGIN ... UPDATE, the other SELECTs and sees the old value until
    COMMIT, then the new one;
  - ReadyForQuery's status byte (I/T/E), 25P02 after an error until ROLLBACK, COMMIT of a failed
    block answering ROLLBACK;
  - a second session's write waits for the writer and completes after its COMMIT; a CancelRequest
    ends such a wait with 57014; lock_timeout
    fails it with 55P03 instead;
  - a connection that drops mid-transaction rolls back;
  - ROLLBACK TO SAVEPOINT.
Exit 0 on success, 1 on failure, also when the server or psql is missing (never a skip).
"""

import argparse
import os
import shutil
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgwire  # noqa: E402
import servers  # noqa: E402

MISSING = 1  # a missing server or psql fails the test


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def connect(port):
    conn = pgwire.Connection(port)
    messages = conn.startup()
    conn.cancel_key = next((p for k, p in messages if k == b'K'), b'')  # BackendKeyData
    return conn


def send_cancel(port, conn):
    """A CancelRequest for conn on a connection of its own, as libpq's PQcancel sends it."""
    with socket.create_connection(('127.0.0.1', port), timeout=10) as s:
        s.sendall(struct.pack('!II', 16, 80877102) + conn.cancel_key)
        s.recv(1)  # the server closes it without an answer


def query(conn, sql):
    """Runs sql; returns (rows, error fields or None, ReadyForQuery status)."""
    conn.send(pgwire.query_message(sql))
    rows, error, status = [], None, None
    for kind, payload in conn.read_until_ready():
        if kind == b'D':
            rows.append(pgwire.decode_data_row(payload))
        elif kind == b'E':
            error = pgwire.parse_error_fields(payload)
        elif kind == b'Z':
            status = payload.decode()
    return rows, error, status


def ok(conn, sql, status=None):
    rows, error, st = query(conn, sql)
    expect(error is None, f'{sql!r} failed: {error}')
    if status is not None:
        expect(st == status, f'{sql!r}: ReadyForQuery {st!r}, expected {status!r}')
    return rows


def value(conn, sql):
    rows = ok(conn, sql)
    expect(len(rows) == 1 and len(rows[0]) == 1, f'{sql!r}: expected one value, got {rows}')
    return rows[0][0]


def psql_sessions(port):
    """The issue's scenario with two real psql processes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('PG')}
    base = ['psql', '-X', '-q', '-A', '-t', '-h', '127.0.0.1', '-p', str(port), '-U', 'postgres',
            '-d', 'postgres']
    subprocess.run(base + ['-c', 'create table psql_acct(id int primary key, v int); '
                           'insert into psql_acct values (1, 100)'],
                   env=env, check=True, capture_output=True)
    writer = subprocess.Popen(base + ['-v', 'ON_ERROR_STOP=1'], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True,
                              bufsize=1)

    def writer_step(sql, marker):
        writer.stdin.write(sql + '\n\\echo ' + marker + '\n')
        writer.stdin.flush()
        deadline = time.monotonic() + 20
        seen = []
        while time.monotonic() < deadline:
            line = writer.stdout.readline()
            if not line:
                break
            seen.append(line)
            if line.strip() == marker:
                return seen
        raise Failure(f'psql writer did not reach {marker}: {seen}')

    def reader():
        out = subprocess.run(base + ['-c', 'select v from psql_acct where id = 1'], env=env,
                             capture_output=True, text=True, timeout=20)
        expect(out.returncode == 0, f'psql reader failed: {out.stdout}{out.stderr}')
        return out.stdout.strip()

    try:
        writer_step('begin;\nupdate psql_acct set v = 200 where id = 1;', 'in-block')
        expect(reader() == '100', 'the reader saw an uncommitted update')
        writer_step('commit;', 'committed')
        expect(reader() == '200', 'the reader did not see the committed update')
    finally:
        writer.stdin.close()
        writer.wait(timeout=20)


def wire_checks(port):
    a = connect(port)
    b = connect(port)
    ok(a, 'create table acct(id int primary key, v int)')
    ok(a, 'insert into acct values (1, 100)')

    # Status bytes and the failed block.
    ok(a, 'begin', 'T')
    _, error, st = query(a, 'select 1/0')
    expect(error and error['C'] == '22012' and st == 'E', f'division by zero in block: {error} {st}')
    _, error, st = query(a, 'select 1')
    expect(error and error['C'] == '25P02' and st == 'E', f'expected 25P02, got {error} {st}')
    a.send(pgwire.query_message('commit'))
    tags = [p for k, p in a.read_until_ready() if k == b'C']
    expect(tags == [b'ROLLBACK\0'], f'COMMIT of a failed block answered {tags}')
    expect(value(a, 'select v from acct where id = 1') == '100', 'failed block changed data')

    # A syntax error fails the block too (the statement never reaches the executor).
    ok(a, 'begin', 'T')
    _, error, st = query(a, 'selec 1')
    expect(error and error['C'] == '42601' and st == 'E', f'syntax error in block: {error} {st}')
    _, error, st = query(a, 'select 1')
    expect(error and error['C'] == '25P02', f'expected 25P02 after a syntax error, got {error}')
    ok(a, 'rollback', 'I')

    # A reader sees the last committed value while a writer's block is open.
    ok(a, 'begin')
    ok(a, 'update acct set v = 200 where id = 1', 'T')
    expect(value(b, 'select v from acct where id = 1') == '100', 'reader saw uncommitted data')
    ok(a, 'commit', 'I')
    expect(value(b, 'select v from acct where id = 1') == '200', 'reader missed the commit')

    # A second writer waits for the first and then runs.
    ok(a, 'begin')
    ok(a, 'update acct set v = 300 where id = 1')
    b.send(pgwire.query_message('update acct set v = v + 1 where id = 1'))
    b.sock.settimeout(0.5)
    try:
        early = b.sock.recv(1, 0x02)  # MSG_PEEK: has the server answered already?
    except (TimeoutError, OSError):
        early = b''
    b.sock.settimeout(10)
    expect(not early, 'the second writer did not wait for the first')
    ok(a, 'commit')
    msgs = b.read_until_ready()
    errors = [pgwire.parse_error_fields(p) for k, p in msgs if k == b'E']
    expect(not errors, f'the waiting update failed: {errors}')
    expect(value(b, 'select v from acct where id = 1') == '301', 'the waiting update was lost')

    # lock_timeout turns the wait into 55P03.
    ok(a, 'begin')
    ok(a, 'update acct set v = 400 where id = 1')
    ok(b, "set lock_timeout = '200ms'")
    _, error, _ = query(b, 'update acct set v = 0 where id = 1')
    expect(error and error['C'] == '55P03', f'expected 55P03 lock timeout, got {error}')
    ok(a, 'rollback')
    ok(b, 'reset lock_timeout')
    expect(value(b, 'select v from acct where id = 1') == '301', 'rollback did not restore')

    # A CancelRequest (psql's Ctrl-C) ends a waiting write with 57014.
    ok(a, 'begin')
    ok(a, 'update acct set v = 500 where id = 1')
    b.send(pgwire.query_message('update acct set v = 0 where id = 1'))
    time.sleep(0.3)
    send_cancel(port, b)
    errors = [pgwire.parse_error_fields(p) for k, p in b.read_until_ready() if k == b'E']
    expect(errors and errors[0]['C'] == '57014' and
           errors[0]['M'] == 'canceling statement due to user request',
           f'expected 57014 after a cancel, got {errors}')
    ok(a, 'rollback')
    expect(value(b, 'select v from acct where id = 1') == '301', 'the canceled update ran')

    # A rolled-back SET is taken back and its old value reported again (ParameterStatus).
    original = value(a, 'show application_name')
    ok(a, 'begin')
    ok(a, "set application_name = 'inside'")
    a.send(pgwire.query_message('rollback'))
    statuses = [p for k, p in a.read_until_ready() if k == b'S']
    expect(statuses == [b'application_name\0' + original.encode() + b'\0'],
           f'ROLLBACK reported {statuses}, expected application_name = {original}')

    # Savepoints.
    ok(a, 'begin')
    ok(a, 'insert into acct values (2, 2)')
    ok(a, 'savepoint s1')
    ok(a, 'insert into acct values (3, 3)')
    ok(a, 'rollback to savepoint s1')
    ok(a, 'commit')
    expect(ok(b, 'select id from acct order by id') == [['1'], ['2']], 'savepoint rollback wrong')

    # A dropped connection rolls its transaction back.
    c = connect(port)
    ok(c, 'begin')
    ok(c, 'insert into acct values (9, 9)')
    c.close()
    deadline = time.monotonic() + 10
    while True:
        rows = ok(b, 'select count(*) from acct where id = 9')
        if rows == [['0']]:
            break
        expect(time.monotonic() < deadline, 'a dropped connection left its transaction open')
        time.sleep(0.05)
    # ... and frees the writer slot for others.
    ok(b, 'begin')
    ok(b, 'insert into acct values (10, 10)')
    ok(b, 'commit')
    for conn in (a, b):
        conn.send(pgwire.message(b'X'))
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default='/usr/lib/postgresql/15/bin')
    args = ap.parse_args()
    if shutil.which('psql') is None:
        print('transactions: FAIL: psql not found (run scripts/setup)')
        return MISSING
    if args.server == 'sqlrited':
        if not args.sqlrited or not os.path.exists(args.sqlrited):
            print('transactions: FAIL: no sqlrited binary')
            return MISSING
        server = servers.Sqlrited(args.sqlrited)
    else:
        reason = servers.Postgres.available(args.pg_bin)
        if reason:
            print(f'transactions: FAIL: {reason}')
            return MISSING
        server = servers.Postgres(args.pg_bin)
    try:
        server.start()
        psql_sessions(server.port)
        wire_checks(server.port)
        expect(server.alive(), 'the server died')
    except Failure as e:
        print(f'transactions: FAILED: {e}')
        print(server.log())
        return 1
    finally:
        server.cleanup()
    print('transactions: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
