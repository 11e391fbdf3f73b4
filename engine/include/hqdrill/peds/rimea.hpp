// RiMEA verification cases (RiMEA guideline "Richtlinie für Mikroskopische
// Entfluchtungsanalysen", version 3.0, annex 2: test cases) run on PedWorld
// (world.hpp). Each case builds its geometry, runs, and checks its criterion. Where the
// guideline gives no numeric band the band is an implementer's choice and `source` says
// whose. Geometries: the guideline gives them as figures; HQ Drill takes the
// coordinates from JuPedSim's RiMEA test suite (PedestrianDynamics/jupedsim,
// Utest/rimea_tests/test_N/geometry.xml and master_ini.xml; its scripts cite RiMEA 3.0
// and, for tests 7, 9 and 11, version 2.2.1) where it has one, and says so in each
// case's comment; otherwise the geometry is recalled and the note says so. The guideline's
// PDF itself was not available to check against.
#pragma once

#include <cstddef>
#include <cstdint>
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
/// Test 5: ten persons with reaction times 10, 20, ..., 100 s in an 8 m x 5 m room each
/// start to walk at their own reaction time.
RimeaResult rimea_test5();
/// Test 6: 20 pedestrians walk around a left corner without passing through walls.
RimeaResult rimea_test6();
/// Test 7: 50 adults get desired speeds from the age-speed distribution (Weidmann 1993,
/// the figure of the guideline); the walking speeds observed match the distribution.
RimeaResult rimea_test7();
/// Test 9: a 30 m x 20 m room with four 1 m exits, then with two of them closed; the
/// evacuation time roughly doubles. population != 1000 is reported as "9 (scaled)".
RimeaResult rimea_test9(int population = kRimeaTest9Population);
/// Test 10: 23 persons in 12 rooms off a corridor, each assigned to one of two exits,
/// leave by their assigned exit.
RimeaResult rimea_test10();
/// Test 11: 1000 persons in a room with two exits prefer the nearer exit; some take the
/// other one.
RimeaResult rimea_test11();
/// Test 12: a room, a 1 m door, a corridor, a second room with a 1 m exit: congestion
/// forms in front of the first door and not at the exit.
RimeaResult rimea_test12();
/// Test 13: 150 persons leave a room along a corridor that ends in an upward stair;
/// people slow down on the stair and a jam forms at its foot (flow onto the stair below
/// the flow along the corridor).
RimeaResult rimea_test13();
/// Test 15: 500 persons each in a long corridor, a short corridor and a corridor with a
/// corner; the corner's evacuation time lies between the other two.
RimeaResult rimea_test15();

// ---------------------------------------------------------------- test 7 population

/// Desired walking speeds of `n` adults: age uniform in [20, 80) years, speed normal
/// with the age's mean and standard deviation (adult_walking_speed_mean_mps/_sd_mps).
/// PCG32 stream seeded with `seed`; the same seed gives the same speeds.
std::vector<double> sample_adult_walking_speeds(std::size_t n, std::uint64_t seed);
/// Mean and standard deviation of the walking speed at `age_years` (m/s): Weidmann's
/// age-speed curve as drawn in the RiMEA guideline, linear between the drawn ages.
double adult_walking_speed_mean_mps(double age_years);
double adult_walking_speed_sd_mps(double age_years);
/// CDF of the speed of an adult of uniform age in [20, 80) (the mixture sampled above).
double adult_walking_speed_cdf(double speed_mps);

struct FdPoint;  // rimea_fd.hpp

/// All cases, in order (test 4 after test 1, on the default FdOptions; test 9 with
/// `test9_population`). If fd is given, it receives the fundamental diagram test 4 was
/// judged on (one run serves both).
std::vector<RimeaResult> run_rimea(int test9_population = kRimeaTest9Population,
                                   std::vector<FdPoint>* fd = nullptr);

}  // namespace hqdrill::peds
