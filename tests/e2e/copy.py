#!/usr/bin/python3
"""COPY FROM STDIN / TO STDOUT, differential: the same inputs go to sqlrited and to a
PostgreSQL 15 the test starts; the message sequences, error fields (SQLSTATE, message, detail,
hint, CONTEXT), the rows sent by COPY TO and the tables' contents afterwards must match.

Cases: text, CSV and binary input (escapes, quotes, embedded newlines, NULL strings, HEADER and HEADER
MATCH, delimiters, multibyte text, CRLF, the end-of-data marker, input split across CopyData
messages at every byte), each error kind (22P02, 22P04 missing/extra data, 23502, 23505, 42703,
42P01, bad options), CopyFail, a COPY inside a transaction block, COPY TO in both formats with
FORCE_QUOTE/HEADER/NULL, COPY (query) TO, psql's \\copy in and out. Then, on sqlrited alone,
a COPY of a server file (refused with PostgreSQL's privilege error) and a 1M-row COPY in and out
whose peak RSS (VmHWM) must stay under a bound; the figures are printed.
Exit 0 on success, 1 on failure, also when a server or psql is missing (never a skip).
"""

import argparse
import os
import shutil
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import pgwire  # noqa: E402
import servers  # noqa: E402

ERROR_FIELDS = 'CMDHW'


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def connect(port):
    conn = pgwire.Connection(port, timeout=120)
    conn.startup()
    return conn


def run_copy(conn, sql, chunks=(), end='done'):
    """Sends a Query; feeds chunks as CopyData when the server asks for input, then CopyDone
    (end='done') or CopyFail (end=<message>). Returns a transcript: message kinds, error fields,
    CopyOut data, the CommandComplete tags and ReadyForQuery's status."""
    conn.send(pgwire.query_message(sql))
    out = []
    while True:
        msg = conn.read_message()
        if msg is None:
            out.append(('closed',))
            return out
        kind, payload = msg
        if kind == b'G' or kind == b'H':
            fmt, ncols = struct.unpack('!bH', payload[:3])
            formats = struct.unpack(f'!{ncols}H', payload[3:3 + 2 * ncols])
            out.append((kind.decode(), fmt, formats))
            if kind == b'G':
                data = b''.join(pgwire.message(b'd', c) for c in chunks)
                if end == 'done':
                    data += pgwire.message(b'c')
                else:
                    data += pgwire.message(b'f', end.encode() + b'\0')
                conn.send(data)
        elif kind == b'd':
            out.append(('d', payload))
        elif kind == b'E' or kind == b'N':
            fields = pgwire.parse_error_fields(payload)
            out.append((kind.decode(),) + tuple((k, fields.get(k)) for k in ERROR_FIELDS))
        elif kind == b'Z':
            out.append(('Z', payload))
            return out
        else:
            out.append((kind.decode(), payload if kind in (b'C', b'D') else b''))


def ext_copy(conn, sql, chunks=()):
    """COPY through the extended protocol as libpq sends it: Parse/Bind/Execute/Sync, then (for
    COPY FROM) the data, CopyDone and another Sync. The transcript as run_copy's."""
    conn.send(pgwire.message(b'P', b'\0' + sql.encode() + b'\0' + struct.pack('!H', 0)) +
              pgwire.message(b'B', b'\0\0' + struct.pack('!HHH', 0, 0, 0)) +
              pgwire.message(b'E', b'\0' + struct.pack('!I', 0)) + pgwire.message(b'S'))
    out = []
    while True:
        msg = conn.read_message()
        if msg is None:
            out.append(('closed',))
            return out
        kind, payload = msg
        if kind == b'G':
            out.append(('G', payload))
            conn.send(b''.join(pgwire.message(b'd', c) for c in chunks) + pgwire.message(b'c') +
                      pgwire.message(b'S'))
        elif kind == b'E':
            fields = pgwire.parse_error_fields(payload)
            out.append(('E',) + tuple((k, fields.get(k)) for k in ERROR_FIELDS))
        else:
            out.append((kind.decode(), payload))
            if kind == b'Z':
                return out


