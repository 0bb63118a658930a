#!/usr/bin/env bash
# `npm run brokers:up`: starts the local servers for development and the broker test suites (Kafka
# from Maven jars, NATS JetStream from nats-server, and PostgreSQL when none answers on 5432), then
# prints the variables to export. The test suites find them at these addresses without the exports.
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
exports+=("export POSTGRES_URL=$(bash scripts/postgres/ensure.sh)")
printf '%s\n' "${exports[@]}"
