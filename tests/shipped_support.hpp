// Loading a shipped scenario in a test (test_shipped_scenarios.cpp,
// test_analysis_sensitivity.cpp): its diagnostics are printed if it fails to load.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <utility>

#include "hqdrill/io/scenario_io.hpp"

namespace hqdrill::test {

/// The scenario at `rel` (relative to the source tree).
inline Scenario load_shipped(const std::string& rel) {
  const std::string path = std::string(HQDRILL_SOURCE_DIR) + "/" + rel;
  auto r = io::load_scenario(path);
  for (const auto& d : r.diagnostics.items) INFO(io::format(path, d));
  REQUIRE(r.scenario);
  return std::move(*r.scenario);
}

}  // namespace hqdrill::test
