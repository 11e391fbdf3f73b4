// Many replications of every incident of a scenario, on T threads. Each (incident,
// replication) is an independent world seeded from (seed, replication, incident), and
// results are stored by index, so they are identical whatever T is.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hqdrill/scenario.hpp"
#include "hqdrill/sim/facts.hpp"

namespace hqdrill {

struct ExperimentOptions {
  int runs = 100;
  std::uint64_t seed = 1;
  int threads = 1;
  /// Called after each finished replication with (done, total); calls are serialised.
  std::function<void(int, int)> progress;
};

struct IncidentRuns {
  Index incident = kNone;
  std::vector<std::string> kpi_names;
  /// values[run][kpi], seconds; nullopt = did not happen in that run
  std::vector<std::vector<std::optional<double>>> values;
  std::vector<int> messages_failed;  ///< per run
  std::vector<RunFacts> facts;       ///< per run: what the gap detectors read
};

struct ExperimentResults {
  int runs = 0;
  std::uint64_t seed = 0;
  std::vector<IncidentRuns> incidents;
};

ExperimentResults run_experiment(const Scenario& s, const ExperimentOptions& opt);

}  // namespace hqdrill
