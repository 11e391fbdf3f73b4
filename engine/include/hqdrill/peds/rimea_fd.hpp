// The fundamental diagram of a walking model (ModelKind: the collision-free speed model by
// default, or the social-force model) measured in a periodic corridor and compared with
// Weidmann (1993), RiMEA test 4 built on it, and the flow through a 1 m door. All runs are
// deterministic (fixed seeds, PCG32) and return plain values.
//
// RiMEA test 4 ("Messung des Fundamentaldiagramms", RiMEA guideline 3.0 / 4.1.1, annex:
// verification tests) as published, read through its implementations (JuPedSim v0.8
// Utest/rimea_tests/test_4/runtest_rimea_4.py and a third-party suite quoting RiMEA 4.1.1,
// annex 2, p. 30; the guideline's own text was not available to us): a corridor 1000 m long
// and 10 m wide is filled evenly at 0.5, 1, 2, 3, 4, 5 and 6 persons/m²; at a 2 m x 2 m
// measuring point in the middle (plus control points) the mean speed is measured over 60 s
// after a 10 s transient, and the flow follows as density x speed; the result is to be
// compared with empirical fundamental diagrams. The guideline sets no numeric band. Like
// JuPedSim (26 m x 2 m periodic) we use a short periodic corridor instead of 1000 m x 10 m.
//
// Finding (HQ Drill, 2026-11-28): the HFV 2000 model fails this comparison by construction.
// Its pair forces are antisymmetric, so in a periodic corridor they cancel in the sum over
// all agents and the mean velocity obeys d<v>/dt = (v0 e - <v>)/tau + (wall forces)/(N m):
// the crowd relaxes to its free speed v0 at any density, slowed only by friction with the
// side walls once it is compressed against them (about 1.0 m/s at 6 /m² with 0.2 m bodies).
// Weidmann's decline (0.61 m/s at 2 /m², 0.16 at 4) needs forces that break this symmetry,
// e.g. a velocity-dependent space requirement (Seyfried et al., Physica A 368, 2006;
// Chraibi et al., PRE 82, 2010) or a speed model such as the collision-free speed model
// (Tordeux et al. 2016). A field-of-view anisotropy added to HFV 2000's A and B was tried
// and rejected: it slows the crowd at 1-2 /m² but pushes it backwards above 3 /m².
//
// Result (HQ Drill, 2026-11-28): the collision-free speed model (cfsm.hpp) with T = 0.55 s,
// l = 2r = 0.4 m and JuPedSim's repulsion constants passes, full run (10 s + 60 s, dt 0.01 s,
// 16 m x 3 m, seed 4; speeds in m/s):
//
//   density /m²   0.5    1      2      3      4      5      6
//   Weidmann      1.298  1.058  0.606  0.331  0.156  0.037  0
//   CFSM T 0.55   1.340  1.105  0.630  0.295  0.183  0.076  0.000
//
// worst deviation 0.14 of the band (+0.047 m/s at 1 /m², -0.036 at 3); JuPedSim's default
// T = 1 s fails (0.61 m/s at 1 /m², worst 1.22 of the band). The door: CFSM 1.70-1.80 /s
// through 1 m (ten seeds, dt 0.01 s), HFV 2.9 /s; experiments about 1.9 /s. Details and the
// calibration table: BENCHMARKS.md, "Collision-free speed model".
#pragma once

#include "hqdrill/peds/model.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "hqdrill/peds/cfsm.hpp"
#include "hqdrill/peds/rimea.hpp"
#include "hqdrill/peds/social_force.hpp"

