#!/usr/bin/env bash
# Local stack of the interview simulator: infrastructure (PostgreSQL, Redis,
# Kafka, S3Proxy) and the six services, all on 127.0.0.1, non-default ports,
# state under one directory. No Docker, no systemd. Run deploy/deps.sh first.
#
# Usage: deploy/stack.sh COMMAND
#   infra-up        start PostgreSQL, Redis, Kafka (+ topics), S3Proxy and the
#                   speech-to-text server (services/stt, Whisper base, multilingual)
#   services-up     start the six services from $ISIM_BUILD_DIR, wait for /readyz
#   up              infra-up + services-up
#   services-down   stop the six services only (e.g. to restart a new build),
#                   and any worker replicas
#   replicas-up [N] N processes of each Kafka worker in all (default 2): a
#                   second one of each joins the same consumer group; replica
#                   K is named e.g. converter-K, its health port the worker's
#                   + 10 * (K - 1), its log isim-converter-K.log
#   replicas-down   stop the replicas (the first process of each worker stays)
#   stop NAME [--kill]  stop one part: postgres redis kafka s3proxy stt, or a
#                   service or replica (converter, converter-2...); --kill
#                   crashes it instead (SIGKILL; PostgreSQL: stop -m immediate)
#   start NAME      start one part and wait until it answers (a service takes
#                   the caller's environment, e.g. ISIM_WORK_DIR, the others
#                   keep theirs)
#   restart NAME [--kill]  stop NAME, then start it (tests/faults uses these)
#   stt-up, stt-down  start or stop the speech-to-text server alone (the
#                   transcriber falls back to pocketsphinx while it is down)
#   down [--wipe]   stop everything started here; --wipe also deletes the state dir
#   status          what runs
#   logs NAME       show a log (follows when on a terminal): postgres redis kafka
#                   s3proxy stt, or a service: gateway (or isim-gateway), converter,
#                   transcriber, video-metrics, text-metrics, result-writer
#   env             print the services' environment as export lines:
#                     eval "$(deploy/stack.sh env)"
# Environment:
#   ISIM_STATE_DIR        state: data, logs, pid files (default <repo>/.state)
#   ISIM_DEPS_DIR         where deps.sh put Kafka and S3Proxy (default <repo>/.deps)
#   ISIM_BUILD_DIR        where the service binaries are (default <repo>/build)
#   ISIM_SERVICE_WRAPPER  command prefixed to each service, e.g. "valgrind -q"
#   ISIM_READY_TIMEOUT    seconds to wait for the services' /readyz (default 60)
#   ISIM_INFRA_TIMEOUT    seconds to wait for each infrastructure part (default 90)
#   ISIM_STOP_TIMEOUT     seconds `down` gives a service after SIGTERM before
#                         SIGKILL (default 10, 60 with ISIM_SERVICE_WRAPPER)
#   any ISIM_* variable printed by `env`: a value already set wins.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPS=${ISIM_DEPS_DIR:-$REPO/.deps}
BUILD=${ISIM_BUILD_DIR:-$REPO/build}
STATE_ARG=${ISIM_STATE_DIR:-$REPO/.state}
PG_BIN=${ISIM_PG_BIN:-/usr/lib/postgresql/15/bin}
READY_TIMEOUT=${ISIM_READY_TIMEOUT:-60}
INFRA_TIMEOUT=${ISIM_INFRA_TIMEOUT:-90}
# A service under a wrapper (valgrind) may need long to write its report.
if [[ -n ${ISIM_SERVICE_WRAPPER:-} ]]; then
  STOP_TIMEOUT=${ISIM_STOP_TIMEOUT:-60}
else
  STOP_TIMEOUT=${ISIM_STOP_TIMEOUT:-10}
fi

# ISIM_PORT_OFFSET shifts every port, so two stacks (say `make up` and a test
# run with another ISIM_STATE_DIR) can run side by side.
# The ports sit below Linux's ephemeral range (32768-60999 by default): a port
# in that range can be held at any moment by some program's outgoing
# connection, and then PostgreSQL or Kafka cannot bind it (seen in CI).
OFF=${ISIM_PORT_OFFSET:-0}
[[ $OFF =~ ^[0-9]+$ ]] || { echo "[stack] ERROR: ISIM_PORT_OFFSET must be a number" >&2; exit 1; }
(( OFF <= 3000 )) || { echo "[stack] ERROR: ISIM_PORT_OFFSET must be at most 3000 (the ports must stay below 32768, out of the ephemeral range)" >&2; exit 1; }
PG_PORT=$((25432 + OFF))
REDIS_PORT=$((26379 + OFF))
KAFKA_PORT=$((29092 + OFF))
KAFKA_CONTROLLER_PORT=$((29093 + OFF))
# A second listener speaking SASL (PLAIN) over TLS with a CA of the stack's
# own, so that the managed-Kafka settings (ISIM_KAFKA_SECURITY_PROTOCOL...) are
# tested against a real broker. Development credentials, never production.
KAFKA_SECURE_PORT=$((29094 + OFF))
KAFKA_SASL_USER=isim
KAFKA_SASL_PASSWORD=isim-local-kafka-password
S3_PORT=$((29000 + OFF))
STT_PORT=$((29200 + OFF))
STT_VENV=$DEPS/stt-venv
STT_MODEL_DIR=${ISIM_STT_MODEL_DIR:-$DEPS/stt-model/whisper-base}
# The sentence-embedding model (relevance that understands paraphrase): served
# by stt at /v1/embeddings when deploy/deps.sh has installed it.
EMBED_MODEL_DIR=${ISIM_STT_EMBED_MODEL_DIR-$DEPS/embed-model/all-MiniLM-L6-v2-int8}
S3_ACCESS_KEY=isimaccess
S3_SECRET_KEY=isimsecret
S3PROXY_JAR=$DEPS/s3proxy/s3proxy-2.6.0-jar-with-dependencies.jar
KAFKA_LIB=$DEPS/kafka/lib
KAFKA_TOPICS=(interview.uploaded interview.audio-extracted interview.converted interview.transcribed
  interview.video-metrics interview.text-metrics interview.status interview.dlq)
