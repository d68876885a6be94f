#!/usr/bin/python3
"""bench/spill.py: a sort, a hash join, a hash aggregate, a window and an EXCEPT over 10M rows with
the default work_mem (4MB), sqlrited beside PostgreSQL 15: sqlrited's peak RSS next to its cache
size, and the time of each query on both.

    bench/spill.py [--build DIR] [--rows N] [--cache-mib M] [--chunk N] [--only NAME,...]

Both servers start fresh (bench/run's Sqlrited and Postgres: temp directories, loopback ports,
default durability, shared_buffers = --cache-size) and load the same table with INSERT ... SELECT
over generate_series, in chunks of --chunk rows:

    t(id int, k int, g int, pad text)   k: a permutation of 0..N-1, g = id % (N / 5), pad 'pad-<number>'

Then sqlrited restarts (its heap starts from nothing the load grew) and each query runs once on
each server, work_mem left at its default:

    sort        select id, k, pad from t order by k desc, id offset N - 1
    hash join   select count(*), sum(b.g) from t a join t b on b.id = a.k
    hash agg    select count(*), sum(c), max(s) from (select g, count(*) c, sum(k) s from t group by g) q
    window      select count(*), sum(rn), sum(s), sum(l) from (select row_number() over w rn,
                  sum(g) over (order by k rows between 10 preceding and current row) s,
                  lag(id, 1000) over w l from t window w as (order by k)) q
    except      select count(*), sum(k) from (select k from t except select id * 2 from t) q

(the window: one partition of N rows; the except: N distinct values on each side). --only runs
the queries named (e.g. --only window,except).

Each query answers one row, so no client buffers a big result. Before each query the script
resets sqlrited's peak RSS (writing 5 to /proc/PID/clear_refs) and reads VmHWM from
/proc/PID/status after it. Reported: per query, sqlrited's peak RSS in MiB, its cache size, the
limit (cache + 64 MiB), the largest size its temporary directory (base/pgsql_tmp) reached (polled
every 50 ms), and both servers' seconds. The answers of both servers must agree, and the peak must
stay under the limit, or the script exits 1 after printing the table.
"""

import argparse
import os
import sys
import tempfile
import threading
import time

import importlib.machinery
import importlib.util

HERE = os.path.dirname(os.path.abspath(__file__))


