// Agreement of the macroscopic twin (macro.hpp) with the microscopic PedWorld (its
// default walking model + floor field) on the total evacuation time of simple rooms (issue #4 item
// 5).
//
// Both models start from the same people: agents on a regular grid in a 10 m × 10 m room
// (centres in 0.5..9.5 m), v0 1.34 m/s, r 0.2 m, at rest, no pre-movement; PedWorld at
// dt 0.05 s. The macro twin releases the same people at t = 0 with their in-room walk =
// the distance from their centre to the nearest exit door (MacroModel::add_walkers), at
// the free speed 1.34 m/s, dt 0.1 s, quickest exit choice.
//
// Door flow. The SFPE default (1.316 p/(s·m) of effective width) is a conservative
// design value; the social-force model, as published (Helbing, Farkas and Vicsek 2000,
// isotropic, no panic), pushes far more through a door. So the twin is calibrated: the
// test measures the micro model's mean specific flow through a 1 m exit door over whole
// evacuations of 50 and of 100 people, J = (50 + 100) / (T50 + T100) / W_eff with
// W_eff = 1.0 − 2·0.15 = 0.70 m, and gives that J to MacroSettings::door_specific_flow_psm.
// The whole-run mean includes the start and the tail at the door jambs; the steady flow
// between the 10th and 90th percentile of exits is higher (4.2 p/(s·m) at 100 people on
// this branch's base).
//
// Tolerance ±20 % on the total time, for 50 to 100 people per door and doors of 1 and 2 m.
// Why: the micro evacuation time behaves like a + N/c (a ≈ 5–10 s of start-up and tail;
// c rises a little with the crowd pushing behind), the macro one like N/c' (a
// constant-capacity queue), so one calibrated flow fits 50–100 per door to within about
// ±15 % and no better; 200 per door is +16 to +28 % already (not asserted).
//
// Measured 2026-11-28 (times in s; ratio = macro / micro): "base" is this branch's base
// ae0546c (floor field without wall penalty; J = 3.04 p/(s·m), 2.3 × SFPE), "main" is
// main e1d77bc with this change (PedWorld's field has a wall penalty; J = 3.55, 2.7 × SFPE).
//
//                                  base                         main
//   case                   micro  macro ratio SFPE/mi   micro  macro ratio SFPE/mi
//   1 m, 50 (calibration)  26.80  23.81  0.89  2.03     23.80  20.51  0.86  2.28
//   1 m, 100 (calibration) 43.60  47.31  1.09  2.49     36.50  40.61  1.11  2.98
//   2 m, 50                12.50  10.41  0.83  1.83     11.00   9.21  0.84  2.07
//   2 m, 100               17.75  20.01  1.13  2.54     16.80  17.21  1.02  2.69
//   two 1 m doors, 100     26.90  23.81  0.89  2.02     24.00  20.51  0.85  2.26
//   1 m + corridor, 100    57.85  54.91  0.95  2.01     57.45  48.21  0.84  2.02
//   not asserted:
//   1 m, 200               73.25  94.01  1.28           69.70  80.61  1.16
//   1 m + corridor, 50     41.95  31.41  0.75           40.00  28.11  0.70
// The corridor cases run low because the micro door into a corridor passes fewer people
// than an exit door, where agents vanish on the door line and stop pushing back on the
// queue; the two-door room is the 50-per-door case twice (quickest choice splits it).
//
//
// Collision-free speed model (PedWorld's default since wip-cfsm2; 2026-11-28). It first
// failed the corridor case, micro 80 s against macro 54 s (ratio 0.68): its exit agents
// vanished on the door line, so the follower lost the agent ahead and walked out at v0
// (1 m exit door about 2.6 p/s), while through the same door into the corridor the agent
// ahead walks on and the follower keeps its time gap (about 1.4 p/s). PedWorld now lets
// an agent that is out walk on beyond the exit (PedWorldOptions::exit_apron_m), and the
// field is a quickest-path field (congestion_interval_s). J = 2.29 p/(s·m), 1.7 × SFPE:
//   case                   micro  macro ratio SFPE/mi
//   1 m, 50 (calibration)  32.75  31.51  0.96  1.66
//   1 m, 100 (calibration) 60.95  62.71  1.03  1.78
//   2 m, 50                14.35  13.51  0.94  1.59
//   2 m, 100               28.60  26.31  0.92  1.58
//   two 1 m doors, 100     31.00  31.51  1.02  1.75
//   1 m + corridor, 100    79.80  70.31  0.88  1.46
//
// The micro model is still being calibrated elsewhere: the door flow is measured here, not
// pinned, so the agreement follows it; the table above will then be out of date.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "hqdrill/peds/macro.hpp"
#include "hqdrill/peds/world.hpp"

