// Collision-free speed model (Tordeux, Chraibi and Seyfried 2016); see the header for the
// equations and what is JuPedSim's, what HQ Drill's.
#include "hqdrill/peds/cfsm.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <utility>

#include "grid.hpp"

namespace hqdrill::peds {

namespace {

// Cap of the repulsion exponents: with the defaults they never exceed l/D = 4 (agents) and
// r/D_w = 10 (walls), but a user's tiny D must not overflow exp() into inf.
constexpr double kMaxExponent = 50.0;

bool finite(Vec2 v) {
  return std::isfinite(v.x) && std::isfinite(v.y);
}

}  // namespace

CollisionFreeSpeedModel::CollisionFreeSpeedModel(CfsmParams params)
    : params_(params), rng_(params.seed, 0xcf5), reach_m_(params.cutoff_m) {
  assert(params_.time_gap_s > 0 && params_.cutoff_m > 0);
  assert(params_.neighbor_repulsion_range_m > 0 && params_.wall_repulsion_range_m > 0);
}

std::size_t CollisionFreeSpeedModel::add_agent(const AgentSpec& s) {
  assert(finite(s.position) && finite(s.goal) && finite(s.velocity));
  assert(s.radius_m >= 0 && s.desired_speed_mps >= 0);
  // The grid reach grows so that every neighbour that can slow an agent is seen.
  reach_m_ = std::max(reach_m_, 2 * s.radius_m + s.desired_speed_mps * params_.time_gap_s);
  reach_m_ = std::max(reach_m_, 4 * s.radius_m);
  px_.push_back(periodic_x() ? detail::wrap_x(s.position.x, periodic_x0_m_, periodic_len_m_)
                             : s.position.x);
  py_.push_back(s.position.y);
  vx_.push_back(0);
  vy_.push_back(0);
  const Vec2 e = normalized(s.velocity);
  ex_.push_back(e.x);
  ey_.push_back(e.y);
  v0_.push_back(s.desired_speed_mps);
  radius_.push_back(s.radius_m);
  active_.push_back(1);
  gx_.push_back(s.goal.x);
  gy_.push_back(s.goal.y);
  remove_at_goal_.push_back(s.remove_at_goal ? 1 : 0);
  exit_us_.push_back(-1);
  nvx_.push_back(0);
  nvy_.push_back(0);
  nex_.push_back(e.x);
  ney_.push_back(e.y);
  cell_of_.push_back(0);
  ++active_count_;
  return px_.size() - 1;
}

void CollisionFreeSpeedModel::set_direction_provider(DirectionProvider provider) {
  provider_ = std::move(provider);
}

void CollisionFreeSpeedModel::set_walls(std::vector<Segment> walls) {
  walls_ = std::move(walls);
}

std::size_t CollisionFreeSpeedModel::add_wall(const Segment& wall) {
  walls_.push_back(wall);
  return walls_.size() - 1;
}

void CollisionFreeSpeedModel::set_periodic_x(double x0_m, double length_m) {
  assert(std::isfinite(x0_m) && length_m > 2 * params_.cutoff_m);
  periodic_x0_m_ = x0_m;
  periodic_len_m_ = length_m;
  for (double& x : px_) x = detail::wrap_x(x, x0_m, length_m);
}

void CollisionFreeSpeedModel::set_desired_speed(std::size_t i, double v0_mps) {
  assert(v0_mps >= 0);
  v0_[i] = v0_mps;
  // The speed law stays exact only if the grid reaches the spacing it may use (add_agent).
  reach_m_ = std::max(reach_m_, 2 * radius_[i] + v0_mps * params_.time_gap_s);
}

void CollisionFreeSpeedModel::deactivate(std::size_t i) {
  if (active_[i]) {
    active_[i] = 0;
    --active_count_;
  }
}

void CollisionFreeSpeedModel::collect_active(std::vector<Vec2>& positions,
                                             std::vector<Vec2>& velocities,
                                             std::vector<std::uint32_t>& ids) const {
  positions.clear();
  velocities.clear();
  ids.clear();
  for (std::size_t i = 0; i < px_.size(); ++i) {
    if (!active_[i]) continue;
    positions.push_back({px_[i], py_[i]});
    velocities.push_back({vx_[i], vy_[i]});
    ids.push_back(static_cast<std::uint32_t>(i));
  }
}

void CollisionFreeSpeedModel::step(double dt_s) {
  assert(dt_s > 0 && std::isfinite(dt_s));
  build_grid();
  compute_velocities();
  commit(dt_s);
  elapsed_us_ += std::llround(dt_s * 1e6);
}

// Stage 1: counting sort of the active agents (and, periodic, their ghosts at both ends)
// into a uniform grid over their bounding box, then the walls into the same cells.
void CollisionFreeSpeedModel::build_grid() {
  const std::size_t n = px_.size();
  const double cut = reach_m_;
  assert(!periodic_x() || periodic_len_m_ > 2 * cut);
  const detail::Bounds bounds = detail::active_bounds(px_, py_, active_);
  double x0 = bounds.x0, y0 = bounds.y0, x1 = bounds.x1, y1 = bounds.y1;
  // Periodic mode: the speed law is not antisymmetric, so every agent scans its whole
  // neighbourhood and needs ghosts on both sides of the seam.
  ghost_of_.clear();
  ghost_x_.clear();
  if (periodic_x()) {
    const double lo = periodic_x0_m_ + cut, hi = periodic_x0_m_ + periodic_len_m_ - cut;
    for (std::size_t i = 0; i < n; ++i) {
      if (!active_[i]) continue;
      if (px_[i] < lo) {
        ghost_of_.push_back(static_cast<std::uint32_t>(i));
        ghost_x_.push_back(px_[i] + periodic_len_m_);
      }
      if (px_[i] >= hi) {
        ghost_of_.push_back(static_cast<std::uint32_t>(i));
        ghost_x_.push_back(px_[i] - periodic_len_m_);
      }
    }
    for (const double gx : ghost_x_) {
      x0 = std::min(x0, gx);
      x1 = std::max(x1, gx);
    }
  }
  const detail::GridGeometry g = detail::fit_grid(x0, y0, x1, y1, cut, active_count_);
  grid_nx_ = g.nx;
  grid_ny_ = g.ny;
  const std::size_t cells = g.cells();
  const std::size_t slots = active_count_ + ghost_of_.size();
  cell_start_.assign(cells + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!active_[i]) continue;
    const std::uint32_t c = g.cell_index(px_[i], py_[i]);
    cell_of_[i] = c;
    ++cell_start_[c + 1];
  }
  for (std::size_t k = 0; k < ghost_of_.size(); ++k)
    ++cell_start_[g.cell_index(ghost_x_[k], py_[ghost_of_[k]]) + 1];
  for (std::size_t c = 0; c < cells; ++c) cell_start_[c + 1] += cell_start_[c];
  sx_.resize(slots);
  sy_.resize(slots);
  sr_.resize(slots);
  sid_.resize(slots);
  // Stable fill in index order, ghosts after the agents of their cell (determinism).
  fill_.assign(cell_start_.begin(), cell_start_.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    if (!active_[i]) continue;
    const std::uint32_t k = fill_[cell_of_[i]]++;
    sx_[k] = px_[i];
    sy_[k] = py_[i];
    sr_[k] = radius_[i];
    sid_[k] = static_cast<std::uint32_t>(i);
  }
  for (std::size_t k = 0; k < ghost_of_.size(); ++k) {
    const std::uint32_t i = ghost_of_[k];
    const std::uint32_t s = fill_[g.cell_index(ghost_x_[k], py_[i])]++;
    sx_[s] = ghost_x_[k];
    sy_[s] = py_[i];
    sr_[s] = radius_[i];
    sid_[s] = static_cast<std::uint32_t>(n + i);
  }
  detail::bin_walls(walls_, cut, g, wall_cell_start_, wall_items_, fill_);
}

