#!/usr/bin/env bash
# Installs HQ Drill's build dependencies (Debian 12 packages) and builds it.
# Usage: tools/setup.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
PKGS=(cmake g++ make libboost-graph-dev libeigen3-dev libsfml-dev
      nlohmann-json3-dev catch2 libcli11-dev ccache python3 python3-jsonschema
      xvfb xauth fonts-dejavu-core)
# Extra packages for a caller: tools/test.sh adds chromium (the report test opens it).
read -r -a EXTRA <<<"${HQDRILL_EXTRA_PKGS:-}"
PKGS+=("${EXTRA[@]}")
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DHQDRILL_WERROR="${HQDRILL_WERROR:-OFF}" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