def extended_case(conn):
    reset(conn)
    conn.simple_query(TEXT_TABLE)
    return [ext_copy(conn, 'copy t from stdin', [b'1\tx\t0\tt\n', b'2\ty\t1\tf\n']),
            ext_copy(conn, 'copy t to stdout with csv'),
            ext_copy(conn, 'copy t from stdin', [b'3\tx\t0\tt\n4\tbad\n']),
            table_rows(conn)]


def table_rows(conn, sql='select * from t order by 1'):
    rows, error = conn.simple_query(sql)
    return rows, error and error.get('M')


TEXT_TABLE = 'create table t(a int primary key, b text, c float8, d bool)'
STRICT_TABLE = 'create table t(a int primary key, b varchar(5) not null, c int)'

# (name, setup statements, COPY statement, CopyData chunks, end)
CASES = [
    ('text basic', [TEXT_TABLE], 'copy t from stdin',
     [b'1\tx\t1.5\tt\n2\t\\N\t-2\tf\n3\t\t0\tt\n'], 'done'),
    ('text escapes', [TEXT_TABLE], 'copy t from stdin',
     [b'1\ta\\tb\\\\c\\nd\\x41\\101\\b\\f\\r\\v\\q\\\\N\t0\tt\n2\t\\N\\\tX\t1\tf\n'], 'done'),
    ('text octal zero is invalid utf8', [TEXT_TABLE], 'copy t from stdin',
     [b'1\ta\\0b\t0\tt\n'], 'done'),
    ('multibyte', [TEXT_TABLE], 'copy t from stdin',
     ['1\tñandú 日本 \U0001F600\t0\tt\n'.encode()], 'done'),
    ('invalid utf8', [TEXT_TABLE], 'copy t from stdin', [b'1\tok\t0\tt\n2\t\xff\xfe\t0\tt\n'],
     'done'),
    ('end marker and junk after it', [TEXT_TABLE], 'copy t from stdin',
     [b'1\tq\t0\tt\n\\.\nthis is ignored\n'], 'done'),
    ('end marker after data on its line', [TEXT_TABLE], 'copy t from stdin',
     [b'1\tq\t0\tt\n2\tr\t0\tt\\.\n'], 'done'),
    ('no final newline', [TEXT_TABLE], 'copy t from stdin', [b'1\tq\t0\tt\n2\tr\t0\tt'], 'done'),
    ('crlf', [TEXT_TABLE], 'copy t from stdin', [b'1\tq\t0\tt\r\n2\tr\t0\tt\r\n'], 'done'),
    ('cr then lf mixes styles', [TEXT_TABLE], 'copy t from stdin',
     [b'1\tq\t0\tt\r\n2\tr\t0\tt\n'], 'done'),
    ('bare cr in data', [TEXT_TABLE], 'copy t from stdin', [b'1\tq\t0\tt\n2\tr\rs\t0\tt\n'],
     'done'),
    ('columns list and defaults', ['create table t(a int primary key, b text default \'dflt\', '
                                   'c int)'], 'copy t (c, a) from stdin', [b'7\t1\n8\t2\n'], 'done'),
    ('delimiter and null', [TEXT_TABLE], "copy t from stdin with (delimiter '|', null 'NIL')",
     [b'1|NIL|2.5|true\n2|a\\|b|3|no\n'], 'done'),
    ('csv header quotes newlines', [TEXT_TABLE], 'copy t from stdin with (format csv, header true)',
     [b'a,b,c,d\n6,"x,y",1,t\n7,"multi\nline\n",2,f\n8,"say ""hi""",3,t\n9,,4,t\n10,"",5,t\n'],
     'done'),
    ('csv old style', [TEXT_TABLE], "copy t from stdin with csv header delimiter ';' null 'NULL'",
     [b'h1;h2;h3;h4\n1;NULL;1;t\n2;"NULL";2;f\n3;\\.x;3;t\n'], 'done'),
    ('csv quote escape', [TEXT_TABLE],
     "copy t from stdin (format csv, quote '''', escape '\\')", [b"1,'it\\'s, ok',1,t\n"], 'done'),
    ('csv force_not_null force_null', [TEXT_TABLE],
     'copy t from stdin (format csv, force_not_null (b), force_null (c))',
     [b'1,,"",t\n2,"",,f\n'], 'done'),
    ('csv end marker', [TEXT_TABLE], 'copy t from stdin csv', [b'1,a,1,t\n\\.\n2,b,2,t\n'], 'done'),
    ('csv unterminated quote', [TEXT_TABLE], 'copy t from stdin csv', [b'1,"abc,1,t\n'], 'done'),
    ('header match good', [TEXT_TABLE], 'copy t (a, b) from stdin (format csv, header match)',
     [b'a,b\n1,x\n'], 'done'),
    ('header match bad name', [TEXT_TABLE], 'copy t (a, b) from stdin (format csv, header match)',
     [b'a,c\n1,x\n'], 'done'),
    ('header match bad count', [TEXT_TABLE], 'copy t from stdin (header match)',
     [b'a\tb\n1\tx\t0\tt\n'], 'done'),
    ('header match null', [TEXT_TABLE], 'copy t (a, b) from stdin (header match)',
     [b'a\t\\N\n'], 'done'),
    ('bad integer', [TEXT_TABLE], 'copy t from stdin', [b'1\tx\t0\tt\n2x\ty\t0\tt\n'], 'done'),
    ('bad float', [TEXT_TABLE], 'copy t from stdin', [b'1\tx\tabc\tt\n'], 'done'),
    ('bad bool null input ok', [TEXT_TABLE], 'copy t from stdin', [b'1\tx\t0\t\\N\n2\tx\t0\tmaybe\n'],
     'done'),
    ('missing data', [TEXT_TABLE], 'copy t from stdin', [b'1\tx\n'], 'done'),
    ('extra data', [TEXT_TABLE], 'copy t from stdin', [b'1\tx\t0\tt\textra\n'], 'done'),
    ('empty line', [TEXT_TABLE], 'copy t from stdin', [b'1\tx\t0\tt\n\n'], 'done'),
    ('not null violation', [STRICT_TABLE], 'copy t from stdin', [b'1\tok\t1\n2\t\\N\t2\n'], 'done'),
    ('unique violation', [STRICT_TABLE], 'copy t from stdin', [b'1\tok\t1\n2\tok\t2\n1\tdup\t3\n'],
     'done'),
    ('varchar too long', [STRICT_TABLE], 'copy t from stdin', [b'1\ttoolongvalue\t1\n'], 'done'),
    # char(n) padded by characters, not bytes, and varchar(n), each row reusing the previous
    # row's string (a shorter value after a longer one); a multibyte value of n characters but
    # more bytes, trailing blanks cut, and one too long.
    ('char and varchar fit', ['create table t(a int primary key, b char(6), c varchar(6))'],
     'copy t from stdin',
     ['1\tabcdef\tabcdef\n2\t\tx\n3\té\t\\N\n4\tñandú日\tñandú日\n5\tab    \tab    \n'
      '6\tz\tz\n'.encode()], 'done'),
    ('char too long', ['create table t(a int primary key, b char(3))'], 'copy t from stdin',
     ['1\tab\n2\tabc  \n3\tñañ\n4\tabcd\n'.encode()], 'done'),
    ('long value in context', [STRICT_TABLE], 'copy t from stdin',
     [b'1\tok\t' + b'9' * 150 + b'\n'], 'done'),
    ('unknown column', [TEXT_TABLE], 'copy t (a, nope) from stdin', [], 'done'),
    ('duplicate column', [TEXT_TABLE], 'copy t (a, a) from stdin', [], 'done'),
    ('unknown table', [], 'copy nope from stdin', [], 'done'),
    ('copyfail', [TEXT_TABLE], 'copy t from stdin', [b'1\tx\t0\tt\n'], 'client gave up'),
    ('bad delimiter', [TEXT_TABLE], "copy t from stdin (delimiter 'ab')", [], 'done'),
    ('quote in text mode', [TEXT_TABLE], "copy t from stdin (quote '\"')", [], 'done'),
    ('force_quote in copy from', [TEXT_TABLE], 'copy t from stdin (format csv, force_quote *)',
     [], 'done'),
    ('unknown option', [TEXT_TABLE], 'copy t from stdin (bogus 1)', [], 'done'),
    ('bad format', [TEXT_TABLE], 'copy t from stdin (format xml)', [], 'done'),
    ('repeated option', [TEXT_TABLE], "copy t from stdin (delimiter ',', delimiter ';')", [],
     'done'),
    ('header match in copy to', [TEXT_TABLE], 'copy t to stdout (header match)', [], 'done'),
    ('delimiter in null', [TEXT_TABLE], "copy t from stdin (delimiter ',', null 'a,b')", [],
     'done'),
    ('copy to text', [TEXT_TABLE, "insert into t values (1, E'a\\tb\\\\c\\nd', 1.5, true), "
                      "(2, null, -0.25, false), (3, '', 1e20, null)"], 'copy t to stdout', [],
     'done'),
    ('copy to csv', [TEXT_TABLE, "insert into t values (1, 'a,b', 1.5, true), "
                     "(2, null, 2, false), (3, '', 3, null), (4, 'say \"hi\"', 4, true), "
                     "(5, E'two\\nlines', 5, true)"],
     'copy t to stdout with (format csv, header)', [], 'done'),
    ('copy to csv force quote', [TEXT_TABLE, "insert into t values (1, 'x', 1.5, true), "
                                 "(2, null, 2, false)"],
     "copy t (b, a) to stdout with csv header force quote b null 'N/A'", [], 'done'),
    ('copy to csv force quote star', [TEXT_TABLE, "insert into t values (1, 'x', 1.5, true)"],
     'copy t to stdout (format csv, force_quote *)', [], 'done'),
    ('copy to single column marker', ['create table t(b text)', "insert into t values ('\\.')"],
     'copy t to stdout csv', [], 'done'),
    ('copy query to', [TEXT_TABLE, "insert into t values (1, 'x', 1.5, true), (2, 'y', 2, false)"],
     "copy (select a, b || '!' as bang from t where a > 1 order by a) to stdout "
     "with (delimiter ';')", [], 'done'),
    ('copy to unknown table', [], 'copy nope to stdout', [], 'done'),
    ('copy to empty table', [TEXT_TABLE], 'copy t to stdout', [], 'done'),
]