using namespace hqdrill;
using namespace hqdrill::peds;

namespace {

constexpr double kTolerance = 0.20;  // ±20 % on total evacuation time, see above
constexpr double kMicroDt_s = 0.05;

Ring rect(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
}

/// n centres on a regular grid over x, y in 0.5..9.5 (square cells as far as n allows).
std::vector<Vec2> grid_positions(int n) {
  const int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  const int rows = (n + cols - 1) / cols;
  const double dx = 9.0 / cols, dy = 9.0 / rows;
  std::vector<Vec2> p;
  for (int j = 0; j < rows; ++j)
    for (int i = 0; i < cols && static_cast<int>(p.size()) < n; ++i)
      p.push_back({0.5 + dx * (i + 0.5), 0.5 + dy * (j + 0.5)});
  return p;
}

enum class Layout { one_door, two_doors, corridor };

struct Case {
  std::string name;
  Layout layout = Layout::one_door;
  double door_m = 1.0;
  int people = 0;
  double micro_s = -1;  ///< already measured (the calibration runs), else < 0
};

/// Door on the east wall (x = 10), centred; the second door of two_doors on the west wall.
Segment east_door(double w) {
  return {{10, 5 - w / 2}, {10, 5 + w / 2}};
}
Segment west_door(double w) {
  return {{0, 5 - w / 2}, {0, 5 + w / 2}};
}

double micro_time_s(const Case& c) {
  std::vector<WalkableArea> areas;
  std::vector<ExitRef> exits;
  switch (c.layout) {
    case Layout::one_door:
      areas.push_back({"room", rect(0, 0, 10, 10), {}, {{"d", east_door(c.door_m), true}}});
      exits = {{0, "d"}};
      break;
    case Layout::two_doors:
      areas.push_back({"room",
                       rect(0, 0, 10, 10),
                       {},
                       {{"e", east_door(c.door_m), true}, {"w", west_door(c.door_m), true}}});
      exits = {{0, "e"}, {0, "w"}};
      break;
    case Layout::corridor:  // the door leads into a 2 m × 10 m corridor open at its end
      areas.push_back({"room", rect(0, 0, 10, 10), {}, {{"d", east_door(c.door_m), true}}});
      areas.push_back({"corridor", rect(10, 4, 20, 6), {}, {{"end", {{20, 4}, {20, 6}}, true}}});
      exits = {{1, "end"}};
      break;
  }
  PedWorld w(std::move(areas), exits);
  for (Vec2 p : grid_positions(c.people)) {
    PedSpec s;
    s.position = p;
    w.add_agent(s);
  }
  REQUIRE(w.run(kMicroDt_s, 600));
  return w.evacuation_time_s();
}

MacroLink door_link(const std::string& id, Index a, Index b, double width_m, double length_m) {
  MacroLink l;
  l.id = id;
  l.a = a;
  l.b = b;
  l.clear_width_m = width_m;
  l.length_m = length_m;
  return l;
}

/// door_psm: the door specific flow (0 = SFPE).
double macro_time_s(const Case& c, double door_psm) {
  MacroNetwork net;
  net.rooms.push_back({"room", 100, 0});
  std::vector<Segment> doors{east_door(c.door_m)};
  // An exit door's link only carries people over the door line (PedWorld counts them out
  // there): a token 0.01 m.
  switch (c.layout) {
    case Layout::one_door:
      net.rooms.push_back({"out", 0, 0, true});
      net.links.push_back(door_link("d", 0, 1, c.door_m, 0.01));
      break;
    case Layout::two_doors:
      net.rooms.push_back({"out", 0, 0, true});
      net.links.push_back(door_link("e", 0, 1, c.door_m, 0.01));
      net.links.push_back(door_link("w", 0, 1, c.door_m, 0.01));
      doors.push_back(west_door(c.door_m));
      break;
    case Layout::corridor:
      // room –door, then 10 m of corridor– corridor (20 m²) –its 2 m open end– out
      net.rooms.push_back({"corridor", 20, 0});
      net.rooms.push_back({"out", 0, 0, true});
      net.links.push_back(door_link("d", 0, 1, c.door_m, 10.0));
      net.links.push_back(door_link("end", 1, 2, 2.0, 0.01));
      break;
  }
  MacroSettings s;
  s.dt_ms = 100;
  s.choice = ExitChoice::quickest;
  s.door_specific_flow_psm = door_psm;
  s.trace_every_ms = 0;
  MacroModel m(net, s);
  std::vector<double> walks;
  for (Vec2 p : grid_positions(c.people)) {
    double d = 1e9;
    for (const Segment& door : doors) d = std::min(d, norm(p - closest_point(door, p)));
    walks.push_back(d);
  }
  m.add_walkers(0, 0, walks);
  while (!m.done() && m.now_ms() < 3600 * kMsPerSecond) m.step();
  REQUIRE(m.evacuated() == c.people);
  return ms_to_seconds(m.last_exit_ms());
}

}  // namespace