def load_bench_run():
    loader = importlib.machinery.SourceFileLoader('bench_run', os.path.join(HERE, 'run'))
    spec = importlib.util.spec_from_loader('bench_run', loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


bench_run = load_bench_run()

try:
    import psycopg2
except ImportError:  # Debian's psycopg2 belongs to /usr/bin/python3
    sys.exit('bench/spill.py: psycopg2 is missing (run with /usr/bin/python3)')


def queries(rows):
    return [
        ('sort', f'select id, k, pad from t order by k desc, id offset {rows - 1}'),
        ('hash join', 'select count(*), sum(b.g) from t a join t b on b.id = a.k'),
        ('hash agg', 'select count(*), sum(c), max(s) from '
                     '(select g, count(*) c, sum(k) s from t group by g) q'),
        ('window', 'select count(*), sum(rn), sum(s), sum(l) from (select row_number() over w rn, '
                   'sum(g) over (order by k rows between 10 preceding and current row) s, '
                   'lag(id, 1000) over w l from t window w as (order by k)) q'),
        ('except', 'select count(*), sum(k) from (select k from t except select id * 2 from t) q'),
    ]


def load(server, rows, chunk):
    server.psql('create table t (id int, k int, g int, pad text)')
    groups = max(1, rows // 5)
    step = 7919 if rows % 7919 else 7907
    start = time.monotonic()
    for lo in range(0, rows, chunk):
        hi = min(rows, lo + chunk) - 1
        server.psql(f'insert into t select i, (i::int8 * {step}) % {rows}, i % {groups}, '
                    f"'pad-' || (i * 7 % 99991)::text from generate_series({lo}, {hi}) i")
    took = time.monotonic() - start
    if server.name == 'postgres':
        server.psql('vacuum analyze t')
    server.psql('checkpoint')
    return took


def status_kib(pid, field):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    return 0


def dir_bytes(path):
    total = 0
    try:
        for name in os.listdir(path):
            try:
                total += os.path.getsize(os.path.join(path, name))
            except OSError:
                pass
    except OSError:
        pass
    return total


class TempWatch:
    """Polls the size of a directory every 50 ms; `peak` is the largest seen."""

    def __init__(self, path):
        self.path = path
        self.peak = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, dir_bytes(self.path))
            time.sleep(0.05)

    def finish(self):
        self.stop.set()
        self.thread.join()
        return self.peak


def run_query(server, sql):
    conn = psycopg2.connect(host='127.0.0.1', port=server.port, user='postgres', dbname='postgres')
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            start = time.perf_counter()
            cur.execute(sql)
            rows = cur.fetchall()
            took = time.perf_counter() - start
    finally:
        conn.close()
    return took, [tuple(str(v) for v in row) for row in rows]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--build', default='build')
    ap.add_argument('--rows', type=int, default=10_000_000)
    ap.add_argument('--chunk', type=int, default=1_000_000)
    ap.add_argument('--cache-mib', type=int, default=64)
    ap.add_argument('--only', default='', help='comma-separated query names (default: all)')
    args = ap.parse_args()
    only = [n for n in args.only.split(',') if n]
    unknown = [n for n in only if n not in [q for q, _ in queries(1)]]
    if unknown:
        sys.exit(f'bench/spill.py: no query named {", ".join(unknown)}')
    binary = os.path.join(args.build, 'sqlrited')
    if not os.access(binary, os.X_OK):
        sys.exit(f'bench/spill.py: no sqlrited at {binary} (build it, or pass --build DIR)')
    tmp = tempfile.mkdtemp(prefix='sqlrite-spill-')
    os.chmod(tmp, 0o755)  # PostgreSQL runs as its own user under it
    ours = bench_run.Sqlrited(tmp, args.cache_mib, binary)
    theirs = bench_run.Postgres(os.path.join(tmp, 'pgroot'), args.cache_mib)
    os.makedirs(theirs.tmp)
    errors = []
    results = []
    limit_kib = (args.cache_mib + 64) * 1024
    try:
        for s in (ours, theirs):
            s.start()
            took = load(s, args.rows, args.chunk)
            print(f'spill: {s.name} loaded {args.rows} rows in {took:.1f} s', flush=True)
        ours.restart()
        base_kib = status_kib(ours.pid, 'VmRSS')
        print(f'spill: sqlrited restarted, RSS {base_kib / 1024:.1f} MiB', flush=True)
        temp_dir = os.path.join(ours.data_dir(), 'base', 'pgsql_tmp')
        for name, sql in queries(args.rows):
            if only and name not in only:
                continue
            with open(f'/proc/{ours.pid}/clear_refs', 'w') as f:
                f.write('5')  # resets VmHWM to the current RSS
            watch = TempWatch(temp_dir)
            ours_s, ours_rows = run_query(ours, sql)
            temp_peak = watch.finish()
            peak_kib = status_kib(ours.pid, 'VmHWM')
            left = dir_bytes(temp_dir)
            theirs_s, theirs_rows = run_query(theirs, sql)
            print(f'spill: {name}: sqlrited {ours_s:.1f} s, peak RSS {peak_kib / 1024:.1f} MiB, '
                  f'temp {temp_peak / 2**20:.0f} MiB; postgres {theirs_s:.1f} s; '
                  f'answer {ours_rows}', flush=True)
            if ours_rows != theirs_rows:
                errors.append(f'{name}: answers differ: sqlrited {ours_rows}, '
                              f'postgres {theirs_rows}')
            if peak_kib >= limit_kib:
                errors.append(f'{name}: peak RSS {peak_kib} kB is not under {limit_kib} kB')
            if left != 0:
                errors.append(f'{name}: {left} bytes of temporary files left after the query')
            results.append((name, peak_kib, temp_peak, ours_s, theirs_s))
    except (bench_run.BenchError, psycopg2.Error, OSError) as e:
        errors.append(str(e))
    finally:
        for s in (ours, theirs):
            try:
                s.stop()
            except Exception:  # noqa: BLE001 - cleanup must go on
                pass
        bench_run.shutil.rmtree(tmp, ignore_errors=True)
    print(f'\n{args.rows} rows, work_mem 4MB (default), sqlrited cache {args.cache_mib} MiB '
          f'(limit: cache + 64 MiB = {limit_kib // 1024} MiB)')
    print(f'{"query":<10} {"peak RSS MiB":>12} {"temp MiB":>9} {"sqlrited s":>11} '
          f'{"postgres s":>11} {"pg/sqlrited":>11}')
    for name, peak, temp, a, b in results:
        print(f'{name:<10} {peak / 1024:12.1f} {temp / 2**20:9.0f} {a:11.2f} {b:11.2f} '
              f'{(b / a if a else 0):11.2f}')
    for e in errors:
        print(f'spill: FAILED: {e}')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
