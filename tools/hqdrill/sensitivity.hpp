// `hqdrill sensitivity SCENARIO`: one-at-a-time sweep of a crowd-complaint incident's
// behaviour and gate parameters (hqdrill/analysis/sensitivity.hpp), printed as a tornado
// table and optionally written as JSON ("hqdrill.sensitivity/1").
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

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
  /// Runs it: 0 success, 1 the simulation or writing failed, 2 bad input (including an
  /// incident that is unknown or has no crowd).
  int run() const;

 private:
  CLI::App* sub_ = nullptr;
  std::string scenario_;
  std::string incident_;
  int runs_ = 100;
  std::optional<std::uint64_t> seed_;
  int threads_ = 0;
  std::string json_;
  bool quiet_ = false;
};

}  // namespace hqdrill::cli
