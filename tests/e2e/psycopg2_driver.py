#!/usr/bin/python3
"""psycopg2 (Debian's python3-psycopg2, for /usr/bin/python3) against the server in PGHOST/PGPORT,
with the driver's defaults. Run by drivers.py, which compares this transcript from sqlrited with
PostgreSQL 15's.

    psycopg2_driver.py [core|cursors|copy]

  core: parameters of many types (interpolated client-side by psycopg2, so the server sees
    literals) and the types the driver maps results to, the rich types adapted both ways (bytes,
    date, time, datetime, timedelta, UUID, Decimal) through a table, executemany, transactions (commit,
    rollback, autocommit, the status after an error), errors with pgcode/pgerror/diag fields and
    the connection carrying on, ParameterStatus values the driver reads;
  cursors: server-side named cursors (conn.cursor('name') runs DECLARE / FETCH FORWARD / CLOSE);
  copy: copy_expert in and out (text and CSV), copy_from, a bad row.

Exit 0 when every check passed; 1 on a failed check; 3 when the server answered 0A000 to the
feature a check needs (drivers.py --pending accepts that while the feature is being built).
"""

import datetime
import decimal
import io
import os
import sys
import uuid

try:
    import psycopg2
    import psycopg2.extensions
    import psycopg2.extras
except ImportError as e:
    print(f'FAIL: psycopg2 is missing ({e}); scripts/setup installs python3-psycopg2')
    sys.exit(2)

PENDING = 3


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def out(*parts):
    print(' '.join(str(p) for p in parts), flush=True)


def connect(**kwargs):
    return psycopg2.connect(host=os.environ['PGHOST'], port=int(os.environ['PGPORT']),
                            user=os.environ['PGUSER'], dbname=os.environ['PGDATABASE'], **kwargs)


def columns(cur):
    return [(d.name, d.type_code) for d in cur.description]


def check_parameters(conn):
    cur = conn.cursor()
    values = (42, -7, 2**40, 2.5, -0.125, 12345.75, decimal.Decimal('1.25'), decimal.Decimal('-99.5'),
              "it's a \"quoted\" string", 'ünïcödé ✓ 日本', '', 'back\\slash', None, True, False)
    placeholders = ', '.join(['%s'] * len(values))
    cur.execute(f'select {placeholders}', values)
    row = cur.fetchone()
    out('parameters:', repr(row))
    out('parameter types:', [t for _, t in columns(cur)])
    expect(row[0] == 42 and row[2] == 2**40 and row[8] == values[8] and row[9] == values[9],
           f'parameters came back as {row!r}')
    expect(row[12] is None and row[13] is True and row[14] is False, f'None/bool: {row!r}')
    # Named placeholders and a literal percent sign.
    cur.execute('select %(a)s + %(b)s as sum, %(s)s || \'%%\' as pct', {'a': 2, 'b': 3, 's': 'x'})
    row = cur.fetchone()
    out('named parameters:', repr(row), columns(cur))
    expect(row == (5, 'x%'), f'named parameters: {row!r}')
    # Typed results: the OIDs psycopg2 maps to Python types.
    cur.execute("select 1::int4, 2::int8, 1.5::float8, 3.25::numeric, 'a'::text, "
                "'b'::varchar(5), true, null::int4")
    row = cur.fetchone()
    out('typed:', repr(row), columns(cur))
    expect(isinstance(row[1], int) and isinstance(row[2], float) and
           isinstance(row[3], decimal.Decimal), f'typed results: {row!r}')


def check_type_adaptation(conn):
    """Python values adapted into the rich types and the Python types they come back as: bytes as
    bytea, datetime.date / time / datetime (naive and aware) / timedelta, uuid.UUID, Decimal, through
    a table and back."""
    psycopg2.extras.register_uuid()
    cur = conn.cursor()
    cur.execute('create table adapt (id int primary key, i2 int2, by bytea, d date, tm time, '
                'ts timestamp, tstz timestamptz, iv interval, u uuid, n numeric(10,2), f4 real, '
                'ch char(3))')
    utc = datetime.timezone.utc
    row = (1, -5, b'\x00\xffab', datetime.date(2024, 2, 29), datetime.time(23, 59, 58, 500000),
           datetime.datetime(2000, 1, 2, 3, 4, 5, 6),
           datetime.datetime(2024, 6, 30, 12, 34, 56, 789000, tzinfo=utc),
           datetime.timedelta(days=-3, seconds=14706), uuid.UUID('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
           decimal.Decimal('-12.5'), 0.25, 'x')
    cur.execute('insert into adapt values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)', row)
    cur.execute('insert into adapt (id) values (%s)', (2,))
    cur.execute("set timezone = 'UTC'")
    cur.execute('select * from adapt order by id')
    rows = cur.fetchall()
    for r in rows:
        out('adapted:', repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in r)))
    out('adapted types:', [t for _, t in columns(cur)])
    got = rows[0]
    expect(bytes(got[2]) == row[2] and got[3] == row[3] and got[6] == row[6] and got[8] == row[8],
           f'adapted values came back as {got!r}')
    conn.rollback()


