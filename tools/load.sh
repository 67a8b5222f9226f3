#!/usr/bin/env bash
# Runs the load tool against a ChatLoop server: tools/load.sh --port PORT [options]
# (tools/load.sh --help lists the options). Builds Release first, quietly, only when the build is
# missing or older than the sources; then execs the tool, so its exit code is this script's.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dll="$root/tools/ChatLoop.Load/bin/Release/net10.0/ChatLoop.Load.dll"
stale() {
  [[ ! -f $dll ]] && return 0
  [[ -n $(find "$root/tools/ChatLoop.Load" "$root/src/ChatLoop.Protocol" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -not -path '*/bin/*' -not -path '*/obj/*' \
      -newer "$dll" -print -quit) ]]
}
if stale; then
  if ! out=$(dotnet build "$root/tools/ChatLoop.Load/ChatLoop.Load.csproj" -c Release --nologo -v quiet 2>&1); then
    echo "$out" >&2
    echo "load.sh: the build failed" >&2
    exit 1
  fi
  touch "$dll"
fi
exec dotnet "$dll" "$@"
