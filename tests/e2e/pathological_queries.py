#!/usr/bin/python3
"""Hostile query text must delay only the session that sent it, and the connection limit keeps
room for the superuser.

1. Two sessions send 160 KB query strings that make libpg_query's lexer quadratic (nested block
   comments, adjacent tiny comments). Meanwhile a fresh connection must log in and run `select 1`
   in under a second, and (sqlrited) the two must get their error (54001) and carry on.
2. Other pathological shapes of 160 KB, one at a time: each is answered (an error or rows) within a
   few seconds and the session carries on.
3. statement_timeout counts from the start of parsing: a slow parse is canceled with 57014.
4. superuser_reserved_connections: with max_connections 5 and 3 reserved, the superuser may still
   use every slot, the sixth connection gets 53300 "sorry, too many clients already"; against
   PostgreSQL, an ordinary role gets the reserved-slots message after two.

  pathological_queries.py --server sqlrited --sqlrited PATH
  pathological_queries.py --server postgres [--pg-bin DIR]

Against PostgreSQL, which lexes these strings for minutes too (in a process of their own, so logins
stay fast), only the login timing and the connection limits are checked.

Exit status 0 on success, 1 on a failure (a missing server is a failure).
"""

import argparse
import os
import sys
import threading
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pgwire  # noqa: E402
import servers  # noqa: E402

SIZE = 160 * 1024
LOGIN_LIMIT = 1.0  # seconds for a fresh login and select 1 while the hostile queries run
# Seconds to answer a refused or ordinary 160 KB query; --answer-limit sets it (the sanitizer
# trees pass 45: 18,204 `select 1;` in one string take 15-17 s under ASan at -O0, 0.9 s in the
# g++ tree, and a stall is minutes).
ANSWER_LIMIT = 15.0


def repeat(unit, size):
    return unit * (size // len(unit))


def nested_comments():
    pairs = SIZE // 4
    return 'select 1 ' + '/*' * pairs + '*/' * pairs


# The lexer-quadratic ones, sent by two sessions at once.
HOSTILE = [
    ('nested comments', nested_comments()),
    ('adjacent tiny comments', 'select 1 ' + repeat('/**/', SIZE)),
]

# Other shapes of the same size, one at a time: (name, sql).
SHAPES = [
    ('unterminated nested comment runs', 'select 1 /* ' + repeat('/*+', SIZE)),
    ('operator run shedding +/-', 'select 1 ' + repeat('+-', SIZE) + '1'),
    ('long operator', 'select 1 ' + repeat('<', SIZE) + ' 1'),
    ('many spaced comments', 'select 1 ' + repeat('/* c */ ', SIZE)),
    ('long string', "select '" + repeat('a', SIZE) + "'"),
    ('backslashes in E string', "select E'" + repeat('\\\\', SIZE) + "'"),
    ('dollar quote', 'select $q$' + repeat('$a', SIZE) + '$q$'),
    ('huge identifier', 'select ' + repeat('a', SIZE) + ' from t'),
    ('unterminated quotes', 'select 1 ' + repeat("'", SIZE)),
    ('many statements', repeat('select 1;', SIZE)),
    ('long IN list', 'select 1 where 1 in (' + repeat('1,', SIZE) + '1)'),
]


class Failure(Exception):
    pass


def connect(port, timeout=60.0, user='postgres'):
    conn = pgwire.Connection(port, timeout=timeout)
    conn.startup(user=user)
    return conn


def check_select_1(conn, what):
    rows, error = conn.simple_query('select 1')
    if error is not None or rows != [['1']]:
        raise Failure(f'{what}: select 1 gave {rows} {error}')


def hostile_sessions(port, expect_answers):
    """Part 1. Returns the fresh login's time."""
    conns = [connect(port) for _ in HOSTILE]
    answers = [None] * len(HOSTILE)

    def run(i):
        try:
            answers[i] = conns[i].simple_query(HOSTILE[i][1])
        except OSError as e:
            answers[i] = e

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(HOSTILE))]
    for t in threads:
        t.start()
    time.sleep(0.3)  # both strings sent and being parsed
    start = time.monotonic()
    fresh = connect(port, timeout=30.0)
    check_select_1(fresh, 'fresh login')
    elapsed = time.monotonic() - start
    fresh.close()
    print(f'fresh login + select 1 while {len(HOSTILE)} sessions send hostile 160 KB queries: '
          f'{elapsed:.3f} s')
    if elapsed >= LOGIN_LIMIT:
        raise Failure(f'fresh login + select 1 took {elapsed:.3f} s (limit {LOGIN_LIMIT} s)')
    if expect_answers:
        for i, t in enumerate(threads):
            t.join(30.0)
            name = HOSTILE[i][0]
            if t.is_alive() or not isinstance(answers[i], tuple):
                raise Failure(f'{name}: no answer ({answers[i]})')
            rows, error = answers[i]
            if error is None or error.get('C') != '54001':
                raise Failure(f'{name}: expected 54001, got {rows!r:.80} {error}')
            print(f'ok   {name}: {error["C"]} {error["M"]}')
            check_select_1(conns[i], name)
    for conn in conns:
        conn.close()
    return elapsed