TEST_CASE(
    "the macro twin with the micro model's measured door flow agrees on evacuation times of "
    "simple rooms within 20 %",
    "[peds][macro][agreement]") {
  // Calibration: the micro model's mean specific flow through a 1 m exit door.
  const double t50 = micro_time_s({"1 m door, 50", Layout::one_door, 1.0, 50});
  const double t100 = micro_time_s({"1 m door, 100", Layout::one_door, 1.0, 100});
  const double w_eff = effective_width_m(1.0, Boundary::door_jamb, Boundary::door_jamb);
  const double j_micro = 150.0 / (t50 + t100) / w_eff;
  INFO("micro 1 m door: T50 = " << t50 << " s, T100 = " << t100 << " s, J = " << j_micro
                                << " p/(s·m) of effective width");
  // The SFPE design flow is conservative against the social-force model (2.3× at the
  // time of writing; not pinned, the micro model is being calibrated elsewhere).
  CHECK(j_micro > sfpe_max_specific_flow_psm());

  const std::vector<Case> cases{
      {"1 m door, 50 (calibration)", Layout::one_door, 1.0, 50, t50},
      {"1 m door, 100 (calibration)", Layout::one_door, 1.0, 100, t100},
      {"2 m door, 50", Layout::one_door, 2.0, 50},
      {"2 m door, 100", Layout::one_door, 2.0, 100},
      {"two 1 m doors, 100", Layout::two_doors, 1.0, 100},
      {"1 m door, 10 m corridor, 100", Layout::corridor, 1.0, 100},
  };
  for (const Case& c : cases) {
    const double micro = c.micro_s >= 0 ? c.micro_s : micro_time_s(c);
    const double twin = macro_time_s(c, j_micro);
    const double sfpe = macro_time_s(c, 0.0);
    INFO(c.name << ": micro " << micro << " s, macro (J) " << twin << " s, ratio " << twin / micro
                << "; macro (SFPE) " << sfpe << " s, SFPE/micro " << sfpe / micro);
    CHECK(twin / micro == Approx(1.0).margin(kTolerance));
    // The SFPE default is conservative here: slower than the micro model, by the flow
    // ratio give or take the start-up and tail (1.8–2.5× at the time of writing).
    CHECK(sfpe > micro);
  }
}

TEST_CASE("the macro twin reproduces the micro model's width scaling through effective widths",
          "[peds][macro][agreement]") {
  // Both models with 100 people: the 2 m door (W_eff 1.70 m) against the 1 m door
  // (0.70 m). The micro time ratio is 17.75/43.60 = 0.41 (base; main 16.80/36.50 = 0.46);
  // the macro's, with any constant door flow, is about 0.70/1.70 = 0.41 plus the walks
  // (measured 0.42). Within 20 %.
  const double micro_ratio = micro_time_s({"2 m", Layout::one_door, 2.0, 100}) /
                             micro_time_s({"1 m", Layout::one_door, 1.0, 100});
  const double macro_ratio = macro_time_s({"2 m", Layout::one_door, 2.0, 100}, 0.0) /
                             macro_time_s({"1 m", Layout::one_door, 1.0, 100}, 0.0);
  INFO("micro 2 m / 1 m: " << micro_ratio << ", macro: " << macro_ratio);
  CHECK(macro_ratio / micro_ratio == Approx(1.0).margin(kTolerance));
}
