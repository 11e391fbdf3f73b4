// Storage-cell flood network (cells.hpp).
//
// Stability rule. Flows are explicit (from the levels at the start of the step). Every
// link l between cells i and j carries Q_l = K_l (eta_i - eta_j) with K_l = |Q_l| / d_l its
// secant conductance (d_l the head driving it: the level difference, or the head over the
// crest/invert when that is smaller). The explicit update of a cell is then
//   eta_i' = eta_i (1 - dt sum_l K_l / A_i) + dt / A_i sum_l K_l eta_j + forcing,
// the explicit scheme for a diffusion equation on the cell graph (weir and orifice laws
// are monotone in the level difference, so the links are diffusive-like). It is monotone
// (no overshoot of the levels it relaxes towards, no oscillation) when
// dt sum_l K_l / A_i <= 1 for every cell: the usual explicit storage-cell restriction
// (LISFLOOD-FP storage cells, Bates and De Roo 2000; SWMM's explicit node routing,
// Rossman 2017 Vol. II). We use dt <= theta A_i / sum_l K_l with theta = 0.5 for margin.
// The orifice law (~sqrt(dH)) and Villemonte's law (~dH^0.385 as the levels meet) have an
// unbounded conductance as dH -> 0, so below kLinearHead_m they are replaced by the
// straight line through 0 and their value at kLinearHead_m (continuous, monotone, K
// bounded): the steps stay finite when two cells settle to one level.
// In addition dt <= max_level_change_m A_i / |net inflow_i| (accuracy), dt <= max_dt, and
// steps stop at the next breakpoint of a forcing series and at the target time.
#include "hqdrill/flood/cells.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace hqdrill::flood {

namespace {

constexpr double kG = 9.80665;          // m/s2
constexpr double kTheta = 0.5;          // fraction of the diffusive limit
constexpr double kLinearHead_m = 1e-3;  // links are linear in dH below this head
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMmPerHourToMps = 1.0 / 3.6e6;

struct LinkFlow {
  double q = 0.0;  ///< m3/s, positive from -> to
  double d = 0.0;  ///< driving head (m) for the conductance |q| / d
};

// Broad-crested weir, free flow Q = C L H1^1.5 (C = 1.705 m^0.5/s = (2/3)^1.5 sqrt(g), the SI
// broad-crested weir; Rossman 2017, SWMM Reference Manual Vol. II, "Weirs"), reduced when the
// downstream head H2 over the crest is positive by Villemonte (1947), "Submerged weir
// discharge studies", Engineering News-Record 139: Q = Q_free (1 - (H2/H1)^n)^0.385 with
// n = 1.5 the exponent of the free law.
double weir_law(double h1, double h2, double c, double length) {
  const double free = c * length * std::pow(h1, 1.5);
  if (h2 <= 0.0) return free;
  return free * std::pow(std::max(0.0, 1.0 - std::pow(h2 / h1, 1.5)), 0.385);
}

LinkFlow weir_flow(double eta_a, double eta_b, const WeirSpec& w) {
  double up = eta_a, down = eta_b, sign = 1.0;
  if (eta_b > eta_a) std::swap(up, down), sign = -1.0;
  const double h1 = up - w.crest_m;
  if (h1 <= 0.0) return {};
  const double diff = up - down;  // +inf for the outside
  double q = 0.0;
  if (diff >= kLinearHead_m) {
    q = weir_law(h1, down - w.crest_m, w.coeff, w.length_m);
  } else {
    q = weir_law(h1, h1 - kLinearHead_m, w.coeff, w.length_m) * diff / kLinearHead_m;
  }
  return {sign * q, std::min(diff, h1)};
}

// Orifice Q = Cd a sqrt(2 g dH) (Torricelli; Rossman 2017, SWMM Reference Manual Vol. II,
// "Orifices"), Cd = 0.6 for a sharp-edged opening. A level below the invert counts as the
// invert, so there is no flow while both are below it and free discharge when one is.
LinkFlow orifice_flow(double eta_a, double eta_b, const OrificeSpec& o) {
  const double ea = std::max(eta_a, o.invert_m);
  const double eb = std::max(eta_b, o.invert_m);
  const double diff = std::abs(ea - eb);
  if (diff <= 0.0) return {};
  const double k = o.cd * o.area_m2 * std::sqrt(2.0 * kG);
  const double q = diff >= kLinearHead_m ? k * std::sqrt(diff)
                                         : k * std::sqrt(kLinearHead_m) * diff / kLinearHead_m;
  return {ea >= eb ? q : -q, diff};
}

}  // namespace

