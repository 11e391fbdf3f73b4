// `hqdrill timeline TRACE`: the story of one traced run as a readable timeline (clock time
// of the incident's calendar, hours from its start, what happened, in Vietnamese or
// English), for after-action reviews. A thin client of hqdrill::io::read_trace.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace hqdrill::cli {

/// Registers the `timeline` subcommand on construction; binds its options to its
/// members, so it must outlive the parse and is neither copied nor moved.
class TimelineCommand {
 public:
  explicit TimelineCommand(CLI::App& app);
  TimelineCommand(const TimelineCommand&) = delete;
  TimelineCommand& operator=(const TimelineCommand&) = delete;

  bool chosen() const { return sub_ && sub_->parsed(); }
  /// Prints it: 0 success, 2 unreadable or not a trace.
  int run() const;

 private:
  CLI::App* sub_ = nullptr;
  std::string trace_;
  std::string lang_ = "vi";
  bool all_ = false;
};

}  // namespace hqdrill::cli
