#!/usr/bin/python3
"""pg_stat_activity, pg_locks and the signal functions across sessions, over psycopg2, on
sqlrited or PostgreSQL 15 (the same script must pass on both):
  1. a session sees another's row: its pid (the other's pg_backend_pid()), role, database,
     application_name, client address and port, state 'idle' and its last statement; while the
     other is inside a block that wrote, 'idle in transaction', a backend_xid, and in pg_locks
     its virtualxid and transactionid locks (ExclusiveLock, granted);
  2. a third session whose write waits for that block shows as waiting: pg_stat_activity
     state 'active', wait_event_type 'Lock', its statement; pg_locks a transactionid ShareLock
     not granted on the writer's backend_xid (who blocks whom), with a waitstart;
  3. pg_cancel_backend(waiter) ends the wait with 57014 and answers true;
  4. after the writer's COMMIT it is 'idle' again with no transaction id and no lock;
  5. pg_terminate_backend(pid) ends that session (its next statement fails) and its row goes;
     a pid that is no session gives false;
  6. pgAdmin's dashboard query (pid, state, query) lists every session.

  stat_activity.py --server sqlrited --sqlrited PATH
  stat_activity.py --server postgres [--pg-bin DIR]

Exit 0 on success, 1 on failure (a missing binary is a failure).
"""

import argparse
import os
import sys
import threading
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import psycopg2  # noqa: E402
import psycopg2.errors  # noqa: E402

import servers  # noqa: E402

TIMEOUT = 20.0


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def connect(port, name):
    conn = psycopg2.connect(host='127.0.0.1', port=port, user='postgres', dbname='postgres',
                            application_name=name)
    conn.autocommit = True
    return conn


def rows(conn, sql, params=None):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description is not None else None


def one(conn, sql, params=None):
    result = rows(conn, sql, params)
    expect(result is not None and len(result) == 1, f'{sql!r} gave {result}')
    return result[0]


def activity(conn, pid):
    # A fresh transaction per read (PostgreSQL keeps one snapshot of the view per transaction).
    result = rows(conn, 'select usename, datname, application_name, client_addr::text, '
                        'client_port, state, query, backend_xid::text, wait_event_type, '
                        'backend_type from pg_stat_activity where pid = %s', (pid,))
    if not result:
        return None
    keys = ('usename', 'datname', 'application_name', 'client_addr', 'client_port', 'state',
            'query', 'backend_xid', 'wait_event_type', 'backend_type')
    return dict(zip(keys, result[0]))


def wait_for(what, probe):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.05)
    raise Failure(f'timed out waiting for {what}')


def locks(conn, pid):
    return rows(conn, 'select locktype, mode, granted, transactionid::text, waitstart is not null '
                      'from pg_locks where pid = %s and locktype in (%s, %s) order by 1, 2',
                (pid, 'virtualxid', 'transactionid'))


