#!/usr/bin/python3
"""Records numeric.golden from a real PostgreSQL 15: every case below is run as one SQL statement
and its text result (or SQLSTATE, message and detail) written as one tab-separated line:

    op <TAB> arg1 <TAB> arg2 <TAB> result            result: the value's text output
    op <TAB> arg1 <TAB> arg2 <TAB> ERROR <TAB> sqlstate <TAB> message <TAB> detail

Fields escape tab, newline and backslash (\\t \\n \\\\) and write a run of n >= 40 copies of
one character c as <c*n>.

engine/types/numeric_test.cc replays every line through engine/types/numeric.h. Re-record with
    /usr/bin/python3 engine/types/testdata/record_numeric.py            # starts its own PostgreSQL
    /usr/bin/python3 engine/types/testdata/record_numeric.py --port N   # or uses one on 127.0.0.1:N
    /usr/bin/python3 engine/types/testdata/record_numeric.py --sql      # prints the SQL only
"""
import argparse
import random
import re
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

BIG = '1' + '2345678901' * 11  # 111 digits
BIG_FRAC = '0.' + '0123456789' * 12  # 120 decimals

# Values for the binary operators: mixed scales and signs, the specials, big and tiny ones.
VALUES = ['0', '0.00', '1', '-1', '1.0', '2', '3', '-7', '0.1', '0.2', '0.3', '1.5', '-2.50',
          '10', '12345.6789', '-0.000123', '99999999.99', '100000000', '3.14159265358979',
          '1e20', '1.23e-10', BIG, '-' + BIG_FRAC, 'NaN', 'Infinity', '-Infinity']
SMALL = ['0', '1', '-1', '2', '0.5', '-2.5', '1.5', '12.345', '-7', '10', '0.001', 'NaN',
         'Infinity', '-Infinity']

INPUTS = ['0', '-0', '+0', '-0.00', '000123.4500', '.5', '5.', '-.5', '+.5', '  42  ', '\t7\n',
          '1e3', '1E3', '1.5e-3', '1.5E+3', '-1.25e2', '1e-5', '1e 5', '1.e2', '.1e1', '0e10',
          '1e1000', '1e-1000', '1e1001', '1e-1001', '123456789012345678901234567890.123456789',
          BIG, BIG_FRAC, '9' * 131072, '1' + '0' * 131072, '0.' + '0' * 16382 + '1',
          '0.' + '0' * 16383 + '1', 'NaN', 'nan', ' NaN ', 'Infinity', 'infinity', '+Infinity',
          '-Infinity', 'inf', '-inf', '+inf', 'INF', ' -inf ', 'infinit', 'Infinityx', 'NaNa',
          '', ' ', 'abc', '1.2.3', '1e', '1e+', 'e5', '.', '-', '+', '- 1', '1 2', '1,5', '0x10',
          '1_000', '++1', '1e5.5', '12abc', '1.5 e3', '  -12.500  ', '0.0000', '10000',
          '9999.9999', '100000000.00000001', '1e100000', '1e-100000', '1e-16383', '1e-16384',
          '0e-16384', '0e-16383', '1e131071', '1e131072', '1e1073741822', '1e1073741823',
          '1e-1073741823', '1e99999999999999999999', '5e-16384', '1.5e-16383', '-99999999999999999999.000000000000000001']

TYPMODS = [('1.5', '2,1'), ('1.55', '2,1'), ('1.45', '2,1'), ('-1.45', '2,1'), ('-1.55', '2,1'),
           ('9.95', '2,1'), ('-9.95', '2,1'), ('9.94', '2,1'), ('10', '2,1'), ('123.456', '5,2'),
           ('999.995', '5,2'), ('999.994', '5,2'), ('0.5', '1,0'), ('1.5', '1,0'), ('9.5', '1,0'),
           ('-0.5', '1,0'), ('12345', '5'), ('123456', '5'), ('123.5', '3'), ('0.001', '2,5'),
           ('0.0012', '2,5'), ('0.00099', '2,5'), ('0.000994', '2,5'), ('0.000995', '2,5'),
           ('12345', '3,-2'), ('123456', '3,-2'), ('-12350', '3,-2'), ('149', '1,-2'),
           ('150', '1,-2'), ('1e20', '20,0'), ('1e20', '21,0'), ('NaN', '3,1'),
           ('Infinity', '3,1'), ('-Infinity', '10'), ('0', '1,0'), ('0.0004', '3,3'),
           ('0.0005', '3,3'), ('1', '1000,999'), ('1', '1000,1000'), ('0.1', '1000,1000'),
           ('1', '0'), ('1', '1001'), ('1', '1,-1001'), ('1', '1,1001'), ('1', '1000,-1000'),
           ('1', '-1'), ('1', '5,5'), ('0.12345', '5,5'), ('0.123456', '5,5'), (BIG, '200,80'),
           (BIG, '100,0'), ('-' + BIG_FRAC, '3,3'), ('  5.5 ', '2,0'), ('abc', '2,0'),
           ('99.5', '2,0'), ('99.4', '2,0'), ('-99.5', '2,0'), ('0.00', '2,1')]

