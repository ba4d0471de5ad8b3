#!/usr/bin/env bash
# The AOT cache's training workload: what a server loads to start and to answer its first
# requests (the configuration clients ask first, the health probes). A server maps every class of
# the cache at start and keeps it resident, so the cache holds no more than that: measured with
# bench/footprint.sh, the classes of a full workload (commits, views, management) cost 5 MB of idle
# memory for the milliseconds they save on each route's first request.
#   train.sh http://127.0.0.1:PORT
set -euo pipefail
uri="$1"
get() { curl -sS -o /dev/null "$uri$1" || true; }
get "/v1/config?warehouse=demo"
get "/v1/config"
get "/health/live"
get "/health/ready"
