# Shared by the benchmarks: memory of a process, as /proc tells it.
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# Writes to FILE the largest RSS of PID sampled every 0.2 s, until PID ends (run it in the background).
sample_max_rss() { # pid file
  local max=0 now
  while kill -0 "$1" 2>/dev/null; do
    now="$(rss_mb "$1" 2>/dev/null || echo 0)"; ((now > max)) && max=$now && echo "$max" >"$2"
    sleep 0.2
  done
}

# SeaweedFS with a bucket "bench", and Floe (bin/floe, or the distribution in FLOE_BENCH_DIST, whose
# S3 storage is a plugin; the embedded database unless FLOE_DATABASE_URL is set) with an S3 warehouse
# "bench-s3" over it, all on loopback; sets floe_pid and floe_port (the caller stops both, with
# seaweedfs_stop). Needs scripts/lib/seaweedfs.sh sourced.
start_s3_bench() { # root java-home cache work
  local root="$1" java_home="$2" cache="$3" work="$4" weed status
  [[ -x /usr/local/go/bin/go ]] && export PATH="$PATH:/usr/local/go/bin"
  weed="$(seaweedfs_build "$cache")"
  seaweedfs_start "$weed" "$work/seaweedfs"
  curl -sf -X PUT "$seaweedfs_endpoint/bench" -o /dev/null --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$seaweedfs_access_key:$seaweedfs_secret_key"
  local floe="$root/bin/floe"
  if [[ -n "${FLOE_BENCH_DIST:-}" ]]; then
    floe="$FLOE_BENCH_DIST/bin/floe"
    [[ -z "${FLOE_DATABASE_URL:-}" ]] || FLOE_DATA_DIR="$work/floe-data" "$floe" migrate >"$work/floe-migrate.log" 2>&1
  else
    echo "building Floe..." >&2
    (cd "$root" && JAVA_HOME="$java_home" mvn -B -q -DskipTests install >&2)
  fi
  floe_port="$(free_loopback_port)"
  FLOE_PORT="$floe_port" FLOE_DATA_DIR="$work/floe-data" "$floe" serve >"$work/floe.log" 2>&1 & floe_pid=$!
  wait_for_http "http://127.0.0.1:$floe_port/health/ready" "$floe_pid" "$work/floe.log" Floe
  status="$(curl -s -o "$work/warehouse.json" -w '%{http_code}' -X POST \
    "http://127.0.0.1:$floe_port/management/v1/projects/default/warehouses" -H 'Content-Type: application/json' -d @- <<JSON
{"name":"bench-s3",
 "storage-profile":{"type":"s3","bucket":"bench","key-prefix":"lake","region":"us-east-1",
                    "endpoint":"$seaweedfs_endpoint","path-style-access":true,"role-arn":"$seaweedfs_role_arn"},
 "storage-credential":{"type":"s3-access-key","access-key-id":"$seaweedfs_access_key",
                       "secret-access-key":"$seaweedfs_secret_key"}}
JSON
)"
  [[ "$status" == 201 ]] || { echo "cannot create the S3 warehouse: $status $(cat "$work/warehouse.json")"; return 1; }
}

# A PostgreSQL 15 of the benchmark's own in WORK/pg, on loopback, trusting local users; sets
# pg_port. Any further arguments prefix pg_ctl (wrk.sh pins it to a CPU with taskset). Needs
# scripts/lib/services.sh sourced; stop it with stop_bench_postgres.
start_bench_postgres() { # work [prefix...]
  local work="$1"; shift
  echo "starting PostgreSQL 15 on loopback..." >&2
  mkdir -p "$work/pg"; chown postgres:postgres "$work/pg"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$work/pg" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  pg_port="$(free_loopback_port)"
  "$@" runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$work/pg" -l "$work/pg/server.log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200" start >/dev/null
}

stop_bench_postgres() { # work
  [[ -f "$1/pg/postmaster.pid" ]] && runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$1/pg" -m fast -w stop >/dev/null
}
