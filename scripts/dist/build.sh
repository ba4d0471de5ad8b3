#!/usr/bin/env bash
# Builds Floe's distribution: one tarball with a jlink-trimmed Java runtime (only the modules
# Floe needs), Floe's jars, a launcher, and an ahead-of-time cache (JDK 25's AOT cache: classes
# loaded and linked) made by a training run: a restart that answers its first requests.
#   bin/floe dist [output-dir]      -> output-dir/floe-<version>-linux-x86_64.tar.gz (default: dist/)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/bin/lib/java.sh"
source "$root/scripts/lib/services.sh"
java_home="$(floe_java_home)"
out="$(mkdir -p "${1:-$root/dist}" && cd "${1:-$root/dist}" && pwd)"
version="0.1.0-SNAPSHOT"
name="floe-$version-linux-x86_64"
target="$out/$name"
# The modules Floe needs: what `jdeps --print-module-deps --ignore-missing-deps` finds in its jars
# (with what those require), plus what jdeps cannot see: the DNS naming provider that the Kafka
# and NATS clients may look up, Flight Recorder for operators, and every security provider that
# the JDK's java.security lists (a listed provider that is missing makes the JDK load every
# provider on the class path to look for it: Bouncy Castle's costs 100 ms).
modules="java.base,java.desktop,java.naming,java.net.http,java.security.jgss,java.security.sasl,java.sql,jdk.management,jdk.net,jdk.unsupported,jdk.naming.dns,jdk.jfr,java.xml.crypto,java.smartcardio,jdk.crypto.cryptoki,jdk.security.jgss,jdk.security.auth"

if [[ "${FLOE_DIST_SKIP_BUILD:-}" != 1 ]]; then
  echo "dist: building Floe..." >&2
  rm -rf "$root/floe-server/target/lib" # no jar of an earlier build may slip in
  (cd "$root" && JAVA_HOME="$java_home" mvn -B -q -DskipTests install >&2)
fi
rm -rf "$target"
mkdir -p "$target/bin" "$target/lib"

echo "dist: trimming the Java runtime ($("$java_home/bin/java" -version 2>&1 | head -1))..." >&2
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug \
  --no-man-pages --no-header-files \
  --compress=zip-6 --output "$target/runtime"

# The integrations with large libraries are plugins (lib/plugins/<module>, see io.floe.spi.plugin.Plugins):
# their jars stay off the class path, so that a server that never uses them never opens them.
# Maven says which jars the server needs without them (the plugins profile of floe-server/pom.xml),
# and which each of them needs.
plugins=(floe-storage-s3 floe-storage-adls floe-storage-gcs floe-events-nats floe-events-kafka floe-authz-openfga)
echo "dist: splitting the jars between the class path and ${#plugins[@]} plugins..." >&2
lists="$(mktemp -d /tmp/floe-dist-lists.XXXXXX)"
list_dependencies() { # output modules [maven options]
  (cd "$root" && JAVA_HOME="$java_home" mvn -B -o -q dependency:list -pl "$2" -DincludeScope=runtime \
    -DoutputAbsoluteArtifactFilename=true -DoutputFile="$lists/$1" "${@:3}" >&2) \
    || (cd "$root" && JAVA_HOME="$java_home" mvn -B -q dependency:list -pl "$2" -DincludeScope=runtime \
      -DoutputAbsoluteArtifactFilename=true -DoutputFile="$lists/$1" "${@:3}" >&2)
}
list_dependencies full.txt floe-server
list_dependencies core.txt floe-server -Dfloe.core-only
for plugin in "${plugins[@]}"; do list_dependencies "$plugin.txt" "$plugin"; done
# jars keep their build times: the AOT cache checks each jar's size and time
cp -p "$root/floe-server/target/floe-server-$version.jar" "$target/lib/"
echo "floe-server-$version.jar" >"$target/lib/classpath"
python3 "$root/scripts/dist/split.py" "$root/floe-server/target/lib" "$target/lib" "$lists/full.txt" "$lists/core.txt" \
  $(for plugin in "${plugins[@]}"; do echo "$plugin=$lists/$plugin.txt"; done)