def check_arrays(conn):
    """Python lists as int[] and text[] parameters (psycopg2 sends ARRAY[...] literals), int[] and
    text[] results parsed back into lists, and the key-list idiom `= ANY(%s)`."""
    cur = conn.cursor()
    cur.execute('create table arr (id int primary key, ia int[], ta text[])')
    cur.execute('insert into arr values (%s, %s, %s)',
                (1, [1, None, -3], ['a b', 'q"t', None, '', 'NULL', 'x\\y']))
    cur.execute('insert into arr values (%s, %s, %s)', (2, [], []))
    cur.execute('select id, ia, ta from arr order by id')
    rows = cur.fetchall()
    for r in rows:
        out('array row:', repr(r))
    out('array types:', [t for _, t in columns(cur)])
    expect(rows[0][1] == [1, None, -3] and rows[0][2][0] == 'a b' and rows[1][1] == [],
           f'arrays came back as {rows!r}')
    cur.execute('select id from arr where id = any(%s) order by id', ([2, 3],))
    out('= any(list):', cur.fetchall())
    cur.execute('select %s::int[] || 4, array_length(%s::text[], 1)', ([1, 2], ['x', 'y']))
    out('array operators:', cur.fetchall())
    cur.execute("select array_agg(id order by id), string_to_array('a,b', ',') from arr")
    out('array_agg:', cur.fetchall())
    conn.rollback()


def check_enums(conn):
    """An enum column (CREATE TYPE ... AS ENUM) read back as Python strings, ordered by the enum's
    declaration order, with labels passed as parameters and an enum array."""
    cur = conn.cursor()
    cur.execute("create type mood as enum ('sad', 'ok', 'happy')")
    cur.execute('create table feel (id int primary key, m mood, ms mood[])')
    cur.execute('insert into feel values (%s, %s, %s), (%s, %s, %s)',
                (1, 'happy', '{sad,ok}', 2, 'sad', None))
    cur.execute('select id, m, ms from feel order by m')
    out('enum types are user-defined:', [t >= 16384 for _, t in columns(cur)][1:])
    rows = cur.fetchall()
    for r in rows:
        out('enum row:', repr(r))
    expect(rows[0][1] == 'sad' and rows[1][1] == 'happy', f'enums came back as {rows!r}')
    cur.execute('select m from feel where m > %s order by id', ('ok',))
    out('enum compared:', cur.fetchall())
    try:
        cur.execute('insert into feel values (3, %s)', ('angry',))
    except psycopg2.Error as e:
        out('bad label:', e.pgcode, e.diag.message_primary)
    conn.rollback()


def check_json(conn):
    """json and jsonb: psycopg2 parses both into dicts and lists (its typecasters for OIDs 114 and
    3802), Json(...) adapts a dict as a parameter, and jsonb operators take string parameters."""
    import psycopg2.extras
    cur = conn.cursor()
    cur.execute('create table docs (id int primary key, j json, b jsonb)')
    doc = {'name': 'x', 'tags': ['a', 'b'], 'n': 1.5, 'nested': {'k': None}}
    cur.execute('insert into docs values (%s, %s, %s)',
                (1, psycopg2.extras.Json(doc), psycopg2.extras.Json(doc)))
    cur.execute('insert into docs values (2, %s, %s)', ('[1, 2]', '{"b": 2, "a": 1}'))
    cur.execute('select id, j, b from docs order by id')
    rows = cur.fetchall()
    for r in rows:
        out('json row:', repr(r))
    out('json types:', [t for _, t in columns(cur)])
    expect(rows[0][1] == doc and rows[0][2] == doc and rows[1][2] == {'a': 1, 'b': 2},
           f'json came back as {rows!r}')
    cur.execute("select b ->> 'name', b -> 'tags' -> 0, b @> %s, b ? %s from docs where id = 1",
                ('{"n": 1.5}', 'tags'))
    out('jsonb operators:', cur.fetchall())
    cur.execute("select jsonb_agg(id order by id), jsonb_build_object('k', %s) from docs", ('v',))
    out('jsonb builders:', cur.fetchall())
    conn.rollback()


