#include "hqdrill/plan/search.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>
#include <tuple>
#include <utility>

#include "hqdrill/analysis/compare.hpp"
#include "hqdrill/analysis/stats.hpp"
#include "hqdrill/analysis/summary.hpp"
#include "hqdrill/core/rng.hpp"
#include "hqdrill/sim/experiment.hpp"
#include "hqdrill/sim/replication.hpp"

namespace hqdrill::plan {

std::vector<Index> objective_targets(const Scenario& s, Index incident) {
  return targets_for(s, incident, kpi_names(s, incident));
}

double incident_shortfall(const Scenario& s, const std::vector<Index>& targets,
                          const std::vector<std::string>& kpi_names,
                          const std::vector<std::vector<std::optional<double>>>& values) {
  double j = 0;
  const std::size_t runs = values.size();
  if (runs == 0) return 0;
  for (Index t : targets) {
    const Target& tg = s.targets[static_cast<std::size_t>(t)];
    const auto k = static_cast<std::size_t>(std::find(kpi_names.begin(), kpi_names.end(), tg.kpi) -
                                            kpi_names.begin());
    std::size_t met = 0;
    if (k < kpi_names.size())  // else the combination lost the KPI: missed in every run
      for (const auto& run : values) met += run[k] && *run[k] <= tg.max_value;
    const double frac = static_cast<double>(met) / static_cast<double>(runs);
    j += tg.weight * std::max(0.0, tg.min_fraction - frac);
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

using Values = std::vector<std::vector<std::optional<double>>>;  ///< [run][kpi]
using Job = std::pair<Index, std::uint64_t>;  ///< (incident, the options of a mask it can see)
/// Runs of each (incident, options it can see).
using RunStore = std::map<Job, IncidentRuns>;

/// One term of J: a target of an incident, met (1) or not (0) in each run, baseline and plan.
struct Term {
  double weight = 1, min_fraction = 0;
  std::vector<unsigned char> base, with;
};

std::vector<unsigned char> met_runs(const Target& tg, const std::vector<std::string>& names,
                                    const Values& values) {
  std::vector<unsigned char> out(values.size(), 0);
  const auto k =
      static_cast<std::size_t>(std::find(names.begin(), names.end(), tg.kpi) - names.begin());
  if (k == names.size()) return out;  // the KPI is gone: missed in every run
  for (std::size_t r = 0; r < values.size(); ++r)
    out[r] = values[r][k] && *values[r][k] <= tg.max_value;
  return out;
}

/// The 95% percentile interval of J(with) − J(base) over kBootstrapResamples resamples of
/// the run indices, the same indices for every term and both plans.
std::pair<double, double> bootstrap_diff(const std::vector<Term>& terms, std::size_t runs) {
  if (runs == 0) return {0, 0};
  Pcg32 rng(kBootstrapSeed, 1);
  std::vector<double> diffs;
  diffs.reserve(kBootstrapResamples);
  std::vector<std::uint32_t> idx(runs);
  const double n = static_cast<double>(runs);
  for (int b = 0; b < kBootstrapResamples; ++b) {
    for (auto& i : idx) i = rng.next_below(static_cast<std::uint32_t>(runs));
    double d = 0;
    for (const Term& t : terms) {
      std::size_t c0 = 0, c1 = 0;
      for (std::uint32_t i : idx) {
        c0 += t.base[i];
        c1 += t.with[i];
      }
      d += t.weight * (std::max(0.0, t.min_fraction - static_cast<double>(c1) / n) -
                       std::max(0.0, t.min_fraction - static_cast<double>(c0) / n));
    }
    diffs.push_back(d);
  }
  std::sort(diffs.begin(), diffs.end());
  return {quantile_sorted(diffs, 0.025), quantile_sorted(diffs, 0.975)};
}

double share(std::size_t met, std::size_t runs) {
  return runs ? static_cast<double>(met) / static_cast<double>(runs) : 0.0;
}

/// Bit o of element i: option o may change what incident i simulates (plan::may_affect).
std::vector<std::uint64_t> relevant_options(const Scenario& s,
                                            const std::vector<PlanOption>& options) {
  const std::uint64_t all =
      options.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << options.size()) - 1;
  const Scenario everything = with_options(s, options, all);
  std::vector<std::uint64_t> relevant(s.incidents.size(), 0);
  for (std::size_t i = 0; i < s.incidents.size(); ++i)
    for (std::size_t o = 0; o < options.size(); ++o)
      if (may_affect(everything, options[o], static_cast<Index>(i)))
        relevant[i] |= std::uint64_t{1} << o;
  return relevant;
}

struct Simulated {
  std::vector<Values> values;                       ///< per job
  std::vector<std::vector<std::string>> kpi_names;  ///< per job
};

/// Runs every job opt.runs times on opt.threads threads; results by index, so they do
/// not depend on the thread count.
Simulated simulate(const Scenario& s, const std::vector<PlanOption>& options,
                   const std::vector<Job>& jobs, const SearchOptions& opt) {
  Simulated out;
  if (jobs.empty()) return out;
  std::map<std::uint64_t, Scenario> variants;
  for (const auto& [inc, key] : jobs)
    if (!variants.count(key)) variants.emplace(key, with_options(s, options, key));
  const int runs = opt.runs;
  out.values.resize(jobs.size());
  for (auto& v : out.values) v.resize(static_cast<std::size_t>(runs));
  const int total = static_cast<int>(jobs.size()) * runs;
  std::atomic<int> next{0};
  int done = 0;
  std::mutex progress_mutex;
  auto worker = [&] {
    for (int k = next++; k < total; k = next++) {
      const auto job = static_cast<std::size_t>(k / runs);
      const int run = k % runs;
      const Scenario& v = variants.at(jobs[job].second);
      out.values[job][static_cast<std::size_t>(run)] =
          run_replication(v, jobs[job].first, opt.seed, static_cast<std::uint64_t>(run), false)
              .kpis;
      if (opt.progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        opt.progress(++done, total);
      }
    }
  };
  const int t = std::clamp(opt.threads, 1, 256);
  {
    std::vector<std::jthread> pool;
    for (int k = 1; k < t; ++k) pool.emplace_back(worker);
    worker();
  }  // joined: every run is stored
  for (const auto& [inc, key] : jobs) out.kpi_names.push_back(kpi_names(variants.at(key), inc));
  return out;
}

/// Evaluates combinations, reusing each incident's share between combinations that
/// differ only in options it cannot see.
class Evaluator {
 public:
  Evaluator(const Scenario& s, const std::vector<PlanOption>& options, const SearchOptions& opt)
      : s_(s), options_(options), opt_(opt), relevant_(relevant_options(s, options)) {
    for (std::size_t i = 0; i < s.incidents.size(); ++i)
      targets_.push_back(objective_targets(s, static_cast<Index>(i)));
  }

  std::vector<Evaluation> evaluate(const std::vector<std::uint64_t>& masks) {
    // What must be simulated: (incident, the options of the mask it can see), once each.
    std::vector<Job> jobs;
    for (std::uint64_t m : masks)
      for (std::size_t i = 0; i < s_.incidents.size(); ++i) {
        const Job key{static_cast<Index>(i), m & relevant_[i]};
        if (!cache_.count(key) && std::find(jobs.begin(), jobs.end(), key) == jobs.end())
          jobs.push_back(key);
      }
    const Simulated sim = simulate(s_, options_, jobs, opt_);
    for (std::size_t j = 0; j < jobs.size(); ++j) {
      const auto inc = static_cast<std::size_t>(jobs[j].first);
      cache_[jobs[j]] = incident_shortfall(s_, targets_[inc], sim.kpi_names[j], sim.values[j]);
      keep(jobs[j], sim.kpi_names[j], sim.values[j]);
      std::vector<std::vector<unsigned char>>& met = met_[jobs[j]];
      for (Index t : targets_[inc])
        met.push_back(
            met_runs(s_.targets[static_cast<std::size_t>(t)], sim.kpi_names[j], sim.values[j]));
    }
    replications_ += static_cast<long long>(jobs.size()) * opt_.runs;
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
  const std::vector<std::uint64_t>& relevant() const { return relevant_; }
  /// Each job's runs of its targets' KPIs only (what recommendations read).
  const RunStore& kept() const { return kept_; }

  /// The 95% paired bootstrap interval of J(b) − J(a), both evaluated.
  std::pair<double, double> interval(std::uint64_t a, std::uint64_t b) const {
    std::vector<Term> terms;
    for (std::size_t i = 0; i < s_.incidents.size(); ++i) {
      const auto& ma = met_.at({static_cast<Index>(i), a & relevant_[i]});
      const auto& mb = met_.at({static_cast<Index>(i), b & relevant_[i]});
      for (std::size_t k = 0; k < targets_[i].size(); ++k) {
        const Target& tg = s_.targets[static_cast<std::size_t>(targets_[i][k])];
        terms.push_back({tg.weight, tg.min_fraction, ma[k], mb[k]});
      }
    }
    return bootstrap_diff(terms, static_cast<std::size_t>(std::max(0, opt_.runs)));
  }

 private:
  void keep(const Job& job, const std::vector<std::string>& names, const Values& values) {
    IncidentRuns& ir = kept_[job];
    ir.incident = job.first;
    std::vector<std::size_t> cols;
    for (Index t : targets_[static_cast<std::size_t>(job.first)]) {
      const std::string& k = s_.targets[static_cast<std::size_t>(t)].kpi;
      const auto at =
          static_cast<std::size_t>(std::find(names.begin(), names.end(), k) - names.begin());
      if (at == names.size() ||
          std::find(ir.kpi_names.begin(), ir.kpi_names.end(), k) != ir.kpi_names.end())
        continue;
      ir.kpi_names.push_back(k);
      cols.push_back(at);
    }
    ir.values.resize(values.size());
    for (std::size_t r = 0; r < values.size(); ++r)
      for (std::size_t c : cols) ir.values[r].push_back(values[r][c]);
  }

  const Scenario& s_;
  const std::vector<PlanOption>& options_;
  const SearchOptions& opt_;
  std::vector<std::uint64_t> relevant_;
  std::vector<std::vector<Index>> targets_;  ///< per incident: the baseline's (frozen)
  std::map<Job, double> cache_;
  std::map<Job, std::vector<std::vector<unsigned char>>> met_;
  RunStore kept_;  ///< [target][run], 0 or 1
  long long replications_ = 0;
};

}  // namespace

namespace {

/// The masks recommendations compare with the baseline: the plan, then each of its options.
std::vector<std::uint64_t> compared_masks(const std::vector<PlanOption>& options,
                                          std::uint64_t plan) {
  std::vector<std::uint64_t> masks{plan};
  for (std::size_t o = 0; o < options.size(); ++o)
    if (plan >> o & 1u) masks.push_back(std::uint64_t{1} << o);
  return masks;
}

Recommendations recommend_from(const Scenario& s, std::uint64_t plan,
                               const std::vector<std::uint64_t>& masks, const SearchOptions& opt,
                               const std::vector<std::uint64_t>& relevant, const RunStore& store) {
  Recommendations out;
  out.plan = plan;
  const std::size_t n_inc = s.incidents.size();
  const auto results = [&](std::uint64_t m) {
    ExperimentResults r;
    r.runs = opt.runs;
    r.seed = opt.seed;
    for (std::size_t i = 0; i < n_inc; ++i)
      r.incidents.push_back(store.at({static_cast<Index>(i), m & relevant[i]}));
    return r;
  };
  const ExperimentResults base = results(0);
  const auto runs = static_cast<std::size_t>(std::max(0, opt.runs));

  const auto effect = [&](std::uint64_t m) {
    PlanEffect pe;
    pe.mask = m;
    const ExperimentResults with = results(m);
    const Comparison cmp = compare_runs(s, base, s, with);  // options keep incident ids
    std::vector<Term> terms;
    for (std::size_t i = 0; i < n_inc; ++i) {
      const IncidentRuns& b = base.incidents[i];
      const IncidentRuns& w = with.incidents[i];
      const bool seen = (m & relevant[i]) != 0;  // else the same runs by construction
      for (Index t : objective_targets(s, static_cast<Index>(i))) {
        const Target& tg = s.targets[static_cast<std::size_t>(t)];
        Term term{tg.weight, tg.min_fraction, met_runs(tg, b.kpi_names, b.values),
                  met_runs(tg, w.kpi_names, w.values)};
        const auto met0 = static_cast<std::size_t>(
            std::count(term.base.begin(), term.base.end(), static_cast<unsigned char>(1)));
        const auto met1 = static_cast<std::size_t>(
            std::count(term.with.begin(), term.with.end(), static_cast<unsigned char>(1)));
        pe.objective_base += tg.weight * std::max(0.0, tg.min_fraction - share(met0, runs));
        pe.objective_with += tg.weight * std::max(0.0, tg.min_fraction - share(met1, runs));
        terms.push_back(std::move(term));
        if (!seen) continue;
        TargetEffect e;
        e.incident = static_cast<Index>(i);
        e.target = t;
        e.kpi = tg.kpi;
        e.max_value = tg.max_value;
        e.min_fraction = tg.min_fraction;
        e.weight = tg.weight;
        e.met_base = share(met0, runs);
        e.met_with = share(met1, runs);
        e.mean_diff = e.ci_low = e.ci_high = std::numeric_limits<double>::quiet_NaN();
        for (const IncidentComparison& ic : cmp.incidents) {
          if (ic.index_a != static_cast<Index>(i)) continue;
          for (const KpiComparison& k : ic.kpis) {
            if (k.kpi != tg.kpi) continue;
            e.paired = k.paired;
            e.mean_diff = k.mean_diff;
            e.ci_low = k.ci_low;
            e.ci_high = k.ci_high;
            e.has_ci = k.has_ci;
            e.sign_test_p = k.sign_test_p;
            e.significant = k.significant;
          }
        }
        pe.effects.push_back(std::move(e));
      }
    }
    pe.objective_diff = pe.objective_with - pe.objective_base;
    std::tie(pe.ci_low, pe.ci_high) = bootstrap_diff(terms, runs);
    const auto size = [](double d) { return std::isfinite(d) ? std::abs(d) : -1.0; };
    std::stable_sort(pe.effects.begin(), pe.effects.end(),
                     [&](const TargetEffect& a, const TargetEffect& b) {
                       if (a.significant != b.significant) return a.significant;
                       return size(a.mean_diff) > size(b.mean_diff);
                     });
    return pe;
  };
  out.whole = effect(plan);
  for (std::size_t k = 1; k < masks.size(); ++k) out.items.push_back(effect(masks[k]));
  return out;
}

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
      if (next.empty()) {
        res.greedy_stop = "no option left within the budget";
        break;
      }
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
      const double step = res.evaluated[current].objective - res.evaluated[pick].objective;
      if (!(step > 0)) {
        res.greedy_stop = "no affordable option lowers the objective further";
        break;
      }
      if (opt.min_step_interval) {
        const auto [lo, hi] = ev.interval(cur, res.evaluated[pick].mask);
        if (step < (hi - lo) / 2) {
          char buf[200];
          std::snprintf(buf, sizeof buf,
                        "the best next step lowers the objective by %.3f, less than the "
                        "half-width %.3f of its 95%% interval",
                        step, (hi - lo) / 2);
          res.greedy_stop = buf;
          break;
        }
      }
      current = pick;
    }
    res.best = current;  // every other evaluated one has a higher J, or is a step not taken
  }
  res.baseline_objective = res.evaluated.front().objective;  // mask 0 is evaluated first

