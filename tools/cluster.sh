#!/usr/bin/env bash
# A local ChatLoop cluster to try: tools/cluster.sh N [BASE_PORT] [node options...]
#   starts redis-server on 127.0.0.1 (port $REDIS_PORT, default 6390, no persistence) and N nodes on
#   BASE_PORT (default 5000), BASE_PORT+1, ... via ./start.sh --redis 127.0.0.1:$REDIS_PORT, each with
#   the node options given; Ctrl-C or SIGTERM stops them all. Node logs: logs/cluster-node-PORT.log.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() { echo "usage: tools/cluster.sh N [BASE_PORT] [node options...]   (REDIS_PORT=6390 by default)" >&2; exit 2; }
[[ $# -ge 1 && $1 =~ ^[0-9]+$ && $1 -ge 1 ]] || usage
n=$1; shift
base=5000
if [[ $# -ge 1 && $1 =~ ^[0-9]+$ ]]; then base=$1; shift; fi
redis_port=${REDIS_PORT:-6390}
command -v redis-server >/dev/null || { echo "cluster.sh: redis-server not found: apt-get install redis-server" >&2; exit 1; }

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "cluster.sh: stopped" >&2
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

# Build once, before N nodes would each find the build stale at the same moment.
"$root/start.sh" --help >/dev/null

mkdir -p "$root/logs"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >"$root/logs/cluster-redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "cluster.sh: redis-server did not start on port $redis_port (in use? set REDIS_PORT)" >&2; exit 1; }
  sleep 0.1
done
echo "cluster.sh: redis-server on 127.0.0.1:$redis_port (log: logs/cluster-redis.log)" >&2

for ((i = 0; i < n; i++)); do
  port=$((base + i))
  "$root/start.sh" "$port" --redis "127.0.0.1:$redis_port" "$@" >"$root/logs/cluster-node-$port.log" 2>&1 &
  pids+=($!)
  echo "cluster.sh: node $((i + 1)) on port $port (log: logs/cluster-node-$port.log)" >&2
done
echo "cluster.sh: $n nodes up; Ctrl-C stops them all" >&2

# Runs until a signal, or until any process ends on its own (then the rest are stopped).
wait -n "${pids[@]}" || true
echo "cluster.sh: a process ended; stopping the cluster" >&2
