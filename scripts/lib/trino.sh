# Trino (Apache-2.0), an engine whose access control asks OPA: the server's tarball comes from
# Maven Central (io.trino:trino-server) into the cache once; it runs on loopback with only the
# plugins the tests use (iceberg, opa), on its own JDK (Temurin 25), and is stopped by PID.
#   source scripts/lib/trino.sh; trino_install CACHE; trino_launch DIR JAVA_HOME; trino_wait
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
trino_version="476"

trino_install() {
  local dir="$1/trino/trino-server-$trino_version"
  if [[ ! -x "$dir/bin/launcher" ]]; then
    echo "trino: fetching trino-server $trino_version from Maven Central (first run only)" >&2
    mkdir -p "$1/trino/download" || return 1
    mvn -B -q dependency:copy "-Dartifact=io.trino:trino-server:$trino_version:tar.gz" \
      "-DoutputDirectory=$1/trino/download" >&2 || return 1
    tar -xzf "$1/trino/download/trino-server-$trino_version.tar.gz" -C "$1/trino" || return 1
    rm -rf "$1/trino/download"
  fi
  trino_home="$dir"
}

# Writes DIR/etc for one coordinator on loopback; catalogs and access control are added by the
# caller under DIR/etc. Sets trino_url.   trino_configure DIR
trino_configure() {
  local dir="$1" port
  port="$(free_loopback_port)"
  mkdir -p "$dir/etc/catalog" "$dir/plugin" "$dir/data"
  # only the plugins the tests use: a faster start
  ln -sfn "$trino_home/plugin/iceberg" "$dir/plugin/iceberg"
  ln -sfn "$trino_home/plugin/opa" "$dir/plugin/opa"
  cat >"$dir/etc/config.properties" <<PROPS
coordinator=true
node-scheduler.include-coordinator=true
http-server.http.port=$port
discovery.uri=http://127.0.0.1:$port
plugin.dir=$dir/plugin
query.max-memory=512MB
query.max-memory-per-node=512MB
PROPS
  cat >"$dir/etc/node.properties" <<PROPS
node.environment=floe_test
node.id=floe-test
node.data-dir=$dir/data
node.internal-address=127.0.0.1
PROPS
  cat >"$dir/etc/jvm.config" <<PROPS
-server
-Xmx1536m
-XX:+UseSerialGC
-XX:+ExitOnOutOfMemoryError
-XX:-OmitStackTraceInFastThrow
-XX:ReservedCodeCacheSize=256M
-Djdk.attach.allowAttachSelf=true
-Dfile.encoding=UTF-8
-XX:+EnableDynamicAgentLoading
PROPS
  echo "io.trino=WARN" >"$dir/etc/log.properties"
  trino_url="http://127.0.0.1:$port"
}

# Starts the configured Trino without waiting; sets trino_pid.   trino_launch DIR JAVA_HOME
trino_launch() {
  local dir="$1" java="$2"
  PATH="$java/bin:$PATH" JAVA_HOME="$java" "$trino_home/bin/launcher" run --etc-dir "$dir/etc" \
    --data-dir "$dir/data" >"$dir/trino.log" 2>&1 &
  trino_pid=$!
  trino_log="$dir/trino.log"
}

# Waits until the coordinator has started (it answers /v1/info with "starting": false).
trino_wait() {
  local i
  for i in $(seq 1 360); do
    curl -sf "$trino_url/v1/info" 2>/dev/null | grep -q '"starting":false' && return 0
    kill -0 "$trino_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "trino: did not start; its log:" >&2
  tail -60 "$trino_log" >&2
  return 1
}

trino_stop() { stop_pid "${trino_pid:-}"; }
