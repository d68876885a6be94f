#!/usr/bin/python3
"""A differential test: the queries of tests/diff/cases/*.sql run on sqlrited and on a PostgreSQL 15
that this script starts, and each answer is compared with PostgreSQL's.

  run_diff.py --sqlrited PATH [FILE...]                  sqlrited against PostgreSQL 15
  run_diff.py ... --baseline tests/diff/baseline.json     fail when a query of the baseline fails
  run_diff.py ... --update-baseline                       rewrite the baseline from this run
  run_diff.py --server postgres                           check the runner and the corpus (below)

The case files. Statements end with a `;` at the end of a line (even inside a string literal: keep
those on one line; dollar quoting is not read); lines starting with `--` are comments. Directives:
  -- @setup      the statements that follow prepare data (until `-- @queries`): they run on both
                 servers and must succeed on PostgreSQL; a failure on sqlrited is reported, not
                 counted
  -- @queries    the statements that follow are compared (the mode a file starts in)
  -- @ordered / -- @unordered     the next query's rows compare in order / as a multiset (default:
                 in order exactly when the query has an ORDER BY outside any parentheses)
  -- @sqlstate-only   when PostgreSQL raises an error for the next query, only its SQLSTATE is
                 compared, not its message (for messages that name something the servers may
                 choose differently)
  -- @reference-plans   (anywhere in a file) the file compares plan shapes (EXPLAIN): under
                 --server postgres its candidate session keeps PostgreSQL's default planner
                 settings rather than the other plans below
Each file runs on a fresh database of each server (CREATE DATABASE, dropped afterwards). A query's
id (in the baseline) is its text with whitespace collapsed, `#2` added to a repeat in its file.

A query passes when sqlrited answers as PostgreSQL did: when PostgreSQL raises an error, the same
SQLSTATE and message (only the SQLSTATE under @sqlstate-only; never the detail, hint or position);
otherwise no error, the same column names, type OIDs, command tag and rows (values as text, NULL
distinct from every string), in order or as a multiset. Type OIDs of user-defined types (16384 and
up: an enum's) only have to be user-defined on both sides.

Every statement runs under statement_timeout (--statement-timeout); a server silent 5 s past it
gets a CancelRequest, and one silent 5 s after that is killed and restarted, the rest of its file
failing. A sqlrited that closes the connection is restarted the same way; one that died is reported
as a CRASH, which fails the run whatever the baseline says.

--server postgres runs the corpus on PostgreSQL against itself: the candidate is a second database
of the same server whose session disables hash aggregation and hash and merge joins, so its plans
(and the order of any rows the corpus leaves unordered, or ties it orders partially) differ from
the reference's. Every query must pass there and every setup statement run, the corpus must hold
at least --min-queries queries, and a self-test feeds the comparison deliberately wrong answers (a
changed value, a missing or extra row, swapped rows of an ordered query, another column name, type
OID, command tag, SQLSTATE or message, an error for rows and rows for an error) and fails unless
each one is caught; the ratchet's check must fail on a query that stopped passing; and a few
queries run end to end against a session whose DateStyle, IntervalStyle and extra_float_digits
print values otherwise must fail where those change the text and pass elsewhere.

Exit status: 0 when every check asked for held, 1 otherwise (a regression against the baseline, a
crash, a runner error, a server that would not start: missing tools fail, never skip).
"""

import argparse
import glob
import json
import os
import re
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True  # keep the source tree clean
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'e2e'))

import pgwire  # noqa: E402
import servers  # noqa: E402

CANCEL_REQUEST_CODE = 80877102
GRACE_SECONDS = 5.0
DEFAULT_CASES = os.path.join(HERE, 'cases')
# Settings of the candidate session under --server postgres: other plans for the same answers
# (sorted aggregation, and merge joins where the reference hashes). enable_seqscan = off would vary
# the access paths too, but makes PostgreSQL plan the corpus's joins 20 times slower; merge joins
# stay on because nested loops alone take minutes over spill.sql's 20,000 x 15,000-row joins (the
# 5 s statement_timeout cancelled them).
OTHER_PLANS = ('enable_hashagg = off', 'enable_hashjoin = off')


