# Kafka (Apache-2.0) in KRaft mode, one node as broker and controller, for the event tests: its
# jars come from Maven Central (org.apache.kafka:kafka_2.13) into the cache once; it runs on
# loopback on the given JDK and is stopped by PID.
#   source scripts/lib/kafka.sh; kafka_install CACHE; kafka_start DIR JAVA_HOME   (sets kafka_bootstrap)
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
kafka_version="4.3.1"

kafka_install() {
  local dir="$1/kafka/$kafka_version"
  if [[ ! -s "$dir/classpath.txt" ]]; then
    echo "kafka: fetching kafka_2.13 $kafka_version from Maven Central (first run only)" >&2
    mkdir -p "$dir" || return 1
    cat >"$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>floe.test</groupId><artifactId>kafka-server</artifactId><version>1</version>
<dependencies><dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
<version>$kafka_version</version></dependency></dependencies></project>
POM
    (cd "$dir" && mvn -B -q dependency:copy-dependencies -DoutputDirectory=lib >&2) || return 1
    ls "$dir"/lib/*.jar | tr '\n' ':' >"$dir/classpath.txt"
  fi
  kafka_classpath="$(cat "$dir/classpath.txt")"
}

kafka_start() {
  local dir="$1" java="$2" port controller id
  mkdir -p "$dir/data"
  port="$(free_loopback_port)"
  controller="$(free_loopback_port)"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
num.partitions=4
PROPS
  id="$("$java/bin/java" -cp "$kafka_classpath" kafka.tools.StorageTool random-uuid 2>/dev/null)" || return 1
  "$java/bin/java" -cp "$kafka_classpath" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" \
    >"$dir/format.log" 2>&1 || { cat "$dir/format.log" >&2; return 1; }
  "$java/bin/java" -Xms128m -Xmx512m -cp "$kafka_classpath" kafka.Kafka "$dir/server.properties" >"$dir/kafka.log" 2>&1 &
  kafka_pid=$!
  kafka_bootstrap="127.0.0.1:$port"
  local i
  for i in $(seq 1 150); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$kafka_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "kafka: did not start; its log:" >&2
  tail -40 "$dir/kafka.log" >&2
  return 1
}

kafka_stop() { stop_pid "${kafka_pid:-}"; }
