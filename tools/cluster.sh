#!/usr/bin/env bash
# A local ChatLoop cluster to try: tools/cluster.sh N [BASE_PORT] [--redis CONFIG] [node options...]
#   Without --redis: starts redis-server on 127.0.0.1 (port $REDIS_PORT, default 6390, no persistence).
#   With --redis CONFIG: uses that Redis and starts none (CONFIG as the server's --redis takes it, e.g.
#   127.0.0.1:6379, or a Sentinel's "127.0.0.1:26379,serviceName=mymaster").
#   Then N nodes on BASE_PORT (default 5000), BASE_PORT+1, ... via ./start.sh --redis CONFIG, each with the
#   node options given, and says "N nodes up" once every node answers. A node that ends (KILL_SERVICE, or a
#   failure, whose reason is printed) leaves the others running; the script ends when every node has ended
#   (stopping the Redis it started), or on Ctrl-C or SIGTERM, which stop them all.
#   Exit status: 0 when the nodes ended with 0 or were stopped by a signal; 1 when Redis or a node could not
#   start or a node failed (the reason on stderr); 2 for bad arguments. Logs: logs/cluster-*.log.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { echo "cluster.sh: $*" >&2; }
usage() { echo "usage: tools/cluster.sh N [BASE_PORT] [--redis CONFIG] [node options...]   (REDIS_PORT=6390 by default)" >&2; exit 2; }
plural() { if [[ $1 -eq 1 ]]; then echo "$1 $2"; else echo "$1 ${2}s"; fi; }

