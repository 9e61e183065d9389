#!/usr/bin/env bash
# Makes TorchSharp 0.107.0's native shim load on systems whose libstdc++ is
# older than GCC 13 (Debian 12). The shim needs GLIBCXX_3.4.32 for one symbol,
# std::ios_base_library_init(). On such systems we:
#   1. mark that version requirement weak (VER_FLG_WEAK in .gnu.version_r),
#   2. clear the symbol's version binding (patchelf),
#   3. supply the symbol from a tiny library built here, added as NEEDED;
#      the shim's RUNPATH ($ORIGIN) finds it beside it.
# Idempotent; touches only the copy in a build output, never the NuGet cache.
# Usage: patch-libtorchsharp.sh DIR_CONTAINING_libLibTorchSharp.so
set -euo pipefail
dir=$1
shim=$dir/libLibTorchSharp.so
here=$(cd "$(dirname "$0")" && pwd)
stub=libsparselab_iosinit.so
sym=_ZSt21ios_base_library_initv

[ -f "$shim" ] || exit 0
# (awk reads all input: an early exit would SIGPIPE ldconfig and, under pipefail, end this script)
libstdcxx=$({ /sbin/ldconfig -p 2>/dev/null || true; } | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found {print $NF; found=1}')
[ -n "$libstdcxx" ] || libstdcxx=$(g++ -print-file-name=libstdc++.so.6 2>/dev/null || true)
if [ -n "$libstdcxx" ] && grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then
  exit 0   # the system library has the version: nothing to do
fi
need() { command -v "$1" >/dev/null || { echo "error: $1 is needed to make TorchSharp load on this system (apt-get install -y $2)" >&2; exit 1; }; }
need patchelf patchelf
need readelf binutils
need g++ g++

if ! patchelf --print-needed "$shim" | grep -qx "$stub"; then
  patchelf --clear-symbol-version "$sym" "$shim"
  patchelf --add-needed "$stub" "$shim"
fi
# Weak version requirement, after patchelf (which may move sections).
# readelf -V prints each Vernaux entry's offset inside .gnu.version_r and
# readelf -S the section's file offset; vna_flags sits at entry + 4.
ent=$(readelf -V -W "$shim" | awk '/Name: GLIBCXX_3\.4\.32/ && !found {sub(":","",$1); print $1, $5; found=1}')
if [ -n "$ent" ] && [ "${ent#* }" != "WEAK" ]; then
  sec_off=$(readelf -S -W "$shim" | awk '$0 ~ /\.gnu\.version_r/ {for (i=1;i<=NF;i++) if ($i==".gnu.version_r") print "0x"$(i+3)}' | tail -n 1)
  printf '\x02' | dd of="$shim" bs=1 seek=$(( sec_off + ${ent%% *} + 4 )) conv=notrunc status=none
fi
[ -f "$dir/$stub" ] || g++ -shared -fPIC -O2 -o "$dir/$stub" "$here/ios_base_library_init.cpp"