ROUNDS = ['0', '1.5', '2.5', '-1.5', '-2.5', '0.5', '-0.5', '1.45', '1.449', '-1.455', '12345.6789',
          '-12345.6789', '0.000123456', '99.995', '-99.995', '9999.5', '5', '149.99', '150',
          '1e20', BIG, '-' + BIG_FRAC, 'NaN', 'Infinity', '-Infinity', '0.00', '5e131071',
          '9' * 131072 + '.5']
SCALES = ['0', '1', '2', '3', '-1', '-2', '-5', '10', '-20', '3000', '-3000', '16384', '-131073',
          '-131074', '2147483647', '-2147483648']

UNARY = ['0', '0.00', '1.5', '-1.5', '2', '0.5', '-0.5', '1.0001', '-1.0001', '12345.6789',
         '-12345.6789', '0.000001', '2.25', '16', '1e20', '1e-20', '0.0001', BIG, BIG_FRAC,
         '-' + BIG_FRAC, 'NaN', 'Infinity', '-Infinity', '1e1000', '2', '3', '10', '100', '99.99',
         '123456789.123456789', '0.1', '1e-1000']

POWER_BASES = ['0', '1', '-1', '2', '-2', '1.5', '-1.5', '0.5', '10', '0.1', '1.0001', '12.34',
               '3', '-3', '0.99', 'NaN', 'Infinity', '-Infinity', '0.0', '1.000']
POWER_EXPS = ['0', '1', '2', '3', '-1', '-2', '-3', '10', '-10', '20', '0.0', '2.0', '-3.0',
              '100', '-100', '1000', 'NaN', 'Infinity', '-Infinity', '0.5', '-0.5', '1.5']

FLOATS = ['0', '-0', '0.1', '0.2', '0.30000000000000004', '1.5', '-2.5', '1e20', '1e-20',
          '123456789012345678', '1.7976931348623157e308', '5e-324', '2.2250738585072014e-308',
          '3.141592653589793', '-1.0000000000000002', '1e15', '1e16', '123.456', 'NaN',
          'Infinity', '-Infinity', '0.1e-5', '100', '9007199254740993']

TO_INT8 = ['0', '1.5', '2.5', '-1.5', '-2.5', '0.49999', '-0.5', '9223372036854775807',
           '9223372036854775807.4', '9223372036854775807.5', '-9223372036854775808',
           '-9223372036854775808.5', '-9223372036854775808.4', '9223372036854775808', '1e19',
           '1e-20', BIG, 'NaN', 'Infinity', '-Infinity', '12345.6789', '1e18']

TO_FLOAT8 = ['0', '0.1', '0.3', '1.5', '-2.5', '1e20', '1e-20', '123456789012345678901234567890',
             '1e308', '1e309', '-1e309', '1e-307', '1e-320', '1e-400', BIG, BIG_FRAC, 'NaN',
             'Infinity', '-Infinity', '3.14159265358979323846264338327950288', '12345.6789']

SUMS = ['1,2', '1', '-5', '1,2,3,4', '9223372036854775807,9223372036854775807',
        '-9223372036854775808,-9223372036854775808,-9223372036854775808',
        '9007199254740993,1', '0,0,0', '1,-1', '7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,1',
        '9223372036854775807,1,-9223372036854775808', '123456789,987654321,555555555']
AVGS_INT4 = ['1,2', '1', '-5', '1,2,3,4', '1,2,3', '2147483647,2147483647', '-1,-2',
             '10,20,30,40,50,60,70', '1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,2', '0', '3,4,4',
             '-2147483648,-2147483648,1', '100', '99999,1']
AVGS_INT8 = ['1,2', '9223372036854775807,9223372036854775807,1', '1,2,3', '-7,3',
             '123456789012345678,1', '0,0']

