// Simulated time: an integer count of milliseconds since the incident started.
// Never accumulate floating-point seconds for the clock (STYLE.md habit 4).
#pragma once

#include <cmath>
#include <cstdint>

namespace hqdrill {

using SimTime = std::int64_t;  ///< milliseconds since the incident's start

inline constexpr SimTime kMsPerSecond = 1000;
inline constexpr SimTime kMsPerMinute = 60 * kMsPerSecond;
inline constexpr SimTime kMsPerDay = 24 * 60 * kMsPerMinute;
inline constexpr SimTime kNever = INT64_MAX;

/// Seconds (as read from a scenario or drawn from a distribution) to milliseconds,
/// rounded to the nearest millisecond. Negative durations (and NaN) are clamped to zero;
/// absurdly long ones (a heavy distribution tail) to about a million years, far past any
/// horizon, so the conversion is always defined and sums of a few stay below kNever.
inline SimTime seconds_to_ms(double seconds) {
  if (!(seconds > 0.0)) return 0;
  constexpr double kMaxSeconds = 3.0e13;  // ~1e6 years; ×1000 and ×100 still fit in int64
  if (seconds > kMaxSeconds) seconds = kMaxSeconds;
  return static_cast<SimTime>(std::llround(seconds * 1000.0));
}

inline double ms_to_seconds(SimTime t) {
  return static_cast<double>(t) / 1000.0;
}

}  // namespace hqdrill
