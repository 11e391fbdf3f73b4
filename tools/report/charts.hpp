// The report's inline SVG charts. Each returns one <svg class="chart"> element; the
// report wraps it in a <figure data-chart="..."> with a caption naming its source.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "report/story.hpp"
#include "report/text.hpp"

namespace hqdrill::report {

/// How a KPI's values are drawn: seconds shown in s, min or h by their size.
struct AxisUnit {
  double factor = 1;  ///< display value = value / factor
  std::string name;   ///< "s", "phút"/"min", "giờ"/"h", or the KPI's unit
};
AxisUnit axis_unit_for(const std::string& kpi, double max_value, const Lang& lang);

struct HistogramTarget {
  double max = 0, min_fraction = 0, met_fraction = 0;
};

/// Distribution of one KPI over runs: bins of `present` values, green within the target
/// and red beyond it, a bar for runs where it did not happen, the target as a dashed line.
std::string histogram_chart(const std::string& kpi, const std::string& title,
                            const std::vector<double>& present, int missing,
                            const std::optional<HistogramTarget>& target, const Lang& lang);

struct TargetBar {
  std::string label;  ///< what and where
  double met = 0, required = 0;
};
/// One bar per target: share of runs meeting it against the share required.
std::string targets_chart(const std::vector<TargetBar>& bars, const Lang& lang);

struct FindingBar {
  std::string label;
  double frequency = 0;  ///< share of runs where it happened
  double cost_s = 0;     ///< time lost on average where it happened
};
/// One bar per finding: how often it happened, with the time it cost.
std::string findings_chart(const std::vector<FindingBar>& bars, const Lang& lang);

struct Deadline {
  double t_s = 0;
  std::string label;
};
/// Lanes of a run over [0, x_max_s] with the targets' deadlines as dashed lines.
std::string timeline_chart(const Story& story, const std::vector<Deadline>& deadlines,
                           double x_max_s, const Lang& lang);

struct ParetoPoint {
  double cost = 0, objective = 0;
  std::string label;
  bool front = false, best = false, baseline = false;
};
std::string pareto_chart(const std::vector<ParetoPoint>& points, const std::string& cost_axis,
                         bool money, const Lang& lang);

struct TornadoRow {
  std::string label;
  double low = 0, high = 0;  ///< the objective at the low and the high value
};
std::string tornado_chart(const std::vector<TornadoRow>& rows, double base, const Lang& lang);

struct EffectRow {
  std::string label;
  double diff = 0, lo = 0, hi = 0;  ///< in display units
  bool significant = false;
};
/// Paired differences with their 95 % intervals on a common axis (negative = sooner).
std::string forest_chart(const std::vector<EffectRow>& rows, const std::string& unit,
                         const Lang& lang);

/// The site graph (hqdrill.trace/1 header "site"): walkable areas, edges, nodes; one
/// panel per site ("hq", "reception", "city") laid side by side, labels for key nodes.
std::string site_map(const nlohmann::json& site, const Lang& lang);

}  // namespace hqdrill::report
