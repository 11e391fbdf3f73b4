// Verification cases of the flood storage-cell model (`hqdrill verify flood`): each
// compares a value the cell network computes with a reference value (a closed form or a
// hand calculation, said which), states the tolerance and why. Deterministic; no I/O.
#pragma once

#include <vector>

#include "hqdrill/core/verification_case.hpp"

namespace hqdrill::flood {

using FloodCase = VerificationCase;

/// All cases, in a fixed order.
std::vector<FloodCase> run_flood_verification();

}  // namespace hqdrill::flood
