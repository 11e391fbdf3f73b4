// What `hqdrill report DIR` reads, checked before anything is written: DIR/summary.json
// (hqdrill.summary/1) and DIR/runs.csv (required; every target's met share is recomputed
// from runs.csv and must agree with summary.json, so every number in the report traces
// back to runs), DIR/findings.json, the traces of each incident's median and worst run,
// and, when present, DIR/plan.json (hqdrill.plan/1, `hqdrill plan --json`) and
// DIR/sensitivity.json (hqdrill.sensitivity/2, `hqdrill sensitivity --json`).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hqdrill/io/trace_io.hpp"
#include "report/names.hpp"

namespace hqdrill::report {

struct TraceData {
  std::string file;  ///< relative to DIR
  int run = -1;
  io::TraceRead read;
};

struct TargetData {
  std::string kpi, description;
  double max = 0, min_fraction = 0, met_fraction = 0, weight = 1;
  bool met = false;
};

struct KpiData {
  std::string name;
  int runs = 0, present = 0;
  double mean = 0, p50 = 0, p90 = 0, min = 0, max = 0;
};

struct IncidentData {
  std::string id, type, name, name_en, primary_kpi;
  std::vector<KpiData> kpis;
  std::vector<TargetData> targets;
  /// KPI -> its value in run k (runs.csv), nullopt where it did not happen.
  std::map<std::string, std::vector<std::optional<double>>> values;
  std::optional<TraceData> median, worst;
  int median_run = -1, worst_run = -1;
};

struct ReportInputs {
  std::string dir;
  std::string scenario_file, scenario_name;
  int runs = 0;
  unsigned long long seed = 0;
  std::vector<IncidentData> incidents;
  nlohmann::json findings;     ///< the "findings" array, or an empty array
  nlohmann::json plan;         ///< null when absent
  nlohmann::json sensitivity;  ///< null when absent
  std::string plan_file, sensitivity_file;
  Names names;                                  ///< merged from every trace header read
  nlohmann::json site;                          ///< the site of the first trace header (map)
  std::vector<std::string> files;               ///< every file read, relative to DIR where inside
  std::vector<std::string> notes_vi, notes_en;  ///< what is missing and how to get it
};

/// Reads and checks the inputs. `plan_file` / `sensitivity_file`: "" for DIR/plan.json
/// and DIR/sensitivity.json when they exist. On failure returns nullopt and fills
/// `errors` with "FILE: /json/pointer: message" (or "FILE: line N: ...") lines.
std::optional<ReportInputs> load_inputs(const std::string& dir, const std::string& plan_file,
                                        const std::string& sensitivity_file,
                                        std::vector<std::string>& errors);

}  // namespace hqdrill::report
