#!/usr/bin/env bash
# Starts a nats-server with JetStream of one's own and waits until it answers.
#   scripts/nats/start.sh [--port P] [--store-dir D] [--user U --pass W | --token T]
# The PID is written to <store-dir>/nats-server.pid, the log to <store-dir>/nats-server.log.
# Prints the client URL (nats://127.0.0.1:P) on stdout; stop it with scripts/nats/stop.sh.
# A NATS server with JetStream already on the port is reused (nothing is started, nothing to stop).
set -euo pipefail
cd "$(dirname "$0")/../.."

port=4222
store_dir=.brokers/nats
auth=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --store-dir) store_dir="$2"; shift 2 ;;
    --user) auth+=(--user "$2"); shift 2 ;;
    --pass) auth+=(--pass "$2"); shift 2 ;;
    --token) auth+=(--auth "$2"); shift 2 ;;
    *) echo "unknown option: $1 (use --port, --store-dir, --user, --pass, --token)" >&2; exit 2 ;;
  esac
done

bin="${NATS_SERVER_BIN:-$(command -v nats-server || echo /usr/sbin/nats-server)}"
[ -x "$bin" ] || { echo "nats-server not found; run scripts/nats/ensure.sh or apt-get install nats-server" >&2; exit 1; }

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# The INFO line a NATS server sends on connect; empty when something else (or nothing) listens.
server_info() { (exec 3<>"/dev/tcp/127.0.0.1/$1" && read -r -t 2 line <&3 && echo "$line") 2>/dev/null || true; }

if answers "$port"; then
  info="$(server_info "$port")"
  if [[ "$info" == INFO* && "$info" == *'"jetstream":true'* ]]; then
    # Idempotent for `npm run brokers:up`: a NATS server with JetStream already serves this port.
    echo "reusing the NATS server with JetStream already on 127.0.0.1:$port" >&2
    echo "nats://127.0.0.1:$port"
    exit 0
  fi
  echo "port $port is in use by something that is not a NATS server with JetStream; pick another with --port" >&2
  exit 1
fi

mkdir -p "$store_dir"
pid_file="$store_dir/nats-server.pid"
log_file="$store_dir/nats-server.log"
# setsid: the server outlives this script and is not killed with the caller's process group.
setsid "$bin" -a 127.0.0.1 -p "$port" -js -sd "$store_dir" -l "$log_file" ${auth[@]+"${auth[@]}"} \
  </dev/null >/dev/null 2>&1 &
pid=$!
echo "$pid" >"$pid_file"

for _ in $(seq 1 100); do
  if answers "$port"; then
    echo "nats-server (pid $pid, store $store_dir) listens on 127.0.0.1:$port" >&2
    echo "nats://127.0.0.1:$port"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
echo "nats-server did not start on port $port; last log lines:" >&2
tail -n 20 "$log_file" >&2 || true
kill "$pid" 2>/dev/null || true
rm -f "$pid_file"
exit 1
