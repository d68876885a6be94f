#!/usr/bin/env python3
"""Differential test of exact numeric: the same statements go to sqlrited and to a PostgreSQL 15
this script starts, and every answer must match: RowDescription (column names, type OIDs,
formats), DataRows (text, and numeric_send's bytes for binary results), command tags, and errors
(severity, SQLSTATE, message, DETAIL).

Covered (numeric): numeric(p,s) columns and a numeric primary key (stored exactly, across a restart),
INSERT/UPDATE rounding to the column's scale and 22003 "numeric field overflow" with PostgreSQL's
DETAIL, arithmetic with PostgreSQL's result scales, mixed integer / numeric / float8 operators,
comparisons, ORDER BY numeric (NaN last), point lookups by a numeric key, casts to and from
int4/int8/float8/text (rounding half away from zero, 22003), decimal literals typed numeric,
abs/round/trunc/ceil/floor/sign/mod/power/sqrt, sum/avg/min/max and their result types, COPY
FROM/TO in text and binary (numeric_send's layout), binary results through the extended
protocol. And smallint and real as their own types: OIDs, 22003 range errors, float4's output
digits and arithmetic, their sums and averages, binary results.

With --server postgres the script checks its own expectations (EXPECT below) against PostgreSQL
alone, which shows they are PostgreSQL's.

    numeric_diff.py --sqlrited build/sqlrited [--pg-bin /usr/lib/postgresql/15/bin]
    numeric_diff.py --server postgres [--pg-bin ...]
"""

import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import extended  # noqa: E402
import pgwire  # noqa: E402
import servers  # noqa: E402

MISSING = 2
P, B, D, E, S = extended.P, extended.B, extended.D, extended.E, extended.S
ERROR_FIELDS = ('V', 'C', 'M', 'D')
NUMERIC_OID, INT8_OID, FLOAT8_OID, INT4_OID = 1700, 20, 701, 23
RESTART = 'restart'

