#!/usr/bin/python3
"""A long-running SELECT in one session does not stop point SELECTs in others from being answered.

One session runs a 3-way cross join of a ROWS-row table (a billion combinations: far longer than
the test) while SESSIONS other sessions run point SELECTs of single rows of the same table, one
after another, for WINDOW seconds. The same sessions first run them for WINDOW seconds with
nothing else running (the baseline). The answers per second of both phases are printed; what is
asserted is only that every session got answers while the long query ran (at least
MIN_ANSWERS each, and the long query was still running at the end of the window, so they were
not queued behind it), then the long query is cancelled (57014) and every session still answers.
Timing ratios are printed, never asserted: they depend on the machine's load.

  long_query_readers.py --server sqlrited --sqlrited PATH | --server postgres [--pg-bin DIR]

Exit 0 on success, 1 on failure (a missing server is a failure, never a skip).
"""

import argparse
import os
import select
import socket
import struct
import sys
import threading
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pgwire  # noqa: E402
import servers  # noqa: E402

ROWS = 1000
SESSIONS = 4
WINDOW = 3.0  # seconds of each measuring phase
RUNNING = 0.5  # seconds to let the long query get going before measuring
MIN_ANSWERS = 5  # per session while the long query runs
ANSWER_WAIT = 60.0  # how long any single answer may take once nothing is in its way
LONG_QUERY = ('select count(*) from big a, big b, big c where a.v + b.v + c.v = -1')


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def connect(port):
    conn = pgwire.Connection(port, timeout=ANSWER_WAIT)
    messages = conn.startup()
    conn.cancel_key = next((p for k, p in messages if k == b'K'), b'')
    return conn


def ok(conn, sql):
    rows, error = conn.simple_query(sql)
    expect(error is None, f'{sql!r} failed: {error}')
    return rows


def send_cancel(port, conn):
    """A CancelRequest for conn on a connection of its own, as libpq's PQcancel sends it."""
    with socket.create_connection(('127.0.0.1', port), timeout=10) as s:
        s.sendall(struct.pack('!II', 16, 80877102) + conn.cancel_key)
        s.recv(1)  # the server closes it without an answer


def setup(port):
    conn = connect(port)
    ok(conn, 'drop table if exists big')
    ok(conn, 'create table big (id int primary key, v int not null)')
    ok(conn, 'insert into big values ' + ', '.join(f'({i}, {i % 97})' for i in range(1, ROWS + 1)))
    conn.close()


class PointReader:
    """One session running point SELECTs back to back; counts the answers that arrive before
    the phase's end (an answer still outstanding then is counted as what it is: not answered)."""

    def __init__(self, port, index):
        self.conn = connect(port)
        self.index = index
        self.error = None

    def phase(self, end):
        self.answers = 0
        self.worst = 0.0
        self.thread = threading.Thread(target=self.loop, args=(end,), daemon=True)
        self.thread.start()

    def loop(self, end):
        key = self.index
        try:
            while time.monotonic() < end:
                key = key % ROWS + 1
                sent = time.monotonic()
                rows, error = self.conn.simple_query(f'select v from big where id = {key}')
                took = time.monotonic() - sent
                if error is not None or rows != [[str(key % 97)]]:
                    self.error = f'point select of {key}: {rows} {error}'
                    return
                if time.monotonic() <= end:
                    self.answers += 1
                    self.worst = max(self.worst, took)
        except (OSError, pgwire.WireError) as e:
            self.error = f'connection error: {e!r}'

    def join(self):
        self.thread.join(ANSWER_WAIT)
        expect(not self.thread.is_alive(), f'session {self.index}: no answer in {ANSWER_WAIT} s '
                                            'after the long query ended')
        expect(self.error is None, f'session {self.index}: {self.error}')


def start_phase(readers):
    end = time.monotonic() + WINDOW
    for r in readers:
        r.phase(end)
    time.sleep(WINDOW)


def figures(readers):
    """After join: each session's answers within the phase and its slowest answer."""
    return [(r.answers, r.worst) for r in readers]


def run(port):
    setup(port)
    readers = [PointReader(port, i) for i in range(SESSIONS)]
    start_phase(readers)
    for r in readers:
        r.join()
    baseline = figures(readers)

    long_conn = connect(port)
    long_conn.send(pgwire.query_message(LONG_QUERY))
    time.sleep(RUNNING)
    start_phase(readers)
    # The long query must still be running: otherwise the window measured nothing.
    still_running = not select.select([long_conn.sock], [], [], 0)[0]
    send_cancel(port, long_conn)
    for r in readers:
        r.join()
    during = figures(readers)
    messages = long_conn.read_until_ready()
    long_error = next((pgwire.parse_error_fields(p) for k, p in messages if k == b'E'), None)

    def line(name, figures):
        total = sum(a for a, _ in figures)
        worst = max(w for _, w in figures)
        return (f'  {name}: {total / WINDOW:.0f} answers/s over {SESSIONS} sessions '
                f'({", ".join(str(a) for a, _ in figures)} answers in {WINDOW:.0f} s), '
                f'slowest answer {worst * 1000:.1f} ms')

    print(line('point selects alone', baseline))
    print(line('point selects beside the long query', during))
    base_total = sum(a for a, _ in baseline)
    during_total = sum(a for a, _ in during)
    if base_total:
        print(f'  beside the long query: {100.0 * during_total / base_total:.0f}% of the baseline')

    expect(still_running, 'the long query ended inside the window: make it longer')
    expect(long_error is not None and long_error.get('C') == '57014',
           f'the long query was not cancelled with 57014: {long_error}')
    for i, (answers, _) in enumerate(during):
        expect(answers >= MIN_ANSWERS,
               f'session {i} got {answers} answers in {WINDOW:.0f} s while the long query ran '
               f'(want >= {MIN_ANSWERS}): point SELECTs wait behind it')
    for r in readers:
        expect(ok(r.conn, 'select count(*) from big') == [[str(ROWS)]], 'count after the cancel')
        r.conn.close()
    long_conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = ap.parse_args()
    if args.server == 'sqlrited':
        if not args.sqlrited or not os.path.exists(args.sqlrited):
            print('long_query_readers: FAIL: no sqlrited binary')
            return 1
        server = servers.Sqlrited(args.sqlrited)
    else:
        reason = servers.Postgres.available(args.pg_bin)
        if reason:
            print(f'long_query_readers: FAIL: {reason}')
            return 1
        server = servers.Postgres(args.pg_bin)
    try:
        server.start()
        run(server.port)
        expect(server.alive(), 'the server died')
    except (Failure, servers.ServerError, OSError, pgwire.WireError) as e:
        print(f'long_query_readers: FAILED: {e}')
        print(server.log())
        return 1
    finally:
        server.cleanup()
    print('long_query_readers: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
