#!/usr/bin/env bash
# Tools that check the cluster packaging without a cluster (see helm/whetstone/README.md "How the chart is tested"):
# Go and sprig (Helm's template functions) for tests/chart-renderer, yaml.v3 for its values files, gojsonschema
# (the validator Helm 3 checks values.schema.json with), lua5.1 for the
# Argo CD health checks and actions; promtool comes with the prometheus package (00-apt.sh). Only missing packages
# are installed; the renderer itself is built by the chart tests (GOPATH mode, offline).
set -euo pipefail
packages=(golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev golang-github-xeipuuv-gojsonschema-dev lua5.1)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages for the chart checks: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
