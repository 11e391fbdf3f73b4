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
// Two sweeps live here: the crowd sweep below (crowd_sensitivity, `--crowd`, schema
// hqdrill.sensitivity/1), and the sweep of every assumption (assumption_sensitivity, the
// default, schema hqdrill.sensitivity/2, after the crowd declarations), which includes
// the crowd parameters as its "crowd" group.
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

// ---------------------------------------------------------------- every assumption

/// One assumption varied one at a time (`hqdrill sensitivity`, schema
/// hqdrill.sensitivity/2). Rows, by group (ids are "group.object.field.what"):
///
/// | group  | object             | rows (each distribution: a scale and a spread row)     |
/// |--------|--------------------|--------------------------------------------------------|
/// | role   | role id            | reaction_s, answer_s, on_call_answer_s                  |
/// | link   | link id            | delay_s, failure_probability (0 / 2 p, <= 1), ack_s     |
/// | unit   | unit id            | turnout_s, speed_mps (when its own), callout_s          |
/// | task   | protocol.task id   | duration_s                                              |
/// | travel | foot, vehicle      | speed_mps (the modes' defaults); traffic factors ×½, ×2 |
/// | crowd  | incident id        | the crowd table above (values)                          |
/// | fire   | incident id        | growth_factor, fire load, detector RTI and activation   |
/// |        |                    | rise, door fire rating (fails_after_s), spread_delay_s  |
/// | flood  | incident id        | river stage ±0.5 m, rain ×0.5 / ×1.5, sandbag rate,     |
/// |        |                    | orifice (drain) area, pump capacity                     |
///
/// "scale": the distribution (or the listed values) ×0.5 and ×2; base/low/high are the
/// distribution's mean in its unit (several objects at once: the factor, unit "×").
/// "spread": Distribution::with_spread(0.5) and (2), same median; base/low/high are the
/// factors actually applied (unit "×"; the high one capped by spread_cap()).
/// "value": a single value set to low and high.
///
/// Relevance rule (which incidents a row re-runs; the others reuse the base runs, which
/// the replication makes exact: a replication depends only on the scenario values its
/// incident reads): an incident reads the roles that detect it, act in or are notified by
/// its protocol's rules, own its tasks or take command, and its fire's detector, patrol
/// and occupant roles; the units holding those roles (and fallbacks), its patrol, means,
/// fire-police, gate-defender and commitment units; the links its protocol notifies along
/// (from the acting role to the notified one), and answer times only of the roles
/// notified; its protocol's tasks; the walking speed when it reads any unit, the vehicle
/// speed and traffic when one of them drives; and its own crowd, fire or flood definition.
/// The rule errs on the side of re-running: a row may re-run an incident it leaves
/// unchanged (a call-out delay when nobody is ever called out), never the reverse.
struct AssumptionParam {
  std::string id;     ///< "role.guard_hq_post.reaction_s.scale": stable, dotted
  std::string group;  ///< role, link, unit, task, travel, crowd, fire, flood
  std::string what;   ///< scale, spread, value
  std::string label_vi, label_en;
  std::string unit;  ///< "s", "m/s", "share", "m", "×", ... ("" dimensionless)
  double base = 0, low = 0, high = 0;
  std::string source;            ///< "assumption" (the file notes it) or where it comes from
  std::vector<Index> incidents;  ///< the incidents it may affect (relevance rule), ascending
  /// Sets the low (false) or high (true) variant into a copy of the scenario.
  std::function<void(Scenario&, bool high)> apply;
};

inline const std::vector<std::string>& assumption_groups() {
  static const std::vector<std::string> g{"role",   "link",  "unit", "task",
                                          "travel", "crowd", "fire", "flood"};
  return g;
}

/// Every parameter of the table above that some incident reads, in scenario order
/// (groups in the table's order), without rows whose low and high are the same variant.
std::vector<AssumptionParam> assumption_params(const Scenario& s);

struct AssumptionIncidentEffect {
  Index incident = kNone;
  double objective_low = 0, objective_high = 0;
  double primary_low = 0, primary_high = 0;  ///< mean of its primary KPI (NaN: never)
};

struct AssumptionRow {
  AssumptionParam param;
  double objective_low = 0, objective_high = 0;     ///< J summed over the chosen incidents
  double swing = 0;                                 ///< |objective_high - objective_low|
  std::vector<AssumptionIncidentEffect> incidents;  ///< the chosen ones it re-ran
};

struct AssumptionSensitivity {
  int runs = 0;
  std::uint64_t seed = 0;
  std::vector<Index> incidents;  ///< the chosen incidents, ascending
  double base_objective = 0;
  std::vector<double> base_per_incident;  ///< per chosen incident
  std::vector<std::string> primary_kpi;   ///< per chosen incident (summary.cpp's rule)
  std::vector<double> primary_base;       ///< its mean in the base runs (NaN: never)
  std::vector<AssumptionRow> rows;        ///< ranked (see assumption_sensitivity)
  long long replications = 0;             ///< simulated, base included
};

struct AssumptionOptions {
  int runs = 100;
  std::uint64_t seed = 1;
  int threads = 1;                  ///< results do not depend on it
  std::vector<Index> incidents;     ///< empty: every incident
  std::vector<std::string> groups;  ///< empty: every group
  /// (done, total) replications; calls are serialised.
  std::function<void(int done, int total)> progress;
};

/// The primary KPI of an incident: its own choice, else the first applicable target's
/// KPI, else all_on_scene_s (as summary.json picks it).
std::string primary_kpi_of(const Scenario& s, Index incident);

/// One-at-a-time sweep of assumption_params() filtered by `opt`, every variant with the
/// same seed and runs (common random numbers), re-running only the chosen incidents a row
/// may affect. Measure: the planner's objective J (plan::incident_shortfall) summed over
/// the chosen incidents. Rows ranked by swing (descending), then by the largest relative
/// change |high - low| / |base| of a re-run incident's primary KPI mean (descending),
/// then by id. Throws std::invalid_argument for runs < 1, an incident out of range or an
/// unknown group.
AssumptionSensitivity assumption_sensitivity(const Scenario& s, const AssumptionOptions& opt);

}  // namespace hqdrill
