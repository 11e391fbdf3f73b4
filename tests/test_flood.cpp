// Flood storage-cell network (hqdrill/flood): every `hqdrill verify flood` case as its own
// test, plus a few behaviours of the network.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "hqdrill/flood/cells.hpp"
#include "hqdrill/flood/verification.hpp"

using namespace hqdrill::flood;

namespace {

const std::vector<FloodCase>& flood_cases() {
  static const std::vector<FloodCase> all = run_flood_verification();
  return all;
}

void check_flood_case(const std::string& id) {
  for (const FloodCase& c : flood_cases()) {
    if (c.id != id) continue;
    INFO(c.title << ": reference " << c.reference << " " << c.unit << " (" << c.source
                 << "), computed " << c.computed << ", tolerance " << c.tolerance);
    CHECK(c.pass);
    return;
  }
  FAIL("no verification case " << id);
}

}  // namespace

TEST_CASE("verify flood: constant inflow into a prismatic basin", "[flood][verify]") {
  check_flood_case("inflow-basin");
}
TEST_CASE("verify flood: pump drain-down, half way and dry", "[flood][verify]") {
  check_flood_case("pump-half");
  check_flood_case("pump-dry");
}
TEST_CASE("verify flood: Torricelli drain through an orifice", "[flood][verify]") {
  check_flood_case("torricelli");
}
TEST_CASE("verify flood: a lake at rest stays at rest", "[flood][verify]") {
  check_flood_case("lake-at-rest");
}
TEST_CASE("verify flood: mass balance of a forced network over 48 h", "[flood][verify]") {
  check_flood_case("mass-balance");
}
TEST_CASE("verify flood: weir flow and barriers", "[flood][verify]") {
  check_flood_case("weir-steady");
  check_flood_case("barrier-high");
  check_flood_case("barrier-low");
}

TEST_CASE("flood: two cells joined by an orifice settle to one level without overshoot",
          "[flood]") {
  CellNetworkSpec s;
  s.cells = {CellSpec{"a", 100.0, 0.0, 2.0}, CellSpec{"b", 50.0, 0.0, 0.0}};
  s.orifices = {OrificeSpec{0, 1, 0.0, 0.2, kOrificeCd}};
  CellNetwork net(s);
  double prev_gap = net.level_m(0) - net.level_m(1);
  for (int k = 1; k <= 60; ++k) {
    net.advance_to(60.0 * k);
    const double gap = net.level_m(0) - net.level_m(1);
    CHECK(gap >= 0.0);  // monotone: never overshoots
    CHECK(gap <= prev_gap);
    prev_gap = gap;
  }
  CHECK(net.level_m(0) == Approx(4.0 / 3.0).margin(1e-3));
  CHECK(std::abs(net.volume_residual_m3()) < 1e-9);
}

TEST_CASE("flood: a pump switched off stops, and a dry source stops it", "[flood]") {
  CellNetworkSpec s;
  s.cells = {CellSpec{"basement", 10.0, -3.0, 1.0}, CellSpec{"yard", 100.0, 0.0, 0.0}};
  s.pumps = {PumpSpec{0, 1, 0.01, false}};
  CellNetwork net(s);
  net.advance_to(100.0);
  CHECK(net.depth_m(0) == 1.0);
  net.set_pump_on(0, true);
  net.advance_to(2000.0);  // 10 m3 pumped in 1000 s
  CHECK(net.depth_m(0) == 0.0);
  CHECK(net.depth_m(1) == Approx(0.1).epsilon(1e-12));
  CHECK(std::abs(net.volume_residual_m3()) < 1e-12);
}

TEST_CASE("flood: rain by the rational method", "[flood]") {
  CellNetworkSpec s;
  s.cells = {CellSpec{"roof", 200.0, 0.0, 0.0}};
  s.rain_mm_h = Series{{{0.0, 36.0}, {3600.0, 0.0}}};  // 36 mm in the first hour
  s.runoff_coeff = {0.9};
  s.catchment_m2 = {1000.0};
  CellNetwork net(s);
  net.advance_to(7200.0);
  // Q = C i A = 0.9 x 0.036 m/h x 1000 m2 = 32.4 m3 over the hour
  CHECK(net.depth_m(0) == Approx(32.4 / 200.0).epsilon(1e-12));
}
