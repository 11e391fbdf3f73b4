#include "verify.hpp"

#include <cstddef>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "hqdrill/fire/verification.hpp"
#include "hqdrill/flood/verification.hpp"
#include "hqdrill/peds/rimea.hpp"
#include "hqdrill/peds/rimea_fd.hpp"
#include "hqdrill/peds/world.hpp"

namespace hqdrill::cli {

namespace {

constexpr int kExitOk = 0, kExitFailed = 1, kExitBadInput = 2;
constexpr const char* kSuites = "peds, fire, flood";

std::string measured(const peds::RimeaResult& r) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g %s", r.measured, r.unit.c_str());
  return buf;
}

// A verification table: one row per case, then the sources and notes.
int print_cases(const char* title, const std::vector<VerificationCase>& cases) {
  std::cout << title << "\n\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-4s  %-14s  %16s  %16s  %10s  %s\n", "", "case", "reference",
                "computed", "tolerance", "unit");
  std::cout << line;
  bool all = true;
  std::size_t passed = 0;
  for (const VerificationCase& c : cases) {
    all = all && c.pass;
    passed += c.pass ? 1 : 0;
    std::snprintf(line, sizeof line, "%-4s  %-14s  %16.6g  %16.6g  %10.2g  %s\n",
                  c.pass ? "PASS" : "FAIL", c.id.c_str(), c.reference, c.computed, c.tolerance,
                  c.unit.c_str());
    std::cout << line;
  }
  std::cout << "\n";
  for (const VerificationCase& c : cases) {
    std::cout << c.id << ": " << c.title << "\n      source: " << c.source << "\n";
    if (!c.note.empty()) std::cout << "      note:   " << c.note << "\n";
  }
  std::cout << "\n" << passed << " of " << cases.size() << " cases pass\n";
  return all ? kExitOk : kExitFailed;
}

// `hqdrill verify fire`.
int run_fire() {
  return print_cases("Fire model verification cases (hqdrill/fire/verification.hpp)",
                     fire::run_fire_verification());
}

// `hqdrill verify flood`: the storage-cell network (hqdrill/flood/cells.hpp).
int run_flood() {
  return print_cases("Flood model verification cases (hqdrill/flood/verification.hpp)",
                     flood::run_flood_verification());
}

}  // namespace

VerifyCommand::VerifyCommand(CLI::App& app) {
  sub_ = app.add_subcommand(
      "verify",
      "Run a verification suite (peds: RiMEA test cases; fire: fire model cases; flood: flood "
      "cell network cases).");
  sub_->add_option("SUITE", suite_, "Suite to run: peds, fire or flood")->required();
  sub_->add_option("--test9-population", test9_population_,
                   "Persons in RiMEA test 9 (default 1000, the published case; other values "
                   "are reported as \"9 (scaled)\")")
      ->check(CLI::Range(10, 100000));
}

int VerifyCommand::run() const {
  if (suite_ == "fire") return run_fire();
  if (suite_ == "flood") return run_flood();
  if (suite_ != "peds") {
    std::cerr << "hqdrill verify: unknown suite '" << suite_ << "'; valid: " << kSuites << "\n";
    return kExitBadInput;
  }
  const peds::ModelKind kind = peds::PedWorldOptions{}.kind;
  std::cout << "RiMEA test cases (pedestrian model: " << peds::model_name(kind)
            << " + floor field)\n\n";
  std::vector<peds::FdPoint> fd;
  const std::vector<peds::RimeaResult> results = peds::run_rimea(test9_population_, &fd);
  bool all = true;
  for (const peds::RimeaResult& r : results) {
    all = all && r.pass;
    std::cout << (r.pass ? "PASS" : "FAIL") << "  test " << r.id << ": " << r.title << "\n"
              << "      criterion: " << r.criterion << "\n"
              << "      source:    " << r.source << "\n"
              << "      measured:  " << measured(r) << "\n"
              << "      note:      " << r.note << "\n\n";
  }
  // The fundamental diagram test 4 was judged on (rimea_fd.hpp: periodic corridor).
  const peds::FdOptions fd_options;
  char line[160];
  std::snprintf(line, sizeof line,
                "Fundamental diagram, RiMEA test 4 (periodic corridor %.0f m x %.0f m, v0 %.2f "
                "m/s, r %.2f m):\n",
                fd_options.length_m, fd_options.width_m, fd_options.desired_speed_mps,
                fd_options.radius_m);
  std::cout << line << "  density /m2   speed m/s   Weidmann m/s   flow /(s m)   Weidmann /(s m)\n";
  for (const peds::FdPoint& p : fd) {
    std::snprintf(line, sizeof line, "  %11.1f   %9.3f   %12.3f   %11.3f   %15.3f\n", p.density_pm2,
                  p.speed_mps, p.weidmann_speed_mps, p.flow_psm, p.weidmann_flow_psm);
    std::cout << line;
  }
  std::cout << "\n";
  std::size_t passed = 0;
  for (const peds::RimeaResult& r : results) passed += r.pass ? 1 : 0;
  std::cout << passed << " of " << results.size() << " cases pass\n";
  return all ? kExitOk : kExitFailed;
}

}  // namespace hqdrill::cli
