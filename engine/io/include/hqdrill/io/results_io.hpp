// Results a user reads: summary.json ("hqdrill.summary/1"), runs.csv, traces/.
// docs/results-format.md documents them. Seconds in every file; ms only inside.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hqdrill/analysis/summary.hpp"
#include "hqdrill/scenario.hpp"
#include "hqdrill/sim/experiment.hpp"

namespace hqdrill::io {

inline constexpr const char* kSummarySchema = "hqdrill.summary/1";

/// The summary: per incident and KPI mean, p50, p90, p95, max, the 95% CI of the mean,
/// and the share of runs meeting each target. Depends only on its inputs (no clock, no
/// thread count), so equal inputs give byte-identical text.
nlohmann::json summary_json(const Scenario& s, const std::string& scenario_file,
                            const ExperimentResults& r, const std::vector<IncidentSummary>& sums);

/// One row per incident, run and KPI: `incident,run,kpi,value` (value empty when the KPI
/// did not happen in that run).
std::string runs_csv(const Scenario& s, const ExperimentResults& r);

/// A results directory built in memory: relative path → content.
using FileSet = std::vector<std::pair<std::string, std::string>>;

/// Writes `files` under `dir` all or nothing: into a temporary sibling directory that is
/// renamed to `dir` once complete. An existing `dir` is replaced only when it is empty or
/// holds a previous summary.json; anything else is refused. Returns "" or the error.
std::string write_results_dir(const std::string& dir, const FileSet& files);

}  // namespace hqdrill::io
