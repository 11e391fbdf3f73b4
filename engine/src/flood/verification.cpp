#include "hqdrill/flood/verification.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "hqdrill/flood/cells.hpp"

namespace hqdrill::flood {

namespace {

constexpr double kG = 9.80665;

std::string fmt(const char* f, double a, double b = 0.0, double c = 0.0) {
  char buf[240];
  std::snprintf(buf, sizeof buf, f, a, b, c);
  return buf;
}

CellSpec cell(std::string id, double area, double ground, double depth = 0.0) {
  return CellSpec{std::move(id), area, ground, depth};
}

Series constant(double v) {
  return Series{{{0.0, v}}};
}

// 1. Constant inflow Q into a prismatic basin: h = Q t / A (hand calculation).
FloodCase inflow_basin() {
  const double q = 0.2, area = 400.0, t = 3600.0;
  CellNetworkSpec s;
  s.cells = {cell("basin", area, 0.0)};
  s.inflow_m3s = {constant(q)};
  CellNetwork net(s);
  net.advance_to(t);
  return make_case("inflow-basin", "constant inflow 0.2 m3/s into a 400 m2 basin, depth at 1 h",
                   q * t / area, "hand calculation h = Q t / A", net.depth_m(0), 1e-9, "m",
                   fmt("%.0f steps (level-change limit 0.02 m)", static_cast<double>(net.steps())));
}

// 2. Pump drain-down: h = h0 - P t / A, dry at A h0 / P (hand calculation).
std::vector<FloodCase> pump_drain() {
  const double area = 50.0, h0 = 1.5, cap = 0.05, t_dry = area * h0 / cap;  // 1500 s
  CellNetworkSpec s;
  s.cells = {cell("basement", area, -3.0, h0)};
  s.pumps = {PumpSpec{0, kOutside, cap, true}};
  CellNetwork net(s);
  net.advance_to(0.5 * t_dry);
  const double half = net.depth_m(0);
  net.advance_to(t_dry);
  const double dry = net.depth_m(0);
  net.advance_to(t_dry + 600.0);
  const double after = net.depth_m(0);
  return {make_case(
              "pump-half", "pump 0.05 m3/s draining a 50 m2 basement from 1.5 m, depth at 750 s",
              h0 - cap * 0.5 * t_dry / area, "hand calculation h = h0 - P t / A", half, 1e-9, "m"),
          make_case("pump-dry", "the same basement at t = A h0 / P = 1500 s (dry), and 600 s later",
                    0.0, "hand calculation t_dry = A h0 / P", std::max(dry, after), 1e-9, "m",
                    "the limiter stops the pump at an empty cell; depth never negative")};
}

// 3. Torricelli drain: h(t) = (sqrt(h0) - Cd a sqrt(2g) t / (2A))^2.
FloodCase torricelli() {
  const double area = 100.0, h0 = 2.0, a = 0.05, cd = 0.6, t = 1000.0, dh_max = 0.005;
  CellNetworkSpec s;
  s.cells = {cell("basin", area, 0.0, h0)};
  s.orifices = {OrificeSpec{0, kOutside, 0.0, a, cd}};
  s.max_level_change_m = dh_max;
  CellNetwork net(s);
  net.advance_to(t);
  const double c = cd * a * std::sqrt(2.0 * kG) / area;  // dh/dt = -c sqrt(h)
  const double ref = std::pow(std::sqrt(h0) - 0.5 * c * t, 2.0);
  // Forward Euler on a decaying ODE: global error <= (dt/2) max|h''| t, h'' = c^2/2, and the
  // largest step is dt = dh_max / (c sqrt(h(t))) (the level falls slowest at the end).
  const double dt_max = dh_max / (c * std::sqrt(ref));
  const double tol = 0.5 * dt_max * 0.5 * c * c * t;
  return make_case("torricelli",
                   "100 m2 basin draining from 2 m through a 0.05 m2 orifice, depth at 1000 s", ref,
                   "closed form h = (sqrt(h0) - Cd a sqrt(2g) t / (2A))^2 (Torricelli)",
                   net.depth_m(0), tol, "m",
                   fmt("tolerance (dt/2)|h''|t with dt = %.2f s (level change <= %.3f m per step)",
                       dt_max, dh_max));
}

// 4. A lake at rest stays at rest.
FloodCase lake_at_rest() {
  const double level = 2.0;
  CellNetworkSpec s;
  s.cells = {cell("yard", 500.0, 0.5, level - 0.5), cell("floor", 120.0, 1.2, level - 1.2),
             cell("basement", 80.0, -1.0, level + 1.0), cell("street", 1000.0, 0.0, level),
             cell("store", 60.0, 1.9, level - 1.9)};
  s.weirs = {WeirSpec{0, 1, 1.5, 2.0}, WeirSpec{3, 0, 1.8, 6.0}, WeirSpec{1, 4, 2.5, 1.0},
             WeirSpec{4, 0, 1.95, 1.0}};
  s.orifices = {OrificeSpec{1, 2, 0.2, 0.4}, OrificeSpec{0, 2, 1.0, 0.1},
                OrificeSpec{3, 4, 2.2, 0.1}};
  s.boundary_levels = {{3, constant(level)}};
  CellNetwork net(s);
  std::vector<double> h0;
  for (int i = 0; i < net.cell_count(); ++i) h0.push_back(net.depth_m(i));
  net.advance_to(24.0 * 3600.0);
  double dev = 0.0;
  for (int i = 0; i < net.cell_count(); ++i) dev = std::max(dev, std::abs(net.depth_m(i) - h0[i]));
  return make_case(
      "lake-at-rest",
      "5 cells at one level 2.0 m (one a boundary), weirs and orifices, 24 h: max |dh|", 0.0,
      "exact: no forcing, no level difference", dev, 1e-12, "m",
      fmt("%.0f steps", static_cast<double>(net.steps())));
}

// 5. Mass balance of a forced multi-cell network over 48 h.
FloodCase mass_balance() {
  const double h = 3600.0;
  CellNetworkSpec s;
  s.cells = {cell("street", 2000.0, 0.0), cell("yard", 800.0, 0.5),
             cell("ground floor", 300.0, 0.8), cell("basement", 200.0, -2.5),
             cell("parking", 1500.0, 0.6)};
  s.boundary_levels = {{0, Series{{{0.0, 0.2}, {20 * h, 1.5}, {40 * h, 0.3}}}}};
  s.weirs = {WeirSpec{0, 1, 1.0, 6.0}, WeirSpec{1, 2, 0.9, 2.0}, WeirSpec{4, 1, 0.65, 10.0}};
  s.orifices = {OrificeSpec{2, 3, 0.8, 0.5}, OrificeSpec{1, kOutside, 0.5, 0.05}};
  s.pumps = {PumpSpec{3, kOutside, 0.03, true}, PumpSpec{1, 0, 0.02, true}};
  s.rain_mm_h = Series{
      {{1 * h, 20.0}, {3 * h, 60.0}, {5 * h, 10.0}, {8 * h, 0.0}, {30 * h, 40.0}, {33 * h, 0.0}}};
  s.runoff_coeff = {0.0, 0.9, 0.0, 0.0, 0.9};
  s.catchment_m2 = {0.0, 800.0, 0.0, 0.0, 1500.0};
  s.inflow_m3s = {Series{}, Series{}, Series{}, Series{},
                  Series{{{0.0, 0.0}, {2 * h, 0.05}, {6 * h, 0.0}}}};
  CellNetwork net(s);
  net.advance_to(12 * h);
  net.set_pump_on(0, false);
  net.advance_to(24 * h);
  net.set_pump_on(0, true);
  net.set_weir_crest(0, 1.3);  // sandbags on the gate
  net.advance_to(48 * h);
  const double throughput = net.volume_in_m3() + net.volume_out_m3();
  return make_case(
      "mass-balance",
      "street hydrograph, rain, inflow, 2 pumps (one switched), weirs, orifices, 48 h: "
      "|volume residual|",
      0.0, "exact: V_cells - V_0 - V_in + V_out = 0", std::abs(net.volume_residual_m3()), 1e-6,
      "m3",
      fmt("in %.0f m3, out %.0f m3, %.0f steps; tolerance 1e-6 m3 is round-off on this "
          "throughput",
          net.volume_in_m3(), net.volume_out_m3(), static_cast<double>(net.steps())) +
          fmt(" (%.1e relative)", 1e-6 / throughput));
}

// 6. Weirs: steady free flow C L H^1.5, and a barrier above / below the peak stage.
std::vector<FloodCase> weirs() {
  std::vector<FloodCase> out;
  const double c = kWeirCoeffBroadCrested;
  {
    const double stage = 1.5, crest = 1.0, length = 2.0, area = 1e4, t = 600.0;
    CellNetworkSpec s;
    s.cells = {cell("river", 1.0, 0.0), cell("yard", area, 0.0)};
    s.boundary_levels = {{0, constant(stage)}};
    s.weirs = {WeirSpec{0, 1, crest, length}};
    CellNetwork net(s);
    net.advance_to(t);
    const double ref = c * length * std::pow(stage - crest, 1.5);
    out.push_back(make_case("weir-steady",
                            "steady flow over a 2 m crest under a fixed head of 0.5 m (yard below "
                            "the crest)",
                            ref, "hand calculation Q = C L H^1.5, C = 1.705 m^0.5/s",
                            net.depth_m(1) * area / t, 1e-9, "m3/s"));
  }
  // A stage hydrograph 0.5 m -> 1.8 m (6 h) -> 0.5 m (12 h) against a barrier 10 m long.
  const double h = 3600.0, peak = 1.8, length = 10.0, area = 2e4;
  const double rate = (peak - 0.5) / (6 * h);
  auto overtopped = [&](double crest) {
    CellNetworkSpec s;
    s.cells = {cell("river", 1.0, 0.0), cell("yard", area, 0.0)};
    s.boundary_levels = {{0, Series{{{0.0, 0.5}, {6 * h, peak}, {12 * h, 0.5}}}}};
    s.weirs = {WeirSpec{0, 1, 1.0, length}};
    CellNetwork net(s);
    net.set_weir_crest(0, crest);
    net.advance_to(14 * h);
    return net.depth_m(1) * area;
  };
  out.push_back(make_case("barrier-high", "barrier crest 2.0 m above a 1.8 m peak: volume over",
                          0.0, "exact: the level never reaches the crest", overtopped(2.0), 0.0,
                          "m3"));
  const double crest = 1.5, dh = peak - crest;
  const double ref = 2.0 * c * length * std::pow(dh, 2.5) / (2.5 * rate);
  out.push_back(make_case(
      "barrier-low", "barrier crest 1.5 m under a 1.8 m peak: volume over (yard below crest)", ref,
      "closed form: integral of C L (eta(t) - crest)^1.5 on a linear rise and fall = "
      "2 C L dH^2.5 / (2.5 r)",
      overtopped(crest), 0.001 * ref, "m3",
      "tolerance 0.1 %: the stage is taken at the start of each step (dt <= 60 s against about "
      "2.8 h overtopping; the rising and falling limbs' errors cancel to first order)"));
  return out;
}

}  // namespace

std::vector<FloodCase> run_flood_verification() {
  std::vector<FloodCase> all;
  all.push_back(inflow_basin());
  for (FloodCase& c : pump_drain()) all.push_back(std::move(c));
  all.push_back(torricelli());
  all.push_back(lake_at_rest());
  all.push_back(mass_balance());
  for (FloodCase& c : weirs()) all.push_back(std::move(c));
  return all;
}

}  // namespace hqdrill::flood
