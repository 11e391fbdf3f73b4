// `hqdrill compare A B` / `hqdrill compare S --options O --with IDS`: paired comparison of
// two plans ("hqdrill.compare/1"); `hqdrill plan S --options O [--budget DIM=LIMIT]`: the
// best combination of plan options under a budget and the Pareto front ("hqdrill.plan/1").
// See hqdrill/analysis/compare.hpp and hqdrill/plan/search.hpp.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hqdrill::cli {

/// Registers the `compare` subcommand; must outlive the parse (options bind to members).
class CompareCommand {
 public:
  explicit CompareCommand(CLI::App& app);
  CompareCommand(const CompareCommand&) = delete;
  CompareCommand& operator=(const CompareCommand&) = delete;

  bool chosen() const { return sub_ && sub_->parsed(); }
  /// 0 success, 1 the simulation or writing failed, 2 bad input or usage.
  int run() const;

 private:
  CLI::App* sub_ = nullptr;
  std::vector<std::string> scenarios_;
  std::string options_;
  std::vector<std::string> with_;
  std::optional<int> runs_;
  std::optional<std::uint64_t> seed_;
  int threads_ = 0;
  std::string json_;
  bool significant_only_ = false;
  bool quiet_ = false;
};

/// Registers the `plan` subcommand; must outlive the parse (options bind to members).
class PlanCommand {
 public:
  explicit PlanCommand(CLI::App& app);
  PlanCommand(const PlanCommand&) = delete;
  PlanCommand& operator=(const PlanCommand&) = delete;

  bool chosen() const { return sub_ && sub_->parsed(); }
  /// 0 success, 1 the simulation or writing failed, 2 bad input or usage.
  int run() const;

 private:
  CLI::App* sub_ = nullptr;
  std::string scenario_;
  std::string options_;
  std::vector<std::string> budgets_;
  std::string front_;
  int runs_ = 100;
  std::optional<std::uint64_t> seed_;
  int threads_ = 0;
  int exhaustive_max_ = 10;
  std::string json_;
  bool quiet_ = false;
};

}  // namespace hqdrill::cli
