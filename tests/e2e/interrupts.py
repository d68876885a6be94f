#!/usr/bin/python3
"""Cancel, statement_timeout, a vanished client and SIGTERM stop a RUNNING statement.

The statement has the shape of the shared sqllogictest's select4.test joins: a 7-way cross join of
14-row tables, with a WHERE clause that reads all seven tables, so the planner can push nothing
below the joins and has no equality to hash on (105 million combinations; minutes of work if
nothing stops it).
  1. A CancelRequest (as pg_cancel_backend / libpq's PQcancel sends it) ends it with 57014
     "canceling statement due to user request" within CANCEL_LIMIT; the session carries on. A
     login begun while it runs is timed (reported): it waits for the engine thread until then.
  2. statement_timeout = 1s ends it with 57014 "canceling statement due to statement timeout".
  3. A client that sends it and closes its socket: another session's query is answered within
     DISCONNECT_LIMIT of the close (the server noticed the peer left and stopped the statement).
  4. SIGTERM while it runs: the server exits within EXIT_LIMIT, the session gets FATAL 57P01.

  interrupts.py --sqlrited PATH

sqlrited only. Exit 0 on success, 1 on failure (a missing binary is a failure).
"""

import argparse
import os
import random
import signal
import socket
import struct
import sys
import threading
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pgwire  # noqa: E402
import servers  # noqa: E402

CANCEL_LIMIT = 2.0
TIMEOUT_LIMIT = 1.0 + 2.0  # statement_timeout plus the same margin
DISCONNECT_LIMIT = 1.5
EXIT_LIMIT = 5.0
RUNNING = 0.5  # seconds to let the statement get going before interrupting it

RUNAWAY = '''SELECT e4, a8+11+c7, x2, c7*208, a1+e2, a6, b5+297
  FROM t7, t8, t1, t4, t2, t6, t5
 WHERE e8 + c2 + a1 + d6 + e7 + c5 + b4 = -1'''


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def connect(port):
    conn = pgwire.Connection(port, timeout=30.0)
    messages = conn.startup()
    conn.cancel_key = next((p for k, p in messages if k == b'K'), b'')
    return conn


def ok(conn, sql):
    rows, error = conn.simple_query(sql)
    expect(error is None, f'{sql!r} failed: {error}')
    return rows


def setup(port):
    rng = random.Random(4)
    conn = connect(port)
    for t in range(1, 9):
        ok(conn, f'create table t{t} (a{t} integer, b{t} integer, c{t} integer, d{t} integer, '
                 f'e{t} integer, x{t} varchar(30))')
        rows = ', '.join(
            '(' + ', '.join(str(rng.randrange(1000)) for _ in range(5)) +
            f", 'table tn{t} row {r}')" for r in range(1, 15))
        ok(conn, f'insert into t{t} values {rows}')
    conn.close()


def send_cancel(port, conn):
    with socket.create_connection(('127.0.0.1', port), timeout=10) as s:
        s.sendall(struct.pack('!II', 16, 80877102) + conn.cancel_key)
        s.recv(1)


def error_of(conn):
    """The ErrorResponse fields of the answer to the pending query."""
    error = None
    for kind, payload in conn.read_until_ready():
        if kind == b'E':
            error = pgwire.parse_error_fields(payload)
    return error


def cancel(port):
    """Part 1. A login started while the statement runs is timed too: today it needs the engine
    thread, so it waits until the statement stops (reads off the engine thread will end that);
    it must complete within CANCEL_LIMIT of the cancel."""
    conn = connect(port)
    conn.send(pgwire.query_message(RUNAWAY))
    time.sleep(RUNNING)
    login = {}

    def log_in():
        began = time.monotonic()
        try:
            other = connect(port)
            login['rows'] = ok(other, 'select 1')
            other.close()
        except (Failure, OSError, pgwire.WireError) as e:
            login['error'] = e
        login['end'] = time.monotonic()
        login['took'] = login['end'] - began

    thread = threading.Thread(target=log_in)
    thread.start()
    time.sleep(1.0)
    start = time.monotonic()
    send_cancel(port, conn)
    error = error_of(conn)
    elapsed = time.monotonic() - start
    thread.join(30.0)
    expect(error is not None and error.get('C') == '57014' and
           error.get('M') == 'canceling statement due to user request',
           f'cancel: expected 57014 (user request), got {error}')
    expect(elapsed < CANCEL_LIMIT, f'cancel: the statement stopped only after {elapsed:.2f} s')
    expect(ok(conn, 'select 1') == [['1']], 'cancel: the session did not carry on')
    conn.close()
    expect('error' not in login and login.get('rows') == [['1']],
           f'cancel: the login during the statement failed: {login}')
    after_cancel = login['end'] - start
    expect(after_cancel < CANCEL_LIMIT,
           f'cancel: the login completed only {after_cancel:.2f} s after the cancel')
    print(f'interrupts: cancel: 57014 {elapsed:.3f} s after the CancelRequest; a login + select 1 '
          f'begun 1 s before the cancel took {login["took"]:.3f} s ({after_cancel:.3f} s after '
          f'the cancel)')


