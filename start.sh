#!/usr/bin/env bash
# Starts the ChatLoop server: ./start.sh PORT [options]   (./start.sh --help lists the options)
# Builds Release first (saying so on stderr, then quietly), only when the build is missing or older than the sources; then
# execs the server, so a signal sent to this script reaches the server itself.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools/lib/launch.sh"
launch start.sh "the server" src/ChatLoop.Server "$@"
