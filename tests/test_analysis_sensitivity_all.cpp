// The sweep of every assumption (analysis/sensitivity.hpp, assumption_sensitivity) on a
// hand-built scenario with constant delays, so every time and every objective is exact:
//
//   incident a: guard (10 s) → leader (20 s) → squad_leader (5 s), links 30 s and 45 s;
//     detected at 60 s, the police squad turns out in 10 s and walks 90 m at 1.5 m/s:
//     on scene at 60 + 10 + 30 + 20 + 45 + 5 + 10 + 60 = 240 s.
//   incident b: the guard alone dispatches the guards (already at the gate).
//   target: police on scene of incident a within 250 s in 90% of runs (J_a = 0 at base;
//   0.9 when every run misses).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "hqdrill/analysis/sensitivity.hpp"
#include "hqdrill/sim/replication.hpp"
#include "support.hpp"

using namespace hqdrill;
using namespace hqdrill::test;

namespace {

Scenario two_incidents() {
  Chain c;
  Scenario s = c.s;
  s.incidents[0].id = "a";
  Protocol direct;
  direct.id = "direct";
  direct.incident_type = "generic";
  direct.rules.push_back({c.guard, {dispatch()}});
  s.protocols.push_back(direct);
  Incident b = incident_at(c.gate, c.guard, 30, 0, 9 * 60);
  b.id = "b";
  b.protocol = 1;
  s.incidents.push_back(b);
  Target t;
  t.incident = "a";
  t.kpi = "on_scene_police_s";
  t.max_value = 250;
  t.min_fraction = 0.9;
  s.targets.push_back(t);
  return s;
}

const AssumptionRow& row_of(const AssumptionSensitivity& r, const std::string& id) {
  for (const AssumptionRow& row : r.rows)
    if (row.param.id == id) return row;
  FAIL("no row " << id);
  return r.rows.front();
}

AssumptionSensitivity sweep(const Scenario& s, int threads = 1) {
  AssumptionOptions o;
  o.runs = 3;
  o.seed = 7;
  o.threads = threads;
  return assumption_sensitivity(s, o);
}

}  // namespace

TEST_CASE("sensitivity: doubling the leader's reaction on the critical path raises J from 0 to 0.9",
          "[sensitivity]") {
  const AssumptionSensitivity r = sweep(two_incidents());
  CHECK(r.base_objective == 0);
  REQUIRE(r.primary_kpi.size() == 2);
  CHECK(r.primary_kpi[0] == "on_scene_police_s");
  CHECK(r.primary_base[0] == 240);
  const AssumptionRow& row = row_of(r, "role.leader.reaction_s.scale");
  CHECK(row.param.group == "role");
  CHECK(row.param.what == "scale");
  CHECK(row.param.base == 20);
  CHECK(row.param.low == 10);
  CHECK(row.param.high == 40);
  CHECK(row.objective_low == 0);             // 230 s
  CHECK(row.objective_high == Approx(0.9));  // 260 s: every run misses 250 s
  CHECK(row.swing == Approx(0.9));
  REQUIRE(row.incidents.size() == 1);
  CHECK(row.incidents[0].primary_low == 230);
  CHECK(row.incidents[0].primary_high == 260);
  CHECK(row.param.label_vi == "Thời gian phản ứng của leader (×0,5 / ×2)");
  CHECK(row.param.label_en == "leader reaction time (×0.5 / ×2)");
  // Constant delays have no spread row; an instant answer (constant 0) has no row at all.
  for (const AssumptionRow& x : r.rows) {
    CHECK(x.param.what != "spread");
    CHECK(x.param.id.find("answer_s") == std::string::npos);
  }
}

TEST_CASE(
    "sensitivity: a parameter that cannot affect an incident is not re-run and leaves it "
    "exactly as in the base runs",
    "[sensitivity]") {
  const Scenario s = two_incidents();
  const std::vector<AssumptionParam> params = assumption_params(s);
  const auto p = std::find_if(params.begin(), params.end(), [](const AssumptionParam& x) {
    return x.id == "role.leader.reaction_s.scale";
  });
  REQUIRE(p != params.end());
  CHECK(p->incidents == std::vector<Index>{0});  // b never involves the leader
  // The guard is in both.
  const auto g = std::find_if(params.begin(), params.end(), [](const AssumptionParam& x) {
    return x.id == "role.guard.reaction_s.scale";
  });
  REQUIRE(g != params.end());
  CHECK(g->incidents == std::vector<Index>{0, 1});

  // The relevance rule is safe: re-running b under both of the leader's variants gives the
  // base's values to the byte.
  for (const bool high : {false, true}) {
    Scenario v = s;
    p->apply(v, high);
    CHECK(v.roles[1].reaction_s.a != s.roles[1].reaction_s.a);  // roles[1]: the leader
    for (std::uint64_t run = 0; run < 3; ++run) {
      const auto base = run_replication(s, 1, 7, run, false).kpis;
      const auto var = run_replication(v, 1, 7, run, false).kpis;
      REQUIRE(base.size() == var.size());
      for (std::size_t k = 0; k < base.size(); ++k) {
        REQUIRE(base[k].has_value() == var[k].has_value());
        if (base[k]) CHECK(std::memcmp(&*base[k], &*var[k], sizeof(double)) == 0);
      }
    }
  }

  // The sweep re-ran only a for that row, and counted only what it simulated.
  const AssumptionSensitivity r = sweep(s);
  const AssumptionRow& row = row_of(r, "role.leader.reaction_s.scale");
  REQUIRE(row.incidents.size() == 1);
  CHECK(row.incidents[0].incident == 0);
  long long expected = 2 * 3;  // base: two incidents, three runs
  for (const AssumptionRow& x : r.rows)
    expected += 2LL * static_cast<long long>(x.incidents.size()) * 3;
  CHECK(r.replications == expected);
}

