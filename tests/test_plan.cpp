// Plan options, paired comparison and the search for the best plan (issue #9):
// hqdrill/plan/options.hpp, hqdrill/analysis/compare.hpp, hqdrill/plan/search.hpp.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "hqdrill/analysis/compare.hpp"
#include "hqdrill/analysis/summary.hpp"
#include "hqdrill/io/options_io.hpp"
#include "hqdrill/io/results_io.hpp"
#include "hqdrill/io/scenario_io.hpp"
#include "hqdrill/plan/options.hpp"
#include "hqdrill/plan/placement.hpp"
#include "hqdrill/plan/search.hpp"
#include "hqdrill/sim/experiment.hpp"
#include "support.hpp"

using namespace hqdrill;
using namespace hqdrill::test;

namespace {

ExperimentResults run(const Scenario& s, int runs, std::uint64_t seed = 7) {
  ExperimentOptions o;
  o.runs = runs;
  o.seed = seed;
  o.threads = 2;
  return run_experiment(s, o);
}

const KpiComparison& kpi(const IncidentComparison& ic, const std::string& name) {
  for (const KpiComparison& k : ic.kpis)
    if (k.kpi == name) return k;
  FAIL("no KPI " << name);
  return ic.kpis.front();
}

/// The chain of support.hpp with random delays: detection, the two links and the
/// reactions vary from run to run.
Chain random_chain() {
  Chain c;
  c.s.incidents[0].detect_s = Distribution::uniform_of(30, 90);
  c.s.links[0].delay_s = Distribution::uniform_of(20, 40);
  c.s.links[1].delay_s = Distribution::uniform_of(30, 60);
  c.s.roles[static_cast<std::size_t>(c.leader)].reaction_s = Distribution::uniform_of(10, 30);
  return c;
}

plan::PlanOption upgrade(const std::string& id, const std::string& link, Distribution delay,
                         double money) {
  plan::PlanOption o;
  o.id = id;
  o.name = id;
  o.cost.money_vnd = money;
  plan::UpgradeLink u;
  u.link = link;
  u.delay.replace = delay;
  o.changes.push_back(u);
  return o;
}

}  // namespace

TEST_CASE(
    "comparing a scenario with itself gives exactly zero differences with common random "
    "numbers",
    "[compare]") {
  const Chain c = random_chain();
  const auto a = run(c.s, 30), b = run(c.s, 30);
  const Comparison cmp = compare_runs(c.s, a, c.s, b);
  REQUIRE(cmp.incidents.size() == 1);
  const IncidentComparison& ic = cmp.incidents[0];
  CHECK(ic.common_random_numbers);
  REQUIRE(ic.kpis.size() >= 4);
  for (const KpiComparison& k : ic.kpis) {
    INFO(k.kpi);
    CHECK(k.mean_diff == 0.0);
    CHECK(k.has_ci);
    CHECK(k.ci_low == 0.0);
    CHECK(k.ci_high == 0.0);
    CHECK_FALSE(k.significant);
    CHECK(k.missing_diff == 0.0);
    CHECK(k.mean_a == k.mean_b);
  }
  // The KPIs really vary between runs: the zero is the pairing, not constant delays.
  const auto& col = a.incidents[0].values;
  CHECK(col[0][0] != col[1][0]);
}

TEST_CASE("a faster link shows a significant improvement in the KPIs it feeds and none upstream",
          "[compare]") {
  const Chain c = random_chain();
  const plan::PlanOption radio =
      upgrade("radio", "leader>squad_leader", Distribution::uniform_of(3, 8), 1);
  const Scenario b = plan::with_options(c.s, {radio}, 1);
  REQUIRE(b.links[1].delay_s.kind == DistKind::uniform);
  CHECK(b.links[1].delay_s.b == 8);
  const Comparison cmp = compare_runs(c.s, run(c.s, 40), b, run(b, 40));
  const IncidentComparison& ic = cmp.incidents.at(0);
  // Fed by the link: the squad leader learns ~40 s sooner, and so the squad arrives sooner.
  for (const char* fed : {"notified_squad_leader_s", "on_scene_police_s", "all_on_scene_s"}) {
    INFO(fed);
    const KpiComparison& k = kpi(ic, fed);
    CHECK(k.significant);
    CHECK(k.ci_high < 0);
    CHECK(k.mean_diff == Approx(-(45.0 - 5.5)).margin(6));
  }
  // Upstream of the link: drawn from the same streams in the same order, unchanged.
  for (const char* upstream : {"detect_s", "notified_leader_s"}) {
    INFO(upstream);
    const KpiComparison& k = kpi(ic, upstream);
    CHECK_FALSE(k.significant);
    CHECK(k.mean_diff == 0.0);
  }
}

TEST_CASE(
    "a KPI missing in some runs is compared where both have it and its missing share is "
    "reported",
    "[compare]") {
  Chain c = random_chain();
  // The squad leader answers only half the calls and gets one attempt: without the
  // message, the squad never comes.
  c.s.links[1].failure_probability = 0.5;
  c.s.links[1].max_attempts = 1;
  plan::PlanOption fix;
  fix.id = "reliable";
  fix.cost.money_vnd = 1;
  plan::UpgradeLink u;
  u.link = "leader>squad_leader";
  u.failure_probability = 0.0;
  fix.changes.push_back(u);
  const Scenario b = plan::with_options(c.s, {fix}, 1);
  const Comparison cmp = compare_runs(c.s, run(c.s, 60), b, run(b, 60));
  const KpiComparison& k = kpi(cmp.incidents.at(0), "on_scene_police_s");
  CHECK(k.missing_a > 0.2);
  CHECK(k.missing_b == 0.0);
  CHECK(k.missing_diff == Approx(-k.missing_a));
  CHECK(k.missing_significant);
  CHECK(k.paired == static_cast<std::size_t>((1.0 - k.missing_a) * 60 + 0.5));
}

