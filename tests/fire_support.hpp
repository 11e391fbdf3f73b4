// The fire verification cases (`hqdrill verify fire`) as Catch2 checks, shared by
// test_fire.cpp and test_fire_network.cpp.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "hqdrill/fire/verification.hpp"

namespace hqdrill::test {

/// All cases, computed once per test process.
inline const std::vector<fire::FireCase>& fire_cases() {
  static const std::vector<fire::FireCase> all = fire::run_fire_verification();
  return all;
}

/// Checks that verification case `id` passes, showing its reference and source.
inline void check_fire_case(const std::string& id) {
  for (const fire::FireCase& c : fire_cases()) {
    if (c.id != id) continue;
    INFO(c.title << ": reference " << c.reference << " " << c.unit << " (" << c.source
                 << "), computed " << c.computed << ", tolerance " << c.tolerance);
    CHECK(c.pass);
    return;
  }
  FAIL("no verification case " << id);
}

}  // namespace hqdrill::test
