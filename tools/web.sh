#!/usr/bin/env bash
# Serves ChatLoop's web page and relays each browser to a ChatLoop server:
#   tools/web.sh HTTP_PORT --server 127.0.0.1:5000 [options]   (tools/web.sh --help lists the options)
# Builds Release first, quietly, only when the build is missing or older than the sources; then execs
# the gateway, so a signal sent to this script reaches it and its exit code is this script's.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dll="$root/src/ChatLoop.Web/bin/Release/net10.0/ChatLoop.Web.dll"
stale() {
  [[ ! -f $dll ]] && return 0
  [[ -n $(find "$root/src/ChatLoop.Web" "$root/src/ChatLoop.Protocol" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.html' -o -name '*.js' -o -name '*.css' \) -not -path '*/bin/*' -not -path '*/obj/*' \
      -newer "$dll" -print -quit) ]]
}
if stale; then
  if ! out=$(dotnet build "$root/src/ChatLoop.Web/ChatLoop.Web.csproj" -c Release --nologo -v quiet 2>&1); then
    echo "$out" >&2
    echo "web.sh: the build failed" >&2
    exit 1
  fi
  touch "$dll"
fi
exec dotnet "$dll" "$@"
