#!/usr/bin/python3
"""psql 15's commands over enum types (CREATE TYPE ... AS ENUM): \\dT, \\dT+ (the labels in their
sort order, the type's comment), \\d TABLE naming an enum column's type (and an array of it, a
default, a type in another schema), before and after ALTER TYPE ... ADD VALUE / RENAME VALUE /
RENAME TO and DROP TYPE ... CASCADE, against sqlrited and against a PostgreSQL 15 started here: each
command's output from sqlrited must equal PostgreSQL's (the expected output is always PostgreSQL's
own, produced in the same run). The comparison is psql_comments.py's.

  psql_enums.py --sqlrited PATH [--pg-bin DIR]

Exit status: 0 every command matched; 1 a command differed, or sqlrited, PostgreSQL or psql is
missing (a missing tool is a failure, never a skip).
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import psql_comments  # noqa: E402
import servers  # noqa: E402

SCHEMA = """
create type mood as enum ('sad', 'ok', 'happy');
comment on type mood is 'How one feels';
create type e0 as enum ();
create schema shop;
create type shop.color as enum ('red', 'green');
create table person (id int primary key, m mood not null default 'ok', ms mood[],
                     c shop.color);
insert into person values (1, 'happy', '{sad,ok}', 'red'), (2, 'sad', null, null);
"""

ALTER = """
alter type mood add value 'meh' before 'ok';
alter type mood rename value 'ok' to 'fine';
alter type e0 rename to empty_enum;
alter type mood add value 'ecstatic';
drop type shop.color cascade;
"""

BEFORE = [
    ('\\dT', 'aligned'),
    ('\\dT+', 'aligned'),
    ('\\dT shop.*', 'aligned'),
    ('\\dT+ shop.*', 'aligned'),
    ('\\d person', 'aligned'),
]
AFTER = [
    ('\\dT+', 'aligned'),
    ('\\d person', 'aligned'),
    ('\\dT *.*color', 'aligned'),
]


def transcript(server, psql, workdir):
    run = psql_comments.run
    setup = run(server, psql, workdir, ['-q', '-v', 'ON_ERROR_STOP=1', '-c', SCHEMA])
    before = psql_comments.commands(server, psql, workdir, BEFORE)
    setup += run(server, psql, workdir, ['-q', '-v', 'ON_ERROR_STOP=1', '-c', ALTER])
    after = psql_comments.commands(server, psql, workdir, AFTER)
    labels = [c for c, _ in BEFORE] + [c + ' (after the ALTER TYPEs)' for c, _ in AFTER]
    return setup, dict(zip(labels, before + after)), labels


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sqlrited', required=True)
    parser.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = parser.parse_args()
    return psql_comments.compare_servers(args.sqlrited, args.pg_bin, transcript, 'sqlrite-enums-')


if __name__ == '__main__':
    sys.exit(main())
