#!/usr/bin/python3
"""Limits and hostile clients, against sqlrited or a PostgreSQL 15 this script starts:

1. Message length caps (postgres.c's SocketBackend): 10000 bytes for startup packets and every
   message type but Query, Parse, Bind, CopyData and FunctionCall, which may reach 1 GiB - 2. A
   longer length word ends the connection at once, before any of the body is sent (PostgreSQL
   says nothing; sqlrited FATAL 08P01 "invalid message length"); at the cap the server waits for
   the body. sqlrited: a Query header claiming 1 GiB makes it take no more than what arrives.
2. FunctionCall ('F'): an ERROR (42883 "function with OID n does not exist"; 25P02 in a failed
   block; 08P01 for a body too short for an OID), ReadyForQuery, and the session carries on.
3. More than 1664 result columns: 54011 "target lists can have at most 1664 entries".
4. A CancelRequest ends a *running* statement (a three-way cross join) with 57014 "canceling
   statement due to user request", only the keyed session's; a wrong key does nothing.
5. statement_timeout ends a running statement with 57014 "... due to statement timeout"; so do
   it and a CancelRequest when the statement runs by the extended protocol's Execute.
6. idle_in_transaction_session_timeout: FATAL 25P03 "terminating connection due to
   idle-in-transaction timeout" inside a block; nothing outside one.
7. authentication_timeout (2 s here) ends a connection that trickles its startup packet one
   byte at a time.
8. A client that stops reading a large result delays nobody else.
9. (sqlrited) 100 half-open connections do not keep a real client from logging in, and
   --max-connections counts logged-in sessions only; cancel keys and process ids are distinct.

  limits.py --server sqlrited --sqlrited PATH
  limits.py --server postgres [--pg-bin DIR]

Exit status 0 on success, 1 on a failure (a missing server is a failure).
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

AUTH_TIMEOUT = 2  # seconds, for check 7
CLOSE_WITHIN = 2.0  # seconds for the server to close a connection it refused
LONG_QUERY = 'select count(*) from t a, t b, t c'  # 27 billion combinations


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def connect(port, timeout=30.0):
    conn = pgwire.Connection(port, timeout=timeout)
    messages = conn.startup()
    conn.key = None
    for kind, payload in messages:
        if kind == b'K':
            conn.key = struct.unpack('!II', payload)
    return conn


def ok(conn, sql):
    rows, error = conn.simple_query(sql)
    expect(error is None, f'{sql!r} failed: {error}')
    return rows


def read_until_closed(conn, timeout):
    """(bytes received, closed?) within timeout."""
    conn.sock.settimeout(0.1)
    data = conn.buf
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = conn.sock.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            return data, True
        if not chunk:
            return data, True
        data += chunk
    return data, False


def error_codes(data):
    codes, pos = [], 0
    while pos + 5 <= len(data):
        kind = data[pos:pos + 1]
        (length,) = struct.unpack('!I', data[pos + 1:pos + 5])
        if length < 4:
            break
        if kind == b'E':
            codes.append(pgwire.parse_error_fields(data[pos + 5:pos + 1 + length]).get('C'))
        pos += 1 + length
    return codes


def send_cancel(port, key):
    with socket.create_connection(('127.0.0.1', port), timeout=5) as s:
        s.sendall(struct.pack('!IIII', 16, 80877102, key[0], key[1]))
        s.settimeout(5)
        try:
            s.recv(1)  # the server closes it without an answer
        except OSError:
            pass


def rss_kib(pid):
    with open(f'/proc/{pid}/status', encoding='ascii') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    raise Failure('no VmRSS')


# ---- 1. message length caps ---------------------------------------------------------------

def check_message_caps(server):
    port = server.port

    def refused(what, data, after_startup=True):
        conn = connect(port) if after_startup else pgwire.Connection(port)
        try:
            conn.send(data)
            got, closed = read_until_closed(conn, CLOSE_WITHIN)
            expect(closed, f'{what}: the connection was not closed within {CLOSE_WITHIN} s '
                   '(the server waits for a body it should refuse)')
            bad = [c for c in error_codes(got) if c != '08P01']
            expect(not bad, f'{what}: unexpected errors {bad}')
        finally:
            conn.close()

    def waits(what, data, after_startup=True):
        conn = connect(port) if after_startup else pgwire.Connection(port)
        try:
            conn.send(data)
            got, closed = read_until_closed(conn, 0.5)
            expect(not closed and not got, f'{what}: refused ({got[:60]!r}), should wait for '
                   'the body')
        finally:
            conn.close()

    for kind in b'DESHCXcf':
        t = bytes([kind])
        refused(f'{t!r} with length 10001', t + struct.pack('!I', 10001))
    waits("b'S' with length 10000", b'S' + struct.pack('!I', 10000))
    for kind in b'QPBdF':
        waits(f'{bytes([kind])!r} with length 10001', bytes([kind]) + struct.pack('!I', 10001))
    refused("b'Q' with length 1 GiB - 1", b'Q' + struct.pack('!I', (1 << 30) - 1))
    waits("b'Q' with length 1 GiB - 2", b'Q' + struct.pack('!I', (1 << 30) - 2))
    refused('startup packet of 10005', struct.pack('!I', 10005), after_startup=False)
    waits('startup packet of 10004', struct.pack('!I', 10004), after_startup=False)

    # A Describe of exactly 10000 bytes is read and answered (an unknown statement: 26000).
    conn = connect(port)
    name = b'x' * (10000 - 4 - 2)
    conn.send(pgwire.message(b'D', b'S' + name + b'\0') + pgwire.message(b'S'))
    codes = [pgwire.parse_error_fields(p).get('C') for k, p in conn.read_until_ready()
             if k == b'E']
    expect(codes in (['26000'], ['0A000']), f'Describe of 10000 bytes: {codes}')
    conn.close()

    if isinstance(server, servers.Sqlrited):
        # A header claiming 1 GiB - 2 and 4 MB of body: the server holds about what arrived.
        conn = connect(port)
        before = rss_kib(server.proc.pid)
        conn.send(b'Q' + struct.pack('!I', (1 << 30) - 2) + b'x' * (4 << 20))
        time.sleep(0.5)
        grown = rss_kib(server.proc.pid) - before
        conn.close()
        expect(grown < 32 * 1024, f'a 1 GiB Query header with 4 MB of body grew the server by '
               f'{grown} KiB')
    print('ok   message length caps')


# ---- 2. FunctionCall ------------------------------------------------------------------------

def function_call(conn, body):
    conn.send(pgwire.message(b'F', body))
    out = []
    for kind, payload in conn.read_until_ready():
        if kind == b'E':
            f = pgwire.parse_error_fields(payload)
            out.append(('E', f.get('S'), f.get('C'), f.get('M')))
        else:
            out.append((kind.decode(), payload.decode()))
    return out


def check_function_call(server):
    conn = connect(server.port)
    call = struct.pack('!I', 12345) + struct.pack('!hhh', 0, 0, 0)
    got = function_call(conn, call)
    expect(got == [('E', 'ERROR', '42883', 'function with OID 12345 does not exist'),
                   ('Z', 'I')], f'FunctionCall: {got}')
    got = function_call(conn, b'\0\0')
    expect(got == [('E', 'ERROR', '08P01', 'insufficient data left in message'), ('Z', 'I')],
           f'short FunctionCall: {got}')
    ok(conn, 'begin')
    got = function_call(conn, call)
    expect(got == [('E', 'ERROR', '42883', 'function with OID 12345 does not exist'),
                   ('Z', 'E')], f'FunctionCall in a block: {got}')
    got = function_call(conn, call)
    expect(got == [('E', 'ERROR', '25P02', 'current transaction is aborted, commands ignored '
                    'until end of transaction block'), ('Z', 'E')],
           f'FunctionCall in a failed block: {got}')
    ok(conn, 'rollback')
    expect(ok(conn, 'select 1') == [['1']], 'the session did not carry on')
    conn.close()
    print('ok   FunctionCall')


# ---- 3. target list cap ---------------------------------------------------------------------

def check_target_list(server):
    conn = connect(server.port)
    rows, error = conn.simple_query('select ' + ','.join(str(i) for i in range(1700)))
    expect(error is not None and error.get('C') == '54011' and
           error.get('M') == 'target lists can have at most 1664 entries',
           f'1700 columns: {error}')
    rows = ok(conn, 'select ' + ','.join(str(i) for i in range(1664)))
    expect(len(rows) == 1 and len(rows[0]) == 1664, 'select of 1664 columns')
    conn.close()
    print('ok   target lists of more than 1664 entries')


# ---- 4, 5. cancel and statement_timeout of running statements -------------------------------

def setup_tables(server):
    conn = connect(server.port)
    ok(conn, 'drop table if exists t')
    ok(conn, 'create table t (a int)')
    ok(conn, 'insert into t values ' + ', '.join(f'({i})' for i in range(3000)))
    conn.close()


def expect_answer(conn, within, what):
    """The messages up to ReadyForQuery, which must come within `within` seconds."""
    conn.sock.settimeout(within)
    start = time.monotonic()
    try:
        messages = conn.read_until_ready()
    except socket.timeout:
        raise Failure(f'{what}: no answer within {within} s')
    conn.sock.settimeout(30)
    return messages, time.monotonic() - start


def still_running(conn, seconds):
    conn.sock.settimeout(seconds)
    try:
        data = conn.sock.recv(1)
    except socket.timeout:
        return True
    finally:
        conn.sock.settimeout(30)
    raise Failure(f'the statement ended although it should still run ({data!r})')


def error_of(messages):
    for kind, payload in messages:
        if kind == b'E':
            return pgwire.parse_error_fields(payload)
    return None


def check_cancel(server):
    a = connect(server.port)
    b = connect(server.port)
    expect(a.key and b.key and a.key != b.key, f'BackendKeyData: {a.key} {b.key}')
    a.send(pgwire.query_message(LONG_QUERY))
    time.sleep(0.5)  # a's statement runs (sqlrited: b's then waits on the one engine thread)
    b.send(pgwire.query_message(LONG_QUERY))
    time.sleep(0.2)
    send_cancel(server.port, (a.key[0], a.key[1] ^ 1))  # a wrong key does nothing
    still_running(a, 1.0)
    send_cancel(server.port, a.key)
    messages, took = expect_answer(a, 5.0, 'cancel of a running statement')
    error = error_of(messages)
    expect(error and error.get('C') == '57014' and
           error.get('M') == 'canceling statement due to user request',
           f'canceled statement: {error}')
    expect(messages[-1] == (b'Z', b'I'), f'after the cancel: {messages[-1]}')
    # The other session's statement was not canceled.
    still_running(b, 0.5)
    send_cancel(server.port, b.key)
    messages, _ = expect_answer(b, 5.0, 'cancel of the second session')
    expect(error_of(messages).get('C') == '57014', 'second session not canceled')
    expect(ok(a, 'select 1') == [['1']], 'the canceled session did not carry on')
    # A cancel while idle is forgotten: the next statement runs.
    send_cancel(server.port, a.key)
    time.sleep(0.2)
    expect(ok(a, 'select count(*) from t') == [['3000']], 'a statement after an idle cancel')
    a.close()
    b.close()
    print(f'ok   CancelRequest ends a running statement ({took:.2f} s), per session')


def check_statement_timeout(server):
    conn = connect(server.port)
    ok(conn, "set statement_timeout = '300ms'")
    start = time.monotonic()
    conn.send(pgwire.query_message(LONG_QUERY))
    messages, _ = expect_answer(conn, 5.0, 'statement_timeout of a running statement')
    took = time.monotonic() - start
    error = error_of(messages)
    expect(error and error.get('C') == '57014' and
           error.get('M') == 'canceling statement due to statement timeout',
           f'timed-out statement: {error}')
    expect(ok(conn, 'select 1') == [['1']], 'the session did not carry on')
    # Inside a block the block fails.
    ok(conn, 'begin')
    conn.send(pgwire.query_message(LONG_QUERY))
    messages, _ = expect_answer(conn, 5.0, 'statement_timeout in a block')
    expect(messages[-1] == (b'Z', b'E'), f'after a timeout in a block: {messages[-1]}')
    ok(conn, 'rollback')
    conn.close()
    print(f'ok   statement_timeout ends a running statement ({took:.2f} s for 300 ms)')


def extended_run(sql):
    """Parse, Bind, Execute and Sync of sql, unnamed, as a driver sends them."""
    return (pgwire.message(b'P', b'\0' + sql.encode() + b'\0' + struct.pack('!H', 0)) +
            pgwire.message(b'B', b'\0\0' + struct.pack('!HHH', 0, 0, 0)) +
            pgwire.message(b'E', b'\0' + struct.pack('!i', 0)) + pgwire.message(b'S'))


def extended_value(conn, sql):
    conn.send(extended_run(sql))
    messages = conn.read_until_ready()
    expect(error_of(messages) is None, f'{sql!r} through Execute: {error_of(messages)}')
    return [pgwire.decode_data_row(p) for k, p in messages if k == b'D']


def check_extended_cancel_and_timeout(server):
    """statement_timeout and a CancelRequest end a statement run by the extended protocol's
    Execute (drivers' path: JDBC's setQueryTimeout sends a CancelRequest); neither lingers to
    fail the next statement."""
    conn = connect(server.port)
    ok(conn, "set statement_timeout = '300ms'")
    start = time.monotonic()
    conn.send(extended_run(LONG_QUERY))
    messages, _ = expect_answer(conn, 5.0, 'statement_timeout of an Execute')
    took = time.monotonic() - start
    error = error_of(messages)
    expect(error and error.get('C') == '57014' and
           error.get('M') == 'canceling statement due to statement timeout',
           f'timed-out Execute: {error}')
    expect([k for k, _ in messages] == [b'1', b'2', b'E', b'Z'], f'messages: {messages}')
    expect(extended_value(conn, 'select 1') == [['1']], 'the next Execute after a timeout')
    ok(conn, 'set statement_timeout = 0')
    conn.send(extended_run(LONG_QUERY))
    still_running(conn, 0.5)
    send_cancel(server.port, conn.key)
    messages, _ = expect_answer(conn, 5.0, 'cancel of an Execute')
    error = error_of(messages)
    expect(error and error.get('C') == '57014' and
           error.get('M') == 'canceling statement due to user request', f'canceled: {error}')
    # A cancel while idle is forgotten: the next Parse and Execute run.
    send_cancel(server.port, conn.key)
    time.sleep(0.2)
    expect(extended_value(conn, 'select count(*) from t') == [['3000']],
           'an Execute after an idle cancel')
    conn.close()
    print(f'ok   statement_timeout and cancel end an Execute ({took:.2f} s for 300 ms)')


# ---- 6. idle_in_transaction_session_timeout -------------------------------------------------

def check_idle_in_transaction(server):
    conn = connect(server.port)
    ok(conn, "set idle_in_transaction_session_timeout = '300ms'")
    expect(ok(conn, 'show idle_in_transaction_session_timeout') == [['300ms']], 'SHOW')
    time.sleep(0.6)  # idle outside a block: nothing happens
    ok(conn, 'begin')
    ok(conn, 'select 1')
    data, closed = read_until_closed(conn, 3.0)
    expect(closed, 'an idle transaction was not ended')
    messages = []
    pos = 0
    while pos + 5 <= len(data):
        (length,) = struct.unpack('!I', data[pos + 1:pos + 5])
        messages.append((data[pos:pos + 1], data[pos + 5:pos + 1 + length]))
        pos += 1 + length
    fields = error_of(messages) or {}
    expect(fields.get('S') == 'FATAL' and fields.get('C') == '25P03' and
           fields.get('M') == 'terminating connection due to idle-in-transaction timeout',
           f'idle-in-transaction timeout: {messages}')
    conn.close()
    print('ok   idle_in_transaction_session_timeout')


# ---- 7. authentication_timeout --------------------------------------------------------------

def check_authentication_timeout(server):
    packet = pgwire.startup_packet()
    conn = pgwire.Connection(server.port)
    start = time.monotonic()
    closed = False
    try:
        for byte in packet:
            conn.send(bytes([byte]))
            time.sleep(0.25)
            if time.monotonic() - start > AUTH_TIMEOUT + 3:
                break
    except OSError:
        closed = True
    if not closed:
        _, closed = read_until_closed(conn, 1.0)
    took = time.monotonic() - start
    conn.close()
    expect(closed and took < AUTH_TIMEOUT + 3,
           f'a client trickling its startup packet was not cut off ({took:.1f} s)')
    print(f'ok   authentication_timeout cuts off a trickling client ({took:.1f} s)')


# ---- 8. a client that stops reading ---------------------------------------------------------

def wait_for_first_bytes(conn, timeout):
    conn.sock.settimeout(timeout)
    try:
        expect(len(conn.sock.recv(1, socket.MSG_PEEK)) == 1, 'the connection closed')
    finally:
        conn.sock.settimeout(30)


def check_stalled_reader(server):
    stalled = connect(server.port)
    stalled.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    # A million rows (about 20 MB on the wire, more than the socket buffers hold), never read.
    setup = connect(server.port)
    ok(setup, 'drop table if exists u')
    ok(setup, 'create table u (a int)')
    ok(setup, 'insert into u select a from t where a < 1000')
    setup.close()
    # Logged in before: this server's authentication_timeout is 2 s, less than a login waits
    # behind the engine computing that result under the sanitizers.
    other = connect(server.port, timeout=120)
    stalled.send(pgwire.query_message('select a.a, b.a from u a, u b'))
    # The one engine thread computes the result first (seconds under the sanitizers); the
    # measurement starts once the first rows reach the stalled client, that is once the server
    # is writing (and then stuck), not while it is still computing.
    wait_for_first_bytes(stalled, 120.0)
    ok(other, 'select 1')
    time.sleep(1.0)
    other.sock.settimeout(5)
    worst = 0.0
    for _ in range(20):
        start = time.monotonic()
        expect(ok(other, 'select count(*) from t') == [['3000']], 'other session')
        worst = max(worst, time.monotonic() - start)
    expect(worst < 1.0, f'another session waited {worst:.2f} s while a client stalled')
    fresh = connect(server.port, timeout=5)
    ok(fresh, 'select 1')
    fresh.close()
    other.close()
    stalled.close()
    print(f'ok   a stalled reader delays nobody (worst other query {worst * 1000:.0f} ms)')


# ---- 9. sqlrited: startup budget, slots, keys -----------------------------------------------

def check_half_open_flood(binary):
    server = servers.Sqlrited(binary, ['--max-connections', '5',
                                       '--superuser-reserved-connections', '1'])
    flood = []
    try:
        server.start()
        for _ in range(100):
            flood.append(socket.create_connection(('127.0.0.1', server.port), timeout=5))
        time.sleep(0.3)
        sessions = []
        for i in range(5):
            start = time.monotonic()
            sessions.append(connect(server.port, timeout=5))
            took = time.monotonic() - start
            expect(took < 1.0, f'login {i + 1} under a half-open flood took {took:.2f} s')
            ok(sessions[-1], 'select 1')
        conn = pgwire.Connection(server.port)
        conn.send(pgwire.startup_packet())
        messages = conn.read_until_ready()
        fields = error_of(messages) or {}
        expect(fields.get('C') == '53300' and fields.get('M') == 'sorry, too many clients already',
               f'the sixth session: {messages}')
        conn.close()
        keys = {s.key for s in sessions}
        expect(len(keys) == 5 and len({k[0] for k in keys}) == 5, f'keys not distinct: {keys}')
        for s in sessions:
            s.close()
        print('ok   100 half-open connections do not keep real clients out; 5 sessions of 5')
    finally:
        for s in flood:
            s.close()
        server.cleanup()


class PostgresWithAuthTimeout(servers.Postgres):
    def server_options(self, port):
        return super().server_options(port) + f' -c authentication_timeout={AUTH_TIMEOUT}s'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = ap.parse_args()
    if args.server == 'sqlrited':
        if not args.sqlrited or not os.access(args.sqlrited, os.X_OK):
            print('limits: FAIL: no sqlrited binary')
            return 1
        server = servers.Sqlrited(args.sqlrited,
                                  ['--authentication-timeout', str(AUTH_TIMEOUT)])
    else:
        reason = servers.Postgres.available(args.pg_bin)
        if reason:
            print(f'limits: FAIL: {reason}')
            return 1
        server = PostgresWithAuthTimeout(args.pg_bin)
    try:
        server.start()
        setup_tables(server)
        check_message_caps(server)
        check_function_call(server)
        check_target_list(server)
        check_cancel(server)
        check_statement_timeout(server)
        check_extended_cancel_and_timeout(server)
        check_idle_in_transaction(server)
        check_authentication_timeout(server)
        check_stalled_reader(server)
        expect(server.alive(), 'the server died')
        if args.server == 'sqlrited':
            check_half_open_flood(args.sqlrited)
    except (Failure, servers.ServerError, pgwire.WireError, OSError) as e:
        print(f'limits: FAILED: {e}')
        if args.server == 'sqlrited':
            print(server.log())
        return 1
    finally:
        server.cleanup()
    print('limits: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
