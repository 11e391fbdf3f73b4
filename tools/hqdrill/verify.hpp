// `hqdrill verify SUITE`: runs a verification suite and prints one row per case: test,
// criterion with its source, measured value, PASS/FAIL. Suites: `peds` (RiMEA test
// cases, hqdrill/peds/rimea.hpp) and `fire` (hqdrill/fire/verification.hpp). Exit 0 if every case
// passes, 1 if one fails, 2 for an unknown suite.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace hqdrill::cli {

/// Registers the `verify` subcommand on construction; binds its options to its members,
/// so it must outlive the parse and is neither copied nor moved.
class VerifyCommand {
 public:
  explicit VerifyCommand(CLI::App& app);
  VerifyCommand(const VerifyCommand&) = delete;
  VerifyCommand& operator=(const VerifyCommand&) = delete;

  /// Whether the command line chose `verify` (valid after parsing).
  bool chosen() const { return sub_ && sub_->parsed(); }
  /// Runs it: 0 all cases pass, 1 a case failed, 2 unknown suite.
  int run() const;

 private:
  CLI::App* sub_ = nullptr;
  std::string suite_;
  int test9_population_ = 1000;
};

}  // namespace hqdrill::cli
