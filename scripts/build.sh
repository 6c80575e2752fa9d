#!/usr/bin/env bash
# Builds the server binary exactly as the Dockerfile's build stage does; CI runs it too, since no Docker engine
# runs on the build machines.   usage: scripts/build.sh OUTPUT
set -euo pipefail
out=${1:?usage: scripts/build.sh OUTPUT}
CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o "$out" ./cmd/server