[[ $# -ge 1 && $1 =~ ^[0-9]+$ && $1 -ge 1 ]] || usage
n=$1; shift
base=5000
if [[ $# -ge 1 && $1 =~ ^[0-9]+$ ]]; then base=$1; shift; fi
redis_config=""
node_args=()
probe_host=127.0.0.1
while [[ $# -gt 0 ]]; do
  case $1 in
    --redis)
      [[ $# -ge 2 && -n $2 && $2 != --* ]] || { say "--redis needs a Redis configuration, e.g. --redis 127.0.0.1:6379"; exit 2; }
      redis_config=$2; shift 2 ;;
    --redis=*)
      redis_config=${1#--redis=}
      [[ -n $redis_config ]] || { say "--redis needs a Redis configuration, e.g. --redis 127.0.0.1:6379"; exit 2; }
      shift ;;
    --bind)
      node_args+=("$1"); shift
      if [[ $# -ge 1 ]]; then
        [[ $1 == 0.0.0.0 || $1 == :: ]] || probe_host=$1
        node_args+=("$1"); shift
      fi ;;
    *) node_args+=("$1"); shift ;;
  esac
done
last=$((base + n - 1))
[[ $base -ge 1 && $last -le 65535 ]] || { say "the node ports $base..$last must lie within 1-65535"; exit 2; }

# Something accepts connections on HOST:PORT (bash's /dev/tcp; the probe connects and closes at once).
listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
# A ChatLoop node serves on HOST:PORT: it answers a HELO. (A node binds its port before it has joined the
# cluster; the kernel accepts connections meanwhile, so a connection alone does not show it serves.)
serving() {
  (
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf 'HELO cluster.sh\n' >&3
    IFS= read -r -t 1 line <&3 && [[ $line == "HELO cluster.sh" ]]
  ) 2>/dev/null
}
# The process has not ended (a zombie not yet reaped counts as ended).
alive() { [[ -r /proc/$1/stat ]] && [[ $(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) != Z ]]; }
# Why a process stopped, from its log: the program's own one-line reason, else the log's last lines.
reason() {
  local line
  line=$(grep -m1 -E '^(chatloop|start\.sh):|ERROR|FATAL|Error' "$1" 2>/dev/null || true)
  if [[ -n $line ]]; then echo "  $line" >&2; else tail -n 5 "$1" 2>/dev/null | sed 's/^/  /' >&2 || true; fi
}

# Every port is checked before anything starts: a taken port is found in a moment, not after Redis and N builds.
for ((port = base; port <= last; port++)); do
  if listening "$probe_host" "$port"; then
    say "port $port is already in use on $probe_host; choose another BASE_PORT (tools/cluster.sh $n BASE_PORT)"
    exit 1
  fi
done

redis_pid=""
node_pids=()
declare -A port_of=()
stop() {
  trap - INT TERM EXIT
  local pid
  for pid in "${node_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n $redis_pid ]]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
}
trap 'stop; say "stopped"; exit 0' INT TERM
trap stop EXIT

mkdir -p "$root/logs"
if [[ -z $redis_config ]]; then
  command -v redis-server >/dev/null || { say "redis-server not found: apt-get install redis-server (or give --redis CONFIG)"; exit 1; }
  redis_port=${REDIS_PORT:-6390}
  [[ $redis_port =~ ^[0-9]+$ && $redis_port -ge 1 && $redis_port -le 65535 ]] || { say "REDIS_PORT must be a port (1-65535), not '$redis_port'"; exit 2; }
  if listening 127.0.0.1 "$redis_port"; then
    if [[ $(redis-cli -p "$redis_port" ping 2>/dev/null) == PONG ]]; then
      say "a Redis already serves 127.0.0.1:$redis_port; to use it: tools/cluster.sh $n $base --redis 127.0.0.1:$redis_port; to start another: REDIS_PORT=<free port> tools/cluster.sh $n $base"
    else
      say "port $redis_port is already in use (not by a Redis); set REDIS_PORT to a free port"
    fi
    exit 1
  fi
  redis_log="$root/logs/cluster-redis.log"
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >"$redis_log" 2>&1 &
  redis_pid=$!
  for ((tries = 0; ; tries++)); do
    if ! alive "$redis_pid"; then
      say "redis-server did not start on 127.0.0.1:$redis_port:"; reason "$redis_log"; exit 1
    fi
    [[ $(redis-cli -p "$redis_port" ping 2>/dev/null) == PONG ]] && break
    [[ $tries -lt 100 ]] || { say "redis-server did not answer on 127.0.0.1:$redis_port within 10 s (log: logs/cluster-redis.log)"; exit 1; }
    sleep 0.1
  done
  redis_config="127.0.0.1:$redis_port"
  say "redis-server on $redis_config (log: logs/cluster-redis.log)"
else
  say "using the Redis at '$redis_config' (--redis); starting none"
fi

# Build once, before N nodes would each find the build stale at the same moment (start.sh says when it builds).
"$root/start.sh" --help >/dev/null || { say "the server could not be built"; exit 1; }

for ((i = 0; i < n; i++)); do
  port=$((base + i))
  "$root/start.sh" "$port" --redis "$redis_config" "${node_args[@]}" >"$root/logs/cluster-node-$port.log" 2>&1 &
  node_pids+=($!)
  port_of[$!]=$port
  say "node $((i + 1)) starting on port $port (log: logs/cluster-node-$port.log)"
done

# "up" only once every node serves; a node that ends first is a failure, with its reason.
waiting=("${node_pids[@]}")
deadline=$((SECONDS + ${CLUSTER_START_TIMEOUT_S:-60}))
while [[ ${#waiting[@]} -gt 0 ]]; do
  still=()
  for pid in "${waiting[@]}"; do
    port=${port_of[$pid]}
    if ! alive "$pid"; then
      status=0; wait "$pid" 2>/dev/null || status=$?
      say "the node on port $port stopped before it served (status $status):"; reason "$root/logs/cluster-node-$port.log"
      exit 1
    fi
    serving "$probe_host" "$port" || still+=("$pid")
  done
  waiting=("${still[@]+"${still[@]}"}")
  [[ ${#waiting[@]} -eq 0 ]] && break
  if [[ $SECONDS -ge $deadline ]]; then
    say "the node on port ${port_of[${waiting[0]}]} did not answer within ${CLUSTER_START_TIMEOUT_S:-60} s (log: logs/cluster-node-${port_of[${waiting[0]}]}.log)"
    exit 1
  fi
  sleep 0.1
done
say "$(plural "$n" node) up on ports $base-$last; KILL_SERVICE stops one node; Ctrl-C stops them all"

# Runs until every node has ended, or a signal. A node that ends leaves the others running; Redis ending stops all.
failed=0
while [[ ${#node_pids[@]} -gt 0 ]]; do
  ended=""
  status=0
  wait -n -p ended "${node_pids[@]}" ${redis_pid:+"$redis_pid"} || status=$?
  [[ -n $ended ]] || continue
  if [[ $ended == "$redis_pid" ]]; then
    redis_pid=""
    say "redis-server ended (status $status); stopping the nodes:"; reason "$root/logs/cluster-redis.log"
    exit 1
  fi
  still=()
  for pid in "${node_pids[@]}"; do [[ $pid == "$ended" ]] || still+=("$pid"); done
  node_pids=("${still[@]+"${still[@]}"}")
  port=${port_of[$ended]}
  if [[ $status -eq 0 ]]; then
    say "the node on port $port stopped (status 0); $(plural ${#node_pids[@]} node) still running"
  else
    failed=1
    say "the node on port $port ended with status $status; $(plural ${#node_pids[@]} node) still running:"
    reason "$root/logs/cluster-node-$port.log"
  fi
done
say "every node has stopped"
exit "$failed"
