#!/usr/bin/env bash
# Stops a nats-server started by scripts/nats/start.sh, by the PID in its store directory.
#   scripts/nats/stop.sh [--store-dir D]
set -euo pipefail
cd "$(dirname "$0")/../.."

store_dir=.brokers/nats
while [ $# -gt 0 ]; do
  case "$1" in
    --store-dir) store_dir="$2"; shift 2 ;;
    --port) shift 2 ;; # accepted for symmetry with start.sh; the PID file identifies the server
    *) echo "unknown option: $1 (use --store-dir)" >&2; exit 2 ;;
  esac
done

pid_file="$store_dir/nats-server.pid"
if [ ! -f "$pid_file" ]; then
  echo "no $pid_file: nothing to stop" >&2
  exit 0
fi
pid="$(cat "$pid_file")"
if kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "nats-server $pid ignored SIGTERM for 10 s; sending SIGKILL" >&2
    kill -KILL "$pid"
  fi
fi
rm -f "$pid_file"
echo "nats-server $pid stopped" >&2