TEST_CASE(
    "sensitivity rows are ranked by swing, then by the primary KPI's relative change, "
    "then by id",
    "[sensitivity]") {
  const AssumptionSensitivity r = sweep(two_incidents());
  // Swing 0.9, by |high - low| of on_scene_police_s (base 240 s):
  //   police speed ×0.5/×2: walk 120 s / 30 s → 300 vs 210 (90 s); link leader→squad
  //   45 → 22.5 / 90 s (67.5 s); link guard→leader 30 → 15 / 60 s (45 s); leader
  //   reaction 20 → 10 / 40 s (30 s).
  REQUIRE(r.rows.size() >= 6);
  CHECK(r.rows[0].param.id == "unit.police.speed_mps.scale");
  CHECK(r.rows[1].param.id == "link.leader>squad_leader.delay_s.scale");
  CHECK(r.rows[2].param.id == "link.guard>leader.delay_s.scale");
  CHECK(r.rows[3].param.id == "role.leader.reaction_s.scale");
  for (int k = 0; k < 4; ++k) CHECK(r.rows[static_cast<std::size_t>(k)].swing == Approx(0.9));
  // Then swing 0 (235 or 250 s, still within the target), by relative change: the guard's
  // reaction moves b's all_on_scene_s (40 s) by 15 s (0.375); police turnout moves a's
  // arrival by 15 of 240 s (0.0625).
  CHECK(r.rows[4].swing == 0);
  CHECK(r.rows[4].param.id == "role.guard.reaction_s.scale");
  CHECK(r.rows[5].param.id == "unit.police.turnout_s.scale");
  for (std::size_t k = 1; k < r.rows.size(); ++k) CHECK(r.rows[k - 1].swing >= r.rows[k].swing);
}

TEST_CASE("sensitivity results do not depend on the number of threads", "[sensitivity]") {
  Scenario s = two_incidents();
  // Random delays, so the runs differ from each other.
  s.roles[0].reaction_s = Distribution::lognormal_from_median_p90(10, 30);
  s.links[1].delay_s = Distribution::uniform_of(20, 70);
  const AssumptionSensitivity one = sweep(s, 1), two = sweep(s, 2);
  REQUIRE(one.rows.size() == two.rows.size());
  CHECK(one.base_objective == two.base_objective);
  for (std::size_t k = 0; k < one.rows.size(); ++k) {
    CHECK(one.rows[k].param.id == two.rows[k].param.id);
    CHECK(one.rows[k].objective_low == two.rows[k].objective_low);
    CHECK(one.rows[k].objective_high == two.rows[k].objective_high);
  }
  // The random ones also have a spread row.
  CHECK(std::any_of(one.rows.begin(), one.rows.end(), [](const AssumptionRow& x) {
    return x.param.id == "role.guard.reaction_s.spread" && x.param.unit == "×";
  }));
}

TEST_CASE("sensitivity filters by incident and group, and refuses unknown ones", "[sensitivity]") {
  const Scenario s = two_incidents();
  AssumptionOptions o;
  o.runs = 1;
  o.incidents = {1};
  o.groups = {"role"};
  const AssumptionSensitivity r = assumption_sensitivity(s, o);
  CHECK(r.incidents == std::vector<Index>{1});
  for (const AssumptionRow& x : r.rows) {
    CHECK(x.param.group == "role");
    CHECK(x.param.incidents == std::vector<Index>{1});
  }
  o.groups = {"weather"};
  CHECK_THROWS_AS(assumption_sensitivity(s, o), std::invalid_argument);
  o.groups = {};
  o.incidents = {5};
  CHECK_THROWS_AS(assumption_sensitivity(s, o), std::invalid_argument);
}
