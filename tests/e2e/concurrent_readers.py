#!/usr/bin/python3
"""Readers never see a torn or uncommitted state, under real concurrency, on sqlrited or (as the
reference) PostgreSQL 15.

A table of ACCOUNTS rows (id, bal, ver, tag, pad) holds a known total. Writer connections move
money between two rows in every way a client can commit or abandon a change:

  block       BEGIN; UPDATE lower id; UPDATE higher id; COMMIT (separate round trips)
  single      one autocommit UPDATE ... SET bal = bal + CASE ... WHERE id IN (a, b)
  implicit    "UPDATE ...; UPDATE ..." in one Query message (an implicit transaction)
  multi       "BEGIN; UPDATE ...; UPDATE ...; COMMIT" in one Query message
  rollback    BEGIN; half a transfer (or all of it); ROLLBACK
  fail_div    BEGIN; UPDATE; UPDATE that divides by zero (22012); ROLLBACK
  fail_dup    BEGIN; UPDATE; INSERT of a duplicate key (23505); ROLLBACK
  fail_null   BEGIN; UPDATE; UPDATE setting tag to NULL (23502); ROLLBACK
  single_fail one autocommit UPDATE of both rows that fails at the second row (22012)
  implicit_fail  "UPDATE ...; UPDATE ... (22012)" in one Query message
  checkpoint  CHECKPOINT (the log is copied into the file while readers read)
  ddl         CREATE TABLE side_W and a row, then DROP TABLE: each acknowledged, then checked on
              another connection (a committed schema change is seen by the next statement)

Every committed transfer keeps sum(bal) and adds exactly 1 to `ver` of both rows (so sum(ver)
stays even); every change that is abandoned also sets tag = 'doomed', which no commit ever
leaves behind. Reader connections (simple and extended protocol, autocommit and inside
BEGIN READ ONLY blocks) check, repeatedly and while the writers run:

  * sum(bal) == total, count(*) == ACCOUNTS, sum(ver) even (a whole-table aggregate);
  * a whole-table scan: the same, computed from the rows, and no row tagged 'doomed'; the scan is
    also read through a portal, CHUNK rows per Execute, and (inside blocks) through a cursor,
    FETCH CHUNK at a time, with pauses between the chunks: all chunks must be one state; one
    more reader (--slow-portals) reads it SLOW_CHUNK rows per Execute for about half a second
    a scan, across many commits and CHECKPOINTs;
  * point lookups of single rows: tag 'ok', and each row's ver never goes back, neither as seen
    by one connection nor below what any statement that had finished before this one began saw
    (a later statement must not read an older commit).

After a COMMIT is acknowledged, the writer reads the rows it changed on another connection of
its own: they show that commit or a newer one (the versions the block read before its COMMIT
also become a floor for every reader's later statements).

At the end the total is checked once more, sum(ver) == 2 * the transfers acknowledged, and the
writers must have committed a non-trivial number of transfers, some of them while readers ran
inside an open write transaction. Before the load, a negative control runs the same checks on a
connection that holds half a transfer uncommitted and requires them to fail, so the checks can
fail; `--break-uncommitted` makes the writers run the readers' checks against their own
uncommitted state during the load (the run must then FAIL: a manual check of the checks).

sqlrited runs point writers by default (engine/point_writer.h): the writers' blocks run side by
side under row locks, their transfers in random row order, so some may be deadlock victims (40P01)
as on PostgreSQL; --server-arg=--point-writers=off runs every block behind the single writer slot.

--snapshot-blocks makes the last reader run REPEATABLE READ READ ONLY blocks that read the table
in two halves by two statements (their sums must add up to the total) and repeat an aggregate (it must
not change): true only with a snapshot per block.

Exit 0 on success, 1 on failure, also when the server is missing (never a skip).
"""

import argparse
import os
import random
import sys
import threading
import time

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import extended  # noqa: E402
import pgwire  # noqa: E402
import servers  # noqa: E402

ACCOUNTS = 200
START_BALANCE = 1000
TOTAL = ACCOUNTS * START_BALANCE
CHUNK = 45  # rows per Execute of a portal and per FETCH of a cursor
SLOW_CHUNK = 10  # the slow portal reader's rows per Execute ...
SLOW_PAUSE = 0.06  # ... and its longest pause between them (about 0.6 s per scan)
PAD = 'p' * 100  # spreads the table over several pages, so a scan crosses page boundaries
DEADLOCK = '40P01'  # PostgreSQL may pick a transfer as a deadlock victim: it rolls back whole
SERIALIZATION = '40001'