def check_executemany(conn):
    cur = conn.cursor()
    cur.execute('create table items (id int primary key, name text, price numeric, qty int8)')
    rows = [(i, f"item '{i}'", decimal.Decimal(i) / 4, i * 1000) for i in range(1, 51)]
    cur.executemany('insert into items values (%s, %s, %s, %s)', rows)
    out('executemany rowcount:', cur.rowcount)
    psycopg2.extras.execute_values(cur, 'insert into items values %s',
                                   [(100 + i, 'v', 1, i) for i in range(20)])
    conn.commit()
    cur.execute('select count(*), sum(qty), min(name), max(price) from items')
    row = cur.fetchone()
    out('after executemany:', repr(row))
    expect(row[0] == 70, f'70 rows expected, got {row!r}')
    cur.execute('select id, name from items where id in %s order by id', ((3, 5, 7),))
    out('tuple adaptation:', cur.fetchall())


def check_transactions(conn):
    cur = conn.cursor()
    conn.rollback()
    cur.execute("update items set name = 'changed' where id = 1")
    out('in transaction:', conn.get_transaction_status() ==
        psycopg2.extensions.TRANSACTION_STATUS_INTRANS, cur.rowcount)
    conn.rollback()
    cur.execute('select name from items where id = 1')
    name = cur.fetchone()[0]
    out('after rollback:', repr(name))
    expect(name == "item '1'", f'rollback kept {name!r}')
    cur.execute("update items set name = 'committed' where id = 2")
    conn.commit()
    other = connect()
    ocur = other.cursor()
    ocur.execute('select name from items where id = 2')
    seen = ocur.fetchone()[0]
    out('another connection sees:', repr(seen))
    expect(seen == 'committed', f'commit not seen: {seen!r}')
    other.close()
    # with-block: commit on success, rollback on an exception.
    with conn:
        with conn.cursor() as c2:
            c2.execute('insert into items values (500, %s, 0, 0)', ('with',))
    try:
        with conn:
            with conn.cursor() as c2:
                c2.execute('insert into items values (501, %s, 0, 0)', ('gone',))
                raise RuntimeError('abandon')
    except RuntimeError:
        pass
    cur.execute('select id from items where id >= 500 order by id')
    ids = [r[0] for r in cur.fetchall()]
    out('with blocks:', ids)
    expect(ids == [500], f'with blocks left {ids}')
    conn.rollback()
    # autocommit: no BEGIN, each statement commits on its own.
    conn.autocommit = True
    cur.execute("update items set name = 'auto' where id = 3")
    out('autocommit status:', conn.get_transaction_status())
    conn.autocommit = False
    # Isolation level and read-only settings are statements psycopg2 issues itself.
    conn.set_session(readonly=False)
    cur.execute('select name from items where id = 3')
    out('autocommitted:', cur.fetchone())
    conn.rollback()


def check_errors(conn):
    cur = conn.cursor()
    cases = [
        ('select 1/0', None),
        ("insert into items values (1, 'dup', 0, 0)", None),
        ('select nosuch from items', None),
        ('select * from nosuch', None),
        ('selec 1', None),
        ("select 'abc'::int", None),
        ('insert into items values (%s, %s, 0, 0)', (None, 'null key')),
    ]
    for sql, params in cases:
        try:
            cur.execute(sql, params)
            raise Failure(f'{sql!r} did not fail')
        except psycopg2.Error as e:
            d = e.diag
            out('error:', sql, '|', e.pgcode, type(e).__name__, '|', d.severity, '|',
                d.message_primary, '|', d.message_detail, '|', d.statement_position)
            expect(e.pgcode and e.pgerror and e.pgerror.startswith('ERROR:'),
                   f'{sql!r}: pgcode {e.pgcode!r} pgerror {e.pgerror!r}')
        # In a failed transaction every statement is 25P02 until rollback.
        try:
            cur.execute('select 1')
            raise Failure('a statement after an error in a block did not fail')
        except psycopg2.errors.InFailedSqlTransaction as e:
            out('after error:', e.pgcode)
        conn.rollback()
        cur.execute('select 1')
        expect(cur.fetchone() == (1,), 'the connection did not carry on')
    conn.rollback()
    out('connection after errors:', conn.closed, conn.status)


