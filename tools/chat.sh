#!/usr/bin/env bash
# The console chat client: tools/chat.sh --name NAME [--host localhost] [--port 5000]
# (tools/chat.sh --help lists the options). Builds Release first, only when the build is missing or older
# than the sources (saying so on stderr); then execs the client, so it has the terminal to itself.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/launch.sh"
launch chat.sh "the client" src/ChatLoop.Client "$@"
