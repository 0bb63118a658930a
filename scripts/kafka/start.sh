#!/usr/bin/env bash
# Starts a single-node Apache Kafka 4 (KRaft) on 127.0.0.1 from Maven Central jars, no Docker.
# Idempotent: jars are fetched once, storage is formatted once, a running broker is reused.
# Prints the bootstrap address (host:port) on stdout once a metadata request succeeds.
#
# Usage: scripts/kafka/start.sh [--port P] [--controller-port C] [--data-dir D] [--sasl] [--sasl-plain]
#                               [--ssl] [--ssl-client-auth none|requested|required] [--timeout-ms T]
#   --port P            client listener port (default 9092)
#   --controller-port C KRaft controller port (default P+1)
#   --data-dir D        logs, config, PID and broker log (default .brokers/kafka/node-P)
#   --sasl              the client listener is SASL_PLAINTEXT with SCRAM-SHA-256/512; users
#                       eventbus/eventbus-secret (for clients) and admin/admin-secret (broker)
#   --sasl-plain        like --sasl, and the listener also accepts PLAIN (same two users)
#   --ssl               the client listener uses TLS: SSL, or SASL_SSL with --sasl/--sasl-plain.
#                       A throwaway CA and certificates are made once in D/tls with openssl:
#                       ca.pem (what clients trust), broker.pem (key + chain for 127.0.0.1, IP SAN),
#                       client-cert.pem + client-key.pem (a client certificate from the same CA).
#                       Test use only: the CA key sits next to them, unencrypted.
#   --ssl-client-auth A whether the broker asks TLS clients for a certificate (Kafka's
#                       ssl.client.auth; default none). The controller listener stays PLAINTEXT.
#   --timeout-ms T      how long to wait for the broker to answer (default 90000)
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
script_dir="$repo_dir/scripts/kafka"
port=9092
controller_port=""
data_dir=""
sasl=false
sasl_plain=false
ssl=false
ssl_client_auth=none
timeout_ms=90000

while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --controller-port) controller_port="$2"; shift 2 ;;
    --data-dir) data_dir="$2"; shift 2 ;;
    --sasl) sasl=true; shift ;;
    --sasl-plain) sasl=true; sasl_plain=true; shift ;;
    --ssl) ssl=true; shift ;;
    --ssl-client-auth) ssl_client_auth="$2"; shift 2 ;;
    --timeout-ms) timeout_ms="$2"; shift 2 ;;
    *) echo "kafka/start.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$ssl_client_auth" in
  none | requested | required) ;;
  *) echo "kafka/start.sh: --ssl-client-auth must be none, requested or required" >&2; exit 2 ;;
esac
controller_port="${controller_port:-$((port + 1))}"
data_dir="${data_dir:-$repo_dir/.brokers/kafka/node-$port}"
mkdir -p "$data_dir"
data_dir="$(cd "$data_dir" && pwd)"
pid_file="$data_dir/kafka.pid"
log_file="$data_dir/kafka.log"
config_file="$data_dir/server.properties"
tls_dir="$data_dir/tls"
bootstrap="127.0.0.1:$port"

log() { echo "kafka/start.sh: $*" >&2; }
# Runs a command whose chatter (openssl's progress dots) is shown only when it fails.
quiet() { local out; out="$("$@" 2>&1)" || { log "$1 failed: $out"; exit 1; }; }

