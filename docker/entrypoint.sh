#!/bin/sh
# The image's entrypoint: the official postgres image's conventions mapped onto sqlrited.
#
#   docker-entrypoint.sh [sqlrited] [SQLRITED-OPTION...]   initialise on first start, then exec
#   docker-entrypoint.sh -OPTION...                        the same ("sqlrited" is implied)
#   docker-entrypoint.sh COMMAND...                        exec COMMAND (a shell, psql, ...)
#
# Variables (all optional but a password on first start):
#   POSTGRES_PASSWORD / SQLRITE_PASSWORD        the superuser's password, set when the data
#   POSTGRES_PASSWORD_FILE / SQLRITE_PASSWORD_FILE  directory is initialised (first line of the
#                                               file); SQLRITE_* wins over POSTGRES_*
#   POSTGRES_USER / SQLRITE_SUPERUSER           the superuser's name (default postgres)
#   POSTGRES_DB                                 a database created on first start (default: the
#                                               user's name, as libpq's default dbname)
#   POSTGRES_HOST_AUTH_METHOD                   trust: no passwords (SQLRITE_AUTH=trust);
#                                               scram-sha-256: every role must give one
#   SQLRITE_TLS_CERT / SQLRITE_TLS_KEY          TLS with this certificate and key (read by sqlrited)
#   SQLRITE_DATA_DIR                            default /var/lib/sqlrite/data (inside the volume)
#   /docker-entrypoint-initdb.d/*.sql, *.sql.gz, *.sh   run in name order on first start only
#                                               (SQLRITE_INITDB_DIR names another directory)
#   and every other SQLRITE_* variable of `sqlrited --help`.
#
# First start (no <data>/global.sqlrite): a private sqlrited initialises the directory beside the
# real one (<data>.initdb), listening on 127.0.0.1 on a port of its own and a socket in a private
# directory, so neither clients nor the health check see a half-initialised server; it creates
# POSTGRES_DB, runs the init scripts, stops, and only then is the directory renamed into place. A
# failed first start therefore leaves no data directory behind: the next start initialises again.
# Then sqlrited is exec'd as PID 1, in the foreground, logging to stdout; it handles SIGTERM
# itself (a clean shutdown, exit 0) and starts no child processes, so it has none to reap.
set -eu

log() { printf '%s [entrypoint] %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S')" "$*"; }
die() { log "error: $*" >&2; exit 1; }

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then set -- sqlrited "$@"; fi
if [ "$1" != sqlrited ]; then exec "$@"; fi
# Options that only print or check something: no initialisation first.
for arg in "$@"; do
  case "$arg" in -h | --help | --version | --check | check) exec "$@" ;; esac
done

# ---- the postgres image's variables as sqlrited's
if [ -n "${POSTGRES_PASSWORD:-}" ] && [ -z "${SQLRITE_PASSWORD:-}" ] &&
  [ -z "${SQLRITE_PASSWORD_FILE:-}" ]; then
  export SQLRITE_PASSWORD="$POSTGRES_PASSWORD"
fi
if [ -n "${POSTGRES_PASSWORD_FILE:-}" ] && [ -z "${SQLRITE_PASSWORD:-}" ] &&
  [ -z "${SQLRITE_PASSWORD_FILE:-}" ]; then
  export SQLRITE_PASSWORD_FILE="$POSTGRES_PASSWORD_FILE"
fi
export SQLRITE_SUPERUSER="${SQLRITE_SUPERUSER:-${POSTGRES_USER:-postgres}}"
case "${POSTGRES_HOST_AUTH_METHOD:-}" in
  '') ;;
  trust | scram-sha-256) export SQLRITE_AUTH="${SQLRITE_AUTH:-$POSTGRES_HOST_AUTH_METHOD}" ;;
  *) die "POSTGRES_HOST_AUTH_METHOD=$POSTGRES_HOST_AUTH_METHOD: sqlrited supports trust and scram-sha-256" ;;
esac
data_dir="${SQLRITE_DATA_DIR:-/var/lib/sqlrite/data}"
data_dir="${data_dir%/}"
export SQLRITE_DATA_DIR="$data_dir"

# TLS: sqlrited reads SQLRITE_TLS_CERT / SQLRITE_TLS_KEY; say early which file is missing.
for f in "${SQLRITE_TLS_CERT:-}" "${SQLRITE_TLS_KEY:-}"; do
  [ -z "$f" ] || [ -r "$f" ] || die "TLS file $f is not readable by uid $(id -u)"
done

# The superuser's password as a client gives it (psql during the first start).
password() {
  if [ -n "${SQLRITE_PASSWORD:-}" ]; then
    printf '%s' "$SQLRITE_PASSWORD"
  elif [ -n "${SQLRITE_PASSWORD_FILE:-}" ]; then
    head -n 1 "$SQLRITE_PASSWORD_FILE"
  fi
}