TEST_CASE("the paired interval is Student's t on the differences", "[compare]") {
  // n = 4, mean 2, sd sqrt(((−1)² + 0 + 0 + 1²)/3) = 0.8165; t_{0.975,3} = 3.182446.
  const PairedInterval p = paired_interval({1, 2, 2, 3});
  CHECK(p.has_ci);
  CHECK(p.mean == 2.0);
  CHECK(p.high - p.mean == Approx(3.182446 * 0.816497 / 2.0).epsilon(1e-5));
  CHECK_FALSE(paired_interval({5}).has_ci);
}

// ------------------------------------------------------------------ applying options

TEST_CASE("an added link is put before the existing one between the same roles, so it is used",
          "[plan]") {
  Chain c;
  plan::PlanOption o;
  o.id = "direct";
  plan::AddLink l;
  l.link.id = "radio";
  l.link.from_role = c.leader;
  l.link.to_role = c.squad_leader;
  l.link.channel = Channel::radio;
  l.link.delay_s = Distribution::constant_of(5);
  o.changes.push_back(l);
  const Scenario b = plan::with_options(c.s, {o}, 1);
  REQUIRE(b.links.size() == 3);
  CHECK(b.links[1].id == "radio");
  const auto r = run(b, 1);
  const auto& names = r.incidents[0].kpi_names;
  const auto k = static_cast<std::size_t>(
      std::find(names.begin(), names.end(), "notified_squad_leader_s") - names.begin());
  // detect 60, guard reacts 10, link 30 → leader at 100, reacts 20, radio 5 → 125.
  CHECK(*r.incidents[0].values[0][k] == Approx(125));
}

TEST_CASE("options change members, posts, homes, protocols and fire means as documented",
          "[plan]") {
  Chain c;
  const Index extra = add_node(c.s, "booth2", 10, 10, NodeKind::guard_post);
  Protocol& p = c.s.protocols[0];
  p.rules[0].actions.push_back(notify(c.squad_leader));  // guard: leader, then squad

  plan::PlanOption o;
  o.id = "all";
  o.changes.push_back(plan::AddMembers{c.police, {}, 2});
  o.changes.push_back(plan::MovePost{c.guards, c.gate, extra, ""});
  o.changes.push_back(plan::MoveHome{c.police, extra, ""});
  o.changes.push_back(plan::NotifyOrder{0, c.guard, {c.squad_leader, c.leader}});
  o.changes.push_back(plan::AddNotify{0, c.squad_leader, c.leader, 0});
  plan::TrainRole tr;
  tr.role = c.leader;
  tr.reaction.factor = 0.5;
  o.changes.push_back(tr);
  const Scenario b = plan::with_options(c.s, {o}, 1);

  CHECK(b.units[c.police].members == 5);
  CHECK(b.units[c.police].shifts[0].headcount == 5);
  CHECK(b.units[c.guards].shifts[0].post == extra);
  CHECK(b.units[c.police].home == extra);
  CHECK(b.protocols[0].rules[0].actions[0].role == c.squad_leader);
  CHECK(b.protocols[0].rules[0].actions[1].role == c.leader);
  REQUIRE(b.protocols[0].rules[2].actions.size() == 2);
  CHECK(b.protocols[0].rules[2].actions[0].kind == ActionKind::notify);
  CHECK(b.protocols[0].rules[2].actions[0].role == c.leader);
  CHECK(b.protocols[0].rules[2].actions[1].kind == ActionKind::dispatch);
  CHECK(b.roles[c.leader].reaction_s.a == 10);
  // The original is untouched.
  CHECK(c.s.units[c.police].members == 3);
  CHECK(plan::cost_of({o}, 0).money_vnd == 0);
}

TEST_CASE("an options file is read against the scenario and applied to the default scenario",
          "[plan]") {
  auto s = io::load_scenario(std::string(HQDRILL_SOURCE_DIR) + "/scenarios/quang-ngai-hq.json");
  REQUIRE(s.scenario);
  auto o = io::load_options(std::string(HQDRILL_SOURCE_DIR) + "/scenarios/options-2018.json",
                            *s.scenario);
  for (const auto& d : o.diagnostics.items) INFO(d.pointer << ": " << d.message);
  REQUIRE(o.options);
  REQUIRE(o.options->size() >= 5);
  const auto& opts = *o.options;
  const auto find = [&](const std::string& id) {
    for (std::size_t i = 0; i < opts.size(); ++i)
      if (opts[i].id == id) return i;
    FAIL("no option " << id);
    return std::size_t{0};
  };
  const Scenario& base = *s.scenario;
  const std::size_t ext = find("extinguisher_records");
  const Scenario b = plan::with_options(base, opts, std::uint64_t{1} << ext);
  std::size_t hi = 0;  // the fire incident (h)
  while (hi < base.incidents.size() && !base.incidents[hi].fire) ++hi;
  REQUIRE(hi < base.incidents.size());
  const Incident& h = b.incidents[hi];
  REQUIRE(h.fire);
  CHECK(h.fire->means.size() == base.incidents[hi].fire->means.size() + 1);
  CHECK(h.fire->means.back().id == "ext_records");
  REQUIRE(h.fire->means.back().tasks.size() == 1);
  CHECK(b.protocols[static_cast<std::size_t>(h.protocol)]
            .tasks[static_cast<std::size_t>(h.fire->means.back().tasks[0])]
            .id == "first_attack");
  // It can only matter to the fire incident.
  const Scenario all = plan::with_options(base, opts, (std::uint64_t{1} << opts.size()) - 1);
  int affected = 0;
  for (std::size_t i = 0; i < base.incidents.size(); ++i)
    affected += plan::may_affect(all, opts[ext], static_cast<Index>(i));
  CHECK(affected == 1);
}