# --------------------------------------------------------------------------------------------------
# The case files


class Statement:
    def __init__(self, sql, line, setup):
        self.sql = sql
        self.line = line
        self.setup = setup
        self.ordered = None     # None: decided by has_top_level_order_by
        self.message = True     # compare the error message, not only the SQLSTATE
        self.key = None         # the query's id in the baseline

    def is_ordered(self):
        return has_top_level_order_by(self.sql) if self.ordered is None else self.ordered


def parse_case_file(text):
    """Statements of one case file, in order."""
    statements = []
    setup = False
    pending = {}
    body, start = [], 0
    for number, raw in enumerate(text.split('\n'), 1):
        line = raw.rstrip()
        stripped = line.strip()
        if not body and (not stripped or stripped.startswith('--')):
            directive = stripped[2:].strip() if stripped.startswith('--') else ''
            if directive == '@setup':
                setup = True
            elif directive == '@queries':
                setup = False
            elif directive == '@ordered':
                pending['ordered'] = True
            elif directive == '@unordered':
                pending['ordered'] = False
            elif directive == '@sqlstate-only':
                pending['message'] = False
            elif directive == '@reference-plans':
                pass  # the whole file's (run_file)
            elif directive.startswith('@'):
                raise ValueError(f'line {number}: unknown directive {directive}')
            continue
        if not body:
            start = number
        body.append(line)
        if line.endswith(';'):
            sql = '\n'.join(body)[:-1].strip()
            statement = Statement(sql, start, setup)
            statement.ordered = pending.get('ordered')
            statement.message = pending.get('message', True)
            pending = {}
            statements.append(statement)
            body = []
    if body:
        raise ValueError(f'line {start}: a statement without its closing `;` at the end of a line')
    seen = {}
    for s in statements:
        if s.setup:
            continue
        key = ' '.join(s.sql.split())
        seen[key] = seen.get(key, 0) + 1
        s.key = key if seen[key] == 1 else f'{key} #{seen[key]}'
    return statements


def strip_literals(sql):
    """sql with string literals, quoted identifiers and comments blanked out."""
    out, i, n = [], 0, len(sql)
    while i < n:
        c = sql[i]
        if sql.startswith('--', i):
            j = sql.find('\n', i)
            i = n if j < 0 else j
        elif sql.startswith('/*', i):
            j = sql.find('*/', i + 2)
            i = n if j < 0 else j + 2
            out.append(' ')
        elif c in '\'"':
            j = i + 1
            while j < n:
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                if c == "'" and sql[j] == '\\' and i > 0 and sql[i - 1] in 'eE':
                    j += 2
                    continue
                j += 1
            out.append(' x ')
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def has_top_level_order_by(sql):
    """Whether the statement's own ORDER BY (outside every parenthesis: not a window's, an
    aggregate's, a subquery's or a CTE's) orders its result."""
    text = strip_literals(sql).lower()
    depth = 0
    tokens = []
    for m in re.finditer(r'[()]|[a-z_][a-z_0-9]*', text):
        t = m.group(0)
        if t == '(':
            depth += 1
        elif t == ')':
            depth -= 1
        elif depth == 0:
            tokens.append(t)
    return any(a == 'order' and b == 'by' for a, b in zip(tokens, tokens[1:]))


# --------------------------------------------------------------------------------------------------
# Answers and their comparison


class Answer:
    """What a server said to one statement: column names and type OIDs (None without a
    RowDescription), rows of text-or-None, the command tag, the error's SQLSTATE and message."""

    def __init__(self, names=None, oids=None, rows=None, tag=None, error=None):
        self.names = names
        self.oids = oids
        self.rows = rows if rows is not None else []
        self.tag = tag
        self.error = error  # (sqlstate, message) or None

    def brief(self):
        if self.error:
            return f'ERROR {self.error[0]}: {self.error[1]}'
        cols = ', '.join(f'{n}:{o}' for n, o in zip(self.names or [], self.oids or []))
        rows = '; '.join('|'.join('NULL' if v is None else v for v in r) for r in self.rows[:4])
        more = f' (+{len(self.rows) - 4} rows)' if len(self.rows) > 4 else ''
        return f'{self.tag} [{cols}] {rows}{more}'


