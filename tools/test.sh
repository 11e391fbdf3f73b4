#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test (the README's second command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh build
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 600
