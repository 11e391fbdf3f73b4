// Verification cases of the fire model (`hqdrill verify fire`): each compares a value HQ
// Drill computes with a reference value, states where the reference comes from (a
// published value, a published closed form, or a hand calculation, said which) and the
// tolerance. Deterministic; no I/O.
#pragma once

#include <vector>

#include "hqdrill/core/verification_case.hpp"

namespace hqdrill::fire {

using FireCase = VerificationCase;

/// All cases, in a fixed order.
std::vector<FireCase> run_fire_verification();

}  // namespace hqdrill::fire
