"""bench/run's scenarios (--scenarios): what one session's long work costs the others, on sqlrited
and on PostgreSQL 15, with the servers and tables bench/run has set up.

  scan        select-only pgbench in N sessions (8 by default) for a window of W seconds, alone and
              while another session keeps a long full scan running through the whole window: a
              count(*) over pgbench_accounts cross joined with a helper table bench_scan_k, whose
              row count is calibrated on sqlrited so that one scan takes about W seconds (scan
              after scan if it ends sooner; cancelled at the window's end). Reports both TPS and
              their ratio (issue 8 wants at least 0.80).
  rr-hold     read-write pgbench in N sessions for W seconds, alone and while another session
              holds `BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT sum(abalance) ...` open for the
              whole window (COMMIT at its end). Reports both TPS, their ratio, failed transactions
              and the WAL's growth over each window: sqlrited, the size of the database's
              base/*.sqlrite-wal (sampled every 0.1 s: at the window's start, its maximum, its end,
              and after the writers drained); PostgreSQL, pg_current_wal_lsn() at both ends.
  big-select  a table bench_big(id bigint primary key, k int, v text) of R rows loaded by COPY FROM
              STDIN, then `SELECT * FROM bench_big` through psql (output counted and discarded;
              psql buffers the whole result in its own memory, which is not measured) and
              `COPY bench_big TO STDOUT`: the server's peak memory while each runs. sqlrited is
              restarted before each (memory a query freed stays in the process and would be counted
              for the next) and reports its peak RSS (VmHWM) and the RSS before; PostgreSQL (a new
              backend per psql) the peak of the PSS summed over all its processes (sampled every
              50 ms). Issue 8 wants sqlrited under 100 MiB.

TPS in a window is counted from pgbench's per-transaction log: transactions that ended inside the
window over its length, so neither pgbench's connection time nor the tail after the window (writers
released by the COMMIT, readers by the cancel) count. pgbench runs for 1 s of warm-up + W + 1 s and
is killed (and the scenario reported as failed) if it has not ended 60 s after the window.
"""

import glob
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time

WARMUP = 1.0
TAIL = 1.0
GRACE = 60.0


class ScenarioError(Exception):
    pass


def connect(server):
    """A psycopg2 connection in autocommit (statements are sent as written)."""
    import psycopg2  # Debian's python3-psycopg2 (scripts/setup)
    conn = psycopg2.connect(host='127.0.0.1', port=server.port, user='postgres',
                            dbname='postgres', connect_timeout=30)
    conn.autocommit = True
    return conn


def query_one(conn, sql):
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()[0]


class Window:
    """One pgbench run with a measured window; filled by run_window."""

    def __init__(self):
        self.tps = 0.0
        self.committed = 0
        self.failed = 0
        self.p50_ms = None
        self.p99_ms = None
        self.seconds = 0.0
        self.errors = []


def read_log(logdir, t0, t1, window):
    """From pgbench's logs ("client tx latency_us script epoch_s epoch_us" per transaction, at its
    end; a failed one has "failed" or the error's kind in place of its latency): the transactions
    that ended in [t0, t1) give the TPS; the latencies are those of every transaction that ran
    during the window (ended after t0, began before t1), so a transaction held up through the
    window and released after it counts with its whole wait."""
    latencies = []
    for name in os.listdir(logdir):
        with open(os.path.join(logdir, name)) as f:
            for line in f:
                parts = line.split()
                if len(parts) < 6:
                    continue
                end = int(parts[4]) + int(parts[5]) / 1e6
                if not parts[2].isdigit():
                    if t0 <= end < t1:
                        window.failed += 1
                    continue
                latency = int(parts[2])
                if t0 <= end < t1:
                    window.committed += 1
                if end >= t0 and end - latency / 1e6 < t1:
                    latencies.append(latency)
    latencies.sort()
    window.seconds = t1 - t0
    window.tps = window.committed / window.seconds
    if latencies:
        window.p50_ms = latencies[len(latencies) // 2] / 1000.0
        window.p99_ms = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] / 1000.0