WRITE_KINDS = [('block', 30), ('single', 12), ('implicit', 8), ('multi', 6), ('rollback', 10),
               ('fail_div', 8), ('fail_dup', 8), ('fail_null', 6), ('single_fail', 6),
               ('implicit_fail', 6), ('checkpoint', 2), ('ddl', 2)]


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


# ---------------------------------------------------------------------------------------------
# Talking to the server: simple and extended protocol, both returning (rows, error, status).

def simple(conn, sql):
    conn.send(pgwire.query_message(sql))
    return collect(conn.read_until_ready(), sql)


def collect(messages, what):
    rows, error, status = [], None, None
    for kind, payload in messages:
        if kind == b'D':
            rows.append(pgwire.decode_data_row(payload))
        elif kind == b'E' and error is None:
            error = pgwire.parse_error_fields(payload)
        elif kind == b'Z':
            status = payload.decode()
    if status is None:
        raise Failure(f'{what!r}: the connection ended without ReadyForQuery')
    return rows, error, status


def ok(conn, sql):
    rows, error, _ = simple(conn, sql)
    expect(error is None, f'{sql!r} failed: {error}')
    return rows


def connect(port):
    conn = pgwire.Connection(port, timeout=60.0)
    conn.startup()
    return conn


class Session:
    """One reader connection: runs its statements by the simple protocol or as named prepared
    statements of the extended protocol (Bind / Execute / Sync each time)."""

    STATEMENTS = {
        'agg': 'select sum(bal), count(*), sum(ver) from accounts',
        'scan': 'select id, bal, ver, tag from accounts',
        'point': 'select id, bal, ver, tag from accounts where id = $1',
        'half_lo': f'select sum(bal), count(*) from accounts where id <= {ACCOUNTS // 2}',
        'half_hi': f'select sum(bal), count(*) from accounts where id > {ACCOUNTS // 2}',
        'begin_ro': 'begin read only',
        'begin_rr': 'begin isolation level repeatable read read only',
        'commit': 'commit',
        'rollback': 'rollback',
    }

    def __init__(self, conn, extended_protocol):
        self.conn = conn
        self.extended = extended_protocol
        if extended_protocol:
            data = b''.join(extended.P(sql, name=name) for name, sql in self.STATEMENTS.items())
            rows, error, _ = collect(self.send_and_read(data + extended.S), 'prepare')
            expect(error is None, f'preparing the readers\' statements failed: {error}')

    def send_and_read(self, data):
        self.conn.send(data)
        return self.conn.read_until_ready()

    CURSOR = {
        'declare': 'declare rc cursor for select id, bal, ver, tag from accounts',
        'fetch': f'fetch {CHUNK} from rc',
        'close': 'close rc',
    }

    def run_cursor(self, name):
        """A cursor statement, parsed each time (unnamed) in the extended protocol: sqlrited
        refuses a FETCH prepared before its cursor exists with 0A000 (PostgreSQL runs it)."""
        sql = self.CURSOR[name]
        if self.extended:
            data = extended.P(sql) + extended.B() + extended.E() + extended.S
            rows, error, _ = collect(self.send_and_read(data), name)
        else:
            rows, error, _ = simple(self.conn, sql)
        expect(error is None, f'reader statement {sql!r} failed: {error}')
        return rows

    def run(self, name, param=None):
        """Runs statement `name`; returns its rows; a server error fails the test."""
        if self.extended:
            params = () if param is None else (str(param),)
            data = extended.B(stmt=name, params=params) + extended.E() + extended.S
            rows, error, status = collect(self.send_and_read(data), name)
        else:
            sql = self.STATEMENTS[name]
            if param is not None:
                sql = sql.replace('$1', str(int(param)))
            rows, error, status = simple(self.conn, sql)
        expect(error is None, f'reader statement {name!r} failed: {error}')
        return rows

    def portal_scan(self, pause, chunk=CHUNK):
        """The scan through one portal, `chunk` rows per Execute (PortalSuspended in between, a
        pause before the next Execute so that commits land meanwhile), then Sync."""
        self.conn.send(extended.B(stmt='scan') + extended.E(max_rows=chunk) + extended.H)
        rows, error = [], None
        while error is None:
            msg = self.conn.read_message()
            expect(msg is not None, 'the connection ended inside a portal scan')
            kind, payload = msg
            if kind == b'D':
                rows.append(pgwire.decode_data_row(payload))
            elif kind == b'E':
                error = pgwire.parse_error_fields(payload)
            elif kind == b's':
                pause()
                self.conn.send(extended.E(max_rows=chunk) + extended.H)
            elif kind == b'C':
                break
        collect(self.send_and_read(extended.S), 'portal scan')
        expect(error is None, f'a portal scan failed: {error}')
        return rows

    def cursor_scan(self, pause):
        """The scan through a cursor (inside a block): FETCH CHUNK rows until fewer come."""
        self.run_cursor('declare')
        rows = []
        while True:
            pause()
            chunk = self.run_cursor('fetch')
            rows += chunk
            if len(chunk) < CHUNK:
                break
        self.run_cursor('close')
        return rows

    def close(self):
        try:
            self.conn.send(pgwire.message(b'X'))
        except OSError:
            pass
        self.conn.close()