STATEMENTS = [
    # Literals and arithmetic.
    'select 0.1 + 0.2',
    'select 1.50::numeric, 1.5, -0.000, 1e3, 1.5e-3, 12345678901234567890.123456789',
    'select 10.0 / 3, 1 / 3.0, 2.50 * 4.100, 7.5 % 2, -7.5 % 2, 1.0 - 0.99',
    'select 1 + 1.5, 2147483647 + 0.5, 9223372036854775807 + 1.0, 3 * 1.10',
    'select 1.5 + 1.5::float8, 0.1::float8 + 0.2, 2.5 < 3, 3 = 3.0, 3.0 = 3.00',
    'select -1.25, -(-1.25), +1.25, - 0.0',
    'select 1.0 / 0',
    'select 5 % 0.0',
    "select 'NaN'::numeric, 'Infinity'::numeric, '-inf'::numeric, 'nan'::numeric + 1",
    "select 'abc'::numeric",
    "select ' 12.30 '::numeric, '1e-2'::numeric, '-.5'::numeric",
    'select 99999999999999999999999999999999999999.5 * 10',
    # Casts.
    'select 2.5::int4, 3.5::int4, -2.5::int4, -3.5::int8, 1.4999::int8',
    'select 1.23456789::float8, 0.1::float8::numeric, 1e300::float8, 1e-5::float8::numeric',
    "select 1.50::text, 12.345::numeric(5,2), 12.355::numeric(5,2), -12.355::numeric(5,2)",
    'select 123.456::numeric(4,1)',
    "select '1.5'::numeric(2,1)::text, 7::numeric(5,2), 7::numeric, 7::int8::numeric",
    'select 2.5::float8::int4, 3.5::float8::int4',
    # Functions.
    'select abs(-1.50), abs(-3), round(2.5), round(-2.5), round(2.567, 2), round(1234.5, -2)',
    'select round(2.5::float8), round(3.5::float8), round(1), trunc(2.567, 1), trunc(-2.5)',
    'select ceil(1.2), ceil(-1.2), ceiling(1.5), floor(-1.2), floor(1.8), sign(-1.5), sign(0.0)',
    'select mod(7.5, 2), mod(7, 2), mod(-7, 3.0), power(2.0, 10), power(2, 10), power(1.5, 3)',
    'select sqrt(2.0), sqrt(16), sqrt(2::numeric), power(2.0, -2)',
    'select sqrt(-1.0)',
    'select power(0.0, -1)',
    # Tables: numeric(p,s) columns, a numeric primary key.
    'create table acct (id numeric(10,2) primary key, bal numeric(8,2) not null, '
    'rate numeric, qty int4, big int8, f float8)',
    "insert into acct values (1.5, 100.005, 0.1, 3, 9223372036854775807, 0.5), "
    "(-2, -0.004, 1.10, 4, 1, 1.25), (10.25, 12345.678, 33.333, 5, 2, -0.5)",
    'insert into acct values (3, 1000000, 1, 1, 1, 1)',
    'insert into acct values (1.501, 1, 1, 1, 1, 1)',
    'insert into acct values (1.499, 2.5, 1, 1, 1, 1)',
    "insert into acct values (0, 0, 'NaN', 0, 0, 0), (1000, 9.999, 'Infinity', 7, 7, 7)",
    'select * from acct order by id',
    'select * from acct order by rate',
    'select * from acct order by rate desc',
    'select id, bal from acct where id = 1.5',
    'select id, bal from acct where id = 10.250',
    'select id, bal from acct where id = 1000',
    'select id, bal from acct where id > 1 and id < 100 order by id',
    'select id, bal * 2, bal / 3, bal + qty, bal * f, qty + rate, -bal from acct order by id',
    'update acct set bal = bal * 1.1 where id > 0',
    'select id, bal from acct order by bal',
    'update acct set bal = bal * 10000 where id = 10.25',
    'update acct set rate = rate + 0.001, qty = qty + 1 where id = -2',
    'select rate, qty from acct where id = -2',
    'select count(*), sum(bal), avg(bal), min(bal), max(bal) from acct',
    'select sum(qty), avg(qty), sum(big), avg(big), sum(f), avg(f) from acct where id <> 0',
    'select sum(rate), avg(rate), min(rate), max(rate) from acct',
    'select sum(rate), avg(rate) from acct where rate < 100',
    'select qty % 2 as g, sum(bal), avg(bal) from acct group by qty % 2 order by g',
    'select count(distinct bal), sum(distinct qty) from acct',
    'select id::int4 as i4, id::float8 as f8, id::text as t, bal::int8 as b8 from acct '
    'order by id',
    # Run-time cast errors (errors of constant casts come before RowDescription in PostgreSQL,
    # which folds constants when it plans; sqlrited folds such a cast at run time).
    'select (id * 1e8)::int4 from acct where id = 1000',
    'select (id * 1e17)::int8 from acct where id = 1000',
    'select rate::int4 from acct where rate = \'NaN\'',
    'select (bal * 100)::numeric(5,1) from acct where id = 10.25',
    'select id::numeric(4,2) from acct where id = 1000',
    'select sum(big) from acct',
    'select sum(qty) filter_name from acct where false',
    'select avg(qty), avg(qty::int8), avg(bal) from acct where qty = 3',
    'select coalesce(null, 1.5), coalesce(1, 2.50), case when true then 1 else 2.5 end',
    'select 1.5 in (1.50, 2), 2 in (1.5, 2.0), 1.5 between 1 and 2',
    RESTART,
    'select * from acct order by id',
    'select id from acct where id = 1.50',
    'delete from acct where id = 10.25',
    'select id from acct order by id desc',
    'create table n2 (a numeric(3) primary key)',
    'insert into n2 values (1.4), (1.6), (-999.4)',
    'insert into n2 values (1.5)',
    'insert into n2 values (999.5)',
    'select a from n2 order by a',
    # smallint and real are types of their own (OIDs 21 and 700, ranges, float4 output).
    'select 1::int2, 1.5::float4, 1.1::float4, 1.1::float4 * 3, 1e10::float4, 1e-5::float4, '
    '123456::float4, 1234567::float4, 0.1::float4::float8, 1.1::float4 = 1.1',
    'select 1::int2 + 1::int2, 1::int2 + 1, 1.5::float4 + 1, 1.5::float4 + 1.5, '
    '1.5::float4 + 1.5::float4, -(2::int2), abs(-2::int2), mod(7::int2, 3::int2), 7::int2 % 3',
    'select round(1.5::float4), sqrt(4::float4), 2.5::float4::int2, 1.5::float4::numeric',
    'select 32767::int2 + 1::int2',
    "select '40000'::int2",
    "select '1e39'::float4",
    'select 3e38::float4 * 10::float4',
    'create table sr (a int2 primary key, b real, c smallint, d float4)',
    "insert into sr values (1, 1.1, 2, '3.25'), (-32768, 1e30, 32767, -0.5), (3, 0.1, null, null)",
    'insert into sr values (32768, 1, 1, 1)',
    'insert into sr values (4, 1, 1, 1e39)',
    'update sr set c = c + 1 where a = -32768',
    'select * from sr order by a',
    'select a, b * 2, b + 1, c * 2, d / 3 from sr order by b',
    'select sum(a), avg(a), sum(b), avg(b), min(b), max(c) from sr',
    'select * from sr where a = 3',
    'select * from sr where b = 1.1',
    'select (c * 2)::int2 from sr where a = -32768',
]