KAFKA_PARTITIONS=4

# name:port of each service; the binary is isim-<name>.
SERVICES=(gateway:$((8080 + OFF)) converter:$((9101 + OFF)) transcriber:$((9102 + OFF))
  video-metrics:$((9103 + OFF)) text-metrics:$((9104 + OFF)) result-writer:$((9105 + OFF)))
# The Kafka workers: the services that may run as several replicas.
WORKERS=(converter transcriber video-metrics text-metrics result-writer)

log() { printf '[stack] %s\n' "$*"; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# The state directory as an absolute path (created when asked to).
STATE=
resolve_state() {
  if [[ ${1:-} == create ]]; then
    mkdir -p "$STATE_ARG"
  fi
  if [[ -d $STATE_ARG ]]; then
    STATE=$(cd "$STATE_ARG" && pwd)
  else
    STATE=$(realpath -m "$STATE_ARG")
  fi
  LOGS=$STATE/logs
  RUN=$STATE/run
}

# ---------------------------------------------------------------------------
# Environment of the services
# ---------------------------------------------------------------------------
ENV_VARS=(ISIM_KAFKA_BROKERS ISIM_PG_DSN ISIM_REDIS_HOST ISIM_REDIS_PORT
  ISIM_S3_ENDPOINT ISIM_S3_PUBLIC_ENDPOINT ISIM_S3_BUCKET ISIM_S3_ACCESS_KEY
  ISIM_S3_SECRET_KEY ISIM_WORK_DIR ISIM_GATEWAY_URL ISIM_PORT_OFFSET ISIM_BOOTSTRAP_ADMIN_KEY
  ISIM_WEBHOOK_ALLOW_NETS ISIM_TRANSCRIBE_URL ISIM_EMBED_URL ISIM_STACK_KAFKA_SASL_SSL ISIM_STACK_KAFKA_CA_FILE
  ISIM_STACK_KAFKA_SASL_USER ISIM_STACK_KAFKA_SASL_PASSWORD)

# Exports the services' environment; a variable already set by the caller wins.
isim_env() {
  export ISIM_KAFKA_BROKERS=${ISIM_KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}
  export ISIM_PG_DSN=${ISIM_PG_DSN:-postgresql://isim:isim@127.0.0.1:$PG_PORT/isim}
  export ISIM_REDIS_HOST=${ISIM_REDIS_HOST:-127.0.0.1}
  export ISIM_REDIS_PORT=${ISIM_REDIS_PORT:-$REDIS_PORT}
  export ISIM_S3_ENDPOINT=${ISIM_S3_ENDPOINT:-http://127.0.0.1:$S3_PORT}
  export ISIM_S3_PUBLIC_ENDPOINT=${ISIM_S3_PUBLIC_ENDPOINT:-http://127.0.0.1:$S3_PORT}
  export ISIM_S3_BUCKET=${ISIM_S3_BUCKET:-isim}
  export ISIM_S3_ACCESS_KEY=${ISIM_S3_ACCESS_KEY:-$S3_ACCESS_KEY}
  export ISIM_S3_SECRET_KEY=${ISIM_S3_SECRET_KEY:-$S3_SECRET_KEY}
  export ISIM_WORK_DIR=${ISIM_WORK_DIR:-$STATE/work}
  export ISIM_GATEWAY_URL=${ISIM_GATEWAY_URL:-http://127.0.0.1:$((8080 + OFF))}
  export ISIM_PORT_OFFSET=$OFF
  # The broker's SASL_SSL listener, for tests of those settings (not used by the services).
  export ISIM_STACK_KAFKA_SASL_SSL=127.0.0.1:$KAFKA_SECURE_PORT
  export ISIM_STACK_KAFKA_CA_FILE=$STATE/tls/ca.crt
  export ISIM_STACK_KAFKA_SASL_USER=$KAFKA_SASL_USER ISIM_STACK_KAFKA_SASL_PASSWORD=$KAFKA_SASL_PASSWORD
  # The local stack's admin key: for development only, never in production.
  export ISIM_BOOTSTRAP_ADMIN_KEY=${ISIM_BOOTSTRAP_ADMIN_KEY:-isim-local-dev-admin-key-not-for-production}
  # Webhooks may reach a receiver on this machine (127.0.0.1 only): a local
  # stack is for development. Production allows public addresses only.
  export ISIM_WEBHOOK_ALLOW_NETS=${ISIM_WEBHOOK_ALLOW_NETS-127.0.0.1/32}
  # The transcriber uses the speech-to-text server (set it empty for pocketsphinx alone).
  export ISIM_TRANSCRIBE_URL=${ISIM_TRANSCRIBE_URL-http://127.0.0.1:$STT_PORT}
  # The result-writer embeds the question and the answer there, when the model
  # is installed (else relevance.semantic says why it is missing).
  if [[ -f $EMBED_MODEL_DIR/model.onnx ]]; then
    export ISIM_EMBED_URL=${ISIM_EMBED_URL-http://127.0.0.1:$STT_PORT/v1}
  else
    export ISIM_EMBED_URL=${ISIM_EMBED_URL-}
  fi
}

cmd_env() {
  resolve_state
  isim_env
  local v
  for v in "${ENV_VARS[@]}"; do
    printf 'export %s=%q\n' "$v" "${!v}"
  done
}

# ---------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# True when process $1 exists and is not a zombie (a killed process may stay
# a zombie for a while when PID 1 is slow to reap it).
alive() {
  local st
  kill -0 "$1" 2>/dev/null || return 1
  st=$(awk '{ print $3 }' 2>/dev/null <"/proc/$1/stat") || return 1
  [[ $st != Z && $st != X ]]
}

# True when process $1 is alive and its command line contains $2 (so that a
# pid reused by another program after a crash is not taken for ours).
pid_is() {
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  alive "$1" || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -qF -- "$2"
}

# Prints the pid recorded in $RUN/$1.pid when that process is alive and its
# command line contains $2; returns 1 otherwise.
live_pid() {
  local f=$RUN/$1.pid pid
  [[ -f $f ]] || return 1
  pid=$(<"$f")
  pid_is "$pid" "$2" || return 1
  printf '%s\n' "$pid"
}

# spawn NAME LOGFILE CMD...: starts CMD in the background in its own session,
# detached from the terminal, output appended to LOGFILE, pid in $RUN/NAME.pid.
# ISIM_STACK_STATE in its environment lets `down` find it even without its
# pid file.
spawn() {
  local name=$1 logfile=$2
  shift 2
  printf '\n=== %s: starting %s\n' "$(date -Is)" "$*" >>"$logfile"
  ISIM_STACK_STATE=$STATE setsid "$@" >>"$logfile" 2>&1 </dev/null &
  printf '%s\n' "$!" >"$RUN/$name.pid"
}

# stop_pid NAME PID GRACE: SIGTERM, wait up to GRACE seconds, then SIGKILL.
stop_pid() {
  local name=$1 pid=$2 grace=$3 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < grace * 10; i++)); do
    alive "$pid" || { log "$name stopped"; return 0; }
    sleep 0.1
  done
  warn "$name (pid $pid) still running after ${grace}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.2
}

# fail_with_log NAME LOGFILE MESSAGE
fail_with_log() {
  printf '[stack] ERROR: %s: %s\n' "$1" "$3" >&2
  if [[ -f $2 ]]; then
    printf '[stack] last lines of %s:\n' "$2" >&2
    tail -n 30 "$2" | sed 's/^/    /' >&2
  fi
  exit 1
}

# wait_port NAME PORT PID LOGFILE: waits until the port answers, failing early
# if the process exits.
wait_port() {
  local name=$1 port=$2 pid=$3 logfile=$4 deadline=$((SECONDS + INFRA_TIMEOUT))
  until port_open "$port"; do
    alive "$pid" || fail_with_log "$name" "$logfile" "exited during start-up"
    ((SECONDS < deadline)) || fail_with_log "$name" "$logfile" \
      "port $port not answering after ${INFRA_TIMEOUT}s"
    sleep 0.2
  done
}

need_file() {
  [[ -e $1 ]] || die "$1 not found: run deploy/deps.sh first"
}

# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------
PG_AS=()     # prefix to run PostgreSQL programs as the postgres user when root

pg_paths() {
  PGDIR=$STATE/pg
  PGDATA=$PGDIR/data
  PGSOCK=$PGDIR/sock
  PGLOG=$LOGS/postgres.log
  # A unix socket path is limited to 107 bytes: fall back to /tmp when long.
  if ((${#PGSOCK} + 16 > 100)); then
    PGSOCK=/tmp/isim-pg-$(printf '%s' "$STATE" | sha256sum | cut -c1-12)
  fi
  if [[ $EUID -eq 0 ]]; then
    PG_AS=(runuser -u postgres --)
  else
    PG_AS=()
  fi
}

# True when the postmaster of $PGDATA runs (its pid, from postmaster.pid, is
# alive and has $PGDATA on its command line); its pid in PG_PID.
PG_PID=
pg_running() {
  [[ -f $PGDATA/postmaster.pid ]] || return 1
  PG_PID=$(head -n1 "$PGDATA/postmaster.pid" 2>/dev/null) || return 1
  pid_is "$PG_PID" "$PGDATA"
}

# As root, PostgreSQL runs as the postgres user, who must be able to reach the
# state dir: grant traversal (o+x, not listing) on each ancestor that lacks it.
pg_make_reachable() {
  [[ $EUID -eq 0 ]] || return 0
  id postgres >/dev/null 2>&1 || die "no 'postgres' user: is the postgresql package installed? (deploy/deps.sh)"
  local d=$PGDIR ancestors=()
  while [[ $d != / ]]; do
    d=$(dirname "$d")
    ancestors=("$d" "${ancestors[@]}")
  done
  for d in "${ancestors[@]}"; do   # from / down
    if ! runuser -u postgres -- test -x "$d"; then
      log "postgres: granting traversal (chmod o+x) on $d so the postgres user can reach $PGDIR"
      chmod o+x "$d"
    fi
  done
  chown postgres: "$PGDIR" "$PGSOCK"
  touch "$PGLOG"
  chown postgres: "$PGLOG"
  if [[ -d $PGDATA ]]; then
    chown -R postgres: "$PGDATA"
  fi
}

pg_up() {
  pg_paths
  [[ -x $PG_BIN/pg_ctl ]] || die "$PG_BIN/pg_ctl not found: run deploy/deps.sh (postgresql 15)"
  mkdir -p "$PGDIR" "$PGSOCK"
  if pg_running; then
    log "postgres: already running on 127.0.0.1:$PG_PORT"
    wait_port postgres "$PG_PORT" "$PG_PID" "$PGLOG"
  else
    # After a crash the old postmaster may linger as a zombie for a moment,
    # and PostgreSQL refuses to start while its pid exists: let it go.
    local i old
    old=$(head -n1 "$PGDATA/postmaster.pid" 2>/dev/null || true)
    for ((i = 0; i < 100; i++)); do
      if [[ ! $old =~ ^[0-9]+$ ]] || ! kill -0 "$old" 2>/dev/null; then break; fi
      sleep 0.1
    done
    pg_make_reachable
    if [[ ! -f $PGDATA/PG_VERSION ]]; then
      log "postgres: initdb in $PGDATA"
      rm -rf "$PGDATA"
      mkdir -p "$PGDATA"
      [[ $EUID -ne 0 ]] || chown postgres: "$PGDATA"
      chmod 700 "$PGDATA"
      "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --no-locale --no-sync \
        --auth-local=trust --auth-host=scram-sha-256 >>"$PGLOG" 2>&1 \
        || fail_with_log postgres "$PGLOG" "initdb failed"
      echo "include_if_exists = 'isim.conf'" >>"$PGDATA/postgresql.conf"
    fi
    # Rewritten at each start, so a moved state dir or a changed port applies.
    cat >"$PGDATA/isim.conf" <<CONF
# Written by deploy/stack.sh at each start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGSOCK'
password_encryption = 'scram-sha-256'
max_connections = 100
shared_buffers = 64MB
# A throw-away local stack: durability traded for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    # TLS offered (not required) with the stack's certificate, so that the
    # sslmode settings operators use (verify-full...) are tested for real.
    stack_tls "$STATE/tls"
    install -m 600 "$STATE/tls/broker.crt" "$PGDATA/isim-server.crt"
    install -m 600 "$STATE/tls/broker.key" "$PGDATA/isim-server.key"
    printf "ssl = on\nssl_cert_file = 'isim-server.crt'\nssl_key_file = 'isim-server.key'\n" >>"$PGDATA/isim.conf"
    [[ $EUID -ne 0 ]] || chown postgres: "$PGDATA/isim.conf" "$PGDATA/isim-server.crt" "$PGDATA/isim-server.key"
    log "postgres: starting on 127.0.0.1:$PG_PORT"
    "${PG_AS[@]}" env ISIM_STACK_STATE="$STATE" "$PG_BIN/pg_ctl" start -D "$PGDATA" -l "$PGLOG" -w -t "$INFRA_TIMEOUT" -s \
      >/dev/null 2>&1 || fail_with_log postgres "$PGLOG" "pg_ctl start failed"
  fi
  pg_running || fail_with_log postgres "$PGLOG" "not running after start"
  printf '%s\n' "$PG_PID" >"$RUN/postgres.pid"
  # Role and database, idempotently, as superuser over the unix socket.
  "$PG_BIN/psql" -X -q -h "$PGSOCK" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    >/dev/null 2>>"$PGLOG" <<'SQL' || fail_with_log postgres "$PGLOG" "creating role/database isim failed"
SELECT 'CREATE ROLE isim LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'isim')
\gexec
ALTER ROLE isim LOGIN PASSWORD 'isim';
SELECT 'CREATE DATABASE isim OWNER isim' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'isim')
\gexec
SQL
  log "postgres: ready (postgresql://isim:isim@127.0.0.1:$PG_PORT/isim)"
}

pg_down() {
  pg_paths
  if pg_running; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" stop -D "$PGDATA" -m fast -w -t 30 -s >/dev/null 2>&1 \
      || warn "pg_ctl stop failed: see $PGLOG"
    log "postgres stopped"
  fi
  rm -f "$RUN/postgres.pid"
}

# ---------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------
redis_up() {
  local dir=$STATE/redis logfile=$LOGS/redis.log pid
  command -v redis-server >/dev/null 2>&1 || die "redis-server not found: run deploy/deps.sh"
  mkdir -p "$dir"
  if pid=$(live_pid redis "127.0.0.1:$REDIS_PORT"); then
    log "redis: already running on 127.0.0.1:$REDIS_PORT (pid $pid)"
    wait_port redis "$REDIS_PORT" "$pid" "$logfile"
    return 0
  fi
  if port_open "$REDIS_PORT"; then
    die "port $REDIS_PORT is taken by another process (not this stack's redis): free it or stop that stack"
  fi
  log "redis: starting on 127.0.0.1:$REDIS_PORT"
  spawn redis "$logfile" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" \
    --dir "$dir" --daemonize no --appendonly no --save '' --protected-mode yes
  pid=$(<"$RUN/redis.pid")
  wait_port redis "$REDIS_PORT" "$pid" "$logfile"
  log "redis: ready"
}

redis_down() {
  local pid
  if pid=$(live_pid redis "127.0.0.1:$REDIS_PORT"); then
    stop_pid redis "$pid" 10
  fi
  rm -f "$RUN/redis.pid"
}

# ---------------------------------------------------------------------------
# Kafka (KRaft, combined broker + controller)
# ---------------------------------------------------------------------------
# A Kafka command-line tool's JVM: small and quick to start.
KAFKA_TOOL=(java -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto
  -Djava.awt.headless=true
  -Dlog4j2.configurationFile="$REPO/deploy/kafka/log4j2-tools.properties"
  -cp "$KAFKA_LIB/*")

# stack_tls DIR: a CA of the stack's own and a server certificate for
# 127.0.0.1 signed by it (made once; the broker's SASL_SSL listener and
# PostgreSQL use it): ca.crt is what a client verifies with.
stack_tls() {
  local d=$1
  [[ -s $d/broker.pem && -s $d/ca.crt ]] && return 0
  command -v openssl >/dev/null 2>&1 || die "openssl not found: run deploy/deps.sh"
  mkdir -p "$d"
  (
    cd "$d" &&
      openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
        -subj "/CN=isim local stack CA" &&
      openssl req -newkey rsa:2048 -nodes -keyout broker.key -out broker.csr -subj "/CN=127.0.0.1" &&
      printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >broker.ext &&
      openssl x509 -req -in broker.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out broker.crt \
        -days 3650 -extfile broker.ext &&
      cat broker.key broker.crt >broker.pem.part && mv broker.pem.part broker.pem
  ) >>"$LOGS/tls.log" 2>&1 || die "making the stack's TLS certificates in $d failed (see $LOGS/tls.log)"
}

# Starts the broker if needed, without waiting for it (see kafka_ready).
kafka_start() {
  local dir=$STATE/kafka logfile=$LOGS/kafka.log props=$STATE/kafka/server.properties pid
  command -v java >/dev/null 2>&1 || die "java not found: run deploy/deps.sh"
  need_file "$KAFKA_LIB"
  compgen -G "$KAFKA_LIB/kafka_2.13-*.jar" >/dev/null || die "Kafka jars missing in $KAFKA_LIB: run deploy/deps.sh"
  mkdir -p "$dir/data"
  # Alive but not answering yet (an interrupted start): kafka_ready waits.
  if pid=$(live_pid kafka "$props"); then
    log "kafka: already running on 127.0.0.1:$KAFKA_PORT (pid $pid)"
  else
    local p
    for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$KAFKA_SECURE_PORT"; do
      ! port_open "$p" || die "port $p is taken by another process (not this stack's kafka)"
    done
    stack_tls "$STATE/tls"
    cat >"$props" <<PROPS
# Written by deploy/stack.sh at each start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT,SASL_SSL://127.0.0.1:$KAFKA_SECURE_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SASL_SSL://127.0.0.1:$KAFKA_SECURE_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL
sasl.enabled.mechanisms=PLAIN
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$KAFKA_SASL_USER" password="$KAFKA_SASL_PASSWORD" user_$KAFKA_SASL_USER="$KAFKA_SASL_PASSWORD";
ssl.keystore.type=PEM
ssl.keystore.location=$STATE/tls/broker.pem
log.dirs=$dir/data
num.partitions=$KAFKA_PARTITIONS
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
log.retention.hours=24
log.segment.bytes=67108864
PROPS
    if [[ ! -f $dir/data/meta.properties ]]; then
      local cid
      if [[ ! -s $dir/cluster.id ]]; then
        # What StorageTool random-uuid prints (16 random bytes, base64url,
        # not starting with '-'), without a JVM.
        cid=-
        while [[ $cid == -* ]]; do
          cid=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
        done
        printf '%s\n' "$cid" >"$dir/cluster.id"
      fi
      cid=$(<"$dir/cluster.id")
      log "kafka: formatting $dir/data (cluster id $cid)"
      "${KAFKA_TOOL[@]}" kafka.tools.StorageTool format --ignore-formatted -t "$cid" -c "$props" \
        >>"$logfile" 2>&1 || fail_with_log kafka "$logfile" "StorageTool format failed"
    fi
    log "kafka: starting on 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
    spawn kafka "$logfile" java -Xms256m -Xmx512m -XX:+UseSerialGC -Xss1m \
      -XX:MaxMetaspaceSize=256m -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$REPO/deploy/kafka/log4j2.properties" \
      -cp "$KAFKA_LIB/*" kafka.Kafka "$props"
  fi
}

kafka_ready() {
  local logfile=$LOGS/kafka.log pid
  pid=$(<"$RUN/kafka.pid")
  wait_port kafka "$KAFKA_PORT" "$pid" "$logfile"
  kafka_topics "$logfile"
}

# Waits until the broker serves metadata, creates the missing topics and waits
# for their leaders: deploy/kafka/topics.py speaks the Kafka protocol, one
# short process instead of a JVM per topic.
kafka_topics() {
  local logfile=$1 out
  command -v python3 >/dev/null 2>&1 || die "python3 not found: run deploy/deps.sh"
  if ! out=$(python3 "$REPO/deploy/kafka/topics.py" "127.0.0.1:$KAFKA_PORT" \
      "$KAFKA_PARTITIONS" "$INFRA_TIMEOUT" "${KAFKA_TOPICS[@]}" 2>&1); then
    printf '%s\n' "$out" >>"$logfile"
    fail_with_log kafka "$logfile" "$out"
  fi
  [[ -z $out ]] || log "kafka: $out ($KAFKA_PARTITIONS partitions)"
  log "kafka: ready, ${#KAFKA_TOPICS[@]} topics"
}

kafka_down() {
  local pid
  if pid=$(live_pid kafka "$STATE/kafka/server.properties"); then
    stop_pid kafka "$pid" 30
  fi
  rm -f "$RUN/kafka.pid"
}

# ---------------------------------------------------------------------------
# S3Proxy (S3 API, checks SigV2/SigV4 signatures, filesystem backend)
# ---------------------------------------------------------------------------
# Starts S3Proxy if needed, without waiting for it (see s3_ready).
s3_start() {
  local dir=$STATE/s3 logfile=$LOGS/s3proxy.log props=$STATE/s3/s3proxy.properties pid
  command -v java >/dev/null 2>&1 || die "java not found: run deploy/deps.sh"
  need_file "$S3PROXY_JAR"
  mkdir -p "$dir/data"
  if pid=$(live_pid s3proxy "$props"); then
    log "s3proxy: already running on 127.0.0.1:$S3_PORT (pid $pid)"
    return 0
  fi
  ! port_open "$S3_PORT" || die "port $S3_PORT is taken by another process (not this stack's s3proxy)"
  cat >"$props" <<PROPS
# Written by deploy/stack.sh at each start.
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
s3proxy.cors-allow-all=true
s3proxy.ignore-unknown-headers=true
s3proxy.v4-max-non-chunked-request-size=671088640
jclouds.provider=filesystem
jclouds.filesystem.basedir=$dir/data
PROPS
  log "s3proxy: starting on 127.0.0.1:$S3_PORT"
  # S3Proxy holds a PUT whose payload hash is signed (the gateway's uploads,
  # the converter's outputs) in its heap to check it, up to
  # v4-max-non-chunked-request-size above (its default refused the remux of a
  # 10-minute 1080p answer, 315 MB); with a 256 MB heap a 160 MB upload
  # failed with OutOfMemoryError (both found by make bench). The largest
  # upload is 512 MB.
  spawn s3proxy "$logfile" java -Xms64m -Xmx1536m -XX:+UseSerialGC -Djava.awt.headless=true \
    -jar "$S3PROXY_JAR" --properties "$props"
}

s3_ready() {
  local logfile=$LOGS/s3proxy.log pid code
  pid=$(<"$RUN/s3proxy.pid")
  wait_port s3proxy "$S3_PORT" "$pid" "$logfile"
  # An unsigned request must be refused: proves it answers and checks auth.
  code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$S3_PORT/" || true)
  [[ $code == 403 ]] || fail_with_log s3proxy "$logfile" \
    "expected 403 for an unsigned request, got '$code'"
  log "s3proxy: ready (access key $S3_ACCESS_KEY)"
}

s3_down() {
  local pid
  if pid=$(live_pid s3proxy "$STATE/s3/s3proxy.properties"); then
    stop_pid s3proxy "$pid" 10
  fi
  rm -f "$RUN/s3proxy.pid"
}

# ---------------------------------------------------------------------------
# Speech-to-text server (services/stt: faster-whisper behind an OpenAI-style API)
# ---------------------------------------------------------------------------
stt_start() {
  local logfile=$LOGS/stt.log pid
  [[ -x $STT_VENV/bin/python ]] || die "$STT_VENV not found: run deploy/deps.sh"
  need_file "$STT_MODEL_DIR/model.bin"
  if pid=$(live_pid stt "isim_stt"); then
    log "stt: already running on 127.0.0.1:$STT_PORT (pid $pid)"
    return 0
  fi
  ! port_open "$STT_PORT" || die "port $STT_PORT is taken by another process (not this stack's stt)"
  local embed=""
  [[ -f $EMBED_MODEL_DIR/model.onnx ]] && embed=$EMBED_MODEL_DIR
  log "stt: starting on 127.0.0.1:$STT_PORT (model $STT_MODEL_DIR${embed:+, embeddings $embed})"
  # One decode on every core (ISIM_STT_THREADS=0), where the server's own
  # default is one thread: here everything shares one machine, and while a
  # single answer is processed the video metrics end long before the
  # transcription, leaving a core idle (a 2-minute answer: 31.6 s of decoding
  # on one thread, 20.8 s on two; docs/benchmarks.md). Two decodes at once
  # (ISIM_STT_CONCURRENCY=2) so that two transcriber replicas (replicas-up)
  # do not queue behind one slot in a batch; two decodes of two threads each
  # cost little more than two of one (measured, docs/operations.md 4.4).
  (cd "$REPO/services/stt" && ISIM_STT_MODEL_DIR=$STT_MODEL_DIR ISIM_STT_EMBED_MODEL_DIR=$embed \
    ISIM_STT_PORT=$STT_PORT ISIM_STT_THREADS=${ISIM_STT_THREADS:-0} \
    ISIM_STT_CONCURRENCY=${ISIM_STT_CONCURRENCY:-2} \
    spawn stt "$logfile" "$STT_VENV/bin/python" -m isim_stt)
}

stt_ready() {
  local logfile=$LOGS/stt.log pid deadline=$((SECONDS + INFRA_TIMEOUT))
  pid=$(<"$RUN/stt.pid")
  wait_port stt "$STT_PORT" "$pid" "$logfile"
  until [[ $(readyz_code "$STT_PORT") == 200 ]]; do
    alive "$pid" || fail_with_log stt "$logfile" "exited while loading the model"
    ((SECONDS < deadline)) || fail_with_log stt "$logfile" "model not loaded after ${INFRA_TIMEOUT}s"
    sleep 0.2
  done
  log "stt: ready"
}

stt_down() {
  local pid
  if pid=$(live_pid stt "isim_stt"); then
    stop_pid stt "$pid" 15
  fi
  rm -f "$RUN/stt.pid"
}

# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------
cmd_infra_up() {
  resolve_state create
  mkdir -p "$LOGS" "$RUN"
  local start=$SECONDS
  # The JVMs start in the background while PostgreSQL and Redis come up.
  kafka_start
  s3_start
  stt_start
  pg_up
  redis_up
  kafka_ready
  s3_ready
  stt_ready
  log "infrastructure up in $((SECONDS - start)) s (state: $STATE)"
}

readyz_code() {
  curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1/readyz" 2>/dev/null || true
}

# instance_spec INSTANCE: I_NAME (the service), I_PORT and I_PID (its pid
# and log file name) of "converter", or of a replica "converter-2": replica K
# of a worker listens on the worker's port + 10 * (K - 1).
instance_spec() {
  local inst=$1 k=1 s
  I_NAME=$inst
  if [[ $inst =~ ^(.+)-([0-9]+)$ ]]; then
    I_NAME=${BASH_REMATCH[1]} k=${BASH_REMATCH[2]}
    ((k >= 2 && k <= 9)) || die "replica number of '$inst' must be 2 to 9"
    [[ $I_NAME != gateway ]] || die "the gateway has no replicas here (workers only)"
  fi
  I_PORT=
  for s in "${SERVICES[@]}"; do
    [[ ${s%%:*} == "$I_NAME" ]] && I_PORT=${s##*:}
  done
  [[ -n $I_PORT ]] || die "unknown service '$inst' (gateway ${WORKERS[*]}, or a worker's replica such as converter-2)"
  I_PORT=$((I_PORT + 10 * (k - 1)))
  I_PID=isim-$inst
}

# Replicas started by replicas-up or `start NAME-K`, from their pid files.
replica_instances() {
  local f inst
  for f in "$RUN"/isim-*-[0-9].pid; do
    [[ -e $f ]] || continue
    inst=${f##*/isim-}
    printf '%s
' "${inst%.pid}"
  done
}

# start_instances INSTANCE...: starts each service instance not running yet
# (the environment of this call applies to those it starts), then waits until
# every one of them answers /readyz with 200.
start_instances() {
  resolve_state create
  mkdir -p "$LOGS" "$RUN"
  command -v curl >/dev/null 2>&1 || die "curl not found: run deploy/deps.sh"
  isim_env
  mkdir -p "$ISIM_WORK_DIR"
  local -a wrapper=()
  if [[ -n ${ISIM_SERVICE_WRAPPER:-} ]]; then
    read -r -a wrapper <<<"$ISIM_SERVICE_WRAPPER"
  fi
  local inst bin pid missing=()
  for inst in "$@"; do
    instance_spec "$inst"
    bin=$BUILD/isim-$I_NAME
    [[ -x $bin ]] || missing+=("$bin")
  done
  [[ ${#missing[@]} -eq 0 ]] || die "service binaries not found: ${missing[*]}
  build them first (cmake -S . -B build && cmake --build build), or set ISIM_BUILD_DIR"

  for inst in "$@"; do
    instance_spec "$inst"
    bin=$BUILD/isim-$I_NAME
    if pid=$(live_pid "$I_PID" "/isim-$I_NAME"); then
      log "$inst: already running (pid $pid, port $I_PORT)"
      continue
    fi
    ! port_open "$I_PORT" || die "port $I_PORT (for $inst) is taken by another process"
    log "$inst: starting on 127.0.0.1:$I_PORT"
    ISIM_HTTP_PORT=$I_PORT spawn "$I_PID" "$LOGS/$I_PID.log" "${wrapper[@]}" "$bin"
    # Until the background child has exec'd the binary, its command line is
    # this script's: live_pid below would take it for a service that exited.
    pid=$(<"$RUN/$I_PID.pid")
    local i
    for ((i = 0; i < 50; i++)); do
      pid_is "$pid" "/isim-$I_NAME" || ! alive "$pid" && break
      sleep 0.1
    done
  done

  # Wait until every one answers /readyz with 200.
  local deadline=$((SECONDS + READY_TIMEOUT)) pending failed=() code
  while :; do
    pending=()
    failed=()
    for inst in "$@"; do
      instance_spec "$inst"
      if ! live_pid "$I_PID" "/isim-$I_NAME" >/dev/null; then
        failed+=("$inst:exited")
        continue
      fi
      code=$(readyz_code "$I_PORT")
      [[ $code == 200 ]] || pending+=("$inst:$code")
    done
    [[ ${#failed[@]} -eq 0 && ${#pending[@]} -eq 0 ]] && break
    if [[ ${#failed[@]} -gt 0 ]] || ((SECONDS >= deadline)); then
      local f what
      if [[ ${#failed[@]} -gt 0 ]]; then
        # A service that exited: report it now rather than wait for the others.
        set -- "${failed[@]}"
        [[ ${#pending[@]} -eq 0 ]] || log "not ready yet: ${pending[*]%%:*}"
      else
        set -- "${pending[@]}"
      fi
      for f in "$@"; do
        inst=${f%%:*} code=${f#*:}
        case $code in
          exited) what="exited" ;;
          000|'') what="/readyz not answering after ${READY_TIMEOUT}s" ;;
          *) what="/readyz answered $code (not 200) after ${READY_TIMEOUT}s" ;;
        esac
        printf '[stack] ERROR: %s: %s; last lines of %s:\n' "$inst" "$what" "$LOGS/isim-$inst.log" >&2
        tail -n 20 "$LOGS/isim-$inst.log" 2>/dev/null | sed 's/^/    /' >&2
      done
      die "services not ready (those running keep running: deploy/stack.sh down stops them)"
    fi
    sleep 0.5
  done
}

cmd_services_up() {
  local s names=()
  for s in "${SERVICES[@]}"; do
    names+=("${s%%:*}")
  done
  start_instances "${names[@]}"
  log "services ready"
  echo "Gateway: http://127.0.0.1:$((8080 + OFF))"
}

# stop_instance INSTANCE [--kill]: SIGTERM (SIGKILL after $STOP_TIMEOUT s), or
# SIGKILL at once with --kill (a crash).
stop_instance() {
  local pid
  instance_spec "$1"
  if pid=$(live_pid "$I_PID" "/isim-$I_NAME"); then
    if [[ ${2:-} == --kill ]]; then
      kill -KILL "$pid" 2>/dev/null || true
      log "$1 killed (SIGKILL)"
    else
      stop_pid "$1" "$pid" "$STOP_TIMEOUT"
    fi
  fi
  rm -f "$RUN/$I_PID.pid"
}

services_down() {
  local s inst
  for inst in $(replica_instances); do
    stop_instance "$inst"
  done
  for s in "${SERVICES[@]}"; do
    stop_instance "${s%%:*}"
  done
}

# replicas-up [N]: N processes of each worker in all (2 to 9, default 2).
cmd_replicas_up() {
  local n=${1:-2} w k insts=()
  [[ $n =~ ^[2-9]$ ]] || die "replicas-up: N must be 2 to 9"
  for w in "${WORKERS[@]}"; do
    for ((k = 2; k <= n; k++)); do
      insts+=("$w-$k")
    done
  done
  start_instances "${insts[@]}"
  log "replicas ready: ${insts[*]}"
}

cmd_replicas_down() {
  local inst
  resolve_state
  for inst in $(replica_instances); do
    stop_instance "$inst"
  done
}

# stop NAME [--kill]: one part of the stack. Infrastructure stops as `down`
# stops it (--kill: SIGKILL, or for PostgreSQL `pg_ctl stop -m immediate`, as
# a crash); a service or replica as services-down stops it (--kill: SIGKILL).
cmd_stop() {
  local name=${1:-} how=${2:-} pid
  [[ -n $name ]] || die "usage: deploy/stack.sh stop NAME [--kill]"
  [[ -z $how || $how == --kill ]] || die "stop: unknown argument '$how' (only --kill)"
  resolve_state
  case $name in
    postgres)
      pg_paths
      if [[ $how == --kill ]] && pg_running; then
        "${PG_AS[@]}" "$PG_BIN/pg_ctl" stop -D "$PGDATA" -m immediate -w -t 30 -s >/dev/null 2>&1 \
          || warn "pg_ctl stop -m immediate failed: see $PGLOG"
        rm -f "$RUN/postgres.pid"
        log "postgres stopped (immediate)"
      else
        pg_down
      fi ;;
    redis|kafka|s3proxy|stt)
      if [[ $how == --kill ]]; then
        local what
        case $name in
          redis) what=127.0.0.1:$REDIS_PORT ;;
          kafka) what=$STATE/kafka/server.properties ;;
          s3proxy) what=$STATE/s3/s3proxy.properties ;;
          stt) what=isim_stt ;;
        esac
        if pid=$(live_pid "$name" "$what"); then
          kill -KILL "$pid" 2>/dev/null || true
          while alive "$pid"; do sleep 0.1; done
          log "$name killed (SIGKILL)"
        fi
        rm -f "$RUN/$name.pid"
      else
        "${name%proxy}_down"
      fi ;;
    *) stop_instance "$name" "$how" ;;
  esac
}

# start NAME: one part of the stack, waiting until it answers.
cmd_start() {
  local name=${1:-}
  [[ -n $name ]] || die "usage: deploy/stack.sh start NAME"
  resolve_state create
  mkdir -p "$LOGS" "$RUN"
  case $name in
    postgres) pg_up ;;
    redis) redis_up ;;
    kafka) kafka_start; kafka_ready ;;
    s3proxy) s3_start; s3_ready ;;
    stt) stt_start; stt_ready ;;
    *) start_instances "$name"; log "$name ready" ;;
  esac
}

# Pids of processes of this stack: their command line mentions the state dir,
# or their environment has ISIM_STACK_STATE=$STATE (set by spawn). Finds a
# leftover after a crash or a lost pid file.
state_procs() {
  local p
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    if tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -qF -- "$STATE/" \
       || grep -qzxF -- "ISIM_STACK_STATE=$STATE" 2>/dev/null <"/proc/$p/environ"; then
      printf '%s\n' "$p"
    fi
  done
  return 0
}

cmd_down() {
  local wipe=0
  case "${1:-}" in
    "") ;;
    --wipe) wipe=1 ;;
    *) die "down: unknown argument '$1' (only --wipe)" ;;
  esac
  resolve_state
  if [[ -d $STATE ]]; then
    services_down
    kafka_down
    s3_down
    stt_down
    redis_down
    pg_down
    # Nothing may be left: kill whatever still mentions the state dir.
    local -a left
    mapfile -t left < <(state_procs)
    if [[ ${#left[@]} -gt 0 ]]; then
      warn "processes still using $STATE: ${left[*]}: SIGTERM"
      kill -TERM "${left[@]}" 2>/dev/null || true
      sleep 2
      mapfile -t left < <(state_procs)
      if [[ ${#left[@]} -gt 0 ]]; then
        warn "SIGKILL ${left[*]}"
        kill -KILL "${left[@]}" 2>/dev/null || true
        sleep 0.5
      fi
    fi
    mapfile -t left < <(state_procs)
    [[ ${#left[@]} -eq 0 ]] || die "processes still running: ${left[*]}"
    log "stopped"
  else
    log "nothing to stop ($STATE does not exist)"
  fi
  if [[ $wipe -eq 1 && -e $STATE ]]; then
    pg_paths
    [[ $PGSOCK == "$STATE"/* ]] || rm -rf "$PGSOCK"
    rm -rf "$STATE"
    log "wiped $STATE"
  fi
}

# ---------------------------------------------------------------------------
# status, logs
# ---------------------------------------------------------------------------
status_line() {
  # status_line NAME STATE DETAIL
  printf '  %-15s %-8s %s\n' "$1" "$2" "$3"
}

cmd_status() {
  resolve_state
  local pid s name port bin rc=0 detail
  echo "state: $STATE"
  echo "infrastructure:"
  pg_paths
  if [[ -d $STATE ]] && pg_running; then
    status_line postgres up "pid $PG_PID, 127.0.0.1:$PG_PORT"
  else
    status_line postgres down ""; rc=1
  fi
  # name|port|what its command line contains
  local -a infra=("redis|$REDIS_PORT|127.0.0.1:$REDIS_PORT"
    "kafka|$KAFKA_PORT|$STATE/kafka/server.properties"
    "s3proxy|$S3_PORT|$STATE/s3/s3proxy.properties"
    "stt|$STT_PORT|isim_stt")
  for s in "${infra[@]}"; do
    IFS='|' read -r name port bin <<<"$s"
    if pid=$(live_pid "$name" "$bin"); then
      detail="pid $pid, 127.0.0.1:$port"
      port_open "$port" || detail+=" (port not answering)"
      status_line "$name" up "$detail"
    else
      status_line "$name" down ""; rc=1
    fi
  done
  echo "services ($BUILD):"
  local inst
  for inst in "${SERVICES[@]%%:*}" $(replica_instances); do
    instance_spec "$inst"
    if pid=$(live_pid "$I_PID" "/isim-$I_NAME"); then
      status_line "$inst" up "pid $pid, http://127.0.0.1:$I_PORT, /readyz $(readyz_code "$I_PORT")"
    else
      status_line "$inst" down ""
    fi
  done
  return "$rc"
}

cmd_logs() {
  resolve_state
  local name=${1:-}
  [[ -n $name ]] || die "usage: deploy/stack.sh logs NAME (postgres redis kafka s3proxy stt gateway converter transcriber video-metrics text-metrics result-writer)"
  local f=$LOGS/$name.log
  # Services may be named with or without the isim- prefix.
  [[ -f $f || ! -f $LOGS/isim-$name.log ]] || f=$LOGS/isim-$name.log
  if [[ ! -f $f ]]; then
    local -a have=("$LOGS"/*.log)
    have=("${have[@]##*/}")
    die "no log $f (have: ${have[*]%.log})"
  fi
  if [[ -t 1 ]]; then
    exec tail -n 100 -F "$f"
  else
    tail -n 200 "$f"
  fi
}

usage() {
awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    infra-up) cmd_infra_up ;;
    services-up) cmd_services_up ;;
    up) cmd_infra_up; cmd_services_up ;;
    services-down) resolve_state; services_down ;;
    replicas-up) cmd_replicas_up "$@" ;;
    replicas-down) cmd_replicas_down ;;
    stop) cmd_stop "$@" ;;
    start) cmd_start "$@" ;;
    restart) cmd_stop "$@"; cmd_start "${1:-}" ;;
    stt-up) resolve_state create; mkdir -p "$LOGS" "$RUN"; stt_start; stt_ready ;;
    stt-down) resolve_state; stt_down ;;
    down) cmd_down "$@" ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    env) cmd_env ;;
    -h|--help|help) usage ;;
    "") usage; exit 2 ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
