// One verification case of a physics model (`hqdrill verify fire`, `hqdrill verify
// flood`): a value the model computes against a reference value, where the reference
// comes from (a published value, a closed form or a hand calculation, said which) and the
// tolerance. Shared by the fire and flood suites and printed by one table in the CLI.
#pragma once

#include <cmath>
#include <string>
#include <utility>

namespace hqdrill {

struct VerificationCase {
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

/// A case that passes when `computed` is finite and within `tol` of `ref`.
inline VerificationCase make_case(std::string id, std::string title, double ref, std::string source,
                                  double computed, double tol, std::string unit,
                                  std::string note = {}) {
  VerificationCase c{std::move(id), std::move(title), ref,   std::move(source), computed,
                     tol,           std::move(unit),  false, std::move(note)};
  c.pass = std::isfinite(computed) && std::abs(computed - ref) <= tol;
  return c;
}

}  // namespace hqdrill
