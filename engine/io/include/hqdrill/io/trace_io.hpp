// Traces: what the viewer replays. JSON Lines, format "hqdrill.trace/1" documented in
// docs/trace-format.md: a header line (site, roles, units, movers, KPIs of the run), then
// one line per timed event or position sample in time order, then an "end" line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hqdrill/io/diagnostics.hpp"
#include "hqdrill/scenario.hpp"
#include "hqdrill/sim/replication.hpp"

namespace hqdrill::io {

inline constexpr const char* kTraceSchema = "hqdrill.trace/1";

std::string trace_jsonl(const Scenario& s, Index incident, std::uint64_t seed, int run,
                        const std::string& label, const RunRecord& rec,
                        const std::vector<std::string>& kpi_names);

/// What a reader gets back: the header as JSON text fields it needs, the events, and
/// whether the trace ended properly. Never throws on hostile input.
struct TraceLine {
  double t_s = 0;
  std::string type;
  std::string json;  ///< the whole line, for consumers that need more fields
};
struct TraceRead {
  bool ok = false;        ///< header valid and schema supported
  bool complete = false;  ///< the "end" line was reached
  std::string schema;
  std::string header_json;
  std::vector<TraceLine> lines;
  Diagnostics diagnostics;  ///< pointers are "line N"
};
TraceRead read_trace(const std::string& text);

}  // namespace hqdrill::io