# ---------------------------------------------------------------------------------------------
# The invariants. Each check returns a list of problems (empty: the state was a committed one),
# so the negative control can require problems from the same code.

class Floors:
    """The versions statements have seen: per connection (`mine`) and by any statement that has
    finished (`shared`). A statement compares with the shared floors taken before it was sent."""

    def __init__(self, shared=None):
        self.mine = [0] * (ACCOUNTS + 1)
        self.mine_ver_sum = 0
        self.shared = shared

    def before(self):
        return self.shared.snapshot() if self.shared else ([0] * (ACCOUNTS + 1), 0)

    def after(self, seen, ver_sum=None):
        if self.shared:
            self.shared.raise_to(seen, ver_sum)


class SharedFloors:
    def __init__(self):
        self.lock = threading.Lock()
        self.ver = [0] * (ACCOUNTS + 1)
        self.ver_sum = 0

    def snapshot(self):
        with self.lock:
            return list(self.ver), self.ver_sum

    def raise_to(self, seen, ver_sum):
        with self.lock:
            for rid, ver in seen.items():
                if ver > self.ver[rid]:
                    self.ver[rid] = ver
            if ver_sum is not None and ver_sum > self.ver_sum:
                self.ver_sum = ver_sum


def check_rows(rows, floors, before, whole_table):
    """Rows of (id, bal, ver, tag): tags, version floors and, for the whole table, the totals."""
    problems = []
    floor_ver, _ = before
    seen = {}
    for row in rows:
        rid, bal, ver, tag = int(row[0]), int(row[1]), int(row[2]), row[3]
        seen[rid] = ver
        if tag != 'ok':
            problems.append(f'row {rid} has tag {tag!r} (bal {bal}, ver {ver}): an abandoned '
                            'change was visible')
        if ver < floors.mine[rid]:
            problems.append(f'row {rid}: ver {ver} after this connection saw {floors.mine[rid]}')
        if ver < floor_ver[rid]:
            problems.append(f'row {rid}: ver {ver} after a finished statement saw '
                            f'{floor_ver[rid]}')
    if whole_table:
        total = sum(int(r[1]) for r in rows)
        ver_sum = sum(int(r[2]) for r in rows)
        if len(rows) != ACCOUNTS or len(seen) != ACCOUNTS:
            problems.append(f'scan returned {len(rows)} rows ({len(seen)} ids), not {ACCOUNTS}')
        if total != TOTAL:
            problems.append(f'scan: sum(bal) = {total}, not {TOTAL}')
        if ver_sum % 2:
            problems.append(f'scan: sum(ver) = {ver_sum} is odd: half a transfer was visible')
    return problems, seen


def check_aggregate(row, floors, before):
    problems = []
    total, count, ver_sum = int(row[0]), int(row[1]), int(row[2])
    if total != TOTAL:
        problems.append(f'sum(bal) = {total}, not {TOTAL}')
    if count != ACCOUNTS:
        problems.append(f'count(*) = {count}, not {ACCOUNTS}')
    if ver_sum % 2:
        problems.append(f'sum(ver) = {ver_sum} is odd: half a transfer was visible')
    if ver_sum < floors.mine_ver_sum:
        problems.append(f'sum(ver) = {ver_sum} after this connection saw {floors.mine_ver_sum}')
    if ver_sum < before[1]:
        problems.append(f'sum(ver) = {ver_sum} after a finished statement saw {before[1]}')
    return problems, ver_sum