// ------------------------------------------------------------------------- Series

double Series::linear(double t_s) const {
  if (points.empty()) return 0.0;
  if (t_s <= points.front().first) return points.front().second;
  if (t_s >= points.back().first) return points.back().second;
  const auto it = std::upper_bound(points.begin(), points.end(), t_s,
                                   [](double t, const auto& p) { return t < p.first; });
  const auto& b = *it;
  const auto& a = *(it - 1);
  const double span = b.first - a.first;
  if (span <= 0.0) return b.second;
  return a.second + (b.second - a.second) * (t_s - a.first) / span;
}

double Series::step(double t_s) const {
  double v = 0.0;
  for (const auto& p : points) {
    if (p.first > t_s) break;
    v = p.second;
  }
  return v;
}

double Series::next_break(double t_s) const {
  for (const auto& p : points)
    if (p.first > t_s) return p.first;
  return kInf;
}

// -------------------------------------------------------------------- CellNetwork

CellNetwork::CellNetwork(CellNetworkSpec spec) : spec_(std::move(spec)) {
  const auto n = static_cast<Eigen::Index>(spec_.cells.size());
  area_.resize(n);
  ground_.resize(n);
  h_.resize(n);
  runoff_area_ = Eigen::VectorXd::Zero(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const CellSpec& c = spec_.cells[static_cast<std::size_t>(i)];
    assert(c.area_m2 > 0.0 && c.initial_depth_m >= 0.0);
    area_[i] = c.area_m2;
    ground_[i] = c.ground_m;
    h_[i] = c.initial_depth_m;
    if (!spec_.runoff_coeff.empty() && !spec_.catchment_m2.empty())
      runoff_area_[i] = spec_.runoff_coeff[static_cast<std::size_t>(i)] *
                        spec_.catchment_m2[static_cast<std::size_t>(i)];
  }
  assert(spec_.inflow_m3s.empty() || spec_.inflow_m3s.size() == spec_.cells.size());
  boundary_of_.assign(spec_.cells.size(), -1);
  for (std::size_t b = 0; b < spec_.boundary_levels.size(); ++b) {
    const int cell = spec_.boundary_levels[b].first;
    assert(cell >= 0 && cell < n);
    boundary_of_[static_cast<std::size_t>(cell)] = static_cast<int>(b);
  }
  for ([[maybe_unused]] const WeirSpec& w : spec_.weirs)
    assert(w.from >= 0 && w.from < n && (w.to == kOutside || (w.to >= 0 && w.to < n)));
  for ([[maybe_unused]] const OrificeSpec& o : spec_.orifices)
    assert(o.from >= 0 && o.from < n && (o.to == kOutside || (o.to >= 0 && o.to < n)));
  for ([[maybe_unused]] const PumpSpec& p : spec_.pumps)
    assert(p.from >= 0 && p.from < n && (p.to == kOutside || (p.to >= 0 && p.to < n)));
  assert(spec_.max_dt_s > 0.0 && spec_.max_level_change_m > 0.0);
  apply_boundaries(0.0);
  v0_ = stored_volume_m3();
}

void CellNetwork::apply_boundaries(double t_s) {
  for (const auto& [cell, series] : spec_.boundary_levels)
    h_[cell] = std::max(0.0, series.linear(t_s) - ground_[cell]);
}

