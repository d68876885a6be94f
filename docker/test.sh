#!/usr/bin/env bash
# docker/test.sh: builds the image of docker/Dockerfile and checks that it behaves like the
# official postgres image, with podman, buildah and podman-compose (no Docker engine needed):
#   1. the server image and the ORM example image build (buildah bud, layer cache kept);
#   2. the image's metadata: non-root user, port, volume, health check, stop signal, labels;
#   3. a first start with POSTGRES_PASSWORD / POSTGRES_USER / POSTGRES_DB, an init script and a
#      TLS certificate; psql over 127.0.0.1 with the password (and over TLS), no or a wrong
#      password refused; the init script ran; SIGTERM stops it cleanly (exit 0, not killed); a
#      new container on the same volume finds the data and runs no init script again; the
#      health check passes; a fresh volume without a password is refused with a message; a
#      failing init script leaves no data directory and the next start (POSTGRES_PASSWORD_FILE,
#      the default user and database) initialises afresh; psql inside over the Unix socket;
#   4. docker/compose.yaml through podman-compose: the ORM example app finishes successfully.
# Prints the figures (build time, image size, time from `podman run` to a passing health check)
# and exits non-zero at the first failed check. Installs what it needs with apt-get
# (idempotently, as scripts/setup) and makes the debian:bookworm-slim base image with
# debootstrap when it is missing (no registry is reachable here). Needs root (rootful podman).
#
# Env: SQLRITE_DOCKER_WORK (default: a fresh directory under /tmp, removed at the end)
#      SQLRITE_DOCKER_KEEP=1   keep the work directory, containers and volumes of a failed run
#      REBUILD_BASE=1          make the base image again
#      SQLRITE_DOCKER_NICE     the image builds' niceness (default 10: the machine is shared)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [[ $(id -u) -ne 0 ]]; then
  exec sudo -E bash "${BASH_SOURCE[0]}" "$@"
fi

IMAGE=localhost/sqlrite:latest
APP_IMAGE=localhost/sqlrite-orm-example:latest
BASE_IMAGE=docker.io/library/debian:bookworm-slim
SUITE=bookworm
WORK=${SQLRITE_DOCKER_WORK:-$(mktemp -d /tmp/sqlrite-docker-test.XXXXXX)}
mkdir -p "$WORK"
RUN_ID=$$
PASSWORD="pw-$RANDOM-$RANDOM"

log() { printf '\n=== %s\n' "$*"; }
ok() { printf 'ok: %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# ---------------------------------------------------------------- packages
packages=(podman buildah podman-compose debootstrap runc netavark aardvark-dns iptables
  uidmap fuse-overlayfs debian-archive-keyring postgresql-client-15 openssl python3)
missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "docker/test.sh: installing ${missing[*]}"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}"; } >"$WORK/apt.log" 2>&1; then
    cat "$WORK/apt.log"
    fail "apt-get install ${missing[*]}"
  fi
fi