# OIDs from here up are assigned at CREATE (an enum's type OID): two servers cannot agree on them,
# so such a type compares as 'user-defined' and nothing more.
FIRST_NORMAL_OBJECT_ID = 16384


def comparable_oids(oids):
    return [o if o is None or o < FIRST_NORMAL_OBJECT_ID else 'user-defined' for o in oids or []]


def row_key(row):
    return tuple((v is None, v or '') for v in row)


def compare(statement, want, got):
    """None when got answers statement as want does, else what differs."""
    if want.error is not None:
        if got.error is None:
            return f'no error, PostgreSQL raised {want.error[0]}: {want.error[1]}'
        if got.error[0] != want.error[0]:
            return f'SQLSTATE {got.error[0]} ({got.error[1]}), PostgreSQL {want.error[0]} ' \
                   f'({want.error[1]})'
        if statement.message and got.error[1] != want.error[1]:
            return f'message {got.error[1]!r}, PostgreSQL {want.error[1]!r}'
        return None
    if got.error is not None:
        return f'ERROR {got.error[0]}: {got.error[1]}'
    if got.names != want.names:
        return f'column names {got.names}, PostgreSQL {want.names}'
    if comparable_oids(got.oids) != comparable_oids(want.oids):
        return f'type OIDs {got.oids}, PostgreSQL {want.oids}'
    if got.tag != want.tag:
        return f'command tag {got.tag!r}, PostgreSQL {want.tag!r}'
    if statement.is_ordered():
        if got.rows != want.rows:
            return first_row_difference(got.rows, want.rows, 'in order')
    elif sorted(got.rows, key=row_key) != sorted(want.rows, key=row_key):
        return first_row_difference(sorted(got.rows, key=row_key),
                                    sorted(want.rows, key=row_key), 'as a multiset')
    return None


def first_row_difference(got, want, how):
    def show(row):
        return 'none' if row is None else '|'.join('NULL' if v is None else v for v in row)
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        if g != w:
            return (f'rows differ {how} ({len(got)} rows, PostgreSQL {len(want)}): '
                    f'row {i + 1} is {show(g)}, PostgreSQL {show(w)}')
    return f'rows differ {how}'


# --------------------------------------------------------------------------------------------------
# Connections and servers


class Timeout(Exception):
    """The server answered neither the statement nor the cancel that followed it."""


class Lost(Exception):
    """The server closed the connection (a crash, or a kill after a timeout)."""


