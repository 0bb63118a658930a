#!/usr/bin/env bash
# Stops a broker started by scripts/kafka/start.sh: SIGTERM by PID (controlled shutdown), then
# SIGKILL if it has not exited within 30 s. Keeps the data; delete the data dir to start afresh.
# Usage: scripts/kafka/stop.sh [--port P] [--data-dir D]   (the same --port/--data-dir as start.sh)
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
port=9092
data_dir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --data-dir) data_dir="$2"; shift 2 ;;
    *) echo "kafka/stop.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
data_dir="${data_dir:-$repo_dir/.brokers/kafka/node-$port}"
pid_file="$data_dir/kafka.pid"

if [[ ! -f "$pid_file" ]]; then
  echo "kafka/stop.sh: no PID file in $data_dir, nothing to stop" >&2
  exit 0
fi
pid="$(cat "$pid_file")"
if kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka/stop.sh: pid $pid still running after 30 s, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
fi
rm -f "$pid_file"
echo "kafka/stop.sh: stopped (pid $pid)" >&2
