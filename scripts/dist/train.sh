#!/usr/bin/env bash
# The AOT cache's training workload: every route of the API once (creates, commits, loads, lists,
# views, management), so that the classes a server uses are in the cache, but no load: a server
# maps every class of the cache at start and keeps it resident, and measured with
# bench/footprint.sh (docs/benchmarks.md), a cache trained on start alone idles 4 MB smaller but
# commits a third slower at 8 clients, while a cache trained under load too is no faster than this.
#   train.sh http://127.0.0.1:PORT
set -euo pipefail
uri="$1"
call() { # method path [body]
  curl -sS -o /dev/null -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$uri$2" || true
}
prefix="$(curl -sS "$uri/v1/config?warehouse=demo" | sed -n 's/.*"prefix" *: *"\([^"]*\)".*/\1/p')"
schema='{"type":"struct","schema-id":0,"fields":[{"id":1,"name":"id","required":true,"type":"long"}]}'
call POST "/v1/$prefix/namespaces" '{"namespace":["train"],"properties":{"owner":"dist"}}'
call GET "/v1/$prefix/namespaces"
call GET "/v1/$prefix/namespaces/train"
call POST "/v1/$prefix/namespaces/train/properties" '{"updates":{"a":"b"},"removals":[]}'
call POST "/v1/$prefix/namespaces/train/tables" "{\"name\":\"t\",\"schema\":$schema}"
call POST "/v1/$prefix/namespaces/train/tables/t" '{"requirements":[],"updates":[{"action":"set-properties","updates":{"k":"v"}}]}'
call HEAD "/v1/$prefix/namespaces/train/tables/t"
call POST "/v1/$prefix/tables/rename" '{"source":{"namespace":["train"],"name":"t"},"destination":{"namespace":["train"],"name":"u"}}'
call POST "/v1/$prefix/namespaces/train/views" "{\"name\":\"v\",\"schema\":$schema,\"view-version\":{\"version-id\":1,\"timestamp-ms\":1,\"schema-id\":0,\"summary\":{},\"default-namespace\":[\"train\"],\"representations\":[{\"type\":\"sql\",\"sql\":\"select 1\",\"dialect\":\"spark\"}]}}"
call GET "/v1/$prefix/namespaces/train/views/v"
call GET "/v1/$prefix/namespaces/train/views"
call DELETE "/v1/$prefix/namespaces/train/views/v"
call DELETE "/v1/$prefix/namespaces/train/tables/u?purgeRequested=true"
call GET "/management/v1/info"
call GET "/management/v1/projects"
call GET "/management/v1/warehouses/$prefix/events?limit=10"
call GET "/management/v1/tasks"
call GET "/metrics"
call GET "/health"
call GET "/v1/$prefix/namespaces/missing/tables/missing"
