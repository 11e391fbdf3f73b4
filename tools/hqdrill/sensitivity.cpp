#include "sensitivity.hpp"

#include "progress.hpp"
#include "write_file.hpp"

#include <algorithm>
#include <chrono>
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
constexpr const char* kSensitivitySchema = "hqdrill.sensitivity/1";  // --crowd
constexpr const char* kAssumptionSchema = "hqdrill.sensitivity/2";

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

const std::string& incident_id(const Scenario& s, Index i) {
  return s.incidents[static_cast<std::size_t>(i)].id;
}

OJson assumption_json(const std::string& path, const Scenario& s, const AssumptionSensitivity& r) {
  OJson j;
  j["schema"] = kAssumptionSchema;
  j["scenario"] = path;
  j["name"] = s.name;
  j["runs"] = r.runs;
  j["seed"] = r.seed;
  OJson ids = OJson::array();
  for (Index i : r.incidents) ids.push_back(incident_id(s, i));
  j["incidents"] = ids;
  j["measure"] = "objective";
  OJson per = OJson::object(), primary = OJson::object();
  for (std::size_t k = 0; k < r.incidents.size(); ++k) {
    per[incident_id(s, r.incidents[k])] = number(r.base_per_incident[k]);
    primary[incident_id(s, r.incidents[k])] = {{"kpi", r.primary_kpi[k]},
                                               {"mean", number(r.primary_base[k])}};
  }
  j["base"] = {
      {"objective", number(r.base_objective)}, {"per_incident", per}, {"primary", primary}};
  OJson rows = OJson::array();
  int rank = 0;
  for (const AssumptionRow& row : r.rows) {
    const AssumptionParam& p = row.param;
    OJson incs = OJson::array();
    for (const AssumptionIncidentEffect& e : row.incidents)
      incs.push_back({{"id", incident_id(s, e.incident)},
                      {"objective_low", number(e.objective_low)},
                      {"objective_high", number(e.objective_high)},
                      {"primary_low", number(e.primary_low)},
                      {"primary_high", number(e.primary_high)}});
    rows.push_back({{"rank", ++rank},
                    {"param", p.id},
                    {"group", p.group},
                    {"what", p.what},
                    {"label_vi", p.label_vi},
                    {"label_en", p.label_en},
                    {"unit", p.unit},
                    {"base", number(p.base)},
                    {"low", number(p.low)},
                    {"high", number(p.high)},
                    {"source", p.source},
                    {"objective_low", number(row.objective_low)},
                    {"objective_high", number(row.objective_high)},
                    {"swing", number(row.swing)},
                    {"incidents", incs}});
  }
  j["rows"] = rows;
  return j;
}

constexpr std::size_t kTopRows = 25;

void print_assumptions(const std::string& path, const Scenario& s, const AssumptionSensitivity& r,
                       double seconds) {
  std::printf(
      "Độ nhạy theo từng giả định (từng tham số một) — Sensitivity to each assumption (one at "
      "a time)\n");
  std::printf("  scenario %s (%s)\n", path.c_str(), s.name.c_str());
  std::printf("  %zu incidents, %d runs per variant, seed %llu (common random numbers)\n",
              r.incidents.size(), r.runs, static_cast<unsigned long long>(r.seed));
  std::printf("  %zu rows, %lld replications, %.0f s\n\n", r.rows.size(), r.replications, seconds);
  std::printf("  J cơ sở / base J = %.3f\n", r.base_objective);
  for (std::size_t k = 0; k < r.incidents.size(); ++k)
    std::printf("    %-32s J %.3f  %s %s\n", incident_id(s, r.incidents[k]).c_str(),
                r.base_per_incident[k], r.primary_kpi[k].c_str(),
                std::isfinite(r.primary_base[k]) ? fmt_value(r.primary_base[k]).c_str() : "-");
  std::printf("\n  %4s %8s %8s %8s  %s\n", "#", "swing", "J low", "J high",
              "giả định / assumption");
  for (std::size_t k = 0; k < r.rows.size() && k < kTopRows; ++k) {
    const AssumptionRow& row = r.rows[k];
    std::printf("  %4zu %8.3f %8.3f %8.3f  %s\n", k + 1, row.swing, row.objective_low,
                row.objective_high, row.param.label_vi.c_str());
    std::printf("  %4s %8s %8s %8s    %s [%s; %s]\n", "", "", "", "", row.param.label_en.c_str(),
                row.param.id.c_str(), row.param.source.c_str());
  }
  if (r.rows.size() > kTopRows)
    std::printf("  ... %zu more rows in the JSON\n", r.rows.size() - kTopRows);
  std::printf(
      "\n  J: hàm mục tiêu của lập kế hoạch, tổng mức thiếu hụt so với các chỉ tiêu (0 = đạt\n"
      "  mọi chỉ tiêu). J thấp / J cao: giả định ở mức thấp / cao; swing = |J cao - J thấp|.\n"
      "  J: the planner's objective, the targets' summed shortfall (0 = every target met).\n"
      "  J low / J high: with the assumption at its low / high variant (×0.5 / ×2 unless the\n"
      "  label says otherwise; spread: same median, dispersion halved / doubled); swing =\n"
      "  |J high - J low|. Every variant uses the same seed and runs.\n");
}

}  // namespace

