// RiMEA verification cases (RiMEA guideline "Richtlinie für Mikroskopische
// Entfluchtungsanalysen", version 3.0, annex 2: test cases) run on PedWorld
// (world.hpp). Each case builds its geometry, runs, and checks its criterion. Where the
// guideline gives no numeric band the band is an implementer's choice and `source` says
// whose. Geometries are HQ Drill's reading of the guideline's figures: see each case.
#pragma once

#include <string>
#include <vector>

namespace hqdrill::peds {

struct RimeaResult {
  std::string id;         ///< "1", "6", "9", "9 (scaled)", ...
  std::string title;      ///< what the case is
  std::string criterion;  ///< the acceptance criterion as checked
  std::string source;     ///< who set the criterion (guideline or implementer)
  double measured = 0.0;  ///< the measured value the criterion is applied to
  std::string unit;
  bool pass = false;
  std::string note;  ///< geometry, population and other details
};

/// Published population of test 9.
inline constexpr int kRimeaTest9Population = 1000;

/// Test 1: one pedestrian at 1.33 m/s walks a 2 m x 40 m corridor in 26-34 s.
RimeaResult rimea_test1();
/// Test 6: 20 pedestrians walk around a left corner without passing through walls.
RimeaResult rimea_test6();
/// Test 9: a 30 m x 20 m room with four 1 m exits, then with two of them closed; the
/// evacuation time roughly doubles. population != 1000 is reported as "9 (scaled)".
RimeaResult rimea_test9(int population = kRimeaTest9Population);
/// Test 12: a room, a 1 m door, a corridor, a second room: congestion forms in front
/// of the door and not behind it.
RimeaResult rimea_test12();

/// All cases, in order (test 9 with `test9_population`).
std::vector<RimeaResult> run_rimea(int test9_population = kRimeaTest9Population);

}  // namespace hqdrill::peds