TEST_CASE("an incident an option cannot affect runs exactly as without it", "[plan]") {
  // The search reuses an incident's runs across options it cannot see; check that claim
  // against real runs of every shipped option on every incident of the default scenario.
  auto s = io::load_scenario(std::string(HQDRILL_SOURCE_DIR) + "/scenarios/quang-ngai-hq.json");
  REQUIRE(s.scenario);
  auto o = io::load_options(std::string(HQDRILL_SOURCE_DIR) + "/scenarios/options-2018.json",
                            *s.scenario);
  REQUIRE(o.options);
  const auto& opts = *o.options;
  const Scenario& base = *s.scenario;
  const Scenario all = plan::with_options(base, opts, (std::uint64_t{1} << opts.size()) - 1);
  const auto a = run(base, 2);
  int unaffected = 0;
  for (std::size_t k = 0; k < opts.size(); ++k) {
    const Scenario b = plan::with_options(base, opts, std::uint64_t{1} << k);
    const auto rb = run(b, 2);
    for (std::size_t i = 0; i < base.incidents.size(); ++i) {
      if (plan::may_affect(all, opts[k], static_cast<Index>(i))) continue;
      ++unaffected;
      INFO(opts[k].id << " on " << base.incidents[i].id);
      CHECK(rb.incidents[i].kpi_names == a.incidents[i].kpi_names);
      CHECK(rb.incidents[i].values == a.incidents[i].values);
    }
  }
  CHECK(unaffected > 10);  // the reuse is real
}

// ------------------------------------------------------------------ search

namespace {

/// The chain with constant delays, so every run is the same and the objective can be
/// worked out by hand:
///   detect 60; guard reacts 10 → 70; link 30 → leader told at 100; reacts 20 → 120;
///   link 45 → squad leader told at 165; reacts 5 → 170; turnout 10; 90 m at 1.5 m/s
///   → on scene at 240.
/// Targets: leader told within 80 s; squad on scene within 205 s (both in every run).
/// Options: A guard link 30 → 5 s (cost 10): leader 75, on scene 215.
///          B leader link 45 → 5 s (cost 10): leader 100, on scene 200.
///          C leader reacts 20 → 0 s (cost 4): leader 100, on scene 220.
/// Objective (targets missed): {} 2, A 1, B 1, C 2, AB 0, AC 0 (leader 75, on scene 195),
/// BC 1 (100, 180), ABC 0.
struct HandProblem {
  Chain c;
  std::vector<plan::PlanOption> options;
  HandProblem() {
    c.s.targets.push_back({"", "notified_leader_s", 80, 1.0, ""});
    c.s.targets.push_back({"", "on_scene_police_s", 205, 1.0, ""});
    options.push_back(upgrade("A", "guard>leader", Distribution::constant_of(5), 10));
    options.push_back(upgrade("B", "leader>squad_leader", Distribution::constant_of(5), 10));
    plan::PlanOption cc;
    cc.id = "C";
    cc.cost.money_vnd = 4;
    plan::TrainRole t;
    t.role = c.leader;
    t.reaction.replace = Distribution::constant_of(0);
    cc.changes.push_back(t);
    options.push_back(cc);
  }
};

}  // namespace

TEST_CASE("the search evaluates every combination to its hand-computed objective", "[plan]") {
  HandProblem h;
  plan::SearchOptions so;
  so.runs = 3;
  so.threads = 2;
  const plan::SearchResult r = plan::search(h.c.s, h.options, so);
  CHECK(r.method == "exhaustive");
  REQUIRE(r.evaluated.size() == 8);
  const double expected[8] = {2, 1, 1, 0, 2, 0, 1, 0};  // by mask: {}, A, B, AB, C, AC, BC, ABC
  for (const plan::Evaluation& e : r.evaluated) {
    INFO("mask " << e.mask);
    CHECK(e.objective == expected[e.mask]);
  }
  CHECK(r.baseline_objective == 2);
  // Unbudgeted, the cheapest zero is A + C (14).
  CHECK(r.evaluated[r.best].mask == 0b101);
  // Front on money: {} (0, 2), A (10, 1), AC (14, 0).
  REQUIRE(r.pareto.size() == 3);
  CHECK(r.evaluated[r.pareto[0]].mask == 0);
  CHECK(r.evaluated[r.pareto[1]].mask == 0b001);
  CHECK(r.evaluated[r.pareto[2]].mask == 0b101);
}

TEST_CASE("the search finds the known optimum under a budget, exhaustive and greedy", "[plan]") {
  HandProblem h;
  plan::SearchOptions so;
  so.runs = 2;
  so.budgets.push_back({plan::CostDim::money_vnd, 12});
  SECTION("exhaustive: with 12 to spend, one 10 option (A, the first of the two)") {
    const plan::SearchResult r = plan::search(h.c.s, h.options, so);
    CHECK(r.evaluated.size() == 4);  // {}, A, B, C fit; the pairs do not
    CHECK(r.evaluated[r.best].mask == 0b001);
    CHECK(r.evaluated[r.best].objective == 1);
  }
  SECTION("greedy: with 15, A then C") {
    so.budgets[0].limit = 15;
    so.exhaustive_max = 0;
    const plan::SearchResult r = plan::search(h.c.s, h.options, so);
    CHECK(r.method == "greedy");
    CHECK(r.evaluated[r.best].mask == 0b101);
    CHECK(r.evaluated[r.best].objective == 0);
    // {} then A, B, C then A+C (A+B costs 20): 5 evaluations, and it stops at 0.
    CHECK(r.evaluated.size() == 5);
  }
  SECTION("a budget of people (none needed) changes nothing") {
    so.budgets[0] = {plan::CostDim::people, 0};
    const plan::SearchResult r = plan::search(h.c.s, h.options, so);
    CHECK(r.evaluated.size() == 8);
    CHECK(r.evaluated[r.best].objective == 0);
  }
}

