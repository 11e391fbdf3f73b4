#include "hqdrill/analysis/sensitivity.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "hqdrill/analysis/stats.hpp"
#include "hqdrill/analysis/summary.hpp"
#include "hqdrill/plan/search.hpp"
#include "hqdrill/sim/experiment.hpp"
#include "hqdrill/sim/reads.hpp"
#include "hqdrill/sim/replication.hpp"

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

namespace {

/// Sets crowd parameter `name` of `c` (a copy of `base`) to `value`.
void set_crowd_param(CrowdDef& c, const CrowdDef& base, const std::string& name, double value) {
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
}

}  // namespace

Scenario crowd_sensitivity_variant(const Scenario& s, Index incident, const std::string& name,
                                   double value) {
  const CrowdDef& base = crowd_of(s, incident);
  Scenario v = s;
  v.incidents = {s.incidents[static_cast<std::size_t>(incident)]};
  v.targets.clear();
  set_crowd_param(*v.incidents.front().crowd, base, name, value);
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

// ---------------------------------------------------------------- every assumption

namespace {

std::size_t at(Index i) {
  return static_cast<std::size_t>(i);
}

/// "Lãnh đạo Văn phòng trực" / "Office duty leader": the Vietnamese name, else the id.
std::string vi_name(const std::string& name, const std::string& id) {
  return name.empty() ? id : name;
}
std::string en_name(const std::string& name_en, const std::string& name, const std::string& id) {
  return !name_en.empty() ? name_en : !name.empty() ? name : id;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

/// Whether the file notes an assumption on the object at `pointer` or inside it.
bool noted(const Scenario& s, const std::string& pointer) {
  for (const AssumptionNote& n : s.assumptions)
    if (n.pointer == pointer || starts_with(n.pointer, pointer + "/")) return true;
  return false;
}

/// A link's note: the file's link of the same id (a reverse direction is "id~rev").
bool link_noted(const Scenario& s, const CommsLink& l) {
  std::string id = l.id;
  if (const auto cut = id.rfind("~rev"); cut != std::string::npos && cut + 4 == id.size())
    id.resize(cut);
  for (const AssumptionNote& n : s.assumptions)
    if (starts_with(n.pointer, "/comms/links/") && n.id == id) return true;
  return false;
}

const char* kUnnoted = "scenario value (no assumption note)";

std::string source_of(bool is_noted, const std::string& otherwise = kUnnoted) {
  return is_noted ? "assumption" : otherwise;
}

/// Vietnamese crowd-parameter labels (docs/design/crowd-complaint.md's terms).
std::pair<std::string, std::string> crowd_label(const std::string& name) {
  static const std::vector<std::array<const char*, 3>> labels{
      {"legitimacy", "Mức chính danh cảm nhận (±0,04)", "Perceived legitimacy (±0.04)"},
      {"wait_loss_per_h", "Mất chính danh do chờ đợi (mỗi giờ)",
       "Legitimacy lost per hour of waiting"},
      {"gate_loss", "Mất chính danh khi đóng cổng", "Legitimacy lost when the gate closes"},
      {"line_loss", "Mất chính danh khi lập hàng rào", "Legitimacy lost to a cordon line"},
      {"dialogue_gain", "Chính danh tăng khi đối thoại", "Legitimacy gained by dialogue"},
      {"push_margin", "Ngưỡng chuyển sang xô đẩy", "Push margin"},
      {"heavy_ratio", "Tỷ lệ lực lượng áp đảo", "Heavy-presence ratio"},
      {"threshold", "Ngưỡng kích động (Epstein T)", "Activation threshold (Epstein T)"},
      {"arrest_k", "Hệ số sợ bị bắt (Epstein k)", "Arrest-fear constant (Epstein k)"},
      {"vision_m", "Tầm nhìn", "Vision range"},
      {"decision_interval_s", "Chu kỳ quyết định", "Decision interval"},
      {"contagion_max", "Ngưỡng lây lan tối đa", "Contagion threshold ceiling"},
      {"push_speed_mps", "Tốc độ xô đẩy", "Pushing speed"},
      {"capacity_npm", "Sức chịu tải của cổng", "Gate load capacity"},
      {"defender_hold_n", "Lực giữ của mỗi người giữ cổng", "Hold force per gate defender"},
      {"breach_after_s", "Thời gian quá tải trước khi vỡ cổng", "Overload time before a breach"},
      {"march_share", "Tỷ lệ người tuần hành tới cổng", "Share who march to the gate"},
      {"dialogue_s", "Thời gian đối thoại", "Dialogue length"}};
  for (const auto& l : labels)
    if (name == l[0]) return {l[1], l[2]};
  return {name, name};
}

const char* crowd_unit(const std::string& name) {
  if (name == "vision_m") return "m";
  if (name == "push_speed_mps") return "m/s";
  if (name == "capacity_npm") return "N/m";
  if (name == "defender_hold_n") return "N";
  if (name == "decision_interval_s" || name == "breach_after_s" || name == "dialogue_s") return "s";
  if (name == "wait_loss_per_h") return "1/h";
  if (name == "march_share" || name == "legitimacy") return "share";
  return "";
}

/// Collects the rows of assumption_params(), each with the incidents that read it.
class ParamBuilder {
 public:
  explicit ParamBuilder(const Scenario& s) : s_(s) {
    for (std::size_t i = 0; i < s.incidents.size(); ++i)
      reads_.push_back(incident_reads(s, static_cast<Index>(i)));
  }

  std::vector<AssumptionParam> build() {
    roles();
    links();
    units();
    tasks();
    travel();
    for (std::size_t i = 0; i < s_.incidents.size(); ++i) crowd(static_cast<Index>(i));
    for (std::size_t i = 0; i < s_.incidents.size(); ++i) fire(static_cast<Index>(i));
    for (std::size_t i = 0; i < s_.incidents.size(); ++i) flood(static_cast<Index>(i));
    return std::move(out_);
  }

 private:
  using Getter = std::function<Distribution*(Scenario&)>;

  template <class Pred>
  std::vector<Index> incidents_where(Pred pred) const {
    std::vector<Index> v;
    for (std::size_t i = 0; i < reads_.size(); ++i)
      if (pred(reads_[i], static_cast<Index>(i))) v.push_back(static_cast<Index>(i));
    return v;
  }

  /// The scale and spread rows of the distribution `get` reaches.
  void distribution(const std::string& group, const std::string& id, const std::string& vi,
                    const std::string& en, const std::string& unit, const std::string& source,
                    const std::vector<Index>& incidents, const Distribution& d, Getter get) {
    // A constant 0 (an instant answer) neither scales nor spreads.
    if (incidents.empty() || (d.kind == DistKind::constant && d.a == 0.0)) return;
    AssumptionParam p;
    p.group = group;
    p.unit = unit;
    p.source = source;
    p.incidents = incidents;
    // Scale: the mean scales with the distribution.
    p.id = id + ".scale";
    p.what = "scale";
    p.label_vi = vi + " (×0,5 / ×2)";
    p.label_en = en + " (×0.5 / ×2)";
    p.base = d.mean();
    p.low = 0.5 * p.base;
    p.high = 2.0 * p.base;
    p.apply = [get](Scenario& v, bool high) {
      Distribution* x = get(v);
      *x = x->scaled(high ? 2.0 : 0.5);
    };
    out_.push_back(p);
    // Spread: nothing to spread in a constant.
    if (d.kind == DistKind::constant) return;
    const double high_factor = std::min(2.0, d.spread_cap());
    p.id = id + ".spread";
    p.what = "spread";
    p.label_vi = vi + " (độ phân tán ×0,5 / ×2, cùng trung vị)";
    p.label_en = en + " (spread ×0.5 / ×2, same median)";
    p.unit = "×";
    p.base = 1.0;
    p.low = 0.5;
    p.high = high_factor;
    p.apply = [get, high_factor](Scenario& v, bool high) {
      Distribution* x = get(v);
      *x = x->with_spread(high ? high_factor : 0.5);
    };
    out_.push_back(std::move(p));
  }

  /// A value row (or a "scale" row over several objects, unit "×").
  void value(const std::string& group, const std::string& id, const std::string& what,
             const std::string& vi, const std::string& en, const std::string& unit,
             const std::string& source, const std::vector<Index>& incidents, double base,
             double low, double high, std::function<void(Scenario&, bool)> apply) {
    if (incidents.empty() || low == high) return;
    AssumptionParam p;
    p.id = id;
    p.group = group;
    p.what = what;
    p.label_vi = vi;
    p.label_en = en;
    p.unit = unit;
    p.base = base;
    p.low = low;
    p.high = high;
    p.source = source;
    p.incidents = incidents;
    p.apply = std::move(apply);
    out_.push_back(std::move(p));
  }

  void roles() {
    for (std::size_t k = 0; k < s_.roles.size(); ++k) {
      const Role& r = s_.roles[k];
      const auto inc = incidents_where([k](const IncidentReads& x, Index) { return x.roles[k]; });
      const std::string id = "role." + r.id + ".";
      const std::string vi = vi_name(r.name, r.id), en = en_name(r.name_en, r.name, r.id);
      const std::string src = source_of(noted(s_, "/roles/" + std::to_string(k)));
      distribution("role", id + "reaction_s", "Thời gian phản ứng của " + vi, en + " reaction time",
                   "s", src, inc, r.reaction_s,
                   [k](Scenario& v) { return &v.roles[k].reaction_s; });
      // A role answers only the messages its incidents' protocols send it.
      const auto told =
          incidents_where([k](const IncidentReads& x, Index) { return x.notified[k]; });
      distribution("role", id + "answer_s", "Thời gian trả lời của " + vi, en + " answer time", "s",
                   src, told, r.answer_s, [k](Scenario& v) { return &v.roles[k].answer_s; });
      if (r.on_call_answer_s)
        distribution("role", id + "on_call_answer_s",
                     "Thời gian trả lời khi trực ngoài trụ sở của " + vi,
                     en + " on-call answer time", "s", src, told, *r.on_call_answer_s,
                     [k](Scenario& v) { return &*v.roles[k].on_call_answer_s; });
    }
  }

  void links() {
    for (std::size_t k = 0; k < s_.links.size(); ++k) {
      const CommsLink& l = s_.links[k];
      const auto inc = incidents_where([k](const IncidentReads& x, Index) { return x.links[k]; });
      const Role& from = s_.roles[at(l.from_role)];
      const Role& to = s_.roles[at(l.to_role)];
      const std::string id = "link." + l.id + ".";
      const std::string vi = vi_name(from.name, from.id) + " → " + vi_name(to.name, to.id);
      const std::string en =
          en_name(from.name_en, from.name, from.id) + " → " + en_name(to.name_en, to.name, to.id);
      const std::string src = source_of(link_noted(s_, l));
      distribution("link", id + "delay_s", "Độ trễ liên lạc " + vi, "Comms delay " + en, "s", src,
                   inc, l.delay_s, [k](Scenario& v) { return &v.links[k].delay_s; });
      const double p = l.failure_probability;
      value("link", id + "failure_probability", "value",
            "Xác suất liên lạc thất bại " + vi + " (0 / ×2)",
            "Comms failure probability " + en + " (0 / ×2)", "share", src, inc, p, 0.0,
            std::min(1.0, 2.0 * p), [k, p](Scenario& v, bool high) {
              v.links[k].failure_probability = high ? std::min(1.0, 2.0 * p) : 0.0;
            });
      if (l.ack_s)
        distribution("link", id + "ack_s", "Thời gian xác nhận (đọc lại) " + vi,
                     "Acknowledgement (read-back) time " + en, "s", src, inc, *l.ack_s,
                     [k](Scenario& v) { return &*v.links[k].ack_s; });
    }
  }

  void units() {
    for (std::size_t k = 0; k < s_.units.size(); ++k) {
      const Unit& u = s_.units[k];
      const auto inc = incidents_where([k](const IncidentReads& x, Index) { return x.units[k]; });
      const std::string id = "unit." + u.id + ".";
      const std::string vi = vi_name(u.name, u.id), en = en_name(u.name_en, u.name, u.id);
      const std::string src = source_of(noted(s_, "/forces/units/" + std::to_string(k)));
      distribution("unit", id + "turnout_s", "Thời gian xuất phát của " + vi, en + " turnout time",
                   "s", src, inc, u.turnout_s, [k](Scenario& v) { return &v.units[k].turnout_s; });
      if (u.speed_mps)
        distribution("unit", id + "speed_mps", "Tốc độ di chuyển của " + vi, en + " travel speed",
                     "m/s", src, inc, *u.speed_mps,
                     [k](Scenario& v) { return &*v.units[k].speed_mps; });
      if (u.callout_s)
        distribution("unit", id + "callout_s", "Thời gian gọi tăng cường " + vi,
                     en + " call-out delay", "s", src, inc, *u.callout_s,
                     [k](Scenario& v) { return &*v.units[k].callout_s; });
    }
  }

  void tasks() {
    for (std::size_t p = 0; p < s_.protocols.size(); ++p) {
      const auto inc = incidents_where([&](const IncidentReads&, Index i) {
        return s_.incidents[at(i)].protocol == static_cast<Index>(p);
      });
      for (std::size_t t = 0; t < s_.protocols[p].tasks.size(); ++t) {
        const TaskDef& d = s_.protocols[p].tasks[t];
        const std::string src =
            source_of(noted(s_, "/protocols/" + std::to_string(p) + "/tasks/" + std::to_string(t)));
        distribution("task", "task." + s_.protocols[p].id + "." + d.id + ".duration_s",
                     "Thời gian thực hiện nhiệm vụ " + vi_name(d.name, d.id),
                     "Duration of task " + en_name(d.name_en, d.name, d.id), "s", src, inc,
                     d.duration_s,
                     [p, t](Scenario& v) { return &v.protocols[p].tasks[t].duration_s; });
      }
    }
  }

  void travel() {
    const auto foot = incidents_where([](const IncidentReads& x, Index) { return x.any_unit; });
    const auto veh = incidents_where([](const IncidentReads& x, Index) { return x.any_vehicle; });
    constexpr auto kFoot = static_cast<std::size_t>(TravelMode::foot);
    constexpr auto kVeh = static_cast<std::size_t>(TravelMode::vehicle);
    distribution("travel", "travel.foot.speed_mps", "Tốc độ đi bộ", "Walking speed", "m/s",
                 source_of(noted(s_, "/travel/foot")), foot, s_.mode_speed_mps[kFoot],
                 [](Scenario& v) { return &v.mode_speed_mps[kFoot]; });
    distribution("travel", "travel.vehicle.speed_mps", "Tốc độ xe", "Vehicle speed", "m/s",
                 source_of(noted(s_, "/travel/vehicle")), veh, s_.mode_speed_mps[kVeh],
                 [](Scenario& v) { return &v.mode_speed_mps[kVeh]; });
    if (!s_.traffic.empty())
      value("travel", "travel.traffic.scale", "scale", "Hệ số giao thông (×0,5 / ×2)",
            "Traffic speed factors (×0.5 / ×2)", "×",
            source_of(noted(s_, "/travel/vehicle/traffic")), veh, 1.0, 0.5, 2.0,
            [](Scenario& v, bool high) {
              for (TrafficWindow& w : v.traffic) w.factor *= high ? 2.0 : 0.5;
            });
  }

  std::string incident_tag(const Incident& inc, bool vi) const {
    const std::string& n = vi ? inc.name : (!inc.name_en.empty() ? inc.name_en : inc.name);
    return " — " + (n.empty() ? inc.id : inc.id + ": " + n);
  }

  void crowd(Index i) {
    const Incident& inc = s_.incidents[at(i)];
    if (!inc.crowd) return;
    for (const SensitivityParam& c : crowd_sensitivity_params(s_, i)) {
      const auto [vi, en] = crowd_label(c.name);
      const CrowdDef base = *inc.crowd;
      // The crowd table's own sources: Epstein, BS 6180, ... (assumption otherwise).
      value("crowd", "crowd." + inc.id + "." + c.name, "value", vi + incident_tag(inc, true),
            en + incident_tag(inc, false), crowd_unit(c.name), c.source, {i}, c.base, c.low, c.high,
            [i, base, c](Scenario& v, bool high) {
              set_crowd_param(*v.incidents[at(i)].crowd, base, c.name, high ? c.high : c.low);
            });
    }
  }

  void fire(Index i) {
    const Incident& inc = s_.incidents[at(i)];
    if (!inc.fire) return;
    const FireDef& f = *inc.fire;
    const bool note = noted(s_, "/incidents/" + std::to_string(i));
    const std::string src = source_of(note);
    const std::string id = "fire." + inc.id + ".";
    const std::string tv = incident_tag(inc, true), te = incident_tag(inc, false);
    distribution("fire", id + "growth_factor", "Hệ số tốc độ phát triển đám cháy (alpha)" + tv,
                 "Fire growth factor (alpha)" + te, "", src, {i}, f.growth_factor,
                 [i](Scenario& v) { return &v.incidents[at(i)].fire->growth_factor; });
    const auto scale_rooms = [i](Scenario& v, bool high) {
      for (FireRoom& r : v.incidents[at(i)].fire->rooms) {
        if (!r.fuel) continue;
        r.fire_load_mj_per_m2 *= high ? 2.0 : 0.5;
        r.fuel->fuel_energy_kj *= high ? 2.0 : 0.5;
      }
    };
    bool fuel = false;
    for (const FireRoom& r : f.rooms)
      fuel = fuel || (r.fuel && std::isfinite(r.fuel->fuel_energy_kj));
    if (fuel)
      value("fire", id + "fire_load.scale", "scale", "Tải trọng cháy các phòng (×0,5 / ×2)" + tv,
            "Fire load of the rooms (×0.5 / ×2)" + te, "×",
            note ? "assumption" : "EN 1991-1-2 annex E, table E.4", {i}, 1, 0.5, 2, scale_rooms);
    if (!f.detectors.empty()) {
      value("fire", id + "detector_rti.scale", "scale",
            "Chỉ số thời gian đáp ứng (RTI) của đầu báo (×0,5 / ×2)" + tv,
            "Detector response time index, RTI (×0.5 / ×2)" + te, "×", src, {i}, 1, 0.5, 2,
            [i](Scenario& v, bool high) {
              for (FireDetector& d : v.incidents[at(i)].fire->detectors)
                d.link.rti_sqrt_ms *= high ? 2.0 : 0.5;
            });
      const double ambient = f.ambient_c;
      value("fire", id + "detector_activation_rise.scale", "scale",
            "Ngưỡng kích hoạt của đầu báo, độ tăng nhiệt (×0,5 / ×2)" + tv,
            "Detector activation threshold, rise above ambient (×0.5 / ×2)" + te, "×", src, {i}, 1,
            0.5, 2, [i, ambient](Scenario& v, bool high) {
              for (FireDetector& d : v.incidents[at(i)].fire->detectors)
                d.link.activation_c =
                    ambient + (d.link.activation_c - ambient) * (high ? 2.0 : 0.5);
            });
    }
    bool rated = false;
    for (const FireVent& vt : f.vents) rated = rated || std::isfinite(vt.fails_after_s);
    if (rated)
      value("fire", id + "door_fire_rating.scale", "scale",
            "Thời gian chịu lửa của cửa (×0,5 / ×2)" + tv,
            "Door fire rating, time to fail (×0.5 / ×2)" + te, "×", src, {i}, 1, 0.5, 2,
            [i](Scenario& v, bool high) {
              for (FireVent& vt : v.incidents[at(i)].fire->vents)
                if (std::isfinite(vt.fails_after_s)) vt.fails_after_s *= high ? 2.0 : 0.5;
            });
    value("fire", id + "spread_delay_s", "value",
          "Độ trễ lan cháy sang phòng kế bên (×0,5 / ×2)" + tv,
          "Fire spread delay to the next room (×0.5 / ×2)" + te, "s", src, {i}, f.spread_delay_s,
          0.5 * f.spread_delay_s, 2 * f.spread_delay_s,
          [i, b = f.spread_delay_s](Scenario& v, bool high) {
            v.incidents[at(i)].fire->spread_delay_s = high ? 2 * b : 0.5 * b;
          });
  }

  void flood(Index i) {
    const Incident& inc = s_.incidents[at(i)];
    if (!inc.flood) return;
    const FloodDef& f = *inc.flood;
    const std::string src = source_of(noted(s_, "/incidents/" + std::to_string(i)));
    const std::string id = "flood." + inc.id + ".";
    const std::string tv = incident_tag(inc, true), te = incident_tag(inc, false);
    if (!f.stage_m.points.empty())
      value("flood", id + "river_stage_m", "value",
            "Mực nước sông, cả đường quá trình (±0,5 m)" + tv,
            "River stage, the whole hydrograph (±0.5 m)" + te, "m", src, {i}, 0, -0.5, 0.5,
            [i](Scenario& v, bool high) {
              for (auto& [t, h] : v.incidents[at(i)].flood->stage_m.points) h += high ? 0.5 : -0.5;
            });
    if (!f.rain_mm_h.points.empty())
      value("flood", id + "rain.scale", "scale", "Cường độ mưa (×0,5 / ×1,5)" + tv,
            "Rain intensity (×0.5 / ×1.5)" + te, "×", src, {i}, 1, 0.5, 1.5,
            [i](Scenario& v, bool high) {
              for (auto& [t, r] : v.incidents[at(i)].flood->rain_mm_h.points) r *= high ? 1.5 : 0.5;
            });
    const auto has_kind = [&](FloodWorkKind k) {
      return std::any_of(f.works.begin(), f.works.end(),
                         [k](const FloodWork& w) { return w.kind == k; });
    };
    if (has_kind(FloodWorkKind::sandbags))
      value("flood", id + "sandbag_rate.scale", "scale",
            "Năng suất đóng bao cát, bao/người·giờ (×0,5 / ×2)" + tv,
            "Sandbag filling rate, bags per person-hour (×0.5 / ×2)" + te, "×", src, {i}, 1, 0.5, 2,
            [i](Scenario& v, bool high) {
              for (FloodWork& w : v.incidents[at(i)].flood->works)
                if (w.kind == FloodWorkKind::sandbags) w.per_person_hour *= high ? 2.0 : 0.5;
            });
    if (std::any_of(f.links.begin(), f.links.end(),
                    [](const FloodLink& l) { return l.kind == FloodLinkKind::orifice; }))
      value("flood", id + "drain_capacity.scale", "scale",
            "Khả năng thoát nước của cống, tiết diện (×0,5 / ×2)" + tv,
            "Drain (orifice) capacity, its area (×0.5 / ×2)" + te, "×", src, {i}, 1, 0.5, 2,
            [i](Scenario& v, bool high) {
              for (FloodLink& l : v.incidents[at(i)].flood->links)
                if (l.kind == FloodLinkKind::orifice) l.area_m2 *= high ? 2.0 : 0.5;
            });
    if (!f.pumps.empty())
      value("flood", id + "pump_capacity.scale", "scale", "Công suất bơm (×0,5 / ×2)" + tv,
            "Pump capacity (×0.5 / ×2)" + te, "×", src, {i}, 1, 0.5, 2,
            [i](Scenario& v, bool high) {
              for (FloodPump& p : v.incidents[at(i)].flood->pumps)
                p.capacity_m3s *= high ? 2.0 : 0.5;
            });
  }

  const Scenario& s_;
  std::vector<IncidentReads> reads_;
  std::vector<AssumptionParam> out_;
};

double primary_mean(const std::vector<std::string>& names, const std::string& kpi,
                    const std::vector<std::vector<std::optional<double>>>& values) {
  const auto it = std::find(names.begin(), names.end(), kpi);
  if (it == names.end()) return std::numeric_limits<double>::quiet_NaN();
  const auto col = static_cast<std::size_t>(it - names.begin());
  std::vector<std::optional<double>> v;
  v.reserve(values.size());
  for (const auto& row : values) v.push_back(row[col]);
  return mean_or_nan(v);
}

/// What a batch of (scenario, incident) jobs gives: J_i and the primary KPI mean.
struct JobResult {
  double objective = 0;
  double primary = 0;
};

struct Job {
  const Scenario* scenario;
  Index incident;
};

}  // namespace

std::vector<AssumptionParam> assumption_params(const Scenario& s) {
  return ParamBuilder(s).build();
}

std::string primary_kpi_of(const Scenario& s, Index incident) {
  const Incident& inc = s.incidents[at(incident)];
  if (!inc.primary_kpi.empty()) return inc.primary_kpi;
  const std::vector<Index> t = targets_for(s, incident, kpi_names(s, incident));
  return t.empty() ? std::string("all_on_scene_s") : s.targets[at(t.front())].kpi;
}

AssumptionSensitivity assumption_sensitivity(const Scenario& s, const AssumptionOptions& opt) {
  if (opt.runs < 1) throw std::invalid_argument("sensitivity: runs must be at least 1");
  for (const std::string& g : opt.groups)
    if (std::find(assumption_groups().begin(), assumption_groups().end(), g) ==
        assumption_groups().end())
      throw std::invalid_argument("sensitivity: unknown group \"" + g + "\"");
  AssumptionSensitivity res;
  res.runs = opt.runs;
  res.seed = opt.seed;
  for (Index i : opt.incidents)
    if (i < 0 || at(i) >= s.incidents.size())
      throw std::invalid_argument("sensitivity: no incident " + std::to_string(i));
  if (opt.incidents.empty())
    for (std::size_t i = 0; i < s.incidents.size(); ++i)
      res.incidents.push_back(static_cast<Index>(i));
  else
    res.incidents = opt.incidents;
  std::sort(res.incidents.begin(), res.incidents.end());
  res.incidents.erase(std::unique(res.incidents.begin(), res.incidents.end()), res.incidents.end());
  const auto chosen = [&](Index i) {
    return std::binary_search(res.incidents.begin(), res.incidents.end(), i);
  };

  // The rows this run sweeps: of a chosen group, affecting a chosen incident.
  std::vector<AssumptionParam> params;
  for (AssumptionParam& p : assumption_params(s)) {
    if (!opt.groups.empty() &&
        std::find(opt.groups.begin(), opt.groups.end(), p.group) == opt.groups.end())
      continue;
    std::erase_if(p.incidents, [&](Index i) { return !chosen(i); });
    if (!p.incidents.empty()) params.push_back(std::move(p));
  }
  for (Index i : res.incidents) res.primary_kpi.push_back(primary_kpi_of(s, i));
  std::vector<std::vector<std::string>> kpis(s.incidents.size());
  for (Index i : res.incidents) kpis[at(i)] = kpi_names(s, i);

  const int runs = opt.runs;
  long long total = static_cast<long long>(res.incidents.size()) * runs;
  for (const AssumptionParam& p : params)
    total += 2LL * static_cast<long long>(p.incidents.size()) * runs;
  const int total_i = static_cast<int>(std::min<long long>(total, std::numeric_limits<int>::max()));
  int done = 0;
  std::mutex progress_mutex;

  // Runs every job's replications on the pool; results by index, so threads do not
  // change them.
  const auto run_jobs = [&](const std::vector<Job>& jobs) {
    std::vector<std::vector<std::vector<std::optional<double>>>> values(jobs.size());
    for (auto& v : values) v.resize(static_cast<std::size_t>(runs));
    const int n = static_cast<int>(jobs.size()) * runs;
    std::atomic<int> next{0};
    auto worker = [&] {
      for (int k = next++; k < n; k = next++) {
        const auto j = static_cast<std::size_t>(k / runs);
        const int run = k % runs;
        values[j][static_cast<std::size_t>(run)] =
            run_replication(*jobs[j].scenario, jobs[j].incident, opt.seed,
                            static_cast<std::uint64_t>(run), false)
                .kpis;
        if (opt.progress) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          opt.progress(++done, total_i);
        }
      }
    };
    {
      std::vector<std::jthread> pool;
      for (int t = 1; t < std::clamp(opt.threads, 1, 256); ++t) pool.emplace_back(worker);
      worker();
    }
    res.replications += n;
    std::vector<JobResult> out;
    for (std::size_t j = 0; j < jobs.size(); ++j) {
      const Scenario& v = *jobs[j].scenario;
      const Index i = jobs[j].incident;
      const auto pos = static_cast<std::size_t>(
          std::lower_bound(res.incidents.begin(), res.incidents.end(), i) - res.incidents.begin());
      // J over the base scenario's targets of the incident (frozen, as the planner's).
      out.push_back(
          {plan::incident_shortfall(v, plan::objective_targets(s, i), kpis[at(i)], values[j]),
           primary_mean(kpis[at(i)], res.primary_kpi[pos], values[j])});
    }
    return out;
  };

  {
    std::vector<Job> jobs;
    for (Index i : res.incidents) jobs.push_back({&s, i});
    for (const JobResult& r : run_jobs(jobs)) {
      res.base_per_incident.push_back(r.objective);
      res.primary_base.push_back(r.primary);
      res.base_objective += r.objective;
    }
  }

  std::vector<double> tie(params.size(), 0.0);
  for (std::size_t k = 0; k < params.size(); ++k) {
    const AssumptionParam& p = params[k];
    Scenario low = s, high = s;
    p.apply(low, false);
    p.apply(high, true);
    std::vector<Job> jobs;
    for (Index i : p.incidents) jobs.push_back({&low, i});
    for (Index i : p.incidents) jobs.push_back({&high, i});
    const std::vector<JobResult> r = run_jobs(jobs);
    AssumptionRow row;
    row.param = p;
    const std::size_t m = p.incidents.size();
    for (std::size_t j = 0; j < m; ++j) {
      const Index i = p.incidents[j];
      const auto pos = static_cast<std::size_t>(
          std::lower_bound(res.incidents.begin(), res.incidents.end(), i) - res.incidents.begin());
      AssumptionIncidentEffect e{i, r[j].objective, r[m + j].objective, r[j].primary,
                                 r[m + j].primary};
      const double b = res.primary_base[pos];
      const double rel = std::fabs(e.primary_high - e.primary_low) / std::fabs(b);
      if (std::isfinite(rel)) tie[k] = std::max(tie[k], rel);
      row.incidents.push_back(e);
    }
    // J: every chosen incident's share, the variant's where it was re-run, summed in
    // incident order (the same sum as the base's when nothing changed).
    for (std::size_t pos = 0; pos < res.incidents.size(); ++pos) {
      double lo = res.base_per_incident[pos], hi = lo;
      for (const AssumptionIncidentEffect& e : row.incidents)
        if (e.incident == res.incidents[pos]) {
          lo = e.objective_low;
          hi = e.objective_high;
        }
      row.objective_low += lo;
      row.objective_high += hi;
    }
    row.swing = std::fabs(row.objective_high - row.objective_low);
    res.rows.push_back(std::move(row));
  }
  std::vector<std::size_t> order(res.rows.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const AssumptionRow &x = res.rows[a], &y = res.rows[b];
    if (x.swing != y.swing) return x.swing > y.swing;
    if (tie[a] != tie[b]) return tie[a] > tie[b];
    return x.param.id < y.param.id;
  });
  std::vector<AssumptionRow> sorted;
  sorted.reserve(order.size());
  for (std::size_t k : order) sorted.push_back(std::move(res.rows[k]));
  res.rows = std::move(sorted);
  return res;
}

}  // namespace hqdrill
