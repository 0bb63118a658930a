#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:${PGPORT:-5432} and prints its URL, for
# POSTGRES_URL="$(bash scripts/postgres/ensure.sh)". Starts the installed cluster when it is down;
# installs the Debian package when PostgreSQL is missing. The test suites connect as user postgres
# without a password and create and drop their own databases. Messages go to stderr; stdout is the
# URL only.
set -euo pipefail

port="${PGPORT:-5432}"
url="postgres://postgres@127.0.0.1:$port/postgres"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p "$port" -t 3 >/dev/null 2>&1
  elif command -v psql >/dev/null 2>&1; then
    PGCONNECT_TIMEOUT=3 psql "$url" -Atqc 'select 1' >/dev/null 2>&1
  else
    return 1
  fi
}

# Prints "<version> <cluster>" of the installed cluster configured for the port, if any.
cluster_on_port() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  pg_lsclusters -h 2>/dev/null | awk -v port="$port" '$3 == port { print $1, $2; exit }'
}

# Exit status 0: running, 3: not running (pg_ctlcluster's convention).
cluster_running() { as_root pg_ctlcluster --skip-systemctl-redirect "$1" "$2" status >/dev/null 2>&1; }

start_cluster() {
  echo "starting the PostgreSQL cluster $1/$2" >&2
  # Without the flag, pg_ctlcluster hands over to systemctl, which does not run in containers.
  as_root pg_ctlcluster --skip-systemctl-redirect "$1" "$2" start >&2
}

# A fresh Debian cluster asks for a password over TCP; put a trust rule for user postgres on
# 127.0.0.1 first, since the first matching line of pg_hba.conf wins.
trust_local_postgres() {
  local hba="/etc/postgresql/$1/$2/pg_hba.conf"
  grep -Eq '^host[[:space:]]+all[[:space:]]+postgres[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba" && return 0
  echo "trusting TCP connections from 127.0.0.1 for user postgres in $hba" >&2
  as_root sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
}

if ! answers; then
  if [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql)" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
    read -r version cluster <<<"$(cluster_on_port)"
    if [ -z "$version" ]; then
      # Starting a cluster configured for another port would not make this one answer.
      echo "no installed PostgreSQL cluster is configured for port $port (pg_lsclusters lists them;" \
        "pg_createcluster --port $port makes one)" >&2
      exit 1
    fi
    if ! cluster_running "$version" "$cluster"; then
      start_cluster "$version" "$cluster"
    fi
  else
    echo "installing the Debian package postgresql" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    # The package creates the cluster main (and may start it, where services are allowed to).
    version="$(ls /etc/postgresql | head -1)" cluster=main
    trust_local_postgres "$version" "$cluster"
    if [ "$(pg_conftool -s "$version" "$cluster" show port)" != "$port" ]; then
      as_root pg_conftool "$version" "$cluster" set port "$port"
    fi
    # A running server reads neither change until it restarts; it was started moments ago.
    if cluster_running "$version" "$cluster"; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" restart >&2
    else
      start_cluster "$version" "$cluster"
    fi
  fi

  for _ in $(seq 1 60); do
    answers && break
    sleep 0.5
  done
  if ! answers; then
    echo "PostgreSQL does not answer on 127.0.0.1:$port after 30s" >&2
    exit 1
  fi
fi

# Answering is not enough: the tests log in as postgres without a password.
if command -v psql >/dev/null 2>&1 && ! PGCONNECT_TIMEOUT=3 psql "$url" -Atqc 'select 1' >/dev/null 2>&1; then
  echo "PostgreSQL answers on 127.0.0.1:$port but refuses user postgres without a password;" \
    "add 'host all postgres 127.0.0.1/32 trust' at the top of its pg_hba.conf and reload it" >&2
  exit 1
fi
echo "PostgreSQL answers on 127.0.0.1:$port" >&2
echo "$url"