// True if a wall among wall_items_[w0 .. w1) crosses the segment a-b.
bool CollisionFreeSpeedModel::hidden_by_wall(std::uint32_t w0, std::uint32_t w1, Vec2 a,
                                             Vec2 b) const {
  for (std::uint32_t k = w0; k < w1; ++k)
    if (detail::segments_intersect(a, b, walls_[wall_items_[k]])) return true;
  return false;
}

// Stage 2: every agent's direction and speed from the positions at t (read only); results
// go to nvx_, nvy_, nex_, ney_. Each agent scans the 3 x 3 cells around its own: three
// contiguous ranges of the sorted arrays, one per row.
void CollisionFreeSpeedModel::compute_velocities() {
  const CfsmParams& p = params_;
  const double cut2 = reach_m_ * reach_m_;
  const double inv_d = 1.0 / p.neighbor_repulsion_range_m;
  const double inv_dw = 1.0 / p.wall_repulsion_range_m;
  const double a = p.neighbor_repulsion, aw = p.wall_repulsion;
  const double inv_t = 1.0 / p.time_gap_s;
  const std::size_t n = px_.size();
  const bool any_walls = !wall_items_.empty();
  for (std::size_t i = 0; i < n; ++i) {
    if (!active_[i]) continue;
    const double xi = px_[i], yi = py_[i], ri = radius_[i];
    Vec2 e0 = normalized(provider_ ? provider_(i, {xi, yi}) : Vec2{gx_[i] - xi, gy_[i] - yi});
    if (!finite(e0)) e0 = {0, 0};  // a provider returning inf: no desired direction
    if (e0.x == 0 && e0.y == 0) {
      // No desired direction: the agent stands (HQ Drill; e.g. pre-movement).
      nvx_[i] = nvy_[i] = 0;
      nex_[i] = ex_[i];
      ney_[i] = ey_[i];
      continue;
    }
    const double slowing_gap_m = v0_[i] * p.time_gap_s;  // a larger gap allows v0
    const std::size_t c = cell_of_[i];
    const std::uint32_t w0 = any_walls ? wall_cell_start_[c] : 0;
    const std::uint32_t w1 = any_walls ? wall_cell_start_[c + 1] : 0;
    const std::size_t cx = c % grid_nx_, cy = c / grid_nx_;
    const std::size_t col0 = cx > 0 ? cx - 1 : 0, col1 = std::min(cx + 2, grid_nx_);
    const std::size_t row0 = cy > 0 ? cy - 1 : 0, row1 = std::min(cy + 2, grid_ny_);

    // Neighbour repulsion a exp((l - d)/D) n_ij; the neighbours are kept for the spacing.
    double ex = e0.x, ey = e0.y;
    near_.clear();
    // Candidates within the cut-off first (a branch-free pass over the three row ranges),
    // then the costly part for those only.
    cand_.clear();
    for (std::size_t row = row0; row < row1; ++row) {
      const std::uint32_t b0 = cell_start_[row * grid_nx_ + col0];
      const std::uint32_t b1 = cell_start_[row * grid_nx_ + col1];
      const std::size_t at = cand_.size();
      cand_.resize(at + (b1 - b0));
      std::uint32_t* out = cand_.data() + at;
      std::size_t m = 0;
      for (std::uint32_t b = b0; b < b1; ++b) {
        const double dx = sx_[b] - xi, dy = sy_[b] - yi;
        out[m] = b;
        m += static_cast<std::size_t>((dx * dx + dy * dy < cut2) & (sid_[b] != i));
      }
      cand_.resize(at + m);
    }
    for (const std::uint32_t b : cand_) {
      const double dx = sx_[b] - xi, dy = sy_[b] - yi;  // from i to j
      const double d2 = dx * dx + dy * dy;
      if (w1 > w0 && hidden_by_wall(w0, w1, {xi, yi}, {sx_[b], sy_[b]})) continue;
      const double d = std::sqrt(d2);
      const double l = ri + sr_[b];
      const double f = a * std::exp(std::min((l - d) * inv_d, kMaxExponent));
      if (d > 1e-12) {
        const double f_over_d = f / d;  // f times the unit vector from i to j
        ex -= f_over_d * dx;
        ey -= f_over_d * dy;
      } else {  // coincident centres: the lower agent index is pushed to -x
        ex -= i < sid_[b] ? f : -f;
      }
      // Only a neighbour closer than l + v0 T can slow agent i below v0.
      if (d - l < slowing_gap_m) near_.push_back({dx, dy, d, l});
    }
    // Wall repulsion a_w exp((r - d)/D_w) n_iW (JuPedSim), walls within the cut-off.
    for (std::uint32_t k = w0; k < w1; ++k) {
      const Segment& w = walls_[wall_items_[k]];
      const Vec2 pos{xi, yi};
      const Vec2 cp = closest_point(w, pos);
      const double d = norm(pos - cp);
      if (d * d >= cut2) continue;
      Vec2 nw;  // from the wall to i; a centre on the wall: the wall's left normal
      if (d > 1e-12) {
        nw = (1.0 / d) * (pos - cp);
      } else {
        const Vec2 along = normalized(w.b - w.a);
        nw = (along.x == 0 && along.y == 0) ? Vec2{1, 0} : Vec2{-along.y, along.x};
      }
      const double f = aw * std::exp(std::min((ri - d) * inv_dw, kMaxExponent));
      ex += f * nw.x;
      ey += f * nw.y;
    }
    Vec2 e = normalized({ex, ey});
    if (e.x == 0 && e.y == 0) e = {ex_[i], ey_[i]};  // zero sum: keep the last direction

    // Spacing to the closest neighbour ahead within the body width, minus l_ij.
    auto speed_towards = [&](Vec2 dir) {
      double gap = std::numeric_limits<double>::infinity();
      for (const Neighbour& nb : near_) {
        if (dir.x * nb.dx + dir.y * nb.dy < 0) continue;
        if (std::abs(dir.x * nb.dy - dir.y * nb.dx) > nb.l) continue;
        gap = std::min(gap, nb.d - nb.l);
      }
      return std::min(v0_[i], std::max(0.0, gap * inv_t));
    };
    double speed = speed_towards(e);
    if (speed < p.unblock_speed_mps && p.unblock_angle_rad > 0 && (e.x != e0.x || e.y != e0.y)) {
      // Blocked: first the desired direction itself (CfsmParams::unblock_speed_mps). An
      // agent squeezed against a door jamb is turned by the stiff wall term (D_w 0.02 m)
      // into the neighbour beside it, while the way out, e0, is free: three abreast in
      // a 1 m exit froze so for good (RiMEA 9 with PedWorldOptions::exit_apron_m).
      const double s0 = speed_towards(e0);
      if (s0 > speed) {
        e = e0;
        speed = s0;
      }
    }
    if (speed < p.unblock_speed_mps && p.unblock_angle_rad > 0) {
      // Blocked: one rotated try (CfsmParams::unblock_speed_mps).
      const double phi = p.unblock_angle_rad * (2.0 * rng_.next_double() - 1.0);
      const double cs = std::cos(phi), sn = std::sin(phi);
      const Vec2 turned{cs * e.x - sn * e.y, sn * e.x + cs * e.y};
      const double turned_speed = speed_towards(turned);
      if (turned_speed > speed) {
        e = turned;
        speed = turned_speed;
      }
    }
    nvx_[i] = speed * e.x;
    nvy_[i] = speed * e.y;
    nex_[i] = e.x;
    ney_[i] = e.y;
  }
}

