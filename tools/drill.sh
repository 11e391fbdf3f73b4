#!/usr/bin/env bash
# Installs dependencies, builds, and runs the default drill (the README's first command).
# Extra arguments go to `hqdrill run` (e.g. --runs 500).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh build
./build/tools/hqdrill validate scenarios/quang-ngai-hq.json
./build/tools/hqdrill run scenarios/quang-ngai-hq.json --out results/quang-ngai-hq "$@"
