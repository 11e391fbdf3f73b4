// Sensitivity of a crowd-complaint incident to its behaviour model (DESIGN.md: "crowd
// escalation is a stated, parameterised model with a sensitivity analysis, because no one
// can claim to know it exactly"; docs/design/crowd-complaint.md, plan step 12).
//
// One parameter at a time is set to a low and a high value, everything else at the
// scenario's value, and the incident re-run. Every variant runs alone (the scenario
// reduced to that incident, with no targets) with the same seed and number of runs, so run
// k of every variant draws the same arrivals, hardships, risk aversions, delays... (common
// random numbers): the difference between two variants is the parameter's, not the noise's.
// One-at-a-time sweeps miss interactions; they say which assumptions the outcome hangs on.
//
// Parameters swept (b = the scenario's value; a row with low == high is left out):
//
// | name                | low              | high              | source                   |
// |---------------------|------------------|-------------------|--------------------------|
// | legitimacy          | b - 0.04, >= 0   | b + 0.04, <= 1    | assumption (L0)          |
// | wait_loss_per_h     | 0                | 2 b (b = 0: 0.06) | assumption               |
// | gate_loss           | 0                | 2 b (b = 0: 0.03) | assumption               |
// | line_loss           | 0                | 2 b (b = 0: 0.03) | assumption               |
// | dialogue_gain       | 0                | 2 b (b = 0: 0.10) | assumption               |
// | push_margin         | b / 2            | 2 b               | assumption               |
// | heavy_ratio         | b / 2            | 2 b               | assumption               |
// | threshold           | b / 2            | 1.5 b             | Epstein 2002 (T = 0.1)   |
// | arrest_k            | b / 2            | 2 b               | Epstein 2002 (k = 2.3)   |
// | vision_m            | b / 2            | 2 b               | assumption               |
// | decision_interval_s | b / 2            | 2 b               | assumption               |
// | contagion_max       | b / 2            | 1 (the ceiling)   | Granovetter 1978; assm.  |
// | push_speed_mps      | 0.75 b           | 1.5 b             | assumption (HFV 2000)    |
// | capacity_npm        | b / 2            | 2 b (1)           | BS 6180 Table 2 (1)      |
// | defender_hold_n     | b / 2            | 2 b               | assumption (m v / tau)   |
// | breach_after_s      | b / 2            | 2 b               | assumption               |
// | march_share         | b / 2            | 1.5 b, <= 1       | assumption               |
// | dialogue_s          | b / 2            | 2 b               | assumption               |
//
// (1) b = 1500 N/m, BS 6180's line load where people congregate, taken for a gate; 2 b =
// 3 kN/m is the crowd line load of EN, BS and the Green Guide.
//
// The zero-base fallbacks are the model's defaults (AgitationParams). march_share scales the
// share of every group that marches (b: the first such group's); dialogue_s scales the whole
// dialogue-length distribution (b: its mean, s). The dispersal delay is not swept (it only
// moves the end of a run).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hqdrill/scenario.hpp"

namespace hqdrill {

struct SensitivityParam {
  std::string name;    ///< as in the table above (the scenario file's key)
  double base = 0;     ///< the scenario's value, in the parameter's unit
  double low = 0;      ///< the value of the low variant
  double high = 0;     ///< the value of the high variant
  std::string source;  ///< "Epstein 2002", "assumption", ...
};

struct SensitivityRow {
  SensitivityParam param;
  /// Mean over runs of each reported KPI (SensitivityResult::kpis order) at `low` and at
  /// `high`; runs where a KPI did not happen are left out, NaN when it happened in none.
  std::vector<double> low, high;
  double swing = 0;  ///< |high - low| of the first KPI (0 when either is NaN)
};

struct SensitivityResult {
  std::string incident;           ///< the incident's id
  std::vector<std::string> kpis;  ///< sensitivity_kpis(), in that order
  std::vector<double> base;       ///< mean of each KPI in the unchanged scenario (NaN: none)
  std::vector<SensitivityRow> rows;
  int runs = 0;
  std::uint64_t seed = 0;
};

/// The reported KPIs, the first ranking the rows: peak_active_fraction, breach_fraction,
/// intruders_n, peak_pushers_n, peak_gate_pressure_npm, street_blocked_s.
const std::vector<std::string>& sensitivity_kpis();

/// The parameters swept for `incident`, in the table's order, without those with
/// low == high. Throws std::invalid_argument when the incident has no crowd.
std::vector<SensitivityParam> crowd_sensitivity_params(const Scenario& s, Index incident);

/// The scenario a variant runs: `s` reduced to `incident` (which becomes incident 0) with
/// no targets, and parameter `name` set to `value` (march_share and dialogue_s: scaled by
/// value / base, see above). Throws std::invalid_argument for an unknown name or an
/// incident with no crowd.
Scenario crowd_sensitivity_variant(const Scenario& s, Index incident, const std::string& name,
                                   double value);

/// One-at-a-time sweep of the crowd incident's behaviour and gate parameters; every
/// variant runs with the same seed and runs (common random numbers), with only that
/// incident and no targets, on `threads` threads (results do not depend on it). Rows are
/// sorted by swing (descending), then by the swing of the second KPI (descending), then
/// by name. `progress(done, total)` counts replications over the base and every variant;
/// calls are serialised. Throws std::invalid_argument when the incident has no crowd.
SensitivityResult crowd_sensitivity(const Scenario& s, Index incident, int runs, std::uint64_t seed,
                                    int threads,
                                    std::function<void(int done, int total)> progress = {});

}  // namespace hqdrill
