#!/usr/bin/env bash
# pg_cluster.sh start|stop STATE_FILE: a throwaway PostgreSQL cluster for the
# tests labelled postgis. "start" makes one in a folder of its own under /tmp
# (its data, its log, and its Unix socket; no TCP port), run by an
# unprivileged user (postgres, else nobody) when run as root, as PostgreSQL
# refuses to run as root; it writes the folder's path to STATE_FILE. "stop"
# stops it and removes the folder; "start" first stops one an interrupted
# run left behind.
#
# In the cluster: the superuser bordercov_admin, who connects over the
# socket without a password; every other role must give its password
# (scram-sha-256), so that the tests can try a wrong one.
set -euo pipefail

command="${1:?usage: pg_cluster.sh start|stop STATE_FILE}"
state="${2:?usage: pg_cluster.sh start|stop STATE_FILE}"

bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bindir" ]; then
  echo "pg_cluster.sh: no PostgreSQL server here (/usr/lib/postgresql/*/bin). Install it with tools/install-deps." >&2
  exit 1
fi

owner="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  id postgres >/dev/null 2>&1 || owner=nobody
fi
as_owner() {
  if [ "$owner" = "$(id -un)" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi
}

stop() {
  [ -f "$state" ] || return 0
  local dir
  dir="$(cat "$state")"
  if [ -d "$dir/data" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  case "$dir" in /tmp/bordercov-pg.*) rm -rf "$dir" ;; esac
  rm -f "$state"
}

case "$command" in
start)
  stop
  dir="$(mktemp -d /tmp/bordercov-pg.XXXXXX)"
  chmod 755 "$dir"
  chown "$owner" "$dir"
  as_owner "$bindir/initdb" -D "$dir/data" -U bordercov_admin -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  cat >"$dir/data/pg_hba.conf" <<HBA
local all bordercov_admin trust
local all all scram-sha-256
HBA
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "$dir" >"$state"
  echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running in $dir (socket there), as $owner."
  ;;
stop)
  stop
  ;;
*)
  echo "usage: pg_cluster.sh start|stop STATE_FILE" >&2
  exit 2
  ;;
esac