def run_window(ctx, server, workload, seconds, start=None, stop=None):
    """Runs pgbench (ctx.clients sessions, ctx.mode) on server; `seconds` after its warm-up, calls
    start(), waits out the window, calls stop(). Returns the Window."""
    window = Window()
    logdir = tempfile.mkdtemp(prefix='log-', dir=ctx.tmp)
    total = int(WARMUP + seconds + TAIL + 0.999)
    cmd = ctx.pgbench_cmd(server, workload, ctx.mode, ctx.clients, total,
                          os.path.join(logdir, 'tx'))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(WARMUP)
        t0 = time.time()
        if start:
            start()
        time.sleep(max(0.0, t0 + seconds - time.time()))
        t1 = time.time()
        if stop:
            stop()
        try:
            out, err = proc.communicate(timeout=seconds + GRACE)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            window.errors.append(f'pgbench still running {seconds + GRACE:.0f} s after the '
                                 f'window: killed')
        if proc.returncode != 0 and not window.errors:
            tail = (err.strip().splitlines() or out.strip().splitlines() or [''])[-1]
            window.errors.append(f'pgbench exit {proc.returncode}: {tail}')
        read_log(logdir, t0, t1, window)
        if window.failed:
            window.errors.append(f'{window.failed} failed transactions in the window')
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(logdir, ignore_errors=True)
    return window


class ScanLoop(threading.Thread):
    """One session running `sql` back to back until stopped; stop() cancels the running one."""

    def __init__(self, server, sql):
        super().__init__(daemon=True)
        self.conn = connect(server)
        self.sql = sql
        self.stopped = threading.Event()
        self.completed = []  # seconds of each scan that ran to its end
        self.cancelled_after = None
        self.errors = []

    def run(self):
        import psycopg2
        while not self.stopped.is_set():
            began = time.monotonic()
            try:
                query_one(self.conn, self.sql)
                self.completed.append(time.monotonic() - began)
            except psycopg2.extensions.QueryCanceledError:
                self.cancelled_after = time.monotonic() - began
                if not self.stopped.is_set():
                    self.errors.append('scan cancelled before the window ended')
                return
            except psycopg2.Error as e:
                self.errors.append(f'scan: {str(e).strip()}')
                return

    def stop(self):
        self.stopped.set()
        deadline = time.monotonic() + GRACE
        # A cancel that arrives between two scans is ignored and the next scan runs on: cancel
        # again until the loop has seen the flag.
        while self.is_alive() and time.monotonic() < deadline:
            self.conn.cancel()
            self.join(1.0)
        if self.is_alive():
            self.errors.append(f'the scan did not stop within {GRACE:.0f} s of its cancel')
        else:
            self.conn.close()


