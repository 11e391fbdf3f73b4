// Verification cases of the flood storage-cell model (`hqdrill verify flood`): each
// compares a value the cell network computes with a reference value (a closed form or a
// hand calculation, said which), states the tolerance and why. Deterministic; no I/O.
#pragma once

#include <string>
#include <vector>

namespace hqdrill::flood {

struct FloodCase {
  std::string id;     ///< short name, e.g. "inflow-basin"
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
std::vector<FloodCase> run_flood_verification();

}  // namespace hqdrill::flood