class Session:
    def __init__(self, port, database, statement_timeout, settings=()):
        self.port = port
        self.statement_timeout = statement_timeout
        self.conn = pgwire.Connection(port, timeout=30.0)
        messages = self.conn.startup(database=database)
        self.cancel_key = next((p for k, p in messages if k == b'K'), b'')
        for setting in (f'statement_timeout = {int(statement_timeout * 1000)}', *settings):
            self.send(f'SET {setting}')
            answer = self.collect()
            if answer.error is not None:
                raise pgwire.WireError(f'SET {setting} failed: {answer.error}')

    def close(self):
        try:
            self.conn.send(pgwire.message(b'X'))
        except OSError:
            pass
        self.conn.close()

    def send(self, sql):
        try:
            self.conn.send(pgwire.query_message(sql))
        except OSError as e:
            raise Lost(str(e)) from None

    def send_cancel(self):
        try:
            with socket.create_connection(('127.0.0.1', self.port), timeout=5) as s:
                s.sendall(struct.pack('!II', 16, CANCEL_REQUEST_CODE) + self.cancel_key)
                s.recv(1)
        except OSError:
            pass

    def collect(self):
        """The answer to the Query sent last, up to ReadyForQuery."""
        answer = Answer()
        deadline = time.monotonic() + self.statement_timeout + GRACE_SECONDS
        canceled = False
        while True:
            self.conn.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                msg = self.conn.read_message()
            except socket.timeout:
                if canceled:
                    raise Timeout() from None
                canceled = True
                self.send_cancel()
                deadline = time.monotonic() + GRACE_SECONDS
                continue
            except (OSError, pgwire.WireError) as e:
                raise Lost(str(e)) from None
            if msg is None:
                raise Lost('the server closed the connection')
            kind, payload = msg
            if kind == b'D':
                if answer.error is None:
                    answer.rows.append(pgwire.decode_data_row(payload, errors='surrogateescape'))
            elif kind == b'T' and answer.names is None:
                (count,) = struct.unpack('!H', payload[:2])
                answer.names, answer.oids, pos = [], [], 2
                for _ in range(count):
                    end = payload.index(b'\0', pos)
                    answer.names.append(payload[pos:end].decode(errors='surrogateescape'))
                    answer.oids.append(struct.unpack('!I', payload[end + 7:end + 11])[0])
                    pos = end + 19
            elif kind == b'C':
                answer.tag = payload.rstrip(b'\0').decode()
            elif kind == b'E' and answer.error is None:
                fields = pgwire.parse_error_fields(payload)
                answer.error = (fields.get('C'), fields.get('M'))
            elif kind == b'Z':
                return answer


class Server:
    """One server: sqlrited, or PostgreSQL 15 (which under --server postgres serves both sides)."""

    def __init__(self, kind, args):
        self.kind = kind
        self.args = args
        self.process = None
        self.databases = 0
        self.start()

    def start(self):
        if self.kind == 'sqlrited':
            self.process = servers.Sqlrited(self.args.sqlrited)
        else:
            self.process = servers.Postgres(self.args.pg_bin,
                                            extra_options=['max_connections=20',
                                                           'full_page_writes=off',
                                                           'synchronous_commit=off'])
        self.process.start()

    def restart(self):
        try:
            self.process.cleanup()
        except servers.ServerError:
            pass
        self.start()

    def admin(self, sql):
        conn = pgwire.Connection(self.process.port, timeout=60.0)
        try:
            conn.startup()
            _, error = conn.simple_query(sql)
            conn.send(pgwire.message(b'X'))
        finally:
            conn.close()
        if error is not None:
            raise pgwire.WireError(f'{sql}: {error}')

    def fresh_database(self, stem):
        self.databases += 1
        name = f'diff_{re.sub(r"[^a-z0-9_]", "_", stem.lower())}_{self.databases}'
        self.admin(f'CREATE DATABASE {name}')
        return name

    def drop_database(self, name):
        try:
            self.admin(f'DROP DATABASE IF EXISTS {name}')
        except (OSError, pgwire.WireError):
            pass  # a server restarted in the file has no such database

    def cleanup(self):
        self.process.cleanup()


# --------------------------------------------------------------------------------------------------
# Running one file


class FileResult:
    def __init__(self, name, statements):
        self.name = name
        self.total = sum(1 for s in statements if not s.setup)
        self.keys = {s.key for s in statements if not s.setup}
        self.samples = []           # (statement, PostgreSQL's answer) for the self-test
        self.passed = []            # keys of the queries that passed
        self.differences = []       # (line, sql, why)
        self.setup_failures = []    # (line, sql, why) on the candidate
        self.runner_errors = []     # the reference failed: the corpus or the runner is wrong
        self.crashes = []
        self.other_messages = []    # (line, sql, why): passed, the error's message not compared
        self.seconds = 0.0


