#include "hqdrill/analysis/knockout.hpp"

#include "wording.hpp"

#include <algorithm>
#include <cstdio>

namespace hqdrill {

const char* to_string(KnockoutKind k) {
  switch (k) {
    case KnockoutKind::role:
      return "role";
    case KnockoutKind::link:
      return "link";
  }
  return "?";
}

namespace {

const std::size_t kNoKpi = static_cast<std::size_t>(-1);

std::size_t kpi_index(const std::vector<std::string>& names, const std::string& k) {
  const auto it = std::find(names.begin(), names.end(), k);
  return it == names.end() ? kNoKpi : static_cast<std::size_t>(it - names.begin());
}

/// A KPI value for averaging: what did not happen counts as the horizon.
double or_horizon(const std::optional<double>& v, double horizon_s) {
  return v ? std::min(*v, horizon_s) : horizon_s;
}

const IncidentSummary* summary_of(const std::vector<IncidentSummary>& sums, Index incident) {
  for (const IncidentSummary& x : sums)
    if (x.incident == incident) return &x;
  return nullptr;
}

const IncidentRuns* runs_of(const ExperimentResults& r, Index incident) {
  for (const IncidentRuns& x : r.incidents)
    if (x.incident == incident) return &x;
  return nullptr;
}

/// Compares a variant's experiment with the baseline's, run by run.
KnockoutItem measure(const Scenario& variant, const ExperimentResults& base,
                     const std::vector<IncidentSummary>& base_sums, const ExperimentResults& var,
                     double base_objective) {
  const auto var_sums = summarize(variant, var);
  KnockoutItem item;
  item.objective = knockout_objective(variant, var, var_sums);
  item.degradation = item.objective - base_objective;

  for (const IncidentSummary& bs : base_sums) {
    const IncidentSummary* vs = summary_of(var_sums, bs.incident);
    const IncidentRuns* br = runs_of(base, bs.incident);
    const IncidentRuns* vr = runs_of(var, bs.incident);
    if (!vs || !br || !vr) continue;
    for (const TargetOutcome& bt : bs.targets) {
      TargetDelta td{bs.incident, bt.target, bt.kpi, bt.met_fraction, 0.0};
      // A target that no longer applies (its KPI is gone) is missed in every run.
      for (const TargetOutcome& vt : vs->targets)
        if (vt.target == bt.target) td.variant_met = vt.met_fraction;
      item.target_miss_delta += td.baseline_met - td.variant_met;
      item.targets.push_back(td);
    }
    const double horizon_s = ms_to_seconds(horizon_of(variant, bs.incident));
    const std::size_t runs = std::min(br->values.size(), vr->values.size());
    for (std::size_t k = 0; k < br->kpi_names.size(); ++k) {
      const std::size_t vk = kpi_index(vr->kpi_names, br->kpi_names[k]);
      if (vk == kNoKpi || runs == 0) continue;
      double sum = 0;
      for (std::size_t i = 0; i < runs; ++i)
        sum += or_horizon(vr->values[i][vk], horizon_s) - or_horizon(br->values[i][k], horizon_s);
      const double delta = sum / static_cast<double>(runs);
      item.kpis.push_back({bs.incident, br->kpi_names[k], delta});
      if (delta > item.largest_kpi_delta_s) {
        item.largest_kpi_delta_s = delta;
        item.largest_kpi = br->kpi_names[k];
        item.largest_kpi_incident = bs.incident;
      }
    }
  }
  return item;
}

// ------------------------------------------------------------ findings text

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string role_name(const Role& r, bool en) {
  return en ? wording::name_en(r.name_en, r.id) : wording::name_vi(r.name, r.id);
}
using wording::channel_en;
using wording::channel_vi;

/// The target whose met fraction dropped most; nullptr when none dropped.
const TargetDelta* worst_target(const KnockoutItem& it) {
  const TargetDelta* worst = nullptr;
  for (const TargetDelta& t : it.targets) {
    const double drop = t.baseline_met - t.variant_met;
    if (drop > 0 && (!worst || drop > worst->baseline_met - worst->variant_met)) worst = &t;
  }
  return worst;
}

std::string incident_suffix(const Scenario& s, Index incident, bool en) {
  if (s.incidents.size() < 2 || incident == kNone) return "";
  const Incident& inc = s.incidents[static_cast<std::size_t>(incident)];
  const std::string name = en && !inc.name_en.empty() ? inc.name_en
                           : inc.name.empty()         ? inc.id
                                                      : inc.name;
  return en ? " (incident " + name + ")" : " (sự cố " + name + ")";
}

Finding knockout_finding(const Scenario& s, const KnockoutItem& it) {
  Finding f;
  f.kind = FindingKind::single_point_of_failure;
  f.incident = "";
  f.subject = it.id;
  f.frequency = 1;
  f.cost_s = it.largest_kpi_delta_s;
  f.impact = it.degradation * 3600.0;

  std::string if_vi, if_en;
  if (it.kind == KnockoutKind::role) {
    const Role& r = s.roles[static_cast<std::size_t>(it.index)];
    if_vi = "Nếu vai trò " + role_name(r, false) + " bị khuyết";
    if_en = "If role " + role_name(r, true) + " is vacant";
  } else {
    const CommsLink& l = s.links[static_cast<std::size_t>(it.index)];
    const Role& from = s.roles[static_cast<std::size_t>(l.from_role)];
    const Role& to = s.roles[static_cast<std::size_t>(l.to_role)];
    if_vi = "Nếu cắt liên lạc " + std::string(channel_vi(l.channel)) + " từ " +
            role_name(from, false) + " đến " + role_name(to, false);
    if_en = "If the " + std::string(channel_en(l.channel)) + " link from " + role_name(from, true) +
            " to " + role_name(to, true) + " is cut";
  }

  std::string then_vi, then_en;
  Index shown_incident = kNone;
  if (const TargetDelta* t = worst_target(it)) {
    const Target& tg = s.targets[static_cast<std::size_t>(t->target)];
    const std::string what = t->kpi + " ≤ " + fmt("%g", tg.max_value) + " " + kpi_unit(t->kpi);
    then_vi = " thì tỷ lệ đạt mục tiêu " + what + incident_suffix(s, t->incident, false) +
              " giảm từ " + fmt("%.0f", 100 * t->baseline_met) + "% xuống " +
              fmt("%.0f", 100 * t->variant_met) + "%";
    then_en = ", target " + what + incident_suffix(s, t->incident, true) + " is met in " +
              fmt("%.0f", 100 * t->variant_met) + "% of runs instead of " +
              fmt("%.0f", 100 * t->baseline_met) + "%";
    if (it.target_miss_delta > 0) {
      std::string misses = fmt("%.2f", it.target_miss_delta);
      then_en += " (+" + misses + " expected target misses per run)";
      std::replace(misses.begin(), misses.end(), '.', ',');  // Vietnamese decimal comma
      then_vi += " (trung bình thêm " + misses + " mục tiêu không đạt mỗi lần chạy)";
    }
    shown_incident = t->incident;
  } else {
    then_vi = " thì các lực lượng được điều động có mặt đầy đủ chậm hơn";
    then_en = ", the units sent are all on scene later";
  }
  if (!it.largest_kpi.empty()) {
    // Name the incident only when the sentence has not just named it.
    const bool same = it.largest_kpi_incident == shown_incident;
    then_vi += "; " + it.largest_kpi +
               (same ? "" : incident_suffix(s, it.largest_kpi_incident, false)) +
               " chậm thêm trung bình " + fmt("%.0f", it.largest_kpi_delta_s) + " giây";
    then_en += "; " + it.largest_kpi +
               (same ? "" : incident_suffix(s, it.largest_kpi_incident, true)) + " is " +
               fmt("%.0f", it.largest_kpi_delta_s) + " s later on average";
  }
  f.text_vi = if_vi + then_vi;
  f.text_en = if_en + then_en;

  if (const TargetDelta* t = worst_target(it))
    f.evidence.push_back({-1, 0,
                          "target " + t->kpi + " met in " + fmt("%.0f", 100 * t->variant_met) +
                              "% of runs instead of " + fmt("%.0f", 100 * t->baseline_met) + "%"});
  if (!it.largest_kpi.empty())
    f.evidence.push_back(
        {-1, 0, "mean " + it.largest_kpi + " +" + fmt("%.1f", it.largest_kpi_delta_s) + " s"});
  return f;
}

}  // namespace

double knockout_objective(const Scenario& s, const ExperimentResults& r,
                          const std::vector<IncidentSummary>& sums) {
  double objective = 0;
  for (const IncidentRuns& ir : r.incidents) {
    const double horizon_s = ms_to_seconds(horizon_of(s, ir.incident));
    const IncidentSummary* sum = summary_of(sums, ir.incident);
    if (sum && !sum->targets.empty()) {
      for (const TargetOutcome& t : sum->targets) objective += 1.0 - t.met_fraction;
      continue;
    }
    const std::size_t k = kpi_index(ir.kpi_names, "all_on_scene_s");
    if (k == kNoKpi || ir.values.empty() || horizon_s <= 0) continue;
    double share = 0;
    for (const auto& row : ir.values) share += or_horizon(row[k], horizon_s) / horizon_s;
    objective += share / static_cast<double>(ir.values.size());
  }
  return objective;
}

std::vector<Index> roles_in_play(const Scenario& s) {
  std::vector<bool> in(s.roles.size(), false);
  const auto mark = [&](Index r) {
    if (r != kNone) in[static_cast<std::size_t>(r)] = true;
  };
  for (const Incident& inc : s.incidents) {
    mark(inc.detected_by);
    if (inc.protocol == kNone) continue;
    const Protocol& p = s.protocols[static_cast<std::size_t>(inc.protocol)];
    for (const Rule& rule : p.rules) {
      mark(rule.role);
      for (const Action& a : rule.actions)
        if (a.kind == ActionKind::notify) mark(a.role);
    }
    for (const TaskDef& t : p.tasks) mark(t.owner);
    for (Index r : p.command) mark(r);
  }
  std::vector<Index> out;
  for (std::size_t i = 0; i < in.size(); ++i)
    if (in[i]) out.push_back(static_cast<Index>(i));
  return out;
}

KnockoutResult run_knockouts(const Scenario& s, const KnockoutOptions& opt) {
  const std::vector<Index> roles = roles_in_play(s);
  const int per_experiment = static_cast<int>(s.incidents.size()) * opt.runs;
  const int total = (1 + static_cast<int>(roles.size() + s.links.size())) * per_experiment;
  int offset = 0;
  const auto experiment = [&](const Scenario& sc) {
    ExperimentOptions eo;
    eo.runs = opt.runs;
    eo.seed = opt.seed;
    eo.threads = opt.threads;
    if (opt.progress)
      eo.progress = [&opt, base = offset, total](int done, int) {
        opt.progress(base + done, total);
      };
    ExperimentResults r = run_experiment(sc, eo);
    offset += per_experiment;
    return r;
  };

  KnockoutResult out;
  const ExperimentResults base = experiment(s);
  out.baseline = summarize(s, base);
  out.baseline_objective = knockout_objective(s, base, out.baseline);

  for (Index role : roles) {
    Scenario v = s;
    v.roles[static_cast<std::size_t>(role)].removed = true;
    KnockoutItem item = measure(v, base, out.baseline, experiment(v), out.baseline_objective);
    item.kind = KnockoutKind::role;
    item.index = role;
    item.id = s.roles[static_cast<std::size_t>(role)].id;
    out.items.push_back(std::move(item));
  }
  for (std::size_t l = 0; l < s.links.size(); ++l) {
    Scenario v = s;
    v.links[l].removed = true;
    KnockoutItem item = measure(v, base, out.baseline, experiment(v), out.baseline_objective);
    item.kind = KnockoutKind::link;
    item.index = static_cast<Index>(l);
    item.id = s.links[l].id;
    out.items.push_back(std::move(item));
  }

  std::stable_sort(out.items.begin(), out.items.end(),
                   [](const KnockoutItem& a, const KnockoutItem& b) {
                     if (a.degradation != b.degradation) return a.degradation > b.degradation;
                     if (a.kind != b.kind) return a.kind == KnockoutKind::link;
                     return a.id < b.id;
                   });
  return out;
}

std::vector<Finding> knockout_findings(const Scenario& s, const KnockoutResult& r) {
  std::vector<Finding> out;
  for (const KnockoutItem& it : r.items)
    if (it.degradation > 0) out.push_back(knockout_finding(s, it));
  return out;
}

}  // namespace hqdrill