class Reader:
    """One reader connection: a protocol (simple / extended) and a transaction style
    (autocommit / BEGIN READ ONLY blocks / REPEATABLE READ READ ONLY blocks)."""

    def __init__(self, port, index, extended_protocol, style, shared, run):
        self.name = (f'reader {index} ({"extended" if extended_protocol else "simple"}, '
                     f'{style})')
        self.session = Session(connect(port), extended_protocol)
        self.style = style
        self.floors = Floors(shared)
        self.run_state = run
        self.rng = random.Random(1000 + index)
        self.checks = 0
        self.kinds = {}
        self.during_open_write = 0
        self.commits_inside = 0  # commits that landed while a slow portal was open

    def close(self):
        self.session.close()

    def verify(self, problems, statement):
        if problems:
            raise Failure(f'{self.name}, {statement}: ' + '; '.join(problems[:5]))
        self.checks += 1

    def one_check(self, in_block=False):
        kinds = ['agg', 'scan', 'point', 'point']
        if self.session.extended:
            kinds.append('portal')
        if in_block:
            kinds.append('cursor')
        kind = self.rng.choice(kinds)
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        before = self.floors.before()
        if self.run_state.open_writes > 0:
            self.during_open_write += 1
        if kind == 'agg':
            rows = self.session.run('agg')
            expect(len(rows) == 1, f'{self.name}: aggregate returned {rows}')
            problems, ver_sum = check_aggregate(rows[0], self.floors, before)
            self.verify(problems, 'aggregate')
            self.floors.mine_ver_sum = ver_sum
            self.floors.after({}, ver_sum)
            return
        if kind in ('scan', 'portal', 'cursor'):
            if kind == 'scan':
                rows = self.session.run('scan')
            elif kind == 'portal':
                rows = self.session.portal_scan(self.pause)
            else:
                rows = self.session.cursor_scan(self.pause)
            problems, seen = check_rows(rows, self.floors, before, whole_table=True)
            self.verify(problems, {'scan': 'scan', 'portal': f'scan by a portal, {CHUNK} rows '
                                   'per Execute', 'cursor': f'scan by a cursor, FETCH {CHUNK}'}[kind])
            self.floors.mine_ver_sum = max(self.floors.mine_ver_sum, sum(seen.values()))
        else:
            rid = self.rng.randint(1, ACCOUNTS)
            rows = self.session.run('point', rid)
            expect(len(rows) == 1 and int(rows[0][0]) == rid,
                   f'{self.name}: point lookup of {rid} returned {rows}')
            problems, seen = check_rows(rows, self.floors, before, whole_table=False)
            self.verify(problems, f'point lookup of {rid}')
        for rid, ver in seen.items():
            self.floors.mine[rid] = ver
        self.floors.after(seen)

    def pause(self):
        """Between the chunks of a portal or cursor: now and then long enough for commits."""
        if self.rng.random() < 0.5:
            time.sleep(self.rng.random() * 0.004)

    def slow_portal(self):
        """The whole table through one portal, SLOW_CHUNK rows per Execute with SLOW_PAUSE
        between them: its rows are one state however many commits and checkpoints land meanwhile
        (once rows stream from a snapshot, that snapshot must outlive them)."""
        before = self.floors.before()
        self.kinds['slow portal'] = self.kinds.get('slow portal', 0) + 1
        commits = self.run_state.commits

        def pause():
            if self.run_state.open_writes > 0:
                self.during_open_write += 1
            time.sleep(SLOW_PAUSE * self.rng.random())

        rows = self.session.portal_scan(pause, chunk=SLOW_CHUNK)
        self.commits_inside += self.run_state.commits - commits
        problems, seen = check_rows(rows, self.floors, before, whole_table=True)
        self.verify(problems, f'scan by a portal, {SLOW_CHUNK} rows per Execute, slowly')
        for rid, ver in seen.items():
            self.floors.mine[rid] = ver
        self.floors.after(seen)

    def snapshot_block(self):
        """A REPEATABLE READ READ ONLY block: two halves of the table by two statements add up,
        and an aggregate repeated later in the block is unchanged."""
        self.kinds['repeatable read block'] = self.kinds.get('repeatable read block', 0) + 1
        if self.run_state.open_writes > 0:
            self.during_open_write += 1
        self.session.run('begin_rr')
        first = self.session.run('agg')
        lo = self.session.run('half_lo')
        time.sleep(self.rng.random() * 0.01)
        hi = self.session.run('half_hi')
        again = self.session.run('agg')
        self.session.run('commit')
        total = int(lo[0][0]) + int(hi[0][0])
        count = int(lo[0][1]) + int(hi[0][1])
        problems = []
        if total != TOTAL or count != ACCOUNTS:
            problems.append(f'two halves read in one snapshot: sum {total}, count {count}')
        if first != again:
            problems.append(f'the aggregate changed inside the block: {first} then {again}')
        self.verify(problems, 'repeatable read block')

    def loop(self):
        while not self.run_state.done():
            if self.style == 'autocommit':
                self.one_check()
            elif self.style == 'slow portal':
                self.slow_portal()
            elif self.style == 'read only block':
                self.session.run('begin_ro')
                for _ in range(self.rng.randint(1, 4)):
                    self.one_check(in_block=True)
                self.session.run(self.rng.choice(['commit', 'rollback']))
            else:
                self.snapshot_block()