def bin_header(flags=0, extension=b''):
    return b'PGCOPY\n\xff\r\n\0' + struct.pack('!ii', flags, len(extension)) + extension


def bin_tuple(*fields):
    """A binary COPY tuple; None is NULL, other fields are bytes as they go on the wire."""
    out = struct.pack('!h', len(fields))
    for f in fields:
        out += struct.pack('!i', -1) if f is None else struct.pack('!i', len(f)) + f
    return out


BIN_TRAILER = struct.pack('!h', -1)


def i4(v):
    return struct.pack('!i', v)


def f8(v):
    return struct.pack('!d', v)


BIN_ROWS = (bin_header() + bin_tuple(i4(1), 'ñandú'.encode(), f8(1.5), b'\1') +
            bin_tuple(i4(2), None, f8(-0.25), b'\0') + bin_tuple(i4(3), b'', None, None))

BINARY_CASES = [
    ('binary in', [TEXT_TABLE], 'copy t from stdin (format binary)', [BIN_ROWS + BIN_TRAILER],
     'done'),
    ('binary in old style, no trailer', [TEXT_TABLE], 'copy t from stdin binary', [BIN_ROWS],
     'done'),
    ('binary in columns list', [TEXT_TABLE], 'copy t (b, a) from stdin (format binary)',
     [bin_header(0xffff, b'ext') + bin_tuple(b'x', i4(7)) + BIN_TRAILER], 'done'),
    ('binary in bad signature', [TEXT_TABLE], 'copy t from stdin (format binary)',
     [b'PGCOPY\n\xff\r\n\1' + bytes(8)], 'done'),
    ('binary in short header', [TEXT_TABLE], 'copy t from stdin (format binary)', [b'PGCOPY'],
     'done'),
    ('binary in with oids', [TEXT_TABLE], 'copy t from stdin (format binary)',
     [bin_header(1 << 16)], 'done'),
    ('binary in critical flags', [TEXT_TABLE], 'copy t from stdin (format binary)',
     [bin_header(1 << 20)], 'done'),
    ('binary in field count', [TEXT_TABLE], 'copy t from stdin (format binary)',
     [BIN_ROWS + bin_tuple(i4(4), b'x')], 'done'),
    ('binary in invalid field size', [TEXT_TABLE], 'copy t from stdin (format binary)',
     [bin_header() + struct.pack('!hii', 4, 4, 1) + struct.pack('!i', -7)], 'done'),
    ('binary in truncated', [TEXT_TABLE], 'copy t from stdin (format binary)',
     [BIN_ROWS + bin_tuple(i4(4), b'abc', f8(0), b'\1')[:-3]], 'done'),
    ('binary in data after trailer', [TEXT_TABLE], 'copy t from stdin (format binary)',
     [BIN_ROWS + BIN_TRAILER + b'x'], 'done'),
    ('binary in data after trailer, next message', [TEXT_TABLE],
     'copy t from stdin (format binary)', [BIN_ROWS + BIN_TRAILER, b'x'], 'done'),
    ('binary in int4 too long', [TEXT_TABLE], 'copy t from stdin (format binary)',
     [bin_header() + bin_tuple(struct.pack('!q', 1), b'x', f8(0), b'\1')], 'done'),
    ('binary in int4 too short', [TEXT_TABLE], 'copy t from stdin (format binary)',
     [bin_header() + bin_tuple(b'\0\1', b'x', f8(0), b'\1')], 'done'),
    ('binary in invalid utf8', [TEXT_TABLE], 'copy t from stdin (format binary)',
     [bin_header() + bin_tuple(i4(1), b'a\xff', f8(0), b'\1')], 'done'),
    ('binary in not null', [STRICT_TABLE], 'copy t from stdin (format binary)',
     [bin_header() + bin_tuple(i4(1), b'ok', i4(1)) + bin_tuple(i4(2), None, i4(2))], 'done'),
    ('binary in varchar too long', [STRICT_TABLE], 'copy t from stdin (format binary)',
     [bin_header() + bin_tuple(i4(1), b'toolongvalue', i4(1))], 'done'),
    ('binary in unique', [STRICT_TABLE], 'copy t from stdin (format binary)',
     [bin_header() + bin_tuple(i4(1), b'ok', i4(1)) + bin_tuple(i4(1), b'ok', i4(2))], 'done'),
    ('binary in copyfail', [TEXT_TABLE], 'copy t from stdin (format binary)', [BIN_ROWS],
     'client gave up'),
    ('binary in copyfail in header', [TEXT_TABLE], 'copy t from stdin (format binary)',
     [b'PGCOPY'], 'client gave up'),
    ('binary with header option', [TEXT_TABLE], 'copy t from stdin (format binary, header)', [],
     'done'),
    ('binary out', [TEXT_TABLE, "insert into t values (1, 'ñandú', 1.5, true), "
                    "(2, null, -0.25, false), (3, '', null, null)"],
     'copy t to stdout (format binary)', [], 'done'),
    ('binary out columns', [TEXT_TABLE, "insert into t values (1, 'x', 1.5, true)"],
     'copy t (d, a) to stdout with binary', [], 'done'),
    ('binary out query', [TEXT_TABLE, "insert into t values (1, 'x', 1.5, true), (2, 'y', 2, false)"],
     "copy (select a * 2 as a2, b || '!' from t order by a) to stdout (format binary)", [],
     'done'),
    ('binary out empty', [TEXT_TABLE], 'copy t to stdout (format binary)', [], 'done'),
]


