#!/usr/bin/env bash
# What the same node processes cost over consecutive loads: a fresh process pays once for compiling and
# warming its paths, so the first load costs more than the next ones.
#
#   tools/node_cost.sh [--cluster] [--loads 3] [--paced] [--clients 600] [--rooms 30] [--messages 200]
#                      [--rate 2000] [--chatloop-args "--poller epoll"]
#
# Starts one node (or, with --cluster, redis-server and two nodes) pinned to CPU 1 and runs tools/load.sh
# pinned to CPU 0 --loads times against the same processes (each load with its own name prefix), as
# ../shared/bench/cluster_bench.sh does once per process. Per load it prints deliveries/s, the nodes' CPU
# per delivery (from /proc), and how often the first node's reactor thread went to sleep and woke, per
# second (its voluntary context switches: one per wait in the poller that found nothing ready).
# --paced sends --rate messages/s in all (window 64) instead of as fast as the window allows.
# Everything it starts is stopped when it ends, however it ends.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cluster=0 loads=3 paced=0 clients=600 rooms=30 messages=200 rate=2000 chatloop_args=""
synopsis="usage: tools/node_cost.sh [--cluster] [--loads N] [--paced] [--clients C] [--rooms R] [--messages K] [--rate R] [--chatloop-args ARGS]"
usage() { echo "$synopsis" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --cluster) cluster=1; shift;;
    --paced) paced=1; shift;;
    --loads|--clients|--rooms|--messages|--rate)
      [[ $# -ge 2 && $2 =~ ^[0-9]+$ && $2 -ge 1 ]] || { echo "node_cost.sh: $1 takes a positive whole number" >&2; usage; }
      declare "${1#--}=$2"; shift 2;;
    --chatloop-args) [[ $# -ge 2 ]] || usage; chatloop_args=$2; shift 2;;
    -h|--help) echo "$synopsis"; exit 0;;
    *) echo "node_cost.sh: unknown option $1" >&2; usage;;
  esac
done
if [[ $cluster -eq 1 ]] && ! command -v redis-server >/dev/null; then
  echo "node_cost.sh: --cluster needs redis-server (apt-get install redis-server)" >&2; exit 1
fi
server_cpu=1 load_cpu=0
[[ $(nproc) -lt 2 ]] && server_cpu=0
work=$(mktemp -d -t chatloop-nodecost.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 900); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "node_cost.sh: nothing listens on $1 (logs: $work)" >&2; return 1; }
cpu_s() { local t=0; for p in "$@"; do t=$(awk -v t="$t" '{print t + ($14 + $15) / 100}' "/proc/$p/stat"); done; echo "$t"; }
reactor_sleeps() { # voluntary context switches of the reactor thread of process $1
  local t
  for t in /proc/"$1"/task/*; do
    if [[ $(cat "$t/comm" 2>/dev/null) == chatloop-reacto* ]]; then awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status"; return; fi
  done
  echo 0
}
(cd "$root" && ./start.sh --help >/dev/null 2>&1; tools/load.sh --help >/dev/null 2>&1) || true   # build before anything is timed

extra=() nodes=1
if [[ $cluster -eq 1 ]]; then
  rport=$(free_port)
  taskset -c $server_cpu redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 & pids+=($!)
  wait_port "$rport"
  extra=(--redis "127.0.0.1:$rport") nodes=2
fi
np=() hosts=""
for ((i = 1; i <= nodes; i++)); do
  port=$(free_port)
  # shellcheck disable=SC2086  # the server's options are words
  ( cd "$root" && exec taskset -c $server_cpu ./start.sh "$port" "${extra[@]}" --log-level warn $chatloop_args >>"$work/node-$port.log" 2>&1 ) & pids+=($!) np+=($!)
  wait_port "$port"
  hosts+="${hosts:+,}127.0.0.1:$port"
done
[[ $cluster -eq 1 ]] && sleep 3   # a new cluster's first node waits out two liveness intervals
echo "node_cost.sh: $( [[ $cluster -eq 1 ]] && echo "Redis and 2 nodes" || echo "1 node") on CPU $server_cpu, load on CPU $load_cpu, $clients clients in $rooms rooms, $messages messages each$( [[ $paced -eq 1 ]] && echo ", paced at $rate/s")" >&2
for ((k = 1; k <= loads; k++)); do
  args=(--hosts "$hosts" --clients "$clients" --rooms "$rooms" --messages "$messages" --json "$work/r.json" --prefix "cost$k")
  [[ $paced -eq 1 ]] && args+=(--rate "$rate" --window 64)
  c0=$(cpu_s "${np[@]}") s0=$(reactor_sleeps "${np[0]}") t0=$(date +%s.%N)
  if ! taskset -c $load_cpu "$root/tools/load.sh" "${args[@]}" >"$work/load.out" 2>&1; then
    tail -4 "$work/load.out" >&2; echo "node_cost.sh: load $k failed" >&2; exit 1
  fi
  c1=$(cpu_s "${np[@]}") s1=$(reactor_sleeps "${np[0]}") t1=$(date +%s.%N)
  python3 - "$work/r.json" "$k" "$c0" "$c1" "$s0" "$s1" "$t0" "$t1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
k, c0, c1, s0, s1, t0, t1 = sys.argv[2], *map(float, sys.argv[3:])
n = d["deliveries"]
print(f"load {k}: deliveries/s {d['deliveries_per_s']:,.0f}  nodes {(c1 - c0) * 1e9 / n:,.0f} ns/delivery"
      f"  p50 {d['latency_p50_us'] / 1e3:.2f} ms  p99 {d['latency_p99_us'] / 1e3:.2f} ms"
      f"  node 1's reactor slept {(s1 - s0) / (t1 - t0):,.0f} times/s")
PY
done
