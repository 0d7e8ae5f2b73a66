#!/usr/bin/env bash
# Switches the system BLAS to OpenBLAS (Debian's libopenblas0-openmp), so that Debian's python3-torch and
# python3-numpy (the reference side of bench/Whetstone.ML.Bench) multiply matrices at the machine's speed.
# Without it the alternatives system points libblas.so.3 at the reference BLAS (about 5 GFLOPS for a 2048x2048
# float32 matmul on the build machines, against about 190 with OpenBLAS); see docs: environment.md.
# Idempotent: installs the package only when it is missing; the package's own postinst registers it with
# update-alternatives at a higher priority than the reference BLAS, so "auto" mode picks it.
set -euo pipefail
package=libopenblas0-openmp
if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
  echo "setup: installing $package (OpenBLAS as the system BLAS)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$package" >/dev/null
fi
echo "setup: system BLAS is $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)"
