#!/usr/bin/python3
"""The damage matrix: every file of a data directory times every kind of damage, against sqlrited.

A pristine data directory is built with the real server: databases postgres, db1 and db2 each with
a table of several thousand rows (many leaves, interior levels, a unique index), a table of 15 KB
values (overflow chains) some of whose rows were deleted (a non-empty free list), and an empty
`scratch` table; after a clean stop (a checkpoint) one more transaction per database and a CREATE
DATABASE late (with a table) are committed and the server is killed with SIGKILL, so every
write-ahead log holds a commit. The expected content of every table is computed here, not read
back from the server, for both states: `checkpointed` (before the last transaction) and `final`.

A second pristine directory is that one after a clean start and stop: every log is empty and the
main files alone hold the data, the state in which a lost global file used to make the server
delete a database. The missing, empty, swapped, cut and random-header cases run on both.

Each case copies a pristine directory, damages one file (or swaps two) and then
  1. runs `sqlrited check -D` on one copy: it must exit 1 and name the damaged database or file
     (see CHECK_EXCEPTIONS for the few kinds of damage no check can see), must not hang, and must
     not modify any file;
  2. starts sqlrited on another copy. It may refuse to start (exit status != 0, with a log naming
     the damaged file); otherwise every database is connected to and every table read in full:
     each answer must equal the expected content, or be SQLSTATE XX001 (at connect or in the query)
     for a database whose files were damaged. Only when a database's log (or, for `late`'s very
     existence, the global log) was damaged may the checkpointed state stand in for the final
     one: a lost log loses the commits since the last checkpoint, as in SQLite. Then one insert of
     a 160 KB value per database (it takes every page of the free list) and a second full read;
  3. stops the server with SIGTERM, which must work, and compares the directory's files with the
     list taken before the start: none may be deleted (or replaced by a new one), no database
     file may appear where one was missing, shrink, or be initialised from empty.
Every step is bounded (start, each query, stop, check); a hang is a violation and the server is
then killed. A table of every case's outcome is printed; any violation makes the exit status 1.

Page crafting (leaf chain, overflow chain and free-list cycles) finds pages by their layout
(docs/file-format.md: node header, leaf cells, overflow and free pages) rather than through the
header's fields, and only touches pages that no frame of the file's log overrides. Pages carry no
checksum the crafting would have to recompute today; if a per-page checksum is added, a crafted
page fails it and the case gives XX001 from the checksum instead of from the bounded walk, which
this test accepts equally.

Exit 0 on success, 1 on any violation or when the server binary is missing.
"""

import argparse
import concurrent.futures
import hashlib
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgwire  # noqa: E402
import servers  # noqa: E402

PAGE = 4096
FRAME = 24 + PAGE  # WAL frame header + page (docs/file-format.md, "Write-ahead log")
START_TIMEOUT = 20.0
QUERY_TIMEOUT = 15.0
CHECK_TIMEOUT = 30.0
SEED = 20261202
KEEP = False  # --keep: leave every case's directories (and server log) for a post-mortem

# Rows per database: (wide rows, big rows). db1 and db2 are large enough that `wide` has interior
# levels; postgres is smaller but still has several leaves, overflow chains and free pages.
SIZES = {'postgres': (600, 15), 'db1': (3000, 24), 'db2': (3000, 24)}
OIDS = {'postgres': 16384, 'db1': 16385, 'db2': 16386, 'late': 16387}
DATABASES = ['postgres', 'db1', 'db2', 'late']
PHASE2_WIDE = 60     # rows the last transaction inserts into wide
PHASE2_UPDATED = range(10, 20)
PHASE2_DELETED = range(30, 35)
PHASE2_BIG = 2

# Kinds of damage that no check can tell from a clean history, so `check` may pass them. Each is
# what a crash leaves: a log cut at a frame boundary or in the middle of a frame, or a frame whose
# bytes do not verify, ends the verified prefix exactly as a torn write at a power cut does; and a
# log that is missing or empty is indistinguishable from a directory whose last checkpoint emptied
# it. In every one of them the server must still serve the checkpointed or the final state.
CHECK_EXCEPTIONS = {
    'wal-missing': 'a missing log looks like one emptied by the last checkpoint',
    'wal-empty': 'an empty log looks like one emptied by the last checkpoint',
    'wal-truncated': 'a log cut at a frame boundary is what a crash before the commit leaves',
    'wal-torn': 'a log cut inside a frame is a torn write at a crash',
    'wal-random': 'a frame that fails its checksum ends the verified prefix, as a torn write does',
    'random-header-logged': 'the log holds a newer copy of page 0, which recovery writes over the '
                            'damaged one',
}