double CellNetwork::depth_m(int cell) const {
  assert(cell >= 0 && cell < cell_count());
  return h_[cell];
}

double CellNetwork::level_m(int cell) const {
  assert(cell >= 0 && cell < cell_count());
  return ground_[cell] + h_[cell];
}

void CellNetwork::set_pump_on(int pump, bool on) {
  assert(pump >= 0 && pump < static_cast<int>(spec_.pumps.size()));
  spec_.pumps[static_cast<std::size_t>(pump)].on = on;
}

void CellNetwork::add_runoff_area(int cell, double m2) {
  assert(cell >= 0 && cell < cell_count() && m2 >= 0.0);
  runoff_area_[cell] += m2;
}

void CellNetwork::set_weir_crest(int weir, double crest_m) {
  assert(weir >= 0 && weir < static_cast<int>(spec_.weirs.size()));
  spec_.weirs[static_cast<std::size_t>(weir)].crest_m = crest_m;
}

double CellNetwork::stored_volume_m3() const {
  double v = 0.0;
  for (Eigen::Index i = 0; i < h_.size(); ++i)
    if (boundary_of_[static_cast<std::size_t>(i)] < 0) v += area_[i] * h_[i];
  return v;
}

double CellNetwork::volume_residual_m3() const {
  return stored_volume_m3() - v0_ - in_m3_ + out_m3_;
}

void CellNetwork::advance_to(double t_s) {
  assert(t_s >= t_);
  while (t_ < t_s) t_ = step(t_s);
  apply_boundaries(t_);
}

