#include "hqdrill/plan/search.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>
#include <utility>

#include "hqdrill/analysis/summary.hpp"
#include "hqdrill/sim/replication.hpp"

namespace hqdrill::plan {

double incident_shortfall(const Scenario& s, Index incident,
                          const std::vector<std::string>& kpi_names,
                          const std::vector<std::vector<std::optional<double>>>& values) {
  double j = 0;
  const std::size_t runs = values.size();
  if (runs == 0) return 0;
  for (Index t : targets_for(s, incident, kpi_names)) {
    const Target& tg = s.targets[static_cast<std::size_t>(t)];
    const auto k = static_cast<std::size_t>(std::find(kpi_names.begin(), kpi_names.end(), tg.kpi) -
                                            kpi_names.begin());
    std::size_t met = 0;
    for (const auto& run : values) met += run[k] && *run[k] <= tg.max_value;
    const double frac = static_cast<double>(met) / static_cast<double>(runs);
    j += std::max(0.0, tg.min_fraction - frac);  // weight 1 (see search.hpp)
  }
  return j;
}

bool within_budget(const Cost& c, const std::vector<Budget>& budgets) {
  for (const Budget& b : budgets)
    if (cost_in(c, b.dim) > b.limit + 1e-9 * std::max(1.0, b.limit)) return false;
  return true;
}

std::vector<std::size_t> pareto_front(const std::vector<std::pair<double, double>>& points) {
  std::vector<std::size_t> order(points.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (points[a].first != points[b].first) return points[a].first < points[b].first;
    return points[a].second < points[b].second;
  });
  std::vector<std::size_t> front;
  for (std::size_t i : order)
    if (front.empty() || points[i].second < points[front.back()].second) front.push_back(i);
  return front;
}

namespace {

/// Evaluates combinations, reusing each incident's share between combinations that
/// differ only in options it cannot see.
class Evaluator {
 public:
  Evaluator(const Scenario& s, const std::vector<PlanOption>& options, const SearchOptions& opt)
      : s_(s), options_(options), opt_(opt) {
    const std::uint64_t all =
        options.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << options.size()) - 1;
    const Scenario everything = with_options(s, options, all);
    relevant_.assign(s.incidents.size(), 0);
    for (std::size_t i = 0; i < s.incidents.size(); ++i)
      for (std::size_t o = 0; o < options.size(); ++o)
        if (may_affect(everything, options[o], static_cast<Index>(i)))
          relevant_[i] |= std::uint64_t{1} << o;
  }

  std::vector<Evaluation> evaluate(const std::vector<std::uint64_t>& masks) {
    // What must be simulated: (incident, the options of the mask it can see), once each.
    std::vector<std::pair<Index, std::uint64_t>> jobs;
    for (std::uint64_t m : masks)
      for (std::size_t i = 0; i < s_.incidents.size(); ++i) {
        const std::pair<Index, std::uint64_t> key{static_cast<Index>(i), m & relevant_[i]};
        if (!cache_.count(key) && std::find(jobs.begin(), jobs.end(), key) == jobs.end())
          jobs.push_back(key);
      }
    run_jobs(jobs);
    std::vector<Evaluation> out;
    for (std::uint64_t m : masks) {
      Evaluation e;
      e.mask = m;
      e.cost = cost_of(options_, m);
      for (std::size_t i = 0; i < s_.incidents.size(); ++i) {
        const double j = cache_.at({static_cast<Index>(i), m & relevant_[i]});
        e.per_incident.push_back(j);
        e.objective += j;
      }
      out.push_back(std::move(e));
    }
    return out;
  }

  long long replications() const { return replications_; }

