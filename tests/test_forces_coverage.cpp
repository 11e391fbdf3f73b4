// Static roster coverage (forces/coverage.hpp): holes of 24/24 posts and of tasks'
// skills over a week of day types, to the minute, and the findings they become.
#include <catch2/catch.hpp>

#include "hqdrill/forces/coverage.hpp"
#include "support.hpp"

using namespace hqdrill;
using namespace hqdrill::test;

namespace {

constexpr DayMask kAllDays = test::kEveryDay;

/// A guard booth declared 24/24 for one guard, with the given shifts of one unit.
struct Booth {
  Scenario s;
  Index booth, guards;
  explicit Booth(std::vector<Shift> shifts) {
    booth = add_node(s, "booth", 0, 0, NodeKind::guard_post);
    s.site.nodes[booth].name = "Cổng chính";
    s.site.nodes[booth].name_en = "Main gate";
    guards = add_unit(s, "guards", booth, 0);
    s.units[guards].members = 4;
    s.units[guards].shifts = std::move(shifts);
    s.posts.push_back({booth, 1, true});
  }
};

std::string show(const std::vector<CoverageHole>& holes) {
  std::string out;
  for (const auto& h : holes)
    out += std::string(to_string(h.day)) + " " + format_hhmm(h.from_min) + "-" +
           format_hhmm(h.to_min) + " " + std::to_string(h.have) + "/" + std::to_string(h.need) +
           "\n";
  return out;
}

}  // namespace

TEST_CASE(
    "a 15-minute handover gap before the night shift is a hole of exactly 21:45–22:00 "
    "on every day type",
    "[coverage]") {
  // Day shift 06:00–21:45, night shift 22:00–06:00, one guard each, every day type.
  Booth b(
      {test::shift(kAllDays, 6 * 60, 21 * 60 + 45, 1), test::shift(kAllDays, 22 * 60, 6 * 60, 1)});
  const auto holes = post_coverage_holes(b.s);
  INFO(show(holes));
  REQUIRE(holes.size() == kDayTypeCount);
  for (int d = 0; d < kDayTypeCount; ++d) {
    const CoverageHole& h = holes[static_cast<std::size_t>(d)];
    CHECK(h.kind == CoverageHole::Kind::post);
    CHECK(h.post == 0);
    CHECK(h.node == b.booth);
    CHECK(h.day == static_cast<DayType>(d));
    CHECK(h.from_min == 21 * 60 + 45);
    CHECK(h.to_min == 22 * 60);
    CHECK(h.have == 0);
    CHECK(h.need == 1);
  }

  // One finding for the booth: 8 day types × 15 min = 2 h = 7200 s of exposure a week.
  const auto findings = coverage_findings(b.s);
  REQUIRE(findings.size() == 1);
  const Finding& f = findings[0];
  CHECK(f.kind == FindingKind::coverage_hole);
  CHECK(f.incident.empty());
  CHECK(f.subject == "booth");
  CHECK(f.frequency == 1.0);
  CHECK(f.cost_s == 0.0);
  CHECK(f.impact == 7200.0);
  REQUIRE(f.evidence.size() == 1);
  CHECK(f.evidence[0].run == -1);
  CHECK(f.evidence[0].t_s == (21 * 60 + 45) * 60.0);
  CHECK(f.evidence[0].event == "mon–sun, holiday 21:45–22:00: 0 of 1");
  CHECK(f.text_vi ==
        "Vọng gác Cổng chính không có người trực từ 21:45 đến 22:00 hằng ngày, kể cả ngày lễ "
        "(cần 1, có 0)");
  CHECK(f.text_en ==
        "Guard post Main gate has nobody on duty from 21:45 to 22:00 every day, holidays "
        "included (needs 1, has 0)");
}

TEST_CASE(
    "a night shift missing on Sunday leaves Sunday evening and the morning after it "
    "short, and a holiday after the worst weekday",
    "[coverage]") {
  // Night shift every day type but Sunday: Sunday 22:00–24:00 is empty, so is Monday
  // 00:00–06:00 and, since a holiday may follow a Sunday, holiday 00:00–06:00.
  const DayMask not_sunday = kAllDays & static_cast<DayMask>(~(1u << 6));
  Booth b({test::shift(kAllDays, 6 * 60, 22 * 60, 1), test::shift(not_sunday, 22 * 60, 6 * 60, 1)});
  const auto holes = post_coverage_holes(b.s);
  CHECK(show(holes) ==
        "mon 00:00-06:00 0/1\n"
        "sun 22:00-24:00 0/1\n"
        "holiday 00:00-06:00 0/1\n");

  const auto findings = coverage_findings(b.s);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].impact == (6 + 2 + 6) * 3600.0);
  REQUIRE(findings[0].evidence.size() == 2);
  CHECK(findings[0].evidence[0].event == "mon, holiday 00:00–06:00: 0 of 1");
  CHECK(findings[0].evidence[1].event == "sun 22:00–24:00: 0 of 1");
  CHECK(findings[0].text_vi ==
        "Vọng gác Cổng chính thiếu người trực: từ 00:00 đến 06:00 các ngày thứ Hai và ngày lễ "
        "(cần 1, có 0); từ 22:00 đến 24:00 ngày Chủ nhật (cần 1, có 0) — tổng cộng 14 giờ mỗi "
        "tuần");
  CHECK(findings[0].text_en ==
        "Guard post Main gate is short of people on duty: from 00:00 to 06:00 on Monday and "
        "holidays (needs 1, has 0); from 22:00 to 24:00 on Sunday (needs 1, has 0) — 14 h a "
        "week in all");
}

