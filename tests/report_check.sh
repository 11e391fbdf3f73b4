#!/usr/bin/env bash
# The report as a browser sees it (issue #9): `hqdrill run`, `plan` and `sensitivity` on
# the minimal scenario, `hqdrill report` in both languages, then headless Chromium loads
# each report.html from disk. Passes when every chart the report announces
# (<meta name="hqdrill-charts">) has been laid out with a non-empty bounding box and a data
# mark (the page's own check: data-charts-drawn, data-chart-errors on <body>), the page
# logs nothing to the console, and every kind of chart is there.
# Exit 77 (CTest SKIP_RETURN_CODE) with a message when Chromium is not installed.
# Usage: report_check.sh HQDRILL SOURCE_DIR
set -uo pipefail
HQDRILL=$1
SRC=$2
BROWSER=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$BROWSER" ]; then
  echo "SKIP: Chromium is not installed (apt-get install chromium); the report was not opened"
  exit 77
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DIR=$WORK/results
step() {  # step NAME COMMAND...: runs it, or fails the test naming the step
  local name=$1
  shift
  "$@" >"$WORK/step.log" 2>&1 || { echo "FAIL: $name exited with $?"; cat "$WORK/step.log"; exit 1; }
}
# The minimal scenario with targets its baseline misses, so the plan has something to
# recommend (the radio option shortens the call to the police squad).
MIN=$WORK/scenario.json
step "write the scenario" python3 - "$SRC/tests/data/scenario_minimal.json" "$MIN" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["targets"] = [
    {"incident": "night-alarm-records", "kpi": "on_scene_police_squad_s", "max_s": 400,
     "min_fraction": 0.9, "description": "police at the gate within 400 s"},
    {"incident": "night-alarm-records", "kpi": "notified_police_squad_leader_s", "max_s": 120,
     "min_fraction": 0.9, "description": "police squad told within 2 min"}]
json.dump(s, open(sys.argv[2], "w"))
PY
step "hqdrill run" "$HQDRILL" run "$MIN" --runs 30 --out "$DIR" -q
step "hqdrill plan" "$HQDRILL" plan "$MIN" --options "$SRC/tests/data/options_minimal.json" \
  --runs 30 --json "$DIR/plan.json" -q
step "hqdrill sensitivity" "$HQDRILL" sensitivity "$MIN" --runs 10 --json "$DIR/sensitivity.json" -q
step "hqdrill report" "$HQDRILL" report "$DIR" -q
step "hqdrill report --lang en" "$HQDRILL" report "$DIR" --lang en --html "$DIR/report.en.html" \
  --md "$DIR/report.en.md" -q

fail=0
for page in report.html report.en.html; do
  dom=$WORK/$page.dom
  log=$WORK/$page.log
  # A fresh profile per page, so parallel runs do not share one.
  if ! timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu \
    --user-data-dir="$WORK/profile-$page" --enable-logging=stderr --v=0 \
    --virtual-time-budget=5000 --dump-dom "file://$DIR/$page" >"$dom" 2>"$log"; then
    echo "FAIL $page: Chromium did not load it"; cat "$log"; fail=1; continue
  fi
  announced=$(grep -o '<meta name="hqdrill-charts" content="[0-9]*"' "$dom" | grep -o '[0-9][0-9]*')
  total=$(grep -o 'data-charts-total="[0-9]*"' "$dom" | grep -o '[0-9][0-9]*')
  drawn=$(grep -o 'data-charts-drawn="[0-9]*"' "$dom" | grep -o '[0-9][0-9]*')
  errors=$(grep -o 'data-chart-errors="[^"]*"' "$dom")
  echo "$page: charts announced ${announced:-none}, in the page ${total:-none}, drawn ${drawn:-none}; $errors"
  if [ -z "$announced" ] || [ "$announced" -lt 1 ] || [ "$total" != "$announced" ] ||
    [ "$drawn" != "$announced" ] || [ "$errors" != 'data-chart-errors=""' ]; then
    echo "FAIL $page: not every chart was drawn"; fail=1
  fi
  if grep -q 'CONSOLE' "$log"; then
    echo "FAIL $page: console messages:"; grep 'CONSOLE' "$log"; fail=1
  fi
  for kind in targets findings pareto forest tornado site hist- timeline-; do
    grep -q "data-chart=\"$kind" "$dom" || { echo "FAIL $page: no chart \"$kind\""; fail=1; }
  done
done
[ $fail -eq 0 ] && echo "PASS: both reports open in $("$BROWSER" --version 2>/dev/null | head -1) with every chart drawn"
exit $fail
