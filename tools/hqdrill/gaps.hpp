// `hqdrill gaps SCENARIO`: single points of failure (knock-out of each role in play and
// each comms link, paired runs) and coverage holes of the rosters (static), ranked, as
// a table and optionally as JSON ("hqdrill.gaps/1").
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace hqdrill::cli {

/// Registers the `gaps` subcommand on construction; binds its options to its members,
/// so it must outlive the parse and is neither copied nor moved.
class GapsCommand {
 public:
  explicit GapsCommand(CLI::App& app);
  GapsCommand(const GapsCommand&) = delete;
  GapsCommand& operator=(const GapsCommand&) = delete;

  /// Whether the command line chose `gaps` (valid after parsing).
  bool chosen() const { return sub_ && sub_->parsed(); }
  /// Runs it: 0 success, 1 the simulation or writing failed, 2 bad input.
  int run() const;

 private:
  CLI::App* sub_ = nullptr;
  std::string scenario_;
  int runs_ = 100;
  std::optional<std::uint64_t> seed_;
  int threads_ = 0;
  int top_ = 20;
  std::string json_;
  bool quiet_ = false;
};

}  // namespace hqdrill::cli
