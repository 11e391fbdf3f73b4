// Social-force model of Helbing, Farkas and Vicsek (2000); see the header for the equations.
#include "hqdrill/peds/social_force.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <utility>

#include "grid.hpp"

namespace hqdrill::peds {

namespace {

// Cap of the repulsion exponent (r - d)/B: with the published B it never exceeds
// cutoff/B = 19, but a user's tiny B must not overflow exp() into inf and then NaN.
constexpr double kMaxExponent = 50.0;

bool finite(Vec2 v) {
  return std::isfinite(v.x) && std::isfinite(v.y);
}

// Unit normal of a wall pointing to p, for the closest point c. A centre exactly on the
// wall gets the wall's left normal (deterministic); a degenerate wall gets +x.
Vec2 wall_normal(const Segment& w, Vec2 p, Vec2 c, double d) {
  if (d > 1e-12) return (1.0 / d) * (p - c);
  const Vec2 along = normalized(w.b - w.a);
  if (along.x == 0 && along.y == 0) return {1, 0};
  return {-along.y, along.x};
}

using detail::side;
using detail::wrap_x;

}  // namespace

SocialForceModel::SocialForceModel(SocialForceParams params) : params_(params) {
  assert(params_.relaxation_time_s > 0);
  assert(params_.cutoff_m > 0);
  assert(params_.repulsion_range_m > 0 && params_.wall_repulsion_range_m > 0);
}

std::size_t SocialForceModel::add_agent(const AgentSpec& s) {
  assert(finite(s.position) && finite(s.goal) && finite(s.velocity));
  assert(s.mass_kg > 0 && s.radius_m >= 0 && s.desired_speed_mps >= 0);
  assert(2 * s.radius_m < params_.cutoff_m);
  px_.push_back(periodic_x() ? wrap_x(s.position.x, periodic_x0_m_, periodic_len_m_)
                             : s.position.x);
  py_.push_back(s.position.y);
  vx_.push_back(s.velocity.x);
  vy_.push_back(s.velocity.y);
  v0_.push_back(s.desired_speed_mps);
  radius_.push_back(s.radius_m);
  mass_.push_back(s.mass_kg);
  active_.push_back(1);
  gx_.push_back(s.goal.x);
  gy_.push_back(s.goal.y);
  remove_at_goal_.push_back(s.remove_at_goal ? 1 : 0);
  exit_us_.push_back(-1);
  ax_.push_back(0);
  ay_.push_back(0);
  cell_of_.push_back(0);
  slot_of_.push_back(0);
  ++active_count_;
  return px_.size() - 1;
}

void SocialForceModel::set_direction_provider(DirectionProvider provider) {
  provider_ = std::move(provider);
}

void SocialForceModel::set_walls(std::vector<Segment> walls) {
  walls_ = std::move(walls);
  wall_contact_n_.assign(walls_.size(), 0.0);
  wall_load_n_.assign(walls_.size(), 0.0);
}

std::size_t SocialForceModel::add_wall(const Segment& wall) {
  walls_.push_back(wall);
  wall_contact_n_.push_back(0.0);
  wall_load_n_.push_back(0.0);
  return walls_.size() - 1;
}

void SocialForceModel::set_periodic_x(double x0_m, double length_m) {
  assert(std::isfinite(x0_m) && length_m > 2 * params_.cutoff_m);
  periodic_x0_m_ = x0_m;
  periodic_len_m_ = length_m;
  for (double& x : px_) x = wrap_x(x, x0_m, length_m);
}

void SocialForceModel::deactivate(std::size_t i) {
  if (active_[i]) {
    active_[i] = 0;
    --active_count_;
  }
}

void SocialForceModel::collect_active(std::vector<Vec2>& positions, std::vector<Vec2>& velocities,
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

double SocialForceModel::wall_contact_force_n(std::size_t w) const {
  return wall_contact_n_[w];
}

double SocialForceModel::wall_load_n(std::size_t w) const {
  return wall_load_n_[w];
}

void SocialForceModel::set_desired_speed(std::size_t i, double v0_mps) {
  assert(v0_mps >= 0);
  v0_[i] = v0_mps;
}

double SocialForceModel::wall_pressure_n_per_m(std::size_t w) const {
  const double len = norm(walls_[w].b - walls_[w].a);
  return len > 0 ? wall_contact_n_[w] / len : 0.0;
}

void SocialForceModel::step(double dt_s) {
  assert(dt_s > 0 && std::isfinite(dt_s));
  build_grid();
  compute_accelerations();
  commit(dt_s);
  elapsed_us_ += std::llround(dt_s * 1e6);
}

// Stage 1: counting sort of the active agents into a uniform grid over their bounding box,
// then the walls into the same cells. No per-cell containers: two flat arrays per kind.
void SocialForceModel::build_grid() {
  const std::size_t n = px_.size();
  const detail::Bounds bounds = detail::active_bounds(px_, py_, active_);
  double x0 = bounds.x0, y0 = bounds.y0, x1 = bounds.x1, y1 = bounds.y1;
  // Periodic mode: agents within the cut-off of the strip's start reappear beyond its end.
  ghost_of_.clear();
  if (periodic_x()) {
    for (std::size_t i = 0; i < n; ++i)
      if (active_[i] && px_[i] < periodic_x0_m_ + params_.cutoff_m) {
        ghost_of_.push_back(static_cast<std::uint32_t>(i));
        x1 = std::max(x1, px_[i] + periodic_len_m_);
      }
  }
  const std::size_t slots = active_count_ + ghost_of_.size();
  // Cell size is the cut-off, grown only if scattered agents would need a huge grid.
  const detail::GridGeometry g = detail::fit_grid(x0, y0, x1, y1, params_.cutoff_m, active_count_);
  cell_m_ = g.cell_m;
  grid_x0_ = g.x0;
  grid_y0_ = g.y0;
  grid_nx_ = g.nx;
  grid_ny_ = g.ny;
  const std::size_t cells = g.cells();
  auto cell_index = [&g](double x, double y) { return g.cell_index(x, y); };
  cell_start_.assign(cells + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!active_[i]) continue;
    const std::uint32_t c = cell_index(px_[i], py_[i]);
    cell_of_[i] = c;
    ++cell_start_[c + 1];
  }
  for (const std::uint32_t i : ghost_of_)
    ++cell_start_[cell_index(px_[i] + periodic_len_m_, py_[i]) + 1];
  for (std::size_t c = 0; c < cells; ++c) cell_start_[c + 1] += cell_start_[c];
  sx_.resize(slots);
  sy_.resize(slots);
  svx_.resize(slots);
  svy_.resize(slots);
  sr_.resize(slots);
  sid_.resize(slots);
  // Stable fill in index order: within a cell, agents stay in index order (determinism).
  fill_.assign(cell_start_.begin(), cell_start_.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    if (!active_[i]) continue;
    const std::uint32_t k = fill_[cell_of_[i]]++;
    sx_[k] = px_[i];
    sy_[k] = py_[i];
    svx_[k] = vx_[i];
    svy_[k] = vy_[i];
    sr_[k] = radius_[i];
    sid_[k] = static_cast<std::uint32_t>(i);
    slot_of_[i] = k;
  }
  // Ghosts after the agents of their cell, in agent order (deterministic).
  for (const std::uint32_t i : ghost_of_) {
    const double gx = px_[i] + periodic_len_m_;
    const std::uint32_t k = fill_[cell_index(gx, py_[i])]++;
    sx_[k] = gx;
    sy_[k] = py_[i];
    svx_[k] = vx_[i];
    svy_[k] = vy_[i];
    sr_[k] = radius_[i];
    sid_[k] = static_cast<std::uint32_t>(n + i);
  }

  // Walls: every cell overlapped by the wall's bounding box grown by the cut-off.
  detail::bin_walls(walls_, params_.cutoff_m, g, wall_cell_start_, wall_items_, fill_);
}

// Stage 2: every acceleration from the state at t (positions and velocities are only read;
// results go to ax_, ay_). The pair forces of HFV 2000 are antisymmetric (same A, B, k, kappa
// for everyone), so each pair is evaluated once, in (cell, index) order, over a half
// neighbourhood: the rest of i's cell and the next cell in its row (one contiguous range of
// the sorted arrays), then the three cells of the row above (another contiguous range).
// Periodic ghosts join the loop like agents; pairs of two ghosts are skipped.
template <bool kGhosts>
void SocialForceModel::pair_forces() {
  const SocialForceParams& p = params_;
  const double inv_b = 1.0 / p.repulsion_range_m;
  const double cut2 = p.cutoff_m * p.cutoff_m;
  const double big_a = p.repulsion_n, big_k = p.body_stiffness_kg_per_s2;
  const double kappa = p.friction_kg_per_m_s;
  [[maybe_unused]] const auto n_agents = static_cast<std::uint32_t>(px_.size());

  auto pair_range = [&](std::uint32_t a, std::uint32_t b0, std::uint32_t b1) {
    const double xa = sx_[a], ya = sy_[a], vxa = svx_[a], vya = svy_[a], ra = sr_[a];
    [[maybe_unused]] const bool a_ghost = kGhosts && sid_[a] >= n_agents;
    double fxa = 0, fya = 0;
    for (std::uint32_t b = b0; b < b1; ++b) {
      if constexpr (kGhosts) {
        // Two ghosts: their agents' pair is already counted directly.
        if (a_ghost && sid_[b] >= n_agents) continue;
      }
      const double dx = xa - sx_[b], dy = ya - sy_[b];
      const double d2 = dx * dx + dy * dy;
      if (d2 >= cut2) continue;
      const double d = std::sqrt(d2);
      double nx, ny;  // unit vector from b to a
      if (d > 1e-12) {
        const double inv_d = 1.0 / d;
        nx = dx * inv_d;
        ny = dy * inv_d;
      } else {  // coincident centres: the lower agent index is pushed to +x
        nx = sid_[a] < sid_[b] ? 1.0 : -1.0;
        ny = 0.0;
      }
      const double overlap = ra + sr_[b] - d;
      const double f = big_a * std::exp(std::min(overlap * inv_b, kMaxExponent));
      double fx = f * nx, fy = f * ny;
      if (overlap > 0) {
        // Body force k g n and sliding friction kappa g ((v_b - v_a) . t) t, t = (-n_y, n_x).
        const double tx = -ny, ty = nx;
        const double dvt = (svx_[b] - vxa) * tx + (svy_[b] - vya) * ty;
        const double fb = big_k * overlap, ft = kappa * overlap * dvt;
        fx += fb * nx + ft * tx;
        fy += fb * ny + ft * ty;
      }
      fxa += fx;
      fya += fy;
      sfx_[b] -= fx;
      sfy_[b] -= fy;
    }
    sfx_[a] += fxa;
    sfy_[a] += fya;
  };
  for (std::size_t cy = 0; cy < grid_ny_; ++cy) {
    for (std::size_t cx = 0; cx < grid_nx_; ++cx) {
      const std::size_t c = cy * grid_nx_ + cx;
      const std::uint32_t own_end = cell_start_[std::min(cx + 2, grid_nx_) + cy * grid_nx_];
      std::uint32_t up0 = 0, up1 = 0;
      if (cy + 1 < grid_ny_) {
        const std::size_t row = (cy + 1) * grid_nx_;
        up0 = cell_start_[row + (cx > 0 ? cx - 1 : 0)];
        up1 = cell_start_[row + std::min(cx + 2, grid_nx_)];
      }
      for (std::uint32_t a = cell_start_[c]; a < cell_start_[c + 1]; ++a) {
        pair_range(a, a + 1, own_end);
        pair_range(a, up0, up1);
      }
    }
  }
  if constexpr (kGhosts) {
    // A ghost's pair forces act on its agent.
    for (std::size_t k = 0; k < sid_.size(); ++k)
      if (sid_[k] >= n_agents) {
        const std::uint32_t slot = slot_of_[sid_[k] - n_agents];
        sfx_[slot] += sfx_[k];
        sfy_[slot] += sfy_[k];
      }
  }
}

void SocialForceModel::compute_accelerations() {
  const SocialForceParams& p = params_;
  const double inv_tau = 1.0 / p.relaxation_time_s;
  const double inv_bw = 1.0 / p.wall_repulsion_range_m;
  const double cut2 = p.cutoff_m * p.cutoff_m;
  std::fill(wall_contact_n_.begin(), wall_contact_n_.end(), 0.0);
  std::fill(wall_load_n_.begin(), wall_load_n_.end(), 0.0);
  sfx_.assign(sx_.size(), 0.0);
  sfy_.assign(sx_.size(), 0.0);
  if (ghost_of_.empty())
    pair_forces<false>();
  else
    pair_forces<true>();

  const std::size_t n = px_.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (!active_[i]) continue;
    const double xi = px_[i], yi = py_[i], vxi = vx_[i], vyi = vy_[i], ri = radius_[i];
    const double m = mass_[i];
    const std::size_t c = cell_of_[i];

    // Driving force m (v0 e - v) / tau (HFV 2000, eq. 1), plus the pair forces.
    Vec2 e = normalized(provider_ ? provider_(i, {xi, yi}) : Vec2{gx_[i] - xi, gy_[i] - yi});
    if (!finite(e)) e = {0, 0};  // a provider returning inf: no desired direction
    double fx = m * (v0_[i] * e.x - vxi) * inv_tau + sfx_[slot_of_[i]];
    double fy = m * (v0_[i] * e.y - vyi) * inv_tau + sfy_[slot_of_[i]];

    // Wall forces (HFV 2000, eq. 3) from the closest point of each wall binned in i's cell.
    for (std::uint32_t k = wall_cell_start_.empty() ? 0 : wall_cell_start_[c],
                       k1 = wall_cell_start_.empty() ? 0 : wall_cell_start_[c + 1];
         k < k1; ++k) {
      const std::uint32_t wi = wall_items_[k];
      const Segment& w = walls_[wi];
      const Vec2 pos{xi, yi};
      const Vec2 cp = closest_point(w, pos);
      const double d = norm(pos - cp);
      if (d * d >= cut2) continue;
      const Vec2 nw = wall_normal(w, pos, cp, d);
      const double overlap = ri - d;
      double f = p.wall_repulsion_n * std::exp(std::min(overlap * inv_bw, kMaxExponent));
      if (overlap > 0) {
        const double body = p.wall_body_stiffness_kg_per_s2 * overlap;
        f += body;
        wall_contact_n_[wi] += body;
        const double tx = -nw.y, ty = nw.x;
        const double ft = -p.wall_friction_kg_per_m_s * overlap * (vxi * tx + vyi * ty);
        fx += ft * tx;
        fy += ft * ty;
      }
      wall_load_n_[wi] += f;
      fx += f * nw.x;
      fy += f * nw.y;
    }

    ax_[i] = fx / m;
    ay_[i] = fy / m;
    assert(std::isfinite(ax_[i]) && std::isfinite(ay_[i]));
  }
}