# Ready once a kafkajs admin's listTopics() (a metadata request) succeeds; exits 1 at the deadline.
# It connects like a client would: over TLS trusting the generated CA with --ssl, and as user
# eventbus with --sasl. Runs from the repo root so that kafkajs resolves from its node_modules.
wait_ready() {
  local ca_file="" mechanism=""
  [[ "$ssl" == true ]] && ca_file="$tls_dir/ca.pem"
  [[ "$sasl" == true ]] && mechanism=scram-sha-256
  (cd "$repo_dir" && node - "$bootstrap" "$timeout_ms" "$ca_file" "$mechanism" <<'JS'
const { readFileSync } = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');
const [broker, timeoutArg, caFile, mechanism] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg);
const ssl = caFile ? { ca: readFileSync(caFile) } : undefined;
const sasl = mechanism ? { mechanism, username: 'eventbus', password: 'eventbus-secret' } : undefined;
let lastError = 'no attempt';
async function ready() {
  const admin = new Kafka({
    clientId: 'wait-ready', brokers: [broker], ssl, sasl, connectionTimeout: 1000, requestTimeout: 3000,
    retry: { retries: 0 }, logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch (error) {
    lastError = `${error.name}: ${error.message}`;
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
  console.error(`kafka at ${broker} did not answer a metadata request in time (last error: ${lastError})`);
  process.exit(1);
})();
JS
  )
}

# The throwaway CA and certificates of --ssl, made once per data dir (a restart keeps them, so
# clients holding ca.pem stay valid). Written to a temporary dir and renamed: never half made.
make_certs() {
  [[ -f "$tls_dir/broker.pem" ]] && return 0
  command -v openssl >/dev/null || { log "openssl is required for --ssl"; exit 1; }
  local tmp
  tmp="$(mktemp -d "$data_dir/.tls.XXXXXX")"
  cat >"$tmp/ext.cnf" <<'CNF'
[ca]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[broker]
basicConstraints=CA:FALSE
subjectAltName=IP:127.0.0.1
# clientAuth too: the broker presents this certificate when it connects to its own listener.
extendedKeyUsage=serverAuth,clientAuth
[client]
basicConstraints=CA:FALSE
extendedKeyUsage=clientAuth
CNF
  quiet openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=eventbus test CA" \
    -config "$tmp/ext.cnf" -extensions ca -keyout "$tmp/ca-key.pem" -out "$tmp/ca.pem"
  local name
  for name in broker client; do
    quiet openssl req -new -newkey rsa:2048 -nodes -subj "/CN=${name/broker/127.0.0.1}" \
      -config "$tmp/ext.cnf" -keyout "$tmp/$name-key.pem" -out "$tmp/$name.csr"
    quiet openssl x509 -req -in "$tmp/$name.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca-key.pem" \
      -set_serial "0x$(openssl rand -hex 8)" -days 3650 -extfile "$tmp/ext.cnf" -extensions "$name" \
      -out "$tmp/$name-cert.pem"
  done
  # Kafka's PEM keystore: the private key (PKCS#8) followed by the certificate chain.
  cat "$tmp/broker-key.pem" "$tmp/broker-cert.pem" "$tmp/ca.pem" >"$tmp/broker.pem"
  rm -f "$tmp"/*.csr "$tmp/ext.cnf"
  rm -rf "$tls_dir"
  mv "$tmp" "$tls_dir"
  log "made a throwaway CA and certificates for 127.0.0.1 in $tls_dir"
}

if [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  log "already running (pid $(cat "$pid_file")), data in $data_dir"
  wait_ready
  echo "$bootstrap"
  exit 0
fi

command -v java >/dev/null || { log "java (17+) is required"; exit 1; }

# Jars, fetched once (fetch-jars.sh): the broker's, and Kafka's console clients, which the tests
# run to check the bus against a client that is not ours.
libs_dir="$(bash "$script_dir/fetch-jars.sh" broker)"
bash "$script_dir/fetch-jars.sh" tools >/dev/null

# The client listener's name is its security protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.
case "$sasl/$ssl" in
  false/false) listener_name=PLAINTEXT ;;
  false/true) listener_name=SSL ;;
  true/false) listener_name=SASL_PLAINTEXT ;;
  true/true) listener_name=SASL_SSL ;;
esac
[[ "$ssl" == true ]] && make_certs

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
  prefix="listener.name.${listener_name,,}"
  jaas='org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="admin-secret";'
  mechanisms=SCRAM-SHA-256,SCRAM-SHA-512
  [[ "$sasl_plain" == true ]] && mechanisms+=,PLAIN
  cat >>"$config_file" <<PROPS
sasl.enabled.mechanisms=$mechanisms
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-256
$prefix.scram-sha-256.sasl.jaas.config=$jaas
$prefix.scram-sha-512.sasl.jaas.config=$jaas
PROPS
  # PLAIN checks passwords against the user_<name> entries of its JAAS line, not the SCRAM store.
  if [[ "$sasl_plain" == true ]]; then
    cat >>"$config_file" <<PROPS
$prefix.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_eventbus="eventbus-secret";
PROPS
  fi
fi

if [[ "$ssl" == true ]]; then
  # PEM files straight from openssl, no JKS/PKCS12 conversion. The broker also trusts the CA as a
  # client of its own listener (inter-broker), where it checks 127.0.0.1 against the IP SAN.
  cat >>"$config_file" <<PROPS
ssl.keystore.type=PEM
ssl.keystore.location=$tls_dir/broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=$tls_dir/ca.pem
ssl.client.auth=$ssl_client_auth
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
