#include "gaps.hpp"

#include "progress.hpp"
#include "write_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <system_error>
#include <thread>
#include <vector>

#include "hqdrill/analysis/knockout.hpp"
#include "hqdrill/forces/coverage.hpp"
#include "hqdrill/io/diagnostics.hpp"
#include "hqdrill/io/findings_io.hpp"
#include "hqdrill/io/scenario_io.hpp"

namespace hqdrill::cli {

namespace {

constexpr int kExitOk = 0, kExitRunFailed = 1, kExitBadInput = 2;
constexpr const char* kGapsSchema = "hqdrill.gaps/1";

using OJson = nlohmann::ordered_json;

/// Seconds to the millisecond, fractions to 1e-6: stable, diffable JSON.
double round_s(double v) {
  return std::round(v * 1e3) / 1e3;
}
double round_f(double v) {
  return std::round(v * 1e6) / 1e6;
}

const std::string& incident_id(const Scenario& s, Index i) {
  static const std::string none;
  return i == kNone ? none : s.incidents[static_cast<std::size_t>(i)].id;
}

OJson knockouts_json(const Scenario& s, const KnockoutResult& r) {
  OJson list = OJson::array();
  int rank = 0;
  for (const KnockoutItem& it : r.items) {
    OJson targets = OJson::array();
    for (const TargetDelta& t : it.targets)
      targets.push_back({{"incident", incident_id(s, t.incident)},
                         {"kpi", t.kpi},
                         {"max", s.targets[static_cast<std::size_t>(t.target)].max_value},
                         {"unit", kpi_unit(t.kpi)},
                         {"baseline_met", round_f(t.baseline_met)},
                         {"variant_met", round_f(t.variant_met)}});
    OJson kpis = OJson::array();
    for (const KpiDelta& k : it.kpis)
      kpis.push_back({{"incident", incident_id(s, k.incident)},
                      {"kpi", k.kpi},
                      {"delta_s", round_s(k.delta_s)}});
    list.push_back(
        {{"rank", ++rank},
         {"kind", to_string(it.kind)},
         {"id", it.id},
         {"objective", round_f(it.objective)},
         {"degradation", round_f(it.degradation)},
         {"target_miss_delta", round_f(it.target_miss_delta)},
         {"largest_kpi", it.largest_kpi.empty()
                             ? OJson(nullptr)
                             : OJson{{"incident", incident_id(s, it.largest_kpi_incident)},
                                     {"kpi", it.largest_kpi},
                                     {"delta_s", round_s(it.largest_kpi_delta_s)}}},
         {"targets", targets},
         {"kpi_deltas", kpis}});
  }
  return list;
}

OJson holes_json(const Scenario& s, const std::vector<CoverageHole>& holes) {
  OJson list = OJson::array();
  for (const CoverageHole& h : holes) {
    OJson j;
    if (h.kind == CoverageHole::Kind::post) {
      j["kind"] = "post";
      j["subject"] = s.site.nodes[static_cast<std::size_t>(h.node)].id;
    } else {
      const Protocol& p = s.protocols[static_cast<std::size_t>(h.protocol)];
      j["kind"] = "task";
      j["subject"] = p.tasks[static_cast<std::size_t>(h.task)].id;
      j["protocol"] = p.id;
    }
    j["day"] = to_string(h.day);
    j["from"] = format_hhmm(h.from_min);
    j["to"] = format_hhmm(h.to_min);
    j["from_min"] = h.from_min;
    j["to_min"] = h.to_min;
    j["have"] = h.have;
    j["need"] = h.need;
    list.push_back(std::move(j));
  }
  return list;
}

std::string signed_fixed(double v, const char* format) {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

void print_knockouts(const Scenario& s, const KnockoutResult& r, const std::vector<Finding>& spof,
                     int runs, std::uint64_t seed, std::size_t top) {
  std::printf(
      "\nSingle points of failure — điểm yếu đơn lẻ (knock-out, %d runs, seed %llu; "
      "baseline objective %.3f)\n",
      runs, static_cast<unsigned long long>(seed), r.baseline_objective);
  if (spof.empty()) {
    std::printf("  none: removing any one role or link degrades no target\n");
    return;
  }
  std::printf("  %3s  %-4s  %-32s %11s  %s\n", "#", "kind", "id", "Δ misses", "largest KPI delta");
  // spof follows r.items' order, restricted to degradation > 0.
  std::size_t rank = 0;
  for (const KnockoutItem& it : r.items) {
    if (!(it.degradation > 0)) continue;
    if (top && rank == top) break;
    const Finding& f = spof[rank++];
    const std::string kpi =
        it.largest_kpi.empty()
            ? std::string("-")
            : signed_fixed(it.largest_kpi_delta_s, "%+.1f s ") + it.largest_kpi +
                  (s.incidents.size() > 1 ? " (" + incident_id(s, it.largest_kpi_incident) + ")"
                                          : std::string());
    std::printf("  %3zu  %-4s  %-32s %10s  %s\n", rank, to_string(it.kind), it.id.c_str(),
                signed_fixed(it.target_miss_delta, "%+.2f").c_str(), kpi.c_str());
    std::printf("       %s\n       %s\n", f.text_vi.c_str(), f.text_en.c_str());
  }
  if (rank < spof.size())
    std::printf("  ... %zu more (--top 0 shows all; --json has every item)\n", spof.size() - rank);
}

void print_coverage(const std::vector<Finding>& cov, std::size_t top) {
  std::printf("\nCoverage holes — khoảng trống trực (rosters over a week of day types)\n");
  if (cov.empty()) {
    std::printf("  none\n");
    return;
  }
  std::printf("  %3s  %-32s %7s  %s\n", "#", "post or task", "h/week", "ranges");
  std::size_t rank = 0;
  for (const Finding& f : cov) {
    if (top && rank == top) break;
    std::string ranges;
    for (const Evidence& e : f.evidence) ranges += (ranges.empty() ? "" : "; ") + e.event;
    std::printf("  %3zu  %-32s %7.2f  %s\n", ++rank, f.subject.c_str(), f.impact / 3600.0,
                ranges.c_str());
    std::printf("       %s\n       %s\n", f.text_vi.c_str(), f.text_en.c_str());
  }
  if (rank < cov.size())
    std::printf("  ... %zu more (--top 0 shows all; --json has every item)\n", cov.size() - rank);
}

}  // namespace

GapsCommand::GapsCommand(CLI::App& app) {
  sub_ = app.add_subcommand(
      "gaps", "Find single points of failure (knock-outs) and roster coverage holes.");
  sub_->add_option("SCENARIO", scenario_, "Scenario file (JSON, hqdrill/1)")->required();
  sub_->add_option("--runs", runs_, "Replications per incident and knock-out (default 100)")
      ->check(CLI::Range(1, 1000000));
  sub_->add_option("--seed", seed_, "Random seed (default: the scenario's)");
  sub_->add_option("--threads", threads_,
                   "Worker threads (default: all cores); results do not depend on it")
      ->check(CLI::Range(1, 256));
  sub_->add_option("--top", top_, "Rows to print per table (default 20; 0 = all)")
      ->check(CLI::Range(0, 1000000));
  sub_->add_option("--json", json_, "Also write the analysis as JSON (hqdrill.gaps/1) here");
  sub_->add_flag("--quiet,-q", quiet_, "Print nothing but errors");
}

int GapsCommand::run() const {
  auto res = io::load_scenario(scenario_);
  for (const auto& d : res.diagnostics.items) std::cerr << io::format(scenario_, d) << "\n";
  if (!res.scenario) return kExitBadInput;
  const Scenario& s = *res.scenario;
  const std::uint64_t seed = seed_ ? *seed_ : s.run.seed;

  ProgressBar progress(!quiet_);
  KnockoutOptions opt;
  opt.runs = runs_;
  opt.seed = seed;
  opt.threads =
      threads_ > 0 ? threads_ : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  opt.progress = [&progress](int d, int t) { progress(d, t); };

  KnockoutResult ko;
  std::vector<CoverageHole> holes;
  std::vector<Finding> spof, cov;
  try {
    ko = run_knockouts(s, opt);
    spof = knockout_findings(s, ko);
    holes = post_coverage_holes(s);
    const auto task_holes = skill_coverage_holes(s);
    holes.insert(holes.end(), task_holes.begin(), task_holes.end());
    cov = coverage_findings(s);
  } catch (const std::exception& e) {
    std::cerr << "hqdrill gaps: the analysis failed: " << e.what() << "\n";
    return kExitRunFailed;
  }

  if (!json_.empty()) {
    // Static and knock-out findings rank together: both impacts are in seconds a week
    // (see knockout.hpp and coverage.hpp).
    std::vector<Finding> all = spof;
    all.insert(all.end(), cov.begin(), cov.end());
    std::stable_sort(all.begin(), all.end(),
                     [](const Finding& a, const Finding& b) { return a.impact > b.impact; });
    OJson j;
    j["schema"] = kGapsSchema;
    j["scenario"] = scenario_;
    j["name"] = s.name;
    j["runs"] = runs_;
    j["seed"] = seed;
    j["baseline_objective"] = round_f(ko.baseline_objective);
    j["knockouts"] = knockouts_json(s, ko);
    j["coverage_holes"] = holes_json(s, holes);
    j["findings"] = OJson(io::findings_json(s, all)["findings"]);
    if (auto err = write_atomically(json_, j.dump(2) + "\n"); !err.empty()) {
      std::cerr << "hqdrill gaps: " << err << "\n";
      return kExitRunFailed;
    }
  }

  if (!quiet_) {
    const auto top = static_cast<std::size_t>(top_);
    std::printf("%s — gaps\n", s.name.c_str());
    print_knockouts(s, ko, spof, runs_, seed, top);
    print_coverage(cov, top);
    if (!json_.empty()) std::printf("\nJSON: %s\n", json_.c_str());
    std::fflush(stdout);
  }
  return kExitOk;
}

}  // namespace hqdrill::cli