# Statements whose answer the script knows: (statement, first row as text, column type OIDs or
# None, SQLSTATE or None). Checked against whichever server runs.
EXPECT = [
    ('select 0.1 + 0.2', ['0.3'], [NUMERIC_OID], None),
    ('select 1.50::numeric, 1.5, -0.000, 1e3, 1.5e-3, 12345678901234567890.123456789',
     ['1.50', '1.5', '0.000', '1000', '0.0015', '12345678901234567890.123456789'],
     [NUMERIC_OID] * 6, None),
    ('select 2.5::int4, 3.5::int4, -2.5::int4, -3.5::int8, 1.4999::int8',
     ['3', '4', '-3', '-4', '1'], [INT4_OID, INT4_OID, INT4_OID, INT8_OID, INT8_OID], None),
    ('select 123.456::numeric(4,1)', ['123.5'], [NUMERIC_OID], None),
    ('insert into acct values (3, 1000000, 1, 1, 1, 1)', None, None, '22003'),
    ('select sum(qty), avg(qty), sum(big), avg(big), sum(f), avg(f) from acct where id <> 0',
     None, [INT8_OID, NUMERIC_OID, NUMERIC_OID, NUMERIC_OID, FLOAT8_OID, FLOAT8_OID], None),
    ('select avg(qty), avg(qty::int8), avg(bal) from acct where qty = 3',
     ['3.0000000000000000', '3.0000000000000000', '110.0100000000000000'], [NUMERIC_OID] * 3,
     None),
]


def Q(sql):
    return pgwire.query_message(sql)


# Binary results (extended protocol, result format 1): numeric_send's bytes must match.
BINARY = [
    'select 0.1 + 0.2, 1.50::numeric, -12345.6789, 0.0001, 10000::numeric, 0::numeric',
    "select 'NaN'::numeric, '-Infinity'::numeric, 123456789012345678901234567890.5",
    'select id, bal, rate from acct order by id',
    'select sum(bal), avg(qty) from acct',
    'select a, b, c, d from sr order by a',
]


def copy_binary(rows):
    """COPY BINARY input: the PGCOPY header, one tuple per row of already-encoded fields (None
    for NULL), the trailer."""
    out = b'PGCOPY\n\xff\r\n\x00' + struct.pack('!ii', 0, 0)
    for row in rows:
        out += struct.pack('!h', len(row))
        for field in row:
            out += struct.pack('!i', -1) if field is None else struct.pack('!i', len(field)) + field
    return out + struct.pack('!h', -1)


def numeric_send(negative, weight, dscale, digits):
    return struct.pack('!hhHH', len(digits), weight, 0x4000 if negative else 0, dscale) + \
        b''.join(struct.pack('!h', d) for d in digits)


CD = pgwire.message(b'c')
# COPY in both formats: (label, bytes to send). CopyData's contents are compared too.
COPY = [
    ('create', Q('create table cn (k numeric(6,3) primary key, v numeric)')),
    ('copy from text', Q('copy cn from stdin') +
     pgwire.message(b'd', b'1.5\t2.50\n-0.0004\t\\N\n12.3456\tNaN\n') + CD),
    ('copy from binary', Q('copy cn from stdin (format binary)') +
     pgwire.message(b'd', copy_binary([
         [numeric_send(False, 0, 1, [7, 5000]), numeric_send(True, 1, 2, [1, 2345, 6700])],
         [numeric_send(True, -1, 4, [5]), None]])) + CD),
    ('copy from text, overflow', Q('copy cn from stdin') +
     pgwire.message(b'd', b'1234.5\t1\n') + CD),
    ('copy to text', Q('copy cn to stdout')),
    ('copy to binary', Q('copy cn to stdout (format binary)')),
    ('copy query to text', Q('copy (select k * 2, v / 3 from cn order by k) to stdout')),
]