class Violation(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# The expected content, computed from the same generators that feed the server.

def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def wide_row(db, i, version=0):
    head = f'wide:{db}:{i}:v{version}:'
    return [str(i), f'{db}-{i:06d}', (head + sha(head) * 4)[:200]]


def big_row(db, i):
    head = f'big:{db}:{i}:'
    return [str(i), head + ''.join(sha(f'{db}/{i}/{j}') for j in range(235))]


def sql_text(value):
    return "'" + value.replace("'", "''") + "'"


def late_rows():
    return [[str(i), f'late:{i}'] for i in (1, 2, 3)]


def model():
    """{db: {'checkpointed': {table: rows or None}, 'final': {...}}}; None: the table must not
    exist (42P01)."""
    states = {}
    for db, (n_wide, n_big) in SIZES.items():
        wide = {i: wide_row(db, i) for i in range(1, n_wide + 1)}
        big = {i: big_row(db, i) for i in range(1, n_big + 1) if i % 3 != 0}
        ckpt = {'wide': [wide[i] for i in sorted(wide)], 'big': [big[i] for i in sorted(big)],
                'scratch': []}
        for i in range(n_wide + 1, n_wide + PHASE2_WIDE + 1):
            wide[i] = wide_row(db, i)
        for i in PHASE2_UPDATED:
            wide[i] = wide_row(db, i, 1)
        for i in PHASE2_DELETED:
            del wide[i]
        for i in range(n_big + 1, n_big + PHASE2_BIG + 1):
            big[i] = big_row(db, i)
        final = {'wide': [wide[i] for i in sorted(wide)], 'big': [big[i] for i in sorted(big)],
                 'scratch': []}
        states[db] = {'checkpointed': ckpt, 'final': final}
    states['late'] = {'checkpointed': {'t': None}, 'final': {'t': late_rows()}}
    return states


def queries(db):
    """(table, sql, row filter) per check; the filter picks the expected rows of that table."""
    if db == 'late':
        return [('t', 'select id, v from t order by id', None)]
    point = [7, 12]  # one row as loaded, one the last transaction updated
    out = [('wide', 'select id, code, payload from wide order by id', None)]
    for i in point:
        out.append(('wide', f"select id, code, payload from wide where code = '{db}-{i:06d}'",
                    lambda rows, i=i: [r for r in rows if r[0] == str(i)]))
    out.append(('big', 'select id, body from big order by id', None))
    out.append(('scratch', 'select id, body from scratch order by id', None))
    return out


def scratch_row(db):
    """The row each case inserts: 40 overflow pages, more than any free list here holds, so the
    allocation walks every free-list link (a crafted cycle included) and then grows the file."""
    head = f'scratch:{db}:'
    return ['1', head + ''.join(sha(f'{db}/scratch/{j}') for j in range(40 * PAGE // 64))]


# ---------------------------------------------------------------------------------------------
# Talking to the server.

class Client:
    """One connection: startup and simple queries returning (rows, error fields)."""

    def __init__(self, port, db, timeout=QUERY_TIMEOUT):
        self.conn = pgwire.Connection(port, timeout=timeout)
        self.conn.send(pgwire.startup_packet('postgres', db))
        self.startup_error = None
        messages = self.conn.read_until_ready()
        for kind, payload in messages:
            if kind == b'E':
                self.startup_error = pgwire.parse_error_fields(payload)
        if self.startup_error is None and (not messages or messages[-1][0] != b'Z'):
            raise pgwire.WireError('connection closed during startup')

    def query(self, sql):
        self.conn.send(pgwire.query_message(sql))
        rows, error, done = [], None, False
        for kind, payload in self.conn.read_until_ready():
            if kind == b'D':
                # Damaged text that is not UTF-8 compares unequal instead of raising.
                rows.append(pgwire.decode_data_row(payload, errors='surrogateescape'))
            elif kind == b'E':
                error = pgwire.parse_error_fields(payload)
            elif kind == b'Z':
                done = True
        if not done:
            raise pgwire.WireError('connection closed during a query')
        return rows, error

    def close(self):
        try:
            self.conn.send(pgwire.message(b'X'))
        except OSError:
            pass
        self.conn.close()


def connect(port, db, deadline):
    """A Client, retrying a refused TCP connection until deadline (the port is in postmaster.pid
    once it listens, but be lenient)."""
    while True:
        try:
            return Client(port, db)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Server(servers.Sqlrited):
    """sqlrited on a given data directory; start() does not require any database to work."""

    def __init__(self, binary, data_dir):
        super().__init__(binary)
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = os.path.dirname(data_dir)
        self.data_dir = data_dir
        self.log_path = data_dir + '.log'

    def start_bounded(self):
        """Returns 'up', ('exited', status) or 'hung' (then the server has been killed)."""
        log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                status = self.proc.returncode
                self.proc = None
                return ('exited', status)
            lines = servers.read_pid_file(self.data_dir)
            if len(lines) > 3 and lines[0].strip() == str(self.proc.pid) and lines[3].strip():
                self.port = int(lines[3])
                return 'up'
            time.sleep(0.02)
        self.proc.kill()
        self.proc.wait()
        self.proc = None
        return 'hung'

    def cleanup(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def run_sql(port, db, statements):
    client = connect(port, db, time.monotonic() + 5)
    try:
        if client.startup_error:
            raise Violation(f'setup: cannot connect to {db}: {client.startup_error}')
        for sql in statements:
            _, error = client.query(sql)
            if error:
                raise Violation(f'setup: {sql[:80]!r} in {db} failed: {error}')
    finally:
        client.close()


# ---------------------------------------------------------------------------------------------
# Building the pristine directory.

def phase1_sql(db):
    n_wide, n_big = SIZES[db]
    out = ['create table wide (id int primary key, code text unique, payload text)',
           'create table big (id int primary key, body text)',
           'create table scratch (id int primary key, body text)', 'begin']
    rows = [wide_row(db, i) for i in range(1, n_wide + 1)]
    for at in range(0, len(rows), 250):
        values = ', '.join(f'({r[0]}, {sql_text(r[1])}, {sql_text(r[2])})'
                           for r in rows[at:at + 250])
        out.append(f'insert into wide values {values}')
    out.append('commit')
    for i in range(1, n_big + 1):
        r = big_row(db, i)
        out.append(f'insert into big values ({r[0]}, {sql_text(r[1])})')
    out.append('delete from big where id % 3 = 0')
    return out


def phase2_sql(db):
    n_wide, n_big = SIZES[db]
    out = ['begin']
    rows = [wide_row(db, i) for i in range(n_wide + 1, n_wide + PHASE2_WIDE + 1)]
    out.append('insert into wide values ' + ', '.join(
        f'({r[0]}, {sql_text(r[1])}, {sql_text(r[2])})' for r in rows))
    for i in PHASE2_UPDATED:
        out.append(f'update wide set payload = {sql_text(wide_row(db, i, 1)[2])} where id = {i}')
    out.append(f'delete from wide where id between {PHASE2_DELETED[0]} and {PHASE2_DELETED[-1]}')
    for i in range(n_big + 1, n_big + PHASE2_BIG + 1):
        r = big_row(db, i)
        out.append(f'insert into big values ({r[0]}, {sql_text(r[1])})')
    out.append('commit')
    return out


def read_state(port, db, states):
    """Which of the model's states db shows, or raises Violation."""
    client = connect(port, db, time.monotonic() + 5)
    try:
        if client.startup_error:
            raise Violation(f'setup: cannot connect to {db}: {client.startup_error}')
        matching = set(states[db])
        for table, sql, pick in queries(db):
            rows, error = client.query(sql)
            for name in list(matching):
                want = states[db][name][table]
                if want is None:
                    ok = error is not None and error.get('C') == '42P01'
                else:
                    ok = error is None and rows == (pick(want) if pick else want)
                if not ok:
                    matching.discard(name)
        return matching
    finally:
        client.close()


def build_pristine(binary, root, states):
    data = os.path.join(root, 'pristine')
    server = Server(binary, data)
    try:
        if server.start_bounded() != 'up':
            raise Violation('setup: sqlrited did not start on a new data directory:\n'
                            + server.log())
        run_sql(server.port, 'postgres', ['create database db1', 'create database db2'])
        for db in SIZES:
            run_sql(server.port, db, phase1_sql(db))
            if read_state(server.port, db, states) != {'checkpointed'}:
                raise Violation(f'setup: {db} does not hold what was loaded')
        if server.stop() != 0:
            raise Violation('setup: sqlrited did not stop cleanly:\n' + server.log())
        if server.start_bounded() != 'up':
            raise Violation('setup: sqlrited did not restart:\n' + server.log())
        for db in SIZES:
            run_sql(server.port, db, phase2_sql(db))
        run_sql(server.port, 'postgres', ['create database late'])
        run_sql(server.port, 'late', ['begin', 'create table t (id int primary key, v text)',
                                      'insert into t values ' + ', '.join(
                                          f'({r[0]}, {sql_text(r[1])})' for r in late_rows()),
                                      'commit'])
        for db in DATABASES:
            if read_state(server.port, db, states) != {'final'}:
                raise Violation(f'setup: {db} does not hold what the last transaction left')
        server.kill()  # no checkpoint: every log keeps its last commit
    finally:
        server.cleanup()
    for f in ['postmaster.pid']:
        if os.path.exists(os.path.join(data, f)):
            os.remove(os.path.join(data, f))
    for rel in data_files():
        if rel.endswith('-wal') and wal_frames(os.path.join(data, rel))[1] == []:
            raise Violation(f'setup: {rel} holds no frame; the matrix needs a commit in every log')
    return data


def build_clean(binary, crashed, root):
    """A copy of the pristine directory after a clean start and stop: recovery and the closing
    checkpoint leave every log without frames."""
    data = os.path.join(root, 'clean')
    shutil.copytree(crashed, data)
    server = Server(binary, data)
    try:
        if server.start_bounded() != 'up':
            raise Violation('setup: sqlrited did not start:\n' + server.log())
        for db in DATABASES:  # a database is opened (and its log recovered) at its first login
            run_sql(server.port, db, ['select 1'])
        if server.stop() != 0:
            raise Violation('setup: sqlrited did not stop cleanly:\n' + server.log())
    finally:
        server.cleanup()
    os.remove(data + '.log')
    for rel in data_files():
        if rel.endswith('-wal') and wal_frames(os.path.join(data, rel))[1]:
            raise Violation(f'setup: {rel} still holds frames after a clean stop')
    return data


# ---------------------------------------------------------------------------------------------
# The on-disk format, as far as the crafting needs it (docs/file-format.md).

def data_files():
    out = ['global.sqlrite', 'global.sqlrite-wal']
    for db in DATABASES:
        out += [f'base/{OIDS[db]}.sqlrite', f'base/{OIDS[db]}.sqlrite-wal']
    return out


def owner_of(rel):
    """The database a file belongs to, or 'global'."""
    for db, oid in OIDS.items():
        if f'/{oid}.' in rel:
            return db
    return 'global'


def u16(b, o):
    return struct.unpack_from('<H', b, o)[0]


def u32(b, o):
    return struct.unpack_from('<I', b, o)[0]


def wal_frames(path):
    """(header size, [page id of each whole frame]). The header size is what is left over once
    whole frames are counted, so a longer log header needs no change here."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return 0, []
    if size < FRAME:
        return size, []
    header = size % FRAME
    with open(path, 'rb') as f:
        data = f.read()
    return header, [u32(data, header + i * FRAME) for i in range((size - header) // FRAME)]


def leaf_cells(page):
    """[(cell offset, key length, value length, local length, first overflow page or 0)] when
    page has the layout of a leaf, else None."""
    # Only the kind byte and the cell layout are trusted: the reserved header bytes may gain a
    # use, and a page of another kind almost never also has strictly ascending keys.
    if page[0] != 1:
        return None
    n, start = u16(page, 2), u16(page, 4)
    if 16 + 2 * n > start or start > PAGE:
        return None
    cells, last_key = [], None
    for i in range(n):
        off = u16(page, 16 + 2 * i)
        if off < start or off + 6 > PAGE:
            return None
        k, v = u16(page, off), u32(page, off + 2)
        if k > 1024:
            return None
        local = v if 6 + k + v <= 1100 else 1100 - 10 - k
        end = off + 6 + k + local + (4 if local < v else 0)
        if end > PAGE:
            return None
        key = page[off + 6:off + 6 + k]
        if last_key is not None and key <= last_key:
            return None
        last_key = key
        overflow = u32(page, off + 6 + k + local) if local < v else 0
        cells.append((off, k, v, local, overflow))
    return cells


def is_free_page(page):
    # A free page is its next link and zeros; the last 8 bytes are left out so that a page
    # checksum there, if the format gains one, does not hide free pages.
    return page[4:PAGE - 8] == bytes(PAGE - 12)


class FileView:
    """A database file's pages, with the pages its log overrides set aside."""

    def __init__(self, data_dir, rel):
        self.path = os.path.join(data_dir, rel)
        with open(self.path, 'rb') as f:
            self.data = f.read()
        self.count = len(self.data) // PAGE
        self.in_wal = set(wal_frames(self.path + '-wal')[1])

    def page(self, n):
        return self.data[n * PAGE:(n + 1) * PAGE]

    def stable(self, n):
        return n not in self.in_wal

    def leaves(self, marker):
        """{page id: cells} of leaves holding marker (a table's rows), main-file view."""
        out = {}
        for n in range(1, self.count):
            p = self.page(n)
            cells = leaf_cells(p)
            if cells and marker in p:
                out[n] = cells
        return out


def write_u32(path, page, offset, value):
    with open(path, 'r+b') as f:
        f.seek(page * PAGE + offset)
        f.write(struct.pack('<I', value))


def chain_order(nexts):
    """Pages of a singly linked chain {page: next} in link order, from the one nobody points at."""
    targets = set(nexts.values())
    heads = [p for p in nexts if p not in targets]
    if not heads:
        return []
    order, p = [], heads[0]
    while p in nexts and p not in order:
        order.append(p)
        p = nexts[p]
    return order


# ---------------------------------------------------------------------------------------------
# The kinds of damage. Each plan function returns the damage as a closure over the data dir, or
# the reason it does not apply to that file.

def plan_cases(pristine):
    rng = random.Random(SEED)
    cases = [('pristine', 'none', None, lambda d: None, set(), 'crashed'),
             ('clean: pristine', 'none', None, lambda d: None, set(), 'clean')]

    def add(kind, rel, detail, fn, touched=None, base='crashed'):
        prefix = 'clean: ' if base == 'clean' else ''
        cases.append((prefix + f'{rel} {kind}' + (f' {detail}' if detail else ''), kind, rel, fn,
                      touched or {rel}, base))

    def swap_with(rel):
        owner = owner_of(rel)
        partner = {'global': 'postgres', 'postgres': 'db1', 'db1': 'db2', 'db2': 'db1',
                   'late': 'db1'}[owner]
        suffix = '-wal' if rel.endswith('-wal') else ''
        if rel.startswith('global') and suffix:
            other = f'base/{OIDS["postgres"]}.sqlrite-wal'
        elif rel.startswith('global'):
            other = f'base/{OIDS["postgres"]}.sqlrite'
        else:
            other = f'base/{OIDS[partner]}.sqlrite{suffix}'
        return other

    def do_swap(a, b):
        def fn(d):
            pa, pb, tmp = os.path.join(d, a), os.path.join(d, b), os.path.join(d, 'swap.tmp')
            os.rename(pa, tmp)
            os.rename(pb, pa)
            os.rename(tmp, pb)
        return fn

    def truncate(rel, size):
        return lambda d: os.truncate(os.path.join(d, rel), size)

    def overwrite(rel, offset, data):
        def fn(d):
            with open(os.path.join(d, rel), 'r+b') as f:
                f.seek(offset)
                f.write(data)
        return fn

    def set_link(rel, page, offset, value):
        return lambda d: write_u32(os.path.join(d, rel), page, offset, value)

    # After a clean stop (every log emptied by the checkpoint) the main files alone hold the data:
    # the state in which a lost or empty file used to be taken for a new database.
    for rel in data_files():
        if rel.endswith('-wal'):
            continue
        add('missing', rel, '', lambda d, rel=rel: os.remove(os.path.join(d, rel)), base='clean')
        add('empty', rel, '', truncate(rel, 0), base='clean')
        other = swap_with(rel)
        add('swapped', rel, f'with {other}', do_swap(rel, other), {rel, other}, base='clean')
        add('truncated', rel, 'to 1 page', truncate(rel, PAGE), base='clean')
        add('random-header', rel, 'page 0', overwrite(rel, 0, rng.randbytes(PAGE)), base='clean')

    for rel in data_files():
        path = os.path.join(pristine, rel)
        owner = owner_of(rel)
        wal = 'wal-' if rel.endswith('-wal') else ''
        add(wal + 'missing', rel, '', lambda d, rel=rel: os.remove(os.path.join(d, rel)))
        add(wal + 'empty', rel, '', truncate(rel, 0))
        other = swap_with(rel)
        add('swapped', rel, f'with {other}', do_swap(rel, other), {rel, other})
        if rel.endswith('-wal'):
            header, frames = wal_frames(path)
            n = len(frames)
            for keep in sorted({0, n // 2, n - 1}):
                add('wal-truncated', rel, f'to {keep} of {n} frames',
                    truncate(rel, header + keep * FRAME))
            add('wal-torn', rel, f'inside frame {n - 1}', truncate(rel, header + n * FRAME - 1000))
            f = rng.randrange(n)
            add('wal-random', rel, f'frame {f}',
                overwrite(rel, header + f * FRAME + 24 + rng.randrange(PAGE - 256),
                          rng.randbytes(256)))
            continue
        view = FileView(pristine, rel)
        stable = [p for p in range(1, view.count) if view.stable(p)]
        # Truncation at page boundaries, each cut dropping at least one page the log cannot
        # restore (else recovery repairs it and there is no damage left to see).
        cuts = sorted({c for c in (1, view.count // 2, view.count - 1)
                       if 1 <= c < view.count and any(p >= c for p in stable)})
        for cut in cuts:
            add('truncated', rel, f'to {cut} of {view.count} pages', truncate(rel, cut * PAGE))
        # When the log holds a newer header, recovery writes it over the damaged one.
        add('random-header' if view.stable(0) else 'random-header-logged', rel, 'page 0',
            overwrite(rel, 0, rng.randbytes(PAGE)))
        for p in sorted(rng.sample(stable, min(2, len(stable)))):
            add('random-page', rel, f'page {p}', overwrite(rel, p * PAGE, rng.randbytes(PAGE)))
        if owner in SIZES:
            wide = {p: c for p, c in view.leaves(f'wide:{owner}:'.encode()).items()
                    if view.stable(p)}
            # A few bytes of one row's text flipped: only a page checksum can see this.
            p = sorted(wide)[len(wide) // 2]
            off, k, _, local, _ = wide[p][len(wide[p]) // 2]
            at = p * PAGE + off + 6 + k + local - 40
            flipped = bytes(b ^ 0x5a for b in view.data[at:at + 16])
            add('flipped-bytes', rel, f'in a row of page {p}', overwrite(rel, at, flipped))
            nexts = {p: u32(view.page(p), 8) for p in view.leaves(f'wide:{owner}:'.encode())}
            order = chain_order(nexts)
            inner = [p for p in order[1:-1] if view.stable(p)]
            if inner:
                p = inner[len(inner) // 2]
                add('leaf-cycle', rel, f'page {p} links to itself', set_link(rel, p, 8, p))
                q = inner[-1]
                add('leaf-cycle', rel, f'page {q} links back to the first leaf {order[0]}',
                    set_link(rel, q, 8, order[0]))
            chains = []
            for p, cells in view.leaves(f'big:{owner}:'.encode()).items():
                for cell in cells:
                    chain, o = [], cell[4]
                    while o and len(chain) < 16:
                        chain.append(o)
                        o = u32(view.page(o), 0)
                    if len(chain) >= 3 and view.stable(p) and all(map(view.stable, chain)):
                        chains.append(chain)
            if chains:
                chain = chains[0]
                add('overflow-cycle', rel, f'page {chain[0]} links to itself',
                    set_link(rel, chain[0], 0, chain[0]))
                add('overflow-cycle', rel, f'page {chain[2]} links back to {chain[0]}',
                    set_link(rel, chain[2], 0, chain[0]))
            free = {p: u32(view.page(p), 0) for p in stable if is_free_page(view.page(p))}
            linked = [p for p, n in free.items() if n in free]
            tails = [p for p, n in free.items() if n == 0]
            order = chain_order(free)
            if len(free) >= 40:
                raise Violation(f'setup: {rel} has {len(free)} free pages; scratch_row must '
                                'outgrow the free list')
            if linked and tails and order:
                add('free-cycle', rel, f'page {linked[0]} links to itself',
                    set_link(rel, linked[0], 0, linked[0]))
                add('free-cycle', rel, f'last page {tails[0]} links back to {order[0]}',
                    set_link(rel, tails[0], 0, order[0]))
            else:
                raise Violation(f'setup: no free pages outside the log in {rel} '
                                f'({len(free)} free): the load must free more pages')
        else:
            why = ('its trees are one leaf each, with no overflow values and no free pages'
                   if owner == 'global' else 'its one table lives in the log')
            cases.append((f'{rel} cycles', 'n/a', rel, None, why, None))
    # The crafting reads pages by their documented layout; if that layout changes, fail here
    # rather than quietly run fewer cases.
    for db in SIZES:
        rel = f'base/{OIDS[db]}.sqlrite'
        wanted = {'flipped-bytes': 1, 'leaf-cycle': 2, 'overflow-cycle': 2, 'free-cycle': 2}
        for kind, count in wanted.items():
            if sum(1 for c in cases if c[2] == rel and c[1] == kind) < count:
                raise Violation(f'setup: found no pages for {kind} in {rel}; has the page '
                                'layout in docs/file-format.md changed? (see leaf_cells, '
                                'is_free_page)')
    return cases


# ---------------------------------------------------------------------------------------------
# Running one case.

def snapshot(data_dir, with_hash=False):
    out = {}
    for dirpath, _, names in os.walk(data_dir):
        for name in names:
            if name in ('postmaster.pid', 'sqlrite.lock'):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, data_dir)
            st = os.stat(path)
            if with_hash:
                with open(path, 'rb') as f:
                    out[rel] = (st.st_size, hashlib.sha1(f.read()).hexdigest())
            else:
                out[rel] = (st.st_size, st.st_ino)
    return out


def names_for(rels):
    """Words a message about these files may use: file names, oids, database names."""
    words = set()
    for rel in rels:
        owner = owner_of(rel)
        words.add(os.path.basename(rel).replace('-wal', ''))
        words.add(owner if owner == 'global' else f'"{owner}"')
        if owner in OIDS:
            words.add(str(OIDS[owner]))
    return words


def run_check(binary, data_dir, case_kind, touched):
    """(outcome, violations)."""
    before = snapshot(data_dir, with_hash=True)
    violations = []
    try:
        result = subprocess.run([binary, 'check', '-D', data_dir], stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=CHECK_TIMEOUT)
    except subprocess.TimeoutExpired:
        return 'HANG', [f'check did not finish in {CHECK_TIMEOUT:.0f} s']
    report = result.stdout + result.stderr
    after = snapshot(data_dir, with_hash=True)
    changed = sorted(set(before) ^ set(after) | {r for r in before if r in after and
                                                   before[r] != after[r]})
    if changed:
        violations.append('check modified ' + ', '.join(changed))
    code = result.returncode
    summary = report.strip().split('\n')
    summary = [line for line in summary if line and not line.endswith(': ok')
               and ': ok (' not in line and not line.startswith('check ')]
    detail = summary[0][:100] if summary else ''
    if case_kind == 'none':
        if code != 0:
            violations.append(f'check fails the pristine directory ({code}): {report[-300:]}')
        return 'pass' if code == 0 else f'exit {code}', violations
    if code not in (0, 1):
        violations.append(f'check exited with {code} (crash?): {report[-300:]}')
        return f'exit {code}', violations
    if code == 0:
        if case_kind in CHECK_EXCEPTIONS:
            return 'pass (excepted)', violations
        violations.append('check passed a damaged directory')
        return 'PASS', violations
    if not any(w in line for line in summary for w in names_for(touched)):
        violations.append(f'check fails but names none of {sorted(names_for(touched))}: '
                          f'{report[-300:]}')
    return '1: ' + detail, violations


def describe_difference(rows, want):
    if len(rows) != len(want):
        return f'{len(rows)} rows instead of {len(want)}'
    for got, exp in zip(rows, want):
        if got != exp:
            return (f'row {exp[0]} differs: got {str(got)[:60]}... instead of '
                    f'{str(exp)[:60]}...')
    return 'differs'


def verify_db(port, db, states, touched, global_touched, wal_touched, deadline_start):
    """(outcome, violations) for one database on a running server."""
    allowed = ['final']
    if db in wal_touched:
        allowed.append('checkpointed')
    may_fail = db in touched or global_touched
    violations = []
    try:
        client = connect(port, db, deadline_start)
    except (OSError, pgwire.WireError) as e:
        return 'NO CONNECT', [f'{db}: connection failed: {e}']
    try:
        if client.startup_error:
            code = client.startup_error.get('C')
            msg = client.startup_error.get('M', '')
            if code == 'XX001' and may_fail:
                return 'XX001@connect', []
            if code == '3D000' and db == 'late' and 'global' in wal_touched:
                return 'absent', []
            return f'{code}@connect', [f'{db}: connect refused with {code}: {msg}']

        def read(extra_scratch):
            """Names of the states every answer fits, 'XX001' or raises Violation."""
            matching = list(allowed)
            for table, sql, pick in queries(db):
                rows, error = client.query(sql)
                if error:
                    code = error.get('C')
                    if code == 'XX001' and may_fail:
                        return 'XX001'
                    if code == '42P01':
                        matching = [s for s in matching if states[db][s][table] is None]
                        if matching:
                            continue
                    raise Violation(f'{db}: {sql[:60]!r} failed with {code}: '
                                    f'{error.get("M", "")}')
                fits = []
                for s in matching:
                    want = states[db][s][table]
                    if want is None:
                        continue
                    if table == 'scratch' and extra_scratch:
                        want = want + [scratch_row(db)]
                    if rows == (pick(want) if pick else want):
                        fits.append(s)
                if not fits:
                    want = states[db][matching[0]][table] or []
                    want = pick(want) if pick else want
                    if table == 'scratch' and extra_scratch:
                        want = want + [scratch_row(db)]
                    raise Violation(f'{db}: {sql[:60]!r} ({"/".join(matching)}): '
                                    + describe_difference(rows, want))
                matching = fits
            return '/'.join(matching)

        first = read(False)
        if first == 'XX001' or db == 'late':
            return ('XX001@query' if first == 'XX001' else first), []
        r = scratch_row(db)
        _, error = client.query(f'insert into scratch values ({r[0]}, {sql_text(r[1])})')
        if error:
            if error.get('C') == 'XX001' and may_fail:
                return first + ', XX001@insert', []
            raise Violation(f'{db}: the insert failed with {error.get("C")}: {error.get("M")}')
        second = read(True)
        return (first if second == first else f'{first} then {second}'), violations
    except Violation as v:
        return 'WRONG', [str(v)]
    except socket.timeout:
        return 'HANG', [f'{db}: no answer in {QUERY_TIMEOUT:.0f} s']
    except (OSError, pgwire.WireError, struct.error) as e:
        return 'DIED', [f'{db}: connection lost: {e!r}']
    finally:
        client.close()


def run_case(binary, workdir, pristine, states, case):
    try:
        return run_case_unguarded(binary, workdir, pristine[case[5]] if case[5] else None,
                                  states, case)
    except Exception as e:  # noqa: BLE001 -- one case's surprise must not hide the others
        return {'name': case[0], 'start': '?', 'dbs': {}, 'check': '', 'note': '',
                'violations': [f'the test itself failed: {e!r}'], 'seconds': 0.0}


def run_case_unguarded(binary, workdir, pristine, states, case):
    name, kind, rel, damage, touched, _ = case
    if damage is None:
        return {'name': name, 'start': 'n/a', 'dbs': {}, 'check': '', 'violations': [],
                'note': touched, 'seconds': 0.0}
    began = time.monotonic()
    # A neutral name: the directory's path appears in messages that must name the damaged file.
    case_dir = tempfile.mkdtemp(prefix='case-', dir=workdir)
    with open(os.path.join(case_dir, 'CASE'), 'w', encoding='utf-8') as f:
        f.write(name + '\n')
    check_dir = os.path.join(case_dir, 'check')
    data_dir = os.path.join(case_dir, 'data')
    shutil.copytree(pristine, check_dir)
    damage(check_dir)
    shutil.copytree(check_dir, data_dir)
    global_touched = any(t.startswith('global') for t in touched)
    wal_touched = {owner_of(t) for t in touched if t.endswith('-wal')}
    # A damaged global log may lose `late`'s CREATE DATABASE.
    db_touched = {owner_of(t) for t in touched}
    violations = []
    check_outcome, check_violations = run_check(binary, check_dir, kind, touched)
    violations += check_violations

    before = snapshot(data_dir)
    server = Server(binary, data_dir)
    dbs = {}
    try:
        started = server.start_bounded()
        if started == 'hung':
            start = 'HANG'
            violations.append(f'no port in postmaster.pid after {START_TIMEOUT:.0f} s')
        elif started != 'up':
            status = started[1]
            log = server.log()
            start = f'refused ({status})'
            if kind == 'none' or status == 0:
                violations.append(f'server exited with {status} at start: {log[-300:]}')
            elif not any(w in log for w in names_for(touched)):
                violations.append(f'server refused to start without naming '
                                  f'{sorted(names_for(touched))}: {log[-300:]}')
        else:
            start = 'up'
            deadline = time.monotonic() + 5
            for db in DATABASES:
                outcome, v = verify_db(server.port, db, states, db_touched, global_touched,
                                       wal_touched, deadline)
                dbs[db] = outcome
                violations += v
                if not server.alive():
                    violations.append(f'the server died: {server.log()[-300:]}')
                    break
                if outcome == 'HANG':
                    # The rest would only wait as long again; what matters is whether the hung
                    # statement holds up everyone else.
                    if not pgwire.can_query(server.port, timeout=3.0):
                        violations.append('a fresh login and select 1 got no answer in 3 s '
                                          'while the statement hung')
                    break
            try:
                status = server.stop()
                if status not in (0, 1) and status is not None:
                    violations.append(f'the server exited with {status} at SIGTERM')
            except servers.ServerError as e:
                violations.append(str(e))
                start = 'up, SIGTERM ignored'
    finally:
        server.cleanup()
    after = snapshot(data_dir)
    for f in sorted(before):
        if f not in after:
            violations.append(f'{f} was deleted')
        elif f.endswith('.sqlrite') and after[f][1] != before[f][1]:
            violations.append(f'{f} was deleted and created anew')
        elif f.endswith('.sqlrite') and before[f][0] == 0 and after[f][0] > 0:
            violations.append(f'the empty {f} was initialised as a new database')
        elif f.endswith('.sqlrite') and after[f][0] < before[f][0]:
            violations.append(f'{f} shrank from {before[f][0]} to {after[f][0]} bytes')
    for f in sorted(after):
        if f not in before and f.endswith('.sqlrite'):
            violations.append(f'the missing {f} was created anew')
    if not KEEP:
        shutil.rmtree(case_dir, ignore_errors=True)
    return {'name': name, 'start': start, 'dbs': dbs, 'check': check_outcome,
            'violations': violations, 'note': '', 'seconds': time.monotonic() - began}


def print_table(results):
    cols = ['case', 'start'] + DATABASES + ['check', 's', 'ok']
    rows = []
    for r in results:
        ok = 'n/a' if r['start'] == 'n/a' else ('ok' if not r['violations'] else 'VIOLATION')
        rows.append([r['name'], r['start'] if r['start'] != 'n/a' else r['note']]
                    + [r['dbs'].get(db, '') for db in DATABASES]
                    + [r['check'][:50], f'{r["seconds"]:.1f}', ok])
    widths = [max(len(str(row[i])) for row in rows + [cols]) for i in range(len(cols))]
    widths[1] = min(widths[1], 40)
    line = lambda row: ' | '.join(str(v)[:widths[i]].ljust(widths[i]) for i, v in enumerate(row))
    print(line(cols))
    print('-+-'.join('-' * w for w in widths))
    for row in rows:
        print(line(row))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sqlrited', required=True)
    parser.add_argument('--jobs', type=int, default=2)
    parser.add_argument('--only', default='', help='run only cases whose name contains this')
    parser.add_argument('--keep', action='store_true',
                        help='keep the work directory and every case directory in it')
    args = parser.parse_args()
    global KEEP
    KEEP = args.keep
    if not os.access(args.sqlrited, os.X_OK):
        print(f'FAIL: sqlrited binary not found: {args.sqlrited}')
        return 1
    began = time.monotonic()
    workdir = tempfile.mkdtemp(prefix='sqlrite-damage-')
    try:
        states = model()
        crashed = build_pristine(args.sqlrited, workdir, states)
        pristine = {'crashed': crashed, 'clean': build_clean(args.sqlrited, crashed, workdir)}
        built = time.monotonic() - began
        cases = [c for c in plan_cases(crashed) if args.only in c[0] or c[1] == 'none']
        print(f'pristine directory built in {built:.1f} s; {len(cases)} cases, {args.jobs} at once',
              flush=True)
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(
                lambda c: run_case(args.sqlrited, workdir, pristine, states, c), cases))
    except Violation as v:
        print(f'FAIL: {v}')
        return 1
    finally:
        if args.keep:
            print(f'work directory kept: {workdir}')
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print_table(results)
    bad = [r for r in results if r['violations']]
    run = [r for r in results if r['start'] != 'n/a']
    print()
    for r in bad:
        print(f'VIOLATION {r["name"]}:')
        for v in r['violations']:
            print(f'  - {v}')
    slowest = max(run, key=lambda r: r['seconds'])
    total = sum(r['seconds'] for r in run)
    print(f'\n{len(run)} cases run, {len(bad)} with violations, '
          f'{len(results) - len(run)} not applicable; {time.monotonic() - began:.1f} s in all, '
          f'{total:.1f} s summed over cases, slowest {slowest["name"]} '
          f'{slowest["seconds"]:.1f} s')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