def copy_rows(server, table, rows_iter):
    """COPY table FROM STDIN through psql, streaming the rows (tab-separated text lines)."""
    proc = subprocess.Popen(server.psql_command(f'copy {table} from stdin'),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        for chunk in rows_iter:
            proc.stdin.write(chunk)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    out = proc.stdout.read()
    err = proc.stderr.read()
    if proc.wait() != 0:
        raise ScenarioError(f'{server.name}: copy {table}: exit {proc.returncode}\n{out}{err}')


def scan_sql():
    return 'select count(*) from pgbench_accounts a, bench_scan_k k'


def calibrate_scan(ctx, server, seconds):
    """Rows of bench_scan_k for one scan of about `seconds` on server. A scan costs a pass over
    the accounts plus a part per row of the product, so the table doubles (from 1 row) until a
    scan takes 0.5 s and 4 rows at least, and the last two sizes give the line
    time = fixed + per_row * rows. Leaves the table at that size; returns (rows, per_row)."""
    server.psql('create table bench_scan_k (k int primary key)')
    rows = 1
    copy_rows(server, 'bench_scan_k', ['1\n'])
    conn = connect(server)
    points = []
    try:
        query_one(conn, scan_sql())  # the accounts' pages into the caches
        while True:
            began = time.monotonic()
            query_one(conn, scan_sql())
            points.append((rows, time.monotonic() - began))
            if (points[-1][1] >= 0.5 and rows >= 4) or rows >= 1 << 20:
                break
            copy_rows(server, 'bench_scan_k', [''.join(f'{k}\n' for k in range(rows + 1,
                                                                                2 * rows + 1))])
            rows *= 2
    finally:
        conn.close()
    (r0, t0), (r1, t1) = points[-2], points[-1]
    # On a loaded machine the smaller table's scan can take as long as the larger one's (or
    # longer): a line through the two points then has a slope near zero and asked for ~10^9 rows
    # (a copy that never ended: bench_run_smoke timed out in its calibration at load 14). Such a
    # pair is read as all per-row time, and the target never exceeds 8x what the last scan's
    # proportion gives.
    if t1 > t0:
        per_row = (t1 - t0) / (r1 - r0)
        fixed = max(t1 - per_row * r1, 0.0)
    else:
        per_row, fixed = t1 / r1, 0.0
    proportional = seconds * r1 / t1
    target = max(rows, min(round((seconds - fixed) / per_row), round(8 * proportional)))
    copy_rows(server, 'bench_scan_k', [''.join(f'{k}\n' for k in range(rows + 1, target + 1))])
    return target, fixed, per_row


def scenario_scan(ctx, servers, log):
    ours = servers[0]
    rows, fixed, per_row = calibrate_scan(ctx, ours, ctx.seconds)
    log(f'bench: scan: bench_scan_k of {rows} rows (one scan ~{fixed + rows * per_row:.1f} s on '
        f'{ours.name})')
    for s in servers[1:]:
        s.psql('create table bench_scan_k (k int primary key)')
        copy_rows(s, 'bench_scan_k', [''.join(f'{k}\n' for k in range(1, rows + 1))])
        if s.name == 'postgres':
            s.psql('analyze bench_scan_k')
    results = []
    for s in servers:
        alone = run_window(ctx, s, 'select-only', ctx.seconds)
        log(f'  scan {s.name:9} select-only alone     {alone.tps:10.0f} tps')
        loop = ScanLoop(s, scan_sql())
        busy = run_window(ctx, s, 'select-only', ctx.seconds, start=loop.start, stop=loop.stop)
        busy.errors += loop.errors
        if loop.completed:
            detail = (f'{len(loop.completed)} scan(s) of {statistics.mean(loop.completed):.1f} s '
                      'completed')
        else:
            detail = 'no scan completed'
        if loop.cancelled_after is not None:
            detail += f', the last cancelled after {loop.cancelled_after:.1f} s'
        log(f'  scan {s.name:9} select-only with scan {busy.tps:10.0f} tps  ({detail})')
        results.append({'server': s.name, 'alone': alone, 'busy': busy, 'detail': detail})
        if not s.alive():
            raise ScenarioError(f'{s.name} died')
    return {'rows': rows, 'results': results}


class WalWatch(threading.Thread):
    """sqlrited: samples the size of its databases' logs every 0.1 s (bytes, summed over
    base/*.sqlrite-wal). PostgreSQL: reads pg_current_wal_lsn() when asked."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server = server
        self.stopped = threading.Event()
        self.samples = []  # (time, bytes)
        self.conn = connect(server) if server.name == 'postgres' else None

    def size(self):
        total = 0
        for path in glob.glob(os.path.join(self.server.data_dir(), 'base', '*.sqlrite-wal')):
            try:
                total += os.path.getsize(path)
            except OSError:
                pass
        return total

    def lsn(self):
        return int(query_one(self.conn, "select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')"))

    def run(self):
        if self.conn is not None:
            return
        while not self.stopped.is_set():
            self.samples.append((time.time(), self.size()))
            self.stopped.wait(0.1)

    def finish(self):
        self.stopped.set()
        if self.is_alive():
            self.join()
        if self.conn is not None:
            self.conn.close()


def wal_window(ctx, server, seconds, hold):
    """A read-write window, with the repeatable-read block held open through it when `hold`.
    Returns (Window, WAL figures: a dict of MiB values)."""
    watch = WalWatch(server)
    watch.start()
    marks = {}
    block = {}

    def start():
        marks['t0'] = time.time()
        if watch.conn is not None:
            marks['lsn0'] = watch.lsn()
        if hold:
            block['conn'] = connect(server)
            began = time.monotonic()
            with block['conn'].cursor() as cur:
                cur.execute('begin isolation level repeatable read')
                cur.execute('select sum(abalance) from pgbench_accounts')
                cur.fetchone()
            block['open_s'] = time.monotonic() - began

    def stop():
        marks['t1'] = time.time()
        if watch.conn is not None:
            marks['lsn1'] = watch.lsn()
        if hold:
            began = time.monotonic()
            with block['conn'].cursor() as cur:
                cur.execute('commit')
            block['commit_s'] = time.monotonic() - began
            block['conn'].close()

    try:
        window = run_window(ctx, server, 'read-write', seconds, start=start, stop=stop)
        time.sleep(0.3)
    finally:
        watch.finish()
    mib = 1024.0 * 1024.0
    wal = {}
    if 'lsn0' in marks and 'lsn1' in marks:
        wal['growth_mib'] = (marks['lsn1'] - marks['lsn0']) / mib
        wal['text'] = f"{wal['growth_mib']:.1f} MiB of WAL (pg_current_wal_lsn)"
    elif watch.samples and 't0' in marks and 't1' in marks:
        inside = [b for t, b in watch.samples if marks['t0'] <= t <= marks['t1']] or [0]
        before = [b for t, b in watch.samples if t <= marks['t0']] or [watch.samples[0][1]]
        at_end = [b for t, b in watch.samples if t <= marks['t1']] or [0]
        wal['before_mib'] = before[-1] / mib
        wal['max_mib'] = max(inside) / mib
        wal['end_mib'] = at_end[-1] / mib
        wal['after_mib'] = watch.samples[-1][1] / mib
        wal['growth_mib'] = wal['max_mib'] - wal['before_mib']
        wal['text'] = (f"-wal file {wal['before_mib']:.1f} MiB at the start, max "
                       f"{wal['max_mib']:.1f}, end {wal['end_mib']:.1f}, after "
                       f"{wal['after_mib']:.1f}")
    if hold and 'open_s' in block:
        wal['block'] = (f"BEGIN + SELECT took {block['open_s']:.2f} s, COMMIT "
                        f"{block.get('commit_s', float('nan')):.2f} s")
    return window, wal


def scenario_rr_hold(ctx, servers, log):
    results = []
    for s in servers:
        alone, wal_alone = wal_window(ctx, s, ctx.seconds, hold=False)
        log(f'  rr-hold {s.name:9} read-write alone        {alone.tps:8.0f} tps  '
            f'WAL: {wal_alone.get("text", "?")}')
        held, wal_held = wal_window(ctx, s, ctx.seconds, hold=True)
        log(f'  rr-hold {s.name:9} read-write, block open  {held.tps:8.0f} tps  '
            f'WAL: {wal_held.get("text", "?")}; {wal_held.get("block", "")}'
            + (f'; errors: {"; ".join(held.errors)}' if held.errors else ''))
        results.append({'server': s.name, 'alone': alone, 'busy': held,
                        'wal_alone': wal_alone, 'wal_busy': wal_held})
        if not s.alive():
            raise ScenarioError(f'{s.name} died')
    return {'results': results}


def big_rows(rows, chunk=100000):
    for first in range(1, rows + 1, chunk):
        yield ''.join(f'{i}\t{(i * 7919) % 1000003}\tvalue-{i:012d}-of-bench_big\n'
                      for i in range(first, min(rows, first + chunk - 1) + 1))


def status_kib(pid, field):
    try:
        with open(f'/proc/{pid}/status') as f:
            for line in f:
                if line.startswith(field + ':'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_hwm(pid):
    """VmHWM back to the current RSS (writing 5 to clear_refs, Linux >= 4.0)."""
    try:
        with open(f'/proc/{pid}/clear_refs', 'w') as f:
            f.write('5')
        return True
    except OSError:
        return False


class PeakMemory(threading.Thread):
    """Samples the PSS summed over the server's processes every 50 ms."""

    def __init__(self, server, pss_kib):
        super().__init__(daemon=True)
        self.server = server
        self.pss_kib = pss_kib
        self.stopped = threading.Event()
        self.peak_kib = 0

    def run(self):
        while not self.stopped.is_set():
            self.peak_kib = max(self.peak_kib,
                                sum(self.pss_kib(p) for p in self.server.pids()))
            self.stopped.wait(0.05)

    def finish(self):
        self.stopped.set()
        self.join()


def measure_output(ctx, server, sql, rows):
    """Runs sql through psql with its output counted (lines) and dropped; the server's memory
    meanwhile. Returns a dict of figures."""
    if hasattr(server, 'restart'):
        server.restart()
    reset = reset_hwm(server.pid) if server.name == 'sqlrited' else False
    before_kib = status_kib(server.pid, 'VmRSS')
    sampler = PeakMemory(server, ctx.pss_kib)
    sampler.start()
    began = time.monotonic()
    proc = subprocess.Popen(server.psql_command(sql, tuples=True), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    lines = 0
    try:
        while True:
            chunk = proc.stdout.read(1 << 20)
            if not chunk:
                break
            lines += chunk.count(b'\n')
        err = proc.stderr.read().decode(errors='replace')
        proc.wait(GRACE)
    finally:
        took = time.monotonic() - began
        sampler.finish()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    figures = {'seconds': took, 'pss_peak_mib': sampler.peak_kib / 1024.0,
               'rss_before_mib': before_kib / 1024.0, 'errors': []}
    if reset:
        figures['rss_peak_mib'] = status_kib(server.pid, 'VmHWM') / 1024.0
    if proc.returncode != 0:
        figures['errors'].append(f'psql exit {proc.returncode}: {err.strip()[-300:]}')
    elif lines != rows:
        figures['errors'].append(f'{lines} rows out, {rows} expected')
    return figures


def scenario_big_select(ctx, servers, log):
    rows = ctx.big_rows
    results = []
    for s in servers:
        s.psql('create table bench_big (id bigint primary key, k int, v text)')
        began = time.monotonic()
        copy_rows(s, 'bench_big', big_rows(rows))
        loaded = time.monotonic() - began
        if s.name == 'postgres':
            s.psql('vacuum analyze bench_big')
        s.psql('checkpoint')
        log(f'  big-select {s.name:9} {rows} rows loaded by COPY in {loaded:.1f} s')
        select = measure_output(ctx, s, 'select * from bench_big', rows)
        copy = measure_output(ctx, s, 'copy bench_big to stdout', rows)
        for what, f in (('SELECT *', select), ('COPY TO', copy)):
            peak = (f"peak RSS {f['rss_peak_mib']:.1f} MiB (from {f['rss_before_mib']:.1f}), "
                    if 'rss_peak_mib' in f else '')
            log(f"  big-select {s.name:9} {what:8} {f['seconds']:6.1f} s  {peak}"
                f"peak PSS {f['pss_peak_mib']:.1f} MiB"
                + (f"; errors: {'; '.join(f['errors'])}" if f['errors'] else ''))
        s.psql('drop table bench_big')
        results.append({'server': s.name, 'load_s': loaded, 'select': select, 'copy': copy})
        if not s.alive():
            raise ScenarioError(f'{s.name} died')
    return {'rows': rows, 'results': results}


SCENARIOS = {'scan': scenario_scan, 'rr-hold': scenario_rr_hold, 'big-select': scenario_big_select}


def fmt_ms(v):
    return '-' if v is None else f'{v:.2f}'


def report(ctx, outcome):
    """Markdown tables for bench/README.md and long-format CSV rows (scenario, server, metric,
    value). Returns (lines, csv rows, errors)."""
    lines, rows, errors = [], [], []

    def add(scenario, server, metric, value):
        rows.append({'scenario': scenario, 'server': server, 'metric': metric, 'value': value})

    w = ctx.seconds
    if 'scan' in outcome:
        o = outcome['scan']
        lines += [f'scan: select-only pgbench, {ctx.clients} sessions, -M {ctx.mode}, {w} s '
                  f'window; in another session count(*) over pgbench_accounts x '
                  f'bench_scan_k({o["rows"]} rows) back to back (issue 8: ratio >= 0.80)', '',
                  '| server | TPS alone | TPS with the scan | ratio | p99 ms alone / with '
                  '| scans |',
                  '| --- | --- | --- | --- | --- | --- |']
        for r in o['results']:
            a, b = r['alone'], r['busy']
            ratio = b.tps / a.tps if a.tps else 0.0
            lines.append(f"| {r['server']} | {a.tps:.0f} | {b.tps:.0f} | {ratio:.2f}x | "
                         f"{fmt_ms(a.p99_ms)} / {fmt_ms(b.p99_ms)} | {r['detail']} |")
            for k, v in (('tps_alone', round(a.tps, 1)), ('tps_with', round(b.tps, 1)),
                         ('ratio', round(ratio, 3)), ('p99_ms_alone', a.p99_ms),
                         ('p99_ms_with', b.p99_ms)):
                add('scan', r['server'], k, v)
            errors += [f"scan {r['server']}: {e}" for e in a.errors + b.errors]
        lines.append('')
    if 'rr-hold' in outcome:
        o = outcome['rr-hold']
        lines += [f'rr-hold: read-write pgbench, {ctx.clients} sessions, -M {ctx.mode}, {w} s '
                  'window; in another session a REPEATABLE READ block open through it '
                  '(issue 8: ratio >= 0.80, WAL growth reported)', '',
                  '| server | TPS alone | TPS with the block open | ratio | p99 ms alone / with | '
                  'WAL alone | WAL with the block open | failed tx |',
                  '| --- | --- | --- | --- | --- | --- | --- | --- |']
        for r in o['results']:
            a, b = r['alone'], r['busy']
            ratio = b.tps / a.tps if a.tps else 0.0
            held = r['wal_busy'].get('text', '?')
            if r['wal_busy'].get('block'):
                held += f" ({r['wal_busy']['block']})"
            lines.append(f"| {r['server']} | {a.tps:.0f} | {b.tps:.0f} | {ratio:.2f}x | "
                         f"{fmt_ms(a.p99_ms)} / {fmt_ms(b.p99_ms)} | "
                         f"{r['wal_alone'].get('text', '?')} | {held} | "
                         f"{a.failed} / {b.failed} |")
            for k, v in (('tps_alone', round(a.tps, 1)), ('tps_with', round(b.tps, 1)),
                         ('ratio', round(ratio, 3)), ('p99_ms_alone', a.p99_ms),
                         ('p99_ms_with', b.p99_ms), ('failed_alone', a.failed),
                         ('failed_with', b.failed),
                         ('wal_growth_mib_alone', round(r['wal_alone'].get('growth_mib', 0), 2)),
                         ('wal_growth_mib_with', round(r['wal_busy'].get('growth_mib', 0), 2))):
                add('rr-hold', r['server'], k, v)
            errors += [f"rr-hold {r['server']}: {e}" for e in a.errors + b.errors]
        lines.append('')
    if 'big-select' in outcome:
        o = outcome['big-select']
        lines += [f"big-select: bench_big of {o['rows']} rows through psql (issue 8: sqlrited "
                  'under 100 MiB); sqlrited: peak RSS (VmHWM) of a server restarted before each '
                  'query, PostgreSQL: peak PSS over all its processes', '',
                  '| server | COPY FROM s | SELECT * s | peak memory in SELECT * | COPY TO s | '
                  'peak memory in COPY TO |', '| --- | --- | --- | --- | --- | --- |']
        for r in o['results']:
            def peak(f):
                if 'rss_peak_mib' in f:
                    return f"{f['rss_peak_mib']:.1f} MiB RSS (from {f['rss_before_mib']:.1f})"
                return f"{f['pss_peak_mib']:.1f} MiB PSS"
            sel, cp = r['select'], r['copy']
            lines.append(f"| {r['server']} | {r['load_s']:.1f} | {sel['seconds']:.1f} | "
                         f"{peak(sel)} | {cp['seconds']:.1f} | {peak(cp)} |")
            add('big-select', r['server'], 'copy_from_s', round(r['load_s'], 2))
            for what, f in (('select', sel), ('copy_to', cp)):
                add('big-select', r['server'], f'{what}_s', round(f['seconds'], 2))
                add('big-select', r['server'], f'{what}_pss_peak_mib', round(f['pss_peak_mib'], 1))
                if 'rss_peak_mib' in f:
                    add('big-select', r['server'], f'{what}_rss_peak_mib',
                        round(f['rss_peak_mib'], 1))
                errors += [f"big-select {r['server']} {what}: {e}" for e in f['errors']]
        lines.append('')
    return lines, rows, errors