def other_shapes(port):
    """Part 2."""
    conn = connect(port)
    for name, sql in SHAPES:
        start = time.monotonic()
        rows, error = conn.simple_query(sql)
        elapsed = time.monotonic() - start
        outcome = f'{error["C"]} {error["M"][:50]}' if error else f'{len(rows)} rows'
        print(f'{"ok  " if elapsed < ANSWER_LIMIT else "FAIL"} {name}: {elapsed:.3f} s, {outcome}')
        if elapsed >= ANSWER_LIMIT:
            raise Failure(f'{name}: answered after {elapsed:.3f} s (limit {ANSWER_LIMIT} s)')
        check_select_1(conn, name)
    conn.close()


def thread_count(pid):
    return len(os.listdir(f'/proc/{pid}/task'))


def parse_timeout(port, pid):
    """Part 3: a parse that takes far longer than the timeout (a 160 KB select list: a quarter of a
    second on an idle machine, seconds on a loaded one) under a 10 ms statement_timeout. The engine
    itself times out only statements that wait for the writer, so a 57014 here comes from the
    parse. The parse goes on after the 57014 (libpg_query cannot be stopped), and the session
    parses nothing else until it has ended, as a PostgreSQL backend is busy with its parse: a
    query the parse cache knows runs at once, a new one waits for it (under its own timeout).
    So one client cannot pile up parse threads: 40 such queries leave at most one running."""
    conn = connect(port)
    check_select_1(conn, 'before the timeout')  # `select 1` is now in the session's parse cache
    _, error = conn.simple_query("set statement_timeout = '10ms'")
    if error:
        raise Failure(f'set statement_timeout: {error}')
    sql = 'select ' + repeat('a,', SIZE) + 'a from t'
    start = time.monotonic()
    _, error = conn.simple_query(sql)
    elapsed = time.monotonic() - start
    print(f'slow parse under statement_timeout 10ms: {elapsed:.3f} s, {error and error.get("C")}')
    if error is None or error.get('C') != '57014':
        raise Failure(f'slow parse: expected 57014, got {error}')
    if error.get('M') != 'canceling statement due to statement timeout':
        raise Failure(f'slow parse: message {error.get("M")!r}')
    if elapsed >= 2.0:
        raise Failure(f'slow parse: canceled only after {elapsed:.3f} s')
    check_select_1(conn, 'after the timeout (a cached shape)')
    # A new shape waits for the abandoned parse; within ANSWER_LIMIT it must get through.
    deadline = time.monotonic() + ANSWER_LIMIT
    while True:
        rows, error = conn.simple_query('select 2')
        if error is None and rows == [['2']]:
            break
        if error is None or error.get('C') != '57014' or time.monotonic() > deadline:
            raise Failure(f'after the timeout: select 2 gave {rows} {error}')
        time.sleep(0.05)
    before = thread_count(pid)
    for i in range(40):
        _, error = conn.simple_query(sql.replace(' from t', f' from t{i}'))
        if error is None or error.get('C') != '57014':
            raise Failure(f'slow parse {i}: expected 57014, got {error}')
    after = thread_count(pid)
    print(f'threads before 40 timed-out slow parses: {before}, after: {after}')
    if after > before + 2:
        raise Failure(f'40 timed-out parses left {after - before} more threads')
    conn.close()