def reset(conn):
    conn.simple_query('drop table if exists t')


def run_case(conn, case):
    name, setup, sql, chunks, end = case
    reset(conn)
    for stmt in setup:
        _, error = conn.simple_query(stmt)
        expect(error is None, f'{name}: setup {stmt!r} failed: {error}')
    transcript = run_copy(conn, sql, chunks, end)
    rows = table_rows(conn) if setup else None
    return transcript, rows


def split_case(conn, data, sql='copy t from stdin'):
    """The same input fed one byte per CopyData message."""
    reset(conn)
    conn.simple_query(TEXT_TABLE)
    transcript = run_copy(conn, sql, [data[i:i + 1] for i in range(len(data))])
    return transcript, table_rows(conn)


def block_case(conn):
    """A failed COPY inside a transaction block fails the block; ROLLBACK TO a savepoint
    taken before it undoes only the COPY; a good COPY in a block commits with the block."""
    reset(conn)
    conn.simple_query(TEXT_TABLE)
    out = []
    out.append(run_copy(conn, 'begin'))
    out.append(run_copy(conn, "insert into t values (100, 'before', 0, true)"))
    out.append(run_copy(conn, 'savepoint s'))
    out.append(run_copy(conn, 'copy t from stdin', [b'1\ta\t0\tt\n2\tb\t0\tbad\n']))
    out.append(run_copy(conn, 'select 1'))
    out.append(run_copy(conn, 'rollback to s'))
    out.append(run_copy(conn, 'copy t from stdin', [b'3\tc\t0\tt\n']))
    out.append(run_copy(conn, 'copy t from stdin', [b'4\td\t0\tt\n'], 'stop'))
    out.append(run_copy(conn, 'commit'))
    out.append(table_rows(conn))
    # After a failed COPY FROM, data the client still sends is ignored.
    conn.send(pgwire.message(b'd', b'5\te\t0\tt\n') + pgwire.message(b'c'))
    out.append(run_copy(conn, 'select count(*) from t'))
    return out