// A motion from -> to that would cross a wall is cut short so that the centre ends at most
// 1 mm short of the wall (or halfway, when already closer) on the side it started on, and
// the velocity loses its component into the wall. A motion that would end less than 1e-9 m
// from the wall is not made at all, so rounding can never put a centre on the far side.
// Crossings within 1e-9 of a wall end (relative) count: agents go around corners, not
// through the joint of two walls.
Vec2 SocialForceModel::clip_to_walls(std::size_t i, Vec2 from, Vec2 to, Vec2& v) const {
  const double move = norm(to - from);
  const bool all_walls = move >= params_.cutoff_m || wall_cell_start_.empty();
  const std::size_t c = cell_of_[i];
  const std::size_t k0 = all_walls ? 0 : wall_cell_start_[c];
  const std::size_t k1 = all_walls ? walls_.size() : wall_cell_start_[c + 1];
  for (std::size_t k = k0; k < k1; ++k) {
    const Segment& w = walls_[all_walls ? k : wall_items_[k]];
    const double s0 = side(w, from), s1 = side(w, to);
    if (s0 == 0) continue;  // on the wall's line: any way out is not a crossing
    if ((s0 > 0 && s1 > 0) || (s0 < 0 && s1 < 0)) continue;
    const double t_hit = s0 / (s0 - s1);  // in (0, 1]
    const Vec2 hit = from + t_hit * (to - from);
    const Vec2 ab = w.b - w.a;
    const double len2 = dot(ab, ab);
    if (len2 <= 0) continue;
    const double u = dot(hit - w.a, ab) / len2;
    if (u < -1e-9 || u > 1 + 1e-9) continue;
    // Perpendicular distances (m) of from/to to the wall line.
    const double len = std::sqrt(len2);
    const double d0 = std::abs(s0) / len;
    const double keep = std::min(1e-3, 0.5 * d0);
    double t =
        keep < 1e-9 ? 0.0 : (std::abs(s0) / len - keep) / ((std::abs(s0) + std::abs(s1)) / len);
    t = std::clamp(t, 0.0, 1.0);
    to = from + t * (to - from);
    if (side(w, to) * s0 <= 0) to = from;  // rounding guard
    // Remove the velocity component towards the wall.
    const Vec2 nrm = (s0 > 0 ? 1.0 : -1.0) * (1.0 / len) * Vec2{-ab.y, ab.x};
    const double vn = dot(v, nrm);
    if (vn < 0) v = v + (-vn) * nrm;
  }
  return to;
}

