#!/usr/bin/env bash
# Serves ChatLoop's web page and relays each browser to a ChatLoop server:
#   tools/web.sh HTTP_PORT --server 127.0.0.1:5000 [options]   (tools/web.sh --help lists the options)
# Builds Release first, only when the build is missing or older than the sources (saying so on stderr);
# then execs the gateway, so a signal sent to this script reaches it and its exit code is this script's.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/launch.sh"
launch web.sh "the web gateway" src/ChatLoop.Web "$@"
