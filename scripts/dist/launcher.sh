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
# shellcheck disable=SC2086 # FLOE_JAVA_OPTS is a list of options
if [ -f "$here/lib/floe.aot" ]; then
  exec "$here/runtime/bin/java" @"$here/lib/jvm.options" "-XX:AOTCache=$here/lib/floe.aot" \
    "-Dfloe.plugin.dir=$here/lib/plugins" ${FLOE_JAVA_OPTS:-} -cp "$classpath" io.floe.server.Main "$@"
fi
exec "$here/runtime/bin/java" @"$here/lib/jvm.options" "-Dfloe.plugin.dir=$here/lib/plugins" ${FLOE_JAVA_OPTS:-} -cp "$classpath" io.floe.server.Main "$@"