  // Exhaustive: the best within budget (every evaluated combination is): lowest objective,
  // then lowest cost on the front's axis, then fewest options, then file order. Greedy:
  // where it stopped (above).
  for (std::size_t k = 1; k < res.evaluated.size() && res.method == "exhaustive"; ++k) {
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
  // Recommendations from the runs already made (every mask they need was evaluated: the
  // plan, and its options alone, which fit any budget the plan fits; evaluate() would
  // simulate any that was not).
  const std::vector<std::uint64_t> masks = compared_masks(options, res.evaluated[res.best].mask);
  ev.evaluate(masks);
  res.recommendations =
      recommend_from(s, res.evaluated[res.best].mask, masks, opt, ev.relevant(), ev.kept());
  res.replications = ev.replications();
  return res;
}

Recommendations recommend(const Scenario& s, const std::vector<PlanOption>& options,
                          std::uint64_t plan, const SearchOptions& opt) {
  assert(options.size() <= 64);
  const std::vector<std::uint64_t> relevant = relevant_options(s, options);
  const std::vector<std::uint64_t> masks = compared_masks(options, plan);
  std::vector<Job> jobs;
  for (std::uint64_t m : masks)  // the baseline, then what the plans can see
    for (std::size_t i = 0; i < s.incidents.size(); ++i)
      for (const Job& key :
           {Job{static_cast<Index>(i), 0}, Job{static_cast<Index>(i), m & relevant[i]}})
        if (std::find(jobs.begin(), jobs.end(), key) == jobs.end()) jobs.push_back(key);
  const Simulated sim = simulate(s, options, jobs, opt);
  RunStore store;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    IncidentRuns& ir = store[jobs[j]];
    ir.incident = jobs[j].first;
    ir.kpi_names = sim.kpi_names[j];
    ir.values = sim.values[j];
  }
  Recommendations out = recommend_from(s, plan, masks, opt, relevant, store);
  out.replications = static_cast<long long>(jobs.size()) * opt.runs;
  return out;
}

}  // namespace hqdrill::plan