rm -rf "$lists"
cp "$root/scripts/dist/jvm.options" "$target/lib/jvm.options"
cp "$root/scripts/dist/launcher.sh" "$target/bin/floe"
chmod 755 "$target/bin/floe"

echo "dist: training run for the AOT cache..." >&2
train="$(mktemp -d /tmp/floe-dist-train.XXXXXX)"
chmod 755 "$train"
# A server maps every class of the cache at start and keeps it resident, so the cache holds what
# a server loads on the common path and nothing else: a restart against an external database
# whose schema is current and whose catalog exists, answering its first requests (train.sh).
# What else a server does loads its classes from the jars when it first does it: routes, the
# embedded database, Flyway, creating the default project, password authentication to PostgreSQL.
# The cache holds no method profiles either (6 MB less to map; the JIT compiler gathers its own
# within seconds of load). The external database is the embedded one's cluster, run apart, with
# trust on loopback for the few seconds of training: it holds nothing but the training's catalog.
trap 'rm -rf "$train"' EXIT
FLOE_DATA_DIR="$train/data" "$target/bin/floe" migrate >"$train/migrate.log" 2>&1 || { cat "$train/migrate.log" >&2; exit 1; }
pg_runtime="$train/data/postgres-runtime" pgdata="$train/data/postgres"
if [[ ! -x "$pg_runtime/bin/pg_ctl" || ! -f "$pgdata/PG_VERSION" ]]; then
  echo "dist: the embedded PostgreSQL is not under $train/data; the migration's log:" >&2
  cat "$train/migrate.log" >&2
  exit 1
fi
as_postgres=() # PostgreSQL refuses root: Floe runs it as nobody then, and so does this
if ((EUID == 0)); then as_postgres=(setpriv --reuid=nobody --regid=nogroup --clear-groups --); fi
pid=""
stop_training() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
  "${as_postgres[@]}" "$pg_runtime/bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1
  rm -rf "$train"
}
trap stop_training EXIT
printf 'host all all 127.0.0.1/32 trust\n' >"$train/hba.conf"
touch "$train/postgres.log"
chmod 644 "$train/hba.conf"
if ((EUID == 0)); then chown nobody:nogroup "$train/postgres.log"; fi
pg_port="$(free_loopback_port)"
"${as_postgres[@]}" "$pg_runtime/bin/pg_ctl" -D "$pgdata" -l "$train/postgres.log" -w -t 60 \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c hba_file=$train/hba.conf" \
  start >/dev/null || { cat "$train/postgres.log" >&2; exit 1; }
export FLOE_DATABASE_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres?user=floe"
serve_for_training() { # java options
  port="$(free_loopback_port)"
  FLOE_PORT="$port" FLOE_JAVA_OPTS="$*" "$target/bin/floe" serve >"$train/floe.log" 2>&1 &
  pid=$!
  wait_for_http "http://127.0.0.1:$port/health/ready" "$pid" "$train/floe.log" "floe (training)"
}
serve_for_training # the first start creates the default project and warehouse
kill -TERM "$pid"
wait "$pid" || true
serve_for_training "-XX:AOTCacheOutput=$target/lib/floe.aot -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining"
bash "$root/scripts/dist/train.sh" "http://127.0.0.1:$port" >&2
kill -TERM "$pid"
wait "$pid" || true
pid=""
unset FLOE_DATABASE_URL
if [[ ! -s "$target/lib/floe.aot" ]]; then
  echo "dist: the training run wrote no AOT cache; its log:" >&2
  cat "$train/floe.log" >&2
  exit 1
fi

tar -C "$out" -czf "$out/$name.tar.gz" "$name"
echo "dist: $out/$name.tar.gz ($(du -m "$out/$name.tar.gz" | cut -f1) MB; unpacked $(du -sm "$target" | cut -f1) MB:" \
  "runtime $(du -sm "$target/runtime" | cut -f1) MB, jars $(du -cm "$target"/lib/*.jar | tail -1 | cut -f1) MB," \
  "AOT cache $(du -m "$target/lib/floe.aot" | cut -f1) MB)" >&2
echo "$target"
