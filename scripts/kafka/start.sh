#!/usr/bin/env bash
# Starts a single-node Apache Kafka 4 (KRaft) on 127.0.0.1 from Maven Central jars, no Docker.
# Idempotent: jars are fetched once, storage is formatted once, a running broker is reused.
# Prints the bootstrap address (host:port) on stdout once a metadata request succeeds.
#
# Usage: scripts/kafka/start.sh [--port P] [--controller-port C] [--data-dir D] [--sasl] [--timeout-ms T]
#   --port P            client listener port (default 9092)
#   --controller-port C KRaft controller port (default P+1)
#   --data-dir D        logs, config, PID and broker log (default .brokers/kafka/node-P)
#   --sasl              the client listener is SASL_PLAINTEXT with SCRAM-SHA-256/512; users
#                       eventbus/eventbus-secret (for clients) and admin/admin-secret (broker)
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
script_dir="$repo_dir/scripts/kafka"
port=9092
controller_port=""
data_dir=""
sasl=false
timeout_ms=90000

while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --controller-port) controller_port="$2"; shift 2 ;;
    --data-dir) data_dir="$2"; shift 2 ;;
    --sasl) sasl=true; shift ;;
    --timeout-ms) timeout_ms="$2"; shift 2 ;;
    *) echo "kafka/start.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
controller_port="${controller_port:-$((port + 1))}"
data_dir="${data_dir:-$repo_dir/.brokers/kafka/node-$port}"
mkdir -p "$data_dir"
data_dir="$(cd "$data_dir" && pwd)"
libs_dir="$repo_dir/.brokers/kafka/libs"
pid_file="$data_dir/kafka.pid"
log_file="$data_dir/kafka.log"
config_file="$data_dir/server.properties"
bootstrap="127.0.0.1:$port"

log() { echo "kafka/start.sh: $*" >&2; }

# Ready once a kafkajs admin's listTopics() (a metadata request) succeeds; exits 1 at the deadline.
# Runs from the repo root so that kafkajs resolves from its node_modules.
wait_ready() {
  local sasl_args=()
  [[ "$sasl" == true ]] && sasl_args=(SCRAM-SHA-256 eventbus eventbus-secret)
  (cd "$repo_dir" && node - "$bootstrap" "$timeout_ms" "${sasl_args[@]}" <<'JS'
const { Kafka, logLevel } = require('kafkajs');
const [broker, timeoutArg, mechanism, username, password] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg);
const sasl = mechanism ? { mechanism: mechanism.toLowerCase(), username, password } : undefined;
async function ready() {
  const admin = new Kafka({
    clientId: 'wait-ready', brokers: [broker], sasl, connectionTimeout: 1000, requestTimeout: 3000,
    retry: { retries: 0 }, logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
(async () => {
  while (Date.now() < deadline) {
    if (await ready()) process.exit(0);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.error(`kafka at ${broker} did not answer a metadata request in time`);
  process.exit(1);
})();
JS
  )
}

if [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  log "already running (pid $(cat "$pid_file")), data in $data_dir"
  wait_ready
  echo "$bootstrap"
  exit 0
fi

command -v java >/dev/null || { log "java (17+) is required"; exit 1; }

# Jars: fetched once; the marker names the pom they came from, so a version bump refetches.
marker="$libs_dir/.fetched-$(sha1sum "$script_dir/pom.xml" | cut -c1-12)"
if [[ ! -f "$marker" ]]; then
  command -v mvn >/dev/null || { log "maven is required to fetch the Kafka jars"; exit 1; }
  log "fetching Kafka jars from Maven Central into $libs_dir"
  rm -rf "$libs_dir"
  mkdir -p "$libs_dir"
  mvn -B -q -f "$script_dir/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs_dir" >&2
  touch "$marker"
fi

if [[ "$sasl" == true ]]; then
  listener_name=SASL_PLAINTEXT
else
  listener_name=PLAINTEXT
fi

cat >"$config_file" <<PROPS
# Written by scripts/kafka/start.sh: a single-node KRaft broker and controller on 127.0.0.1.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
controller.listener.names=CONTROLLER
listeners=$listener_name://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=$listener_name://127.0.0.1:$port
listener.security.protocol.map=CONTROLLER:PLAINTEXT,$listener_name:$listener_name
inter.broker.listener.name=$listener_name
log.dirs=$data_dir/logs
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
PROPS

if [[ "$sasl" == true ]]; then
  jaas='org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="admin-secret";'
  cat >>"$config_file" <<PROPS
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-256
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=$jaas
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$jaas
PROPS
fi

java_opts=(-Xmx512m -Xms128m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  "-Dlog4j2.configurationFile=$script_dir/log4j2.properties")
classpath="$libs_dir/*"

if [[ ! -f "$data_dir/logs/meta.properties" ]]; then
  cluster_id="$(java -cp "$classpath" "-Dlog4j2.configurationFile=$script_dir/log4j2.properties" \
    kafka.tools.StorageTool random-uuid)"
  format_args=(format -t "$cluster_id" -c "$config_file")
  if [[ "$sasl" == true ]]; then
    for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
      format_args+=(--add-scram "$mechanism=[name=admin,password=admin-secret]"
        --add-scram "$mechanism=[name=eventbus,password=eventbus-secret]")
    done
  fi
  log "formatting storage in $data_dir/logs (cluster $cluster_id)"
  java -cp "$classpath" "-Dlog4j2.configurationFile=$script_dir/log4j2.properties" \
    kafka.tools.StorageTool "${format_args[@]}" >&2
fi

log "starting broker on $bootstrap (controller 127.0.0.1:$controller_port), log $log_file"
nohup java "${java_opts[@]}" -cp "$classpath" kafka.Kafka "$config_file" >>"$log_file" 2>&1 </dev/null &
echo $! >"$pid_file"

if ! wait_ready; then
  log "broker did not become ready; last lines of $log_file:"
  tail -n 40 "$log_file" >&2 || true
  exit 1
fi
log "ready (pid $(cat "$pid_file"))"
echo "$bootstrap"