// Stage 3: commit. Semi-implicit Euler: v += a dt, clamp |v| <= max_speed_factor v0,
// x += v dt, clip at walls, remove agents at their goals.
void SocialForceModel::commit(double dt_s) {
  const std::size_t n = px_.size();
  const std::int64_t t_end_us = elapsed_us_ + std::llround(dt_s * 1e6);
  const double goal_r2 = params_.goal_radius_m * params_.goal_radius_m;
  for (std::size_t i = 0; i < n; ++i) {
    if (!active_[i]) continue;
    Vec2 v{vx_[i] + ax_[i] * dt_s, vy_[i] + ay_[i] * dt_s};
    const double vmax = params_.max_speed_factor * v0_[i];
    const double speed2 = dot(v, v);
    if (speed2 > vmax * vmax) {
      const double speed = std::sqrt(speed2);
      v = speed > 0 ? (vmax / speed) * v : Vec2{0, 0};
    }
    const Vec2 from{px_[i], py_[i]};
    Vec2 to = from + dt_s * v;
    if (!walls_.empty()) to = clip_to_walls(i, from, to, v);
    if (periodic_x()) to.x = wrap_x(to.x, periodic_x0_m_, periodic_len_m_);
    assert(finite(v) && finite(to));
    px_[i] = to.x;
    py_[i] = to.y;
    vx_[i] = v.x;
    vy_[i] = v.y;
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

double line_pressure(const Segment& line, const SocialForceModel& model) {
  const double len = norm(line.b - line.a);
  if (len <= 0) return 0.0;
  const double k = model.params().wall_body_stiffness_kg_per_s2;
  double total = 0;
  for (std::size_t i = 0; i < model.size(); ++i) {
    if (!model.active(i)) continue;
    const Vec2 pos = model.position(i);
    const double overlap = model.radius_m(i) - norm(pos - closest_point(line, pos));
    if (overlap > 0) total += k * overlap;
  }
  return total / len;
}

}  // namespace hqdrill::peds
