#!/usr/bin/env bash
# The console chat client: tools/chat.sh --name NAME [--host localhost] [--port 5000]
# (tools/chat.sh --help lists the options). Builds Release first, only when the build is missing or older
# than the sources (saying so on stderr); then execs the client, so it has the terminal to itself.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dll="$root/src/ChatLoop.Client/bin/Release/net10.0/ChatLoop.Client.dll"
stale() {
  [[ ! -f $dll ]] && return 0
  [[ -n $(find "$root/src/ChatLoop.Client" "$root/src/ChatLoop.Protocol" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -not -path '*/bin/*' -not -path '*/obj/*' \
      -newer "$dll" -print -quit) ]]
}
if stale; then
  [[ -f $dll ]] && why="the sources changed" || why="first run"
  echo "chat.sh: building the client ($why; this takes a few seconds)..." >&2
  if ! out=$(dotnet build "$root/src/ChatLoop.Client/ChatLoop.Client.csproj" -c Release --nologo -v quiet 2>&1); then
    echo "$out" >&2
    echo "chat.sh: the build failed" >&2
    exit 1
  fi
  touch "$dll"
fi
exec dotnet "$dll" "$@"
