#include "hqdrill/fire/zone.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

namespace hqdrill::fire {

namespace {

// Indices into the state vector: the four CFAST variables, then running totals.
enum : int { kP, kVu, kTu, kTl, kEfire, kMin, kMout, kHvent, kWall, kFuel, kRad };

// Mass flow (kg/s) through one vent segment [b, t] over which the pressure difference is
// linear and of one sign: Bernoulli integrated over the segment, CFAST Tech. Ref. ch. 4
// (Emmons' form, SFPE Handbook): 2/3 C sqrt(2 rho) w (t - b) (|Pt| + sqrt|Pt Pb| + |Pb|) /
// (sqrt|Pt| + sqrt|Pb|).
double segment_flow(double rho, double w, double b, double t, double dpb, double dpt) {
  const double ab = std::abs(dpb), at = std::abs(dpt);
  const double den = std::sqrt(ab) + std::sqrt(at);
  if (den <= 0.0 || t <= b) return 0.0;
  return 2.0 / 3.0 * kVentFlowCoefficient * std::sqrt(2.0 * rho) * w * (t - b) *
         (at + std::sqrt(at * ab) + ab) / den;
}

struct VentFlows {
  double out_upper_kg_s = 0.0, out_lower_kg_s = 0.0, in_kg_s = 0.0;
};

// Two-way flow through a wall vent to the outside for a floor pressure difference dp
// (room minus outside, Pa). Hydrostatics: inside, density rho_l below the interface z_i
// and rho_u above; outside rho_inf.
VentFlows vent_flows(const Opening& o, double dp, double zi, double rho_u, double rho_l,
                     double rho_inf) {
  auto dpz = [&](double z) {
    const double zl = std::min(z, zi), zu = std::max(z - zi, 0.0);
    return dp - kGravityMps2 * ((rho_l - rho_inf) * zl + (rho_u - rho_inf) * zu);
  };
  VentFlows f;
  // Segments: split at the interface, then at the neutral plane inside each piece.
  double cuts[3] = {o.sill_m, std::clamp(zi, o.sill_m, o.soffit_m), o.soffit_m};
  for (int s = 0; s < 2; ++s) {
    const double b = cuts[s], t = cuts[s + 1];
    if (t <= b) continue;
    const bool upper = b >= zi;
    const double pb = dpz(b), pt = dpz(t);
    double mids[3] = {b, t, t};
    int n = 1;
    if (pb * pt < 0.0) {
      mids[1] = b + pb / (pb - pt) * (t - b);  // neutral plane
      mids[2] = t;
      n = 2;
    }
    for (int k = 0; k < n; ++k) {
      const double sb = mids[k], st = mids[k + 1];
      const double qb = dpz(sb), qt = dpz(st);
      const double sign = qb + qt;
      if (sign > 0.0) {
        const double m = segment_flow(upper ? rho_u : rho_l, o.width_m, sb, st, qb, qt);
        (upper ? f.out_upper_kg_s : f.out_lower_kg_s) += m;
      } else if (sign < 0.0) {
        f.in_kg_s += segment_flow(rho_inf, o.width_m, sb, st, qb, qt);
      }
    }
  }
  return f;
}

}  // namespace

double ZoneRoom::heskestad_entrainment_kg_s(double q_kw, double q_c_kw, double d, double z,
                                            double rho, double t_inf) {
  if (q_c_kw <= 0.0 || z <= 0.0) return 0.0;
  const double q = q_kw * 1e3, qc = q_c_kw * 1e3, g = kGravityMps2, cp = kCpJPerKgK;
  const double qstar = q / (rho * cp * t_inf * std::sqrt(g * d) * d * d);
  const double z0 = d * (-1.02 + 1.4 * std::pow(qstar, 0.4));
  const double flame = d * (-1.02 + 3.7 * std::pow(qstar, 0.4));
  const double a = 0.196 * std::cbrt(g * rho * rho / (cp * t_inf)) * std::cbrt(qc);
  const double b =
      2.9 * std::pow(qc, 2.0 / 3.0) / std::pow(std::sqrt(g) * cp * rho * t_inf, 2.0 / 3.0);
  auto above = [&](double zz) {
    const double h = std::max(zz - z0, 1e-6), h53 = std::pow(h, 5.0 / 3.0);
    return a * h53 * (1.0 + b / h53);
  };
  if (flame > 0.0 && z < flame) return above(flame) * z / flame;
  return above(z);
}

ZoneRoom::ZoneRoom(ZoneRoomSpec spec, FireHrr fire)
    : spec_(std::move(spec)), fire_(std::move(fire)) {
  assert(spec_.room.volume_m3() > 0.0);
  const double t_inf = spec_.ambient_c + kKelvin;
  y_[kP] = spec_.ambient_pa;
  y_[kVu] = v_min();
  y_[kTu] = t_inf;
  y_[kTl] = t_inf;
  m0_kg_ = gas_mass_kg();
  u0_kj_ = gas_internal_energy_kj();
  sync_state(0.0);
}

double ZoneRoom::gas_mass_kg() const {
  const double v = spec_.room.volume_m3();
  return y_[kP] / kGasConstantJPerKgK * (y_[kVu] / y_[kTu] + (v - y_[kVu]) / y_[kTl]);
}

double ZoneRoom::gas_internal_energy_kj() const {
  // c_v m T summed over layers = P V / (gamma - 1) by the equation of state; computed from
  // the layers so that a broken layer equation would show.
  const double v = spec_.room.volume_m3(), cv = kCpJPerKgK / kGamma;
  const double mu = y_[kP] * y_[kVu] / (kGasConstantJPerKgK * y_[kTu]);
  const double ml = y_[kP] * (v - y_[kVu]) / (kGasConstantJPerKgK * y_[kTl]);
  return cv * (mu * y_[kTu] + ml * y_[kTl]) * 1e-3;
}

ZoneRoom::Vec ZoneRoom::rhs(double t, const Vec& y, double* dp_out) const {
  const RoomGeometry& r = spec_.room;
  const double v = r.volume_m3(), area = r.floor_area_m2(), perim = 2.0 * (r.width_m + r.length_m);
  const double cp = kCpJPerKgK, rg = kGasConstantJPerKgK;
  const double t_inf = spec_.ambient_c + kKelvin;
  const double p = y[kP], tu = y[kTu], tl = y[kTl];
  const double vu = std::clamp(y[kVu], v_min(), v - v_min()), vl = v - vu;
  const double zi = r.height_m - vu / area;
  const double rho_u = p / (rg * tu), rho_l = p / (rg * tl);
  const double rho_inf = spec_.ambient_pa / (rg * t_inf);
  const double mu = rho_u * vu, ml = rho_l * vl;

  const double q_kw = fire_.hrr_kw(t);
  const double qc_kw = (1.0 - spec_.radiative_fraction) * q_kw;
  const double mf = q_kw / spec_.heat_of_combustion_kj_per_kg;  // kg/s

  // Plume: entrains lower-layer gas up to the interface; weak-plume limit.
  double me = heskestad_entrainment_kg_s(q_kw, qc_kw, spec_.fire_diameter_m,
                                         zi - spec_.fire_elevation_m, rho_inf, t_inf);
  if (tu > tl) me = std::min(me, qc_kw * 1e3 / (cp * (tu - tl)));
  // Once the lower layer is nearly gone the plume cannot take more than is left (drained
  // over at most 0.1 s), which keeps V_l >= the minimum layer volume.
  me = std::min(me, std::max(0.0, (vl - v_min()) * rho_l) * 10.0);

  double qu = qc_kw * 1e3 + cp * me * tl + cp * mf * t_inf;
  double ql = -cp * me * tl;
  double mdu = me + mf, mdl = -me;

  // Wall loss, lumped (see header).
  double wall_u = 0.0, wall_l = 0.0;
  if (!spec_.adiabatic) {
    const double hk = mqh_hk_kw_per_m2k(spec_.lining, std::max(t, 1.0));
    const double h = 1e3 / (1.0 / spec_.wall_film_kw_per_m2k + 1.0 / hk);  // W/(m2 K)
    wall_u = h * (area + perim * (r.height_m - zi)) * (tu - t_inf);
    wall_l = h * (area + perim * zi) * (tl - t_inf);
  }
  qu -= wall_u;
  ql -= wall_l;

  // Vents: find the floor pressure difference that holds the room at constant pressure.
  double dp = 0.0, min = 0.0, mout = 0.0, hvent = 0.0;
  if (!spec_.vents.empty()) {
    auto flows = [&](double d, double& fu, double& fl, double& fin) {
      fu = fl = fin = 0.0;
      for (const Opening& o : spec_.vents) {
        const VentFlows f = vent_flows(o, d, zi, rho_u, rho_l, rho_inf);
        fu += f.out_upper_kg_s;
        fl += f.out_lower_kg_s;
        fin += f.in_kg_s;
      }
    };
    auto net = [&](double d) {
      double fu, fl, fin;
      flows(d, fu, fl, fin);
      return qu + ql + cp * (fin * t_inf - fu * tu - fl * tl);
    };
    double lo = -5000.0, hi = 5000.0;
    for (int i = 0; i < 80; ++i) {
      const double mid = 0.5 * (lo + hi);
      (net(mid) > 0.0 ? lo : hi) = mid;
    }
    dp = 0.5 * (lo + hi);
    double fu, fl, fin;
    flows(dp, fu, fl, fin);
    qu -= cp * fu * tu;
    mdu -= fu;
    ql += cp * (fin * t_inf - fl * tl);
    mdl += fin - fl;
    min = fin;
    mout = fu + fl;
    hvent = cp * (fin * t_inf - fu * tu - fl * tl);
  }
  if (dp_out) *dp_out = dp;

  Vec d{};
  d[kP] = spec_.vents.empty() ? (kGamma - 1.0) / v * (qu + ql) : 0.0;
  d[kVu] = ((kGamma - 1.0) * qu - vu * d[kP]) / (kGamma * p);
  d[kTu] = (qu - cp * mdu * tu + vu * d[kP]) / (cp * mu);
  d[kTl] = (ql - cp * mdl * tl + vl * d[kP]) / (cp * ml);
  d[kEfire] = q_kw;
  d[kMin] = min;
  d[kMout] = mout;
  d[kHvent] = hvent * 1e-3;
  d[kWall] = (wall_u + wall_l) * 1e-3;
  d[kFuel] = mf;
  d[kRad] = spec_.radiative_fraction * q_kw;
  return d;
}

void ZoneRoom::rk4(double t, const Vec& y, double h, Vec& out) const {
  auto axpy = [](const Vec& a, double s, const Vec& b) {
    Vec r;
    for (int i = 0; i < kN; ++i) r[i] = a[i] + s * b[i];
    return r;
  };
  const Vec k1 = rhs(t, y, nullptr);
  const Vec k2 = rhs(t + 0.5 * h, axpy(y, 0.5 * h, k1), nullptr);
  const Vec k3 = rhs(t + 0.5 * h, axpy(y, 0.5 * h, k2), nullptr);
  const Vec k4 = rhs(t + h, axpy(y, h, k3), nullptr);
  for (int i = 0; i < kN; ++i)
    out[i] = y[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
}

void ZoneRoom::advance_to(double t_end) {
  constexpr double kTol = 1e-7, kMaxStep = 1.0, kMinStep = 1e-6;
  const double v = spec_.room.volume_m3();
  double t = state_.time_s;
  while (t < t_end) {
    const bool truncated = t_end - t < std::min(h_, kMaxStep);
    const double h = truncated ? t_end - t : std::min(h_, kMaxStep);
    Vec full, half, two;
    rk4(t, y_, h, full);
    rk4(t, y_, 0.5 * h, half);
    rk4(t + 0.5 * h, half, 0.5 * h, two);
    const double err =
        std::max({std::abs(two[kP] - full[kP]) / y_[kP], std::abs(two[kVu] - full[kVu]) / v,
                  std::abs(two[kTu] - full[kTu]) / y_[kTu],
                  std::abs(two[kTl] - full[kTl]) / y_[kTl]}) /
        15.0;
    const bool finite = std::isfinite(err) && two[kTu] > 0.0 && two[kTl] > 0.0;
    if (finite && (err <= kTol || h <= kMinStep)) {
      for (int i = 0; i < kN; ++i) y_[i] = two[i] + (two[i] - full[i]) / 15.0;
      y_[kVu] = std::clamp(y_[kVu], v_min(), v - v_min());
      t += h;
      ++steps_;
      // A step cut short to land on t_end does not set the next step size.
      if (!truncated)
        h_ = std::clamp(0.9 * h * std::pow(kTol / std::max(err, 1e-30), 0.2), 0.2 * h, 2.0 * h);
      if (t_end - t < 1e-9) t = t_end;
    } else {
      h_ =
          std::max(kMinStep, finite ? std::max(0.2, 0.9 * std::pow(kTol / err, 0.2)) * h : 0.1 * h);
    }
  }
  state_.time_s = t_end;
  double dp = 0.0;
  rhs(t_end, y_, &dp);
  sync_state(dp);
}

void ZoneRoom::sync_state(double dp) {
  state_.pressure_pa = y_[kP];
  state_.upper_volume_m3 = y_[kVu];
  state_.upper_k = y_[kTu];
  state_.lower_k = y_[kTl];
  state_.layer_height_m = spec_.room.height_m - y_[kVu] / spec_.room.floor_area_m2();
  state_.floor_dp_pa = dp;
  state_.hrr_kw = fire_.hrr_kw(state_.time_s);
  state_.fire_energy_kj = y_[kEfire];
  state_.vent_mass_in_kg = y_[kMin];
  state_.vent_mass_out_kg = y_[kMout];
  state_.vent_enthalpy_in_kj = y_[kHvent];
  state_.wall_loss_kj = y_[kWall];
  state_.fuel_mass_kg = y_[kFuel];
  state_.radiated_kj = y_[kRad];
}

}  // namespace hqdrill::fire
