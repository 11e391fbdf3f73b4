// Two-zone fire model of a network of rooms (network.hpp), after the CFAST 7 Technical
// Reference Guide (Peacock, McGrattan, Forney & Reneke, NIST TN 1889v1).
//
// State per room, in conserved variables: the masses m_u, m_l of the two layers, their
// internal energies above ambient e = c_v m (T - T_amb) (J; zero at rest, so a room at
// ambient is exactly at ambient), the energy released by the room's fire (kJ) and the
// room's pressure rise p_x (Pa; nonzero only while the room belongs to a sealed group,
// below). Global running totals: mass in and out through outside vents, their net
// enthalpy, wall loss, fuel mass added, radiated energy. With these variables the CFAST
// layer equations (Tech. Ref. ch. 2; zone.hpp) read
//   dm_i/dt = m_dot_i,
//   dU_i/dt = (q_i + V_i dP/dt) / gamma,     U_i = c_v m_i T_i = P V_i / (gamma - 1),
//   dP/dt   = (gamma - 1) / V (q_u + q_l),
// which is the same ODE as zone.cpp's (P, V_u, T_u, T_l) form, but mass and energy are
// linear in the state, so Runge-Kutta keeps the conservation books to round-off whatever
// the integration error.
//
// Constant pressure (as zone.cpp, extended to a vector): every room connected to the
// outside through open or leaking vents has dP/dt = 0, and at every evaluation the floor
// pressure differences dp (room minus outside at the room's floor elevation) of all rooms
// are solved so that each room's net enthalpy source q_u + q_l, i.e. its volume source
// (gamma - 1)/(gamma P) (q_u + q_l), is zero. Newton's method with the analytic Jacobian
// of the segment flows (below) and a backtracking line search, warm-started from the last
// solution; if it fails, Gauss-Seidel sweeps of a bisection on each room's own pressure
// (each room's source decreases monotonically with its own pressure), then Newton again.
// A group of rooms with no path to the outside (all its vents to the rest closed and
// tight) is "sealed": its rooms share dP/dt = (gamma - 1) sum q / sum V (as zone.cpp's
// sealed room, CFAST's equation), one room of the group fixes the gauge (dp = 0) and the
// others' dp solve q_i = V_i / V_group sum q. When a sealed group gets a path to the
// outside, its pressure rise is released at once: each layer expands isentropically to
// ambient pressure (T ~ P^((gamma-1)/gamma), m ~ P^(1/gamma), volumes unchanged), the
// expelled mass and energy booked as outflow.
//
// Hydrostatics (Tech. Ref. ch. 4) are taken relative to the outside atmosphere at the
// same absolute elevation z: in room r, p_r(z) - p_out(z) = dp_r - g (rho_l - rho_amb)
// min(z - z_f, z_i) - g (rho_u - rho_amb) max(z - z_f - z_i, 0), with z_f the room's floor
// elevation and z_i its interface height above the floor. Rooms at ambient therefore see
// exactly zero pressure difference across any vent, at any elevation.
//
// Wall vents (Tech. Ref. ch. 4): the opening, in absolute elevations, is cut at both
// rooms' interfaces; on each piece the pressure difference is linear, cut again at its
// zero (the neutral plane), and the flow of each sub-segment is Bernoulli's integrated
// over it, 2/3 C sqrt(2 rho) w (t - b) (|Pt| + sqrt|Pt Pb| + |Pb|)/(sqrt|Pt| + sqrt|Pb|)
// with C = 0.7 and rho of the layer it leaves. Its derivative with respect to a uniform
// shift of the pressure difference is C sqrt(2 rho) w (t - b) / (sqrt|Pt| + sqrt|Pb|) (the
// moving neutral plane adds nothing, the integrand vanishes there): the Newton Jacobian.
// Gas entering a room goes into its upper layer if hotter than its lower layer, else into
// the lower layer (CFAST's rule without spill-plume entrainment); outside air at ambient
// therefore enters the lower layer, as in zone.cpp.
//
// Plume, fire and wall loss per room exactly as zone.cpp (Heskestad entrainment with the
// weak-plume limit and ambient properties, convective HRR and fuel mass into the upper
// layer, lumped wall loss with h_k at the time since t = 0 of the network, as zone.cpp
// takes it since its ignition).
//
// Oxygen (CFAST Tech. Ref., "Species Transport"): the oxygen masses o_u, o_l of the two
// layers are state (kg), with the running totals of oxygen in and out through outside
// vents. Every mass flow carries the oxygen mass fraction Y = o / m of the layer it
// leaves (outside air: ambient_o2_mass_fraction, 0.2314); the plume moves m_e Y_l from
// the lower layer to the upper one; the fire consumes Q / dH_O2 (dH_O2 = 13100 kJ/kg,
// Huggett 1980) out of the gas its plume brings, i.e. from the upper layer into which the
// plume delivers it. The fuel's own mass enters the upper layer without oxygen. The
// oxygen consumed by a room's fire is its released energy / dH_O2, so the books need no
// extra state for it.
//
// Fire per room (network.hpp): the fuel-controlled Q_f = min(growth(t - ignition), peak,
// decay, hold, knockdown), then CFAST's oxygen limit (Tech. Ref. section "Heat Release
// Rate"; CFAST 7 source, fire routines, subroutines do_fire and chemistry):
//   Q = min(Q_f, m_e Y_O2 C_LOL(Y_O2) dH_O2),
//   C_LOL(Y) = (tanh(800 (Y - Y_l) - 4) + 1) / 2,   Y_l = 0.15 (a mass fraction),
// first for the plume below the interface (m_e: the Heskestad entrainment of lower-layer
// gas, with the weak-plume and lower-layer-content caps of zone.cpp, Y of the lower
// layer), then what is left of Q_f burns in the upper layer with the upper layer's oxygen
// (m_e: Heskestad over the upper layer's depth with its density and temperature, at most
// 10 upper layers a second), as CFAST's do_fire. As CFAST, the lower plume's entrainment
// is evaluated twice when the oxygen limits the fire: once for Q_f, then for the limited
// Q (a weaker plume entrains less), and the limit applied again, so that the oxygen
// consumed never exceeds what the plume brings (CFAST scales m_e by Q / Q_f instead,
// which can burn more oxygen than entrained). Unburnt fuel is not tracked (the fuel mass
// added to the upper layer is Q / heat_of_combustion of what burns). There is no
// instantaneous ventilation cap: the vents limit the fire only through the oxygen they
// let in. The energy released is a state; the decay (hrr.hpp, EN 1991-1-2 annex E.4)
// starts at the end of the step where 70 % of the fire load is reached and is written on
// the energy left R, Q = Q_d sqrt(R / R_0), which is the linear fall of hrr.hpp while
// nothing else caps Q and ends exactly when the fire load is spent.
//
// Integration: classical RK4 with step doubling and local extrapolation (error estimate
// |y_h - y_h/2| / 15 on V_u, T_u, T_l and the pressure rise, relative 1e-7, as zone.cpp,
// and on the layers' oxygen mass fractions relative to the ambient one),
// step at most max_step_s. Discrete events are applied between steps: the step is
// shortened to land on every known time (ignitions, suppress/hold, door failures, the end
// of a knockdown); state-triggered events are detected at the end of the accepted step
// where their condition first holds (flashover: its time interpolated linearly inside the
// step on T_u, or on Q - Q_fo; window breakage and decay start: the step's end), so their
// resolution is one step (<= max_step_s).
#include "hqdrill/fire/network.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <utility>

#include "hqdrill/fire/zone.hpp"