 private:
  void run_jobs(const std::vector<std::pair<Index, std::uint64_t>>& jobs) {
    if (jobs.empty()) return;
    std::map<std::uint64_t, Scenario> variants;
    for (const auto& [inc, key] : jobs)
      if (!variants.count(key)) variants.emplace(key, with_options(s_, options_, key));
    const int runs = opt_.runs;
    std::vector<std::vector<std::vector<std::optional<double>>>> values(jobs.size());
    for (auto& v : values) v.resize(static_cast<std::size_t>(runs));
    const int total = static_cast<int>(jobs.size()) * runs;
    std::atomic<int> next{0};
    int done = 0;
    std::mutex progress_mutex;
    auto worker = [&] {
      for (int k = next++; k < total; k = next++) {
        const auto job = static_cast<std::size_t>(k / runs);
        const int run = k % runs;
        const Scenario& v = variants.at(jobs[job].second);
        values[job][static_cast<std::size_t>(run)] =
            run_replication(v, jobs[job].first, opt_.seed, static_cast<std::uint64_t>(run), false)
                .kpis;
        if (opt_.progress) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          opt_.progress(++done, total);
        }
      }
    };
    const int t = std::clamp(opt_.threads, 1, 256);
    {
      std::vector<std::jthread> pool;
      for (int k = 1; k < t; ++k) pool.emplace_back(worker);
      worker();
    }  // joined: every run is stored
    for (std::size_t j = 0; j < jobs.size(); ++j) {
      const auto& [inc, key] = jobs[j];
      const Scenario& v = variants.at(key);
      cache_[jobs[j]] = incident_shortfall(v, inc, kpi_names(v, inc), values[j]);
    }
    replications_ += total;
  }

  const Scenario& s_;
  const std::vector<PlanOption>& options_;
  const SearchOptions& opt_;
  std::vector<std::uint64_t> relevant_;
  std::map<std::pair<Index, std::uint64_t>, double> cache_;
  long long replications_ = 0;
};

}  // namespace

SearchResult search(const Scenario& s, const std::vector<PlanOption>& options,
                    const SearchOptions& opt) {
  assert(options.size() <= 64);
  SearchResult res;
  res.front_dim = opt.front_dim         ? *opt.front_dim
                  : opt.budgets.empty() ? CostDim::money_vnd
                                        : opt.budgets.front().dim;
  Evaluator ev(s, options, opt);
  const std::size_t n = options.size();
  const auto fits = [&](std::uint64_t m) {
    return within_budget(cost_of(options, m), opt.budgets);
  };

  if (static_cast<int>(n) <= std::min(opt.exhaustive_max, 30)) {
    res.method = "exhaustive";
    std::vector<std::uint64_t> masks;
    for (std::uint64_t m = 0; m < (std::uint64_t{1} << n); ++m)
      if (fits(m)) masks.push_back(m);
    res.evaluated = ev.evaluate(masks);
  } else {
    res.method = "greedy";
    res.evaluated = ev.evaluate({0});
    std::size_t current = 0;
    for (;;) {
      std::vector<std::uint64_t> next;
      const std::uint64_t cur = res.evaluated[current].mask;
      for (std::size_t o = 0; o < n; ++o) {
        const std::uint64_t m = cur | std::uint64_t{1} << o;
        if (m != cur && fits(m)) next.push_back(m);
      }
      if (next.empty()) break;
      const std::size_t first = res.evaluated.size();
      for (Evaluation& e : ev.evaluate(next)) res.evaluated.push_back(std::move(e));
      std::size_t pick = first;
      for (std::size_t k = first + 1; k < res.evaluated.size(); ++k) {
        const Evaluation& a = res.evaluated[k];
        const Evaluation& b = res.evaluated[pick];
        if (a.objective < b.objective ||
            (a.objective == b.objective &&
             cost_in(a.cost, res.front_dim) < cost_in(b.cost, res.front_dim)))
          pick = k;
      }
      if (!(res.evaluated[pick].objective < res.evaluated[current].objective)) break;
      current = pick;
    }
  }
  res.baseline_objective = res.evaluated.front().objective;  // mask 0 is evaluated first

  // Best within budget (every evaluated combination is): lowest objective, then lowest
  // cost on the front's axis, then fewest options, then file order.
  for (std::size_t k = 1; k < res.evaluated.size(); ++k) {
    const Evaluation& a = res.evaluated[k];
    const Evaluation& b = res.evaluated[res.best];
    const double ca = cost_in(a.cost, res.front_dim), cb = cost_in(b.cost, res.front_dim);
    if (a.objective < b.objective ||
        (a.objective == b.objective &&
         (ca < cb || (ca == cb && std::popcount(a.mask) < std::popcount(b.mask)))))
      res.best = k;
  }
  std::vector<std::pair<double, double>> pts;
  for (const Evaluation& e : res.evaluated)
    pts.emplace_back(cost_in(e.cost, res.front_dim), e.objective);
  res.pareto = pareto_front(pts);
  res.replications = ev.replications();
  return res;
}

}  // namespace hqdrill::plan