def psql_copy(server, psql, workdir):
    """psql's \\copy in (a CSV file) and out, through psql -c."""
    src = os.path.join(workdir, 'in.csv')
    with open(src, 'w') as f:
        f.write('a,b,c,d\n1,"x, y",1.5,t\n2,,2,f\n3,"line\nbreak",3,t\n')
    out_path = os.path.join(workdir, f'out-{server.name}.txt')
    base = ['-X', '-h', '127.0.0.1', '-p', str(server.port), '-U', 'postgres', '-d', 'postgres',
            '-v', 'ON_ERROR_STOP=1']
    results = []
    for cmd in ['drop table if exists t', TEXT_TABLE, f"\\copy t from '{src}' with csv header",
                f"\\copy t to '{out_path}'", '\\copy t (b, a) to stdout with (format csv)',
                "\\copy t from stdin", 'select * from t order by a']:
        results.append(harness.run_psql(psql, base + ['-c', cmd], workdir))
    with open(out_path) as f:
        results.append(f.read())
    return results


def compare(label, ours, theirs):
    if ours != theirs:
        raise Failure(f'{label}: sqlrited and PostgreSQL differ\n  sqlrited:   {ours!r}\n'
                      f'  postgres:   {theirs!r}')


def peak_rss_kib(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])
    raise Failure('no VmHWM in /proc status')