namespace hqdrill::fire {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kCv = kCpJPerKgK / kGamma;  // J/(kg K)

// Integration, as zone.cpp.
constexpr double kTol = 1e-7;
constexpr double kMinStep = 1e-6;
// Two event times closer than this are the same instant.
constexpr double kTimeEps = 1e-9;

// Pressure solve: converged when each room's |q_u + q_l| is below kSolveRelTol of the
// enthalpy flows through it + kSolveAbsTolW + what a few ulps of its pressure change, or
// when the Newton step has shrunk to the pressures' round-off. Unresolved residuals go
// into the energy residual (mass is exact regardless).
constexpr double kSolveRelTol = 1e-11;
constexpr double kSolveAbsTolW = 1e-6;
constexpr int kNewtonMaxIter = 30;
constexpr int kLineSearchMax = 30;
constexpr int kGaussSeidelSweeps = 100;
// A segment with no pressure difference at all has an infinitely steep flow; its Jacobian
// entry is taken as if sqrt|Pt| + sqrt|Pb| were this (sqrt(Pa)), so that Newton's first
// step moves off zero by a plausible amount (about F / (k / 1e-3)); the line search does
// the rest.
constexpr double kDenFloor = 1e-3;

// Gas entering a room goes to its upper layer if hotter than its lower layer by more
// than this (K): ambient air entering a lower layer at ambient must not flip between the
// layers on the round-off of T_l.
constexpr double kRouteMarginK = 1e-6;

// State layout: per room, then the global running totals.
enum : int { kMu, kMl, kEu, kEl, kEfire, kPx, kOu, kOl, kPerRoom };
enum : int { kMin, kMout, kHnet, kWall, kFuel, kRad, kO2in, kO2out, kGlobals };

// CFAST's lower-oxygen-limit smoothing (Tech. Ref., "Heat Release Rate"): 0 at and below
// the limit, 1/2 at limit + 0.005, 1 from about limit + 0.01.
double c_lol(double y_o2, double limit) {
  return 0.5 * (std::tanh(800.0 * (y_o2 - limit) - 4.0) + 1.0);
}

enum class EventKind { kIgnite, kSuppress, kHold, kVentFails, kBreakpoint };
struct Event {
  double t = 0.0;
  EventKind kind = EventKind::kBreakpoint;
  int index = 0;
};

}  // namespace

struct FireNetwork::Impl {
  // A room's fire: the discrete part of its state.
  struct Fire {
    bool ignited = false;
    double ignite_s = kInf;
    bool decaying = false;  // decay phase: Q = Q_d sqrt(remaining / remaining at start)
    double decay_q_kw = 0.0, decay_r0_kj = 0.0;
    bool suppressed = false;  // suppress(): Q <= Q_s (1 - (t - t_s)/knockdown)
    double suppress_s = kInf, suppress_q_kw = 0.0;
    bool held = false;  // hold(): Q <= Q_h
    double hold_q_kw = kInf;
    bool out = false;
  };
  // Gas of a room at one evaluation.
  struct Gas {
    double tu = 0, tl = 0, rho_u = 0, rho_l = 0, vu = 0, vl = 0;
    double zi = 0;            // interface above the floor (layer volumes clamped as zone.cpp)
    double zi_abs = 0;        // same, absolute elevation
    double zf = 0;            // floor elevation
    double a_u = 0, a_l = 0;  // g (rho - rho_amb) of each layer
    double s2u = 0, s2l = 0;  // sqrt(2 rho)
    double yu = 0, yl = 0;    // oxygen mass fractions
  };
  // Pressure of a room relative to the outside atmosphere at absolute elevation z (Pa).
  static double side_dp(const Gas& g, double dpr, double z) {
    const double zr = z - g.zf;
    return dpr - g.a_l * std::min(zr, g.zi) - g.a_u * std::max(zr - g.zi, 0.0);
  }
  // Flows into a room's layers from the vents (kg/s, W).
  struct Acc {
    double mu = 0, hu = 0, ml = 0, hl = 0, ou = 0, ol = 0;
  };
  // The fire of a room at one evaluation: HRR (kW), the part burnt in the lower plume
  // (kW) and the lower plume's entrainment (kg/s).
  struct Burn {
    double q = 0, q_lower = 0, me = 0;
  };

  explicit Impl(NetworkSpec s);

  // Physics.
  void gas_from(const double* y);
  double fuel_hrr_kw(int r, double t, double e_kj) const;
  Burn burn(int r, double t, double e_kj) const;
  double hrr_now_kw(int r);
  void rhs(double t, const double* y, double* d);
  void eval(const double* dpv, bool jac);
  void sub_segment(int i, int j, double w, double lo, double hi, double dlo, double dhi, bool up_i,
                   bool up_j, bool jac);
  void project(bool jac);
  bool converged() const;
  double merit(const std::vector<double>& scale0) const;
  bool lu_solve();
  bool newton();
  void gauss_seidel();
  void solve_pressures();

  // Integration and events.
  void rk4(double t, const double* y0, double h, const double* k1, double* out);
  double error_norm(const double* a, const double* b) const;
  bool valid(const double* y) const;
  void advance_to(double t_end);
  void clamp_layers();
  void post_step(double t0, double h);
  void apply_due_events();
  double next_event_s() const;
  void push_event(double t_ev, EventKind k, int index);
  void do_ignite(int r, double when);
  void do_suppress(int r, double when);
  void do_hold(int r, double when);
  void schedule_ignition(int r, double when);
  void on_flashover(int r, double t_fo);
  void on_vent_opened(int v, double when);
  void vents_changed();
  void topology();
  void release(int r);
  void sync();

  double total_mass_kg() const;
  double total_energy_kj() const;
  double total_o2_kg() const;

  int idx(int r, int k) const { return r * kPerRoom + k; }
  int gidx(int k) const { return n * kPerRoom + k; }

  NetworkSpec spec;
  int n = 0, nv = 0, ny = 0;
  double t_amb = 0, p_amb = 0, rho_amb = 0, y_amb = 0;
  Gas outside;

  // Per room constants.
  std::vector<double> volume, vmin, enclosing;
  std::vector<std::optional<FireHrr>> growth;  // min(curve, peak), uncapped otherwise
  std::vector<Fire> fire;

  // Vents.
  std::vector<char> open, broken, fail_scheduled;
  std::vector<double> opened_s;

  // Topology (recomputed when a vent opens or closes).
  std::vector<double> eff_width;               // open: width; closed: leak / height; 0: no flow
  std::vector<double> vent_factor, open_area;  // per room: sum A sqrt(H), open area
  std::vector<int> parent, root;
  std::vector<char> sealed, is_ref, was_sealed;
  std::vector<double> group_volume;
  bool any_sealed = false;

  // Integration.
  double t = 0.0, h = 0.01;
  long steps = 0;
  std::vector<double> y, k1, k2, k3, k4, tmp, full, half, two, dscratch;

  // Evaluation scratch.
  std::vector<Gas> gas;
  std::vector<double> su, sl, msu, msl, sabs, hrr_now, osu, osl;
  std::vector<double> dp, dp0, delta, f_raw, g_res, scale, scale0, jac_m, group_f, group_j;
  std::vector<Acc> acc;
  double book_in_kg_s = 0, book_out_kg_s = 0, book_h_w = 0, book_o2_in = 0, book_o2_out = 0;
  double t_eval = 0.0;

  // Warm start of the pressure solve: the last solutions and their times, interpolated
  // (or extrapolated) linearly to the time of the next evaluation. RK4 step doubling
  // evaluates at t, t + h/4, t + h/2, t + 3h/4 and t + h, so most evaluations fall
  // between two earlier ones. Cleared when the vents change.
  static constexpr int kCache = 6;
  std::array<double, kCache> cache_t{};
  std::vector<double> cache_dp;  // kCache x n
  int cache_n = 0, cache_next = 0;
  void cache_clear() { cache_n = cache_next = 0; }
  void cache_store(double ts);
  void predict(double ts);

  // Events and state-triggered tracking.
  std::vector<Event> events;
  std::vector<double> prev_tu_c, prev_margin_kw;

  std::vector<NetRoomState> state;
  double m0_kg = 0, u0_kj = 0, o0_kg = 0;
};

// ------------------------------------------------------------------------ construction

