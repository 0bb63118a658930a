#!/usr/bin/env bash
# `npm run brokers:up`: starts the local brokers for development and the broker test suites
# (Kafka from Maven jars, NATS JetStream from nats-server), then prints the variables to export.
# Idempotent: running brokers are reused. Stop them with `npm run brokers:down`.
set -euo pipefail
cd "$(dirname "$0")/.."

exports=()
if [[ -x scripts/kafka/start.sh ]]; then
  exports+=("export KAFKA_BROKERS=$(bash scripts/kafka/start.sh)")
fi
if [[ -x scripts/nats/start.sh ]]; then
  exports+=("export NATS_URL=$(bash scripts/nats/start.sh)")
fi
printf '%s\n' "${exports[@]}"
