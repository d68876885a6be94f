#!/usr/bin/python3
"""CREATE INDEX timing (docs/decisions.md "CREATE INDEX bulk-loads its tree bottom-up").

  create_index.py <port> <label> <rows> [runs] [--pid PID] [--table big] [--only a,b,ab]
                  [--mwm 256MB]

Builds (and drops) indexes on <table>(a), (b) and a unique one on (a, b) of a table made as
  create table big (id int primary key, a int, b text);
  insert into big select i, (i::bigint * 7919) % 1000003, 'v' || ((i::bigint * 104729) % 1000003)
    from generate_series(1, 1000000) i;
(10M rows: the prime 10000019, inserted a million rows per statement on sqlrited), printing the
server's CPU (utime + stime) and wall per build and the index's pg_relation_size. Server CPU:
sqlrited's process (--pid), or else PostgreSQL's backend of this session (self only:
max_parallel_maintenance_workers = 0, maintenance_work_mem 128MB). --mwm sets
maintenance_work_mem first. Needs Debian's python3-psycopg2 (/usr/bin/python3)."""
import os, sys, time, psycopg2
port, label, rows = int(sys.argv[1]), sys.argv[2], sys.argv[3]
runs = int(sys.argv[4]) if len(sys.argv) > 4 and not sys.argv[4].startswith('--') else 3
only = sys.argv[sys.argv.index('--only') + 1].split(',') if '--only' in sys.argv else None
pid = int(sys.argv[sys.argv.index('--pid') + 1]) if '--pid' in sys.argv else None
table = sys.argv[sys.argv.index('--table') + 1] if '--table' in sys.argv else 'big'
conn = psycopg2.connect(host='127.0.0.1', port=port, user='postgres', dbname='postgres')
conn.autocommit = True
cur = conn.cursor()
if pid is None:
    cur.execute('select pg_backend_pid()'); pid = cur.fetchone()[0]
    cur.execute('set max_parallel_maintenance_workers = 0')
    cur.execute("set maintenance_work_mem = '128MB'")
if '--mwm' in sys.argv:
    cur.execute(f"set maintenance_work_mem = '{sys.argv[sys.argv.index('--mwm') + 1]}'")
tck = os.sysconf('SC_CLK_TCK')
def cpu():
    f = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / tck
for name, target, uniq in [(f'{table}_a', f'{table}(a)', ''), (f'{table}_b', f'{table}(b)', ''), (f'{table}_ab', f'{table}(a, b)', 'unique')]:
    if only and name.split('_')[-1] not in only: continue
    for r in range(runs):
        cur.execute(f'drop index if exists {name}')
        c0 = cpu(); t0 = time.time()
        cur.execute(f'create {uniq} index {name} on {target}')
        t1 = time.time(); c1 = cpu()
        cur.execute(f"select pg_relation_size('{name}')"); size = cur.fetchone()[0]
        print(f'{label} rows={rows} {name} run={r+1} cpu_ms={c1-c0:.0f} wall_ms={(t1-t0)*1000:.0f} bytes={size}', flush=True)