def check_parameter_status(conn):
    # The version is the server's own (sqlrited reports 15.0): commentary, not compared.
    out('# parameter status: server_version', conn.get_parameter_status('server_version'))
    for name in ('server_encoding', 'client_encoding', 'DateStyle',
                 'integer_datetimes', 'standard_conforming_strings', 'IntervalStyle',
                 'is_superuser', 'session_authorization'):
        out('parameter status:', name, conn.get_parameter_status(name))
    # The test's PostgreSQL runs with timezone=UTC, sqlrited reports the machine's zone.
    out('# parameter status: TimeZone', conn.get_parameter_status('TimeZone'))
    out('server_version number:', conn.server_version // 10000)
    out('protocol:', conn.protocol_version)
    expect(conn.get_parameter_status('integer_datetimes') == 'on', 'integer_datetimes')
    expect(conn.get_parameter_status('standard_conforming_strings') == 'on',
           'standard_conforming_strings')
    cur = conn.cursor()
    cur.execute('select version()')
    version = cur.fetchone()[0]
    out('# version():', version)
    out('version() column:', columns(cur))
    expect(version.startswith('PostgreSQL 15.'), f'version() {version!r}')
    conn.set_client_encoding('UTF8')
    cur.execute('show client_encoding')
    out('show client_encoding:', cur.fetchone())
    cur.execute('show standard_conforming_strings')
    out('show standard_conforming_strings:', cur.fetchone())
    conn.rollback()


def check_cursors(conn):
    cur = conn.cursor()
    cur.execute('create table seq (n int primary key, sq int8)')
    psycopg2.extras.execute_values(cur, 'insert into seq values %s',
                                   [(i, i * i) for i in range(1, 1001)])
    conn.commit()
    named = conn.cursor('big')
    named.itersize = 100
    named.execute('select n, sq from seq order by n')
    first = named.fetchmany(3)
    out('named fetchmany:', first)
    expect(first == [(1, 1), (2, 4), (3, 9)], f'fetchmany {first}')
    named.scroll(10)
    out('after scroll:', named.fetchone())
    rest = list(named)  # iteration FETCHes itersize rows at a time
    out('iterated:', len(rest), rest[-1])
    named.close()
    conn.commit()
    # WITH HOLD survives the commit.
    held = conn.cursor('held', withhold=True)
    held.execute('select n from seq where n <= 5 order by n')
    conn.commit()
    out('with hold after commit:', held.fetchall())
    held.close()
    conn.rollback()


def check_copy(conn):
    cur = conn.cursor()
    cur.execute('create table cp (id int primary key, name text, score float8)')
    conn.commit()
    cur.copy_expert('copy cp from stdin', io.StringIO('1\tone\t1.5\n2\t\\N\t2\n3\tthr\\tee\t-3\n'))
    out('copy in text rowcount:', cur.rowcount)
    cur.copy_expert('copy cp (id, name) from stdin with (format csv, header)',
                    io.StringIO('id,name\n4,"a, ""quoted"" name"\n5,\n'))
    cur.copy_from(io.StringIO('6\tsix\t6\n'), 'cp')
    conn.commit()
    buf = io.StringIO()
    cur.copy_expert('copy cp to stdout', buf)
    out('copy out text:', repr(buf.getvalue()))
    buf = io.StringIO()
    cur.copy_expert('copy (select id, name from cp where id > 3 order by id) to stdout '
                    'with (format csv, header)', buf)
    out('copy out csv:', repr(buf.getvalue()))
    try:
        cur.copy_expert('copy cp from stdin', io.StringIO('7\tseven\t7\n8\teight\tnotanumber\n'))
        raise Failure('a bad COPY row did not fail')
    except psycopg2.Error as e:
        out('copy error:', e.pgcode, e.diag.message_primary, e.diag.context)
    conn.rollback()
    cur.execute('select count(*) from cp')
    out('rows after failed copy:', cur.fetchone())
    conn.rollback()


def feature_pending(e):
    return (os.environ.get('SQLRITE_TEST_SERVER') == 'sqlrited' and
            getattr(e, 'pgcode', None) == '0A000')


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else 'core'
    conn = connect()
    try:
        if mode == 'core':
            check_parameter_status(conn)
            check_parameters(conn)
            check_type_adaptation(conn)
            check_arrays(conn)
            check_enums(conn)
            check_json(conn)
            check_executemany(conn)
            check_transactions(conn)
            check_errors(conn)
        elif mode == 'cursors':
            check_cursors(conn)
        elif mode == 'copy':
            check_copy(conn)
        else:
            print(f'FAIL: unknown mode {mode}')
            return 2
    except Failure as e:
        print(f'FAILED: {e}')
        return 1
    except psycopg2.Error as e:
        if feature_pending(e):
            print(f'# PENDING: {mode}: {e.pgcode} {e.diag.message_primary}')
            return PENDING
        print(f'FAILED: {type(e).__name__} {e.pgcode}: {e}')
        return 1
    finally:
        conn.close()
    print(f'# ok: psycopg2 {mode}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