TEST_CASE("the search gives the same result whatever the thread count", "[plan]") {
  Chain c = random_chain();
  c.s.targets.push_back({"", "on_scene_police_s", 230, 0.9, ""});
  const std::vector<plan::PlanOption> opts{
      upgrade("A", "guard>leader", Distribution::uniform_of(3, 8), 10),
      upgrade("B", "leader>squad_leader", Distribution::uniform_of(3, 8), 10)};
  plan::SearchOptions so;
  so.runs = 25;
  so.threads = 1;
  const auto r1 = plan::search(c.s, opts, so);
  so.threads = 3;
  const auto r3 = plan::search(c.s, opts, so);
  REQUIRE(r1.evaluated.size() == r3.evaluated.size());
  for (std::size_t k = 0; k < r1.evaluated.size(); ++k)
    CHECK(r1.evaluated[k].objective == r3.evaluated[k].objective);
  CHECK(r1.best == r3.best);
}

// ------------------------------------------------------------------ placement

TEST_CASE("p-median and p-center pick the hand-computed nodes of a small graph", "[plan]") {
  // a -10- b -10- c -100- d, walked at 1 m/s: times are lengths.
  Scenario s;
  const Index a = add_node(s, "a", 0, 0), b = add_node(s, "b", 10, 0), c = add_node(s, "c", 20, 0),
              d = add_node(s, "d", 120, 0);
  add_edge(s, a, b, 10);
  add_edge(s, b, c, 10);
  add_edge(s, c, d, 100);
  TravelProfile foot;
  foot.foot_speed_mps = 1.0;
  // Sum of times to a, b, c: a 30, b 20, c 30, d 330 → b.
  const auto median =
      plan::rank_sites(s.site, foot, {a, b, c}, {}, {}, plan::PlacementRule::median);
  REQUIRE(median.size() == 4);
  CHECK(median[0].node == b);
  CHECK(median[0].score_s == Approx(20));
  CHECK(median[3].node == d);
  // Longest time to a or d: a 120, b 110, c 100, d 120 → c.
  const auto center = plan::rank_sites(s.site, foot, {a, d}, {}, {}, plan::PlacementRule::center);
  CHECK(center[0].node == c);
  CHECK(center[0].score_s == Approx(100));
  // Only among the given candidates.
  CHECK(plan::rank_sites(s.site, foot, {a, d}, {}, {a, b}, plan::PlacementRule::center)[0].node ==
        b);
}

TEST_CASE("an options file may ask for a staging point by p-center and gets the best node",
          "[plan]") {
  Chain c;  // post -90- gate -200- office; the police walk at 1.5 m/s
  const std::string text = R"({"schema": "hqdrill.options/1", "options": [
    {"id": "stage", "name": "x", "cost": {"money_vnd": 1},
     "changes": [{"kind": "move_home", "unit": "police",
                  "to": {"candidates": "p-center", "among": ["post", "gate", "office"],
                         "demand": ["post", "office"]}}]}]})";
  const auto r = io::parse_options(text, c.s);
  for (const auto& d : r.diagnostics.items) INFO(d.pointer << ": " << d.message);
  REQUIRE(r.options);
  const auto& m = std::get<plan::MoveHome>(r.options->at(0).changes.at(0));
  // Longest walk: post 290 m, gate max(90, 200) = 200 m, office 290 m → gate.
  CHECK(m.to == c.gate);
  CHECK(m.placement.find("p-center of 3 candidates for 2 demand nodes: gate (max 133 s)") !=
        std::string::npos);
  const auto bad = io::parse_options(
      R"({"schema": "hqdrill.options/1", "options": [{"id": "s", "name": "x", "cost": {"hours": 1},
      "changes": [{"kind": "move_home", "unit": "police",
                   "to": {"candidates": "p-medain", "among": ["gat"]}}]}]})",
      c.s);
  CHECK_FALSE(bad.options);
  REQUIRE(bad.diagnostics.items.size() == 2);
  CHECK(bad.diagnostics.items[0].pointer == "/options/0/changes/0/to/candidates");
  CHECK(bad.diagnostics.items[0].message ==
        "unknown placement rule \"p-medain\" (did you mean \"p-median\"?)");
  CHECK(bad.diagnostics.items[1].pointer == "/options/0/changes/0/to/among/0");
  CHECK(bad.diagnostics.items[1].message == "unknown node \"gat\" (did you mean \"gate\"?)");
}

