#!/usr/bin/env bash
# The evaluation tests' independent references and the report check: SciPy (McNemar, power) and Chromium (renders
# the HTML report headless and keeps a screenshot). scikit-learn and numpy come from 00-apt.sh. Only missing
# packages are installed.
set -euo pipefail
packages=(python3-scipy chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages for the evaluation tests: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
