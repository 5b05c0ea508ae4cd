#!/usr/bin/env bash
# The added p50 latency of `conform record` at one connection, measured in rounds: on a shared
# VM one 10 s run moves by +-40 us, so one recorder is started and ROUNDS times wrk measures
# 5 s directly against the upstream and 5 s through the recorder (recording and redaction on,
# --fsync periodic). Prints each round and the median of the added p50. bench/README.md.
#   bench/proxy_p50_rounds.sh build/release/cli/conform build/release/bench/proxy_upstream [ROUNDS]
set -euo pipefail

conform=${1:?usage: proxy_p50_rounds.sh CONFORM PROXY_UPSTREAM [ROUNDS]}
upstream=${2:?usage: proxy_p50_rounds.sh CONFORM PROXY_UPSTREAM [ROUNDS]}
rounds=${3:-8}
up_port=${UP_PORT:-18280}
proxy_port=${PROXY_PORT:-18281}
path='/v1/accounts/acme/dpoJobs?pageSize=50'
source "$(dirname "$0")/proxy_common.sh"

p50_us() {  # URL: wrk's p50 in microseconds over 5 s at one connection
  to_us "$(wrk -t1 -c1 -d5s --latency "$1" | awk '$1 == "50%" {print $2}')"
}

"$upstream" "$up_port" 50 >"$workdir/upstream.log" &
pids+=($!)
wait_ready "http://127.0.0.1:$up_port$path"
"$conform" record --upstream "http://127.0.0.1:$up_port" --listen "127.0.0.1:$proxy_port" \
  --out "$workdir/rounds.har" >"$workdir/record.log" 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:$proxy_port$path"
wrk -t2 -c10 -d2s "http://127.0.0.1:$proxy_port$path" >/dev/null  # warm-up

added=()
for round in $(seq "$rounds"); do
  direct=$(p50_us "http://127.0.0.1:$up_port$path")
  proxied=$(p50_us "http://127.0.0.1:$proxy_port$path")
  delta=$(awk -v p="$proxied" -v d="$direct" 'BEGIN { printf "%.0f", p - d }')
  added+=("$delta")
  echo "round $round: p50 direct ${direct}us, proxied ${proxied}us, added ${delta}us"
done
printf '%s\n' "${added[@]}" | sort -n | awk '{ v[NR] = $1 } END {
  m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "added p50 over %d rounds: median %.0fus, min %.0fus, max %.0fus\n", NR, m, v[1], v[NR] }'