# ---------------------------------------------------------------- podman's configuration
# Plain `podman run` fails on these machines: crun refuses the hybrid cgroup layout, and the
# default nofile/nproc rlimits exceed the host's hard limits ("setrlimit RLIMIT_NOFILE: operation
# not permitted"). A private CONTAINERS_CONF picks runc and rlimits within the hard limits, and
# netavark (with aardvark-dns: compose services reach each other by name); /etc stays untouched.
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
[[ $nofile == unlimited || $nofile -gt 1048576 ]] && nofile=1048576
[[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
export CONTAINERS_CONF=$WORK/containers.conf
printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\nruntime = "runc"\n[network]\nnetwork_backend = "netavark"\n' \
  "$nofile" "$nofile" "$nproc" "$nproc" >"$CONTAINERS_CONF"
export BUILDAH_ISOLATION=chroot # the default (oci, crun) fails the same way

# What this run creates, removed at exit (kept for a look when SQLRITE_DOCKER_KEEP=1 and a check
# failed).
containers=()
volumes=()
compose_project=""
cleanup() {
  local rc=$?
  if [[ $rc -ne 0 && -n ${SQLRITE_DOCKER_KEEP:-} ]]; then
    echo "kept: $WORK, containers ${containers[*]:-none}, volumes ${volumes[*]:-none}"
    return
  fi
  if [[ $rc -ne 0 ]]; then
    local c
    for c in "${containers[@]}"; do
      echo "--- podman logs $c" >&2
      podman logs "$c" 2>&1 | tail -30 >&2 || true
    done
  fi
  if [[ -n $compose_project ]]; then
    podman-compose -p "$compose_project" -f docker/compose.yaml down -v -t 10 >/dev/null 2>&1 || true
    podman network rm "${compose_project}_default" >/dev/null 2>&1 || true
  fi
  [[ ${#containers[@]} -eq 0 ]] || podman rm -f -v "${containers[@]}" >/dev/null 2>&1 || true
  [[ ${#volumes[@]} -eq 0 ]] || podman volume rm -f "${volumes[@]}" >/dev/null 2>&1 || true
  [[ -n ${SQLRITE_DOCKER_WORK:-} ]] || rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------- base image
# debian:bookworm-slim made locally: debootstrap --variant=minbase from the host's apt mirror,
# slimmed as the official image is (no docs, man pages or locales; apt's caches off).
apt_mirror() { # prints the first "deb" URI of SUITE (one-line and deb822 sources)
  local suite=$1 f
  {
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [[ -f $f ]] && sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1=="deb" {print $2, $3}'
    done
    for f in /etc/apt/sources.list.d/*.sources; do
      [[ -f $f ]] || continue
      awk 'function flush(  n,m,i,j,U,S) {
             if (types ~ /(^| )deb( |$)/ && enabled != "no") {
               n = split(uris, U, " "); m = split(suites, S, " ")
               for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) print U[i], S[j] }
             types = uris = suites = ""; enabled = "yes" }
           BEGIN { enabled = "yes" }
           /^[ \t]*#/ { next }
           /^[ \t]*$/ { flush(); next }
           { k = tolower($1); v = $0; sub(/^[^:]*:[ \t]*/, "", v)
             if (k == "types:") types = v; else if (k == "uris:") uris = v
             else if (k == "suites:") suites = v; else if (k == "enabled:") enabled = tolower(v) }
           END { flush() }' "$f"
    done
  } | awk -v s="$suite" '$2==s {print $1; exit}' | sed 's:/*$::'
}
make_base() {
  if [[ -z ${REBUILD_BASE:-} ]] && podman image exists "$BASE_IMAGE"; then
    return
  fi
  local mirror sec keyring=/usr/share/keyrings/debian-archive-keyring.gpg rootfs t0
  mirror=$(apt_mirror "$SUITE")
  sec=$(apt_mirror "$SUITE-security")
  [[ -n $mirror ]] || fail "no '$SUITE' entry in the host's apt sources for debootstrap"
  log "base image: debootstrap --variant=minbase $SUITE from $mirror"
  t0=$(now)
  rootfs=$WORK/rootfs
  rm -rf "$rootfs" && mkdir -p "$rootfs"
  debootstrap --variant=minbase --keyring="$keyring" "$SUITE" "$rootfs" "$mirror" \
    >"$WORK/debootstrap.log" 2>&1 || {
    tail -20 "$WORK/debootstrap.log"
    fail debootstrap
  }
  rm -f "$rootfs/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: %s\n' \
      "$mirror" "$SUITE" "$SUITE" "$keyring"
    [[ -z $sec ]] || printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: %s\n' \
      "$sec" "$SUITE" "$keyring"
  } >"$rootfs/etc/apt/sources.list.d/debian.sources"
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/groff/*' \
    'path-exclude /usr/share/info/*' 'path-exclude /usr/share/lintian/*' \
    'path-exclude /usr/share/linda/*' 'path-exclude /usr/share/locale/*' \
    >"$rootfs/etc/dpkg/dpkg.cfg.d/docker"
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Acquire::GzipIndexes "true";' >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"
  # Host apt settings the mirror may need (a snapshot mirror's expired Release files, a proxy).
  apt-config dump | grep -E '^Acquire::(Check-Valid-Until|Check-Date|https?::Proxy) ' \
    >"$rootfs/etc/apt/apt.conf.d/90host-mirror" || rm -f "$rootfs/etc/apt/apt.conf.d/90host-mirror"
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$rootfs/usr/sbin/policy-rc.d"
  rm -rf "${rootfs:?}"/usr/share/{doc,man,groff,info,lintian,linda,locale}/* \
    "${rootfs:?}"/var/lib/apt/lists/* "${rootfs:?}"/var/cache/apt/*.bin \
    "${rootfs:?}"/var/cache/apt/archives/*.deb "${rootfs:?}"/var/cache/debconf/*-old \
    "${rootfs:?}"/var/lib/dpkg/*-old "${rootfs:?}"/var/log/* "${rootfs:?}"/tmp/* \
    "${rootfs:?}"/run/* "${rootfs:?}"/proc/* "${rootfs:?}"/sys/* "${rootfs:?}"/dev/*
  : >"$rootfs/etc/resolv.conf"
  : >"$rootfs/etc/hostname"
  : >"$rootfs/etc/machine-id"
  tar --numeric-owner --xattrs -C "$rootfs" -c . |
    podman import --change 'CMD ["bash"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      - "$BASE_IMAGE" >/dev/null 2>"$WORK/import.log" || {
    cat "$WORK/import.log"
    fail "podman import"
  }
  rm -rf "$rootfs"
  ok "base image $BASE_IMAGE made in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------- build
build() { # build NAME IMAGE [buildah args...]
  local name=$1 image=$2 t0
  shift 2
  t0=$(now)
  # --format docker: the OCI format has no HEALTHCHECK. --pull=never: the base is local. nice:
  # the compile inside takes every core of a machine shared with other builds.
  if ! nice -n "${SQLRITE_DOCKER_NICE:-10}" buildah bud --isolation chroot --network host \
    --format docker --pull=never --layers \
    --build-arg VERSION="$version" --build-arg REVISION="$revision" \
    -t "$image" -f docker/Dockerfile "$@" . >"$WORK/build-$name.log" 2>&1; then
    tail -40 "$WORK/build-$name.log"
    fail "buildah bud ($name)"
  fi
  ok "$name image $image built in $(elapsed "$t0") s (layer cache kept between runs)"
}

image_size_mb() { podman image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.1f", $1 / 1e6 }'; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Polls the container's health check (podman has no timer here: no systemd) until it passes;
# prints the seconds since $2.
wait_healthy() {
  local ctr=$1 t0=$2
  for _ in $(seq 1 600); do
    if podman healthcheck run "$ctr" >/dev/null 2>&1; then
      elapsed "$t0"
      return 0
    fi
    [[ $(podman inspect --format '{{.State.Running}}' "$ctr") == true ]] ||
      fail "$ctr exited before it was healthy"
    sleep 0.1
  done
  fail "$ctr not healthy within 60 s"
}

# Sends SIGTERM and waits: the exit code must be 0 (a clean shutdown), not 143 or 137.
stop_clean() {
  local ctr=$1 t0 code
  t0=$(now)
  podman kill --signal TERM "$ctr" >/dev/null
  code=$(timeout 30 podman wait "$ctr") || fail "$ctr did not exit within 30 s of SIGTERM"
  [[ $code == 0 ]] || fail "$ctr exited with $code after SIGTERM (want 0)"
  [[ $(podman logs "$ctr" 2>&1) == *'] shut down'* ]] || fail "$ctr logged no clean shutdown"
  ok "SIGTERM: $ctr shut down cleanly (exit 0) in $(elapsed "$t0") s"
}

# podman run -d, its stderr kept apart: without systemd podman logs an error for the health
# check's timer it cannot make, harmless here (wait_healthy runs the check).
run_detached() {
  podman run -d --pull=never "$@" >/dev/null 2>"$WORK/podman-run.err" || {
    cat "$WORK/podman-run.err"
    fail "podman run $*"
  }
}

psql_at() { # psql_at PASSWORD CONNINFO SQL: one unaligned, tuples-only answer
  PGPASSWORD=$1 PGCONNECT_TIMEOUT=10 psql -X -w -At -d "$2" -c "$3"
}

version=$(sed -nE 's/^project\(sqlrite VERSION ([0-9.]+).*/\1/p' CMakeLists.txt)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)

make_base
log "build"
build server "$IMAGE"
build orm-example "$APP_IMAGE" --target orm-example

log "image metadata"
size=$(image_size_mb "$IMAGE")
ok "runtime image size: $size MB (base $(image_size_mb "$BASE_IMAGE") MB); ORM example image: $(image_size_mb "$APP_IMAGE") MB"
meta=$(podman image inspect --format \
  'user={{.Config.User}} ports={{.Config.ExposedPorts}} volumes={{.Config.Volumes}} stop={{.Config.StopSignal}} health={{.Config.Healthcheck}} version={{index .Config.Labels "org.opencontainers.image.version"}}' \
  "$IMAGE")
echo "$meta"
[[ $meta == *"user=sqlrite "* ]] || fail "image user is not sqlrite"
[[ $meta == *5432/tcp* ]] || fail "port 5432 not exposed"
[[ $meta == *"/var/lib/sqlrite"* ]] || fail "no VOLUME /var/lib/sqlrite"
[[ $meta == *"stop=SIGTERM"* ]] || fail "STOPSIGNAL is not SIGTERM"
[[ $meta == *pg_isready* ]] || fail "no pg_isready HEALTHCHECK"
[[ $meta == *"version=$version"* ]] || fail "label org.opencontainers.image.version is not $version"
[[ $(podman run --rm --pull=never "$IMAGE" --version 2>/dev/null) == *"$version"* ]] ||
  fail "sqlrited --version does not say $version"
ok "non-root user, EXPOSE 5432, VOLUME, STOPSIGNAL, HEALTHCHECK, labels, sqlrited $version"

# ---------------------------------------------------------------- docker run
log "run: first start with a password, a user, a database, an init script and TLS"
port=$(free_port)
vol=sqlrite-test-$RUN_ID
volumes+=("$vol")
mkdir -p "$WORK/initdb" "$WORK/tls"
cat >"$WORK/initdb/10-schema.sql" <<'EOF'
CREATE TABLE init_runs (id int PRIMARY KEY, note text);
INSERT INTO init_runs VALUES (1, 'init script ran');
EOF
# shellcheck disable=SC2016 # expanded by the init script
printf 'echo "20-note.sh ran with PGDATABASE=$PGDATABASE"\n' >"$WORK/initdb/20-note.sh"
chmod -R a+rX "$WORK/initdb"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -keyout "$WORK/tls/server.key" -out "$WORK/tls/server.crt" >/dev/null 2>&1
# The key as PostgreSQL wants it: owned by the server's user (uid 999 in the image), mode 0600.
chown 999:999 "$WORK/tls/server.key" "$WORK/tls/server.crt"
chmod 0600 "$WORK/tls/server.key"
ctr=sqlrite-test-$RUN_ID-a
containers+=("$ctr")
t0=$(now)
run_detached --name "$ctr" -p "127.0.0.1:$port:5432" \
  -e POSTGRES_PASSWORD="$PASSWORD" -e POSTGRES_USER=alice -e POSTGRES_DB=shop \
  -e SQLRITE_TLS_CERT=/run/tls/server.crt -e SQLRITE_TLS_KEY=/run/tls/server.key \
  -v "$vol:/var/lib/sqlrite" -v "$WORK/initdb:/docker-entrypoint-initdb.d:ro" \
  -v "$WORK/tls:/run/tls:ro" "$IMAGE"
healthy=$(wait_healthy "$ctr" "$t0")
ok "from podman run to a passing health check (first start, init script included): $healthy s"

conn="host=127.0.0.1 port=$port user=alice dbname=shop"
[[ $(psql_at "$PASSWORD" "$conn sslmode=disable" 'SELECT note FROM init_runs') == 'init script ran' ]] ||
  fail "the init script's row is not in database shop"
ok "psql over 127.0.0.1 with the password: the init script ran in POSTGRES_DB"
[[ $(podman logs "$ctr" 2>&1) == *'20-note.sh ran with PGDATABASE=shop'* ]] || fail "20-note.sh did not run"
ok "*.sh init scripts run too, with PGDATABASE=shop"
[[ $(psql_at "$PASSWORD" "$conn sslmode=require" 'SELECT 1') == 1 ]] || fail "no TLS connection"
ok "TLS with the mounted certificate (sslmode=require)"
if out=$(psql_at "wrong-$PASSWORD" "$conn sslmode=disable" 'SELECT 1' 2>&1); then
  fail "a wrong password was accepted"
fi
[[ $out == *'password authentication failed for user "alice"'* ]] || fail "wrong password: $out"
ok "a wrong password is refused: ${out##*FATAL:  }"
if out=$(env -u PGPASSWORD psql -X -w -At -d "$conn sslmode=disable" -c 'SELECT 1' 2>&1); then
  fail "a connection without a password was accepted"
fi
ok "no password is refused: ${out##*: }"
psql_at "$PASSWORD" "$conn" "CREATE TABLE kept (id int PRIMARY KEY, v text); INSERT INTO kept VALUES (1, 'survives a restart')" >/dev/null
[[ $(podman exec "$ctr" id -un) == sqlrite ]] || fail "the server does not run as sqlrite"
[[ $(podman exec "$ctr" cat /proc/1/comm) == sqlrited ]] || fail "PID 1 is not sqlrited"
ok "sqlrited is PID 1 and runs as sqlrite"
stop_clean "$ctr"

log "run: a new container on the same volume"
ctr=sqlrite-test-$RUN_ID-b
containers+=("$ctr")
t0=$(now)
# Another password in the environment: a data directory that exists keeps its own.
run_detached --name "$ctr" -p "127.0.0.1:$port:5432" \
  -e POSTGRES_PASSWORD="not-applied" -e POSTGRES_USER=alice -e POSTGRES_DB=shop \
  -v "$vol:/var/lib/sqlrite" -v "$WORK/initdb:/docker-entrypoint-initdb.d:ro" "$IMAGE"
restart_healthy=$(wait_healthy "$ctr" "$t0")
ok "health check passes $restart_healthy s after podman run on an initialised volume"
[[ $(psql_at "$PASSWORD" "$conn" 'SELECT v FROM kept') == 'survives a restart' ]] ||
  fail "the data written before the restart is gone"
[[ $(psql_at "$PASSWORD" "$conn" 'SELECT count(*) FROM init_runs') == 1 ]] || fail "init_runs changed"
logs=$(podman logs "$ctr" 2>&1)
[[ $logs != *'running /docker-entrypoint-initdb.d'* ]] || fail "init scripts ran again"
ok "the data survived; the init scripts did not run again; the first password still holds"
[[ $logs == *'password from SQLRITE_PASSWORD is not applied'* ]] ||
  fail "no note that the new POSTGRES_PASSWORD is not applied"
stop_clean "$ctr"

log "run: a fresh volume without a password"
ctr=sqlrite-test-$RUN_ID-c
containers+=("$ctr")
volumes+=("$vol-empty")
podman run --name "$ctr" --pull=never -v "$vol-empty:/var/lib/sqlrite" "$IMAGE" >"$WORK/nopw.log" 2>&1 &&
  fail "a first start without a password started"
grep -q 'no superuser password is given' "$WORK/nopw.log" || { cat "$WORK/nopw.log"; fail "no message"; }
ok "refused with: $(grep -m1 'error:' "$WORK/nopw.log" | sed 's/.*error: //')"

log "run: a failed init script leaves no data directory; the defaults; POSTGRES_PASSWORD_FILE"
vol2=$vol-file
volumes+=("$vol2")
mkdir -p "$WORK/badinit" "$WORK/secret"
printf 'CREATE TABLE half_made (id int PRIMARY KEY);\nCREATE TABLE broken (;\n' >"$WORK/badinit/01-bad.sql"
chmod -R a+rX "$WORK/badinit"
printf '%s\n' "$PASSWORD-file" >"$WORK/secret/password"
chmod 0444 "$WORK/secret/password"
ctr=sqlrite-test-$RUN_ID-d
containers+=("$ctr")
podman run --name "$ctr" --pull=never -e POSTGRES_PASSWORD_FILE=/run/secret/password \
  -v "$WORK/secret:/run/secret:ro" -v "$vol2:/var/lib/sqlrite" \
  -v "$WORK/badinit:/docker-entrypoint-initdb.d:ro" "$IMAGE" >"$WORK/badinit.log" 2>&1 &&
  fail "a first start with a failing init script started"
grep -q '01-bad.sql failed' "$WORK/badinit.log" || { cat "$WORK/badinit.log"; fail "no message"; }
[[ $(podman run --rm --pull=never -v "$vol2:/var/lib/sqlrite" --entrypoint sh "$IMAGE" \
  -c 'test -e /var/lib/sqlrite/data && echo present || echo absent' 2>/dev/null) == absent ]] ||
  fail "a failed first start left a data directory"
ok "a failing init script stops the first start (exit 1) and leaves no data directory"
ctr=sqlrite-test-$RUN_ID-e
containers+=("$ctr")
t0=$(now)
run_detached --name "$ctr" -p "127.0.0.1:$port:5432" -e POSTGRES_PASSWORD_FILE=/run/secret/password \
  -v "$WORK/secret:/run/secret:ro" -v "$vol2:/var/lib/sqlrite" \
  -v "$WORK/initdb:/docker-entrypoint-initdb.d:ro" "$IMAGE"
wait_healthy "$ctr" "$t0" >/dev/null
conn="host=127.0.0.1 port=$port user=postgres dbname=postgres"
[[ $(psql_at "$PASSWORD-file" "$conn" 'SELECT note FROM init_runs') == 'init script ran' ]] ||
  fail "the next start did not initialise with the password file and run the init script"
[[ $(psql_at "$PASSWORD-file" "$conn" "SELECT count(*) FROM pg_tables WHERE tablename = 'half_made'") == 0 ]] ||
  fail "the failed first start's table is there"
ok "the next start initialised afresh: user postgres, database postgres, the password from the file"
[[ $(podman exec -e PGPASSWORD="$PASSWORD-file" "$ctr" psql -X -At -U postgres -c 'SELECT 1') == 1 ]] ||
  fail "psql in the container over the Unix socket"
ok "podman exec ... psql -U postgres over the Unix socket in /var/run/postgresql"
stop_clean "$ctr"

# ---------------------------------------------------------------- compose
log "compose: sqlrited + the ORM example app (podman-compose)"
compose_project=sqlritetest$RUN_ID
export POSTGRES_PASSWORD=$PASSWORD SQLRITE_HOST_PORT
SQLRITE_HOST_PORT=$(free_port)
pc=(podman-compose -p "$compose_project" -f docker/compose.yaml)
t0=$(now)
"${pc[@]}" up -d --no-build sqlrited >"$WORK/compose.log" 2>&1 || {
  cat "$WORK/compose.log"
  fail "podman-compose up sqlrited"
}
# podman-compose 1.0.3 ignores `condition: service_healthy`: wait here, with the compose file's
# own health check.
compose_healthy=$(wait_healthy "${compose_project}_sqlrited_1" "$t0")
ok "compose: sqlrited healthy after $compose_healthy s"
"${pc[@]}" up -d --no-build --no-deps app >>"$WORK/compose.log" 2>&1 || {
  cat "$WORK/compose.log"
  fail "podman-compose up app"
}
code=$(timeout 300 podman wait "${compose_project}_app_1") || fail "the app did not finish in 300 s"
podman logs "${compose_project}_app_1" 2>&1 | sed 's/^/  app | /'
[[ $code == 0 ]] || fail "the ORM example app exited with $code"
ok "compose: the ORM example app ran every example against sqlrited by service name (exit 0)"

log "figures"
echo "runtime image size:                      $size MB"
echo "podman run -> healthy (first start):     $healthy s"
echo "podman run -> healthy (initialised):     $restart_healthy s"
echo "docker/test.sh: all checks passed"