// A move from -> to that would cross a wall slides along it: the component into the wall
// is cut so that the centre ends at most 1 mm short of the wall (or halfway, when already
// closer), the component along it is kept. A second wall (a corner) is handled the same way
// in further passes; a move still crossing a wall after them is not made. Crossings within
// 1e-9 of a wall end (relative) count, so agents go around corners, not through joints.
Vec2 CollisionFreeSpeedModel::clip_to_walls(std::size_t i, Vec2 from, Vec2 to) const {
  const double move = norm(to - from);
  const bool all_walls = move >= reach_m_ || wall_cell_start_.empty();
  const std::size_t c = cell_of_[i];
  const std::size_t k0 = all_walls ? 0 : wall_cell_start_[c];
  const std::size_t k1 = all_walls ? walls_.size() : wall_cell_start_[c + 1];
  auto crossing = [&](const Segment& w, Vec2 target, double& s0) {
    s0 = detail::side(w, from);
    const double s1 = detail::side(w, target);
    if (s0 == 0) return false;  // on the wall's line: any way out is not a crossing
    if ((s0 > 0 && s1 > 0) || (s0 < 0 && s1 < 0)) return false;
    const Vec2 ab = w.b - w.a;
    const double len2 = dot(ab, ab);
    if (len2 <= 0) return false;
    const Vec2 hit = from + (s0 / (s0 - s1)) * (target - from);
    const double u = dot(hit - w.a, ab) / len2;
    return u >= -1e-9 && u <= 1 + 1e-9;
  };
  for (int pass = 0; pass < 3; ++pass) {
    bool cut = false;
    for (std::size_t k = k0; k < k1; ++k) {
      const Segment& w = walls_[all_walls ? k : wall_items_[k]];
      double s0 = 0;
      if (!crossing(w, to, s0)) continue;
      const Vec2 ab = w.b - w.a;
      const double len = norm(ab);
      const Vec2 nrm = (s0 > 0 ? 1.0 : -1.0) * (1.0 / len) * Vec2{-ab.y, ab.x};  // to `from`
      const double d0 = std::abs(s0) / len;
      const double keep = std::min(1e-3, 0.5 * d0);
      const Vec2 disp = to - from;
      to = from + disp + (-(d0 - keep) - dot(disp, nrm)) * nrm;
      if (detail::side(w, to) * s0 <= 0) to = from;  // rounding guard
      cut = true;
    }
    if (!cut) return to;
  }
  for (std::size_t k = k0; k < k1; ++k) {
    double s0 = 0;
    if (crossing(walls_[all_walls ? k : wall_items_[k]], to, s0)) return from;
  }
  return to;
}

