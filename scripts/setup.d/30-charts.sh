#!/usr/bin/env bash
# Fonts for the loss-curve charts (ScottPlot draws text with SkiaSharp, which finds fonts through fontconfig;
# without any font installed, titles, axis labels and legends come out empty). Only missing packages are installed.
set -euo pipefail
packages=(fontconfig fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages for charts: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
