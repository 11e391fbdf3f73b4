#include "verify.hpp"

#include <cstddef>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "hqdrill/peds/rimea.hpp"

namespace hqdrill::cli {

namespace {

constexpr int kExitOk = 0, kExitFailed = 1, kExitBadInput = 2;
constexpr const char* kSuites = "peds";

std::string measured(const peds::RimeaResult& r) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g %s", r.measured, r.unit.c_str());
  return buf;
}

}  // namespace

VerifyCommand::VerifyCommand(CLI::App& app) {
  sub_ = app.add_subcommand("verify", "Run a verification suite (peds: RiMEA test cases).");
  sub_->add_option("SUITE", suite_, "Suite to run: peds")->required();
  sub_->add_option("--test9-population", test9_population_,
                   "Persons in RiMEA test 9 (default 1000, the published case; other values "
                   "are reported as \"9 (scaled)\")")
      ->check(CLI::Range(10, 100000));
}

int VerifyCommand::run() const {
  if (suite_ != "peds") {
    std::cerr << "hqdrill verify: unknown suite '" << suite_ << "'; valid: " << kSuites << "\n";
    return kExitBadInput;
  }
  std::cout << "RiMEA test cases ("
            << "pedestrian model: social force + floor field)\n\n";
  const std::vector<peds::RimeaResult> results = peds::run_rimea(test9_population_);
  bool all = true;
  for (const peds::RimeaResult& r : results) {
    all = all && r.pass;
    std::cout << (r.pass ? "PASS" : "FAIL") << "  test " << r.id << ": " << r.title << "\n"
              << "      criterion: " << r.criterion << "\n"
              << "      source:    " << r.source << "\n"
              << "      measured:  " << measured(r) << "\n"
              << "      note:      " << r.note << "\n\n";
  }
  std::size_t passed = 0;
  for (const peds::RimeaResult& r : results) passed += r.pass ? 1 : 0;
  std::cout << passed << " of " << results.size() << " cases pass\n";
  return all ? kExitOk : kExitFailed;
}

}  // namespace hqdrill::cli
