#!/usr/bin/env bash
# `npm run brokers:down`: stops the brokers `npm run brokers:up` started (their data is kept).
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
if [[ -x scripts/kafka/stop.sh ]]; then bash scripts/kafka/stop.sh || status=1; fi
if [[ -x scripts/nats/stop.sh ]]; then bash scripts/nats/stop.sh || status=1; fi
exit "$status"
