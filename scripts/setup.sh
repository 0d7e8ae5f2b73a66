#!/usr/bin/env bash
# Installs everything Whetstone's build, tests and embedded mode need on a Debian machine with the
# .NET SDK. Idempotent: every step checks before it acts, so running it twice does nothing new.
# Each area keeps its own step in scripts/setup.d/NN-<area>.sh; they run in name order.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export WHETSTONE_ROOT="$(cd "$here/.." && pwd)"
export WHETSTONE_TOOLS="${WHETSTONE_TOOLS:-$WHETSTONE_ROOT/.tools}"
mkdir -p "$WHETSTONE_TOOLS"
for step in "$here"/setup.d/*.sh; do
  [ -e "$step" ] || continue
  echo "setup: $(basename "$step")"
  bash "$step"
done