# ---------------------------------------------------------------------------------------------
# Writers.

class RunState:
    def __init__(self, seconds):
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.open_writes = 0  # writers holding an uncommitted write in a block
        self.commits = 0  # transfers committed so far (all writers)
        self.failures = []
        self.stop = threading.Event()

    def done(self):
        return self.stop.is_set() or time.monotonic() >= self.deadline

    def fail(self, who, error):
        error = str(error)
        with self.lock:
            self.failures.append(error if error.startswith(who) else f'{who}: {error}')
        self.stop.set()

    def opened(self, delta):
        with self.lock:
            self.open_writes += delta


def debit_credit(a, b, d, doomed=False):
    """The two UPDATEs of a transfer of d from a to b, lower id first (PostgreSQL then takes its
    row locks in one order and two transfers do not deadlock)."""
    tag = ", tag = 'doomed'" if doomed else ''
    debit = f'update accounts set bal = bal - {d}, ver = ver + 1{tag} where id = {a}'
    credit = f'update accounts set bal = bal + {d}, ver = ver + 1{tag} where id = {b}'
    return (debit, credit) if a < b else (credit, debit)


class Writer:
    def __init__(self, port, index, run, shared, break_uncommitted):
        self.name = f'writer {index}'
        self.conn = connect(port)
        # Another connection of this writer's: after a COMMIT is acknowledged, a statement it
        # sends must see that commit (and so must every reader's: the shared floors).
        self.observer = Session(connect(port), extended_protocol=index % 2 == 1)
        self.shared = shared
        self.acked_seen = 0
        self.schema_changes = 0
        self.run_state = run
        self.rng = random.Random(index)
        self.committed = 0
        self.counts = {kind: 0 for kind, _ in WRITE_KINDS}
        self.victims = 0
        self.break_uncommitted = break_uncommitted
        self.broken_checks = 0

    def close(self):
        self.conn.close()
        self.observer.close()

    def expect_ok(self, sql):
        rows, error, status = simple(self.conn, sql)
        if error and error.get('C') in (DEADLOCK, SERIALIZATION):
            return error
        expect(error is None, f'{self.name}: {sql!r} failed: {error}')
        return None

    def expect_error(self, sql, code):
        _, error, _ = simple(self.conn, sql)
        if error and error.get('C') in (DEADLOCK, SERIALIZATION):
            return error
        expect(error is not None and error.get('C') == code,
               f'{self.name}: {sql!r} should fail with {code}, got {error}')
        return None

    def pause(self):
        """Sometimes hold the transaction open a moment, so readers run inside the window."""
        if self.rng.random() < 0.3:
            time.sleep(self.rng.random() * 0.003)

    def in_block(self, first, rest, end='commit', before_end=None):
        """BEGIN; first; [pause]; rest...; [before_end()]; end. Returns False when the server
        chose this transaction as a deadlock or serialization victim (it is rolled back)."""
        self.expect_ok('begin')
        victim = self.expect_ok(first)
        if victim is not None:
            self.expect_ok('rollback')
            return False
        # From here until the end of the block this connection holds an uncommitted write.
        self.run_state.opened(1)
        try:
            self.pause()
            if self.break_uncommitted:
                self.check_own_uncommitted_state()
            for sql, code in rest:
                victim = self.expect_ok(sql) if code is None else self.expect_error(sql, code)
                if victim is not None:
                    self.expect_ok('rollback')
                    return False
            if before_end is not None:
                before_end()
            return self.expect_ok(end) is None
        finally:
            self.run_state.opened(-1)

    def check_acknowledged(self, versions):
        """The rows' versions as this transaction left them, now that its COMMIT is
        acknowledged: a statement sent afterwards on another connection sees them or newer."""
        self.shared.raise_to(versions, None)
        for rid, ver in versions.items():
            rows = self.observer.run('point', rid)
            expect(len(rows) == 1 and int(rows[0][2]) >= ver,
                   f'{self.name}: row {rid} committed with ver {ver} (acknowledged), but a '
                   f'statement sent afterwards on another connection saw {rows}')
        self.acked_seen += 1

    def schema_change(self):
        """CREATE TABLE (and a row in it), then DROP TABLE, each acknowledged and then looked at
        from the observer connection: the table is there with its row, then gone (42P01)."""
        table = f'side_{self.name.split()[-1]}'
        if self.expect_ok(f'create table {table} (k int primary key, v text)') is not None:
            return
        self.expect_ok(f"insert into {table} values (1, 'one')")
        rows, error, _ = simple(self.observer.conn, f'select k, v from {table}')
        expect(error is None and rows == [['1', 'one']],
               f'{self.name}: {table} created and filled (acknowledged), but another connection '
               f'then read {rows} {error}')
        self.expect_ok(f'drop table {table}')
        rows, error, _ = simple(self.observer.conn, f'select k from {table}')
        expect(error is not None and error.get('C') == '42P01',
               f'{self.name}: {table} dropped (acknowledged), but another connection then read '
               f'{rows} {error}')
        self.schema_changes += 1

    def check_own_uncommitted_state(self):
        """--break-uncommitted: the readers' aggregate check, run where it can see this
        transaction's uncommitted half transfer. The run must then fail."""
        rows, _, _ = simple(self.conn, Session.STATEMENTS['agg'])
        problems, _ = check_aggregate(rows[0], Floors(), ([0] * (ACCOUNTS + 1), 0))
        self.broken_checks += 1
        if problems:
            raise Failure(f'{self.name} (--break-uncommitted): ' + '; '.join(problems))

    def transfer(self):
        a, b = self.rng.sample(range(1, ACCOUNTS + 1), 2)
        d = self.rng.randint(1, 50)
        kind = self.rng.choices([k for k, _ in WRITE_KINDS], [w for _, w in WRITE_KINDS])[0]
        self.counts[kind] += 1
        first, second = debit_credit(a, b, d)
        bad_first, bad_second = debit_credit(a, b, d, doomed=True)
        single = (f'update accounts set bal = bal + case when id = {a} then -{d} else {d} end, '
                  f'ver = ver + 1 where id in ({a}, {b})')
        committed = False
        if kind == 'block':
            versions = {}

            def read_versions():
                rows, error, _ = simple(
                    self.conn, f'select id, ver from accounts where id in ({a}, {b})')
                expect(error is None and len(rows) == 2, f'{self.name}: versions: {rows} {error}')
                versions.update((int(rid), int(ver)) for rid, ver in rows)

            look = self.rng.random() < 0.4
            committed = self.in_block(first, [(second, None)],
                                      before_end=read_versions if look else None)
            if committed and look:
                self.check_acknowledged(versions)
        elif kind == 'single':
            committed = self.expect_ok(single) is None
        elif kind == 'implicit':
            committed = self.expect_ok(f'{first}; {second}') is None
        elif kind == 'multi':
            committed = self.expect_ok(f'begin; {first}; {second}; commit') is None
        elif kind == 'rollback':
            rest = [(bad_second, None)] if self.rng.random() < 0.5 else []
            self.in_block(bad_first, rest, end='rollback')
        elif kind == 'fail_div':
            hi = max(a, b)
            self.in_block(bad_first, [(f'update accounts set bal = bal + {d} / (ver - ver), '
                                       f'ver = ver + 1 where id = {hi}', '22012')],
                          end='rollback')
        elif kind == 'fail_dup':
            self.in_block(bad_first, [('insert into dup values (1)', '23505')], end='rollback')
        elif kind == 'fail_null':
            self.in_block(bad_first, [(f'update accounts set tag = null where id = {b}', '23502')],
                          end='rollback')
        elif kind == 'single_fail':
            # Whichever row comes first, the higher id fails: the whole statement must vanish.
            lo, hi = min(a, b), max(a, b)
            self.expect_error(
                f'update accounts set bal = bal + case when id = {lo} then -{d} '
                f"else bal / (ver - ver) end, ver = ver + 1, tag = 'doomed' "
                f'where id in ({lo}, {hi})', '22012')
        elif kind == 'checkpoint':
            self.expect_ok('checkpoint')
        elif kind == 'ddl':
            self.schema_change()
        elif kind == 'implicit_fail':
            self.expect_error(f'{bad_first}; update accounts set bal = bal / (ver - ver) '
                              f'where id = {b}', '22012')
        if committed:
            self.committed += 1
            with self.run_state.lock:
                self.run_state.commits += 1
        elif kind in ('block', 'single', 'implicit', 'multi'):
            self.victims += 1

    def loop(self):
        while not self.run_state.done():
            self.transfer()


