#!/usr/bin/env bash
# Starts the ChatLoop server: ./start.sh PORT [options]   (./start.sh --help lists the options)
# Builds Release first (saying so on stderr, then quietly), only when the build is missing or older than the sources; then
# execs the server, so a signal sent to this script reaches the server itself.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dll="$root/src/ChatLoop.Server/bin/Release/net10.0/ChatLoop.Server.dll"
stale() {
  [[ ! -f $dll ]] && return 0
  [[ -n $(find "$root/src/ChatLoop.Server" "$root/src/ChatLoop.Protocol" "$root/NLog.config" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.config' -o -name '*.json' \) -not -path '*/bin/*' -not -path '*/obj/*' \
      -newer "$dll" -print -quit) ]]
}
if stale; then
  [[ -f $dll ]] && why="the sources changed" || why="first run"
  echo "start.sh: building the server ($why; this takes a few seconds)..." >&2
  if ! out=$(dotnet build "$root/src/ChatLoop.Server/ChatLoop.Server.csproj" -c Release --nologo -v quiet 2>&1); then
    echo "$out" >&2
    echo "start.sh: the build failed" >&2
    exit 1
  fi
  touch "$dll"
fi
exec dotnet "$dll" "$@"