TEST_CASE("an option is seen by an incident only through what the incident uses", "[plan]") {
  Chain c = random_chain();
  const Index far = add_node(c.s, "far", 500, 0);
  const Index clerk_unit = add_unit(c.s, "clerks", far, 1);
  const Index clerk = add_role(c.s, "clerk", clerk_unit, 10);
  const auto one = [](const std::string& id, plan::Change ch) {
    plan::PlanOption o;
    o.id = id;
    o.changes.push_back(std::move(ch));
    return o;
  };
  plan::AddLink unused;  // nobody notifies the clerk
  unused.link.id = "to_clerk";
  unused.link.from_role = c.leader;
  unused.link.to_role = clerk;
  unused.bidirectional = true;  // nor does the clerk notify the leader
  plan::AddLink used = unused;
  used.link.id = "leader_radio";
  used.link.to_role = c.squad_leader;
  used.bidirectional = false;
  plan::TrainRole train_clerk;
  train_clerk.role = clerk;
  train_clerk.reaction.factor = 0.5;
  plan::TrainRole train_leader = train_clerk;
  train_leader.role = c.leader;
  // The police are on duty 24/24; a night shift of the guards is off at 09:00 on a Monday.
  c.s.units[c.guards].shifts[0] = shift(kEveryDay, 22 * 60, 6 * 60, 2);
  c.s.units[c.guards].shifts.push_back(shift(kEveryDay, 6 * 60, 22 * 60, 2));
  const std::vector<plan::PlanOption> opts{
      one("unused_link", unused),
      one("used_link", used),
      one("train_clerk", train_clerk),
      one("train_leader", train_leader),
      one("night_guard", plan::AddMembers{c.guards, {0}, 1}),
      one("day_guard", plan::AddMembers{c.guards, {1}, 1}),
      one("more_police", plan::AddMembers{c.police, {}, 1}),
      one("move_clerks", plan::MoveHome{clerk_unit, c.gate, ""}),
  };
  const bool expected[] = {false, true, false, true, false, true, true, false};
  const Scenario all = plan::with_options(c.s, opts, (std::uint64_t{1} << opts.size()) - 1);
  const auto base = run(c.s, 20);
  for (std::size_t k = 0; k < opts.size(); ++k) {
    INFO(opts[k].id);
    CHECK(plan::may_affect(all, opts[k], 0) == expected[k]);
    if (expected[k]) continue;
    const auto r = run(plan::with_options(c.s, opts, std::uint64_t{1} << k), 20);
    CHECK(r.incidents[0].values == base.incidents[0].values);
  }
}

TEST_CASE("add_members by post picks the unit's shifts at that node, and says when there is none",
          "[plan]") {
  Chain c;  // the guards' one shift stands at the gate (their home)
  const auto parse = [&](const std::string& post) {
    return io::parse_options(
        R"({"schema": "hqdrill.options/1", "options": [{"id": "g", "name": "x",
        "cost": {"people": 1}, "changes": [{"kind": "add_members", "unit": "guards",
        "post": ")" +
            post + R"(", "add": 1}]}]})",
        c.s);
  };
  const auto ok = parse("gate");
  REQUIRE(ok.options);
  CHECK(std::get<plan::AddMembers>(ok.options->at(0).changes.at(0)).shifts ==
        std::vector<Index>{0});
  const auto none = parse("office");
  CHECK_FALSE(none.options);
  REQUIRE(none.diagnostics.items.size() == 1);
  CHECK(none.diagnostics.items[0].pointer == "/options/0/changes/0/post");
  CHECK(none.diagnostics.items[0].message == "no shift of unit \"guards\" is posted at \"office\"");
}

TEST_CASE("a reordered protocol keeps a notification another option added", "[plan]") {
  // radio_rcp_police adds the reception guard's call to the police squad leader first;
  // crowd_call_hq_first reorders that guard's original calls. Together the squad leader
  // must still be called, and nobody twice (review finding on notify_order).
  auto s = io::load_scenario(std::string(HQDRILL_SOURCE_DIR) + "/scenarios/quang-ngai-hq.json");
  REQUIRE(s.scenario);
  auto o = io::load_options(std::string(HQDRILL_SOURCE_DIR) + "/scenarios/options-2018.json",
                            *s.scenario);
  REQUIRE(o.options);
  const auto& opts = *o.options;
  std::uint64_t mask = 0;
  for (std::size_t i = 0; i < opts.size(); ++i)
    if (opts[i].id == "radio_rcp_police" || opts[i].id == "crowd_call_hq_first")
      mask |= std::uint64_t{1} << i;
  const Scenario b = plan::with_options(*s.scenario, opts, mask);
  for (const Protocol& p : b.protocols) {
    if (p.id != "crowd-complaint") continue;
    for (const Rule& r : p.rules) {
      if (b.roles[static_cast<std::size_t>(r.role)].id != "guard_rcp") continue;
      std::vector<std::string> told;
      for (const Action& a : r.actions)
        if (a.kind == ActionKind::notify)
          told.push_back(b.roles[static_cast<std::size_t>(a.role)].id);
      INFO(told.size());
      CHECK(std::count(told.begin(), told.end(), "police_squad_leader") == 1);
      std::vector<std::string> sorted = told;
      std::sort(sorted.begin(), sorted.end());
      CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    }
  }
}

TEST_CASE("the sign test needs enough runs that differ", "[compare]") {
  // 5 of 200 runs differ, all one way: p = 2 / 2^5 = 0.0625 (exact), not significant.
  std::vector<double> d(200, 0.0);
  for (int i = 0; i < 5; ++i) d[static_cast<std::size_t>(i)] = -1;
  CHECK(sign_test_p(d) == Approx(0.0625));
  // 6 of them: 2 / 64 = 0.03125.
  d[5] = -1;
  CHECK(sign_test_p(d) == Approx(0.03125));
  CHECK(sign_test_p(std::vector<double>(10, 0.0)) == 1.0);
}

// ------------------------------------------------------------------ target weights and the
// frozen target set

