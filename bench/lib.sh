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