def reset_peak(pid):
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
    try:
        with open(f'/proc/{pid}/clear_refs', 'w') as f:
            f.write('5')
        return True
    except OSError:
        return False


def big_copy(server, rows, bound_mib):
    conn = connect(server.port)
    conn.simple_query('drop table if exists big')
    conn.simple_query('create table big(id int8 primary key, name text, score float8)')
    pid = server.proc.pid
    reset_peak(pid)
    base = peak_rss_kib(pid)
    payload_bytes = 0
    conn.send(pgwire.query_message('copy big from stdin'))
    msg = conn.read_message()
    expect(msg and msg[0] == b'G', f'big copy: expected CopyInResponse, got {msg!r}')
    start = time.monotonic()
    batch = []
    for i in range(1, rows + 1):
        line = f'{i}\tname number {i} with some padding text\t{i}.5\n'.encode()
        payload_bytes += len(line)
        batch.append(pgwire.message(b'd', line))
        if len(batch) == 2000:
            conn.send(b''.join(batch))
            batch = []
    batch.append(pgwire.message(b'c'))
    conn.send(b''.join(batch))
    msgs = conn.read_until_ready()
    in_seconds = time.monotonic() - start
    tags = [p for k, p in msgs if k == b'C']
    expect(tags == [f'COPY {rows}'.encode() + b'\0'], f'big copy in: {msgs[:3]!r}')
    peak_in = peak_rss_kib(pid)
    reset_peak(pid)
    start = time.monotonic()
    conn.send(pgwire.query_message('copy big to stdout'))
    count = 0
    received = 0
    while True:
        kind, payload = conn.read_message()
        if kind == b'd':
            count += 1
            received += len(payload)
        elif kind == b'Z':
            break
        elif kind == b'E':
            raise Failure(f'big copy out: {pgwire.parse_error_fields(payload)}')
    out_seconds = time.monotonic() - start
    peak_out = peak_rss_kib(pid)
    expect(count == rows, f'big copy out sent {count} rows, expected {rows}')
    expect(received == payload_bytes, f'big copy out sent {received} bytes, expected {payload_bytes}')
    conn.close()
    mib = 1024
    print(f'copy: {rows} rows ({payload_bytes / 2**20:.1f} MiB of text): COPY FROM {in_seconds:.1f} s, '
          f'peak RSS {peak_in / mib:.1f} MiB; COPY TO {out_seconds:.1f} s, peak RSS '
          f'{peak_out / mib:.1f} MiB (after start: {base / mib:.1f} MiB)')
    expect(peak_in < bound_mib * mib, f'COPY FROM peak RSS {peak_in / mib:.1f} MiB > {bound_mib} MiB')
    expect(peak_out < bound_mib * mib, f'COPY TO peak RSS {peak_out / mib:.1f} MiB > {bound_mib} MiB')


