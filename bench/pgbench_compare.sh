#!/usr/bin/env bash
# pgbench against sqlrited and PostgreSQL 15, side by side, on the same machine, over loopback.
#
#   bench/pgbench_compare.sh BUILD_DIR [--rows N] [--time SECONDS] [--clients C] [--jobs J]
#
# BUILD_DIR holds sqlrited (BUILD_DIR/sqlrited or BUILD_DIR/server/sqlrited). Both servers start
# on temp data directories and free ports, with their default settings (PostgreSQL: fsync on,
# synchronous_commit on; sqlrited: synchronous full, passed explicitly when it has the flag).
# pgbench -i needs COPY, which SQLRite lacks, so both get the same table through psql:
#   pgbench_accounts(aid int primary key, bid int, abalance int, filler text), N rows (100k)
# filled with 1000-row INSERTs. Then, on each server in turn:
#   select  pgbench -n -M simple -c C -j J -T SECONDS   select abalance ... where aid = :aid
#   update  the same with                               update ... set abalance = abalance + :delta
# and prints tps of each and the ratio (SQLRite tps / PostgreSQL tps: above 1, SQLRite is faster).
# Both servers are stopped by PID and the temp directory removed on any exit.
set -euo pipefail

usage() {
  echo "usage: $0 BUILD_DIR [--rows N] [--time SECONDS] [--clients C] [--jobs J]" >&2
  exit 2
}
[[ $# -ge 1 ]] || usage
build_dir=$1; shift
rows=100000
duration=10
clients=4
jobs=2
while [[ $# -gt 0 ]]; do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --time) duration=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    *) usage ;;
  esac
done

sqlrited=$build_dir/sqlrited
[[ -x $sqlrited ]] || sqlrited=$build_dir/server/sqlrited
[[ -x $sqlrited ]] || { echo "no sqlrited in $build_dir" >&2; exit 1; }
sqlrited=$(realpath "$sqlrited")
pg_bin=/usr/lib/postgresql/15/bin
[[ -x $pg_bin/postgres ]] || { echo "PostgreSQL 15 not found in $pg_bin" >&2; exit 1; }

tmp=$(mktemp -d /tmp/pgbench-compare.XXXXXX)
sqlrite_pid=
pg_started=

# PostgreSQL refuses to run as root: run its server binaries as the postgres user then.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  set +e
  if [[ -n $sqlrite_pid ]] && kill -0 "$sqlrite_pid" 2>/dev/null; then
    kill -TERM "$sqlrite_pid"
    for _ in $(seq 50); do kill -0 "$sqlrite_pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$sqlrite_pid" 2>/dev/null && kill -KILL "$sqlrite_pid"
  fi
  if [[ -n $pg_started && -f $tmp/pg/postmaster.pid ]]; then
    local pg_pid
    pg_pid=$(head -1 "$tmp/pg/postmaster.pid")
    as_pg "$pg_bin/pg_ctl" -D "$tmp/pg" -m fast -w -t 30 stop >/dev/null 2>&1
    kill -0 "$pg_pid" 2>/dev/null && kill -KILL "$pg_pid"
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# Waits until a server on port $1 answers a query (at most 30 s).
wait_ready() {
  for _ in $(seq 150); do
    if PGCONNECT_TIMEOUT=2 psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -qAtc 'select 1' \
        >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  echo "server on port $1 did not come up" >&2
  return 1
}

# ---- start both servers ----
sqlrite_port=$(free_port)
pg_port=$(free_port)
while [[ $pg_port == "$sqlrite_port" ]]; do pg_port=$(free_port); done

sqlrite_args=(--listen 127.0.0.1 --port "$sqlrite_port" --data-dir "$tmp/sqlrite" --log-level warn)
if "$sqlrited" --help 2>/dev/null | grep -q -- '--synchronous'; then
  sqlrite_args+=(--synchronous full)
fi
"$sqlrited" "${sqlrite_args[@]}" >"$tmp/sqlrited.log" 2>&1 &
sqlrite_pid=$!

mkdir -p "$tmp/pg" "$tmp/sock"
[[ $(id -u) -eq 0 ]] && chown postgres: "$tmp" "$tmp/pg" "$tmp/sock"
# --no-sync only skips initdb's own fsyncs; the server runs with fsync on (the default).
as_pg "$pg_bin/initdb" -D "$tmp/pg" -U postgres -A trust --no-sync >"$tmp/initdb.log" 2>&1 \
  || { cat "$tmp/initdb.log" >&2; exit 1; }
pg_started=1
as_pg "$pg_bin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg/server.log" -w -t 30 \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $tmp/sock" start >/dev/null \
  || { cat "$tmp/pg/server.log" >&2; exit 1; }

wait_ready "$sqlrite_port" || { cat "$tmp/sqlrited.log" >&2; exit 1; }
wait_ready "$pg_port"

# ---- the same table on both ----
python3 - "$rows" >"$tmp/fill.sql" <<'EOF'
import sys
rows = int(sys.argv[1])
filler = " " * 84  # pgbench's filler is char(84), blank
print("create table pgbench_accounts(aid int primary key, bid int, abalance int, filler text);")
for first in range(1, rows + 1, 1000):
    last = min(rows, first + 999)
    values = ",".join(f"({aid},{(aid - 1) // 100000 + 1},0,'{filler}')"
                      for aid in range(first, last + 1))
    print(f"insert into pgbench_accounts values {values};")
EOF
cat >"$tmp/select.sql" <<EOF
\\set aid random(1, $rows)
select abalance from pgbench_accounts where aid = :aid;
EOF
cat >"$tmp/update.sql" <<EOF
\\set aid random(1, $rows)
\\set delta random(-5000, 5000)
update pgbench_accounts set abalance = abalance + :delta where aid = :aid;
EOF

fill() {
  local start end
  start=$(date +%s.%N)
  psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -f "$tmp/fill.sql" \
    >/dev/null
  end=$(date +%s.%N)
  local count
  count=$(psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -qAtc \
    'select count(*) from pgbench_accounts')
  [[ $count == "$rows" ]] || { echo "$2: expected $rows rows, found $count" >&2; exit 1; }
  printf '%-10s fill %d rows (1000-row INSERTs): %.2f s\n' "$2" "$rows" \
    "$(echo "$end - $start" | bc -l)"
}
fill "$sqlrite_port" SQLRite
fill "$pg_port" PostgreSQL

# Runs one pgbench script against port $1; prints its tps (excluding connection time).
run_pgbench() {
  local out
  out=$(timeout $((duration + 60)) pgbench -n -M simple -c "$clients" -j "$jobs" -T "$duration" \
    -h 127.0.0.1 -p "$1" -U postgres -f "$2" postgres 2>&1) || { echo "$out" >&2; return 1; }
  local failed
  failed=$(echo "$out" | awk '/number of failed transactions/ {print $5}')
  [[ -z $failed || $failed == 0 ]] || { echo "$out" >&2; return 1; }
  echo "$out" | awk '/^tps = / {print $3; exit}'
}

echo "pgbench -n -M simple -c $clients -j $jobs -T $duration, $rows rows, $(nproc) cores"
printf '| %-8s | %14s | %14s | %8s |\n' workload "SQLRite tps" "PostgreSQL tps" ratio
printf '|----------|----------------|----------------|----------|\n'
for workload in select update; do
  ours=$(run_pgbench "$sqlrite_port" "$tmp/$workload.sql")
  theirs=$(run_pgbench "$pg_port" "$tmp/$workload.sql")
  ratio=$(echo "$ours / $theirs" | bc -l)
  printf '| %-8s | %14.1f | %14.1f | %7.2fx |\n' "$workload" "$ours" "$theirs" "$ratio"
done
echo "ratio = SQLRite tps / PostgreSQL tps (above 1: SQLRite is faster)"