TEST_CASE(
    "a post short of its headcount reports how many are there; on-call members do not "
    "count",
    "[coverage]") {
  // Two needed; two on site 06:00–18:00, one 18:00–06:00 plus one on call.
  Shift on_call = test::shift(kAllDays, 18 * 60, 6 * 60, 1);
  on_call.on_call = true;
  Booth b({test::shift(kAllDays, 6 * 60, 18 * 60, 2), test::shift(kAllDays, 18 * 60, 6 * 60, 1),
           on_call});
  b.s.posts[0].min_headcount = 2;
  const auto holes = post_coverage_holes(b.s);
  REQUIRE(holes.size() == 2 * kDayTypeCount);
  CHECK(holes[0].from_min == 0);
  CHECK(holes[0].to_min == 6 * 60);
  CHECK(holes[0].have == 1);
  CHECK(holes[0].need == 2);
  CHECK(holes[1].from_min == 18 * 60);
  CHECK(holes[1].to_min == 24 * 60);
  CHECK(holes[1].have == 1);
  const auto findings = coverage_findings(b.s);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].text_en.find("(needs 2, has 1)") != std::string::npos);
}

TEST_CASE("a task whose skill only the day staff have cannot be staffed at night", "[coverage]") {
  // The gate duty role is held by the day staff 07:00–17:00 and by the night staff,
  // who lack the "gate" skill, 17:00–07:00: the task has no qualified member at night.
  Scenario s;
  const Index gate = add_node(s, "gate", 0, 0, NodeKind::gate);
  const Index day = add_unit(s, "day_staff", gate, 0);
  const Index night = add_unit(s, "night_staff", gate, 0);
  s.units[day].members = s.units[night].members = 2;
  s.units[day].skills = {"gate", "first_aid"};
  s.units[day].shifts = {test::shift(kAllDays, 7 * 60, 17 * 60, 1)};
  s.units[night].shifts = {test::shift(kAllDays, 17 * 60, 7 * 60, 1)};
  const Index duty = add_role(s, "gate_duty", day, 0);
  s.roles[duty].fallback_units = {night};
  Protocol p;
  p.id = "alarm";
  p.incident_type = "generic";
  TaskDef close;
  close.id = "close_gate";
  close.name = "Đóng cổng";
  close.name_en = "Close the gate";
  close.owner = duty;
  close.skills = {"gate"};
  p.tasks.push_back(close);
  Action start;
  start.kind = ActionKind::task;
  start.task = 0;
  p.rules.push_back({duty, {start}});
  s.protocols.push_back(p);
  s.incidents.push_back(incident_at(gate, duty, 0, 0, 0));

  CHECK(post_coverage_holes(s).empty());  // no posts declared
  const auto holes = skill_coverage_holes(s);
  INFO(show(holes));
  REQUIRE(holes.size() == 2 * kDayTypeCount);
  for (std::size_t i = 0; i < holes.size(); ++i) {
    CHECK(holes[i].kind == CoverageHole::Kind::task);
    CHECK(holes[i].protocol == 0);
    CHECK(holes[i].task == 0);
    CHECK(holes[i].day == static_cast<DayType>(i / 2));
    CHECK(holes[i].from_min == (i % 2 == 0 ? 0 : 17 * 60));
    CHECK(holes[i].to_min == (i % 2 == 0 ? 7 * 60 : 24 * 60));
    CHECK(holes[i].have == 0);
    CHECK(holes[i].need == 1);
  }

  const auto findings = coverage_findings(s);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].subject == "close_gate");
  CHECK(findings[0].impact == 8 * 14 * 3600.0);
  CHECK(findings[0].text_vi ==
        "Nhiệm vụ \"Đóng cổng\" không bố trí được người, vì đơn vị giữ vai trò phụ trách không "
        "đủ người có kỹ năng gate trực tại chỗ: từ 00:00 đến 07:00 hằng ngày, kể cả ngày lễ (cần "
        "1, có 0); từ 17:00 đến 24:00 hằng ngày, kể cả ngày lễ (cần 1, có 0) — tổng cộng 112 giờ "
        "mỗi tuần");
  CHECK(findings[0].text_en.find("Task \"Close the gate\" cannot be staffed") == 0);

  // Give the night staff the skill: the task is covered around the clock.
  s.units[night].skills = {"gate"};
  CHECK(skill_coverage_holes(s).empty());
}

TEST_CASE("a fully covered roster has no coverage holes and no findings", "[coverage]") {
  Booth b({test::shift(kAllDays, 6 * 60, 14 * 60, 1), test::shift(kAllDays, 14 * 60, 22 * 60, 1),
           test::shift(kAllDays, 22 * 60, 6 * 60, 1)});
  // A scheduled (not 24/24) post with nobody on it is not checked.
  const Index yard = add_node(b.s, "yard", 10, 0, NodeKind::yard);
  b.s.posts.push_back({yard, 1, false});
  // A task its owner's unit is always qualified and on site for.
  b.s.units[b.guards].skills = {"gate"};
  const Index guard = add_role(b.s, "guard", b.guards, 0);
  Protocol p;
  p.id = "alarm";
  p.incident_type = "generic";
  TaskDef close;
  close.id = "close_gate";
  close.owner = guard;
  close.skills = {"gate"};
  p.tasks.push_back(close);
  b.s.protocols.push_back(p);
  b.s.incidents.push_back(incident_at(b.booth, guard, 0, 0, 0));

  CHECK(post_coverage_holes(b.s).empty());
  CHECK(skill_coverage_holes(b.s).empty());
  CHECK(coverage_findings(b.s).empty());
}