FireNetwork::Impl::Impl(NetworkSpec s) : spec(std::move(s)) {
  n = static_cast<int>(spec.rooms.size());
  nv = static_cast<int>(spec.vents.size());
  ny = n * kPerRoom + kGlobals;
  t_amb = spec.ambient_c + kKelvin;
  p_amb = spec.ambient_pa;
  rho_amb = p_amb / (kGasConstantJPerKgK * t_amb);
  y_amb = spec.ambient_o2_mass_fraction;
  outside.tu = outside.tl = t_amb;
  outside.rho_u = outside.rho_l = rho_amb;
  outside.zi = outside.zi_abs = kInf;
  outside.s2u = outside.s2l = std::sqrt(2.0 * rho_amb);
  outside.yu = outside.yl = y_amb;

  volume.resize(n);
  vmin.resize(n);
  enclosing.resize(n);
  growth.resize(n);
  fire.resize(n);
  for (int r = 0; r < n; ++r) {
    const NetRoomSpec& rs = spec.rooms[r];
    assert(rs.floor_area_m2 > 0.0 && rs.height_m > 0.0);
    volume[r] = rs.floor_area_m2 * rs.height_m;
    vmin[r] = 1e-3 * volume[r];  // zone.cpp's minimum layer volume
    enclosing[r] = 2.0 * rs.floor_area_m2 + rs.perimeter_m * rs.height_m;
    if (rs.fuel) {
      FireSpec g = *rs.fuel;
      g.ventilation_limit_kw = kInf;  // the oxygen limit is applied here instead
      g.fuel_energy_kj = kInf;        // decay handled here on the integrated energy
      growth[r].emplace(std::move(g));
    }
  }
  for (const NetVentSpec& v : spec.vents) {
    assert(v.from_room >= 0 && v.from_room < n);
    assert(v.to_room == kOutside || (v.to_room >= 0 && v.to_room < n && v.to_room != v.from_room));
    assert(v.opening.soffit_m >= v.opening.sill_m);
    (void)v;
  }
  open.resize(nv);
  broken.assign(nv, 0);
  fail_scheduled.assign(nv, 0);
  opened_s.assign(nv, kInf);
  for (int v = 0; v < nv; ++v) open[v] = spec.vents[v].open_at_start ? 1 : 0;

  eff_width.assign(nv, 0.0);
  vent_factor.assign(n, 0.0);
  open_area.assign(n, 0.0);
  parent.assign(n + 1, 0);
  root.assign(n, 0);
  sealed.assign(n, 0);
  was_sealed.assign(n, 0);
  is_ref.assign(n, 0);
  group_volume.assign(n, 0.0);

  y.assign(ny, 0.0);
  for (auto* v : {&k1, &k2, &k3, &k4, &tmp, &full, &half, &two, &dscratch}) v->assign(ny, 0.0);
  for (int r = 0; r < n; ++r) {
    y[idx(r, kMu)] = rho_amb * vmin[r];
    y[idx(r, kMl)] = rho_amb * (volume[r] - vmin[r]);
    y[idx(r, kOu)] = y_amb * y[idx(r, kMu)];
    y[idx(r, kOl)] = y_amb * y[idx(r, kMl)];
  }

  gas.resize(n);
  for (auto* v : {&su, &sl, &msu, &msl, &sabs, &hrr_now, &dp, &dp0, &delta, &f_raw, &g_res, &scale,
                  &scale0, &group_f, &osu, &osl})
    v->assign(n, 0.0);
  cache_dp.assign(static_cast<std::size_t>(kCache) * n, 0.0);
  jac_m.assign(static_cast<std::size_t>(n) * n, 0.0);
  group_j.assign(static_cast<std::size_t>(n) * n, 0.0);
  acc.resize(n);
  events.reserve(16);
  prev_tu_c.assign(n, spec.ambient_c);
  prev_margin_kw.assign(n, -kInf);

  state.resize(n);
  topology();
  m0_kg = total_mass_kg();
  u0_kj = total_energy_kj();
  o0_kg = total_o2_kg();
  sync();
}

double FireNetwork::Impl::total_mass_kg() const {
  double m = 0.0;
  for (int r = 0; r < n; ++r) m += y[idx(r, kMu)] + y[idx(r, kMl)];
  return m;
}

double FireNetwork::Impl::total_energy_kj() const {
  double u = 0.0;
  for (int r = 0; r < n; ++r)
    u += kCv * t_amb * (y[idx(r, kMu)] + y[idx(r, kMl)]) + y[idx(r, kEu)] + y[idx(r, kEl)];
  return u * 1e-3;
}

double FireNetwork::Impl::total_o2_kg() const {
  double o = 0.0;
  for (int r = 0; r < n; ++r) o += y[idx(r, kOu)] + y[idx(r, kOl)];
  return o;
}

// ------------------------------------------------------------------------ topology

void FireNetwork::Impl::topology() {
  auto find = [&](int a) {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
  };
  for (int a = 0; a <= n; ++a) parent[a] = a;
  std::fill(vent_factor.begin(), vent_factor.end(), 0.0);
  std::fill(open_area.begin(), open_area.end(), 0.0);
  for (int v = 0; v < nv; ++v) {
    const NetVentSpec& vs = spec.vents[v];
    const double ht = vs.opening.height_m();
    // A closed vent leaks through leak_area_m2 spread over its height.
    const double w = open[v] ? vs.opening.width_m : (ht > 0.0 ? vs.leak_area_m2 / ht : 0.0);
    eff_width[v] = (w > 0.0 && ht > 0.0) ? w : 0.0;
    const double area = eff_width[v] * ht;
    // Ventilation factor of the room's vents as they are now (closed: the leak as an
    // equivalent opening of the vent's height), hrr.hpp's sum A_i sqrt(H_i).
    const double vf = area * std::sqrt(ht);
    const int j = vs.to_room;
    vent_factor[vs.from_room] += vf;
    if (j >= 0) vent_factor[j] += vf;
    if (open[v]) {
      open_area[vs.from_room] += area;
      if (j >= 0) open_area[j] += area;
    }
    if (eff_width[v] > 0.0) {
      const int a = find(vs.from_room), b = find(j >= 0 ? j : n);
      if (a != b) parent[std::min(a, b)] = std::max(a, b);  // outside (n) stays a root
    }
  }
  const int out_root = find(n);
  any_sealed = false;
  std::fill(group_volume.begin(), group_volume.end(), 0.0);
  for (int r = 0; r < n; ++r) {
    root[r] = find(r);
    sealed[r] = root[r] != out_root ? 1 : 0;
    any_sealed = any_sealed || sealed[r];
    is_ref[r] = 0;
  }
  for (int r = 0; r < n; ++r) {
    if (!sealed[r]) continue;
    group_volume[root[r]] += volume[r];
  }
  // The gauge of a sealed group: its lowest-index room, dp = 0.
  for (int r = 0; r < n; ++r) {
    if (!sealed[r]) continue;
    bool first = true;
    for (int q = 0; q < r; ++q) first = first && !(sealed[q] && root[q] == root[r]);
    if (first) {
      is_ref[r] = 1;
      dp[r] = 0.0;
    }
  }
}

// A room that was sealed and now has a path to the outside: its pressure rise p_x goes
// at once, each layer expanding isentropically to ambient (volumes unchanged). The mass
// and internal energy that leave are booked as outflow (of the network: the gas may in
// truth go into a neighbouring room first).
void FireNetwork::Impl::release(int r) {
  const double px = y[idx(r, kPx)];
  if (px == 0.0) return;
  const double p = p_amb + px, ratio = p_amb / p;
  const double fm = std::pow(ratio, 1.0 / kGamma), ft = std::pow(ratio, (kGamma - 1.0) / kGamma);
  for (int layer = 0; layer < 2; ++layer) {
    const int im = idx(r, layer == 0 ? kMu : kMl), ie = idx(r, layer == 0 ? kEu : kEl);
    const int io = idx(r, layer == 0 ? kOu : kOl);
    const double m = y[im], temp = t_amb + y[ie] / (kCv * m);
    const double m2 = m * fm, t2 = temp * ft;
    const double u = kCv * m * temp, u2 = kCv * m2 * t2;
    const double o2 = y[io] * fm;  // the expelled gas has the layer's composition
    y[gidx(kO2out)] += y[io] - o2;
    y[io] = o2;
    y[im] = m2;
    y[ie] = kCv * m2 * (t2 - t_amb);
    y[gidx(kMout)] += m - m2;
    y[gidx(kHnet)] -= (u - u2) * 1e-3;
  }
  y[idx(r, kPx)] = 0.0;
}

void FireNetwork::Impl::vents_changed() {
  // Rooms sealed before: remember to release them if they now reach the outside.
  was_sealed = sealed;
  topology();
  cache_clear();
  for (int r = 0; r < n; ++r)
    if (was_sealed[r] && !sealed[r]) release(r);
}

// ------------------------------------------------------------------------ physics

double FireNetwork::Impl::fuel_hrr_kw(int r, double t_s, double e_kj) const {
  const Fire& f = fire[r];
  if (!f.ignited || f.out || t_s < f.ignite_s) return 0.0;
  // Growth capped by the fuel's peak (FireHrr without its limits); the oxygen limit is
  // applied by burn().
  double q = growth[r]->hrr_kw(t_s - f.ignite_s);
  // Decay (hrr.hpp, EN 1991-1-2 annex E.4): linear from Q_d to zero releasing the rest R0
  // of the fuel energy, written on the energy left R: Q = Q_d sqrt(R / R0) (the same
  // line in time while nothing else caps Q, and it stops exactly at the fire load).
  if (f.decaying) {
    const double left = std::max(0.0, spec.rooms[r].fuel->fuel_energy_kj - e_kj);
    q = std::min(q, f.decay_q_kw * std::sqrt(left / f.decay_r0_kj));
  }
  if (f.held) q = std::min(q, f.hold_q_kw);
  if (f.suppressed) {
    const double k = spec.knockdown_s;
    q = std::min(q,
                 k > 0.0 ? f.suppress_q_kw * std::max(0.0, 1.0 - (t_s - f.suppress_s) / k) : 0.0);
  }
  return std::max(q, 0.0);
}

