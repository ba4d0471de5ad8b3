#!/bin/sh
# Floe, from its distribution: the trimmed Java runtime beside this directory runs Floe's jars,
# starting from the ahead-of-time cache made by the build's training run.
#   bin/floe serve | migrate | config check | config reference | authz migrate | help
# FLOE_JAVA_OPTS adds JVM options (after the defaults, so they win).
set -e
here="$(cd "$(dirname "$0")/.." && pwd -P)"
classpath=""
while IFS= read -r jar; do
  classpath="$classpath${classpath:+:}$here/lib/$jar"
done <"$here/lib/classpath"
aot=""
if [ -f "$here/lib/floe.aot" ]; then
  aot="-XX:AOTCache=$here/lib/floe.aot"
fi
# shellcheck disable=SC2086 # FLOE_JAVA_OPTS is a list of options
exec "$here/runtime/bin/java" @"$here/lib/jvm.options" $aot -Xlog:aot=off -Xlog:cds=off ${FLOE_JAVA_OPTS:-} \
  -cp "$classpath" io.floe.server.Main "$@"
