// One traced run as lanes for a timeline chart: the incident's own events, then every
// role told (when, by whom, when it acted), every unit's trips (departed -> arrived) and
// every task (assigned -> started -> done). Built from hqdrill.trace/1 lines.
#pragma once

#include <string>
#include <vector>

#include "hqdrill/io/trace_io.hpp"
#include "report/names.hpp"

namespace hqdrill::report {

struct StoryItem {
  enum class Kind { point, bar, wait, alarm } kind = Kind::point;
  double t0 = 0, t1 = 0;  ///< seconds from the incident's start; t1 = t0 for points
  std::string tip;        ///< tooltip: clock offset and what happened
};

struct StoryLane {
  enum class Kind { incident, role, unit, task } kind = Kind::incident;
  std::string id, label;
  std::vector<StoryItem> items;
};

struct Story {
  int run = -1;
  std::string label;  ///< "median", "worst", ...
  double end_s = 0;   ///< the last event shown
  std::vector<StoryLane> lanes;
};

/// The story of `trace` in the language `vi`; lanes in order of first appearance within
/// their kind (incident, roles, units, tasks).
Story build_story(const io::TraceRead& trace, bool vi);

}  // namespace hqdrill::report
