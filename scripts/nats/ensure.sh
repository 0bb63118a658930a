#!/usr/bin/env bash
# Makes sure a NATS server with JetStream answers on 127.0.0.1:4222 and prints its URL, for
# NATS_URL="$(bash scripts/nats/ensure.sh)". Installs the Debian package when nats-server is missing
# and starts it with its store under .brokers/nats. Messages go to stderr; stdout is the URL only.
set -euo pipefail
cd "$(dirname "$0")/../.."

port=4222
url="nats://127.0.0.1:$port"
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The INFO a server sends says whether JetStream is on; needs the npm client (after npm ci).
jetstream_enabled() {
  [ -d node_modules/@nats-io/transport-node ] || return 0
  node -e "require('@nats-io/transport-node').connect({ servers: '127.0.0.1:$port', timeout: 3000 })
    .then(async (nc) => { const on = nc.info?.jetstream === true; await nc.close(); process.exit(on ? 0 : 3); })
    .catch(() => process.exit(4))"
}

if ! answers "$port"; then
  if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
    echo "installing the Debian package nats-server" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >&2
    # Where systemd runs, the package starts its own server without JetStream on this port.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nats-server 2>/dev/null; then
      as_root systemctl stop nats-server >&2 || true
    fi
  fi
  if ! answers "$port"; then
    bash scripts/nats/start.sh --port "$port" --store-dir .brokers/nats >/dev/null
  fi
fi

if ! jetstream_enabled; then
  echo "the server on 127.0.0.1:$port answers without JetStream; restart it with -js -sd <dir>" >&2
  exit 1
fi
echo "NATS with JetStream answers on 127.0.0.1:$port" >&2
echo "$url"