namespace hqdrill::peds {

/// "social force (HFV 2000)" or "collision-free speed model (Tordeux et al. 2016)".
std::string model_name(ModelKind kind);

/// The published densities of RiMEA test 4 (persons/m²).
inline const std::vector<double> kRimea4Densities{0.5, 1, 2, 3, 4, 5, 6};

struct FdOptions {
  std::vector<double> densities_pm2 = kRimea4Densities;
  double length_m = 16.0;            ///< Periodic corridor length (x).
  double width_m = 3.0;              ///< Corridor width (y), walls at y = 0 and y = width_m.
  double dt_s = 0.01;                ///< Step (contacts are stiff: see social_force.hpp).
  double transient_s = 10;           ///< Not measured (RiMEA test 4: 10 s).
  double measure_s = 60;             ///< Measured (RiMEA test 4: 60 s).
  double desired_speed_mps = 1.34;   ///< v0 for everyone (Weidmann's free speed).
  double radius_m = 0.2;             ///< Body radius for everyone.
  std::uint64_t seed = 4;            ///< Jitter of the initial lattice (PCG32).
  ModelKind kind = ModelKind::cfsm;  ///< The walking model measured.
  SocialForceParams model;           ///< Social-force constants (kind social_force).
  CfsmParams cfsm;                   ///< Collision-free speed model constants (kind cfsm).
};

/// One density of the diagram. Speeds and flows are along the corridor (+x).
struct FdPoint {
  double density_pm2 = 0;  ///< Nominal: agents / corridor area.
  std::size_t agents = 0;
  double area_density_pm2 = 0;    ///< Mean N / A in the main measuring section.
  double speed_mps = 0;           ///< Mean x-velocity in the main section (method C).
  double weidmann_speed_mps = 0;  ///< Weidmann v(density_pm2).
  double flow_psm = 0;            ///< Specific flow: line crossings / (time x width).
  double weidmann_flow_psm = 0;   ///< Weidmann density_pm2 x v(density_pm2).
  double area_flow_psm = 0;       ///< rho x v in the main measuring point (method C).
  double control_speed_mps = 0;   ///< Mean x-velocity in the control section at the seam.
};

/// Runs the corridor at each density and measures: a main measuring section 2 m long across
/// the full width in the middle (x = L/2 +- 1; RiMEA's measuring point is 2 m x 2 m in a
/// 10 m corridor, but in a 3 m corridor a 2 m square would sample fixed lanes), a control
/// section of the same size next to the periodic seam (x = 0 .. 2), and a line across the
/// corridor at x = L/2 (flow = net crossings / (time x width)).
std::vector<FdPoint> fundamental_diagram(const FdOptions& options = {});

/// RiMEA test 4 on fundamental_diagram(options). Criterion (HQ Drill's band; the guideline
/// only asks for a comparison with the literature): at every density <= 4 /m² the measured
/// speed is within 0.25 m/s or 35 % (whichever is larger) of Weidmann's, and the speed
/// does not increase with density (0.05 m/s slack). The note lists the whole table.
RimeaResult rimea_test4(const FdOptions& options = {});
/// The same judgement on a diagram already measured with `options`.
RimeaResult rimea_test4(const std::vector<FdPoint>& fd, const FdOptions& options = {});

// ---------------------------------------------------------------- door flow

struct DoorFlowOptions {
  int agents = 100;
  double door_width_m = 1.0;
  double dt_s = 0.01;
  double desired_speed_mps = 1.34;
  double radius_m = 0.2;  ///< Mean body radius.
  /// Radii uniform in radius_m +- radius_spread_m (HFV 2000: 0.3 +- 0.05, i.e. shoulder
  /// widths 0.5-0.7 m); 0: everyone radius_m.
  double radius_spread_m = 0.0;
  std::uint64_t seed = 9;
  double max_time_s = 300;
  ModelKind kind = ModelKind::cfsm;
  SocialForceParams model;  ///< Social-force constants (kind social_force).
  CfsmParams cfsm;          ///< Collision-free speed model constants (kind cfsm).
};

struct DoorFlowResult {
  int agents = 0;
  int crossed = 0;               ///< Positive crossings of the door line.
  double steady_flow_per_s = 0;  ///< Between the 10 % and 90 % quantiles of the crossings.
  double specific_flow_psm = 0;  ///< steady_flow_per_s / door width.
  /// (crossed - 1) / (last - first crossing): the whole run, start-up and stragglers in.
  double overall_flow_per_s = 0;
  double first_crossing_s = 0;
  double last_crossing_s = 0;
};

/// A 10 m x 10 m room (x 0..10, y 0..10) emptying through a door of door_width_m centred in
/// its east wall (x = 10) into a 6 m deep free area; agents start on a jittered grid in
/// x 0.5..7, all at once, and walk to the door (then straight on, +x). Flow is measured
/// with a MeasurementLine on the door span.
DoorFlowResult door_flow(const DoorFlowOptions& options = {});

}  // namespace hqdrill::peds
