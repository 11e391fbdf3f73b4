// Internal to the RiMEA cases (rimea.cpp, rimea4.cpp): number formatting for the notes
// and rectangular rings for the geometries.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>

#include "hqdrill/peds/geometry.hpp"

namespace hqdrill::peds::detail {

/// v rounded to `decimals` places, without trailing digits beyond them.
inline std::string fmt(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  std::string s = std::to_string(std::round(v * scale) / scale);
  const std::size_t dot = s.find('.');
  if (dot != std::string::npos)
    s.resize(decimals > 0 ? dot + 1 + static_cast<std::size_t>(decimals) : dot);
  return s;
}

/// The axis-aligned rectangle [x0, x1] x [y0, y1] as a ring.
inline Ring rect(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
}

}  // namespace hqdrill::peds::detail