def copy_exchange(conn, data):
    """Like extended.exchange, keeping CopyData's bytes."""
    conn.send(data)
    out = []
    while True:
        m = conn.read_message()
        if m is None:
            raise pgwire.WireError('the server closed the connection')
        kind, payload = m
        if kind in (b'S', b'K'):
            continue
        out.append((kind.decode(), payload) if kind == b'd' else
                   extended.normalize(kind, payload, ERROR_FIELDS))
        if kind == b'Z':
            return out


def run(server):
    """The transcript of STATEMENTS and BINARY on server, restarting it at RESTART."""
    conn = pgwire.Connection(server.port)
    conn.startup()
    transcript = []
    for sql in STATEMENTS:
        if sql == RESTART:
            conn.close()
            server.stop()
            server.start()
            conn = pgwire.Connection(server.port)
            conn.startup()
            continue
        transcript.append((sql, extended.exchange(conn, Q(sql), 1, ERROR_FIELDS)))
    for label, data in COPY:
        transcript.append((label, copy_exchange(conn, data)))
    for sql in BINARY:
        data = P(sql) + B(rformats=[1]) + D(b'P') + E() + S
        transcript.append(('binary: ' + sql, extended.exchange(conn, data, 1, ERROR_FIELDS)))
    conn.close()
    return transcript


def check_expectations(transcript):
    """The EXPECT entries against a transcript; returns the number that fail."""
    by_sql = dict(transcript)
    failures = 0
    for sql, row, oids, sqlstate in EXPECT:
        messages = by_sql[sql]
        errors = [m for m in messages if m[0] == 'E']
        got_state = errors[0][2] if errors else None
        rows = [list(m[1]) for m in messages if m[0] == 'D']
        desc = [m[1] for m in messages if m[0] == 'T']
        got_oids = [c[1] for c in desc[0]] if desc else None
        ok = got_state == sqlstate
        if row is not None:
            ok = ok and rows[:1] == [row]
        if oids is not None:
            ok = ok and got_oids == oids
        if not ok:
            failures += 1
            print(f'numeric_diff: EXPECTATION FAILED: {sql}\n  want row {row} oids {oids} '
                  f'sqlstate {sqlstate}\n  got  rows {rows[:1]} oids {got_oids} '
                  f'sqlstate {got_state}')
    return failures


def run_server(server):
    try:
        server.start()
        transcript = run(server)
        if not server.alive():
            print(f'numeric_diff: FAILED: {server.name} died\n{server.log()}')
            return None
        return transcript
    except (servers.ServerError, pgwire.WireError, OSError) as e:
        print(f'numeric_diff: FAILED: {server.name}: {e}\n{server.log()}')
        return None
    finally:
        server.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], default='sqlrited')
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = ap.parse_args()
    reason = servers.Postgres.available(args.pg_bin)
    if reason:
        print(f'numeric_diff: FAIL: {reason}')
        return MISSING
    if args.server == 'postgres':
        theirs = run_server(servers.Postgres(args.pg_bin))
        if theirs is None:
            return 1
        failures = check_expectations(theirs)
        print(f'numeric_diff (postgres): {len(EXPECT) - failures} of {len(EXPECT)} '
              'expectations hold')
        return 1 if failures else 0
    if not args.sqlrited or not os.path.exists(args.sqlrited):
        print('numeric_diff: FAIL: no sqlrited binary')
        return MISSING
    ours = run_server(servers.Sqlrited(args.sqlrited))
    theirs = run_server(servers.Postgres(args.pg_bin))
    if ours is None or theirs is None:
        return 1
    failures = 0
    for (sql, got), (_, want) in zip(ours, theirs):
        if got != want:
            failures += 1
            print(f'numeric_diff: MISMATCH: {sql}')
            for i in range(max(len(got), len(want))):
                g = got[i] if i < len(got) else None
                w = want[i] if i < len(want) else None
                print(f'  {"  " if g == w else "!="} sqlrited {g}\n     postgres {w}')
    failures += check_expectations(ours)
    if failures:
        print(f'numeric_diff: {failures} differences in {len(ours)} exchanges')
        return 1
    print(f'numeric_diff: {len(ours)} exchanges match PostgreSQL 15')
    return 0


if __name__ == '__main__':
    sys.exit(main())