SensitivityCommand::SensitivityCommand(CLI::App& app) {
  sub_ = app.add_subcommand(
      "sensitivity",
      "Vary each assumption of the scenario one at a time and rank them by their effect on "
      "the planner's objective (tornado table); --crowd: a crowd incident's behaviour model.");
  sub_->add_option("SCENARIO", scenario_, "Scenario file (JSON, hqdrill/1)")->required();
  sub_->add_option("--incident", incidents_,
                   "Incident id (repeatable; default: every incident; with --crowd: one "
                   "crowd_complaint incident, default the first)");
  sub_->add_option("--group", groups_,
                   "Only these groups (repeatable): role, link, unit, task, travel, crowd, fire, "
                   "flood");
  sub_->add_flag("--crowd", crowd_,
                 "The crowd-model sweep of one crowd_complaint incident instead "
                 "(hqdrill.sensitivity/1)");
  sub_->add_option("--runs", runs_, "Replications per variant (default 100)")
      ->check(CLI::Range(1, 1000000));
  sub_->add_option("--seed", seed_, "Random seed (default: the scenario's)");
  sub_->add_option("--threads", threads_,
                   "Worker threads (default: all cores); results do not depend on it")
      ->check(CLI::Range(1, 256));
  sub_->add_option("--json", json_,
                   "Also write the sweep as JSON here (hqdrill.sensitivity/2; --crowd: /1)");
  sub_->add_flag("--quiet,-q", quiet_, "Print nothing but errors");
}

int SensitivityCommand::run() const {
  auto res = io::load_scenario(scenario_);
  for (const auto& d : res.diagnostics.items) std::cerr << io::format(scenario_, d) << "\n";
  if (!res.scenario) return kExitBadInput;
  const Scenario& s = *res.scenario;
  return crowd_ ? run_crowd(s) : run_all(s);
}

int SensitivityCommand::run_all(const Scenario& s) const {
  const std::uint64_t seed = seed_ ? *seed_ : s.run.seed;
  AssumptionOptions opt;
  for (const std::string& id : incidents_) {
    Index found = kNone;
    for (std::size_t i = 0; i < s.incidents.size(); ++i)
      if (s.incidents[i].id == id) found = static_cast<Index>(i);
    if (found == kNone) {
      std::string known;
      for (const Incident& inc : s.incidents) known += (known.empty() ? "" : ", ") + inc.id;
      std::cerr << scenario_ << ": no incident \"" << id << "\" (incidents: " << known << ")\n";
      return kExitBadInput;
    }
    opt.incidents.push_back(found);
  }
  for (const std::string& g : groups_) {
    const auto& all = assumption_groups();
    if (std::find(all.begin(), all.end(), g) == all.end()) {
      std::string known;
      for (const std::string& x : all) known += (known.empty() ? "" : ", ") + x;
      std::cerr << "hqdrill sensitivity: unknown group \"" << g << "\" (groups: " << known << ")\n";
      return kExitBadInput;
    }
  }
  opt.groups = groups_;
  opt.runs = runs_;
  opt.seed = seed;
  opt.threads =
      threads_ > 0 ? threads_ : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ProgressBar progress(!quiet_);
  opt.progress = [&progress](int d, int t) { progress(d, t); };
  const auto t0 = std::chrono::steady_clock::now();
  AssumptionSensitivity r;
  try {
    r = assumption_sensitivity(s, opt);
  } catch (const std::invalid_argument& e) {
    std::cerr << scenario_ << ": " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "hqdrill sensitivity: the analysis failed: " << e.what() << "\n";
    return kExitRunFailed;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!json_.empty()) {
    if (auto err = write_atomically(json_, assumption_json(scenario_, s, r).dump(2) + "\n");
        !err.empty()) {
      std::cerr << "hqdrill sensitivity: " << err << "\n";
      return kExitRunFailed;
    }
  }
  if (!quiet_) {
    print_assumptions(scenario_, s, r, seconds);
    if (!json_.empty()) std::printf("\nJSON: %s\n", json_.c_str());
    std::fflush(stdout);
  }
  return kExitOk;
}

int SensitivityCommand::run_crowd(const Scenario& s) const {
  const std::uint64_t seed = seed_ ? *seed_ : s.run.seed;
  if (incidents_.size() > 1 || !groups_.empty()) {
    std::cerr << "hqdrill sensitivity: --crowd takes at most one --incident and no --group\n";
    return kExitBadInput;
  }
  const std::string wanted = incidents_.empty() ? std::string() : incidents_.front();
  Index incident = kNone;
  for (std::size_t i = 0; i < s.incidents.size() && incident == kNone; ++i) {
    const Incident& inc = s.incidents[i];
    if (wanted.empty() ? inc.crowd.has_value() : inc.id == wanted) incident = static_cast<Index>(i);
  }
  if (incident == kNone) {
    if (wanted.empty())
      std::cerr << scenario_ << ": no crowd_complaint incident to analyse\n";
    else
      std::cerr << scenario_ << ": no incident \"" << wanted << "\"\n";
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
