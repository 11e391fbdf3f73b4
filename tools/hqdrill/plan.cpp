#include "plan.hpp"

#include "progress.hpp"
#include "write_file.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>
#include <variant>

#include "hqdrill/analysis/compare.hpp"
#include "hqdrill/io/diagnostics.hpp"
#include "hqdrill/io/options_io.hpp"
#include "hqdrill/io/scenario_io.hpp"
#include "hqdrill/plan/options.hpp"
#include "hqdrill/plan/search.hpp"
#include "hqdrill/sim/experiment.hpp"

namespace hqdrill::cli {

namespace {

constexpr int kExitOk = 0, kExitRunFailed = 1, kExitBadInput = 2;
using OJson = nlohmann::ordered_json;

/// To 1e-6, NaN as null: stable, diffable JSON.
OJson number(double v) {
  if (!std::isfinite(v)) return nullptr;
  return std::round(v * 1e6) / 1e6;
}

int default_threads(int t) {
  return t > 0 ? t : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

std::optional<Scenario> load(const std::string& path) {
  auto res = io::load_scenario(path);
  for (const auto& d : res.diagnostics.items) std::cerr << io::format(path, d) << "\n";
  return std::move(res.scenario);
}

std::optional<std::vector<plan::PlanOption>> load_opts(const std::string& path, const Scenario& s) {
  auto res = io::load_options(path, s);
  for (const auto& d : res.diagnostics.items) std::cerr << io::format(path, d) << "\n";
  return std::move(res.options);
}

/// A value in its KPI's unit: shares to 0.001, others to 0.1.
std::string fmt(const std::string& kpi, double v, bool sign = false) {
  if (!std::isfinite(v)) return "-";
  const bool share = std::string(kpi_unit(kpi)) == "share";
  char buf[48];
  std::snprintf(buf, sizeof buf, sign ? (share ? "%+.3f" : "%+.1f") : (share ? "%.3f" : "%.1f"), v);
  return buf;
}

std::string option_list(const std::vector<plan::PlanOption>& o, std::uint64_t mask) {
  std::string s;
  for (std::size_t i = 0; i < o.size(); ++i)
    if (mask >> i & 1u) s += (s.empty() ? "" : ", ") + o[i].id;
  return s.empty() ? "(none: the scenario as it is)" : s;
}

OJson cost_json(const plan::Cost& c) {
  return {
      {"people", number(c.people)}, {"hours", number(c.hours)}, {"money_vnd", number(c.money_vnd)}};
}

/// Options whose new node was chosen by a placement rule say which and why.
void print_placements(const std::vector<plan::PlanOption>& opts) {
  for (const plan::PlanOption& o : opts)
    for (const plan::Change& c : o.changes) {
      const std::string* how = nullptr;
      if (const auto* m = std::get_if<plan::MovePost>(&c)) how = &m->placement;
      if (const auto* m = std::get_if<plan::MoveHome>(&c)) how = &m->placement;
      if (how && !how->empty())
        std::printf("Option %s: %s chose by %s\n", o.id.c_str(), plan::change_kind(c),
                    how->c_str());
    }
}

// ------------------------------------------------------------ compare

OJson compare_json(const std::string& a_path, const std::string& b_label, const Scenario& a,
                   const Comparison& c) {
  OJson j;
  j["schema"] = "hqdrill.compare/1";
  j["a"] = a_path;
  j["b"] = b_label;
  j["name"] = a.name;
  j["runs"] = c.runs;
  j["seed"] = c.seed;
  j["confidence"] = 0.95;
  j["difference"] = "B - A";
  OJson incs = OJson::array();
  for (const IncidentComparison& ic : c.incidents) {
    OJson kpis = OJson::array();
    for (const KpiComparison& k : ic.kpis)
      kpis.push_back({{"kpi", k.kpi},
                      {"unit", kpi_unit(k.kpi)},
                      {"mean_a", number(k.mean_a)},
                      {"mean_b", number(k.mean_b)},
                      {"paired_runs", k.paired},
                      {"mean_diff", number(k.mean_diff)},
                      {"ci95_low", k.has_ci ? number(k.ci_low) : OJson(nullptr)},
                      {"ci95_high", k.has_ci ? number(k.ci_high) : OJson(nullptr)},
                      {"significant", k.significant},
                      {"sign_test_p", k.sign_test_p},
                      {"missing_a", number(k.missing_a)},
                      {"missing_b", number(k.missing_b)},
                      {"missing_diff", number(k.missing_diff)},
                      {"missing_ci95_low", number(k.missing_ci_low)},
                      {"missing_ci95_high", number(k.missing_ci_high)},
                      {"missing_significant", k.missing_significant}});
    incs.push_back({{"incident", ic.incident},
                    {"common_random_numbers", ic.common_random_numbers},
                    {"kpis", kpis},
                    {"kpis_only_a", ic.only_a},
                    {"kpis_only_b", ic.only_b}});
  }
  j["incidents"] = incs;
  j["incidents_only_a"] = c.only_a;
  j["incidents_only_b"] = c.only_b;
  return j;
}

void print_comparison(const Scenario& a, const std::string& b_label, const Comparison& c,
                      bool significant_only) {
  std::printf(
      "%s\nA: the scenario; B: %s — %d paired runs, seed %llu; Δ = B − A, 95%% t-interval "
      "of the paired differences; * = significant\n",
      a.name.c_str(), b_label.c_str(), c.runs, static_cast<unsigned long long>(c.seed));
  for (const IncidentComparison& ic : c.incidents) {
    std::printf("\n%s%s\n", ic.incident.c_str(),
                ic.common_random_numbers ? "" : "  (not paired by random numbers: index differs)");
    std::printf("  %-40s %9s %9s %9s %21s  %s\n", "KPI", "mean A", "mean B", "Δ", "95% CI of Δ",
                "missing A/B (Δ)");
    int shown = 0;
    for (const KpiComparison& k : ic.kpis) {
      if (significant_only && !k.significant && !k.missing_significant) continue;
      ++shown;
      const std::string ci = k.has_ci
                                 ? fmt(k.kpi, k.ci_low, true) + " .. " + fmt(k.kpi, k.ci_high, true)
                                 : std::string("-");
      char miss[64];
      std::snprintf(miss, sizeof miss, "%.0f%%/%.0f%% (%+.0f%s)", 100 * k.missing_a,
                    100 * k.missing_b, 100 * k.missing_diff, k.missing_significant ? "*" : "");
      std::printf("  %-40s %9s %9s %9s %21s%s %s\n", k.kpi.c_str(), fmt(k.kpi, k.mean_a).c_str(),
                  fmt(k.kpi, k.mean_b).c_str(), fmt(k.kpi, k.mean_diff, true).c_str(), ci.c_str(),
                  k.significant ? "*" : " ", miss);
    }
    if (shown == 0) std::printf("  (no significant difference)\n");
    for (const auto& k : ic.only_a) std::printf("  only in A: %s\n", k.c_str());
    for (const auto& k : ic.only_b) std::printf("  only in B: %s\n", k.c_str());
  }
  for (const auto& i : c.only_a) std::printf("\nincident only in A: %s\n", i.c_str());
  for (const auto& i : c.only_b) std::printf("\nincident only in B: %s\n", i.c_str());
}

// ------------------------------------------------------------ plan

OJson interval(double lo, double hi, bool has = true) {
  return has ? OJson::array({number(lo), number(hi)}) : OJson::array({nullptr, nullptr});
}

OJson effect_json(const Scenario& s, const plan::PlanEffect& pe) {
  OJson effects = OJson::array();
  for (const plan::TargetEffect& e : pe.effects)
    effects.push_back({{"incident", s.incidents[static_cast<std::size_t>(e.incident)].id},
                       {"kpi", e.kpi},
                       {"unit", kpi_unit(e.kpi)},
                       {"target_max", number(e.max_value)},
                       {"min_fraction", number(e.min_fraction)},
                       {"weight", number(e.weight)},
                       {"met_base", number(e.met_base)},
                       {"met_with", number(e.met_with)},
                       {"paired_runs", e.paired},
                       {"mean_diff", number(e.mean_diff)},
                       {"ci95", interval(e.ci_low, e.ci_high, e.has_ci)},
                       {"sign_test_p", e.sign_test_p},  // unrounded: p can be 1e-9
                       {"significant", e.significant}});
  return effects;
}

OJson role_or_null(const Scenario& s, Index r, const std::string Role::*field) {
  if (r == kNone) return nullptr;
  return s.roles[static_cast<std::size_t>(r)].*field;
}

/// "recommendations" of hqdrill.plan/1 (docs/options-format.md); `hqdrill report` reads
/// these names.
OJson recommendations_json(const Scenario& s, const std::vector<plan::PlanOption>& o,
                           const plan::Recommendations& rec) {
  OJson ids = OJson::array();
  for (std::size_t i = 0; i < o.size(); ++i)
    if (rec.plan >> i & 1u) ids.push_back(o[i].id);
  const plan::PlanEffect& w = rec.whole;
  OJson items = OJson::array();
  for (const plan::PlanEffect& pe : rec.items) {
    const auto i = static_cast<std::size_t>(std::countr_zero(pe.mask));
    const Index owner = plan::owner_of(s, o[i]);
    items.push_back({{"option", o[i].id},
                     {"name", o[i].name},
                     {"name_en", o[i].name_en},
                     {"owner", role_or_null(s, owner, &Role::id)},
                     {"owner_name", role_or_null(s, owner, &Role::name)},
                     {"owner_name_en", role_or_null(s, owner, &Role::name_en)},
                     {"owner_given", o[i].owner != kNone},
                     {"cost", cost_json(o[i].cost)},
                     {"objective_with", number(pe.objective_with)},
                     {"objective_diff", number(pe.objective_diff)},
                     {"objective_ci95", interval(pe.ci_low, pe.ci_high)},
                     {"effects", effect_json(s, pe)}});
  }
  return {
      {"plan", ids},
      {"method", "objective_ci95: 95% percentile interval of a paired bootstrap over runs (" +
                     std::to_string(plan::kBootstrapResamples) +
                     " resamples of the run indices, fixed seed, the same for every incident and "
                     "both plans); effects: paired t-interval of the KPI difference, significant "
                     "when it excludes 0 and the sign test p < 0.05"},
      {"replications", rec.replications},
      {"objective_base", number(w.objective_base)},
      {"objective_plan", number(w.objective_with)},
      {"objective_diff", number(w.objective_diff)},
      {"objective_ci95", interval(w.ci_low, w.ci_high)},
      {"items", items},
      {"whole",
       {{"option", "plan"},
        {"name", "Toàn bộ kế hoạch"},
        {"name_en", "The whole plan"},
        {"options", ids},
        {"cost", cost_json(plan::cost_of(o, rec.plan))},
        {"objective_with", number(w.objective_with)},
        {"objective_diff", number(w.objective_diff)},
        {"objective_ci95", interval(w.ci_low, w.ci_high)},
        {"effects", effect_json(s, w)}}}};
}

OJson plan_json(const std::string& path, const std::string& options_path, const Scenario& s,
                const std::vector<plan::PlanOption>& o, const plan::SearchOptions& so,
                const plan::SearchResult& r) {
  const auto eval_json = [&](const plan::Evaluation& e) {
    OJson ids = OJson::array();
    for (std::size_t i = 0; i < o.size(); ++i)
      if (e.mask >> i & 1u) ids.push_back(o[i].id);
    OJson per = OJson::object();
    for (std::size_t i = 0; i < s.incidents.size(); ++i)
      per[s.incidents[i].id] = number(e.per_incident[i]);
    return OJson{{"options", ids},
                 {"cost", cost_json(e.cost)},
                 {"objective", number(e.objective)},
                 {"per_incident", per}};
  };
  OJson j;
  j["schema"] = "hqdrill.plan/1";
  j["scenario"] = path;
  j["options_file"] = options_path;
  j["name"] = s.name;
  j["runs"] = so.runs;
  j["seed"] = so.seed;
  j["method"] = r.method;
  if (!r.greedy_stop.empty()) j["greedy_stop"] = r.greedy_stop;
  j["objective"] =
      "sum over incidents and the baseline's applicable targets of weight * max(0, "
      "min_fraction - met_fraction)";
  OJson budgets = OJson::array();
  for (const plan::Budget& b : so.budgets)
    budgets.push_back({{"dim", plan::to_string(b.dim)}, {"limit", number(b.limit)}});
  j["budgets"] = budgets;
  // The options with their names, owners and costs, for readers of the ids below.
  OJson options = OJson::array();
  for (const plan::PlanOption& opt : o) {
    const Index owner = plan::owner_of(s, opt);
    options.push_back({{"id", opt.id},
                       {"name", opt.name},
                       {"name_en", opt.name_en},
                       {"owner", owner == kNone ? OJson(nullptr) : OJson(s.roles[owner].id)},
                       {"cost", cost_json(opt.cost)}});
  }
  j["options"] = options;
  j["front_cost"] = plan::to_string(r.front_dim);
  j["replications"] = r.replications;
  j["baseline"] = eval_json(r.evaluated.front());
  j["best"] = eval_json(r.evaluated[r.best]);
  OJson front = OJson::array();
  for (std::size_t k : r.pareto) front.push_back(eval_json(r.evaluated[k]));
  j["pareto_front"] = front;
  OJson all = OJson::array();
  for (const plan::Evaluation& e : r.evaluated) all.push_back(eval_json(e));
  j["evaluated"] = all;
  j["recommendations"] = recommendations_json(s, o, r.recommendations);
  return j;
}

std::string money(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

void print_plan(const Scenario& s, const std::vector<plan::PlanOption>& o,
                const plan::SearchOptions& so, const plan::SearchResult& r) {
  std::printf(
      "%s — plan: %zu options, %s search, %zu combinations evaluated, %lld replications "
      "simulated (%d runs each, seed %llu)\n",
      s.name.c_str(), o.size(), r.method.c_str(), r.evaluated.size(), r.replications, so.runs,
      static_cast<unsigned long long>(so.seed));
  std::printf(
      "Objective: Σ over incidents and the baseline's targets of weight × max(0, min_fraction − "
      "met_fraction) (0 = every target met)\n");
  for (const plan::Budget& b : so.budgets)
    std::printf("Budget: %s <= %s\n", plan::to_string(b.dim), money(b.limit).c_str());
  if (!r.greedy_stop.empty()) std::printf("Greedy stopped: %s\n", r.greedy_stop.c_str());
  const plan::Evaluation& base = r.evaluated.front();
  const plan::Evaluation& best = r.evaluated[r.best];
  std::printf(
      "\nBaseline objective %.3f\nBest: %s\n  objective %.3f (%+.3f); cost %s people, %s "
      "hours, %s VND\n",
      base.objective, option_list(o, best.mask).c_str(), best.objective,
      best.objective - base.objective, money(best.cost.people).c_str(),
      money(best.cost.hours).c_str(), money(best.cost.money_vnd).c_str());
  std::printf("  %-34s %9s %9s\n", "incident", "baseline", "best");
  for (std::size_t i = 0; i < s.incidents.size(); ++i)
    std::printf("  %-34s %9.3f %9.3f\n", s.incidents[i].id.c_str(), base.per_incident[i],
                best.per_incident[i]);
  std::printf("\nPareto front (%s against objective):\n  %14s %9s  %s\n",
              plan::to_string(r.front_dim), plan::to_string(r.front_dim), "objective", "options");
  for (std::size_t k : r.pareto) {
    const plan::Evaluation& e = r.evaluated[k];
    std::printf("  %14s %9.3f  %s\n", money(plan::cost_in(e.cost, r.front_dim)).c_str(),
                e.objective, option_list(o, e.mask).c_str());
  }
}

/// "incident kpi Δ unit [lo, hi]" of an effect.
std::string effect_text(const Scenario& s, const plan::TargetEffect& e) {
  const std::string unit = kpi_unit(e.kpi);
  return s.incidents[static_cast<std::size_t>(e.incident)].id + " " + e.kpi + " " +
         fmt(e.kpi, e.mean_diff, true) + (unit.empty() || unit == "share" ? "" : " " + unit) +
         " [" + fmt(e.kpi, e.ci_low, true) + ", " + fmt(e.kpi, e.ci_high, true) + "]";
}

/// The largest significant effect with the given sign (every target is an upper bound, so a
/// fall is better): effects are sorted significant first, then by size.
const plan::TargetEffect* largest(const plan::PlanEffect& pe, bool better) {
  for (const plan::TargetEffect& e : pe.effects)
    if (e.significant && (e.mean_diff < 0) == better) return &e;
  return nullptr;
}

std::string objective_change(const plan::PlanEffect& pe) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%+.3f [%+.3f, %+.3f]", pe.objective_diff, pe.ci_low, pe.ci_high);
  return buf;
}

void print_recommendations(const Scenario& s, const std::vector<plan::PlanOption>& o,
                           const plan::SearchOptions& so, plan::CostDim dim,
                           const plan::Recommendations& rec) {
  std::printf(
      "\nKhuyến nghị / Recommendations: the best plan and each of its options alone against "
      "the scenario as it is, %d paired runs.\n  Effect: the largest significant improvement of "
      "a target KPI, and under it the largest worsening if any (plan − baseline, 95%% paired "
      "t-interval; significant = excludes 0 and sign test p < 0.05).\n  ΔJ: change of the "
      "objective, 95%% paired bootstrap interval over "
      "runs (%d resamples).\n",
      so.runs, plan::kBootstrapResamples);
  if (rec.items.empty()) {
    std::printf("  No option lowers the objective within the budget: keep the plan as it is.\n");
    return;
  }
  std::printf("  %-28s %-22s %14s  %-27s %s\n", "option", "owner", plan::to_string(dim),
              "ΔJ [95% CI]", "largest significant target effect, better [95% CI]");
  const auto row = [&](const std::string& id, const std::string& owner, double cost,
                       const plan::PlanEffect& pe) {
    const plan::TargetEffect* good = largest(pe, true);
    const plan::TargetEffect* bad = largest(pe, false);
    std::printf("  %-28s %-22s %14s  %-27s %s\n", id.c_str(), owner.c_str(), money(cost).c_str(),
                objective_change(pe).c_str(),
                good ? effect_text(s, *good).c_str()
                     : (pe.effects.empty() ? "(touches no target)" : "(none significant)"));
    if (bad)  // a planner must see what an option makes worse, too
      std::printf("  %-28s %-22s %14s  %-27s worse: %s\n", "", "", "", "",
                  effect_text(s, *bad).c_str());
  };
  for (const plan::PlanEffect& pe : rec.items) {
    const auto i = static_cast<std::size_t>(std::countr_zero(pe.mask));
    const Index owner = plan::owner_of(s, o[i]);
    row(o[i].id, owner == kNone ? "-" : s.roles[static_cast<std::size_t>(owner)].id,
        plan::cost_in(o[i].cost, dim), pe);
  }
  if (rec.items.size() > 1)
    row("whole plan", "", plan::cost_in(plan::cost_of(o, rec.plan), dim), rec.whole);
}

}  // namespace

// ------------------------------------------------------------ commands

CompareCommand::CompareCommand(CLI::App& app) {
  sub_ = app.add_subcommand(
      "compare",
      "Compare two plans run by run: A B (two scenarios), or A --options O --with ID[,ID...] "
      "(the scenario and the same with options applied).");
  sub_->footer(
      "Paired runs with common random numbers: run k of A and of B use the same seed and run "
      "index, so every named random stream (detect, reaction, comms, turnout, travel, tasks, "
      "peds, crowd, fire) starts in the same state. Draws stay in step as long as B makes the "
      "same draws in the same order; where B adds or removes draws in a stream (a new notify, "
      "a message that now fails or succeeds, one more member sent) that stream drifts out of "
      "step after the change and the intervals get wider, not wrong. Incidents are matched by "
      "id; one at another index in B is not paired by random numbers (flagged). A KPI missing in "
      "a run is compared on the runs where both plans have it; the missing fractions and their "
      "paired difference are reported beside it.");
  sub_->add_option("A B", scenarios_, "Scenario A, and scenario B unless --options is given")
      ->required()
      ->expected(1, 2);
  sub_->add_option("--options", options_, "Plan options file (hqdrill.options/1) for B");
  sub_->add_option("--with", with_,
                   "Option ids applied to A to make B (comma-separated; applied in file order)")
      ->delimiter(',');
  sub_->add_option("--runs", runs_, "Paired runs per incident (default: A's)")
      ->check(CLI::Range(2, 1000000));
  sub_->add_option("--seed", seed_, "Random seed (default: A's)");
  sub_->add_option("--threads", threads_,
                   "Worker threads (default: all cores); no effect on results")
      ->check(CLI::Range(1, 256));
  sub_->add_option("--json", json_, "Also write the comparison as JSON (hqdrill.compare/1)");
  sub_->add_flag("--significant-only", significant_only_,
                 "Print only KPIs whose difference (or missing fraction) is significant");
  sub_->add_flag("--quiet,-q", quiet_, "Print nothing but errors");
}

int CompareCommand::run() const {
  const bool with_options = !options_.empty() || !with_.empty();
  if (with_options && (options_.empty() || with_.empty() || scenarios_.size() != 1)) {
    std::cerr << "hqdrill compare: give either two scenarios, or one scenario with --options "
                 "FILE and --with ID[,ID...]\n";
    return kExitBadInput;
  }
  if (!with_options && scenarios_.size() != 2) {
    std::cerr << "hqdrill compare: give two scenarios (A B), or one with --options and --with\n";
    return kExitBadInput;
  }
  auto a = load(scenarios_[0]);
  if (!a) return kExitBadInput;
  std::optional<Scenario> b;
  std::string b_label;
  std::optional<std::vector<plan::PlanOption>> opts;
  if (with_options) {
    opts = load_opts(options_, *a);
    if (!opts) return kExitBadInput;
    std::vector<std::string> ids;
    for (const auto& o : *opts) ids.push_back(o.id);
    std::uint64_t mask = 0;
    for (const std::string& w : with_) {
      const auto it = std::find(ids.begin(), ids.end(), w);
      if (it == ids.end()) {
        const std::string guess = io::did_you_mean(w, ids);
        std::cerr << "hqdrill compare: --with: " << options_ << " has no option \"" << w << "\""
                  << (guess.empty() ? "" : " (did you mean \"" + guess + "\"?)") << "\n";
        return kExitBadInput;
      }
      mask |= std::uint64_t{1} << (it - ids.begin());
    }
    b = plan::with_options(*a, *opts, mask);  // in file order, as `plan` applies them
    b_label = "A with " + option_list(*opts, mask) + " (" + options_ + ")";
  } else {
    b = load(scenarios_[1]);
    if (!b) return kExitBadInput;
    b_label = scenarios_[1];
  }

  ProgressBar progress(!quiet_);
  ExperimentOptions eo;
  eo.runs = runs_ ? *runs_ : a->run.runs;
  eo.seed = seed_ ? *seed_ : a->run.seed;
  eo.threads = default_threads(threads_);
  const int total = eo.runs * static_cast<int>(a->incidents.size() + b->incidents.size());
  Comparison c;
  try {
    int offset = 0;
    eo.progress = [&](int d, int) { progress(offset + d, total); };
    const auto ra = run_experiment(*a, eo);
    offset = eo.runs * static_cast<int>(a->incidents.size());
    const auto rb = run_experiment(*b, eo);
    c = compare_runs(*a, ra, *b, rb);
  } catch (const std::exception& e) {
    std::cerr << "hqdrill compare: the simulation failed: " << e.what() << "\n";
    return kExitRunFailed;
  }
  if (!json_.empty())
    if (auto err =
            write_atomically(json_, compare_json(scenarios_[0], b_label, *a, c).dump(2) + "\n");
        !err.empty()) {
      std::cerr << "hqdrill compare: " << err << "\n";
      return kExitRunFailed;
    }
  if (!quiet_) {
    if (opts) {
      std::vector<plan::PlanOption> used;
      for (const auto& o : *opts)
        if (std::find(with_.begin(), with_.end(), o.id) != with_.end()) used.push_back(o);
      print_placements(used);
    }
    print_comparison(*a, b_label, c, significant_only_);
    if (!json_.empty()) std::printf("\nJSON: %s\n", json_.c_str());
    std::fflush(stdout);
  }
  return kExitOk;
}

PlanCommand::PlanCommand(CLI::App& app) {
  sub_ = app.add_subcommand(
      "plan", "Find the best combination of plan options under a budget; print the Pareto front.");
  sub_->footer(
      "Objective (lower is better): the sum over incidents and their applicable targets of "
      "w * max(0, min_fraction - met_fraction), w the target's \"weight\" in the scenario "
      "(default 1). The targets are those applicable in the scenario as it is, for every "
      "combination: a KPI an option removes counts as missed in every run. After the search, "
      "the best plan and each of its options alone are compared with the scenario on the same "
      "runs (Recommendations): the objective's change with a 95% paired bootstrap interval "
      "over runs (2000 resamples, fixed seed), and each target KPI's paired t-interval and "
      "sign test. Every combination runs with "
      "the same seed and runs (common random numbers; see `hqdrill compare --help`). Exhaustive "
      "over every combination within the budget when there are at most --exhaustive-max "
      "options, else greedy forward selection (add the option that lowers the objective most, "
      "while it falls by at least the half-width of that step's 95% bootstrap interval). An "
      "incident's runs are reused between combinations that differ only in options it cannot "
      "see.");
  sub_->add_option("SCENARIO", scenario_, "Scenario file (JSON, hqdrill/1)")->required();
  sub_->add_option("--options", options_, "Plan options file (hqdrill.options/1)")->required();
  sub_->add_option("--budget", budgets_,
                   "Budget DIM=LIMIT, DIM one of people, hours, money_vnd (repeatable; e.g. "
                   "money_vnd=50000000)");
  sub_->add_option("--front-cost", front_,
                   "Cost axis of the Pareto front (default: the first budget's, else money_vnd)");
  sub_->add_option("--runs", runs_, "Replications per incident and combination (default 100)")
      ->check(CLI::Range(1, 1000000));
  sub_->add_option("--seed", seed_, "Random seed (default: the scenario's)");
  sub_->add_option("--threads", threads_,
                   "Worker threads (default: all cores); no effect on results")
      ->check(CLI::Range(1, 256));
  sub_->add_option("--exhaustive-max", exhaustive_max_,
                   "Search exhaustively up to this many options, greedily above (default 10)")
      ->check(CLI::Range(0, 20));
  sub_->add_option("--json", json_, "Also write the result as JSON (hqdrill.plan/1)");
  sub_->add_flag("--quiet,-q", quiet_, "Print nothing but errors");
}

int PlanCommand::run() const {
  plan::SearchOptions so;
  for (const std::string& b : budgets_) {
    const auto eq = b.find('=');
    const auto dim = plan::cost_dim_from(b.substr(0, eq));
    double limit = -1;
    bool ok = eq != std::string::npos && dim.has_value();
    if (ok) {
      try {
        std::size_t used = 0;
        limit = std::stod(b.substr(eq + 1), &used);
        ok = used == b.size() - eq - 1 && limit >= 0 && std::isfinite(limit);
      } catch (const std::exception&) {
        ok = false;
      }
    }
    if (!ok) {
      std::cerr << "hqdrill plan: --budget \"" << b
                << "\": expected DIM=LIMIT with DIM people, hours or money_vnd and LIMIT >= 0\n";
      return kExitBadInput;
    }
    so.budgets.push_back({*dim, limit});
  }
  if (!front_.empty()) {
    so.front_dim = plan::cost_dim_from(front_);
    if (!so.front_dim) {
      std::cerr << "hqdrill plan: --front-cost \"" << front_
                << "\": expected people, hours or money_vnd\n";
      return kExitBadInput;
    }
  }
  auto s = load(scenario_);
  if (!s) return kExitBadInput;
  auto opts = load_opts(options_, *s);
  if (!opts) return kExitBadInput;
  so.runs = runs_;
  so.seed = seed_ ? *seed_ : s->run.seed;
  so.threads = default_threads(threads_);
  so.exhaustive_max = exhaustive_max_;
  ProgressBar progress(!quiet_);
  so.progress = [&progress](int d, int t) { progress(d, t); };
  plan::SearchResult r;
  try {
    r = plan::search(*s, *opts, so);
  } catch (const std::exception& e) {
    std::cerr << "hqdrill plan: the simulation failed: " << e.what() << "\n";
    return kExitRunFailed;
  }
  if (!json_.empty())
    if (auto err = write_atomically(
            json_, plan_json(scenario_, options_, *s, *opts, so, r).dump(2) + "\n");
        !err.empty()) {
      std::cerr << "hqdrill plan: " << err << "\n";
      return kExitRunFailed;
    }
  if (!quiet_) {
    print_placements(*opts);
    print_plan(*s, *opts, so, r);
    print_recommendations(*s, *opts, so, r.front_dim, r.recommendations);
    if (!json_.empty()) std::printf("\nJSON: %s\n", json_.c_str());
    std::fflush(stdout);
  }
  return kExitOk;
}

}  // namespace hqdrill::cli
