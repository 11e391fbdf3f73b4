// From replications to what a planner reads: per-KPI statistics, targets met or missed,
// and which runs to trace (the median and the worst).
#pragma once

#include <string>
#include <vector>

#include "hqdrill/analysis/stats.hpp"
#include "hqdrill/scenario.hpp"
#include "hqdrill/sim/experiment.hpp"

namespace hqdrill {

struct TargetOutcome {
  Index target = kNone;  ///< into Scenario::targets
  std::string kpi;
  double max_value = 0, min_fraction = 0;
  double met_fraction = 0;  ///< share of runs where the KPI happened within max_value
  bool met = false;         ///< met_fraction >= min_fraction
};

struct IncidentSummary {
  Index incident = kNone;
  std::vector<std::string> kpi_names;
  std::vector<KpiSummary> kpis;
  std::vector<TargetOutcome> targets;
  std::string primary_kpi;
  int median_run = 0;  ///< run whose primary KPI is the median (lower median)
  int worst_run = 0;   ///< most targets missed, then largest primary KPI (missing = worst)
};

/// Targets that apply to an incident: those naming it, and those naming none, when the
/// incident has that KPI (and is not a flood, whose clock starts at the forecast). A
/// target naming a KPI the incident lacks does not apply.
std::vector<Index> targets_for(const Scenario& s, Index incident,
                               const std::vector<std::string>& kpi_names);

std::vector<IncidentSummary> summarize(const Scenario& s, const ExperimentResults& r);

}  // namespace hqdrill
