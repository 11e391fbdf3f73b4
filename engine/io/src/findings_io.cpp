#include "hqdrill/io/findings_io.hpp"

#include <cmath>

namespace hqdrill::io {

using nlohmann::json;

namespace {

/// Means of millisecond times are not whole milliseconds; three decimals are enough.
double ms_round(double seconds) {
  return std::round(seconds * 1000.0) / 1000.0;
}

}  // namespace

// The scenario is not needed yet: findings carry ids and finished sentences.
json findings_json(const Scenario& /*s*/, const std::vector<Finding>& findings) {
  json list = json::array();
  int rank = 0;
  for (const Finding& f : findings) {
    json evidence = json::array();
    for (const Evidence& e : f.evidence)
      evidence.push_back({{"run", e.run}, {"t_s", ms_round(e.t_s)}, {"event", e.event}});
    list.push_back({{"rank", ++rank},
                    {"kind", to_string(f.kind)},
                    {"incident", f.incident},
                    {"subject", f.subject},
                    {"frequency", f.frequency},
                    {"cost_s", ms_round(f.cost_s)},
                    {"impact_s", ms_round(f.impact)},
                    {"text_vi", f.text_vi},
                    {"text_en", f.text_en},
                    {"evidence", evidence}});
  }
  return {{"schema", kFindingsSchema}, {"findings", list}};
}

}  // namespace hqdrill::io
