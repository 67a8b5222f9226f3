#!/usr/bin/env bash
# Runs the load tool against a ChatLoop server: tools/load.sh --port PORT [options]
# (tools/load.sh --help lists the options). Builds Release first, only when the build is missing or older
# than the sources (saying so on stderr); then execs the tool, so its exit code is this script's.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/launch.sh"
launch load.sh "the load tool" tools/ChatLoop.Load "$@"
