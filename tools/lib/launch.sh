# Sourced by ./start.sh, tools/chat.sh, tools/web.sh and tools/load.sh: each runs one project of the repo
# the same way. `launch SCRIPT WHAT PROJECT ARGS...` builds PROJECT (a folder of the repo holding
# PROJECT's .csproj) in Release, only when its build is missing or older than its sources or
# ChatLoop.Protocol's, saying so on stderr as SCRIPT ("SCRIPT: building WHAT ..."); a failed build shows
# the compiler's output and exits 1. Then it execs the program with ARGS, so a signal sent to the script
# reaches the program itself and its exit code is the script's.
launch() {
  local script=$1 what=$2 project=$3
  shift 3
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  local name=${project##*/}
  local dll="$root/$project/bin/Release/net10.0/$name.dll"
  local stale=0 why out
  if [[ ! -f $dll ]]; then
    stale=1; why="first run"
  elif [[ -n $(find "$root/$project" "$root/src/ChatLoop.Protocol" "$root/NLog.config" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.config' -o -name '*.json' -o -name '*.html' -o -name '*.js' -o -name '*.css' \) \
      -not -path '*/bin/*' -not -path '*/obj/*' -newer "$dll" -print -quit) ]]; then
    stale=1; why="the sources changed"
  fi
  if [[ $stale -eq 1 ]]; then
    echo "$script: building $what ($why; this takes a few seconds)..." >&2
    if ! out=$(dotnet build "$root/$project/$name.csproj" -c Release --nologo -v quiet 2>&1); then
      echo "$out" >&2
      echo "$script: the build failed" >&2
      exit 1
    fi
    touch "$dll"
  fi
  exec dotnet "$dll" "$@"
}