// The fire of room r with gas[r] as it is: Q_f limited by the oxygen its plume entrains
// (see the head of this file).
FireNetwork::Impl::Burn FireNetwork::Impl::burn(int r, double t_s, double e_kj) const {
  Burn b;
  const double qf = fuel_hrr_kw(r, t_s, e_kj);
  if (qf <= 0.0) return b;
  const NetRoomSpec& rs = spec.rooms[r];
  const Gas& g = gas[r];
  const double chi = spec.radiative_fraction, dho = spec.heat_of_combustion_o2_kj_per_kg;
  const double lol = spec.lower_oxygen_limit;
  // Lower plume (zone.cpp): Heskestad entrainment of lower-layer gas up to the interface,
  // CFAST's weak-plume limit, and no more than the lower layer holds.
  auto entrain = [&](double q) {
    const double qc = (1.0 - chi) * q;
    double me = ZoneRoom::heskestad_entrainment_kg_s(q, qc, rs.fire_diameter_m,
                                                     g.zi - rs.fire_elevation_m, rho_amb, t_amb);
    if (g.tu > g.tl) me = std::min(me, qc * 1e3 / (kCpJPerKgK * (g.tu - g.tl)));
    return std::min(me, std::max(0.0, (g.vl - vmin[r]) * g.rho_l) * 10.0);
  };
  const double kl = g.yl * c_lol(g.yl, lol) * dho;  // kJ per kg of lower-layer gas
  double me = entrain(qf);
  double ql = std::min(qf, kl * me);
  if (ql < qf) {  // a weaker plume entrains less: once more at the limited HRR
    me = entrain(ql);
    ql = std::min(ql, kl * me);
  }
  // The rest burns in the upper layer with its oxygen: the plume entrains upper-layer
  // gas over the layer's depth (CFAST's do_fire), at most 10 upper layers a second.
  double qu = 0.0;
  if (ql < qf) {
    const double depth = std::min(rs.height_m - g.zi, rs.height_m - rs.fire_elevation_m);
    double meu = ZoneRoom::heskestad_entrainment_kg_s(qf, (1.0 - chi) * qf, rs.fire_diameter_m,
                                                      depth, g.rho_u, g.tu);
    meu = std::min(meu, g.vu * g.rho_u * 10.0);
    qu = std::min(qf - ql, meu * g.yu * c_lol(g.yu, lol) * dho);
  }
  b.q = ql + qu;
  b.q_lower = ql;
  b.me = me;
  return b;
}

// The HRR of room r now, from the state y.
double FireNetwork::Impl::hrr_now_kw(int r) {
  gas_from(y.data());
  return burn(r, t, y[idx(r, kEfire)]).q;
}

void FireNetwork::Impl::gas_from(const double* yy) {
  constexpr double rg = kGasConstantJPerKgK, g = kGravityMps2;
  for (int r = 0; r < n; ++r) {
    const NetRoomSpec& rs = spec.rooms[r];
    Gas& gs = gas[r];
    const double mu = yy[idx(r, kMu)], ml = yy[idx(r, kMl)];
    const double p = p_amb + yy[idx(r, kPx)];
    gs.tu = t_amb + yy[idx(r, kEu)] / (kCv * mu);
    gs.tl = t_amb + yy[idx(r, kEl)] / (kCv * ml);
    gs.rho_u = p / (rg * gs.tu);
    gs.rho_l = p / (rg * gs.tl);
    const double rt = rg / p;  // V = m R T / P
    gs.vu = mu * gs.tu * rt;
    gs.vl = ml * gs.tl * rt;
    const double vug = std::clamp(gs.vu, vmin[r], volume[r] - vmin[r]);
    gs.zi = rs.height_m - vug / rs.floor_area_m2;
    gs.zf = rs.floor_elevation_m;
    gs.zi_abs = gs.zf + gs.zi;
    gs.a_u = g * (gs.rho_u - rho_amb);
    gs.a_l = g * (gs.rho_l - rho_amb);
    gs.s2u = std::sqrt(2.0 * gs.rho_u);
    gs.s2l = std::sqrt(2.0 * gs.rho_l);
    // A layer whose oxygen is all burnt (a fuel-rich upper layer) may dip below zero by
    // round-off inside an RK stage: its gas then carries none (flows and plume use the
    // same Y on both sides, so the books stay exact).
    gs.yu = std::max(0.0, yy[idx(r, kOu)] / mu);
    gs.yl = std::max(0.0, yy[idx(r, kOl)] / ml);
  }
}

// One sub-segment [lo, hi] of vent (i -> j) with a pressure difference (i minus j) linear
// and of one sign from dlo to dhi.
void FireNetwork::Impl::sub_segment(int i, int j, double w, double lo, double hi, double dlo,
                                    double dhi, bool up_i, bool up_j, bool jac) {
  const double s = dlo + dhi;
  if (s == 0.0) {
    // No pressure difference over the whole segment: no flow, but a (floored) infinite
    // derivative, which the Jacobian needs to move off it.
    if (jac) {
      const Gas& gs = gas[i];
      const double gder = kCpJPerKgK * (up_i ? gs.tu : gs.tl) * kVentFlowCoefficient *
                          (up_i ? gs.s2u : gs.s2l) * w * (hi - lo) / kDenFloor;
      jac_m[static_cast<std::size_t>(i) * n + i] -= gder;
      if (j >= 0) {
        jac_m[static_cast<std::size_t>(j) * n + j] -= gder;
        jac_m[static_cast<std::size_t>(i) * n + j] += gder;
        jac_m[static_cast<std::size_t>(j) * n + i] += gder;
      }
    }
    return;
  }
  const bool fwd = s > 0.0;
  const int src = fwd ? i : j, dst = fwd ? j : i;
  const Gas& gs = src >= 0 ? gas[src] : outside;
  const bool up = fwd ? up_i : up_j;
  const double ts = up ? gs.tu : gs.tl, s2 = up ? gs.s2u : gs.s2l, ys = up ? gs.yu : gs.yl;
  // Bernoulli over the segment (CFAST Tech. Ref. ch. 4; zone.cpp's segment_flow).
  const double x = std::sqrt(std::abs(dlo)), z = std::sqrt(std::abs(dhi)), inv = 1.0 / (x + z);
  const double k = kVentFlowCoefficient * s2 * w * (hi - lo);
  const double m = 2.0 / 3.0 * k * (x * x + x * z + z * z) * inv;
  const double hf = kCpJPerKgK * ts * m, of = ys * m;
  if (src >= 0) {
    f_raw[src] -= hf;
    scale[src] += hf;
    Acc& a = acc[src];
    if (up) {
      a.mu -= m;
      a.hu -= hf;
      a.ou -= of;
    } else {
      a.ml -= m;
      a.hl -= hf;
      a.ol -= of;
    }
  } else {
    book_in_kg_s += m;
    book_h_w += hf;
    book_o2_in += of;
  }
  if (dst >= 0) {
    f_raw[dst] += hf;
    scale[dst] += hf;
    Acc& a = acc[dst];
    if (ts > gas[dst].tl + kRouteMarginK) {  // hotter than the lower layer: upper layer
      a.mu += m;
      a.hu += hf;
      a.ou += of;
    } else {
      a.ml += m;
      a.hl += hf;
      a.ol += of;
    }
  } else {
    book_out_kg_s += m;
    book_h_w -= hf;
    book_o2_out += of;
  }
  if (jac) {
    const double gder = kCpJPerKgK * ts * k * inv;
    jac_m[static_cast<std::size_t>(i) * n + i] -= gder;
    if (j >= 0) {
      jac_m[static_cast<std::size_t>(j) * n + j] -= gder;
      jac_m[static_cast<std::size_t>(i) * n + j] += gder;
      jac_m[static_cast<std::size_t>(j) * n + i] += gder;
    }
  }
}

