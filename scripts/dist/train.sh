#!/usr/bin/env bash
# The AOT cache's training workload: what every server answers right after it starts (the
# catalog configuration that clients ask for first, the health probes), and nothing more. A
# server maps every class of the cache at start and keeps it resident: measured with
# bench/footprint.sh (docs/benchmarks.md), a cache trained on every route idles 4 MB larger,
# and a server that loads a route's classes from the jars on its first call runs as fast after.
#   train.sh http://127.0.0.1:PORT
set -euo pipefail
uri="$1"
for path in "/v1/config?warehouse=demo" /health /health/ready; do
  curl -sSf -o /dev/null "$uri$path"
done