TEST_CASE("a weight-2 target doubles its share of the objective and can change the best option",
          "[plan]") {
  HandProblem h;
  h.c.s.targets[1].weight = 2;  // the squad on scene within 205 s
  plan::SearchOptions so;
  so.runs = 2;
  const plan::SearchResult r = plan::search(h.c.s, h.options, so);
  REQUIRE(r.evaluated.size() == 8);
  // Every run the same: a missed target counts weight × min_fraction = weight × 1.
  // {}: leader 1 + squad 2 = 3; A (leader met): 2; B (squad met): 1; C: 3; AB, AC, ABC: 0;
  // BC (leader 100 missed, squad met): 1.
  const double expected[8] = {3, 2, 1, 0, 3, 0, 1, 0};
  for (const plan::Evaluation& e : r.evaluated) {
    INFO("mask " << e.mask);
    CHECK(e.objective == expected[e.mask]);
    CHECK(e.per_incident.at(0) == expected[e.mask]);
  }
  // With 12 to spend, one 10 option: weighing 1 each, A (the first of two equals); now B.
  so.budgets.push_back({plan::CostDim::money_vnd, 12});
  const plan::SearchResult b = plan::search(h.c.s, h.options, so);
  CHECK(b.evaluated[b.best].mask == 0b010);
}

TEST_CASE("a target of the baseline stays in the objective when a combination loses its KPI",
          "[plan]") {
  HandProblem h;
  const Index t = 1;  // on_scene_police_s <= 205 in every run (1.0)
  const std::vector<Index> targets{t};
  const std::vector<std::string> names{"detect_s"};  // the KPI is gone
  const std::vector<std::vector<std::optional<double>>> values(4, {10.0});
  CHECK(plan::incident_shortfall(h.c.s, targets, names, values) == 1.0);
  h.c.s.targets[t].weight = 3;
  CHECK(plan::incident_shortfall(h.c.s, targets, names, values) == 3.0);
}

TEST_CASE("an option that brings a new role's KPI into play cannot add its target to J", "[plan]") {
  HandProblem h;
  // A clerk nobody notifies yet; a target on "notified_clerk_s" (every incident) that no
  // run could meet (1 s). Telling the clerk last adds the KPI, and it would be missed.
  const Index clerks = add_unit(h.c.s, "clerks", h.c.office_node, 1);
  const Index clerk = add_role(h.c.s, "clerk", clerks, 0);
  add_link(h.c.s, h.c.leader, clerk, 5);
  h.c.s.targets.push_back({"", "notified_clerk_s", 1, 1.0, ""});
  plan::PlanOption tell;
  tell.id = "tell_clerk";
  tell.cost.hours = 1;
  tell.changes.push_back(plan::AddNotify{0, h.c.leader, clerk, 99});
  const std::vector<plan::PlanOption> opts{tell};
  CHECK(plan::objective_targets(h.c.s, 0) == std::vector<Index>{0, 1});  // not the clerk's
  plan::SearchOptions so;
  so.runs = 2;
  const plan::SearchResult r = plan::search(h.c.s, opts, so);
  REQUIRE(r.evaluated.size() == 2);
  CHECK(r.baseline_objective == 2);
  // The leader tells the squad leader first, so nothing else moves: still 2, not 3.
  CHECK(r.evaluated[1].objective == 2);
}

// ------------------------------------------------------------------ recommendations

TEST_CASE(
    "the recommended plan's option shows a significant effect where it feeds and none "
    "upstream, and an interval around the objective's change",
    "[plan]") {
  Chain c = random_chain();
  // On scene: detect U(30,90) + 10 + U(20,40) + U(10,30) + U(30,60) + 5 + 10 + 60 s, mean
  // 240; the radio takes 39.5 s off the mean. The leader is told at 60 + 10 + 30 = 100 s on
  // average, upstream of the radio.
  c.s.targets.push_back({"", "notified_leader_s", 100, 0.9, ""});
  c.s.targets.push_back({"", "on_scene_police_s", 230, 0.9, ""});
  plan::PlanOption idle;  // trains a role the incident never uses
  idle.id = "idle";
  idle.cost.money_vnd = 1;
  const Index clerks = add_unit(c.s, "clerks", c.office_node, 1);
  plan::TrainRole tr;
  tr.role = add_role(c.s, "clerk", clerks, 10);
  tr.reaction.factor = 0.5;
  idle.changes.push_back(tr);
  const std::vector<plan::PlanOption> opts{
      upgrade("radio", "leader>squad_leader", Distribution::uniform_of(3, 8), 10), idle};
  plan::SearchOptions so;
  so.runs = 40;
  so.threads = 2;
  const plan::SearchResult r = plan::search(c.s, opts, so);
  REQUIRE(r.evaluated[r.best].mask == 0b01);  // the radio; idle changes nothing
  const plan::Recommendations rec = plan::recommend(c.s, opts, 0b01, so);
  CHECK(rec.plan == 0b01);
  CHECK(rec.whole.objective_base == Approx(r.baseline_objective));
  CHECK(rec.whole.objective_with == Approx(r.evaluated[r.best].objective));
  CHECK(rec.whole.objective_diff < 0);
  CHECK(rec.whole.ci_low <= rec.whole.objective_diff);
  CHECK(rec.whole.objective_diff <= rec.whole.ci_high);
  CHECK(rec.whole.ci_high < 0);
  REQUIRE(rec.items.size() == 1);
  const plan::PlanEffect& radio = rec.items[0];
  CHECK(radio.mask == 0b01);
  CHECK(radio.objective_diff == Approx(rec.whole.objective_diff));
  REQUIRE(radio.effects.size() == 2);                // the two targets of the one incident
  const plan::TargetEffect& fed = radio.effects[0];  // significant first
  CHECK(fed.kpi == "on_scene_police_s");
  CHECK(fed.significant);
  CHECK(fed.sign_test_p < 0.05);
  CHECK(fed.mean_diff == Approx(-39.5).margin(6));
  CHECK(fed.ci_high < 0);
  CHECK(fed.met_with > fed.met_base);
  const plan::TargetEffect& up = radio.effects[1];
  CHECK(up.kpi == "notified_leader_s");
  CHECK_FALSE(up.significant);
  CHECK(up.mean_diff == 0.0);
  CHECK(up.met_with == up.met_base);
  // Deterministic: the bootstrap has its own fixed seed.
  const plan::Recommendations again = plan::recommend(c.s, opts, 0b01, so);
  CHECK(again.whole.ci_low == rec.whole.ci_low);
  CHECK(again.whole.ci_high == rec.whole.ci_high);
  // The search made the same recommendations from its own runs, simulating nothing more.
  const plan::Recommendations& mine = r.recommendations;
  CHECK(mine.replications == 0);
  CHECK(rec.replications > 0);
  CHECK(mine.plan == 0b01);
  CHECK(mine.whole.objective_diff == rec.whole.objective_diff);
  CHECK(mine.whole.ci_low == rec.whole.ci_low);
  CHECK(mine.whole.ci_high == rec.whole.ci_high);
  REQUIRE(mine.items.size() == 1);
  REQUIRE(mine.items[0].effects.size() == 2);
  for (std::size_t k = 0; k < 2; ++k) {
    CHECK(mine.items[0].effects[k].kpi == radio.effects[k].kpi);
    CHECK(mine.items[0].effects[k].mean_diff == radio.effects[k].mean_diff);
    CHECK(mine.items[0].effects[k].ci_low == radio.effects[k].ci_low);
    CHECK(mine.items[0].effects[k].sign_test_p == radio.effects[k].sign_test_p);
  }
}

