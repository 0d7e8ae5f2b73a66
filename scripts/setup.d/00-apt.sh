#!/usr/bin/env bash
# Debian packages the build and tests use (python3-onnx: the ONNX checker the export tests run). Only missing ones
# are installed.
set -euo pipefail
packages=(patchelf gcc python3 python3-torch python3-kubernetes python3-yaml python3-sklearn python3-onnx prometheus)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm may come from another packaging of Node.js; only ask Debian when neither is there.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