SEND = ['0', '0.00', '1', '-1', '1.50', '-12.50', '10000', '0.0001', '12345.6789', '1e20',
        '1e-20', BIG, '-' + BIG_FRAC, 'NaN', 'Infinity', '-Infinity', '99999999', '0.10']


# Edges of the scale and weight limits.
EDGES = [('mul', '1e-10000', '1e-10000'), ('mul', '1e-9000', '3.5e-9000'), ('mul', '1e70000', '1e70000'),
         ('mul', '1e-8192', '2'), ('div', '1', '3e-1000'), ('div', '1', '3e1000'),
         ('div', '1e-16000', '7'), ('div', '1e100000', '1e-16000'), ('div', '2', '1e-16383'),
         ('add', '1e131071', '9e131071'), ('sub', '-9e131071', '1e131071'),
         ('add', '1e-16383', '1e131071'), ('mod', '1e100000', '7'), ('mod', '-1e50', '0.3'),
         ('divtrunc', '-7.5', '2'), ('divtrunc', '1e40', '-3'), ('mod', '5', '-Infinity'),
         ('power', '10', '131071'), ('power', '10', '131072'), ('power', '10', '-16383'),
         ('power', '10', '-1000'), ('power', '0.1', '-131071'), ('power', '2', '4000000000'),
         ('power', '0.5', '4000000000'), ('power', '2', '-4000000000'), ('power', '-3', '-4000000001'),
         ('power', '1.5', '2147483647'), ('power', '0.99', '-2147483648'), ('power', '1', '99999999999'), ('power', '-1', '99999999999'),
         ('power', '1.0000001', '10000000'), ('power', '0.9999999', '10000000')]


