#!/usr/bin/env bash
# Proxy overhead on loopback (bench/README.md): wrk at 1 and 10 connections against a fast
# upstream serving a 50-job ListDpoJobs page, directly and through `conform record` with
# recording and redaction on, for --fsync periodic and --fsync each. When haproxy is installed
# (tools/install-deps --bench), the same runs through haproxy (HTTP mode, keep-alive both sides,
# 2 threads, no logging, no recording) show what a fast proxy that records nothing keeps on
# this machine: a ceiling for the ratio.
#   bench/proxy_bench.sh build/release/cli/conform build/release/bench/proxy_upstream [SECONDS]
# Environment: CASSETTE_DIR (default: a fresh mktemp -d) is where the cassettes are written;
# its filesystem decides what fdatasync costs.
set -euo pipefail

conform=${1:?usage: proxy_bench.sh CONFORM PROXY_UPSTREAM [SECONDS]}
upstream=${2:?usage: proxy_bench.sh CONFORM PROXY_UPSTREAM [SECONDS]}
seconds=${3:-10}
up_port=${UP_PORT:-18180}
proxy_port=${PROXY_PORT:-18181}
haproxy_port=${HAPROXY_PORT:-18182}
path='/v1/accounts/acme/dpoJobs?pageSize=50'
source "$(dirname "$0")/proxy_common.sh"
cassette_dir=${CASSETTE_DIR:-$workdir}

# Prints "requests_per_second p50_us p99_us" for URL at CONNECTIONS.
measure() {
  local url=$1 connections=$2 threads=1 out
  if [ "$connections" -gt 1 ]; then threads=2; fi
  out=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$url")
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(to_us "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_us "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  echo "$rps $p50 $p99"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cassettes on: $(df -T "$cassette_dir" | awk 'NR == 2 {print $2 " (" $1 ")"}')"
"$upstream" "$up_port" 50 >"$workdir/upstream.log" &
pids+=($!)
wait_ready "http://127.0.0.1:$up_port$path"
echo "upstream: $(head -1 "$workdir/upstream.log")"
echo "wrk: ${seconds}s per run, 1 thread for 1 connection, 2 threads for 10"
echo

printf '%-9s %-5s %12s %12s %7s %9s %9s %10s %9s %9s %10s\n' fsync conns direct_rps \
  proxy_rps ratio p50_dir p50_prx p50_added p99_dir p99_prx p99_added

# One table row: LABEL CONNECTIONS PROXY_URL, measured right after a direct run.
row() {
  local label=$1 connections=$2 proxy_url=$3
  read -r d_rps d_p50 d_p99 < <(measure "http://127.0.0.1:$up_port$path" "$connections")
  read -r p_rps p_p50 p_p99 < <(measure "$proxy_url" "$connections")
  awk -v f="$label" -v c="$connections" -v dr="$d_rps" -v pr="$p_rps" -v d50="$d_p50" \
    -v p50="$p_p50" -v d99="$d_p99" -v p99="$p_p99" 'BEGIN {
    printf "%-9s %-5s %12.0f %12.0f %6.1f%% %7.0fus %7.0fus %8.0fus %7.0fus %7.0fus %8.0fus\n",
      f, c, dr, pr, 100 * pr / dr, d50, p50, p50 - d50, d99, p99, p99 - d99 }'
}

if command -v haproxy >/dev/null; then
  cat >"$workdir/haproxy.cfg" <<CONFIG
global
  nbthread 2
defaults
  mode http
  option http-keep-alive
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend bench
  bind 127.0.0.1:$haproxy_port
  default_backend upstream
backend upstream
  http-reuse always
  server upstream 127.0.0.1:$up_port
CONFIG
  haproxy -f "$workdir/haproxy.cfg" >"$workdir/haproxy.log" 2>&1 &
  pids+=($!)
  wait_ready "http://127.0.0.1:$haproxy_port$path"
  for connections in 1 10; do
    row haproxy "$connections" "http://127.0.0.1:$haproxy_port$path"
  done
  echo "          haproxy $(haproxy -v | head -1 | awk '{print $3}'): forwards only, records nothing"
else
  echo "          (haproxy is not installed: no reference rows; tools/install-deps --bench adds it)"
fi

for fsync in periodic each; do
  cassette="$cassette_dir/proxy_bench_$fsync.har"
  "$conform" record --upstream "http://127.0.0.1:$up_port" --listen "127.0.0.1:$proxy_port" \
    --out "$cassette" --fsync "$fsync" >"$workdir/record_$fsync.log" 2>&1 &
  record_pid=$!
  pids+=("$record_pid")
  wait_ready "http://127.0.0.1:$proxy_port$path"
  wrk -t2 -c10 -d2s "http://127.0.0.1:$proxy_port$path" >/dev/null  # warm-up
  for connections in 1 10; do
    row "$fsync" "$connections" "http://127.0.0.1:$proxy_port$path"
  done
  kill -INT "$record_pid"
  wait "$record_pid" || true
  echo "          $(tail -1 "$workdir/record_$fsync.log"); cassette $(du -h "$cassette" | cut -f1)"
  rm -f "$cassette"
done