def statement_timeout(port):
    conn = connect(port)
    ok(conn, "set statement_timeout = '1s'")
    start = time.monotonic()
    conn.send(pgwire.query_message(RUNAWAY))
    error = error_of(conn)
    elapsed = time.monotonic() - start
    expect(error is not None and error.get('C') == '57014' and
           error.get('M') == 'canceling statement due to statement timeout',
           f'statement_timeout: expected 57014 (statement timeout), got {error}')
    expect(elapsed < TIMEOUT_LIMIT, f'statement_timeout: stopped only after {elapsed:.2f} s')
    expect(ok(conn, 'select 1') == [['1']], 'statement_timeout: the session did not carry on')
    conn.close()
    print(f'interrupts: statement_timeout 1s: 57014 after {elapsed:.3f} s')


def disconnect(port):
    other = connect(port)
    conn = connect(port)
    conn.send(pgwire.query_message(RUNAWAY))
    time.sleep(RUNNING)
    start = time.monotonic()
    conn.close()
    rows = ok(other, 'select 1')
    elapsed = time.monotonic() - start
    expect(rows == [['1']], f'disconnect: select 1 gave {rows}')
    expect(elapsed < DISCONNECT_LIMIT,
           f'disconnect: another session waited {elapsed:.2f} s after the client closed')
    other.close()
    print(f'interrupts: a client that closed mid-statement: another session answered '
          f'{elapsed:.3f} s after the close')


def read_to_end(conn, timeout):
    conn.sock.settimeout(timeout)
    messages = []
    try:
        while True:
            msg = conn.read_message()
            if msg is None:
                return messages
            messages.append(msg)
    except (OSError, pgwire.WireError):
        return messages


def sigterm(server):
    conn = connect(server.port)
    conn.send(pgwire.query_message(RUNAWAY))
    time.sleep(RUNNING)
    start = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    try:
        server.proc.wait(EXIT_LIMIT)
    except Exception:  # subprocess.TimeoutExpired
        raise Failure(f'sqlrited did not exit within {EXIT_LIMIT:.0f} s of SIGTERM')
    elapsed = time.monotonic() - start
    status = server.proc.returncode
    server.proc = None
    expect(status == 0, f'sqlrited exited with {status}')
    fatal = None
    for kind, payload in read_to_end(conn, 2.0):
        if kind == b'E':
            fields = pgwire.parse_error_fields(payload)
            if fields.get('S') == 'FATAL':
                fatal = fields
    expect(fatal is not None and fatal.get('C') == '57P01',
           f'SIGTERM: the session got {fatal}, expected FATAL 57P01')
    conn.close()
    print(f'interrupts: SIGTERM: exited {elapsed:.3f} s after the signal; FATAL 57P01')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sqlrited', required=True)
    args = ap.parse_args()
    if not os.path.exists(args.sqlrited):
        print(f'interrupts: FAIL: {args.sqlrited} not built')
        return 1
    server = servers.Sqlrited(args.sqlrited)
    try:
        server.start()
        setup(server.port)
        cancel(server.port)
        statement_timeout(server.port)
        disconnect(server.port)
        expect(server.alive(), 'sqlrited died')
        sigterm(server)
    except (Failure, servers.ServerError, pgwire.WireError, OSError) as e:
        print(f'interrupts: FAILED: {e}')
        print(server.log())
        return 1
    finally:
        server.cleanup()
    print('interrupts: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