def run_file(path, reference, candidate, args, settings=None):
    """settings: SET statements for the candidate's session (default: OTHER_PLANS when the
    candidate is PostgreSQL, none for sqlrited)."""
    name = os.path.basename(path)
    with open(path, encoding='utf-8') as f:
        text = f.read()
    statements = parse_case_file(text)
    result = FileResult(name, statements)
    started = time.monotonic()
    stem = os.path.splitext(name)[0]
    ref_db = reference.fresh_database(stem)
    cand_db = candidate.fresh_database(stem)
    if settings is None:
        reference_plans = re.search(r'^-- @reference-plans\s*$', text, re.M) is not None
        settings = OTHER_PLANS if args.server == 'postgres' and not reference_plans else ()
    ref = Session(reference.process.port, ref_db, args.statement_timeout)
    cand = Session(candidate.process.port, cand_db, args.statement_timeout, settings)
    try:
        for index, statement in enumerate(statements):
            # Both servers work at once: send to each, then read each.
            ref.send(statement.sql)
            cand_lost = None
            try:
                cand.send(statement.sql)
            except Lost as e:
                cand_lost = e
            want = ref.collect()
            got = None
            if cand_lost is None:
                try:
                    got = cand.collect()
                except (Lost, Timeout) as e:
                    cand_lost = e
            if cand_lost is not None:
                what = ('did not answer (nor a cancel)' if isinstance(cand_lost, Timeout)
                        else f'closed the connection ({cand_lost})')
                crash = not isinstance(cand_lost, Timeout) and not candidate.process.alive()
                why = f'{candidate.kind} {what}' + (': CRASH' if crash else '')
                if crash:
                    result.crashes.append((statement.line, statement.sql, why))
                result.differences.append((statement.line, statement.sql, why))
                rest = [s for s in statements[index + 1:] if not s.setup]
                if rest:
                    result.differences.append(
                        (statement.line, '', f'{len(rest)} later queries of the file not run'))
                candidate.restart()
                cand = None
                break
            if statement.setup:
                if want.error is not None:
                    result.runner_errors.append((statement.line, statement.sql,
                                                 f'setup fails on PostgreSQL: {want.brief()}'))
                elif got.error is not None:
                    result.setup_failures.append((statement.line, statement.sql, got.brief()))
                continue
            if len(result.samples) < args.samples:
                result.samples.append((statement, want))
            why = compare(statement, want, got)
            if why is None:
                result.passed.append(statement.key)
                if want.error is not None and got.error[1] != want.error[1]:
                    result.other_messages.append(
                        (statement.line, statement.sql,
                         f'message {got.error[1]!r}, PostgreSQL {want.error[1]!r}'))
            else:
                result.differences.append((statement.line, statement.sql, why))
            if args.verbose:
                print(f'{name}:{statement.line}: {"ok" if why is None else why}\n'
                      f'    {statement.sql}\n    PG: {want.brief()}\n    got: {got.brief()}')
    finally:
        ref.close()
        if cand is not None:
            cand.close()
        reference.drop_database(ref_db)
        candidate.drop_database(cand_db)
    result.seconds = time.monotonic() - started
    return result


# --------------------------------------------------------------------------------------------------
# The self-test of the comparison (under --server postgres)


