// `hqdrill sensitivity SCENARIO`: one-at-a-time sweep of every assumption of the scenario
// (hqdrill/analysis/sensitivity.hpp, assumption_sensitivity), ranked by its effect on the
// planner's objective, printed as a table and optionally written as JSON
// ("hqdrill.sensitivity/2", docs/results-format.md). With --crowd: the sweep of a
// crowd-complaint incident's behaviour and gate parameters ("hqdrill.sensitivity/1").
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hqdrill/scenario.hpp"

namespace hqdrill::cli {

/// Registers the `sensitivity` subcommand on construction; binds its options to its
/// members, so it must outlive the parse and is neither copied nor moved.
class SensitivityCommand {
 public:
  explicit SensitivityCommand(CLI::App& app);
  SensitivityCommand(const SensitivityCommand&) = delete;
  SensitivityCommand& operator=(const SensitivityCommand&) = delete;

  /// Whether the command line chose `sensitivity` (valid after parsing).
  bool chosen() const { return sub_ && sub_->parsed(); }
  /// Runs it: 0 success, 1 the simulation or writing failed, 2 bad input (an unknown
  /// incident or group; with --crowd, an incident with no crowd).
  int run() const;

 private:
  int run_all(const Scenario& s) const;
  int run_crowd(const Scenario& s) const;

  CLI::App* sub_ = nullptr;
  std::string scenario_;
  std::vector<std::string> incidents_;
  std::vector<std::string> groups_;
  bool crowd_ = false;
  int runs_ = 100;
  std::optional<std::uint64_t> seed_;
  int threads_ = 0;
  std::string json_;
  bool quiet_ = false;
};

}  // namespace hqdrill::cli
