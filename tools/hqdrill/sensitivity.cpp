#include "sensitivity.hpp"

#include "progress.hpp"
#include "write_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

#include "hqdrill/analysis/sensitivity.hpp"
#include "hqdrill/io/diagnostics.hpp"
#include "hqdrill/io/scenario_io.hpp"

namespace hqdrill::cli {

namespace {

constexpr int kExitOk = 0, kExitRunFailed = 1, kExitBadInput = 2;
constexpr const char* kSensitivitySchema = "hqdrill.sensitivity/1";

using OJson = nlohmann::ordered_json;

/// To 1e-6, NaN (no run had the KPI) as null: stable, diffable JSON.
OJson number(double v) {
  if (!std::isfinite(v)) return nullptr;
  return std::round(v * 1e6) / 1e6;
}

OJson means_json(const SensitivityResult& r, const std::vector<double>& v) {
  OJson j = OJson::object();
  for (std::size_t k = 0; k < r.kpis.size(); ++k) j[r.kpis[k]] = number(v[k]);
  return j;
}

OJson result_json(const std::string& path, const Scenario& s, const SensitivityResult& r) {
  OJson j;
  j["schema"] = kSensitivitySchema;
  j["scenario"] = path;
  j["name"] = s.name;
  j["incident"] = r.incident;
  j["runs"] = r.runs;
  j["seed"] = r.seed;
  OJson kpis = OJson::array();
  for (const std::string& k : r.kpis) kpis.push_back({{"name", k}, {"unit", kpi_unit(k)}});
  j["kpis"] = kpis;
  j["base"] = means_json(r, r.base);
  OJson rows = OJson::array();
  int rank = 0;
  for (const SensitivityRow& row : r.rows)
    rows.push_back({{"rank", ++rank},
                    {"param", row.param.name},
                    {"base", number(row.param.base)},
                    {"low", number(row.param.low)},
                    {"high", number(row.param.high)},
                    {"source", row.param.source},
                    {"swing", number(row.swing)},
                    {"at_low", means_json(r, row.low)},
                    {"at_high", means_json(r, row.high)}});
  j["rows"] = rows;
  return j;
}

/// A KPI mean in its unit: shares to 0.01, counts to 0.1, loads and seconds to 1.
std::string fmt_kpi(const std::string& kpi, double v) {
  if (!std::isfinite(v)) return "-";
  const std::string unit = kpi_unit(kpi);
  const char* format = unit.empty() || unit == "share" ? "%.2f"
                       : unit == "people"              ? "%.1f"
                                                       : "%.0f";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string fmt_value(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

/// Column headings: short, the legend under the table names the KPI.
const char* short_name(const std::string& kpi) {
  if (kpi == "peak_active_fraction") return "active";
  if (kpi == "breach_fraction") return "breach";
  if (kpi == "intruders_n") return "intruders";
  if (kpi == "peak_pushers_n") return "pushers";
  if (kpi == "peak_gate_pressure_npm") return "gate N/m";
  if (kpi == "street_blocked_s") return "street s";
  return kpi.c_str();
}

void print_table(const std::string& path, const Scenario& s, const SensitivityResult& r) {
  const Incident* inc = nullptr;
  for (const Incident& i : s.incidents)
    if (i.id == r.incident) inc = &i;
  std::printf(
      "Độ nhạy của mô hình đám đông (từng tham số một) — Crowd-model sensitivity (one "
      "parameter at a time)\n");
  std::printf("  scenario %s (%s)\n  incident %s%s%s\n", path.c_str(), s.name.c_str(),
              r.incident.c_str(), inc && !inc->name.empty() ? ": " : "",
              inc ? inc->name.c_str() : "");
  std::printf("  %d runs per variant, seed %llu, %zu parameters (common random numbers)\n\n",
              r.runs, static_cast<unsigned long long>(r.seed), r.rows.size());

  constexpr int kName = 20, kRange = 22, kCell = 15;
  std::printf("  %-*s %-*s", kName, "parameter", kRange + 2, "low → high");  // "→": 3 bytes
  for (const std::string& k : r.kpis) std::printf(" %*s", kCell, short_name(k));
  std::printf("  source\n");
  std::printf("  %-*s %-*s", kName, "base", kRange, "");
  for (std::size_t k = 0; k < r.kpis.size(); ++k)
    std::printf(" %*s", kCell, fmt_kpi(r.kpis[k], r.base[k]).c_str());
  std::printf("\n");
  for (const SensitivityRow& row : r.rows) {
    const std::string range = fmt_value(row.param.low) + " → " + fmt_value(row.param.high) + " (" +
                              fmt_value(row.param.base) + ")";
    // "→" takes 3 bytes and one column: pad by 2 more.
    std::printf("  %-*s %-*s", kName, row.param.name.c_str(), kRange + 2, range.c_str());
    for (std::size_t k = 0; k < r.kpis.size(); ++k) {
      const std::string cell =
          fmt_kpi(r.kpis[k], row.low[k]) + " / " + fmt_kpi(r.kpis[k], row.high[k]);
      std::printf(" %*s", kCell, cell.c_str());
    }
    std::printf("  %s\n", row.param.source.c_str());
  }
  std::printf(
      "\n  Cells: KPI mean at low / at high (base value in brackets). Rows by the swing of "
      "%s.\n  ",
      r.kpis.front().c_str());
  for (std::size_t k = 0; k < r.kpis.size(); ++k)
    std::printf("%s%s = %s", k ? ", " : "", short_name(r.kpis[k]), r.kpis[k].c_str());
  std::printf("\n");
}

}  // namespace

SensitivityCommand::SensitivityCommand(CLI::App& app) {
  sub_ = app.add_subcommand(
      "sensitivity",
      "Sweep a crowd incident's behaviour and gate parameters one at a time (tornado table).");
  sub_->add_option("SCENARIO", scenario_, "Scenario file (JSON, hqdrill/1)")->required();
  sub_->add_option("--incident", incident_,
                   "Crowd-complaint incident id (default: the first crowd_complaint incident)");
  sub_->add_option("--runs", runs_, "Replications per variant (default 100)")
      ->check(CLI::Range(1, 1000000));
  sub_->add_option("--seed", seed_, "Random seed (default: the scenario's)");
  sub_->add_option("--threads", threads_,
                   "Worker threads (default: all cores); results do not depend on it")
      ->check(CLI::Range(1, 256));
  sub_->add_option("--json", json_, "Also write the sweep as JSON (hqdrill.sensitivity/1) here");
  sub_->add_flag("--quiet,-q", quiet_, "Print nothing but errors");
}

int SensitivityCommand::run() const {
  auto res = io::load_scenario(scenario_);
  for (const auto& d : res.diagnostics.items) std::cerr << io::format(scenario_, d) << "\n";
  if (!res.scenario) return kExitBadInput;
  const Scenario& s = *res.scenario;
  const std::uint64_t seed = seed_ ? *seed_ : s.run.seed;

  Index incident = kNone;
  for (std::size_t i = 0; i < s.incidents.size() && incident == kNone; ++i) {
    const Incident& inc = s.incidents[i];
    if (incident_.empty() ? inc.crowd.has_value() : inc.id == incident_)
      incident = static_cast<Index>(i);
  }
  if (incident == kNone) {
    if (incident_.empty())
      std::cerr << scenario_ << ": no crowd_complaint incident to analyse\n";
    else
      std::cerr << scenario_ << ": no incident \"" << incident_ << "\"\n";
    return kExitBadInput;
  }
  if (!s.incidents[static_cast<std::size_t>(incident)].crowd) {
    const Incident& inc = s.incidents[static_cast<std::size_t>(incident)];
    std::cerr << scenario_ << ": incident \"" << inc.id << "\" is of type \"" << inc.type
              << "\", not crowd_complaint: it has no crowd model to analyse\n";
    return kExitBadInput;
  }

  ProgressBar progress(!quiet_);
  const int threads =
      threads_ > 0 ? threads_ : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  SensitivityResult r;
  try {
    r = crowd_sensitivity(s, incident, runs_, seed, threads,
                          [&progress](int d, int t) { progress(d, t); });
  } catch (const std::invalid_argument& e) {
    std::cerr << scenario_ << ": " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "hqdrill sensitivity: the analysis failed: " << e.what() << "\n";
    return kExitRunFailed;
  }

  if (!json_.empty()) {
    if (auto err = write_atomically(json_, result_json(scenario_, s, r).dump(2) + "\n");
        !err.empty()) {
      std::cerr << "hqdrill sensitivity: " << err << "\n";
      return kExitRunFailed;
    }
  }
  if (!quiet_) {
    print_table(scenario_, s, r);
    if (!json_.empty()) std::printf("\nJSON: %s\n", json_.c_str());
    std::fflush(stdout);
  }
  return kExitOk;
}

}  // namespace hqdrill::cli