def self_test(samples):
    """Deliberately wrong answers derived from real PostgreSQL answers must all be caught, and
    the real ones (and an unordered query's rows in another order) must pass. samples: (statement,
    answer) pairs. Returns the failures."""
    failures = []
    caught = 0

    def expect(statement, want, got, differ, what):
        nonlocal caught
        why = compare(statement, want, got)
        if differ and why is None:
            failures.append(f'not caught: {what}: {statement.sql}')
        elif not differ and why is not None:
            failures.append(f'false difference: {what}: {statement.sql}: {why}')
        elif differ:
            caught += 1

    def copy(a, **changes):
        b = Answer(list(a.names) if a.names else a.names, list(a.oids) if a.oids else a.oids,
                   [list(r) for r in a.rows], a.tag, a.error)
        for k, v in changes.items():
            setattr(b, k, v)
        return b

    kinds = set()
    for statement, want in samples:
        expect(statement, want, copy(want), False, 'the same answer')
        if want.error is not None:
            expect(statement, want, copy(want, error=('XX000', want.error[1])), True,
                   'another SQLSTATE')
            expect(statement, want, copy(want, error=(want.error[0], want.error[1] + '.')),
                   statement.message, 'another message')
            expect(statement, want, Answer(['x'], [23], [['1']], 'SELECT 1'), True,
                   'rows for an error')
            kinds.add('error')
            continue
        expect(statement, want, copy(want, error=('42601', 'syntax error')), True,
               'an error for rows')
        expect(statement, want, copy(want, tag=(want.tag or '') + '0'), True, 'another tag')
        if want.names:
            expect(statement, want, copy(want, names=want.names[:-1] + [want.names[-1] + 'x']),
                   True, 'another column name')
            other = 25 if want.oids[-1] != 25 else 23
            expect(statement, want, copy(want, oids=want.oids[:-1] + [other]), True,
                   'another type OID')
        if want.rows:
            wrong = copy(want)
            value = wrong.rows[0][0]
            wrong.rows[0][0] = 'NULL' if value is None else (None if value == '' else value + '0')
            expect(statement, want, wrong, True, 'a changed value')
            expect(statement, want, copy(want, rows=want.rows[1:]), True, 'a missing row')
            expect(statement, want, copy(want, rows=want.rows + want.rows[:1]), True,
                   'an extra row')
            kinds.add('rows')
        distinct = len({tuple(r) for r in want.rows}) > 1
        if distinct:
            reversed_rows = copy(want, rows=list(reversed(want.rows)))
            expect(statement, want, reversed_rows, statement.is_ordered(),
                   'rows in another order')
            kinds.add('ordered' if statement.is_ordered() else 'unordered')
    for kind in ('error', 'rows', 'ordered', 'unordered'):
        if kind not in kinds:
            failures.append(f'the samples hold no query of kind {kind}')
    checks = [('select 1 from t order by 1', True), ('select (select 1 order by 1)', False),
              ('select rank() over (order by a) from t', False),
              ("select 'order by' from t", False), ('select 1 union select 2 order by 1', True),
              ('with c as (select 1 order by 1) select * from c', False),
              ('select string_agg(a, \',\' order by a) from t', False)]
    for sql, ordered in checks:
        if has_top_level_order_by(sql) != ordered:
            failures.append(f'has_top_level_order_by({sql!r}) is not {ordered}')
    return failures, caught


def ratchet_self_test():
    """check_baseline must fail on a query that stopped passing or left the file, and hold when
    more pass. Returns the failures."""
    import io
    import tempfile
    from contextlib import redirect_stdout

    result = FileResult('f.sql', [])
    result.keys = {'q1', 'q2', 'q3'}
    result.passed = ['q1', 'q2']
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'baseline.json')
        cases = [({'f.sql': ['q1']}, True, 'more pass than the baseline'),
                 ({'f.sql': ['q1', 'q2']}, True, 'as many pass'),
                 ({'f.sql': ['q1', 'q3']}, False, 'a query stopped passing'),
                 ({'f.sql': ['q1', 'gone']}, False, 'a query left the file')]
        for baseline, holds, what in cases:
            with open(path, 'w', encoding='utf-8') as f:
                json.dump(baseline, f)
            args = argparse.Namespace(baseline=path, update_baseline=False)
            with redirect_stdout(io.StringIO()):
                got = check_baseline(args, [result])
            if got != holds:
                failures.append(f'the ratchet {"fails" if holds else "holds"} when {what}')
    return failures


# A candidate whose session prints values differently must fail these queries through the whole
# path (wire, collection, comparison): (query, whether it must pass).
WRONG_SESSION = ("DateStyle = 'German'", 'extra_float_digits = 0', "IntervalStyle = 'sql_standard'")
WRONG_SESSION_QUERIES = [
    ('select 1 as a, 2 as b', True),
    ("select date '2024-01-02' as d", False),
    ('select 1.1::float8 / 3 as f', False),
    ("select interval '1 day 2 hours' as i", False),
    ('select 1 / 0', True),
    ("select 'x'::int", True),
]


