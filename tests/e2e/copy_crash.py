#!/usr/bin/python3
"""COPY FROM and kill -9: an acknowledged COPY survives, an interrupted one leaves nothing.

On sqlrited: a pgbench_accounts-shaped table (int, int, int, char(84)), whose char(84) values are
stored as their bytes and a blank count (row record tag 9, docs/file-format.md), some blank, some
with text before the padding. A COPY of --rows rows is acknowledged (CommandComplete), then the
server is killed with SIGKILL; a second COPY is sent part of its data, the server given time to
insert some of it (inside the COPY's transaction), and killed again before CopyDone. After each
restart the table must hold exactly the first COPY's rows, padded values included (DataRow sends a
char(84) padded, as PostgreSQL's bpcharout), ALTER TABLE ADD PRIMARY KEY must work on them, and
`sqlrited check` must pass on the directory.
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
    conn = pgwire.Connection(port, timeout=120)
    conn.startup()
    return conn


def query(port, sql):
    conn = connect(port)
    try:
        rows, error = conn.simple_query(sql)
    finally:
        conn.close()
    if error:
        raise Failure(f'{sql}: {error}')
    return rows


def filler(aid):
    # Every fifth row has text before its blanks; the rest are blank (pgbench's filler).
    return f'note {aid}' if aid % 5 == 0 else ''


def lines(first, count):
    return ''.join(f'{a}\t{a % 7}\t0\t{filler(a)}\n' for a in range(first, first + count)).encode()


def copy_in(conn, data, done):
    """COPY acc FROM STDIN with data in 64 KiB CopyData messages; CopyDone when done (returns the
    CommandComplete tag), else returns once the data is sent."""
    conn.send(pgwire.query_message('copy acc from stdin'))
    kind, _ = conn.read_message()
    expect(kind == b'G', f'COPY did not start: {kind}')
    out = b''.join(pgwire.message(b'd', data[i:i + 65536]) for i in range(0, len(data), 65536))
    if not done:
        conn.send(out)
        return None
    conn.send(out + pgwire.message(b'c'))
    tag = None
    for kind, payload in conn.read_until_ready():
        if kind == b'C':
            tag = payload.rstrip(b'\0').decode()
        expect(kind != b'E', f'COPY failed: {pgwire.parse_error_fields(payload)}')
    return tag


def check_table(port, rows):
    count, total, blank, noted = query(
        port, "select count(*), sum(aid), count(*) filter (where filler = ''), "
              "count(*) filter (where filler like 'note %') from acc")[0]
    expect((count, total) == (str(rows), str(rows * (rows + 1) // 2)),
           f'after restart: {count} rows, sum {total}; want {rows}, {rows * (rows + 1) // 2}')
    expect((blank, noted) == (str(rows - rows // 5), str(rows // 5)),
           f'blank / noted fillers: {blank} / {noted}')
    for aid in (1, 5, rows):
        (value,) = query(port, f'select filler from acc where aid = {aid}')[0]
        want = filler(aid).ljust(84)
        expect(value == want, f'filler of {aid}: {value!r}, want {want!r}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sqlrited', required=True)
    ap.add_argument('--rows', type=int, default=200000)
    args = ap.parse_args()
    if not os.access(args.sqlrited, os.X_OK):
        print(f'copy_crash: FAIL: no sqlrited at {args.sqlrited}')
        return 1
    # --max-wal-size 64: the 16 MiB checkpoint threshold these loads were sized against, so checkpoint
    # rounds copy part of the log before the kills (the default, 1 GiB, would leave it all in the log).
    server = servers.Sqlrited(args.sqlrited, extra_args=('--max-wal-size', '64'))
    try:
        server.start()
        query(server.port, 'create table acc(aid int not null, bid int, abalance int, '
                           'filler char(84))')
        conn = connect(server.port)
        tag = copy_in(conn, lines(1, args.rows), done=True)
        expect(tag == f'COPY {args.rows}', f'COPY tag {tag!r}')
        server.kill()  # acknowledged: must survive
        server.start()
        check_table(server.port, args.rows)

        conn = connect(server.port)
        copy_in(conn, lines(args.rows + 1, args.rows), done=False)
        time.sleep(1.0)  # the engine inserts what has arrived, inside the COPY's transaction
        server.kill()  # not acknowledged: must leave nothing
        server.start()
        check_table(server.port, args.rows)
        query(server.port, 'alter table acc add primary key (aid)')
        (plan,) = query(server.port, 'select count(*) from acc where aid = 5')[0]
        expect(plan == '1', f'lookup by the new key: {plan}')
        server.stop()
        checked = subprocess.run([args.sqlrited, 'check', '-D', server.data_dir],
                                 capture_output=True, text=True, timeout=300)
        expect(checked.returncode == 0, f'sqlrited check: exit {checked.returncode}\n'
               f'{checked.stdout[-2000:]}{checked.stderr[-2000:]}')
        print(f'copy_crash: PASS ({args.rows} rows acknowledged then killed; a second COPY '
              'killed before CopyDone left nothing)')
        return 0
    except (Failure, servers.ServerError, OSError) as e:
        print(f'copy_crash: FAIL: {e}\n{server.log()}')
        return 1
    finally:
        server.cleanup()


if __name__ == '__main__':
    sys.exit(main())
