#!/usr/bin/env bash
# Installs dependencies, builds, runs the default drill and writes its report (the README's
# first command): `hqdrill run` (extra arguments go to it, e.g. --runs 500), `hqdrill plan`
# over the 2018 plan options, `hqdrill sensitivity` over the scenario's assumptions, then
# `hqdrill report` in Vietnamese (report.html, report.md) and English (report.en.*).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh build
SCENARIO=scenarios/quang-ngai-hq.json
OUT=results/quang-ngai-hq
HQ=./build/tools/hqdrill
$HQ validate "$SCENARIO"
$HQ run "$SCENARIO" --out "$OUT" "$@"
echo
echo "== Kế hoạch / Plan: scenarios/options-2018.json (${PLAN_RUNS:=100} runs per combination)"
$HQ plan "$SCENARIO" --options scenarios/options-2018.json --runs "$PLAN_RUNS" --json "$OUT/plan.json"
echo
# Every incident but the crowd complaint (0.3 s a run, re-run by most rows: it alone would
# take half an hour here; `hqdrill sensitivity --crowd` sweeps its behaviour model).
INCIDENTS=$(python3 -c 'import json, sys
for i in json.load(open(sys.argv[1]))["incidents"]:
    if i["type"] != "crowd_complaint": print("--incident", i["id"])' "$SCENARIO")
echo "== Độ nhạy / Sensitivity (${SENSITIVITY_RUNS:=20} runs per variant; crowd incident left out)"
# shellcheck disable=SC2086
$HQ sensitivity "$SCENARIO" $INCIDENTS --runs "$SENSITIVITY_RUNS" --json "$OUT/sensitivity.json" -q
$HQ report "$OUT"
$HQ report "$OUT" --lang en --html "$OUT/report.en.html" --md "$OUT/report.en.md" -q
echo "Báo cáo / Report: $OUT/report.html (English: $OUT/report.en.html)"