TEST_CASE("each option of a plan is judged alone: one can move a KPI without moving J", "[plan]") {
  HandProblem h;  // constant delays: every difference is exact
  plan::SearchOptions so;
  so.runs = 8;  // 8 equal non-zero differences: sign test p = 2 / 2^8
  const plan::Recommendations rec = plan::recommend(h.c.s, h.options, 0b101, so);  // A + C
  CHECK(rec.whole.objective_base == 2);
  CHECK(rec.whole.objective_with == 0);
  CHECK(rec.whole.ci_low == -2);
  CHECK(rec.whole.ci_high == -2);
  REQUIRE(rec.items.size() == 2);
  const plan::PlanEffect& a = rec.items[0];
  const plan::PlanEffect& cc = rec.items[1];
  CHECK(a.mask == 0b001);
  CHECK(cc.mask == 0b100);
  // A: the leader is told at 75 (−25 s), the squad on scene at 215 (−25 s); J 2 → 1.
  CHECK(a.objective_diff == -1);
  REQUIRE(a.effects.size() == 2);
  for (const plan::TargetEffect& e : a.effects) {
    INFO(e.kpi);
    CHECK(e.significant);
    CHECK(e.mean_diff == Approx(-25));
    CHECK(e.sign_test_p == Approx(2.0 / 256));
  }
  CHECK(a.effects[0].met_with == 1.0);  // the leader's target, first of two equal effects
  // C: the leader reacts at once: on scene at 220 (−20 s, significant) but still past 205,
  // and the leader is told no sooner: J does not move.
  CHECK(cc.objective_diff == 0);
  REQUIRE(cc.effects.size() == 2);
  CHECK(cc.effects[0].kpi == "on_scene_police_s");
  CHECK(cc.effects[0].significant);
  CHECK(cc.effects[0].mean_diff == Approx(-20));
  CHECK(cc.effects[0].met_with == 0.0);
  CHECK_FALSE(cc.effects[1].significant);
  CHECK(cc.effects[1].mean_diff == 0.0);
  // The empty plan: nothing to recommend.
  const plan::Recommendations none = plan::recommend(h.c.s, h.options, 0, so);
  CHECK(none.items.empty());
  CHECK(none.whole.objective_diff == 0);
  CHECK(none.whole.effects.empty());
}

// ------------------------------------------------------------------ owners

TEST_CASE("an option's owner is the file's, else derived from its first change", "[plan]") {
  Chain c;
  const auto one = [](plan::Change ch) {
    plan::PlanOption o;
    o.id = "o";
    o.changes.push_back(std::move(ch));
    return o;
  };
  plan::TrainRole tr;
  tr.role = c.squad_leader;
  plan::AddLink al;
  al.link.id = "new";
  al.link.from_role = c.leader;
  al.link.to_role = c.guard;
  plan::TrainTask tt;
  tt.task = "close";
  TaskDef close;
  close.id = "close";
  close.owner = c.guard;
  c.s.protocols[0].tasks.push_back(close);
  c.s.protocols[0].command = {c.guard, c.leader};
  CHECK(plan::owner_of(c.s, one(tr)) == c.squad_leader);
  CHECK(plan::owner_of(c.s, one(al)) == c.leader);
  CHECK(plan::owner_of(
            c.s,
            one(upgrade("u", "leader>squad_leader", Distribution::constant_of(5), 1).changes[0])) ==
        c.leader);
  CHECK(plan::owner_of(c.s, one(plan::AddNotify{0, c.squad_leader, c.guard, 0})) == c.squad_leader);
  CHECK(plan::owner_of(c.s, one(plan::NotifyOrder{0, c.guard, {c.leader}})) == c.guard);
  CHECK(plan::owner_of(c.s, one(plan::AddMembers{c.police, {}, 1})) == c.squad_leader);
  CHECK(plan::owner_of(c.s, one(plan::MoveHome{c.office, c.gate, ""})) == c.leader);
  // move_post without a unit: the first unit with a shift at `from` (the guards, at the gate).
  CHECK(plan::owner_of(c.s, one(plan::MovePost{kNone, c.gate, c.post, ""})) == c.guard);
  CHECK(plan::owner_of(c.s, one(tt)) == c.guard);
  // Naming nobody (sandbags with no flood incident): the first command chain's highest.
  CHECK(plan::owner_of(c.s, one(plan::PrepositionSandbags{kNone, "weir", 0.5})) == c.leader);
  plan::PlanOption given = one(tr);
  given.owner = c.guard;
  CHECK(plan::owner_of(c.s, given) == c.guard);
}

