#!/usr/bin/python3
"""psql 15's Description columns after COMMENT ON: \\d+ TABLE (column comments), \\dt+, \\dv+,
\\di+, \\ds+, \\dn+, \\l+ (COMMENT ON DATABASE, again after both servers restart), and \\d+
after ALTER TABLE ... RENAME TO / RENAME COLUMN, against sqlrited and
against a PostgreSQL 15 started here, on the same schema and comments: each command's output from
sqlrited must equal PostgreSQL's (the expected output is always PostgreSQL's own, produced in the
same run), as tests/e2e/psql_catalog.py does for the commands without comments.

  psql_comments.py --sqlrited PATH [--pg-bin DIR]

Masked in both outputs, as psql_catalog.py masks \\dt+'s: the Size column of the `+` list
commands (sqlrited's pages are 4 KiB and hold rows differently; docs/decisions.md, "System
relations"), which they print unaligned so that the mask does not shift the alignment, and in
\\l+ the template0 / template1 rows PostgreSQL has and sqlrited has not (with the row count), as
psql_catalog.py masks \\l's.

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
create table items (id serial primary key, name text not null, price numeric(10,2) default 0,
                    stock int check (stock >= 0), code char(4) unique);
create index items_name on items (name);
create table plain (a int, b text);
create view v_items as select id, name from items;
create sequence ticket_seq;
create schema shop;
create table shop.stock (sku int primary key, qty int not null default 0);
comment on table items is 'Things for sale';
comment on column items.id is 'Surrogate key';
comment on column items.name is 'What the thing is called';
comment on column items.price is E'Price in euros\\nincluding VAT';
comment on view v_items is 'Items, briefly';
comment on column v_items.name is 'A view column';
comment on sequence ticket_seq is 'Ticket numbers';
comment on index items_name is 'Lookup by name';
comment on index items_pkey is 'The primary key index';
comment on constraint items_pkey on items is 'The primary key constraint';
comment on constraint items_stock_check on items is 'No negative prices';
comment on schema shop is 'The shop';
comment on table shop.stock is 'Stock per sku';
comment on column shop.stock.qty is 'How many';
comment on table plain is 'Removed again';
comment on table plain is null;
comment on column plain.b is 'Kept';
comment on database postgres is 'The main database';
"""

RENAME = """
alter table items rename to goods;
alter table goods rename column name to title;
alter index items_name rename to goods_title;
alter table shop.stock set schema public;
"""

# (command, psql output format): unaligned where a masked column would shift the alignment.
BEFORE = [
    ('\\d+ items', 'aligned'),
    ('\\d+ plain', 'aligned'),
    ('\\d+ shop.stock', 'aligned'),
    ('\\dt+', 'unaligned'),
    ('\\dt+ shop.*', 'unaligned'),
    ('\\dv+', 'unaligned'),
    ('\\di+', 'unaligned'),
    ('\\ds+', 'unaligned'),
    ('\\dn+', 'aligned'),
    ('\\l+', 'unaligned'),
]
AFTER = [
    ('\\d+ goods', 'aligned'),
    ('\\d+ stock', 'aligned'),
    ('\\dt+', 'unaligned'),
    ('\\di+', 'unaligned'),
]

RESTARTED = [('\\l+', 'unaligned')]

SIZE = re.compile(r'\|\d+ (bytes|kB|MB)\|')


def mask(command, text):
    text = SIZE.sub('|<size>|', text) if '+' in command else text
    if command != '\\l+':
        return text
    out, skip = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith(('template0|', 'template1|')):
            skip = True
            continue
        if skip and line.startswith('postgres=CTc/postgres|'):
            skip = False
            continue
        skip = False
        out.append(re.sub(r'^\(\d+ rows?\)$', '(N rows)', line))
    return ''.join(out)


def run(server, psql, workdir, args):
    return harness.run_psql(psql, ['-X', '-h', '127.0.0.1', '-p', str(server.port), '-U',
                                   'postgres', '-d', 'postgres', *args], workdir)


def commands(server, psql, workdir, listed):
    outputs = []
    for command, fmt in listed:
        extra = ['-A'] if fmt == 'unaligned' else []
        outputs.append(mask(command, run(server, psql, workdir, [*extra, '-c', command])))
    return outputs


def transcript(server, psql, workdir):
    setup = run(server, psql, workdir, ['-q', '-v', 'ON_ERROR_STOP=1', '-c', SCHEMA])
    before = commands(server, psql, workdir, BEFORE)
    setup += run(server, psql, workdir, ['-q', '-v', 'ON_ERROR_STOP=1', '-c', RENAME])
    after = commands(server, psql, workdir, AFTER)
    # The database's comment is kept in the global file: still there after a restart.
    server.stop()
    server.start()
    restarted = commands(server, psql, workdir, RESTARTED)
    labels = ([c for c, _ in BEFORE] + [c + ' (after the renames)' for c, _ in AFTER]
              + [c + ' (after a restart)' for c, _ in RESTARTED])
    return setup, dict(zip(labels, before + after + restarted)), labels


def compare_servers(sqlrited, pg_bin, transcript_of, prefix):
    """transcript_of(server, psql, workdir) -> (setup output, {label: output}, labels), run on a
    PostgreSQL 15 and on sqlrited; prints each label's verdict and returns the exit status. Shared
    with the other psql comparisons (psql_enums.py)."""
    if not os.access(sqlrited, os.X_OK):
        print(f'FAIL: sqlrited binary not found: {sqlrited}')
        return 1
    why = servers.Postgres.available(pg_bin)
    if why:
        print(f'FAIL: PostgreSQL 15 is not available: {why} (run scripts/setup)')
        return 1
    psql = harness.psql_path(pg_bin)
    results = {}
    for server in (servers.Postgres(pg_bin), servers.Sqlrited(sqlrited)):
        try:
            server.start()
            with tempfile.TemporaryDirectory(prefix=prefix) as workdir:
                results[server.name] = transcript_of(server, psql, workdir)
            if not server.alive():
                print(f'FAIL: {server.name} died during the test\n{server.log()}')
                return 1
            server.stop()
        except servers.ServerError as e:
            print(f'FAIL: {server.name}: {e}')
            return 1
        finally:
            server.cleanup()
    expected_setup, expected, labels = results['postgres']
    actual_setup, actual, _ = results['sqlrited']
    ok = True
    if expected_setup != actual_setup:
        print(f'FAIL: the schema did not load alike:\n--- postgres\n{expected_setup}'
              f'--- sqlrited\n{actual_setup}')
        ok = False
    for label in labels:
        if expected[label] == actual[label]:
            print(f'{label}: ok')
            continue
        ok = False
        print(f'{label}: FAILED: output differs from PostgreSQL 15\'s')
        sys.stdout.writelines(difflib.unified_diff(
            expected[label].splitlines(keepends=True), actual[label].splitlines(keepends=True),
            fromfile='expected (PostgreSQL 15)', tofile='actual (sqlrited)'))
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sqlrited', required=True)
    parser.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = parser.parse_args()
    return compare_servers(args.sqlrited, args.pg_bin, transcript, 'sqlrite-comments-')


if __name__ == '__main__':
    sys.exit(main())
