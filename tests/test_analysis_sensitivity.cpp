// The crowd model's sensitivity sweep (analysis/sensitivity.hpp): which parameters it
// sweeps and to what, that it runs each variant on the incident alone with common random
// numbers, and facts that hold by construction. Runs are few: these tests check the
// sweep, not the model's numbers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>

#include "hqdrill/analysis/sensitivity.hpp"
#include "hqdrill/analysis/stats.hpp"
#include "hqdrill/io/scenario_io.hpp"
#include "hqdrill/sim/experiment.hpp"
#include "shipped_support.hpp"

using namespace hqdrill;

namespace {

Scenario load(const std::string& rel) {
  return test::load_shipped(rel);
}

Index index_of(const Scenario& s, const std::string& id) {
  for (std::size_t i = 0; i < s.incidents.size(); ++i)
    if (s.incidents[i].id == id) return static_cast<Index>(i);
  FAIL("no incident " << id);
  return kNone;
}

/// crowd-50 cut to its first 40 min (arrivals end at 30 min): a full sweep in seconds.
Scenario small_crowd() {
  Scenario s = load("scenarios/crowd-50-weekday.json");
  s.run.horizon = 40 * 60 * kMsPerSecond;
  return s;
}

/// Mean of `kpi` over the runs of incident 0 (NaN when it never happened).
double mean_of(const ExperimentResults& r, const std::string& kpi) {
  const IncidentRuns& ir = r.incidents.front();
  const auto it = std::find(ir.kpi_names.begin(), ir.kpi_names.end(), kpi);
  REQUIRE(it != ir.kpi_names.end());
  std::vector<std::optional<double>> v;
  for (const auto& row : ir.values)
    v.push_back(row[static_cast<std::size_t>(it - ir.kpi_names.begin())]);
  const KpiSummary k = summarize(v);
  return k.present ? k.mean : std::nan("");
}

/// Byte equality, so NaN == NaN and -0 != 0.
bool same_bytes(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("every parameter of the table is swept around the scenario's value", "[sensitivity]") {
  const Scenario s = load("scenarios/crowd-200-weekday.json");
  const auto params = crowd_sensitivity_params(s, 0);
  std::map<std::string, SensitivityParam> by_name;
  for (const auto& p : params) by_name[p.name] = p;
  const std::set<std::string> want{
      "legitimacy",          "wait_loss_per_h", "gate_loss",    "line_loss",       "dialogue_gain",
      "push_margin",         "heavy_ratio",     "threshold",    "arrest_k",        "vision_m",
      "decision_interval_s", "push_speed_mps",  "capacity_npm", "defender_hold_n", "breach_after_s",
      "march_share",         "dialogue_s",      "contagion_max"};
  std::set<std::string> got;
  for (const auto& p : params) got.insert(p.name);
  CHECK(got == want);
  CHECK(params.size() == want.size());  // no parameter twice
  for (const auto& p : params) {
    INFO(p.name << ": " << p.low << " < " << p.base << " < " << p.high);
    CHECK(p.low < p.base);  // crowd-200 has no zero loss or gain, so none starts at its base
    // contagion_max is at its ceiling, 1 (uniform thresholds): it can only go down.
    if (p.name == "contagion_max")
      CHECK(p.high == p.base);
    else
      CHECK(p.base < p.high);
    CHECK_FALSE(p.source.empty());
  }
  // The values the table in sensitivity.hpp states, on crowd-200's numbers.
  CHECK(by_name["legitimacy"].low == Approx(0.84));
  CHECK(by_name["legitimacy"].high == Approx(0.92));
  CHECK(by_name["wait_loss_per_h"].low == 0);
  CHECK(by_name["wait_loss_per_h"].high == Approx(0.12));
  CHECK(by_name["threshold"].low == Approx(0.05));
  CHECK(by_name["threshold"].high == Approx(0.15));
  CHECK(by_name["threshold"].source == "Epstein 2002 (T = 0.1)");
  CHECK(by_name["arrest_k"].low == Approx(1.15));
  CHECK(by_name["arrest_k"].high == Approx(4.6));
  CHECK(by_name["push_speed_mps"].low == Approx(1.5));
  CHECK(by_name["push_speed_mps"].high == Approx(3.0));
  CHECK(by_name["capacity_npm"].high == Approx(3000));  // the 3 kN/m crowd line load
  CHECK(by_name["march_share"].low == Approx(0.2));
  CHECK(by_name["march_share"].high == Approx(0.6));
  CHECK(by_name["dialogue_s"].base == Approx(s.incidents[0].crowd->dialogue_s.mean()));
}

TEST_CASE("a zero loss is swept up to the model's default and a zero margin is left out",
          "[sensitivity]") {
  Scenario s = load("scenarios/crowd-200-weekday.json");
  CrowdDef& c = *s.incidents[0].crowd;
  c.behaviour.agitation.wait_loss_per_h = 0;
  c.behaviour.agitation.push_margin = 0;
  c.behaviour.agitation.legitimacy = 1.0;
  for (CrowdGroup& g : c.groups) g.march_share = 0;
  std::map<std::string, SensitivityParam> by_name;
  for (const auto& p : crowd_sensitivity_params(s, 0)) by_name[p.name] = p;
  REQUIRE(by_name.count("wait_loss_per_h"));
  CHECK(by_name["wait_loss_per_h"].low == 0);
  CHECK(by_name["wait_loss_per_h"].high == AgitationParams{}.wait_loss_per_h);
  CHECK(by_name.count("push_margin") == 0);  // 0 / 2 == 0 * 2: nothing to sweep
  CHECK(by_name.count("march_share") == 0);  // nobody marches
  CHECK(by_name["legitimacy"].low == Approx(0.96));
  CHECK(by_name["legitimacy"].high == 1.0);  // clamped
}

TEST_CASE("an incident with no crowd is refused with invalid_argument", "[sensitivity]") {
  const Scenario s = load("scenarios/quang-ngai-hq.json");
  const Index generic = index_of(s, "a-hq-gate-mon-0800");
  CHECK_THROWS_AS(crowd_sensitivity_params(s, generic), std::invalid_argument);
  CHECK_THROWS_WITH(crowd_sensitivity(s, generic, 1, 1, 1),
                    Catch::Contains("\"a-hq-gate-mon-0800\" has no crowd"));
  CHECK_THROWS_AS(crowd_sensitivity_variant(s, generic, "legitimacy", 0.5), std::invalid_argument);
  CHECK_THROWS_WITH(
      crowd_sensitivity_variant(s, index_of(s, "g-crowd-200-mon-0800"), "hardship", 1),
      Catch::Contains("unknown parameter \"hardship\""));
}

TEST_CASE("a variant is the incident alone, without targets, with only that parameter changed",
          "[sensitivity]") {
  const Scenario s = load("scenarios/quang-ngai-hq.json");
  const Index crowd = index_of(s, "g-crowd-200-mon-0800");
  REQUIRE(crowd > 0);
  const CrowdDef& base = *s.incidents[static_cast<std::size_t>(crowd)].crowd;

  const Scenario v = crowd_sensitivity_variant(s, crowd, "legitimacy", 0.8);
  REQUIRE(v.incidents.size() == 1);
  CHECK(v.incidents[0].id == "g-crowd-200-mon-0800");
  CHECK(v.targets.empty());
  CHECK(v.incidents[0].crowd->behaviour.agitation.legitimacy == 0.8);
  CHECK(v.incidents[0].crowd->behaviour.agitation.k == base.behaviour.agitation.k);
  CHECK(v.roles.size() == s.roles.size());

  const Scenario d = crowd_sensitivity_variant(s, crowd, "dialogue_s", 2 * base.dialogue_s.mean());
  CHECK(d.incidents[0].crowd->dialogue_s.mean() == Approx(2 * base.dialogue_s.mean()));
  CHECK(d.incidents[0].crowd->dialogue_s.kind == base.dialogue_s.kind);

  const double share = base.groups[0].march_share;
  const Scenario m = crowd_sensitivity_variant(s, crowd, "march_share", 0.5 * share);
  CHECK(m.incidents[0].crowd->groups[0].march_share == Approx(0.5 * share));

  const Scenario g = crowd_sensitivity_variant(s, crowd, "capacity_npm", 3000);
  CHECK(g.incidents[0].crowd->gate.rule.capacity_npm == 3000);
}

TEST_CASE("the sweep's base is a plain run of the scenario, rows are ranked, threads do not matter",
          "[sensitivity][determinism]") {
  const Scenario s = small_crowd();
  const int runs = 2;
  const std::uint64_t seed = 7;
  int calls = 0, last_done = 0, last_total = 0;
  const SensitivityResult r = crowd_sensitivity(s, 0, runs, seed, 2, [&](int done, int total) {
    ++calls;
    CHECK(done == last_done + 1);  // serialised, counted over every variant
    last_done = done;
    last_total = total;
  });

  CHECK(r.incident == s.incidents[0].id);
  CHECK(r.runs == runs);
  CHECK(r.seed == seed);
  CHECK(r.kpis == sensitivity_kpis());
  CHECK(r.kpis.front() == "peak_active_fraction");
  CHECK(r.rows.size() == crowd_sensitivity_params(s, 0).size());
  CHECK(last_total == (1 + 2 * static_cast<int>(r.rows.size())) * runs);
  CHECK(calls == last_total);

  // Base: the same numbers as run_experiment of the scenario itself (one incident; its
  // targets change nothing in a run).
  const ExperimentResults plain = run_experiment(s, ExperimentOptions{runs, seed, 1, nullptr});
  std::vector<double> want;
  for (const auto& k : r.kpis) want.push_back(mean_of(plain, k));
  CHECK(same_bytes(r.base, want));

  // Ranked by swing of the first KPI, then of the second, then by name.
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    const auto& row = r.rows[i];
    REQUIRE(row.low.size() == r.kpis.size());
    REQUIRE(row.high.size() == r.kpis.size());
    CHECK(row.swing == Approx(std::fabs(row.high[0] - row.low[0])));
    if (i == 0) continue;
    const auto& prev = r.rows[i - 1];
    INFO(prev.param.name << " before " << row.param.name);
    CHECK(prev.swing >= row.swing);
    if (prev.swing == row.swing) {
      const double a = std::fabs(prev.high[1] - prev.low[1]),
                   b = std::fabs(row.high[1] - row.low[1]);
      CHECK(a >= b);
      if (a == b) CHECK(prev.param.name < row.param.name);
    }
  }

  const SensitivityResult one = crowd_sensitivity(s, 0, runs, seed, 1);
  CHECK(same_bytes(one.base, r.base));
  REQUIRE(one.rows.size() == r.rows.size());
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    CHECK(one.rows[i].param.name == r.rows[i].param.name);
    CHECK(same_bytes(one.rows[i].low, r.rows[i].low));
    CHECK(same_bytes(one.rows[i].high, r.rows[i].high));
  }
}

TEST_CASE("raising legitimacy does not raise the mean peak active share of crowd-200",
          "[sensitivity]") {
  // G = H (1 - L): a higher L lowers everyone's grievance at every moment, and with common
  // random numbers each person keeps its H and R, so fewer turn active.
  const Scenario s = load("scenarios/crowd-200-weekday.json");
  const auto param = [&] {
    for (const auto& p : crowd_sensitivity_params(s, 0))
      if (p.name == "legitimacy") return p;
    FAIL("no legitimacy row");
    return SensitivityParam{};
  }();
  const ExperimentOptions opt{4, s.run.seed, 2, nullptr};
  const auto low = run_experiment(crowd_sensitivity_variant(s, 0, "legitimacy", param.low), opt);
  const auto high = run_experiment(crowd_sensitivity_variant(s, 0, "legitimacy", param.high), opt);
  const double at_low = mean_of(low, "peak_active_fraction");
  const double at_high = mean_of(high, "peak_active_fraction");
  INFO("mean peak_active_fraction at L = " << param.low << ": " << at_low
                                           << ", at L = " << param.high << ": " << at_high);
  CHECK(at_high <= at_low);
  CHECK(at_low > 0);  // the sweep is not trivially flat
}
