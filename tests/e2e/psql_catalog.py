#!/usr/bin/python3
"""psql 15's list commands against sqlrited and against a PostgreSQL 15 started here, on the same
schema: each command's output from sqlrited must equal PostgreSQL's (the expected output is always
PostgreSQL's own, produced in the same run).

  psql_catalog.py --sqlrited PATH [--pg-bin DIR]

Masked in both outputs, because the two servers differ there by design (docs/decisions.md, "System
relations"): the Size column of \\dt+ (sqlrited's pages are 4 KiB and hold rows differently), and in
\\l the template0 / template1 rows PostgreSQL has and sqlrited has not (with the row count).

Exit status: 0 every command matched; 1 a command differed, or sqlrited, PostgreSQL or psql is
missing (a missing tool is a failure, never a skip).
"""

import argparse
import difflib
import os
import re
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import servers  # noqa: E402

SCHEMA = """
create table items (id serial primary key, name text not null unique,
                    price numeric(10,2) default 0, note varchar(20) default 'n/a',
                    bid integer, created timestamptz default now());
create index items_bid on items (bid);
create index items_price_desc on items (price desc);
create table accounts (aid int primary key, abalance int not null default 0, filler char(10));
create sequence ticket_seq;
insert into items (name, price, bid) values ('a', 1.5, 1), ('b', 2, 2);
"""

# (command, psql output format): unaligned where a masked column would shift the alignment.
COMMANDS = [
    ('\\dt', 'aligned'),
    ('\\d', 'aligned'),
    ('\\di', 'aligned'),
    ('\\ds', 'aligned'),
    ('\\dn', 'aligned'),
    ('\\du', 'aligned'),
    ('\\dt+', 'unaligned'),
    ('\\l', 'unaligned'),
]
# Not yet: \d TABLE. Its queries up to the indexes' run (engine/catalog/system_relation_test.cc
# holds them), but psql 15 then asks for publications with generate_series() in FROM and int2[]
# subscripts, which the engine lacks (docs/decisions.md, "System relations").

SIZE = re.compile(r'\|\d+ (bytes|kB|MB)\|')


def mask(command, text):
    if command == '\\dt+':
        return SIZE.sub('|<size>|', text)
    if command == '\\l':
        lines, out, skip = text.splitlines(keepends=True), [], False
        for line in lines:
            if line.startswith(('template0|', 'template1|')):
                skip = True
                continue
            if skip and line.startswith('postgres=CTc/postgres'):
                skip = False
                continue
            skip = False
            out.append(re.sub(r'^\(\d+ rows?\)$', '(N rows)', line))
        return ''.join(out)
    return text


def run(server, psql, workdir, args):
    return harness.run_psql(psql, ['-X', '-h', '127.0.0.1', '-p', str(server.port), '-U',
                                   'postgres', '-d', 'postgres', *args], workdir)


def transcript(server, psql, workdir):
    setup = run(server, psql, workdir, ['-q', '-v', 'ON_ERROR_STOP=1', '-c', SCHEMA])
    outputs = {}
    for command, fmt in COMMANDS:
        extra = ['-A'] if fmt == 'unaligned' else []
        outputs[command] = mask(command, run(server, psql, workdir, [*extra, '-c', command]))
    return setup, outputs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sqlrited', required=True)
    parser.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = parser.parse_args()
    if not os.access(args.sqlrited, os.X_OK):
        print(f'FAIL: sqlrited binary not found: {args.sqlrited}')
        return 1
    why = servers.Postgres.available(args.pg_bin)
    if why:
        print(f'FAIL: PostgreSQL 15 is not available: {why} (run scripts/setup)')
        return 1
    psql = harness.psql_path(args.pg_bin)
    results = {}
    for server in (servers.Postgres(args.pg_bin), servers.Sqlrited(args.sqlrited)):
        try:
            server.start()
            with tempfile.TemporaryDirectory(prefix='sqlrite-catalog-') as workdir:
                results[server.name] = transcript(server, psql, workdir)
            if not server.alive():
                print(f'FAIL: {server.name} died during the test\n{server.log()}')
                return 1
            server.stop()
        except servers.ServerError as e:
            print(f'FAIL: {server.name}: {e}')
            return 1
        finally:
            server.cleanup()
    expected_setup, expected = results['postgres']
    actual_setup, actual = results['sqlrited']
    ok = True
    if expected_setup != actual_setup:
        print(f'FAIL: the schema did not load alike:\n--- postgres\n{expected_setup}'
              f'--- sqlrited\n{actual_setup}')
        ok = False
    for command, _ in COMMANDS:
        if expected[command] == actual[command]:
            print(f'{command}: ok')
            continue
        ok = False
        print(f'{command}: FAILED: output differs from PostgreSQL 15\'s')
        sys.stdout.writelines(difflib.unified_diff(
            expected[command].splitlines(keepends=True), actual[command].splitlines(keepends=True),
            fromfile='expected (PostgreSQL 15)', tofile='actual (sqlrited)'))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
