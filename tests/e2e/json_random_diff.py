#!/usr/bin/env python3
"""Differential test of json and jsonb over random values: a seeded generator makes JSON texts
(valid ones, and near misses built from bad tokens: 01, 1., "\\q", lone surrogates, unclosed
strings), each goes through input (::json, ::jsonb) and the operators and functions (-> ->> #>
#>> @> ? ?| ?& || - #-, jsonb_set / jsonb_insert, strip_nulls, pretty, typeof, array_length,
each / array_elements / object_keys, the builders, casts between json and jsonb, comparisons) on
sqlrited and on a PostgreSQL 15 this script starts; every answer must match: the values as text
(psycopg2's json parsing is turned off), or the SQLSTATE, message and DETAIL of an error.

    json_random_diff.py --sqlrited build/sqlrited [--pg-bin ...] [--values N] [--seed S]
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import servers  # noqa: E402

MISSING = 2

BAD = ['01', '1.', '-', '"\\q"', '"x', 'nul', '"\\ud800"', '"\\udc00"', '"\\u0000"', '1e400',
       '{', '}', '[', ']', ',', ':', 'x', '\t', '"\\ud83d\\ude00"', '"é"']
SCALARS = ['1', '-0', '0.10', '1e3', '2', '1.0', '-1.5E-2', '"a"', '"b"', '"aa"', '""', 'true',
           'false', 'null', '"\\u00e9"', '"x\\ny"', '"\\"q\\""']
KEYS = ['a', 'b', 'c', 'aa', '']

INPUT = ['select %(a)s::jsonb', 'select %(a)s::json']
OPERATIONS = [
    'select %(a)s::jsonb < %(b)s::jsonb, %(a)s::jsonb = %(b)s::jsonb, %(a)s::jsonb @> %(b)s::jsonb,'
    ' %(a)s::jsonb <@ %(b)s::jsonb, %(a)s::jsonb || %(b)s::jsonb',
    "select %(a)s::jsonb -> 'a', %(a)s::jsonb ->> 'b', %(a)s::jsonb -> 1, %(a)s::jsonb ->> -1,"
    " %(a)s::jsonb #> '{a,0}', %(a)s::jsonb #>> '{1,a}'",
    "select %(a)s::json -> 'a', %(a)s::json ->> 'b', %(a)s::json -> 1, %(a)s::json ->> -1,"
    " %(a)s::json #> '{a,0}', %(a)s::json #>> '{1,a}'",
    "select jsonb_set(%(a)s::jsonb, '{a}', %(b)s::jsonb), jsonb_set(%(a)s::jsonb, '{-1}',"
    " %(b)s::jsonb), jsonb_insert(%(a)s::jsonb, '{0}', %(b)s::jsonb)",
    "select %(a)s::jsonb - 'a', %(a)s::jsonb - 0, %(a)s::jsonb #- '{a,0}',"
    " jsonb_strip_nulls(%(a)s::jsonb), jsonb_pretty(%(a)s::jsonb), json_strip_nulls(%(a)s::json)",
    "select %(a)s::jsonb ? 'a', %(a)s::jsonb ?| '{a,b}', %(a)s::jsonb ?& '{a,b}',"
    " jsonb_typeof(%(a)s::jsonb), json_typeof(%(a)s::json)",
    'select jsonb_array_length(%(a)s::jsonb), json_array_length(%(a)s::json)',
    'select * from jsonb_each(%(a)s::jsonb)',
    'select * from json_each_text(%(a)s::json)',
    'select * from jsonb_array_elements(%(a)s::jsonb)',
    'select * from json_array_elements_text(%(a)s::json)',
    'select jsonb_object_keys(%(a)s::jsonb)',
    "select to_jsonb(%(a)s::jsonb), to_json(%(a)s::json), jsonb_build_array(%(a)s::jsonb,"
    " %(b)s::json), json_build_object('k', %(a)s::jsonb), %(a)s::jsonb::json, %(a)s::json::jsonb",
]


def generate(rng, depth=0):
    r = rng.random()
    if depth > 2 or r < 0.35:
        return rng.choice(SCALARS)
    if r < 0.65:
        return '[' + ', '.join(generate(rng, depth + 1) for _ in range(rng.randint(0, 3))) + ']'
    return '{' + ','.join('"%s": %s' % (rng.choice(KEYS), generate(rng, depth + 1))
                          for _ in range(rng.randint(0, 3))) + '}'


def near_miss(rng):
    parts = [generate(rng) for _ in range(rng.randint(1, 2))] + [rng.choice(BAD)]
    rng.shuffle(parts)
    return rng.choice(['', ' ']).join(parts)


def connect(port):
    import psycopg2
    import psycopg2.extras
    conn = psycopg2.connect(host='127.0.0.1', port=port, user='postgres', dbname='postgres')
    conn.autocommit = True
    # The values as the server printed them: no parsing into Python objects.
    psycopg2.extras.register_default_json(conn, loads=lambda s: s)
    psycopg2.extras.register_default_jsonb(conn, loads=lambda s: s)
    return conn


def answer(conn, sql, args):
    cur = conn.cursor()
    try:
        cur.execute(sql, args)
        return ('rows', [desc[1] for desc in cur.description], cur.fetchall())
    except Exception as e:  # psycopg2.Error: compare what the server said
        diag = getattr(e, 'diag', None)
        return ('error', getattr(e, 'pgcode', None),
                diag.message_primary if diag else str(e), diag.message_detail if diag else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    ap.add_argument('--values', type=int, default=400)
    ap.add_argument('--seed', type=int, default=15)
    args = ap.parse_args()
    reason = servers.Postgres.available(args.pg_bin)
    if reason:
        print(f'json_random_diff: FAIL: {reason}')
        return MISSING
    if not args.sqlrited or not os.path.exists(args.sqlrited):
        print('json_random_diff: FAIL: no sqlrited binary')
        return MISSING
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        print('json_random_diff: FAIL: psycopg2 is missing (Debian python3-psycopg2)')
        return MISSING
    ours, theirs = servers.Sqlrited(args.sqlrited), servers.Postgres(args.pg_bin)
    try:
        ours.start()
        theirs.start()
        mine, pg = connect(ours.port), connect(theirs.port)
        rng = random.Random(args.seed)
        exchanges = differences = 0
        for i in range(args.values):
            values = {'a': near_miss(rng) if i % 3 == 0 else generate(rng), 'b': generate(rng)}
            for sql in INPUT + (OPERATIONS if i % 3 else []):
                exchanges += 1
                got, want = answer(mine, sql, values), answer(pg, sql, values)
                if got != want:
                    differences += 1
                    if differences <= 10:
                        print(f'json_random_diff: MISMATCH {sql} with {values!r}\n'
                              f'  sqlrited {got!r}\n  postgres {want!r}')
        if not ours.alive():
            print(f'json_random_diff: FAILED: sqlrited died\n{ours.log()}')
            return 1
    except (servers.ServerError, OSError) as e:
        print(f'json_random_diff: FAILED: {e}')
        return 1
    finally:
        ours.cleanup()
        theirs.cleanup()
    if differences:
        print(f'json_random_diff: {differences} differences in {exchanges} exchanges')
        return 1
    print(f'json_random_diff: {exchanges} exchanges match PostgreSQL 15')
    return 0


if __name__ == '__main__':
    sys.exit(main())
