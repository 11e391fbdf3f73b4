// Walking-model throughput benchmark (issue: "N agents on a 1 m grid in an open square, each
// walking to the point opposite through the centre, radius 0.2 m, desired speed 1.34 m/s,
// dt 0.05 s, 400 steps, one core"). Runs the social-force model (HFV 2000) and the
// collision-free speed model on the same scenario; prints agent-steps per second and peak RSS.
//
// Usage: hqdrill_bench_peds [sf|cfsm|both] [N ...]   (default both, 1000 10000 40000). Peak
// RSS is per process, so run one model and one N per process for a per-N memory figure.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "hqdrill/peds/cfsm.hpp"
#include "hqdrill/peds/social_force.hpp"

using hqdrill::peds::AgentSpec;
using hqdrill::peds::CollisionFreeSpeedModel;
using hqdrill::peds::SocialForceModel;
using hqdrill::peds::Vec2;

namespace {

struct Result {
  double seconds = 0;
  std::size_t active_at_end = 0;
  double checksum = 0;
};

// The concrete model type (not the interface): the benchmark measures the model itself.
template <class Model>
Result run(std::size_t n, int steps, double dt_s) {
  // Square of side ceil(sqrt(N)) points, filled row by row; goals mirrored through its centre.
  const auto side = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(n))));
  const double centre = 0.5 * static_cast<double>(side - 1);
  Model model;
  for (std::size_t i = 0; i < n; ++i) {
    AgentSpec a;
    a.position = {static_cast<double>(i % side), static_cast<double>(i / side)};
    a.goal = {2 * centre - a.position.x, 2 * centre - a.position.y};
    a.radius_m = 0.2;
    a.desired_speed_mps = 1.34;
    model.add_agent(a);
  }
  const auto t0 = std::chrono::steady_clock::now();
  for (int s = 0; s < steps; ++s) model.step(dt_s);
  const auto t1 = std::chrono::steady_clock::now();
  Result r;
  r.seconds = std::chrono::duration<double>(t1 - t0).count();
  r.active_at_end = model.active_count();
  for (std::size_t i = 0; i < n; ++i) r.checksum += model.position(i).x + model.position(i).y;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::string which = "both";
  std::vector<std::size_t> ns;
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "sf") == 0 || std::strcmp(argv[a], "cfsm") == 0 ||
        std::strcmp(argv[a], "both") == 0)
      which = argv[a];
    else
      ns.push_back(std::strtoul(argv[a], nullptr, 10));
  }
  if (ns.empty()) ns = {1000, 10000, 40000};
  const int steps = 400;
  const double dt_s = 0.05;
  std::printf("%6s %8s %10s %14s %12s %10s %14s\n", "model", "N", "seconds", "agent-steps/s",
              "ms/step", "active_end", "checksum");
  for (std::size_t n : ns) {
    for (const char* model : {"sf", "cfsm"}) {
      if (which != "both" && which != model) continue;
      const Result r = std::strcmp(model, "sf") == 0 ? run<SocialForceModel>(n, steps, dt_s)
                                                     : run<CollisionFreeSpeedModel>(n, steps, dt_s);
      const double agent_steps = static_cast<double>(n) * steps;
      std::printf("%6s %8zu %10.3f %14.0f %12.3f %10zu %14.6f\n", model, n, r.seconds,
                  agent_steps / r.seconds, 1e3 * r.seconds / steps, r.active_at_end, r.checksum);
    }
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS: %.1f MiB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