# ---------------------------------------------------------------------------------------------

def setup(port, args_writers_max):
    conn = connect(port)
    ok(conn, 'drop table if exists accounts')
    ok(conn, 'drop table if exists dup')
    for i in range(args_writers_max):
        ok(conn, f'drop table if exists side_{i}')
    ok(conn, 'create table accounts (id int primary key, bal bigint not null, '
             'ver bigint not null, tag text not null, pad text)')
    ok(conn, 'create table dup (k int primary key)')
    ok(conn, 'insert into dup values (1)')
    values = ', '.join(f"({i}, {START_BALANCE}, 0, 'ok', '{PAD}')"
                       for i in range(1, ACCOUNTS + 1))
    ok(conn, f'insert into accounts values {values}')
    return conn


def negative_control(port):
    """The checks must catch the states they exist to catch: run on a connection that holds
    half a transfer uncommitted, each check must report problems; then nothing is left behind."""
    conn = connect(port)
    session = Session(conn, extended_protocol=False)
    try:
        ok(conn, 'begin')
        first, _ = debit_credit(1, 2, 7, doomed=True)
        ok(conn, first)
        none = ([0] * (ACCOUNTS + 1), 0)
        agg = session.run('agg')
        problems, _ = check_aggregate(agg[0], Floors(), none)
        expect(any('sum(bal)' in p for p in problems) and any('odd' in p for p in problems),
               f'negative control: the aggregate check missed a half transfer: {agg}')
        scan = session.run('scan')
        problems, _ = check_rows(scan, Floors(), none, whole_table=True)
        expect(any('doomed' in p for p in problems) and any('sum(bal)' in p for p in problems),
               'negative control: the scan check missed a half transfer')
        point = session.run('point', 1)
        problems, _ = check_rows(point, Floors(), none, whole_table=False)
        expect(any('doomed' in p for p in problems),
               f'negative control: the point check missed a doomed row: {point}')
        ok(conn, 'rollback')
        stale = Floors()
        stale.mine[1] = 5
        problems, _ = check_rows(session.run('point', 1), stale, none, whole_table=False)
        expect(any('this connection saw' in p for p in problems),
               'negative control: the version check missed a version going back')
        problems, _ = check_rows(session.run('point', 1), Floors(), ([9] * (ACCOUNTS + 1), 0),
                                 whole_table=False)
        expect(any('finished statement' in p for p in problems),
               'negative control: the shared version floor missed a version going back')
        problems, _ = check_aggregate(session.run('agg')[0], Floors(), none)
        expect(not problems, f'negative control: the rolled back state shows: {problems}')
    finally:
        conn.close()


