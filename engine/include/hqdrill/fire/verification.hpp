// Verification cases of the fire model (`hqdrill verify fire`): each compares a value HQ
// Drill computes with a reference value, states where the reference comes from (a
// published value, a published closed form, or a hand calculation, said which) and the
// tolerance. Deterministic; no I/O.
#pragma once

#include <string>
#include <vector>

namespace hqdrill::fire {

struct FireCase {
  std::string id;     ///< short name, e.g. "tsq-medium"
  std::string title;  ///< what is checked
  double reference = 0.0;
  std::string source;  ///< where the reference value comes from
  double computed = 0.0;
  double tolerance = 0.0;  ///< absolute, in `unit`
  std::string unit;
  bool pass = false;
  std::string note;
};

/// All cases, in a fixed order.
std::vector<FireCase> run_fire_verification();

}  // namespace hqdrill::fire