// One explicit step from t_ towards t_target; returns the new time.
double CellNetwork::step(double t_target) {
  const Eigen::Index n = h_.size();
  apply_boundaries(t_);
  const Eigen::VectorXd eta = ground_ + h_;
  auto is_cell = [&](int c) {
    return c != kOutside && boundary_of_[static_cast<std::size_t>(c)] < 0;
  };
  auto level = [&](int c) { return c == kOutside ? -kInf : eta[c]; };

  // Link and pump flows at the start of the step.
  std::vector<LinkFlow> flows;
  std::vector<std::pair<int, int>> ends;
  flows.reserve(spec_.weirs.size() + spec_.orifices.size() + spec_.pumps.size());
  for (const WeirSpec& w : spec_.weirs) {
    flows.push_back(weir_flow(eta[w.from], level(w.to), w));
    ends.emplace_back(w.from, w.to);
  }
  for (const OrificeSpec& o : spec_.orifices) {
    flows.push_back(orifice_flow(eta[o.from], level(o.to), o));
    ends.emplace_back(o.from, o.to);
  }
  const std::size_t n_links = flows.size();
  for (const PumpSpec& p : spec_.pumps) {
    const bool runs = p.on && (h_[p.from] > 0.0 || !is_cell(p.from));
    flows.push_back({runs ? p.capacity_m3s : 0.0, 0.0});
    ends.emplace_back(p.from, p.to);
  }

  // Forcing rates at the start of the step (m3/s), non-boundary cells only.
  const double rain_mps = spec_.rain_mm_h.step(t_) * kMmPerHourToMps;
  Eigen::VectorXd force = Eigen::VectorXd::Zero(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!is_cell(static_cast<int>(i))) continue;
    force[i] = runoff_area_[i] * rain_mps;
    if (!spec_.inflow_m3s.empty())
      force[i] += spec_.inflow_m3s[static_cast<std::size_t>(i)].linear(t_);
  }

  // Net rates and conductances per cell.
  Eigen::VectorXd net = force;
  Eigen::VectorXd sum_k = Eigen::VectorXd::Zero(n);
  for (std::size_t l = 0; l < flows.size(); ++l) {
    const auto [a, b] = ends[l];
    net[a] -= flows[l].q;
    if (b != kOutside) net[b] += flows[l].q;
    if (l < n_links && flows[l].d > 0.0) {
      const double k = std::abs(flows[l].q) / flows[l].d;
      sum_k[a] += k;
      if (b != kOutside) sum_k[b] += k;
    }
  }

  // Time step.
  double dt = std::min(spec_.max_dt_s, t_target - t_);
  dt = std::min(dt, spec_.rain_mm_h.next_break(t_) - t_);
  for (const Series& s : spec_.inflow_m3s) dt = std::min(dt, s.next_break(t_) - t_);
  for (const auto& bl : spec_.boundary_levels) dt = std::min(dt, bl.second.next_break(t_) - t_);
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!is_cell(static_cast<int>(i))) continue;
    if (sum_k[i] > 0.0) dt = std::min(dt, kTheta * area_[i] / sum_k[i]);
    if (net[i] != 0.0) dt = std::min(dt, spec_.max_level_change_m * area_[i] / std::abs(net[i]));
  }
  // Hostile numbers (a vanishing cell, infinite levels) must not stall the run.
  if (!(dt > 1e-6) || !std::isfinite(dt))
    throw std::runtime_error("flood cells: the time step fell to " + std::to_string(dt) +
                             " s at t = " + std::to_string(t_) +
                             " s (a cell too small or a level out of range)");

  // Forcing volumes over [t, t + dt]: exact, as no forcing breakpoint lies inside the step
  // (rain piecewise constant, inflow linear: the trapezoid is exact).
  Eigen::VectorXd dv = Eigen::VectorXd::Zero(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!is_cell(static_cast<int>(i))) continue;
    double v = runoff_area_[i] * rain_mps * dt;
    if (!spec_.inflow_m3s.empty()) {
      const Series& s = spec_.inflow_m3s[static_cast<std::size_t>(i)];
      v += 0.5 * (s.linear(t_) + s.linear(t_ + dt)) * dt;
    }
    dv[i] = v;
    in_m3_ += v;
  }

  // Limiter: a cell whose outflows over the step exceed its water plus its forcing has
  // all of its outflows scaled down to what it holds (inflows from links not counted).
  Eigen::VectorXd out = Eigen::VectorXd::Zero(n);
  auto source_of = [&](std::size_t l) {
    return flows[l].q >= 0.0 ? ends[l].first : ends[l].second;
  };
  for (std::size_t l = 0; l < flows.size(); ++l)
    if (flows[l].q != 0.0) out[source_of(l)] += std::abs(flows[l].q) * dt;
  Eigen::VectorXd scale = Eigen::VectorXd::Ones(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!is_cell(static_cast<int>(i))) continue;
    const double avail = area_[i] * h_[i] + dv[i];
    if (out[i] > avail) scale[i] = std::max(0.0, avail) / out[i];
  }

  // Transfers, booked: water leaving a boundary cell comes in, water reaching a boundary
  // cell or the outside goes out.
  for (std::size_t l = 0; l < flows.size(); ++l) {
    if (flows[l].q == 0.0) continue;
    const int from = flows[l].q >= 0.0 ? ends[l].first : ends[l].second;
    const int to = flows[l].q >= 0.0 ? ends[l].second : ends[l].first;
    const double v = std::abs(flows[l].q) * dt * scale[from];
    if (is_cell(from))
      dv[from] -= v;
    else
      in_m3_ += v;
    if (is_cell(to))
      dv[to] += v;
    else
      out_m3_ += v;
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!is_cell(static_cast<int>(i))) continue;
    h_[i] = std::max(0.0, h_[i] + dv[i] / area_[i]);  // max: round-off of an emptied cell
  }

  ++steps_;
  const double t_new =
      (t_target - (t_ + dt) <= 1e-9 * std::max(1.0, t_target)) ? t_target : t_ + dt;
  assert(std::abs(volume_residual_m3()) <= 1e-9 * (1.0 + v0_ + in_m3_ + out_m3_));
  return t_new;
}

}  // namespace hqdrill::flood
