#include "hqdrill/io/results_io.hpp"

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace hqdrill::io {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json stat_or_null(bool present, double v) {
  return present ? json(v) : json(nullptr);
}

json kpi_json(const std::string& name, const KpiSummary& k) {
  const bool p = k.present > 0;
  return {{"name", name},
          {"runs", k.runs},
          {"present", k.present},
          {"missing_fraction", k.missing_fraction},
          {"mean", stat_or_null(p, k.mean)},
          {"sd", stat_or_null(p, k.sd)},
          {"min", stat_or_null(p, k.min)},
          {"p50", stat_or_null(p, k.p50)},
          {"p90", stat_or_null(p, k.p90)},
          {"p95", stat_or_null(p, k.p95)},
          {"max", stat_or_null(p, k.max)},
          {"ci95_mean", p ? json::array({k.ci95_low, k.ci95_high}) : json(nullptr)}};
}

}  // namespace

json summary_json(const Scenario& s, const std::string& scenario_file, const ExperimentResults& r,
                  const std::vector<IncidentSummary>& sums) {
  json incidents = json::array();
  for (const IncidentSummary& sum : sums) {
    const Incident& inc = s.incidents[sum.incident];
    json kpis = json::array(), targets = json::array();
    for (std::size_t k = 0; k < sum.kpi_names.size(); ++k)
      kpis.push_back(kpi_json(sum.kpi_names[k], sum.kpis[k]));
    for (const TargetOutcome& t : sum.targets) {
      json tj = {{"kpi", t.kpi},
                 {"max", t.max_value},
                 {"min_fraction", t.min_fraction},
                 {"met_fraction", t.met_fraction},
                 {"met", t.met},
                 {"description", s.targets[t.target].description}};
      // Only when set: summaries of scenarios without weights stay byte for byte the same.
      if (const double w = s.targets[t.target].weight; w != 1.0) tj["weight"] = w;
      targets.push_back(std::move(tj));
    }
    incidents.push_back({{"id", inc.id},
                         {"type", inc.type},
                         {"name", inc.name},
                         {"name_en", inc.name_en},
                         {"node", s.site.nodes[inc.node].id},
                         {"kpis", kpis},
                         {"targets", targets},
                         {"primary_kpi", sum.primary_kpi},
                         {"traced_runs", {{"median", sum.median_run}, {"worst", sum.worst_run}}}});
  }
  return {{"schema", kSummarySchema},
          {"scenario", {{"name", s.name}, {"file", scenario_file}}},
          {"seed", r.seed},
          {"runs", r.runs},
          {"horizon_s", ms_to_seconds(s.run.horizon)},
          {"incidents", incidents}};
}

std::string runs_csv(const Scenario& s, const ExperimentResults& r) {
  std::string out = "incident,run,kpi,value\n";
  char buf[64];
  for (const IncidentRuns& ir : r.incidents) {
    const std::string& id = s.incidents[ir.incident].id;
    for (std::size_t run = 0; run < ir.values.size(); ++run)
      for (std::size_t k = 0; k < ir.kpi_names.size(); ++k) {
        out += id + "," + std::to_string(run) + "," + ir.kpi_names[k] + ",";
        if (const auto& v = ir.values[run][k]) {
          std::snprintf(buf, sizeof buf, "%.3f", *v);  // times are whole milliseconds
          out += buf;
        }
        out += "\n";
      }
  }
  return out;
}

std::string write_results_dir(const std::string& dir, const FileSet& files) {
  std::error_code ec;
  const fs::path target = fs::path(dir).lexically_normal();
  if (target.empty()) return "empty output directory name";
  if (fs::exists(target, ec)) {
    if (!fs::is_directory(target, ec)) return dir + ": exists and is not a directory";
    const bool empty = fs::is_empty(target, ec);
    if (!empty && !fs::exists(target / "summary.json", ec))
      return dir +
             ": exists and is not an HQ Drill results directory (no summary.json); "
             "refusing to overwrite it";
  }
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) return parent.string() + ": " + ec.message();
  }
  const std::string tag = "." + target.filename().string() + ".tmp-" + std::to_string(getpid());
  const fs::path tmp = parent / tag;
  fs::remove_all(tmp, ec);
  auto fail = [&](const std::string& msg) {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    return msg;
  };
  for (const auto& [rel, content] : files) {
    const fs::path p = tmp / rel;
    fs::create_directories(p.parent_path(), ec);
    if (ec) return fail(p.parent_path().string() + ": " + ec.message());
    std::ofstream f(p, std::ios::binary);
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
    f.close();
    if (!f) return fail(p.string() + ": could not be written");
  }
  fs::path old;
  if (fs::exists(target, ec)) {
    old = parent / ("." + target.filename().string() + ".old-" + std::to_string(getpid()));
    fs::remove_all(old, ec);
    fs::rename(target, old, ec);
    if (ec) return fail(dir + ": " + ec.message());
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignored;
    if (!old.empty()) fs::rename(old, target, ignored);
    return fail(dir + ": " + ec.message());
  }
  if (!old.empty()) fs::remove_all(old, ec);
  return "";
}

}  // namespace hqdrill::io
