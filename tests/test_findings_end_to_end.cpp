// From simulation to finding: protocols written to cause a gap produce that finding,
// with evidence pointing at real runs.
#include <catch2/catch.hpp>

#include "hqdrill/analysis/findings.hpp"
#include "hqdrill/analysis/summary.hpp"
#include "hqdrill/sim/experiment.hpp"
#include "support.hpp"

using namespace hqdrill;
using namespace hqdrill::test;

namespace {

std::vector<Finding> findings_of(const Scenario& s, int runs) {
  const auto r = run_experiment(s, ExperimentOptions{runs, 3, 1, nullptr});
  return detect_findings(s, r, summarize(s, r));
}

const Finding* find(const std::vector<Finding>& fs, FindingKind k, const std::string& subject) {
  for (const auto& f : fs)
    if (f.kind == k && f.subject == subject) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("a vacant role makes its task unowned and that is a finding in every run",
          "[findings][e2e]") {
  // The police squad works office hours only and the incident is Sunday 02:00: the
  // squad leader's role is vacant, the leader's calls go unanswered, and the squad
  // leader's task "close the gate" is never started.
  Chain c;
  TaskDef t;
  t.id = "close_gate";
  t.name = "Đóng cổng";
  t.owner = c.squad_leader;
  t.node = c.gate;
  c.s.protocols[0].tasks.push_back(t);
  Action a;
  a.kind = ActionKind::task;
  a.task = 0;
  c.s.protocols[0].rules[2].actions = {a};
  c.s.units[c.police].shifts = {shift(kMonToFri, 7 * 60, 17 * 60, 3)};
  c.s.incidents[0].clock = IncidentClock{6, 2 * 60, {}, ""};
  const auto fs = findings_of(c.s, 10);
  const Finding* f = find(fs, FindingKind::unowned_task, "close_gate");
  REQUIRE(f);
  CHECK(f->frequency == 1.0);
  REQUIRE_FALSE(f->evidence.empty());
  CHECK(f->evidence.front().run >= 0);
  CHECK(f->evidence.front().run < 10);
  CHECK(find(fs, FindingKind::never_notified, "squad_leader"));
}

TEST_CASE("a protocol where two roles send the same unit shows duplicated dispatch",
          "[findings][e2e]") {
  Chain c;
  const Index deputy = add_role(c.s, "deputy", c.police, 5);
  add_link(c.s, c.leader, deputy, 45);
  c.s.protocols[0].rules[1].actions.push_back(notify(deputy));
  c.s.protocols[0].rules.push_back({deputy, {dispatch()}});
  const auto fs = findings_of(c.s, 10);
  const Finding* f = find(fs, FindingKind::duplicated_dispatch, "police");
  REQUIRE(f);
  CHECK(f->frequency == 1.0);
  // The sentence names both roles that gave the order.
  CHECK(f->text_en.find("deputy") != std::string::npos);
  CHECK(f->text_en.find("squad_leader") != std::string::npos);
}
