// Coordination-gap findings as JSON ("hqdrill.findings/1", docs/findings-format.md).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "hqdrill/analysis/findings.hpp"
#include "hqdrill/scenario.hpp"

namespace hqdrill::io {

inline constexpr const char* kFindingsSchema = "hqdrill.findings/1";

/// The findings in the order given (detect_findings ranks them), numbered from rank 1.
/// Seconds are rounded to the millisecond; nothing depends on the clock or the machine,
/// so equal inputs give byte-identical text.
nlohmann::json findings_json(const Scenario& s, const std::vector<Finding>& findings);

}  // namespace hqdrill::io