def end_to_end_self_test(server, args):
    """Runs WRONG_SESSION_QUERIES with the candidate session set to WRONG_SESSION; returns the
    failures."""
    import tempfile
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'self_test.sql')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(''.join(sql + ';\n' for sql, _ in WRONG_SESSION_QUERIES))
        result = run_file(path, server, server, args, settings=WRONG_SESSION)
    for sql, passes in WRONG_SESSION_QUERIES:
        key = ' '.join(sql.split())
        if (key in result.passed) != passes:
            failures.append(f'end to end: {sql!r} {"failed" if passes else "passed"} against a '
                            f'session with {", ".join(WRONG_SESSION)}')
    return failures


# --------------------------------------------------------------------------------------------------
# main


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--server', choices=['sqlrited', 'postgres'], default='sqlrited',
                        help='the candidate compared with PostgreSQL 15')
    parser.add_argument('--sqlrited', help='the sqlrited binary (with --server sqlrited)')
    parser.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    parser.add_argument('--cases', default=DEFAULT_CASES, help='the folder of *.sql case files')
    parser.add_argument('--statement-timeout', type=float, default=5.0, help='seconds')
    parser.add_argument('--baseline', help='JSON {file: [query, ...]}: the queries that must pass')
    parser.add_argument('--update-baseline', action='store_true',
                        help='rewrite --baseline from this run')
    parser.add_argument('--show', type=int, default=3, help='differences shown per file')
    parser.add_argument('--min-queries', type=int, default=600,
                        help='with --server postgres: the corpus must hold at least this many')
    parser.add_argument('--samples', type=int, default=0,
                        help='answers per file fed to the self-test (--server postgres: 40)')
    parser.add_argument('--messages', action='store_true',
                        help='list the passing errors whose message differs from PostgreSQL\'s')
    parser.add_argument('--verbose', action='store_true', help='every query with both answers')
    parser.add_argument('files', nargs='*', help='case files (default: every one in --cases)')
    args = parser.parse_args()
    if args.server == 'postgres' and not args.samples:
        args.samples = 40

    missing = servers.Postgres.available(args.pg_bin)
    if missing:
        print(f'diff: FAILED: {missing}')
        return 1
    if args.server == 'sqlrited' and (not args.sqlrited or not os.access(args.sqlrited, os.X_OK)):
        print(f'diff: FAILED: sqlrited binary {args.sqlrited!r} not found')
        return 1
    paths = args.files or sorted(glob.glob(os.path.join(args.cases, '*.sql')))
    if not paths:
        print(f'diff: FAILED: no case files in {args.cases}')
        return 1

    started = time.monotonic()
    reference = candidate = None
    results, ok = [], True
    samples = []
    end_to_end_failures = ['end to end: did not run']
    try:
        reference = Server('postgres', args)
        candidate = reference if args.server == 'postgres' else Server('sqlrited', args)
        for path in paths:
            try:
                result = run_file(path, reference, candidate, args)
            except (ValueError, OSError, pgwire.WireError, Timeout, Lost,
                    servers.ServerError) as e:
                print(f'ERROR {os.path.basename(path)}: {type(e).__name__} {e}')
                ok = False
                continue
            results.append(result)
            print(f'  {result.name}: {len(result.passed)} / {result.total} passed, '
                  f'{result.seconds:.1f} s', flush=True)
            for line, sql, why in result.runner_errors:
                print(f'    RUNNER ERROR line {line}: {why}\n      {sql[:300]}')
            for line, sql, why in result.setup_failures[:args.show]:
                print(f'    setup line {line} fails on {args.server}: {why}\n      {sql[:200]}')
            for line, sql, why in result.differences[:args.show]:
                print(f'    line {line}: {why}' + (f'\n      {sql[:300]}' if sql else ''))
            if args.messages:
                for line, sql, why in result.other_messages:
                    print(f'    line {line} passes with another {why}\n      {sql[:300]}')
            samples.extend(result.samples)
        if args.server == 'postgres':
            try:
                end_to_end_failures = end_to_end_self_test(reference, args)
            except (OSError, pgwire.WireError, Timeout, Lost, servers.ServerError) as e:
                end_to_end_failures = [f'end to end: {type(e).__name__} {e}']
    except (servers.ServerError, OSError, pgwire.WireError) as e:
        print(f'ERROR the servers: {e}')
        ok = False
    finally:
        for server in {id(s): s for s in (reference, candidate) if s is not None}.values():
            server.cleanup()

    total = sum(r.total for r in results)
    passed = sum(len(r.passed) for r in results)
    print(f'\ndifferential test, {args.server} against PostgreSQL 15: {passed} / {total} queries '
          f'pass in {len(results)} files, {time.monotonic() - started:.1f} s')
    for r in results:
        messages = (f'  ({len(r.other_messages)} passing errors with another message)'
                    if r.other_messages else '')
        print(f'  {r.name:<24} {len(r.passed):>4} / {r.total:<4}{messages}')
        if r.runner_errors:
            ok = False
        for line, sql, why in r.crashes:
            print(f'CRASH {r.name}:{line}: {why}\n  {sql[:300]}')
            ok = False

    if args.server == 'postgres':
        for r in results:
            for line, sql, why in r.differences:
                print(f'RUNNER ERROR {r.name}:{line}: PostgreSQL differs from itself: {why}\n'
                      f'  {sql[:300]}')
                ok = False
            for line, sql, why in r.setup_failures:
                print(f'RUNNER ERROR {r.name}:{line}: setup fails: {why}')
                ok = False
        if total < args.min_queries:
            print(f'RUNNER ERROR the corpus holds {total} queries, fewer than {args.min_queries}')
            ok = False
        failures, caught = self_test(samples)
        failures += ratchet_self_test() + end_to_end_failures
        for f in failures:
            print(f'SELF-TEST FAILED {f}')
        print(f'self-test: {caught} wrong answers caught over {len(samples)} sampled queries, '
              f'{len(failures)} failures')
        ok = ok and not failures
    ok = check_baseline(args, results) and ok
    print('diff: ' + ('OK' if ok else 'FAILED'))
    return 0 if ok else 1


