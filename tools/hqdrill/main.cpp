// hqdrill: the command-line client. A thin layer over hqdrill_engine and hqdrill_io:
// it parses arguments, prints, and maps outcomes to exit codes
// (0 success, 1 a run failed, 2 bad input or usage).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>

#include "gaps.hpp"
#include "hqdrill/analysis/findings.hpp"
#include "hqdrill/analysis/summary.hpp"
#include "hqdrill/io/findings_io.hpp"
#include "hqdrill/io/results_io.hpp"
#include "hqdrill/io/scenario_io.hpp"
#include "hqdrill/io/trace_io.hpp"
#include "hqdrill/sim/experiment.hpp"
#include "hqdrill/sim/replication.hpp"
#include "plan.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "sensitivity.hpp"
#include "timeline.hpp"
#include "verify.hpp"

namespace {

constexpr int kExitOk = 0, kExitRunFailed = 1, kExitBadInput = 2;

/// Prints every diagnostic of a file; returns the scenario or nothing on errors.
std::optional<hqdrill::Scenario> load_and_report(const std::string& path) {
  auto res = hqdrill::io::load_scenario(path);
  for (const auto& d : res.diagnostics.items) std::cerr << hqdrill::io::format(path, d) << "\n";
  return std::move(res.scenario);
}

/// A KPI value in its unit: times and counts to 0.1, densities and flows to 0.01, shares
/// to 0.001.
std::string fmt_kpi(const std::string& kpi, const std::optional<double>& v) {
  if (!v) return "-";
  const std::string unit = hqdrill::kpi_unit(kpi);
  char buf[32];
  std::snprintf(buf, sizeof buf,
                unit == "share"                                 ? "%.3f"
                : unit == "/m²" || unit == "p/s" || unit == "m" ? "%.2f"
                                                                : "%.1f",
                *v);
  return buf;
}

int cmd_validate(const std::vector<std::string>& files) {
  int rc = kExitOk;
  for (const auto& f : files) {
    auto res = hqdrill::io::load_scenario(f);
    for (const auto& d : res.diagnostics.items) std::cerr << hqdrill::io::format(f, d) << "\n";
    const auto errors = res.diagnostics.count(hqdrill::io::Severity::error);
    const auto warnings = res.diagnostics.count(hqdrill::io::Severity::warning);
    if (errors) {
      std::cerr << f << ": " << errors << " error(s), " << warnings << " warning(s)\n";
      rc = kExitBadInput;
    } else {
      std::cout << f << ": ok (" << warnings << " warning(s))\n";
    }
  }
  return rc;
}

struct RunArgs {
  std::string scenario;
  std::optional<int> runs;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  std::string out;
  std::vector<int> trace_runs;
  bool quiet = false;
};

int cmd_run(const RunArgs& a) {
  auto scenario = load_and_report(a.scenario);
  if (!scenario) return kExitBadInput;
  hqdrill::Scenario& s = *scenario;
  if (a.runs) s.run.runs = *a.runs;
  if (a.seed) s.run.seed = *a.seed;
  for (int k : a.trace_runs)
    if (k < 0 || k >= s.run.runs) {
      std::cerr << "hqdrill run: --trace-run " << k << " is outside 0.." << s.run.runs - 1 << "\n";
      return kExitBadInput;
    }
  const std::string out =
      !a.out.empty()
          ? a.out
          : (std::filesystem::path("results") / std::filesystem::path(a.scenario).stem()).string();

  hqdrill::cli::ProgressBar progress(!a.quiet);
  hqdrill::ExperimentOptions opt;
  opt.runs = s.run.runs;
  opt.seed = s.run.seed;
  opt.threads = a.threads > 0 ? a.threads : std::max(1u, std::thread::hardware_concurrency());
  opt.progress = [&progress](int d, int t) { progress(d, t); };

  hqdrill::io::FileSet files;
  std::vector<hqdrill::IncidentSummary> sums;
  std::vector<hqdrill::Finding> findings;
  try {
    const auto results = hqdrill::run_experiment(s, opt);
    sums = hqdrill::summarize(s, results);
    files.push_back(
        {"summary.json", hqdrill::io::summary_json(s, a.scenario, results, sums).dump(2) + "\n"});
    files.push_back({"runs.csv", hqdrill::io::runs_csv(s, results)});
    findings = hqdrill::detect_findings(s, results, sums);
    files.push_back({"findings.json", hqdrill::io::findings_json(s, findings).dump(2) + "\n"});
    // Traces: re-run the chosen replications with recording on (same seed, same result).
    for (const auto& sum : sums) {
      std::vector<std::pair<int, std::string>> chosen{{sum.median_run, "median"},
                                                      {sum.worst_run, "worst"}};
      for (int k : a.trace_runs) chosen.push_back({k, "requested"});
      // The runs the three top findings of this incident cite first, for replay.
      int cited = 0;
      for (const auto& f : findings) {
        if (cited == 3) break;
        if (f.incident != s.incidents[sum.incident].id || f.evidence.empty()) continue;
        if (f.evidence.front().run < 0) continue;
        chosen.push_back({f.evidence.front().run, "finding"});
        ++cited;
      }
      for (const auto& [run, label] : chosen) {
        const std::string rel =
            "traces/" + s.incidents[sum.incident].id + "/run-" + std::to_string(run) + ".jsonl";
        bool dup = false;
        for (const auto& f : files) dup = dup || f.first == rel;
        if (dup) continue;
        const auto rec = hqdrill::run_replication(s, sum.incident, s.run.seed,
                                                  static_cast<std::uint64_t>(run), true);
        files.push_back({rel, hqdrill::io::trace_jsonl(s, sum.incident, s.run.seed, run, label, rec,
                                                       sum.kpi_names)});
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "hqdrill run: the simulation failed: " << e.what() << "\n";
    return kExitRunFailed;
  }
  if (auto err = hqdrill::io::write_results_dir(out, files); !err.empty()) {
    std::cerr << "hqdrill run: " << err << "\n";
    return kExitRunFailed;
  }

  if (!a.quiet) {
    std::cout << s.name << " — " << s.run.runs << " runs, seed " << s.run.seed << "\n";
    for (const auto& sum : sums) {
      const auto& inc = s.incidents[sum.incident];
      std::cout << "\n" << inc.id << ": " << inc.name << "\n";
      std::printf("  %-44s %9s %21s %9s %9s\n", "KPI (seconds unless its suffix says)", "mean",
                  "95% CI of the mean", "p90", "missing");
      for (std::size_t k = 0; k < sum.kpi_names.size(); ++k) {
        const auto& st = sum.kpis[k];
        const std::string& name = sum.kpi_names[k];
        auto present = [&](double v) { return st.present ? std::optional(v) : std::nullopt; };
        const std::string ci =
            st.present ? fmt_kpi(name, st.ci95_low) + " .. " + fmt_kpi(name, st.ci95_high)
                       : std::string("-");
        std::printf("  %-44s %9s %21s %9s %8.0f%%\n", name.c_str(),
                    fmt_kpi(name, present(st.mean)).c_str(), ci.c_str(),
                    fmt_kpi(name, present(st.p90)).c_str(), 100.0 * st.missing_fraction);
      }
      for (const auto& t : sum.targets)
        std::printf("  target %-37s <= %s %s in %.0f%% of runs: %.0f%% %s\n", t.kpi.c_str(),
                    fmt_kpi(t.kpi, t.max_value).c_str(), hqdrill::kpi_unit(t.kpi),
                    100 * t.min_fraction, 100 * t.met_fraction,
                    t.met ? "MET (đạt)" : "MISSED (không đạt)");
    }
    if (!findings.empty()) {
      std::cout << "\nCoordination gaps, by impact (phát hiện về phối hợp) — " << findings.size()
                << " in " << out << "/findings.json:\n";
      for (std::size_t i = 0; i < findings.size() && i < 5; ++i)
        std::cout << "  " << i + 1 << ". [" << findings[i].incident << "] " << findings[i].text_vi
                  << "\n     " << findings[i].text_en << "\n";
    }
    std::cout << "\nResults: " << out << "/summary.json, " << out << "/findings.json, " << out
              << "/runs.csv, " << out << "/traces/\n";
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "HQ Drill: emergency-coordination planner and simulator for a provincial headquarters\n"
      "(diễn tập phối hợp bảo vệ trụ sở)."};
  app.set_version_flag("--version", "hqdrill 0.1.0");
  app.require_subcommand(1);

  std::vector<std::string> validate_files;
  auto* validate = app.add_subcommand("validate", "Check scenario files; list every problem.");
  validate->add_option("SCENARIO", validate_files, "Scenario file(s) (JSON, hqdrill/1)")
      ->required();

  RunArgs ra;
  auto* run = app.add_subcommand("run", "Run the scenario's incidents many times; write results.");
  run->add_option("SCENARIO", ra.scenario, "Scenario file (JSON, hqdrill/1)")->required();
  run->add_option("--runs", ra.runs, "Replications per incident (default: the scenario's)")
      ->check(CLI::Range(1, 1000000));
  run->add_option("--seed", ra.seed, "Random seed (default: the scenario's)");
  run->add_option("--threads", ra.threads,
                  "Worker threads (default: all cores); results do "
                  "not depend on it")
      ->check(CLI::Range(1, 256));
  run->add_option("--out", ra.out, "Results directory (default: results/<scenario name>)");
  run->add_option("--trace-run", ra.trace_runs,
                  "Also write the trace of this run (repeatable); median and worst always");
  run->add_flag("--quiet,-q", ra.quiet, "Print nothing but errors");

  hqdrill::cli::GapsCommand gaps(app);  // options point into it: alive through parsing
  hqdrill::cli::VerifyCommand verify(app);
  hqdrill::cli::SensitivityCommand sensitivity(app);
  hqdrill::cli::TimelineCommand timeline(app);
  hqdrill::cli::ReportCommand report(app);
  hqdrill::cli::CompareCommand compare(app);
  hqdrill::cli::PlanCommand plan(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }
  try {
    if (*validate) return cmd_validate(validate_files);
    if (*run) return cmd_run(ra);
    if (gaps.chosen()) return gaps.run();
    if (verify.chosen()) return verify.run();
    if (sensitivity.chosen()) return sensitivity.run();
    if (timeline.chosen()) return timeline.run();
    if (report.chosen()) return report.run();
    if (compare.chosen()) return compare.run();
    if (plan.chosen()) return plan.run();
  } catch (const std::exception& e) {
    std::cerr << "hqdrill: " << e.what() << "\n";
    return kExitRunFailed;
  }
  return kExitBadInput;
}
