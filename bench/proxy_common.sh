# Shared by bench/proxy_bench.sh and bench/proxy_p50_rounds.sh (sourced, not run): a scratch
# directory and the background processes, both cleaned up on exit, readiness polling, and
# wrk's latency units.
#   source "$(dirname "$0")/proxy_common.sh"
#   "$upstream" 18180 50 & pids+=($!); wait_ready http://127.0.0.1:18180/

workdir=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  rm -rf "$workdir"
}
trap cleanup EXIT

wait_ready() {  # URL: polls until it answers, at most 10 s
  for _ in $(seq 100); do
    if curl -s -o /dev/null --max-time 1 "$1"; then
      return 0
    fi
    sleep 0.1
  done
  echo "$(basename "$0"): $1 did not come up" >&2
  exit 3
}

to_us() {  # wrk latency "45.00us" / "1.23ms" / "1.01s" -> microseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) { print n } else if (v ~ /ms$/) { print n * 1000 } else { print n * 1000000 }
  }'
}
