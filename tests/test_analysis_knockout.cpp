// Knock-out analysis (analysis/knockout.hpp): each role in play and each comms link is
// removed in turn, and paired runs measure how much the targets suffer.
#include <catch2/catch.hpp>

#include "hqdrill/analysis/knockout.hpp"
#include "support.hpp"

using namespace hqdrill;
using namespace hqdrill::test;

namespace {

// The guard at the gate calls the police squad leader directly (its only link to him),
// then the office leader, who tells the press officer. The squad walks 90 m to the gate.
// Target: police on scene within 300 s in 90% of runs. Baseline (hand computed, the
// squad-leader link taking 30–60 s): detection 60, call at 70, received by 130 at the
// latest, order 135, leave 145, on scene 205 ≤ 300 — met in every run.
struct DirectLine : Chain {
  Index press, guard_squad, guard_leader, leader_press;
  DirectLine() {
    s.units[office].members = 2;
    s.units[office].shifts[0].headcount = 2;
    press = add_role(s, "press", office, 30);
    s.links.clear();
    guard_squad = add_link(s, guard, squad_leader, 45);
    s.links[guard_squad].delay_s = Distribution::triangular_of(30, 45, 60);
    guard_leader = add_link(s, guard, leader, 30);
    leader_press = add_link(s, leader, press, 20);
    s.protocols[0].rules = {{guard, {notify(squad_leader), notify(leader)}},
                            {leader, {notify(press)}},
                            {squad_leader, {dispatch()}}};
    s.targets.push_back({"", "on_scene_police_s", 300, 0.9, "police at the gate in 5 min"});
  }
};

const KnockoutItem& item(const KnockoutResult& r, KnockoutKind kind, const std::string& id) {
  for (const KnockoutItem& it : r.items)
    if (it.kind == kind && it.id == id) return it;
  FAIL("no knock-out " << to_string(kind) << " " << id);
  return r.items.front();
}

KnockoutOptions options(int runs, int threads = 1) {
  KnockoutOptions o;
  o.runs = runs;
  o.seed = 7;
  o.threads = threads;
  return o;
}

}  // namespace

TEST_CASE(
    "cutting the guard's only link to the police squad leader ranks first among all "
    "knock-outs",
    "[knockout]") {
  DirectLine c;
  int last_done = 0, last_total = 0;
  KnockoutOptions opt = options(30, 2);
  opt.progress = [&](int done, int total) {
    CHECK(done == last_done + 1);  // serialised and continuous across experiments
    last_done = done;
    last_total = total;
  };
  const KnockoutResult r = run_knockouts(c.s, opt);
  // Baseline plus 4 roles (guard, leader, squad_leader, press) and 3 links, 30 runs each.
  CHECK(last_total == 8 * 30);
  CHECK(last_done == last_total);
  CHECK(r.baseline_objective == 0.0);
  REQUIRE(r.items.size() == 7);

  const KnockoutItem& first = r.items.front();
  CHECK(first.kind == KnockoutKind::link);
  CHECK(first.id == "guard>squad_leader");
  CHECK(first.degradation == 1.0);  // the one target goes from met in 100% to 0% of runs
  CHECK(first.target_miss_delta == 1.0);
  REQUIRE(first.targets.size() == 1);
  CHECK(first.targets[0].baseline_met == 1.0);
  CHECK(first.targets[0].variant_met == 0.0);
  // Losing the squad leader or the detector is as bad; a tie lists the link first.
  CHECK(item(r, KnockoutKind::role, "squad_leader").degradation == first.degradation);
  CHECK(item(r, KnockoutKind::role, "guard").degradation == first.degradation);
  for (std::size_t i = 1; i < r.items.size(); ++i)
    CHECK(r.items[i].degradation <= first.degradation);

  // The squad leader is never told: the largest KPI delta is his notification,
  // missing (= the 4 h horizon) instead of 100–130 s.
  CHECK(first.largest_kpi == "notified_squad_leader_s");
  CHECK(first.largest_kpi_delta_s > 14400 - 130);
  CHECK(first.largest_kpi_delta_s < 14400 - 100);

  const auto findings = knockout_findings(c.s, r);
  REQUIRE(findings.size() == 3);  // the link, the detector and the squad leader
  CHECK(findings[0].kind == FindingKind::single_point_of_failure);
  CHECK(findings[0].subject == "guard>squad_leader");
  CHECK(findings[0].frequency == 1.0);
  CHECK(findings[0].cost_s == first.largest_kpi_delta_s);
  CHECK(findings[0].impact == 3600.0);
  CHECK(findings[0].text_vi.find("Nếu cắt liên lạc điện thoại từ guard đến squad_leader thì tỷ "
                                 "lệ đạt mục tiêu on_scene_police_s ≤ 300 s giảm từ 100% xuống "
                                 "0%") == 0);
  CHECK(findings[0].text_en.find("If the phone link from guard to squad_leader is cut, target "
                                 "on_scene_police_s ≤ 300 s is met in 0% of runs instead of "
                                 "100%") == 0);
}

TEST_CASE("removing a role nobody needs, or cutting a link to it, degrades nothing", "[knockout]") {
  DirectLine c;
  const KnockoutResult r = run_knockouts(c.s, options(20));
  for (const auto& [kind, id] :
       {std::pair{KnockoutKind::role, "press"}, std::pair{KnockoutKind::role, "leader"},
        std::pair{KnockoutKind::link, "leader>press"},
        std::pair{KnockoutKind::link, "guard>leader"}}) {
    INFO(to_string(kind) << " " << id);
    const KnockoutItem& it = item(r, kind, id);
    CHECK(it.degradation == 0.0);
    CHECK(it.target_miss_delta == 0.0);
    // Paired runs: the police KPI is the same run by run, so its mean delta is exactly 0.
    for (const KpiDelta& k : it.kpis)
      if (k.kpi == "on_scene_police_s") CHECK(k.delta_s == 0.0);
  }
  for (const Finding& f : knockout_findings(c.s, r)) {
    CHECK(f.subject != "press");
    CHECK(f.subject != "leader");
  }
}

TEST_CASE("an incident without targets is scored by when everyone sent is on scene", "[knockout]") {
  // Without targets the objective is the mean share of the horizon before all units sent
  // are on scene (missing = the whole horizon): cutting the squad leader's link makes it
  // 1 instead of about 200/14400.
  DirectLine c;
  c.s.targets.clear();
  const KnockoutResult r = run_knockouts(c.s, options(10));
  CHECK(r.baseline_objective > 190.0 / 14400);
  CHECK(r.baseline_objective < 210.0 / 14400);
  const KnockoutItem& cut = item(r, KnockoutKind::link, "guard>squad_leader");
  CHECK(cut.objective == 1.0);
  CHECK(cut.degradation == Approx(1.0 - r.baseline_objective));
  CHECK(item(r, KnockoutKind::role, "press").degradation == 0.0);
}
