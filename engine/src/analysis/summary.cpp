#include "hqdrill/analysis/summary.hpp"

#include <algorithm>
#include <numeric>

namespace hqdrill {

std::vector<Index> targets_for(const Scenario& s, Index incident,
                               const std::vector<std::string>& kpi_names) {
  std::vector<Index> out;
  for (std::size_t t = 0; t < s.targets.size(); ++t) {
    const Target& tg = s.targets[t];
    if (!tg.incident.empty() && tg.incident != s.incidents[incident].id) continue;
    // A flood's clock starts at the forecast, hours before anyone is meant to act: the
    // response times of alarms (targets naming no incident) do not apply to it.
    if (tg.incident.empty() && s.incidents[incident].flood) continue;
    if (std::find(kpi_names.begin(), kpi_names.end(), tg.kpi) == kpi_names.end()) continue;
    out.push_back(static_cast<Index>(t));
  }
  return out;
}

namespace {

std::size_t kpi_index(const std::vector<std::string>& names, const std::string& k) {
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), k) - names.begin());
}

bool within(const std::optional<double>& v, double max_value) {
  return v && *v <= max_value;
}

}  // namespace

std::vector<IncidentSummary> summarize(const Scenario& s, const ExperimentResults& r) {
  std::vector<IncidentSummary> out;
  for (const IncidentRuns& ir : r.incidents) {
    IncidentSummary sum;
    sum.incident = ir.incident;
    sum.kpi_names = ir.kpi_names;
    const std::size_t runs = ir.values.size();
    for (std::size_t k = 0; k < ir.kpi_names.size(); ++k) {
      std::vector<std::optional<double>> col(runs);
      for (std::size_t i = 0; i < runs; ++i) col[i] = ir.values[i][k];
      KpiSummary ks = summarize(col);
      // A share over runs (each run 0 or 1, e.g. breach_fraction): Wilson's interval.
      const std::string& name = ir.kpi_names[k];
      const bool zero_one = std::all_of(col.begin(), col.end(),
                                        [](const auto& v) { return !v || *v == 0.0 || *v == 1.0; });
      if (name.ends_with("_fraction") && zero_one && ks.present > 0) {
        const auto [lo, hi] = wilson_interval(ks.mean * static_cast<double>(ks.present),
                                              static_cast<double>(ks.present));
        ks.ci95_low = lo;
        ks.ci95_high = hi;
      }
      sum.kpis.push_back(ks);
    }

    const auto applicable = targets_for(s, ir.incident, ir.kpi_names);
    std::vector<int> misses(runs, 0);
    for (Index t : applicable) {
      const Target& tg = s.targets[t];
      const std::size_t k = kpi_index(ir.kpi_names, tg.kpi);
      std::size_t met = 0;
      for (std::size_t i = 0; i < runs; ++i) {
        const bool ok = within(ir.values[i][k], tg.max_value);
        met += ok;
        misses[i] += !ok;
      }
      TargetOutcome o{t,
                      tg.kpi,
                      tg.max_value,
                      tg.min_fraction,
                      runs ? static_cast<double>(met) / static_cast<double>(runs) : 0.0,
                      false};
      o.met = o.met_fraction >= tg.min_fraction;
      sum.targets.push_back(o);
    }

    // The primary KPI picks the traced runs: the incident's choice, else the first
    // target's KPI, else all_on_scene_s.
    const Incident& inc = s.incidents[ir.incident];
    sum.primary_kpi = !inc.primary_kpi.empty() ? inc.primary_kpi
                      : !applicable.empty()    ? s.targets[applicable.front()].kpi
                                               : std::string("all_on_scene_s");
    std::size_t pk = kpi_index(ir.kpi_names, sum.primary_kpi);
    if (pk >= ir.kpi_names.size()) pk = ir.kpi_names.size() - 1;
    auto key = [&](std::size_t i) {
      const auto& v = ir.values[i][pk];
      return v ? *v : 1e300;  // missing sorts last: the worst outcome
    };
    std::vector<std::size_t> order(runs);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
    if (runs) {
      sum.median_run = static_cast<int>(order[(runs - 1) / 2]);
      std::size_t worst = 0;
      for (std::size_t i = 1; i < runs; ++i)
        if (misses[i] > misses[worst] || (misses[i] == misses[worst] && key(i) > key(worst)))
          worst = i;
      sum.worst_run = static_cast<int>(worst);
    }
    out.push_back(std::move(sum));
  }
  return out;
}

}  // namespace hqdrill