TEST_CASE(
    "an options file's owner must be a role of the scenario, and two options may not add "
    "a link with the same id",
    "[plan]") {
  Chain c;
  const auto r = io::parse_options(
      R"({"schema": "hqdrill.options/1", "options": [
      {"id": "a", "name": "x", "owner": "leadr", "cost": {"hours": 1},
       "changes": [{"kind": "add_link", "id": "radio", "from": "guard", "to": "squad_leader",
                    "channel": "radio", "delay_s": 5}]},
      {"id": "b", "name": "y", "owner": "leader", "cost": {"hours": 1},
       "changes": [{"kind": "add_link", "id": "radio", "from": "leader", "to": "guard",
                    "channel": "radio", "delay_s": 5}]}]})",
      c.s);
  CHECK_FALSE(r.options);
  REQUIRE(r.diagnostics.items.size() == 2);
  CHECK(r.diagnostics.items[0].pointer == "/options/0/owner");
  CHECK(r.diagnostics.items[0].message == "unknown role \"leadr\" (did you mean \"leader\"?)");
  CHECK(r.diagnostics.items[1].pointer == "/options/1/changes/0/id");
  CHECK(r.diagnostics.items[1].message ==
        "option \"a\" already adds a link \"radio\" (give each added link its own id)");
}

TEST_CASE("the shipped options files name an owner for every option", "[plan]") {
  auto s = io::load_scenario(std::string(HQDRILL_SOURCE_DIR) + "/scenarios/quang-ngai-hq.json");
  REQUIRE(s.scenario);
  for (const char* file : {"/scenarios/options-2018.json", "/scenarios/options-flood-2018.json"}) {
    INFO(file);
    auto o = io::load_options(std::string(HQDRILL_SOURCE_DIR) + file, *s.scenario);
    REQUIRE(o.options);
    for (const plan::PlanOption& p : *o.options) {
      INFO(p.id);
      REQUIRE(p.owner != kNone);
      CHECK(s.scenario->roles[static_cast<std::size_t>(p.owner)].id == "office_duty_leader");
    }
  }
}

TEST_CASE("greedy does not take a step that lowers J by less than its own interval's half-width",
          "[plan]") {
  Chain c = random_chain();
  c.s.targets.push_back({"", "on_scene_police_s", 240, 0.9, ""});
  // One second off a 30-60 s link: only the runs within a second of 240 s change.
  const std::vector<plan::PlanOption> opts{
      upgrade("tiny", "leader>squad_leader", Distribution::uniform_of(29, 59), 1)};
  plan::SearchOptions so;
  so.runs = 40;
  so.exhaustive_max = 0;
  const plan::SearchResult r = plan::search(c.s, opts, so);
  REQUIRE(r.method == "greedy");
  REQUIRE(r.evaluated.size() == 2);
  const double step = r.evaluated[0].objective - r.evaluated[1].objective;
  CHECK(step == Approx(1.0 / 40));  // one run of 40 now within 240 s
  CHECK(r.best == 0);
  CHECK(r.greedy_stop.find("less than the half-width") != std::string::npos);
  so.min_step_interval = false;
  const plan::SearchResult taken = plan::search(c.s, opts, so);
  CHECK(taken.evaluated[taken.best].mask == 1);
}

TEST_CASE(
    "a target's weight is read, must be positive, and summary.json carries it only when "
    "it is not 1",
    "[plan]") {
  std::ifstream in(std::string(HQDRILL_SOURCE_DIR) + "/tests/data/scenario_minimal.json");
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str());
  const auto load = [&](const nlohmann::json& w) {
    auto k = j;
    k["targets"][0]["weight"] = w;
    return io::parse_scenario(k.dump());
  };
  const auto two = load(2.5);
  REQUIRE(two.scenario);
  CHECK(two.scenario->targets[0].weight == 2.5);
  const auto zero = load(0);
  CHECK_FALSE(zero.scenario);
  REQUIRE_FALSE(zero.diagnostics.items.empty());
  CHECK(zero.diagnostics.items[0].pointer == "/targets/0/weight");
  const auto plain = io::parse_scenario(text.str());
  REQUIRE(plain.scenario);
  CHECK(plain.scenario->targets[0].weight == 1.0);
  // summary.json: the weight appears only where it is set.
  for (const Scenario* s : {&*two.scenario, &*plain.scenario}) {
    const auto r = run(*s, 2);
    const auto sum = io::summary_json(*s, "x.json", r, summarize(*s, r));
    const auto& t = sum["incidents"][0]["targets"][0];
    CHECK(t.contains("weight") == (s == &*two.scenario));
    if (t.contains("weight")) CHECK(t["weight"] == 2.5);
  }
}
