// `hqdrill report`: the after-action report and improvement plan of a results directory
// (issue #9): what went well, what to improve, recommendations (action, owner role,
// expected effect with its 95 % interval, cost), the plan comparison and its Pareto
// front, the sensitivity tornado, per incident the distributions of the targeted KPIs
// against their targets and the timelines of the median and the worst run, and the site
// map. One self-contained HTML file (inline SVG and CSS, no network) and the same text as
// Markdown. Every number comes from the files in ReportInputs::files, named in the report.
#pragma once

#include <string>

#include "report/inputs.hpp"
#include "report/text.hpp"

namespace hqdrill::report {

struct ReportText {
  std::string html, markdown;
  int charts = 0;  ///< <figure data-chart> elements in the HTML
};

/// Builds both documents; deterministic (no clock, no machine names).
ReportText build_report(const ReportInputs& in, const Lang& lang);

}  // namespace hqdrill::report