// Net enthalpy source q_u + q_l of every room (f_raw, W) for floor pressures dpv, the
// layer flows (acc) and, if jac, d f_raw / d dp.
void FireNetwork::Impl::eval(const double* dpv, bool jac) {
  for (int r = 0; r < n; ++r) {
    f_raw[r] = su[r] + sl[r];
    scale[r] = sabs[r];
    acc[r] = Acc{};
  }
  if (jac) std::fill(jac_m.begin(), jac_m.end(), 0.0);
  book_in_kg_s = book_out_kg_s = book_h_w = book_o2_in = book_o2_out = 0.0;
  for (int v = 0; v < nv; ++v) {
    const double w = eff_width[v];
    if (w <= 0.0) continue;
    const NetVentSpec& vs = spec.vents[v];
    const int i = vs.from_room, j = vs.to_room;
    const Gas& gi = gas[i];
    const Gas& gj = j >= 0 ? gas[j] : outside;
    const double dpi = dpv[i], dpj = j >= 0 ? dpv[j] : 0.0;
    const double zb = gi.zf + vs.opening.sill_m, zt = gi.zf + vs.opening.soffit_m;
    // Cut at both interfaces (absolute elevations).
    double cuts[4];
    int nc = 0;
    cuts[nc++] = zb;
    const double c1 = std::min(gi.zi_abs, gj.zi_abs), c2 = std::max(gi.zi_abs, gj.zi_abs);
    if (c1 > zb && c1 < zt) cuts[nc++] = c1;
    if (c2 > zb && c2 < zt && c2 > c1) cuts[nc++] = c2;
    cuts[nc++] = zt;
    for (int s = 0; s + 1 < nc; ++s) {
      const double a = cuts[s], b = cuts[s + 1];
      if (b <= a) continue;
      const double mid = 0.5 * (a + b);
      const bool ui = mid > gi.zi_abs, uj = mid > gj.zi_abs;
      const double da = side_dp(gi, dpi, a) - side_dp(gj, dpj, a);
      const double db = side_dp(gi, dpi, b) - side_dp(gj, dpj, b);
      if (da * db < 0.0) {
        const double zn = a + da / (da - db) * (b - a);  // neutral plane
        sub_segment(i, j, w, a, zn, da, 0.0, ui, uj, jac);
        sub_segment(i, j, w, zn, b, 0.0, db, ui, uj, jac);
      } else {
        sub_segment(i, j, w, a, b, da, db, ui, uj, jac);
      }
    }
  }
}

// The residual the solver zeroes (g_res): f_raw for rooms reaching the outside; for a
// sealed group, f_raw - V_r / V_group sum f_raw (equal dP/dt in the group) and dp = 0 in
// its gauge room. Rows of the Jacobian transformed alike.
void FireNetwork::Impl::project(bool jac) {
  for (int r = 0; r < n; ++r) g_res[r] = f_raw[r];
  if (!any_sealed) return;
  std::fill(group_f.begin(), group_f.end(), 0.0);
  if (jac) std::fill(group_j.begin(), group_j.end(), 0.0);
  for (int r = 0; r < n; ++r) {
    if (!sealed[r]) continue;
    group_f[root[r]] += f_raw[r];
    if (jac)
      for (int c = 0; c < n; ++c)
        group_j[static_cast<std::size_t>(root[r]) * n + c] +=
            jac_m[static_cast<std::size_t>(r) * n + c];
  }
  for (int r = 0; r < n; ++r) {
    if (!sealed[r]) continue;
    const std::size_t row = static_cast<std::size_t>(r) * n;
    if (is_ref[r]) {
      g_res[r] = 0.0;
      if (jac)
        for (int c = 0; c < n; ++c) jac_m[row + c] = c == r ? 1.0 : 0.0;
      continue;
    }
    const double share = volume[r] / group_volume[root[r]];
    g_res[r] = f_raw[r] - share * group_f[root[r]];
    if (jac)
      for (int c = 0; c < n; ++c)
        jac_m[row + c] -= share * group_j[static_cast<std::size_t>(root[r]) * n + c];
  }
}

bool FireNetwork::Impl::converged() const {
  for (int r = 0; r < n; ++r) {
    const double jd = std::abs(jac_m[static_cast<std::size_t>(r) * n + r]);
    const double tol = kSolveRelTol * scale[r] + kSolveAbsTolW + 4e-16 * jd * std::abs(dp[r]);
    if (!(std::abs(g_res[r]) <= tol)) return false;
  }
  return true;
}

double FireNetwork::Impl::merit(const std::vector<double>& sc) const {
  double m = 0.0;
  for (int r = 0; r < n; ++r) {
    const double q = g_res[r] / (sc[r] + 1.0);
    m += q * q;
  }
  return m;
}

