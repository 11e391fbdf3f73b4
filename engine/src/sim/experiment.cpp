#include "hqdrill/sim/experiment.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "hqdrill/sim/replication.hpp"

namespace hqdrill {

ExperimentResults run_experiment(const Scenario& s, const ExperimentOptions& opt) {
  ExperimentResults res;
  res.runs = opt.runs;
  res.seed = opt.seed;
  const int n_inc = static_cast<int>(s.incidents.size());
  for (Index i = 0; i < n_inc; ++i) {
    IncidentRuns ir;
    ir.incident = i;
    ir.kpi_names = kpi_names(s, i);
    ir.values.resize(static_cast<std::size_t>(opt.runs));
    ir.messages_failed.resize(static_cast<std::size_t>(opt.runs));
    ir.facts.resize(static_cast<std::size_t>(opt.runs));
    res.incidents.push_back(std::move(ir));
  }

  const int total = n_inc * opt.runs;
  std::atomic<int> next{0};
  int done = 0;
  std::mutex progress_mutex;
  auto worker = [&] {
    for (int job = next++; job < total; job = next++) {
      const Index inc = job / opt.runs;
      const int run = job % opt.runs;
      RunRecord r = run_replication(s, inc, opt.seed, static_cast<std::uint64_t>(run), false);
      auto& ir = res.incidents[inc];
      ir.values[run] = std::move(r.kpis);
      ir.messages_failed[run] = r.messages_failed;
      ir.facts[run] = std::move(r.facts);
      if (opt.progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        opt.progress(++done, total);
      }
    }
  };
  const int t = std::clamp(opt.threads, 1, 256);
  std::vector<std::jthread> pool;
  for (int k = 1; k < t; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();  // every run is stored before the results are returned
  return res;
}

}  // namespace hqdrill