def check_baseline(args, results):
    """The ratchet: every query the baseline names must still pass. Returns whether it holds."""
    if not args.baseline:
        return True
    if args.update_baseline:
        baseline = {}
        if os.path.exists(args.baseline):
            with open(args.baseline, encoding='utf-8') as f:
                baseline = json.load(f)
        baseline.update({r.name: sorted(r.passed) for r in results})
        with open(args.baseline, 'w', encoding='utf-8') as f:
            json.dump(dict(sorted(baseline.items())), f, indent=1, ensure_ascii=False)
            f.write('\n')
        print(f'baseline {args.baseline} rewritten for {len(results)} files')
        return True
    try:
        with open(args.baseline, encoding='utf-8') as f:
            baseline = json.load(f)
    except (OSError, ValueError) as e:
        print(f'ERROR the baseline {args.baseline}: {e} (--update-baseline writes it)')
        return False
    ok = True
    for r in results:
        want = set(baseline.get(r.name, []))
        got = set(r.passed)
        if r.name not in baseline:
            print(f'NOTE {r.name}: no baseline ({len(got)} pass)')
        for key in sorted(want - got):
            if key in r.keys:
                print(f'REGRESSION {r.name}: no longer passes: {key[:300]}')
            else:
                print(f'REGRESSION {r.name}: the baseline names a query the file no longer holds '
                      f'(edited? rerun with --update-baseline): {key[:300]}')
            ok = False
        if got - want and r.name in baseline:
            print(f'IMPROVED {r.name}: {len(got - want)} more queries pass than the baseline '
                  f'records (run with --update-baseline to raise it)')
    return ok


if __name__ == '__main__':
    sys.exit(main())
