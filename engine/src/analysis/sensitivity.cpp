#include "hqdrill/analysis/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "hqdrill/analysis/stats.hpp"
#include "hqdrill/sim/experiment.hpp"

namespace hqdrill {

namespace {

const CrowdDef& crowd_of(const Scenario& s, Index incident) {
  if (incident < 0 || static_cast<std::size_t>(incident) >= s.incidents.size())
    throw std::invalid_argument("crowd sensitivity: no incident " + std::to_string(incident));
  const Incident& inc = s.incidents[static_cast<std::size_t>(incident)];
  if (!inc.crowd)
    throw std::invalid_argument("crowd sensitivity: incident \"" + inc.id +
                                "\" has no crowd (type \"" + inc.type + "\")");
  return *inc.crowd;
}

/// The first group that marches, or nullptr.
const CrowdGroup* first_marching(const CrowdDef& c) {
  for (const CrowdGroup& g : c.groups)
    if (g.march_share > 0) return &g;
  return nullptr;
}

/// Where a parameter lives in a crowd definition; march_share and dialogue_s are scaled.
double* field(CrowdDef& c, const std::string& name) {
  AgitationParams& a = c.behaviour.agitation;
  if (name == "legitimacy") return &a.legitimacy;
  if (name == "wait_loss_per_h") return &a.wait_loss_per_h;
  if (name == "gate_loss") return &a.gate_loss;
  if (name == "line_loss") return &a.line_loss;
  if (name == "dialogue_gain") return &a.dialogue_gain;
  if (name == "push_margin") return &a.push_margin;
  if (name == "heavy_ratio") return &a.heavy_ratio;
  if (name == "threshold") return &a.threshold;
  if (name == "arrest_k") return &a.k;
  if (name == "vision_m") return &c.behaviour.vision_m;
  if (name == "decision_interval_s") return &c.behaviour.decision_interval_s;
  if (name == "push_speed_mps") return &c.behaviour.push_speed_mps;
  if (name == "contagion_max") return &c.behaviour.contagion_max;
  if (name == "capacity_npm") return &c.gate.rule.capacity_npm;
  if (name == "defender_hold_n") return &c.gate.rule.defender_hold_n;
  if (name == "breach_after_s") return &c.gate.rule.after_s;
  return nullptr;
}

double mean_or_nan(const std::vector<std::optional<double>>& v) {
  const KpiSummary k = summarize(v);
  return k.present ? k.mean : std::numeric_limits<double>::quiet_NaN();
}

double swing_of(const std::vector<double>& low, const std::vector<double>& high, std::size_t k) {
  const double d = std::fabs(high[k] - low[k]);
  return std::isfinite(d) ? d : 0.0;
}

}  // namespace

const std::vector<std::string>& sensitivity_kpis() {
  static const std::vector<std::string> names{
      "peak_active_fraction", "breach_fraction",        "intruders_n",
      "peak_pushers_n",       "peak_gate_pressure_npm", "street_blocked_s"};
  return names;
}

std::vector<SensitivityParam> crowd_sensitivity_params(const Scenario& s, Index incident) {
  const CrowdDef& c = crowd_of(s, incident);
  const AgitationParams& a = c.behaviour.agitation;
  const AgitationParams defaults;
  const CrowdBehaviourDef& b = c.behaviour;
  const BreachRule& r = c.gate.rule;
  const std::string asm_ = "assumption";

  std::vector<SensitivityParam> out;
  const auto add = [&out](std::string name, double base, double low, double high,
                          std::string source) {
    if (low != high) out.push_back({std::move(name), base, low, high, std::move(source)});
  };
  const auto halve_double = [&](const std::string& name, double base, const std::string& src) {
    add(name, base, 0.5 * base, 2.0 * base, src);
  };
  // A loss or gain: off, and doubled (the model's default when the scenario has none).
  const auto off_double = [&](const std::string& name, double base, double fallback) {
    add(name, base, 0.0, base > 0 ? 2.0 * base : fallback, asm_);
  };

  add("legitimacy", a.legitimacy, std::clamp(a.legitimacy - 0.04, 0.0, 1.0),
      std::clamp(a.legitimacy + 0.04, 0.0, 1.0), asm_);
  off_double("wait_loss_per_h", a.wait_loss_per_h, defaults.wait_loss_per_h);
  off_double("gate_loss", a.gate_loss, defaults.gate_loss);
  off_double("line_loss", a.line_loss, defaults.line_loss);
  off_double("dialogue_gain", a.dialogue_gain, defaults.dialogue_gain);
  halve_double("push_margin", a.push_margin, asm_);
  halve_double("heavy_ratio", a.heavy_ratio, asm_);
  add("threshold", a.threshold, 0.5 * a.threshold, 1.5 * a.threshold, "Epstein 2002 (T = 0.1)");
  halve_double("arrest_k", a.k, "Epstein 2002");
  halve_double("vision_m", b.vision_m, asm_);
  halve_double("decision_interval_s", b.decision_interval_s, asm_);
  add("contagion_max", b.contagion_max, 0.5 * b.contagion_max, 1.0,
      "Granovetter 1978 (uniform thresholds); bound: assumption");
  add("push_speed_mps", b.push_speed_mps, 0.75 * b.push_speed_mps, 1.5 * b.push_speed_mps,
      "assumption (HFV 2000: up to 5 m/s)");
  halve_double("capacity_npm", r.capacity_npm,
               "BS 6180 Table 2; high: 3 kN/m crowd load of EN, BS, Green Guide");
  halve_double("defender_hold_n", r.defender_hold_n, "assumption (m v_push / tau)");
  halve_double("breach_after_s", r.after_s, asm_);
  if (const CrowdGroup* g = first_marching(c))
    add("march_share", g->march_share, 0.5 * g->march_share, std::min(1.0, 1.5 * g->march_share),
        asm_);
  halve_double("dialogue_s", c.dialogue_s.mean(), "assumption (distribution scaled; mean shown)");
  return out;
}

Scenario crowd_sensitivity_variant(const Scenario& s, Index incident, const std::string& name,
                                   double value) {
  const CrowdDef& base = crowd_of(s, incident);
  Scenario v = s;
  v.incidents = {s.incidents[static_cast<std::size_t>(incident)]};
  v.targets.clear();
  CrowdDef& c = *v.incidents.front().crowd;
  if (double* f = field(c, name)) {
    *f = value;
  } else if (name == "march_share") {
    const CrowdGroup* g = first_marching(base);
    if (!g) throw std::invalid_argument("crowd sensitivity: no group marches");
    const double factor = value / g->march_share;
    for (CrowdGroup& x : c.groups) x.march_share = std::min(1.0, x.march_share * factor);
  } else if (name == "dialogue_s") {
    const double mean = base.dialogue_s.mean();
    if (!(mean > 0) || !(value > 0))
      throw std::invalid_argument("crowd sensitivity: dialogue_s needs a positive mean");
    c.dialogue_s = base.dialogue_s.scaled(value / mean);
  } else {
    throw std::invalid_argument("crowd sensitivity: unknown parameter \"" + name + "\"");
  }
  return v;
}

SensitivityResult crowd_sensitivity(const Scenario& s, Index incident, int runs, std::uint64_t seed,
                                    int threads, std::function<void(int, int)> progress) {
  if (runs < 1) throw std::invalid_argument("crowd sensitivity: runs must be at least 1");
  const std::vector<SensitivityParam> params = crowd_sensitivity_params(s, incident);
  const std::vector<std::string>& kpis = sensitivity_kpis();
  const int total = (1 + 2 * static_cast<int>(params.size())) * runs;
  int offset = 0;

  // Mean of each reported KPI of the reduced scenario `v` (its only incident is 0).
  const auto means = [&](const Scenario& v) {
    ExperimentOptions eo;
    eo.runs = runs;
    eo.seed = seed;
    eo.threads = threads;
    if (progress)
      eo.progress = [&progress, base = offset, total](int done, int) {
        progress(base + done, total);
      };
    const ExperimentResults r = run_experiment(v, eo);
    offset += runs;
    const IncidentRuns& ir = r.incidents.front();
    std::vector<double> out;
    for (const std::string& k : kpis) {
      const auto it = std::find(ir.kpi_names.begin(), ir.kpi_names.end(), k);
      if (it == ir.kpi_names.end()) {
        out.push_back(std::numeric_limits<double>::quiet_NaN());
        continue;
      }
      const auto col = static_cast<std::size_t>(it - ir.kpi_names.begin());
      std::vector<std::optional<double>> values;
      values.reserve(ir.values.size());
      for (const auto& row : ir.values) values.push_back(row[col]);
      out.push_back(mean_or_nan(values));
    }
    return out;
  };

  SensitivityResult res;
  res.incident = s.incidents[static_cast<std::size_t>(incident)].id;
  res.kpis = kpis;
  res.runs = runs;
  res.seed = seed;
  Scenario reduced = s;
  reduced.incidents = {s.incidents[static_cast<std::size_t>(incident)]};
  reduced.targets.clear();
  res.base = means(reduced);
  for (const SensitivityParam& p : params) {
    SensitivityRow row;
    row.param = p;
    row.low = means(crowd_sensitivity_variant(s, incident, p.name, p.low));
    row.high = means(crowd_sensitivity_variant(s, incident, p.name, p.high));
    row.swing = swing_of(row.low, row.high, 0);
    res.rows.push_back(std::move(row));
  }
  std::sort(res.rows.begin(), res.rows.end(), [](const SensitivityRow& a, const SensitivityRow& b) {
    if (a.swing != b.swing) return a.swing > b.swing;
    const double sa = swing_of(a.low, a.high, 1), sb = swing_of(b.low, b.high, 1);
    if (sa != sb) return sa > sb;
    return a.param.name < b.param.name;
  });
  return res;
}

}  // namespace hqdrill