def connection_limits(port, ordinary_role):
    """Part 4, on a server with max_connections 5 and superuser_reserved_connections 3."""
    held = []
    try:
        if ordinary_role:
            for i in range(2):
                held.append(connect(port, user=ordinary_role))
            try:
                connect(port, user=ordinary_role)
                raise Failure('a third ordinary connection was let into a reserved slot')
            except pgwire.WireError as e:
                if '53300' not in str(e) or 'remaining connection slots are reserved' not in str(e):
                    raise Failure(f'ordinary role at the reserve: {e}') from e
                print(f'ok   ordinary role refused at the reserved slots: {e}')
        while len(held) < 5:  # the superuser takes the rest, reserved ones included
            held.append(connect(port))
        check_select_1(held[-1], 'superuser in the last slot')
        print('ok   the superuser used every slot, reserved ones included')
        try:
            connect(port)
            raise Failure('a sixth connection was accepted with max_connections 5')
        except pgwire.WireError as e:
            if '53300' not in str(e) or 'sorry, too many clients already' not in str(e):
                raise Failure(f'sixth connection: {e}') from e
            print(f'ok   sixth connection refused: {e}')
    finally:
        for conn in held:
            conn.close()


class LimitedPostgres(servers.Postgres):
    def server_options(self, port):
        return (super().server_options(port) +
                ' -c max_connections=5 -c superuser_reserved_connections=3')


def main():
    global ANSWER_LIMIT
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--server', choices=('sqlrited', 'postgres'), default='sqlrited')
    parser.add_argument('--sqlrited')
    parser.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    parser.add_argument('--answer-limit', type=float, default=ANSWER_LIMIT)
    args = parser.parse_args()
    ANSWER_LIMIT = args.answer_limit

    if args.server == 'postgres':
        why = servers.Postgres.available(args.pg_bin)
        if why:
            print(f'FAIL: PostgreSQL 15 is not available: {why}')
            return 1
        make = lambda: servers.Postgres(args.pg_bin)  # noqa: E731
        make_limited = lambda: LimitedPostgres(args.pg_bin)  # noqa: E731
    else:
        if not args.sqlrited or not os.access(args.sqlrited, os.X_OK):
            print(f'FAIL: sqlrited binary not found: {args.sqlrited}')
            return 1
        make = lambda: servers.Sqlrited(args.sqlrited)  # noqa: E731
        make_limited = lambda: servers.Sqlrited(  # noqa: E731
            args.sqlrited, ['--max-connections', '5', '--superuser-reserved-connections', '3'])

    sqlrited = args.server == 'sqlrited'
    failures = []
    server = make()
    try:
        server.start()
        for part in ([lambda: hostile_sessions(server.port, True), lambda: other_shapes(server.port),
                      lambda: parse_timeout(server.port, server.proc.pid)] if sqlrited
                     else [lambda: hostile_sessions(server.port, False)]):
            try:
                part()
            except (Failure, OSError, pgwire.WireError) as e:
                failures.append(str(e))
                print(f'FAIL {e}')
    finally:
        # PostgreSQL's backends may still be lexing, deaf to SIGTERM: an immediate shutdown.
        server.stop(servers.signal.SIGQUIT if not sqlrited else servers.signal.SIGTERM)
        server.cleanup()

    limited = make_limited()
    try:
        limited.start()
        ordinary = None
        if not sqlrited:
            conn = connect(limited.port)
            conn.simple_query('create role regular login')
            conn.close()
            ordinary = 'regular'
        try:
            connection_limits(limited.port, ordinary)
        except (Failure, OSError, pgwire.WireError) as e:
            failures.append(str(e))
            print(f'FAIL {e}')
    finally:
        limited.stop()
        limited.cleanup()

    if failures:
        print(f'{len(failures)} failure(s)')
        return 1
    print('all passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
