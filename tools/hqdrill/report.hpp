// `hqdrill report DIR [--lang vi|en]`: the after-action report and improvement plan of a
// results directory as DIR/report.html (self-contained: inline SVG and CSS) and
// DIR/report.md. A thin client of tools/report (hqdrill_report).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace hqdrill::cli {

/// Registers the `report` subcommand on construction; binds its options to its members,
/// so it must outlive the parse and is neither copied nor moved.
class ReportCommand {
 public:
  explicit ReportCommand(CLI::App& app);
  ReportCommand(const ReportCommand&) = delete;
  ReportCommand& operator=(const ReportCommand&) = delete;

  bool chosen() const { return sub_ && sub_->parsed(); }
  /// Writes the report: 0 success, 1 cannot write, 2 bad or missing input.
  int run() const;

 private:
  CLI::App* sub_ = nullptr;
  std::string dir_, lang_ = "vi", html_, md_, plan_, sensitivity_;
  bool quiet_ = false;
};

}  // namespace hqdrill::cli