def run_load(port, args):
    run = RunState(args.seconds)
    shared = SharedFloors()
    styles = ['autocommit', 'read only block']
    readers, writers = [], []
    for i in range(args.readers):
        style = styles[(i // 2) % 2]
        if args.snapshot_blocks and i == args.readers - 1:
            style = 'repeatable read block'
        readers.append(Reader(port, i, extended_protocol=(i % 2 == 1), style=style,
                              shared=shared, run=run))
    for i in range(args.slow_portals):
        readers.append(Reader(port, args.readers + i, extended_protocol=True, style='slow portal',
                              shared=shared, run=run))
    for i in range(args.writers):
        writers.append(Writer(port, i, run, shared, args.break_uncommitted))

    def guarded(actor):
        try:
            actor.loop()
        except Failure as e:
            run.fail(actor.name, e)
        except (OSError, pgwire.WireError) as e:
            run.fail(actor.name, f'connection error: {e!r}')
        else:
            return
        # Closing a failed client's connection ends its transaction, so the others finish.
        actor.close()

    threads = [threading.Thread(target=guarded, args=(actor,), daemon=True)
               for actor in writers + readers]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.seconds + 120)
        if t.is_alive():
            run.fail('runner', 'a client thread did not finish two minutes after the deadline '
                               '(a statement hangs)')
            break
    elapsed = time.monotonic() - started
    for actor in writers + readers:
        actor.close()
    return run, readers, writers, elapsed


def final_checks(port, writers, readers, args):
    conn = connect(port)
    try:
        rows = ok(conn, 'select sum(bal), count(*), sum(ver) from accounts')
        total, count, ver_sum = (int(v) for v in rows[0])
        doomed = ok(conn, "select count(*) from accounts where tag <> 'ok'")[0][0]
    finally:
        conn.close()
    committed = sum(w.committed for w in writers)
    expect(total == TOTAL and count == ACCOUNTS,
           f'at the end: sum(bal) = {total}, count = {count}')
    expect(doomed == '0', f'at the end: {doomed} rows tagged doomed')
    expect(ver_sum == 2 * committed,
           f'at the end: sum(ver) = {ver_sum}, but the writers had {committed} transfers '
           'acknowledged (each adds 2)')
    expect(committed >= args.min_commits,
           f'the writers committed only {committed} transfers (want >= {args.min_commits})')
    for reader in readers:
        expect(reader.checks >= args.min_checks,
               f'{reader.name} made only {reader.checks} checks (want >= {args.min_checks})')
    during = sum(r.during_open_write for r in readers)
    expect(during > 0, 'no reader statement was sent while a write transaction was open: the '
                       'test did not overlap readers with writers')
    return committed, during


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--server-arg', action='append', default=[],
                    help='one more sqlrited argument (repeatable), e.g. --point-writers=on')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    ap.add_argument('--seconds', type=float, default=8.0)
    ap.add_argument('--writers', type=int, default=3)
    ap.add_argument('--readers', type=int, default=8)
    ap.add_argument('--slow-portals', type=int, default=1,
                    help='extra readers that scan through a portal a few rows at a time, slowly')
    ap.add_argument('--min-commits', type=int, default=30)
    ap.add_argument('--min-checks', type=int, default=5)
    ap.add_argument('--snapshot-blocks', action='store_true',
                    help='one reader runs REPEATABLE READ READ ONLY blocks (needs snapshots)')
    ap.add_argument('--break-uncommitted', action='store_true',
                    help='writers check their own uncommitted state: the run must fail')
    args = ap.parse_args()

    if args.server == 'sqlrited':
        if not args.sqlrited or not os.path.exists(args.sqlrited):
            print('concurrent_readers: FAIL: no sqlrited binary')
            return 1
        server = servers.Sqlrited(args.sqlrited, extra_args=args.server_arg)
    else:
        reason = servers.Postgres.available(args.pg_bin)
        if reason:
            print(f'concurrent_readers: FAIL: {reason}')
            return 1
        server = servers.Postgres(args.pg_bin)
    try:
        server.start()
        setup(server.port, args.writers).close()
        negative_control(server.port)
        run, readers, writers, elapsed = run_load(server.port, args)
        for w in writers:
            print(f'  {w.name}: {w.committed} committed ({w.acked_seen} then read on another '
                  f'connection), {w.victims} deadlock victims, {w.schema_changes} schema changes '
                  'seen, '
                  + ', '.join(f'{k} {n}' for k, n in w.counts.items() if n))
        for r in readers:
            kinds = ', '.join(f'{k} {n}' for k, n in sorted(r.kinds.items()))
            inside = (f', {r.commits_inside} commits landed inside its scans'
                      if r.style == 'slow portal' else '')
            print(f'  {r.name}: {r.checks} checks ({kinds}), {r.during_open_write} sent while a '
                  f'write transaction was open{inside}')
        if run.failures:
            raise Failure('; '.join(run.failures))
        committed, during = final_checks(server.port, writers, readers, args)
        expect(server.alive(), 'the server died')
        checks = sum(r.checks for r in readers)
        print(f'concurrent_readers: {elapsed:.1f} s, {committed} transfers committed '
              f'({committed / elapsed:.0f}/s), {checks} reader checks ({checks / elapsed:.0f}/s), '
              f'{during} reader statements sent inside an open write transaction')
    except (Failure, servers.ServerError, OSError, pgwire.WireError) as e:
        print(f'concurrent_readers: FAILED: {e}')
        print(server.log())
        return 1
    finally:
        server.cleanup()
    print('concurrent_readers: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