// Solves jac_m delta = -g_res by Gaussian elimination with partial pivoting.
bool FireNetwork::Impl::lu_solve() {
  // In place: the Jacobian is evaluated afresh before it is needed again.
  double* a = jac_m.data();
  for (int r = 0; r < n; ++r) delta[r] = -g_res[r];
  for (int c = 0; c < n; ++c) {
    int p = c;
    double best = std::abs(a[c * n + c]);
    for (int r = c + 1; r < n; ++r) {
      const double v = std::abs(a[r * n + c]);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (!(best > 0.0) || !std::isfinite(best)) return false;
    if (p != c) {
      for (int k = 0; k < n; ++k) std::swap(a[p * n + k], a[c * n + k]);
      std::swap(delta[p], delta[c]);
    }
    const double piv_v = a[c * n + c];
    for (int r = c + 1; r < n; ++r) {
      const double f = a[r * n + c] / piv_v;
      if (f == 0.0) continue;
      for (int k = c + 1; k < n; ++k) a[r * n + k] -= f * a[c * n + k];
      delta[r] -= f * delta[c];
    }
  }
  for (int r = n - 1; r >= 0; --r) {
    double s = delta[r];
    for (int k = r + 1; k < n; ++k) s -= a[r * n + k] * delta[k];
    delta[r] = s / a[r * n + r];
    if (!std::isfinite(delta[r])) return false;
  }
  return true;
}

// Newton with backtracking on the scaled residual, from dp as it is (eval done at dp).
bool FireNetwork::Impl::newton() {
  for (int it = 0; it < kNewtonMaxIter; ++it) {
    if (converged()) return true;
    if (!lu_solve()) return false;
    const double m0 = merit(scale);
    scale0 = scale;
    dp0 = dp;
    bool tiny = true;
    for (int r = 0; r < n; ++r) tiny = tiny && std::abs(delta[r]) <= 4e-16 * std::abs(dp[r]);
    if (tiny) return true;  // the step is below the pressures' round-off
    double lambda = 1.0;
    bool ok = false;
    for (int ls = 0; ls < kLineSearchMax; ++ls) {
      for (int r = 0; r < n; ++r) dp[r] = dp0[r] + lambda * delta[r];
      eval(dp.data(), true);
      project(true);
      if (converged() || merit(scale0) <= (1.0 - 0.5 * lambda) * m0) {
        ok = true;
        break;
      }
      lambda *= 0.5;
    }
    if (!ok) {
      dp = dp0;
      eval(dp.data(), true);
      project(true);
      return converged();
    }
  }
  return converged();
}

// Fallback: Gauss-Seidel sweeps, each room's own pressure found by bisection with the
// others held (its source q_u + q_l falls monotonically as its pressure rises). Rooms of
// sealed groups are left to Newton.
void FireNetwork::Impl::gauss_seidel() {
  for (int sweep = 0; sweep < kGaussSeidelSweeps; ++sweep) {
    eval(dp.data(), true);
    project(true);
    if (converged()) return;
    for (int r = 0; r < n; ++r) {
      if (sealed[r]) continue;
      auto f_at = [&](double x) {
        dp[r] = x;
        eval(dp.data(), false);
        return f_raw[r];
      };
      const double x0 = dp[r];
      double lo = x0, hi = x0, step = 1.0;
      const double f0 = f_at(x0);
      if (f0 == 0.0) continue;
      bool bracketed = false;
      for (int k = 0; k < 80 && !bracketed; ++k, step *= 2.0) {
        if (f0 > 0.0) {
          lo = hi;
          hi = x0 + step;
          bracketed = f_at(hi) <= 0.0;
        } else {
          hi = lo;
          lo = x0 - step;
          bracketed = f_at(lo) >= 0.0;
        }
      }
      if (!bracketed) {
        dp[r] = x0;
        continue;
      }
      for (int k = 0; k < 200 && hi - lo > 1e-15 * std::max(1.0, std::abs(lo)); ++k) {
        const double mid = 0.5 * (lo + hi);
        (f_at(mid) > 0.0 ? lo : hi) = mid;
      }
      dp[r] = 0.5 * (lo + hi);
    }
  }
  eval(dp.data(), true);
  project(true);
}

void FireNetwork::Impl::cache_store(double ts) {
  const int slot = cache_next;
  cache_next = (cache_next + 1) % kCache;
  cache_n = std::min(cache_n + 1, kCache);
  cache_t[slot] = ts;
  std::copy(dp.begin(), dp.end(), cache_dp.begin() + static_cast<std::ptrdiff_t>(slot) * n);
}

void FireNetwork::Impl::predict(double ts) {
  // The nearest stored times at or below ts (a, then a2 below it) and above it (b).
  int a = -1, a2 = -1, b = -1;
  for (int k = 0; k < cache_n; ++k) {
    const double ck = cache_t[k];
    if (ck <= ts) {
      if (a < 0 || ck > cache_t[a]) {
        a2 = a;
        a = k;
      } else if (ck < cache_t[a] && (a2 < 0 || ck > cache_t[a2])) {
        a2 = k;
      }
    } else if (b < 0 || ck < cache_t[b]) {
      b = k;
    }
  }
  int p = a, q = b;
  if (a >= 0 && cache_t[a] == ts)
    q = -1;  // stored at this very time
  else if (a < 0 || b < 0)
    q = a < 0 ? -1 : a2;
  if (p < 0) p = b, q = -1;
  if (p < 0) return;  // nothing stored: dp as it is
  const double* dpp = cache_dp.data() + static_cast<std::ptrdiff_t>(p) * n;
  if (q < 0 || cache_t[q] == cache_t[p]) {
    std::copy(dpp, dpp + n, dp.begin());
    return;
  }
  const double* dpq = cache_dp.data() + static_cast<std::ptrdiff_t>(q) * n;
  const double w = (ts - cache_t[p]) / (cache_t[q] - cache_t[p]);
  for (int r = 0; r < n; ++r) dp[r] = dpp[r] + w * (dpq[r] - dpp[r]);
}

void FireNetwork::Impl::solve_pressures() {
  predict(t_eval);
  for (int r = 0; r < n; ++r)
    if (is_ref[r]) dp[r] = 0.0;
  eval(dp.data(), true);
  project(true);
  if (newton()) return;
  gauss_seidel();
  if (newton()) return;
  // Left as close as it got; the energy residual shows it.
  eval(dp.data(), true);
  project(true);
}

void FireNetwork::Impl::rhs(double t_s, const double* yy, double* d) {
  constexpr double cp = kCpJPerKgK;
  t_eval = t_s;
  gas_from(yy);
  const double chi = spec.radiative_fraction;
  double fuel_kg_s = 0.0, wall_w = 0.0, rad_kw = 0.0;
  for (int r = 0; r < n; ++r) {
    const NetRoomSpec& rs = spec.rooms[r];
    const Gas& g = gas[r];
    // Fire and plume: burn() (oxygen-limited HRR, lower plume entrainment).
    const Burn b = burn(r, t_s, yy[idx(r, kEfire)]);
    const double q = b.q, me = b.me;
    hrr_now[r] = q;
    const double qc = (1.0 - chi) * q;
    const double mf = q / spec.heat_of_combustion_kj_per_kg;
    // Lumped wall loss (zone.hpp): h_eff (A_floor/ceiling + perimeter x layer depth) dT.
    const double hk = mqh_hk_kw_per_m2k(rs.lining, std::max(t_s, 1.0));
    const double hw = 1e3 / (1.0 / spec.wall_film_kw_per_m2k + 1.0 / hk);  // W/(m2 K)
    const double wu =
        hw * (rs.floor_area_m2 + rs.perimeter_m * (rs.height_m - g.zi)) * (g.tu - t_amb);
    const double wl = hw * (rs.floor_area_m2 + rs.perimeter_m * g.zi) * (g.tl - t_amb);
    su[r] = qc * 1e3 + cp * me * g.tl + cp * mf * t_amb - wu;
    sl[r] = -cp * me * g.tl - wl;
    msu[r] = me + mf;
    msl[r] = -me;
    // Oxygen: the plume's lower-layer gas into the upper layer, where the fire's
    // consumption comes out of it.
    osu[r] = me * g.yl - q / spec.heat_of_combustion_o2_kj_per_kg;
    osl[r] = -me * g.yl;
    sabs[r] = qc * 1e3 + cp * mf * t_amb + std::abs(wu) + std::abs(wl);
    fuel_kg_s += mf;
    wall_w += wu + wl;
    rad_kw += chi * q;
  }

  solve_pressures();
  cache_store(t_s);

  for (int r = 0; r < n; ++r) {
    const Gas& g = gas[r];
    const Acc& a = acc[r];
    const double qu = su[r] + a.hu, ql = sl[r] + a.hl;
    const double mdu = msu[r] + a.mu, mdl = msl[r] + a.ml;
    // Vented rooms: constant pressure. Sealed: CFAST's dP/dt (zone.hpp).
    const double dpdt = sealed[r] ? (kGamma - 1.0) / volume[r] * (qu + ql) : 0.0;
    double* dr = d + idx(r, 0);
    dr[kMu] = mdu;
    dr[kMl] = mdl;
    dr[kEu] = (qu + g.vu * dpdt) / kGamma - kCv * t_amb * mdu;
    dr[kEl] = (ql + g.vl * dpdt) / kGamma - kCv * t_amb * mdl;
    dr[kEfire] = hrr_now[r];
    dr[kPx] = dpdt;
    dr[kOu] = osu[r] + a.ou;
    dr[kOl] = osl[r] + a.ol;
  }
  double* dg = d + gidx(0);
  dg[kMin] = book_in_kg_s;
  dg[kMout] = book_out_kg_s;
  dg[kHnet] = book_h_w * 1e-3;
  dg[kWall] = wall_w * 1e-3;
  dg[kFuel] = fuel_kg_s;
  dg[kRad] = rad_kw;
  dg[kO2in] = book_o2_in;
  dg[kO2out] = book_o2_out;
}

// ------------------------------------------------------------------------ integration

void FireNetwork::Impl::rk4(double t0, const double* y0, double hh, const double* kk1,
                            double* out) {
  const int m = ny;
  for (int i = 0; i < m; ++i) tmp[i] = y0[i] + 0.5 * hh * kk1[i];
  rhs(t0 + 0.5 * hh, tmp.data(), k2.data());
  for (int i = 0; i < m; ++i) tmp[i] = y0[i] + 0.5 * hh * k2[i];
  rhs(t0 + 0.5 * hh, tmp.data(), k3.data());
  for (int i = 0; i < m; ++i) tmp[i] = y0[i] + hh * k3[i];
  rhs(t0 + hh, tmp.data(), k4.data());
  for (int i = 0; i < m; ++i)
    out[i] = y0[i] + hh / 6.0 * (kk1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
}

bool FireNetwork::Impl::valid(const double* yy) const {
  for (int i = 0; i < ny; ++i)
    if (!std::isfinite(yy[i])) return false;
  for (int r = 0; r < n; ++r) {
    const double mu = yy[idx(r, kMu)], ml = yy[idx(r, kMl)];
    if (!(mu > 0.0 && ml > 0.0)) return false;
    if (!(t_amb + yy[idx(r, kEu)] / (kCv * mu) > 0.0)) return false;
    if (!(t_amb + yy[idx(r, kEl)] / (kCv * ml) > 0.0)) return false;
    if (!(p_amb + yy[idx(r, kPx)] > 0.0)) return false;
  }
  return true;
}

// zone.cpp's error measure: V_u relative to the room volume, T_u and T_l relative to
// themselves, and the pressure rise relative to the ambient pressure.
double FireNetwork::Impl::error_norm(const double* a, const double* b) const {
  double e = 0.0;
  for (int r = 0; r < n; ++r) {
    const double tua = t_amb + a[idx(r, kEu)] / (kCv * a[idx(r, kMu)]);
    const double tub = t_amb + b[idx(r, kEu)] / (kCv * b[idx(r, kMu)]);
    const double tla = t_amb + a[idx(r, kEl)] / (kCv * a[idx(r, kMl)]);
    const double tlb = t_amb + b[idx(r, kEl)] / (kCv * b[idx(r, kMl)]);
    const double pa = p_amb + a[idx(r, kPx)], pb = p_amb + b[idx(r, kPx)];
    const double vua = a[idx(r, kMu)] * kGasConstantJPerKgK * tua / pa;
    const double vub = b[idx(r, kMu)] * kGasConstantJPerKgK * tub / pb;
    const double yua = a[idx(r, kOu)] / a[idx(r, kMu)], yub = b[idx(r, kOu)] / b[idx(r, kMu)];
    const double yla = a[idx(r, kOl)] / a[idx(r, kMl)], ylb = b[idx(r, kOl)] / b[idx(r, kMl)];
    e = std::max({e, std::abs(vua - vub) / volume[r], std::abs(tua - tub) / tub,
                  std::abs(tla - tlb) / tlb, std::abs(pa - pb) / p_amb, std::abs(yua - yub) / y_amb,
                  std::abs(yla - ylb) / y_amb});
  }
  return e / 15.0;
}

// Keeps each layer at least zone.cpp's minimum volume, by moving gas of the other layer
// into it (mixing at constant pressure adds volumes, so mass and energy are unchanged).
void FireNetwork::Impl::clamp_layers() {
  for (int r = 0; r < n; ++r) {
    const double p = p_amb + y[idx(r, kPx)];
    const double mu = y[idx(r, kMu)], ml = y[idx(r, kMl)];
    const double tu = t_amb + y[idx(r, kEu)] / (kCv * mu), tl = t_amb + y[idx(r, kEl)] / (kCv * ml);
    const double vu = mu * kGasConstantJPerKgK * tu / p, vl = ml * kGasConstantJPerKgK * tl / p;
    double dm = 0.0, de = 0.0, dox = 0.0;  // moved from lower to upper
    if (vu < vmin[r] && vl > vmin[r]) {
      dm = std::min(0.5 * ml, (vmin[r] - vu) * p / (kGasConstantJPerKgK * tl));
      de = kCv * dm * (tl - t_amb);
      dox = dm * y[idx(r, kOl)] / ml;
    } else if (vl < vmin[r] && vu > vmin[r]) {
      dm = -std::min(0.5 * mu, (vmin[r] - vl) * p / (kGasConstantJPerKgK * tu));
      de = kCv * dm * (tu - t_amb);
      dox = dm * y[idx(r, kOu)] / mu;
    }
    if (dm == 0.0) continue;
    y[idx(r, kMu)] += dm;
    y[idx(r, kMl)] -= dm;
    y[idx(r, kEu)] += de;
    y[idx(r, kEl)] -= de;
    y[idx(r, kOu)] += dox;
    y[idx(r, kOl)] -= dox;
  }
}

void FireNetwork::Impl::push_event(double t_ev, EventKind k, int index) {
  events.push_back({t_ev, k, index});
}

double FireNetwork::Impl::next_event_s() const {
  double nx = kInf;
  for (const Event& e : events) nx = std::min(nx, e.t);
  return nx;
}

void FireNetwork::Impl::apply_due_events() {
  // Events may schedule others (a door failing lets fire spread): loop until none is due.
  for (;;) {
    int due = -1;
    for (int k = 0; k < static_cast<int>(events.size()); ++k)
      if (events[k].t <= t + kTimeEps && (due < 0 || events[k].t < events[due].t)) due = k;
    if (due < 0) return;
    const Event e = events[due];
    events.erase(events.begin() + due);
    switch (e.kind) {
      case EventKind::kIgnite:
        do_ignite(e.index, t);
        break;
      case EventKind::kSuppress:
        do_suppress(e.index, t);
        break;
      case EventKind::kHold:
        do_hold(e.index, t);
        break;
      case EventKind::kVentFails:
        if (!open[e.index]) {
          open[e.index] = 1;
          opened_s[e.index] = t;
          on_vent_opened(e.index, t);
          vents_changed();
        }
        break;
      case EventKind::kBreakpoint:
        break;
    }
  }
}

void FireNetwork::Impl::do_ignite(int r, double when) {
  Fire& f = fire[r];
  // Nothing to burn, already burning, or put out / controlled earlier: no ignition.
  if (!growth[r] || f.ignited || f.suppressed || f.held) return;
  f.ignited = true;
  f.ignite_s = when;
  state[r].ignited_s = when;
}

void FireNetwork::Impl::do_suppress(int r, double when) {
  Fire& f = fire[r];
  if (f.suppressed) return;
  f.suppress_q_kw = hrr_now_kw(r);
  f.suppressed = true;
  f.suppress_s = when;
  state[r].suppressed_s = std::min(state[r].suppressed_s, when);
  if (f.suppress_q_kw <= 0.0 || spec.knockdown_s <= 0.0)
    f.out = f.ignited;
  else
    push_event(when + spec.knockdown_s, EventKind::kBreakpoint, r);  // land on the kink
}

void FireNetwork::Impl::do_hold(int r, double when) {
  Fire& f = fire[r];
  f.hold_q_kw = std::min(f.hold_q_kw, hrr_now_kw(r));
  f.held = true;
  state[r].suppressed_s = std::min(state[r].suppressed_s, when);
}

void FireNetwork::Impl::schedule_ignition(int r, double when) {
  const Fire& f = fire[r];
  if (!growth[r] || f.ignited || f.suppressed || f.held) return;
  if (when <= t + kTimeEps)
    do_ignite(r, t);
  else
    push_event(when, EventKind::kIgnite, r);
}

// Spread through the room's open vents after spread_delay_s; closed doors that fail
// start their fire resistance time.
void FireNetwork::Impl::on_flashover(int r, double t_fo) {
  for (int v = 0; v < nv; ++v) {
    const NetVentSpec& vs = spec.vents[v];
    if (vs.from_room != r && vs.to_room != r) continue;
    const int other = vs.from_room == r ? vs.to_room : vs.from_room;
    if (open[v]) {
      if (other >= 0) schedule_ignition(other, t_fo + spec.spread_delay_s);
    } else if (std::isfinite(vs.fails_after_s) && !fail_scheduled[v]) {
      fail_scheduled[v] = 1;
      const double when = t_fo + vs.fails_after_s;
      if (when <= t + kTimeEps) {
        open[v] = 1;
        opened_s[v] = t;
        on_vent_opened(v, t);
        vents_changed();
      } else {
        push_event(when, EventKind::kVentFails, v);
      }
    }
  }
}

// A vent that opens next to a flashed-over room lets the fire through after the delay.
void FireNetwork::Impl::on_vent_opened(int v, double when) {
  const NetVentSpec& vs = spec.vents[v];
  if (vs.to_room < 0) return;
  if (state[vs.from_room].flashover_s <= when)
    schedule_ignition(vs.to_room, when + spec.spread_delay_s);
  if (state[vs.to_room].flashover_s <= when)
    schedule_ignition(vs.from_room, when + spec.spread_delay_s);
}

// State-triggered events at the end of an accepted step [t0, t0 + h].
void FireNetwork::Impl::post_step(double t0, double hh) {
  const double t1 = t0 + hh;
  gas_from(y.data());
  bool changed = false;
  // Windows: break when the upper layer of the `from` room reaches breaks_at_c with the
  // interface below the soffit.
  for (int v = 0; v < nv; ++v) {
    const NetVentSpec& vs = spec.vents[v];
    if (open[v] || broken[v] || !std::isfinite(vs.breaks_at_c)) continue;
    const Gas& g = gas[vs.from_room];
    if (g.tu - kKelvin >= vs.breaks_at_c && g.zi < vs.opening.soffit_m) {
      open[v] = 1;
      broken[v] = 1;
      opened_s[v] = t;
      on_vent_opened(v, t);
      changed = true;
    }
  }
  const double tc = spec.flashover.upper_layer_c;
  for (int r = 0; r < n; ++r) {
    Fire& f = fire[r];
    const double e = y[idx(r, kEfire)];
    const double q = burn(r, t1, e).q;
    const double tu_c = gas[r].tu - kKelvin;
    NetRoomState& st = state[r];
    st.max_upper_c = std::max(st.max_upper_c, tu_c);
    // Decay start: 70 % (decay_start_fraction) of the fire load released.
    if (f.ignited && !f.out && !f.decaying) {
      const FireSpec& fs = *spec.rooms[r].fuel;
      if (std::isfinite(fs.fuel_energy_kj) && e >= fs.decay_start_fraction * fs.fuel_energy_kj) {
        f.decay_q_kw = q;
        f.decay_r0_kj = fs.fuel_energy_kj - e;
        if (q > 0.0 && f.decay_r0_kj > 0.0)
          f.decaying = true;
        else
          f.out = true;
      }
    }
    if (f.decaying && e >= spec.rooms[r].fuel->fuel_energy_kj) f.out = true;
    if (f.suppressed && t1 >= f.suppress_s + spec.knockdown_s - kTimeEps) f.out = true;
    // Flashover (compartment.hpp) of a burning room, on T_u or the MQH HRR.
    const double hk = mqh_hk_kw_per_m2k(spec.rooms[r].lining, std::max(t1, 1.0));
    const double qfo = mqh_flashover_hrr_kw(hk, enclosing[r] - open_area[r], vent_factor[r]);
    const double margin = q - qfo;
    if (!std::isfinite(st.flashover_s) && q > 0.0 && is_flashover(spec.flashover, tu_c, q, qfo)) {
      double frac = 1.0;
      if (tu_c >= tc) frac = prev_tu_c[r] < tc ? (tc - prev_tu_c[r]) / (tu_c - prev_tu_c[r]) : 0.0;
      if (spec.flashover.use_mqh_hrr && margin >= 0.0) {
        const double fq = std::isfinite(prev_margin_kw[r]) && prev_margin_kw[r] < 0.0
                              ? -prev_margin_kw[r] / (margin - prev_margin_kw[r])
                              : 0.0;
        frac = std::min(frac, fq);
      }
      st.flashover_s = t0 + std::clamp(frac, 0.0, 1.0) * hh;
      on_flashover(r, st.flashover_s);
    }
    prev_tu_c[r] = tu_c;
    prev_margin_kw[r] = margin;
  }
  if (changed) vents_changed();
}

void FireNetwork::Impl::advance_to(double t_end) {
  const double max_step = spec.max_step_s > 0.0 ? spec.max_step_s : 1.0;
  bool k1_valid = false;
  while (t < t_end) {
    const std::size_t n_events = events.size();
    apply_due_events();
    if (events.size() != n_events) k1_valid = false;
    const double limit = std::min(t_end, next_event_s());
    const double hmax = std::min(h, max_step);
    const bool truncated = limit - t < hmax;
    const double hh = truncated ? limit - t : hmax;
    if (!k1_valid) {
      rhs(t, y.data(), k1.data());
      k1_valid = true;
    }
    rk4(t, y.data(), hh, k1.data(), full.data());
    rk4(t, y.data(), 0.5 * hh, k1.data(), half.data());
    rhs(t + 0.5 * hh, half.data(), dscratch.data());
    rk4(t + 0.5 * hh, half.data(), 0.5 * hh, dscratch.data(), two.data());
    const bool ok = valid(two.data()) && valid(full.data());
    const double err = ok ? error_norm(two.data(), full.data()) : kInf;
    if (ok && (err <= kTol || hh <= kMinStep)) {
      for (int i = 0; i < ny; ++i) y[i] = two[i] + (two[i] - full[i]) / 15.0;
      if (!valid(y.data())) y = two;
      clamp_layers();
      const double t0 = t;
      t += hh;
      if (limit - t < kTimeEps) t = limit;
      ++steps;
      k1_valid = false;
      // A step cut short to land on an event or t_end does not set the next step size.
      if (!truncated)
        h = std::clamp(0.9 * hh * std::pow(kTol / std::max(err, 1e-30), 0.2), 0.2 * hh, 2.0 * hh);
      post_step(t0, t - t0);
    } else {
      h = std::max(kMinStep, ok ? std::max(0.2, 0.9 * std::pow(kTol / err, 0.2)) * hh : 0.1 * hh);
    }
  }
  apply_due_events();
  sync();
}

void FireNetwork::Impl::sync() {
  rhs(t, y.data(), dscratch.data());  // the floor pressures and HRR now
  for (int r = 0; r < n; ++r) {
    const NetRoomSpec& rs = spec.rooms[r];
    const Gas& g = gas[r];
    NetRoomState& st = state[r];
    st.upper_k = g.tu;
    st.lower_k = g.tl;
    st.upper_volume_m3 = g.vu;
    st.layer_height_m = rs.height_m - g.vu / rs.floor_area_m2;
    st.floor_dp_pa = dp[r] + y[idx(r, kPx)];
    st.hrr_kw = hrr_now[r];
    st.fire_energy_kj = y[idx(r, kEfire)];
    st.max_upper_c = std::max(st.max_upper_c, g.tu - kKelvin);
    st.upper_o2 = g.yu;
    st.lower_o2 = g.yl;
    st.o2_kg = y[idx(r, kOu)] + y[idx(r, kOl)];
    st.o2_consumed_kg = y[idx(r, kEfire)] / spec.heat_of_combustion_o2_kj_per_kg;
  }
}

// ------------------------------------------------------------------------ public API

FireNetwork::FireNetwork(NetworkSpec spec) : impl_(std::make_unique<Impl>(std::move(spec))) {}
FireNetwork::~FireNetwork() = default;
FireNetwork::FireNetwork(FireNetwork&&) noexcept = default;
FireNetwork& FireNetwork::operator=(FireNetwork&&) noexcept = default;

void FireNetwork::ignite(int room, double t_s) {
  Impl& m = *impl_;
  assert(room >= 0 && room < m.n);
  if (t_s <= m.t + kTimeEps) {
    m.do_ignite(room, m.t);
    m.sync();
  } else {
    m.push_event(t_s, EventKind::kIgnite, room);
  }
}

void FireNetwork::suppress(int room, double t_s) {
  Impl& m = *impl_;
  assert(room >= 0 && room < m.n);
  if (t_s <= m.t + kTimeEps) {
    m.do_suppress(room, m.t);
    m.sync();
  } else {
    m.push_event(t_s, EventKind::kSuppress, room);
  }
}

void FireNetwork::hold(int room, double t_s) {
  Impl& m = *impl_;
  assert(room >= 0 && room < m.n);
  if (t_s <= m.t + kTimeEps) {
    m.do_hold(room, m.t);
    m.sync();
  } else {
    m.push_event(t_s, EventKind::kHold, room);
  }
}

void FireNetwork::set_vent_open(int vent, bool is_open) {
  Impl& m = *impl_;
  assert(vent >= 0 && vent < m.nv);
  if ((m.open[vent] != 0) == is_open) return;
  m.open[vent] = is_open ? 1 : 0;
  if (is_open) m.on_vent_opened(vent, m.t);
  m.vents_changed();
  m.sync();
}

void FireNetwork::advance_to(double t_s) {
  assert(t_s >= impl_->t);
  impl_->advance_to(t_s);
}

double FireNetwork::time_s() const {
  return impl_->t;
}
int FireNetwork::rooms() const {
  return impl_->n;
}
const NetRoomState& FireNetwork::room(int i) const {
  return impl_->state[i];
}
bool FireNetwork::vent_open(int v) const {
  return impl_->open[v] != 0;
}
double FireNetwork::vent_opened_s(int v) const {
  return impl_->opened_s[v];
}
int FireNetwork::rooms_involved() const {
  int k = 0;
  for (const auto& f : impl_->fire) k += f.ignited ? 1 : 0;
  return k;
}
const NetworkSpec& FireNetwork::spec() const {
  return impl_->spec;
}

double FireNetwork::mass_residual_kg() const {
  const Impl& m = *impl_;
  const double* g = m.y.data() + m.gidx(0);
  return m.total_mass_kg() - m.m0_kg - (g[kMin] - g[kMout] + g[kFuel]);
}

double FireNetwork::energy_residual_kj() const {
  const Impl& m = *impl_;
  const double* g = m.y.data() + m.gidx(0);
  double fire_kj = 0.0;
  for (int r = 0; r < m.n; ++r) fire_kj += m.y[m.idx(r, kEfire)];
  const double in =
      fire_kj - g[kRad] + kCpJPerKgK * 1e-3 * g[kFuel] * m.t_amb + g[kHnet] - g[kWall];
  // As network.hpp states it: energy in (fire, inflow enthalpy) minus out (outflow, wall
  // and radiative losses) minus the change of internal energy.
  return in - (m.total_energy_kj() - m.u0_kj);
}

double FireNetwork::oxygen_residual_kg() const {
  const Impl& m = *impl_;
  const double* g = m.y.data() + m.gidx(0);
  double consumed = 0.0;
  for (int r = 0; r < m.n; ++r) consumed += m.y[m.idx(r, kEfire)];
  consumed /= m.spec.heat_of_combustion_o2_kj_per_kg;
  return m.total_o2_kg() - m.o0_kg + g[kO2out] - g[kO2in] + consumed;
}

long FireNetwork::steps() const {
  return impl_->steps;
}

}  // namespace hqdrill::fire