# ---- first start
initialise() {
  if [ -z "${SQLRITE_PASSWORD:-}${SQLRITE_PASSWORD_FILE:-}" ] && [ "${SQLRITE_AUTH:-}" != trust ]; then
    die "the database is uninitialised and no superuser password is given.
  Set POSTGRES_PASSWORD (or SQLRITE_PASSWORD, or a *_FILE variant) to a non-empty value;
  or POSTGRES_HOST_AUTH_METHOD=trust to let every client in without a password (not recommended)."
  fi
  if [ -n "${SQLRITE_PASSWORD_FILE:-}" ] && [ ! -r "$SQLRITE_PASSWORD_FILE" ]; then
    die "password file $SQLRITE_PASSWORD_FILE is not readable by uid $(id -u)"
  fi
  parent=$(dirname "$data_dir")
  mkdir -p "$parent" 2>/dev/null || true
  [ -w "$parent" ] || die "$parent is not writable by uid $(id -u) (the volume's owner: $(stat -c %u:%g "$parent" 2>/dev/null || echo '?')); chown it to $(id -u) or run as its owner (--user)"
  tmp="$data_dir.initdb"
  rm -rf "$tmp"  # a first start cut short; never a live directory, which has global.sqlrite
  sock=$(mktemp -d /tmp/sqlrite-init.XXXXXX)
  log "initialising $data_dir (superuser $SQLRITE_SUPERUSER)"
  sqlrited --data-dir "$tmp" --listen 127.0.0.1 --port 0 --unix-socket-dir "$sock" 2>&1 &
  pid=$!
  port=
  i=0
  while [ -z "$port" ]; do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" || true; die "sqlrited failed to initialise $tmp"; }
    [ "$i" -lt 300 ] || { kill -TERM "$pid"; die "sqlrited did not start within 30 s"; }
    if [ -S "$sock/.s.PGSQL.$(sed -n 4p "$tmp/postmaster.pid" 2>/dev/null)" ]; then
      port=$(sed -n 4p "$tmp/postmaster.pid")
    else
      sleep 0.1
      i=$((i + 1))
    fi
  done
  PGHOST="$sock" PGPORT="$port" PGUSER="$SQLRITE_SUPERUSER" PGDATABASE=postgres
  export PGHOST PGPORT PGUSER PGDATABASE
  if [ "${SQLRITE_AUTH:-}" != trust ]; then PGPASSWORD=$(password); export PGPASSWORD; fi
  psql_run() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
  # Stops the private server; dies with $1 when given.
  stop_init() {
    kill -TERM "$pid"
    init_status=0; wait "$pid" || init_status=$?
    rm -rf "$sock"
    [ "$#" -eq 0 ] || die "$1"
  }

  db="${POSTGRES_DB:-$SQLRITE_SUPERUSER}"
  if [ "$db" != postgres ]; then
    log "creating database $db"
    # A quoted identifier: the name is taken as given, a double quote doubled.
    quoted=$(printf '%s' "$db" | sed 's/"/""/g')
    psql_run -c "CREATE DATABASE \"$quoted\"" || stop_init "CREATE DATABASE failed"
  fi
  export PGDATABASE="$db"
  # shellcheck disable=SC1090 # the init scripts are the user's
  for f in "${SQLRITE_INITDB_DIR:-/docker-entrypoint-initdb.d}"/*; do
    [ -e "$f" ] || continue
    status=0
    case "$f" in
      *.sql) log "running $f"; psql_run -f "$f" || status=$? ;;
      *.sql.gz) log "running $f"; gzip -dc "$f" | psql_run || status=$? ;;
      *.sh)
        if [ -x "$f" ]; then log "running $f"; "$f" || status=$?
        else log "sourcing $f"; . "$f" || status=$?; fi ;;
      *) log "ignoring $f" ;;
    esac
    [ "$status" -eq 0 ] || stop_init "$f failed (exit $status); $data_dir is left uninitialised"
  done
  unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD
  stop_init
  [ "$init_status" -eq 0 ] || die "the initialising sqlrited exited with status $init_status"

  if [ -d "$data_dir" ]; then
    # An empty directory (a mount point): move the files in, global.sqlrite last, since its
    # presence is what says "initialised".
    find "$tmp" -mindepth 1 -maxdepth 1 ! -name 'global.sqlrite*' -exec mv -t "$data_dir" {} +
    [ ! -e "$tmp/global.sqlrite-wal" ] || mv "$tmp/global.sqlrite-wal" "$data_dir"/
    mv "$tmp/global.sqlrite" "$data_dir"/
    rmdir "$tmp"
  else
    mv "$tmp" "$data_dir"
  fi
  # The password is in the directory now; sqlrited would only note that it is not applied again.
  unset SQLRITE_PASSWORD SQLRITE_PASSWORD_FILE
  log "initialised; starting sqlrited"
}

if [ ! -e "$data_dir/global.sqlrite" ]; then
  if [ -d "$data_dir" ] && [ -n "$(ls -A "$data_dir" 2>/dev/null)" ]; then
    die "$data_dir is not empty but holds no SQLRite data directory (no global.sqlrite); refusing to initialise over it"
  fi
  initialise
fi

# sqlrited reads only the SQLRITE_* names: the password need not stay in its environment.
unset POSTGRES_PASSWORD POSTGRES_PASSWORD_FILE
shift
exec sqlrited "$@" 2>&1