def concurrent_and_disconnect(server):
    """While a COPY FROM is open, another session reads the last commit (not the COPY's rows)
    and its write waits for the COPY's end; a client that leaves mid-COPY rolls it back."""
    a, b = connect(server.port), connect(server.port)
    a.simple_query('drop table if exists t')
    a.simple_query(TEXT_TABLE)
    a.simple_query("insert into t values (0, 'committed', 0, true)")
    a.send(pgwire.query_message('copy t from stdin'))
    expect(a.read_message()[0] == b'G', 'no CopyInResponse')
    a.send(pgwire.message(b'd', b'1\tx\t0\tt\n'))
    time.sleep(0.2)
    rows, error = b.simple_query('select count(*) from t')
    expect(error is None and rows == [['1']], f'reader during COPY saw {rows} {error}')
    b.send(pgwire.query_message("insert into t values (50, 'after', 0, true)"))
    time.sleep(0.2)
    a.send(pgwire.message(b'd', b'2\ty\t0\tt\n') + pgwire.message(b'c'))
    tags = [p for k, p in a.read_until_ready() if k == b'C']
    expect(tags == [b'COPY 2\0'], f'COPY tag {tags}')
    tags = [p for k, p in b.read_until_ready() if k == b'C']
    expect(tags == [b'INSERT 0 1\0'], f'the waiting insert got {tags}')
    # A client that goes away mid-COPY: nothing of it stays.
    a.send(pgwire.query_message('copy t from stdin'))
    expect(a.read_message()[0] == b'G', 'no CopyInResponse')
    a.send(pgwire.message(b'd', b'7\tgone\t0\tt\n'))
    time.sleep(0.1)
    a.close()
    time.sleep(0.2)
    rows, error = b.simple_query('select a from t order by a')
    expect(error is None and rows == [['0'], ['1'], ['2'], ['50']], f'after disconnect: {rows}')
    b.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sqlrited', required=True)
    ap.add_argument('--pg-bin', default='/usr/lib/postgresql/15/bin')
    ap.add_argument('--big-rows', type=int, default=1_000_000)
    ap.add_argument('--rss-bound-mib', type=int, default=120)
    args = ap.parse_args()
    psql = harness.psql_path(args.pg_bin)
    if shutil.which(psql) is None and not os.access(psql, os.X_OK):
        print('copy: FAIL: psql not found (run scripts/setup)')
        return 1
    if not os.path.exists(args.sqlrited):
        print('copy: FAIL: no sqlrited binary')
        return 1
    reason = servers.Postgres.available(args.pg_bin)
    if reason:
        print(f'copy: FAIL: {reason}')
        return 1
    ours = servers.Sqlrited(args.sqlrited)
    theirs = servers.Postgres(args.pg_bin)
    workdir = tempfile.mkdtemp(prefix='sqlrite-copy-')
    try:
        ours.start()
        theirs.start()
        a, b = connect(ours.port), connect(theirs.port)
        for case in CASES + BINARY_CASES:
            compare(case[0], run_case(a, case), run_case(b, case))
        bin_data = BIN_ROWS + BIN_TRAILER
        compare('binary split across messages',
                split_case(a, bin_data, 'copy t from stdin binary'),
                split_case(b, bin_data, 'copy t from stdin binary'))
        data = b'1\ta\\tb\\\\\t1.5\tt\r\n2\t\\N\t2\tf\r\n\\.\r\n'
        compare('split across messages', split_case(a, data), split_case(b, data))
        csv = b'1,"a\r\nb ""q""",1,t\r\n2,,2,f\r\n'
        compare('csv split across messages', split_case(a, csv, 'copy t from stdin csv'),
                split_case(b, csv, 'copy t from stdin csv'))
        compare('transaction block', block_case(a), block_case(b))
        compare('extended protocol', extended_case(a), extended_case(b))
        compare('psql \\copy', psql_copy(ours, psql, workdir), psql_copy(theirs, psql, workdir))
        a.close()
        b.close()
        # A server file: PostgreSQL's privilege error (sqlrited serves no server files).
        conn = connect(ours.port)
        for sql, state in [("copy t from '/etc/passwd'", '42501'),
                           ("copy t to '/tmp/x'", '42501'),
                           ("copy t from program 'true'", '42501'),
                           ('copy t from stdin; select 1', '0A000')]:
            _, error = conn.simple_query(sql)
            expect(error is not None and error.get('C') == state, f'{sql}: {error}')
        conn.close()
        concurrent_and_disconnect(ours)
        big_copy(ours, args.big_rows, args.rss_bound_mib)
        expect(ours.alive(), 'sqlrited died')
    except (Failure, pgwire.WireError, servers.ServerError, OSError) as e:
        print(f'copy: FAILED: {e}')
        print(ours.log()[-4000:])
        return 1
    finally:
        ours.cleanup()
        theirs.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)
    print('copy: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
