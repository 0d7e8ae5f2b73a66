#!/usr/bin/env bash
# Makes TorchSharp's native library load on Debian bookworm (see docs: environment.md).
#
# libLibTorchSharp.so (TorchSharp 0.107) asks for GLIBCXX_3.4.32 for one symbol,
# _ZSt21ios_base_library_initv; bookworm's libstdc++ stops at 3.4.30. For every copy of the
# library (the NuGet package cache, and bin folders already built under the repository) that
# fails to load for that reason, this step:
#   1. marks the GLIBCXX_3.4.32 requirement weak (scripts/torchsharp/mark_version_weak.py),
#   2. clears the version of _ZSt21ios_base_library_initv (patchelf),
#   3. adds a one-symbol shim library, libwhetstone_iosinit.so, as a DT_NEEDED entry.
# Where the shim lives: it is installed in /usr/local/lib (registered with ldconfig) so that
# every bin folder finds it, including ones built later from the patched package cache (NuGet
# copies only the files its package lists, so a file put beside the cached library would not
# follow it into bin folders). A copy also goes beside each patched library, which the library's
# RUNPATH ($ORIGIN) finds when /usr/local/lib is not writable.
# Idempotent: a library that already loads is left alone; on a system whose libstdc++ is new
# enough nothing is changed at all.
set -euo pipefail
root="${WHETSTONE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
tools="${WHETSTONE_TOOLS:-$root/.tools}"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
version="0.107.0"
shim_name="libwhetstone_iosinit.so"
cached_dir="$packages/torchsharp/$version/runtimes/linux-x64/native"
weak_marker="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/torchsharp/mark_version_weak.py"

if [ ! -f "$cached_dir/libLibTorchSharp.so" ]; then
  echo "setup: restoring NuGet packages for worker/Whetstone.ML (TorchSharp $version)"
  (cd "$root" && dotnet restore worker/Whetstone.ML --verbosity quiet)
fi

# Directories holding libtorch itself, so that a library in the package cache can be loaded.
libtorch_dirs="$(ls -d "$packages"/libtorch-*-linux-x64/*/runtimes/linux-x64/native 2>/dev/null | paste -sd: || true)"

# Prints the loader's error for a library, or nothing when it loads.
load_error() {
  local dir
  dir="$(dirname "$1")"
  LD_LIBRARY_PATH="$dir:$libtorch_dirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" python3 - "$1" <<'PY' 2>&1 || true
import ctypes, sys
try:
    ctypes.CDLL(sys.argv[1])
except OSError as error:
    print(error)
PY
}

build_shim() {
  local shim="$tools/torchsharp/$shim_name"
  if [ ! -f "$shim" ]; then
    mkdir -p "$tools/torchsharp"
    printf 'void _ZSt21ios_base_library_initv(void) {}\n' > "$tools/torchsharp/iosinit.c"
    gcc -shared -fPIC -O2 -o "$shim" "$tools/torchsharp/iosinit.c"
  fi
  if [ -w /usr/local/lib ] && ! cmp -s "$shim" "/usr/local/lib/$shim_name"; then
    install -m 0755 "$shim" "/usr/local/lib/$shim_name"
    command -v ldconfig >/dev/null && ldconfig
  fi
  echo "$shim"
}

patch_library() {
  local library="$1" shim="$2" work
  work="$(mktemp "$(dirname "$library")/.libLibTorchSharp.XXXXXX")"
  trap 'rm -f "$work"' EXIT
  cp -p "$library" "$work"
  python3 "$weak_marker" "$work" GLIBCXX_3.4.32
  patchelf --clear-symbol-version _ZSt21ios_base_library_initv "$work"
  if ! patchelf --print-needed "$work" | grep -qx "$shim_name"; then
    patchelf --add-needed "$shim_name" "$work"
  fi
  cp "$shim" "$(dirname "$library")/$shim_name"
  # A rename, so a build copying the library at this moment never sees a half-written file.
  mv -f "$work" "$library"
  trap - EXIT
}

mapfile -t libraries < <(
  [ -f "$cached_dir/libLibTorchSharp.so" ] && echo "$cached_dir/libLibTorchSharp.so"
  find "$root" -path "$root/.git" -prune -o -path "$tools" -prune -o \
    -name libLibTorchSharp.so -path '*/bin/*' -print 2>/dev/null
)

shim=""
for library in "${libraries[@]}"; do
  error="$(load_error "$library")"
  if [ -z "$error" ]; then
    continue
  fi
  [ -n "$shim" ] || shim="$(build_shim)"
  if grep -q "$shim_name" <<<"$error"; then
    # Patched before on this machine, but the shim went missing (a fresh /usr/local/lib).
    cp "$shim" "$(dirname "$library")/$shim_name"
    continue
  fi
  if ! grep -q "GLIBCXX_3.4.32" <<<"$error"; then
    echo "setup: $library does not load, for a reason this step does not fix: $error" >&2
    continue
  fi
  echo "setup: patching $library (GLIBCXX_3.4.32 -> shim $shim_name)"
  patch_library "$library" "$shim"
  error="$(load_error "$library")"
  if [ -n "$error" ]; then
    echo "setup: $library still does not load after patching: $error" >&2
    exit 1
  fi
done