def scenario(port):
    a = connect(port, 'stats-a')
    b = connect(port, 'stats-b')
    c = connect(port, 'stats-c')
    try:
        pid_a = one(a, 'select pg_backend_pid()')[0]
        pid_b = one(b, 'select pg_backend_pid()')[0]
        pid_c = one(c, 'select pg_backend_pid()')[0]
        expect(len({pid_a, pid_b, pid_c}) == 3, f'pids repeat: {pid_a} {pid_b} {pid_c}')
        rows(a, 'create table accounts (id int primary key, balance int)')
        rows(a, 'insert into accounts select g, 100 from generate_series(1, 10) g')

        # 1. Another session as it waits for its client.
        rows(b, 'select 42 as answer')
        seen = wait_for("b's idle row", lambda: (lambda r: r if r and r['state'] == 'idle'
                                                  else None)(activity(a, pid_b)))
        expect(seen['usename'] == 'postgres' and seen['datname'] == 'postgres', f'b: {seen}')
        expect(seen['application_name'] == 'stats-b', f'b application_name: {seen}')
        expect(seen['client_addr'] in ('127.0.0.1', '127.0.0.1/32'), f'b client_addr: {seen}')
        expect(isinstance(seen['client_port'], int) and seen['client_port'] > 0, f'b: {seen}')
        expect(seen['query'] == 'select 42 as answer', f"b's last statement: {seen}")
        expect(seen['backend_xid'] is None and seen['backend_type'] == 'client backend',
               f'b: {seen}')
        expect(seen['wait_event_type'] == 'Client', f'an idle session waits for its client: {seen}')
        mine = activity(a, pid_a)
        expect(mine['state'] == 'active' and mine['query'].startswith('select usename'),
               f'a sees itself: {mine}')
        expect(locks(a, pid_b) == [], f'an idle session holds locks: {locks(a, pid_b)}')

        # A block that wrote: idle in transaction, a transaction id and its lock.
        rows(b, 'begin')
        rows(b, 'update accounts set balance = balance - 1')
        seen = activity(a, pid_b)
        expect(seen['state'] == 'idle in transaction', f'b in its block: {seen}')
        expect(seen['query'] == 'update accounts set balance = balance - 1', f'b: {seen}')
        xid = seen['backend_xid']
        expect(xid is not None, f'b wrote but has no backend_xid: {seen}')
        held = locks(a, pid_b)
        expect(('transactionid', 'ExclusiveLock', True, xid, False) in held,
               f"b's transactionid lock: {held}")
        expect(any(l[0] == 'virtualxid' and l[1] == 'ExclusiveLock' and l[2] for l in held),
               f"b's virtualxid lock: {held}")

        # 2. A write that waits for b's block.
        outcome = {}

        def blocked_update():
            try:
                rows(c, 'update accounts set balance = 0 where id = 3')
                outcome['error'] = None
            except psycopg2.Error as e:
                outcome['error'] = e.pgcode

        waiter = threading.Thread(target=blocked_update)
        waiter.start()
        waiting = wait_for("c's lock wait", lambda: [l for l in locks(a, pid_c) if not l[2]])
        expect(waiting == [('transactionid', 'ShareLock', False, xid, True)],
               f'c waits for b: {waiting} (b holds {xid})')
        seen = activity(a, pid_c)
        expect(seen['state'] == 'active' and seen['wait_event_type'] == 'Lock',
               f'c as it waits: {seen}')
        expect(seen['query'] == 'update accounts set balance = 0 where id = 3', f'c: {seen}')

        # 3. Cancel the waiter.
        expect(one(a, 'select pg_cancel_backend(%s)', (pid_c,))[0] is True, 'cancel gave false')
        waiter.join(TIMEOUT)
        expect(not waiter.is_alive(), 'the canceled update did not end')
        expect(outcome.get('error') == '57014', f'the canceled update ended with {outcome}')
        seen = wait_for("c idle", lambda: (lambda r: r if r and r['state'] == 'idle' else None)(
            activity(a, pid_c)))

        # 4. The writer commits.
        rows(b, 'commit')
        seen = wait_for("b idle after commit", lambda: (
            lambda r: r if r and r['state'] == 'idle' else None)(activity(a, pid_b)))
        expect(seen['query'] == 'commit' and seen['backend_xid'] is None, f'b after commit: {seen}')
        expect(locks(a, pid_b) == [], f'b holds locks after commit: {locks(a, pid_b)}')

        # 6. pgAdmin's dashboard.
        listed = rows(a, 'select pid, state, query from pg_stat_activity')
        pids = {r[0] for r in listed}
        expect({pid_a, pid_b, pid_c} <= pids, f'the dashboard lists {listed}')

        # 5. Terminate b.
        expect(one(a, 'select pg_terminate_backend(%s)', (pid_b,))[0] is True,
               'terminate gave false')
        try:
            rows(b, 'select 1')
            raise Failure('a terminated session still answers')
        except (psycopg2.OperationalError, psycopg2.InterfaceError,
                psycopg2.errors.AdminShutdown):
            pass
        wait_for("b's row to go", lambda: activity(a, pid_b) is None)
        expect(one(a, 'select pg_terminate_backend(2147483000)')[0] is False,
               'terminating no session gave true')
    finally:
        for conn in (a, b, c):
            try:
                conn.close()
            except psycopg2.Error:
                pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = ap.parse_args()
    if args.server == 'sqlrited':
        if not args.sqlrited or not os.path.exists(args.sqlrited):
            print(f'stat_activity: FAIL: {args.sqlrited} not built')
            return 1
        server = servers.Sqlrited(args.sqlrited)
    else:
        server = servers.Postgres(args.pg_bin)
    try:
        server.start()
        scenario(server.port)
    except (Failure, servers.ServerError, psycopg2.Error, OSError) as e:
        print(f'stat_activity: FAILED: {e}')
        print(server.log())
        return 1
    finally:
        server.cleanup()
    print('stat_activity: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