def random_values(count, seed):
    """Deterministic random decimals: up to 60 integer and 40 fraction digits, runs of 9s and 0s
    (carries, borrows, Knuth's add-back step), both signs."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        def digits(n):
            kind = rng.random()
            if kind < 0.15:
                return '9' * n
            if kind < 0.25:
                return ''.join(rng.choice('09') for _ in range(n))
            return ''.join(rng.choice('0123456789') for _ in range(n))
        whole = digits(rng.choice([0, 1, 2, 4, 5, 8, 9, 13, 20, 33, 60]))
        frac = digits(rng.choice([0, 0, 1, 3, 4, 7, 16, 25, 40]))
        text = (whole.lstrip('0') or '0') + ('.' + frac if frac else '')
        if text.strip('0.') == '':
            text = '1' + text[1:]
        out.append(('-' if rng.random() < 0.4 else '') + text)
    return out


def q(s):
    return "'" + s.replace("'", "''") + "'"


def cases():
    for a in INPUTS:
        yield 'in', a, '', f'select {q(a)}::numeric::text'
    for a, t in TYPMODS:
        yield 'typmod', a, t, f'select {q(a)}::numeric({t})::text'
    ops = [('add', '+'), ('sub', '-'), ('mul', '*'), ('div', '/'), ('mod', '%')]
    for a in VALUES:
        for b in VALUES:
            for name, op in ops:
                yield name, a, b, f'select ({q(a)}::numeric {op} {q(b)}::numeric)::text'
            yield 'divtrunc', a, b, f'select div({q(a)}::numeric, {q(b)}::numeric)::text'
            yield 'cmp', a, b, (f'select case when {q(a)}::numeric < {q(b)}::numeric then -1 '
                                f'when {q(a)}::numeric = {q(b)}::numeric then 0 else 1 end')
    for a in SMALL:
        for b in SMALL:
            for name, op in ops:
                yield name, a, b, f'select ({q(a)}::numeric {op} {q(b)}::numeric)::text'
    for a in UNARY:
        yield 'neg', a, '', f'select (- {q(a)}::numeric)::text'
        yield 'abs', a, '', f'select abs({q(a)}::numeric)::text'
        yield 'ceil', a, '', f'select ceil({q(a)}::numeric)::text'
        yield 'floor', a, '', f'select floor({q(a)}::numeric)::text'
        yield 'sign', a, '', f'select sign({q(a)}::numeric)::text'
        yield 'sqrt', a, '', f'select sqrt({q(a)}::numeric)::text'
        yield 'round0', a, '', f'select round({q(a)}::numeric)::text'
    for a in ROUNDS:
        for s in SCALES:
            yield 'round', a, s, f'select round({q(a)}::numeric, {s})::text'
            yield 'trunc', a, s, f'select trunc({q(a)}::numeric, {s})::text'
    for a in POWER_BASES:
        for b in POWER_EXPS:
            yield 'power', a, b, f'select ({q(a)}::numeric ^ {q(b)}::numeric)::text'
    for a in FLOATS:
        yield 'from_float8', a, '', f'select {q(a)}::float8::numeric::text'
    for a in TO_INT8:
        yield 'to_int8', a, '', f'select {q(a)}::numeric::int8::text'
    for a in TO_FLOAT8:
        yield 'to_float8', a, '', f'select {q(a)}::numeric::float8::text'
    for xs in SUMS:
        yield 'sum_int8', xs, '', f"select sum(x)::text from unnest('{{{xs}}}'::int8[]) x"
    for xs in AVGS_INT4:
        yield 'avg_int4', xs, '', f"select avg(x)::text from unnest('{{{xs}}}'::int4[]) x"
    for xs in AVGS_INT8:
        yield 'avg_int8', xs, '', f"select avg(x)::text from unnest('{{{xs}}}'::int8[]) x"
    rand = random_values(400, 15)
    for a, b in zip(rand[0::2], rand[1::2]):
        for name, op in ops:
            yield name, a, b, f'select ({q(a)}::numeric {op} {q(b)}::numeric)::text'
        yield 'cmp', a, b, (f'select case when {q(a)}::numeric < {q(b)}::numeric then -1 '
                            f'when {q(a)}::numeric = {q(b)}::numeric then 0 else 1 end')
    for a in rand[:120]:
        yield 'sqrt', a.lstrip('-'), '', f"select sqrt({q(a.lstrip('-'))}::numeric)::text"
        scale = str(random.Random(a).randint(-30, 30))
        yield 'round', a, scale, f'select round({q(a)}::numeric, {scale})::text'
        yield 'trunc', a, scale, f'select trunc({q(a)}::numeric, {scale})::text'
        yield 'typmod', a, '30,' + scale, f'select {q(a)}::numeric(30,{scale})::text'
        yield 'power', a, '7', f'select ({q(a)}::numeric ^ 7)::text'
        yield 'power', a, '-3', f'select ({q(a)}::numeric ^ -3)::text'
    for op, a, b in EDGES:
        sql = {'add': '+', 'sub': '-', 'mul': '*', 'div': '/', 'mod': '%', 'power': '^'}.get(op)
        if sql:
            yield op, a, b, f'select ({q(a)}::numeric {sql} {q(b)}::numeric)::text'
        else:
            yield op, a, b, f'select div({q(a)}::numeric, {q(b)}::numeric)::text'
    for a in SEND:
        yield 'send', a, '', f"select encode(numeric_send({q(a)}::numeric), 'hex')"


def escape(s):
    """Backslash escapes for tab, newline and backslash; a run of 40 or more of one character
    written <c*n> (the test expands it), so the 131072-digit limits stay small here."""
    s = s.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n')
    return re.sub(r'(.)\1{39,}', lambda m: f'<{m.group(1)}*{len(m.group(0))}>', s)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int)
    parser.add_argument('--sql', action='store_true')
    parser.add_argument('--out', default=os.path.join(HERE, 'numeric.golden'))
    args = parser.parse_args()
    if args.sql:
        for _, _, _, sql in cases():
            print(sql + ';')
        return
    import psycopg2
    pg = None
    port = args.port
    if port is None:
        sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'tests', 'e2e'))
        import servers
        pg = servers.Postgres()
        pg.start()
        port = pg.port
    try:
        conn = psycopg2.connect(host='127.0.0.1', port=port, user='postgres', dbname='postgres')
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute('show server_version')
        version = cur.fetchone()[0]
        if not version.startswith('15.'):
            sys.exit(f'PostgreSQL 15 expected, got {version}')
        lines = [f'# Recorded from PostgreSQL {version} by record_numeric.py; do not edit.']
        for op, a, b, sql in cases():
            try:
                cur.execute(sql)
                result = cur.fetchone()[0]
                result = escape(str(result))
            except psycopg2.Error as e:
                detail = e.diag.message_detail or ''
                result = '\t'.join(['ERROR', e.pgcode, escape(e.diag.message_primary), escape(detail)])
            lines.append('\t'.join([op, escape(a), escape(b), result]))
        with open(args.out, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        print(f'{len(lines) - 1} cases written to {args.out}')
    finally:
        if pg is not None:
            pg.cleanup()


if __name__ == '__main__':
    main()
