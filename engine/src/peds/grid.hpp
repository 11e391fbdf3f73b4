// Internal helpers shared by the microscopic models (social_force.cpp, cfsm.cpp): the uniform
// grid rebuilt every step by counting sort, the binning of walls into its cells, and small
// geometric predicates. Not part of the public headers.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "hqdrill/peds/vec2.hpp"

namespace hqdrill::peds::detail {

/// x wrapped into [x0, x0 + len) (one period is enough: an agent moves far less per step).
inline double wrap_x(double x, double x0, double len) {
  if (x >= x0 + len) x -= len * std::floor((x - x0) / len);
  if (x < x0) x += len * std::ceil((x0 - x) / len);
  return x < x0 + len ? x : x0;  // rounding guard
}

/// Signed distance of p to the infinite line through w (positive on the left of a -> b),
/// scaled by the wall length (only signs and ratios are used).
inline double side(const Segment& w, Vec2 p) {
  return cross(w.b - w.a, p - w.a);
}

/// True if segments p-q and w intersect (touching counts).
inline bool segments_intersect(Vec2 p, Vec2 q, const Segment& w) {
  const double d1 = side(w, p), d2 = side(w, q);
  if ((d1 > 0 && d2 > 0) || (d1 < 0 && d2 < 0)) return false;
  const Segment pq{p, q};
  const double d3 = side(pq, w.a), d4 = side(pq, w.b);
  if ((d3 > 0 && d4 > 0) || (d3 < 0 && d4 < 0)) return false;
  if (d1 == 0 && d2 == 0) {  // collinear: overlap of the projections
    const Vec2 ab = w.b - w.a;
    const double t0 = dot(p - w.a, ab), t1 = dot(q - w.a, ab), len2 = dot(ab, ab);
    return std::max(t0, t1) >= 0 && std::min(t0, t1) <= len2;
  }
  return true;
}

/// A uniform grid over a bounding box: cells of cell_m, nx x ny of them, row-major.
/// Bounding box of the active agents' centres; all zero when none is active.
struct Bounds {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};
inline Bounds active_bounds(const std::vector<double>& px, const std::vector<double>& py,
                            const std::vector<std::uint8_t>& active) {
  Bounds b{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
           -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  bool any = false;
  for (std::size_t i = 0; i < px.size(); ++i) {
    if (!active[i]) continue;
    any = true;
    b.x0 = std::min(b.x0, px[i]);
    b.y0 = std::min(b.y0, py[i]);
    b.x1 = std::max(b.x1, px[i]);
    b.y1 = std::max(b.y1, py[i]);
  }
  return any ? b : Bounds{};
}

struct GridGeometry {
  double x0 = 0, y0 = 0, cell_m = 1;
  std::size_t nx = 0, ny = 0;

  std::size_t cells() const { return nx * ny; }
  std::uint32_t cell_index(double x, double y) const {
    auto cx = static_cast<std::size_t>((x - x0) / cell_m);
    auto cy = static_cast<std::size_t>((y - y0) / cell_m);
    cx = std::min(cx, nx - 1);
    cy = std::min(cy, ny - 1);
    return static_cast<std::uint32_t>(cy * nx + cx);
  }
};

/// Grid over [x0, x1] x [y0, y1] with cells of min_cell_m, doubled only if scattered agents
/// would need more than 4 count + 1024 cells (cells stay >= min_cell_m, so the 3 x 3
/// neighbourhood of a cell still holds every point within min_cell_m).
inline GridGeometry fit_grid(double x0, double y0, double x1, double y1, double min_cell_m,
                             std::size_t count) {
  double cell = min_cell_m;
  const double max_cells = 4.0 * static_cast<double>(count) + 1024.0;
  const double w = x1 - x0, h = y1 - y0;
  while ((std::floor(w / cell) + 1) * (std::floor(h / cell) + 1) > max_cells) cell *= 2;
  GridGeometry g;
  g.cell_m = cell;
  g.x0 = x0;
  g.y0 = y0;
  g.nx = static_cast<std::size_t>(std::floor(w / cell)) + 1;
  g.ny = static_cast<std::size_t>(std::floor(h / cell)) + 1;
  return g;
}

/// Bins every wall into each cell its bounding box grown by reach_m overlaps: the walls of
/// cell c are items[start[c]] .. items[start[c + 1] - 1], in wall order. `fill` is scratch.
inline void bin_walls(const std::vector<Segment>& walls, double reach_m, const GridGeometry& g,
                      std::vector<std::uint32_t>& start, std::vector<std::uint32_t>& items,
                      std::vector<std::uint32_t>& fill) {
  const std::size_t cells = g.cells();
  start.assign(cells + 1, 0);
  items.clear();
  if (walls.empty()) return;
  auto cell_range = [&](const Segment& s, std::size_t& cx0, std::size_t& cx1, std::size_t& cy0,
                        std::size_t& cy1) {
    const double lo_x = (std::min(s.a.x, s.b.x) - reach_m - g.x0) / g.cell_m;
    const double hi_x = (std::max(s.a.x, s.b.x) + reach_m - g.x0) / g.cell_m;
    const double lo_y = (std::min(s.a.y, s.b.y) - reach_m - g.y0) / g.cell_m;
    const double hi_y = (std::max(s.a.y, s.b.y) + reach_m - g.y0) / g.cell_m;
    const auto nxd = static_cast<double>(g.nx), nyd = static_cast<double>(g.ny);
    if (!(hi_x >= 0 && lo_x < nxd && hi_y >= 0 && lo_y < nyd)) return false;
    cx0 = static_cast<std::size_t>(std::max(0.0, lo_x));
    cx1 = static_cast<std::size_t>(std::min(nxd - 1, hi_x));
    cy0 = static_cast<std::size_t>(std::max(0.0, lo_y));
    cy1 = static_cast<std::size_t>(std::min(nyd - 1, hi_y));
    return true;
  };
  std::size_t cx0 = 0, cx1 = 0, cy0 = 0, cy1 = 0;
  for (const Segment& s : walls) {
    if (!cell_range(s, cx0, cx1, cy0, cy1)) continue;
    for (std::size_t cy = cy0; cy <= cy1; ++cy)
      for (std::size_t cx = cx0; cx <= cx1; ++cx) ++start[cy * g.nx + cx + 1];
  }
  for (std::size_t c = 0; c < cells; ++c) start[c + 1] += start[c];
  items.assign(start[cells], 0);
  fill.assign(start.begin(), start.end() - 1);
  for (std::size_t wi = 0; wi < walls.size(); ++wi) {
    if (!cell_range(walls[wi], cx0, cx1, cy0, cy1)) continue;
    for (std::size_t cy = cy0; cy <= cy1; ++cy)
      for (std::size_t cx = cx0; cx <= cx1; ++cx)
        items[fill[cy * g.nx + cx]++] = static_cast<std::uint32_t>(wi);
  }
}

}  // namespace hqdrill::peds::detail
