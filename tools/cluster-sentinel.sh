#!/usr/bin/env bash
# A local ChatLoop cluster on Redis with a replica and Sentinel, to try a failover:
#   tools/cluster-sentinel.sh N [BASE_PORT] [node options...]
# starts on 127.0.0.1 a Redis primary ($PRIMARY_PORT, default 6391), a replica of it ($REPLICA_PORT,
# default 6392, redis-server --replicaof), a Sentinel watching the primary as service "chatloop"
# ($SENTINEL_PORT, default 26391, redis-server FILE --sentinel; a failover once the primary has not
# answered for 1 s), then N nodes on BASE_PORT (default 5000), BASE_PORT+1, ... each started with
#   ./start.sh PORT --redis "127.0.0.1:$SENTINEL_PORT,serviceName=chatloop" [node options...]
# None of the Redis processes persists anything. Ctrl-C or SIGTERM stops them all.
# Logs: logs/sentinel-*.log and logs/cluster-node-PORT.log. To fail over, in another terminal:
#   kill -9 "$(cat logs/sentinel-primary.pid)"                      # the primary dies
#   redis-cli -p 26391 sentinel failover chatloop                  # or: a planned switch
#   redis-cli -p 26391 sentinel get-master-addr-by-name chatloop   # which one is the primary now
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() { echo "usage: tools/cluster-sentinel.sh N [BASE_PORT] [node options...]   (PRIMARY_PORT=6391 REPLICA_PORT=6392 SENTINEL_PORT=26391)" >&2; exit 2; }
[[ $# -ge 1 && $1 =~ ^[0-9]+$ && $1 -ge 1 ]] || usage
n=$1; shift
base=5000
if [[ $# -ge 1 && $1 =~ ^[0-9]+$ ]]; then base=$1; shift; fi
primary=${PRIMARY_PORT:-6391}
replica=${REPLICA_PORT:-6392}
sentinel=${SENTINEL_PORT:-26391}
service=chatloop
command -v redis-server >/dev/null || { echo "cluster-sentinel.sh: redis-server not found: apt-get install redis-server" >&2; exit 1; }
command -v redis-cli >/dev/null || { echo "cluster-sentinel.sh: redis-cli not found: apt-get install redis-tools" >&2; exit 1; }

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "cluster-sentinel.sh: stopped" >&2
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

# Waits (5 s at most) for a Redis process to answer PING on its port.
up() {
  local port=$1 pid=$2 what=$3
  for _ in $(seq 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "cluster-sentinel.sh: the $what did not start on port $port (in use? see logs/sentinel-$what.log)" >&2
  exit 1
}

# Build once, before N nodes would each find the build stale at the same moment.
"$root/start.sh" --help >/dev/null

logs="$root/logs"
mkdir -p "$logs/sentinel-primary" "$logs/sentinel-replica"
redis-server --port "$primary" --bind 127.0.0.1 --dir "$logs/sentinel-primary" --save '' --appendonly no --loglevel warning \
  >"$logs/sentinel-primary.log" 2>&1 &
pids+=($!)
echo $! >"$logs/sentinel-primary.pid"
up "$primary" "$!" primary
redis-server --port "$replica" --bind 127.0.0.1 --dir "$logs/sentinel-replica" --save '' --appendonly no --loglevel warning \
  --replicaof 127.0.0.1 "$primary" >"$logs/sentinel-replica.log" 2>&1 &
pids+=($!)
echo $! >"$logs/sentinel-replica.pid"
up "$replica" "$!" replica

# A Sentinel rewrites its own file: a fresh one each run.
conf="$logs/sentinel.conf"
cat >"$conf" <<EOF
port $sentinel
bind 127.0.0.1
dir $logs
sentinel monitor $service 127.0.0.1 $primary 1
sentinel down-after-milliseconds $service 1000
sentinel failover-timeout $service 5000
EOF
redis-server "$conf" --sentinel >"$logs/sentinel-sentinel.log" 2>&1 &
pids+=($!)
up "$sentinel" "$!" sentinel
echo "cluster-sentinel.sh: primary 127.0.0.1:$primary, replica :$replica, Sentinel :$sentinel (service $service; logs/sentinel-*.log)" >&2

config="127.0.0.1:$sentinel,serviceName=$service"
for ((i = 0; i < n; i++)); do
  port=$((base + i))
  "$root/start.sh" "$port" --redis "$config" "$@" >"$logs/cluster-node-$port.log" 2>&1 &
  pids+=($!)
  echo "cluster-sentinel.sh: node $((i + 1)) on port $port, --redis \"$config\" (log: logs/cluster-node-$port.log)" >&2
done
echo "cluster-sentinel.sh: $n nodes up; fail over with: kill -9 \$(cat logs/sentinel-primary.pid); Ctrl-C stops them all" >&2

# Runs until a signal, or until a node ends on its own (then the rest are stopped). A Redis process
# ending (a primary killed to try a failover) is what the Sentinel is there for: the nodes carry on.
node_pids=("${pids[@]:3}")
wait -n "${node_pids[@]}" || true
echo "cluster-sentinel.sh: a node ended; stopping the cluster" >&2
