#!/usr/bin/python3
"""Fast shutdown: SIGTERM stops sqlrited within seconds whatever a statement is doing.

One session runs a statement that would take far longer than the test (a three-way cross join),
then the server gets SIGTERM: it must exit within 5 s, that session must get FATAL 57P01
"terminating connection due to administrator command" (as from PostgreSQL's fast shutdown), and
an idle session must get the same. After a restart, the interrupted transaction left nothing.
Exit 0 on success, 1 on failure, 77 (ctest skip) when the server is missing.
"""

import argparse
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgwire  # noqa: E402
import servers  # noqa: E402

SKIP = 77
EXIT_WITHIN = 5.0


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def ok(conn, sql):
    rows, error = conn.simple_query(sql)
    expect(error is None, f'{sql!r} failed: {error}')
    return rows


def fatal_of(messages):
    """The fields of the FATAL ErrorResponse among messages, or None."""
    for kind, payload in messages:
        if kind == b'E':
            fields = pgwire.parse_error_fields(payload)
            if fields.get('S') == 'FATAL':
                return fields
    return None


def read_to_end(conn, timeout):
    """Every message until the server closes the connection (or timeout)."""
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


def run(binary):
    server = servers.Sqlrited(binary)
    try:
        server.start()
        setup = pgwire.Connection(server.port)
        setup.startup()
        ok(setup, 'create table t (a int)')
        ok(setup, 'create table u (a int)')
        ok(setup, 'insert into t values ' + ', '.join(f'({i})' for i in range(3000)))
        setup.close()

        idle = pgwire.Connection(server.port)
        idle.startup()
        busy = pgwire.Connection(server.port)
        busy.startup()
        ok(busy, 'begin')
        ok(busy, 'insert into u values (1)')
        # 27 billion combinations: hours of work if nothing stops it.
        busy.send(pgwire.query_message('select count(*) from t a, t b, t c'))
        time.sleep(0.5)  # let it reach the engine thread
        expect(server.alive(), 'sqlrited died under the long statement:\n' + server.log())

        start = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(EXIT_WITHIN)
        except Exception:  # subprocess.TimeoutExpired
            raise Failure(f'sqlrited did not exit within {EXIT_WITHIN:.0f} s of SIGTERM while a '
                          'statement ran')
        elapsed = time.monotonic() - start
        status = server.proc.returncode
        server.proc = None
        expect(status == 0, f'sqlrited exited with {status}:\n' + server.log())

        for name, conn in (('busy', busy), ('idle', idle)):
            fields = fatal_of(read_to_end(conn, 2.0))
            expect(fields is not None, f'the {name} session got no FATAL before the close')
            expect(fields.get('C') == '57P01' and fields.get('M') ==
                   'terminating connection due to administrator command',
                   f'the {name} session got {fields}, expected FATAL 57P01')
            conn.close()

        server.start()
        check = pgwire.Connection(server.port)
        check.startup()
        rows = ok(check, 'select count(*) from u')
        expect(rows == [['0']], f'the interrupted transaction left rows behind: {rows}')
        check.close()
        print(f'ok: exited {elapsed:.2f} s after SIGTERM with a statement running; both '
              'sessions got FATAL 57P01; the open transaction was rolled back')
        return 0
    finally:
        server.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sqlrited', required=True)
    args = ap.parse_args()
    if not os.path.exists(args.sqlrited):
        print(f'skip: {args.sqlrited} not built')
        return SKIP
    try:
        return run(args.sqlrited)
    except (Failure, servers.ServerError, pgwire.WireError, OSError) as e:
        print(f'FAIL: {e}')
        return 1


if __name__ == '__main__':
    sys.exit(main())