// Stage 3: commit. x += v dt, slide at walls, wrap, remove agents at their goals.
void CollisionFreeSpeedModel::commit(double dt_s) {
  const std::size_t n = px_.size();
  const std::int64_t t_end_us = elapsed_us_ + std::llround(dt_s * 1e6);
  const double goal_r2 = params_.goal_radius_m * params_.goal_radius_m;
  for (std::size_t i = 0; i < n; ++i) {
    if (!active_[i]) continue;
    Vec2 v{nvx_[i], nvy_[i]};
    const Vec2 from{px_[i], py_[i]};
    Vec2 to = from + dt_s * v;
    if (!walls_.empty() && (v.x != 0 || v.y != 0)) {
      const Vec2 clipped = clip_to_walls(i, from, to);
      if (clipped.x != to.x || clipped.y != to.y) {
        to = clipped;
        v = (1.0 / dt_s) * (to - from);
      }
    }
    if (periodic_x()) to.x = detail::wrap_x(to.x, periodic_x0_m_, periodic_len_m_);
    assert(finite(v) && finite(to));
    px_[i] = to.x;
    py_[i] = to.y;
    vx_[i] = v.x;
    vy_[i] = v.y;
    ex_[i] = nex_[i];
    ey_[i] = ney_[i];
    if (remove_at_goal_[i]) {
      const double gdx = gx_[i] - to.x, gdy = gy_[i] - to.y;
      if (gdx * gdx + gdy * gdy <= goal_r2) {
        active_[i] = 0;
        --active_count_;
        exit_us_[i] = t_end_us;
      }
    }
  }
}

}  // namespace hqdrill::peds
