// Fire network benchmark (the fire-network brief's target: a 6-room, 8-vent building
// integrated over 3600 s of fire in under 0.1 s, Release -O2, one core). The building:
// a fire room (5 x 4 x 3 m, fast t-squared fire to 2.5 MW, fire load 4 GJ, an open
// window) whose door to the corridor is closed, leaks 0.02 m2 and fails 1800 s after
// the flashover; a corridor; an office (with fuel, and a window that breaks at 300 degC);
// a lobby with a door to the outside; a stairwell 7 m tall from the lobby serving a first
// floor at 3.5 m. Each run builds the network, ignites the fire room at 0 and advances
// to 3600 s in one call.
//
// Usage: hqdrill_bench_fire_network [RUNS]   (default 20). Prints the wall time and the
// process CPU time per run (minimum and median), steps, and a checksum of the results.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "hqdrill/fire/network.hpp"

using namespace hqdrill::fire;

namespace {

NetworkSpec building() {
  NetworkSpec s;
  auto room = [&](const char* id, double w, double l, double h, double z) {
    NetRoomSpec r;
    r.id = id;
    r.floor_area_m2 = w * l;
    r.perimeter_m = 2.0 * (w + l);
    r.height_m = h;
    r.floor_elevation_m = z;
    s.rooms.push_back(r);
  };
  room("fire", 5.0, 4.0, 3.0, 0.0);       // 0
  room("corridor", 12.0, 2.0, 3.0, 0.0);  // 1
  room("office", 5.0, 4.0, 3.0, 0.0);     // 2
  room("lobby", 6.0, 6.0, 3.0, 0.0);      // 3
  room("stair", 3.0, 5.0, 7.0, 0.0);      // 4
  room("first", 10.0, 6.0, 3.0, 3.5);     // 5
  FireSpec f = tsquared_fire(tsquared_alpha_kw_per_s2(GrowthClass::kFast));
  f.peak_hrr_kw = 2500.0;
  f.fuel_energy_kj = 4.0e6;
  s.rooms[0].fuel = f;
  s.rooms[2].fuel = f;
  auto vent = [&](const char* id, int a, int b, Opening o, bool open) {
    NetVentSpec v;
    v.id = id;
    v.from_room = a;
    v.to_room = b;
    v.opening = o;
    v.open_at_start = open;
    s.vents.push_back(v);
  };
  vent("fire-door", 0, 1, {0.9, 0.0, 2.1}, false);
  s.vents.back().leak_area_m2 = 0.02;
  s.vents.back().fails_after_s = 1800.0;
  vent("fire-window", 0, kOutside, {1.5, 0.9, 2.1}, true);
  vent("office-door", 2, 1, {0.9, 0.0, 2.1}, true);
  vent("office-window", 2, kOutside, {1.5, 0.9, 2.1}, false);
  s.vents.back().breaks_at_c = 300.0;
  vent("corridor-lobby", 1, 3, {1.2, 0.0, 2.2}, true);
  vent("lobby-exit", 3, kOutside, {1.8, 0.0, 2.2}, true);
  vent("lobby-stair", 3, 4, {1.0, 0.0, 2.1}, true);
  vent("stair-first", 4, 5, {1.0, 3.5, 5.6}, true);
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
  const NetworkSpec spec = building();
  std::vector<double> wall, cpu;
  long steps = 0;
  double checksum = 0.0, door_s = 0.0, flashover_s = 0.0, mres = 0.0, eres = 0.0, ores = 0.0,
         max_c[6] = {};
  for (int k = 0; k < runs; ++k) {
    const auto w0 = std::chrono::steady_clock::now();
    const std::clock_t c0 = std::clock();
    FireNetwork net(spec);
    net.ignite(0, 0.0);
    net.advance_to(3600.0);
    const std::clock_t c1 = std::clock();
    const auto w1 = std::chrono::steady_clock::now();
    wall.push_back(std::chrono::duration<double>(w1 - w0).count());
    cpu.push_back(static_cast<double>(c1 - c0) / CLOCKS_PER_SEC);
    steps = net.steps();
    checksum = 0.0;
    for (int r = 0; r < net.rooms(); ++r) {
      checksum += net.room(r).max_upper_c + net.room(r).fire_energy_kj;
      max_c[r] = net.room(r).max_upper_c;
    }
    door_s = net.vent_opened_s(0);
    flashover_s = net.room(0).flashover_s;
    mres = net.mass_residual_kg();
    eres = net.energy_residual_kj();
    ores = net.oxygen_residual_kg();
  }
  std::printf("fire network, 6 rooms / 8 vents, 3600 s of fire, %d runs\n", runs);
  std::printf("wall per run: min %.4f s, median %.4f s\n",
              *std::min_element(wall.begin(), wall.end()), median(wall));
  std::printf("cpu  per run: min %.4f s, median %.4f s\n",
              *std::min_element(cpu.begin(), cpu.end()), median(cpu));
  std::printf(
      "steps %ld; flashover %.2f s; fire door opened %.2f s; residuals %.2g kg, %.2g kJ, %.2g kg "
      "O2\n",
      steps, flashover_s, door_s, mres, eres, ores);
  std::printf("max upper layer (degC):");
  for (double c : max_c) std::printf(" %.1f", c);
  std::printf("\nchecksum %.9g\n", checksum);
  return 0;
}
