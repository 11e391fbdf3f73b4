// Coordination-gap detectors on hand-built facts: every frequency, cost and impact
// below is computed by hand in the comments, independent of the simulation.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "hqdrill/analysis/findings.hpp"
#include "hqdrill/io/findings_io.hpp"
#include "support.hpp"

using namespace hqdrill;
using namespace hqdrill::test;

namespace {

SimTime sec(double s) {
  return seconds_to_ms(s);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Guard (detector, at the gate) → office duty leader and police squad leader; the
// leader may relay to the squad leader. Horizon 3600 s; target: squad leader told within
// 180 s. Every clean run: detection 60 s, leader told 100 s, squad leader 130 s (1 hop).
struct World {
  Scenario s;
  Index gate, post, office_node;
  Index guards, office, police;
  Index guard, leader, squad;
  Index l_guard_leader, l_guard_squad, l_leader_squad;
  World() {
    gate = add_node(s, "gate", 0, 0, NodeKind::gate);
    post = add_node(s, "post", 90, 0, NodeKind::guard_post);
    office_node = add_node(s, "office", 0, 200, NodeKind::building);
    guards = add_unit(s, "guards", gate, 2);
    office = add_unit(s, "office", office_node, 1);
    police = add_unit(s, "police", post, 3);
    s.units[guards].name = "Bảo vệ chuyên trách";
    s.units[guards].name_en = "Dedicated guards";
    s.units[police].name = "Tiểu đội CSBVMT";
    s.units[police].name_en = "Police squad";
    guard = add_role(s, "guard", guards, 10);
    leader = add_role(s, "leader", office, 20);
    squad = add_role(s, "squad_leader", police, 5);
    s.roles[guard].name = "Bảo vệ cổng chính";
    s.roles[guard].name_en = "Main gate guard";
    s.roles[leader].name = "Lãnh đạo Văn phòng trực";
    s.roles[leader].name_en = "Office duty leader";
    s.roles[squad].name = "Tổ trưởng Tiểu đội CSBVMT";
    s.roles[squad].name_en = "Police squad leader";
    l_guard_leader = add_link(s, guard, leader, 30);
    l_guard_squad = add_link(s, guard, squad, 30);
    l_leader_squad = add_link(s, leader, squad, 45);
    s.links[l_guard_leader].id = "l_guard_office";
    s.links[l_guard_squad].id = "l_guard_squad";
    s.links[l_leader_squad].id = "l_office_squad";

    Protocol p;
    p.id = "alarm";
    p.incident_type = "generic";
    Action close_gate;
    close_gate.kind = ActionKind::task;
    close_gate.task = 0;
    Action cordon;
    cordon.kind = ActionKind::task;
    cordon.task = 1;
    p.rules.push_back({guard, {notify(leader), notify(squad), close_gate}});
    p.rules.push_back({leader, {notify(squad)}});
    p.rules.push_back({squad, {dispatch(), cordon}});
    TaskDef t0;
    t0.id = "close_gate";
    t0.name = "Đóng cổng";
    t0.name_en = "Close the gate";
    t0.owner = guard;
    t0.skills = {"gate"};
    TaskDef t1;
    t1.id = "cordon";
    t1.name = "Lập hàng rào";
    t1.name_en = "Form a cordon";
    t1.owner = squad;
    t1.members = 2;
    p.tasks = {t0, t1};
    s.protocols.push_back(p);
    s.incidents.push_back(incident_at(gate, guard, 60, /*Monday*/ 0, 9 * 60));

    Target tg;
    tg.kpi = "notified_squad_leader_s";
    tg.max_value = 180;
    s.targets.push_back(tg);
    s.run.horizon = sec(3600);
  }

  RunFacts clean() const {
    RunFacts f;
    f.roles.resize(s.roles.size());
    f.roles[guard] = {sec(60), kNone, 0, sec(70), false};
    f.roles[leader] = {sec(100), guard, 1, sec(120), false};
    f.roles[squad] = {sec(130), guard, 1, sec(135), false};
    f.messages.push_back({l_guard_leader, guard, leader, sec(70), sec(100), kNever, 1, 0, false});
    f.messages.push_back({l_guard_squad, guard, squad, sec(100), sec(130), kNever, 1, 0, false});
    f.tasks.push_back({0, TaskStatus::done, sec(70), sec(90), sec(130)});
    f.tasks.push_back({1, TaskStatus::done, sec(135), sec(200), sec(400)});
    f.orders.push_back({sec(135), squad, police, gate});
    f.arrivals.push_back({police, gate, sec(200), sec(200)});
    f.end = sec(3600);
    return f;
  }

  ExperimentResults results(const std::vector<RunFacts>& facts) const {
    ExperimentResults r;
    r.runs = static_cast<int>(facts.size());
    r.seed = 1;
    IncidentRuns ir;
    ir.incident = 0;
    ir.kpi_names = {"detect_s", "notified_guard_s", "notified_leader_s", "notified_squad_leader_s"};
    ir.facts = facts;
    r.incidents.push_back(ir);
    return r;
  }

  std::vector<Finding> detect(const std::vector<RunFacts>& facts) const {
    return detect_findings(s, results(facts), {});
  }
};

const Finding* find(const std::vector<Finding>& fs, FindingKind k, const std::string& subject) {
  for (const Finding& f : fs)
    if (f.kind == k && f.subject == subject) return &f;
  return nullptr;
}

int count(const std::vector<Finding>& fs, FindingKind k) {
  int n = 0;
  for (const Finding& f : fs) n += f.kind == k;
  return n;
}

}  // namespace

TEST_CASE("a clean set of runs gives no findings", "[findings]") {
  World w;
  const std::vector<RunFacts> facts(4, w.clean());
  CHECK(w.detect(facts).empty());
}

TEST_CASE("kinds and task statuses have their enumerator names", "[findings]") {
  CHECK(std::string(to_string(FindingKind::late_notification)) == "late_notification");
  CHECK(std::string(to_string(FindingKind::idle_on_scene)) == "idle_on_scene");
  CHECK(std::string(to_string(FindingKind::single_point_of_failure)) == "single_point_of_failure");
  CHECK(std::string(to_string(TaskStatus::unowned)) == "unowned");
  CHECK(std::string(to_string(TaskStatus::unstaffed)) == "unstaffed");
  CHECK(std::string(to_string(TaskStatus::done)) == "done");
}

TEST_CASE("a role told after its target or never is a late notification", "[findings]") {
  World w;
  std::vector<RunFacts> facts(4, w.clean());
  // Run 1: told at 240 s over the direct link → 240 − 180 = 60 s late.
  facts[1].roles[w.squad].alerted = sec(240);
  facts[1].messages[1].first_attempt = sec(210);
  facts[1].messages[1].received = sec(240);
  // Run 3: never told; the run ends at 3000 s but the cost runs to the horizon:
  // 3600 − 180 = 3420 s.
  facts[3].roles[w.squad] = RoleFact{};
  facts[3].messages[1].received = kNever;
  facts[3].end = sec(3000);
  const auto fs = w.detect(facts);
  const Finding* f = find(fs, FindingKind::late_notification, "squad_leader");
  REQUIRE(f);
  CHECK(f->incident == "inc");
  CHECK(f->frequency == Approx(0.5));               // 2 of 4 runs
  CHECK(f->cost_s == Approx((60.0 + 3420.0) / 2));  // 1740
  CHECK(f->impact == Approx(870.0));
  REQUIRE(f->evidence.size() == 2);
  CHECK(f->evidence[0].run == 3);  // worst first: never told
  CHECK(f->evidence[0].t_s == Approx(3000.0));
  CHECK(contains(f->evidence[0].event, "never told"));
  CHECK(f->evidence[1].run == 1);
  CHECK(f->evidence[1].t_s == Approx(240.0));
  CHECK(f->evidence[1].event == "told at 240 s by guard via link l_guard_squad");
  CHECK(f->text_vi ==
        "Tổ trưởng Tiểu đội CSBVMT được báo muộn hơn mục tiêu 180 giây trong 50% số lần chạy "
        "(trung bình muộn 1740 giây); trong 25% số lần chạy, vai trò này hoàn toàn không được "
        "báo tin.");
  CHECK(f->text_en ==
        "Police squad leader was told later than the 180 s target in 50% of runs (1740 s late "
        "on average); in 25% of runs it was never told.");
  // The others were on time.
  CHECK(count(fs, FindingKind::late_notification) == 1);
}

TEST_CASE("a late notification that came by relay names the intermediary", "[findings]") {
  World w;
  std::vector<RunFacts> facts(4, w.clean());
  // Run 0: the leader relays, squad leader told at 250 s (70 s late, 2 hops).
  facts[0].roles[w.squad] = {sec(250), w.leader, 2, sec(255), false};
  facts[0].messages[1] = {w.l_leader_squad, w.leader, w.squad, sec(205), sec(250),
                          kNever,           1,        0,       false};
  const auto fs = w.detect(facts);
  const Finding* f = find(fs, FindingKind::late_notification, "squad_leader");
  REQUIRE(f);
  CHECK(f->frequency == Approx(0.25));
  CHECK(f->cost_s == Approx(70.0));
  CHECK(f->impact == Approx(17.5));
  CHECK(f->evidence.at(0).event == "told at 250 s by leader via link l_office_squad");
  CHECK(contains(f->text_vi, "thông tin đến qua trung gian (Lãnh đạo Văn phòng trực)"));
  CHECK(contains(f->text_en, "through an intermediary (Office duty leader)"));
}

TEST_CASE("a late notification says when the incident itself was detected after the target",
          "[findings]") {
  World w;
  std::vector<RunFacts> facts(4, w.clean());
  // Runs 0 and 1: detected at 200 s (after the 180 s target), squad leader told at 260 s
  // and 300 s: 80 and 120 s late; mean 100 s, impact 0.5 × 100 = 50.
  for (int k : {0, 1}) facts[k].roles[w.guard].alerted = sec(200);
  facts[0].roles[w.squad].alerted = sec(260);
  facts[1].roles[w.squad].alerted = sec(300);
  const auto fs = w.detect(facts);
  const Finding* f = find(fs, FindingKind::late_notification, "squad_leader");
  REQUIRE(f);
  CHECK(f->impact == Approx(50.0));
  CHECK(contains(f->text_vi, "sự việc được phát hiện khi đã quá thời hạn mục tiêu"));
  CHECK(contains(f->text_en, "the incident was only detected after the target time"));
}

TEST_CASE("a link whose attempts fail costs the time lost to retries, or to the end if given up",
          "[findings]") {
  World w;
  std::vector<RunFacts> facts(4, w.clean());
  // Run 0: one failure; the second attempt starts at 130 and gets through at 160. Lost to
  // the failure and the retry wait: 130 − 70 = 60 s (the link's own 30 s is not a loss).
  facts[0].messages[0].attempts = 2;
  facts[0].messages[0].failures = 1;
  facts[0].messages[0].last_attempt = sec(130);
  facts[0].messages[0].received = sec(160);
  facts[0].roles[w.leader].alerted = sec(160);
  // Run 2: three failures, given up; the run ended at 3000 s: 3000 − 70 = 2930 s.
  facts[2].messages[0].attempts = 3;
  facts[2].messages[0].failures = 3;
  facts[2].messages[0].given_up = true;
  facts[2].messages[0].received = kNever;
  facts[2].roles[w.leader] = RoleFact{};
  facts[2].end = sec(3000);
  const auto fs = w.detect(facts);
  const Finding* f = find(fs, FindingKind::unreliable_link, "l_guard_office");
  REQUIRE(f);
  CHECK(f->frequency == Approx(0.5));
  CHECK(f->cost_s == Approx((60.0 + 2930.0) / 2));  // 1495
  CHECK(f->impact == Approx(747.5));
  REQUIRE(f->evidence.size() == 2);
  CHECK(f->evidence[0].run == 2);
  CHECK(f->evidence[0].t_s == Approx(70.0));
  CHECK(f->evidence[0].event ==
        "3 of 3 attempts failed from 70 s; given up, not received by 3000 s");
  CHECK(f->evidence[1].run == 0);
  CHECK(f->evidence[1].event == "1 of 2 attempts failed from 70 s; received at 160 s");
  CHECK(contains(f->text_vi,
                 "Liên lạc l_guard_office (Bảo vệ cổng chính → Lãnh đạo Văn phòng "
                 "trực, điện thoại)"));
  CHECK(contains(f->text_vi,
                 "có lần thử không thành (bận, không trả lời hoặc thất lạc) trong 50% "
                 "số lần chạy"));
  CHECK(contains(f->text_vi, "trong 25% số lần chạy, người gửi phải bỏ cuộc"));
  CHECK(contains(f->text_en, "Link l_guard_office (Main gate guard → Office duty leader, phone)"));
  CHECK(contains(f->text_en, "1495 s lost to retries on average"));
  // The other links never failed.
  CHECK(count(fs, FindingKind::unreliable_link) == 1);
}

TEST_CASE("a role that misses its target because the news came by relay is an indirect link",
          "[findings]") {
  World w;
  std::vector<RunFacts> facts(4, w.clean());
  // Run 0: told at 165 s via the leader (2 hops), within the 180 s target: the relay
  // worked, no finding. Run 1: told at 260 s via the leader, who had the news since
  // 100 s: late, and the news waited 260 − 100 = 160 s with the intermediary.
  facts[0].roles[w.squad] = {sec(165), w.leader, 2, sec(170), false};
  facts[1].roles[w.squad] = {sec(260), w.leader, 2, sec(265), false};
  const auto fs = w.detect(facts);
  const Finding* f = find(fs, FindingKind::indirect_link, "squad_leader");
  REQUIRE(f);
  CHECK(f->frequency == Approx(0.25));
  CHECK(f->cost_s == Approx(160.0));
  CHECK(f->impact == Approx(40.0));
  REQUIRE(f->evidence.size() == 1);
  CHECK(f->evidence[0].run == 1);
  CHECK(f->evidence[0].event ==
        "told at 260 s (target 180 s), 2 hops: guard → leader → squad_leader; leader had the "
        "news since 100 s");
  CHECK(f->text_vi ==
        "Tổ trưởng Tiểu đội CSBVMT không có liên lạc trực tiếp kịp thời: nhận tin qua trung "
        "gian (Lãnh đạo Văn phòng trực) và muộn hơn mục tiêu 180 giây trong 25% số lần chạy; "
        "tin nằm ở trung gian trung bình 160 giây.");
  CHECK(f->text_en ==
        "Police squad leader has no timely direct link: it learned through an intermediary "
        "(Office duty leader) later than the 180 s target in 25% of runs; the news waited with "
        "the intermediary 160 s on average.");
  // The same run is also a late notification.
  CHECK(count(fs, FindingKind::late_notification) == 1);
}

TEST_CASE("a protocol role never told of a detected incident is never notified", "[findings]") {
  World w;
  std::vector<RunFacts> facts(4, w.clean());
  // Run 3: the leader's post was vacant; detected at 60 s → 3600 − 60 = 3540 s.
  facts[3].roles[w.leader] = RoleFact{};
  facts[3].roles[w.leader].vacant_when_needed = true;
  facts[3].messages[0].received = kNever;
  facts[3].messages[0].given_up = true;
  facts[3].messages[0].failures = 3;
  facts[3].messages[0].attempts = 3;
  // Run 2: never detected: nobody could be told, so it is not a coordination gap.
  for (RoleFact& rf : facts[2].roles) rf = RoleFact{};
  facts[2].messages.clear();
  const auto fs = w.detect(facts);
  const Finding* f = find(fs, FindingKind::never_notified, "leader");
  REQUIRE(f);
  CHECK(f->frequency == Approx(0.25));
  CHECK(f->cost_s == Approx(3540.0));
  CHECK(f->impact == Approx(885.0));
  REQUIRE(f->evidence.size() == 1);
  CHECK(f->evidence[0].run == 3);
  CHECK(f->evidence[0].event == "never told: nobody held the role when needed");
  CHECK(contains(f->text_vi, "Lãnh đạo Văn phòng trực không được báo tin trong 25% số lần chạy"));
  CHECK(contains(f->text_vi, "không có ai giữ vai trò này"));
  CHECK(contains(f->text_vi, "3540 giây"));
  CHECK(contains(f->text_en, "Office duty leader was never told in 25% of runs"));
  // The undetected run made nobody "never notified".
  CHECK(find(fs, FindingKind::never_notified, "guard") == nullptr);
  CHECK(find(fs, FindingKind::never_notified, "squad_leader") == nullptr);
}

TEST_CASE("unowned and unstaffed tasks cost the rest of the run from detection", "[findings]") {
  World w;
  std::vector<RunFacts> facts(4, w.clean());
  // close_gate: unowned in run 0 (guard told but never acted), unstaffed in runs 1 and 2.
  facts[0].tasks[0] = {0, TaskStatus::unowned, kNever, kNever, kNever};
  facts[1].tasks[0] = {0, TaskStatus::unstaffed, kNever, kNever, kNever};
  facts[2].tasks[0] = {0, TaskStatus::unstaffed, kNever, kNever, kNever};
  facts[2].roles[w.guard].started_acting = sec(80);
  // Each: 3600 − 60 = 3540 s.
  const auto fs = w.detect(facts);
  const Finding* un = find(fs, FindingKind::unowned_task, "close_gate");
  REQUIRE(un);
  CHECK(un->frequency == Approx(0.25));
  CHECK(un->cost_s == Approx(3540.0));
  CHECK(un->impact == Approx(885.0));
  REQUIRE(un->evidence.size() == 1);
  CHECK(un->evidence[0].run == 0);
  CHECK(un->evidence[0].event == "unowned: owner guard told at 60 s but never acted");
  CHECK(un->text_vi ==
        "Nhiệm vụ “Đóng cổng” không có người phụ trách trong 25% số lần chạy nên không được "
        "thực hiện (vai trò được giao: Bảo vệ cổng chính; vắng người hoặc không được báo tin).");
  CHECK(contains(un->text_en, "Task “Close the gate” had no one in charge in 25% of runs"));

  const Finding* st = find(fs, FindingKind::unstaffed_task, "close_gate");
  REQUIRE(st);
  CHECK(st->frequency == Approx(0.5));
  CHECK(st->cost_s == Approx(3540.0));
  CHECK(st->impact == Approx(1770.0));
  REQUIRE(st->evidence.size() == 2);
  CHECK(st->evidence[0].run == 1);  // equal cost: lower run first
  CHECK(st->evidence[0].t_s == Approx(70.0));
  CHECK(st->evidence[1].run == 2);
  CHECK(st->evidence[1].t_s == Approx(80.0));
  CHECK(st->text_vi ==
        "Nhiệm vụ “Đóng cổng” không đủ người có chuyên môn trong 50% số lần chạy nên không "
        "được thực hiện (cần 1 người đang rảnh của Bảo vệ chuyên trách có kỹ năng gate).");
  CHECK(st->text_en ==
        "Task “Close the gate” was unstaffed in 50% of runs and never done (it needs 1 free "
        "member of Dedicated guards with skills gate).");
  CHECK(find(fs, FindingKind::unowned_task, "cordon") == nullptr);
}

TEST_CASE(
    "one unit ordered by two roles is a duplicated dispatch, or conflicting orders "
    "when they send it to different places",
    "[findings]") {
  World w;
  std::vector<RunFacts> facts(4, w.clean());
  // Run 0: leader 130 s → gate, squad leader 135 s → gate: duplicated, 1 extra order,
  // 1 × 60 s.
  facts[0].orders.insert(facts[0].orders.begin(), {sec(130), w.leader, w.police, w.gate});
  // Run 1: squad leader → gate, leader → post, guard → gate: conflicting, 2 extra orders,
  // 2 × 60 = 120 s.
  facts[1].orders.push_back({sec(150), w.leader, w.police, w.post});
  facts[1].orders.push_back({sec(160), w.guard, w.police, w.gate});
  // Run 2: the same role twice is not two roles.
  facts[2].orders.push_back({sec(300), w.squad, w.police, w.post});
  const auto fs = w.detect(facts);
  const Finding* d = find(fs, FindingKind::duplicated_dispatch, "police");
  REQUIRE(d);
  CHECK(d->frequency == Approx(0.25));
  CHECK(d->cost_s == Approx(60.0));
  CHECK(d->impact == Approx(15.0));
  REQUIRE(d->evidence.size() == 1);
  CHECK(d->evidence[0].run == 0);
  CHECK(d->evidence[0].t_s == Approx(135.0));  // the second role's order
  CHECK(d->evidence[0].event ==
        "ordered by leader to gate at 130 s, by squad_leader to gate at 135 s");
  CHECK(contains(d->text_vi, "Tiểu đội CSBVMT nhận lệnh điều động trùng lặp"));
  CHECK(contains(d->text_vi, "Lãnh đạo Văn phòng trực, Tổ trưởng Tiểu đội CSBVMT"));
  CHECK(contains(d->text_vi, "giả định mỗi lệnh thừa mất 60 giây"));
  CHECK(contains(d->text_en, "Police squad was sent to the same place by several roles"));

  const Finding* c = find(fs, FindingKind::conflicting_orders, "police");
  REQUIRE(c);
  CHECK(c->frequency == Approx(0.25));
  CHECK(c->cost_s == Approx(120.0));
  CHECK(c->impact == Approx(30.0));
  REQUIRE(c->evidence.size() == 1);
  CHECK(c->evidence[0].run == 1);
  CHECK(c->evidence[0].t_s == Approx(150.0));
  CHECK(contains(c->text_vi, "trung bình 2 lệnh thừa mỗi lần"));
  CHECK(contains(c->text_en, "got conflicting orders, sent to different places by"));
  CHECK(count(fs, FindingKind::duplicated_dispatch) == 1);
}

TEST_CASE("a unit waiting on scene with no task is idle until its task or the run's end",
          "[findings]") {
  World w;
  std::vector<RunFacts> facts(4, w.clean());
  // Run 0: police arrive at 240 s, start a task at 400 s: 160 s idle.
  facts[0].arrivals[0] = {w.police, w.gate, sec(240), sec(400)};
  // Run 1: never busy; the run ends at 1000 s: 1000 − 240 = 760 s.
  facts[1].arrivals[0] = {w.police, w.gate, sec(240), kNever};
  facts[1].end = sec(1000);
  // Run 2: the guards wait 20 s: below the 30 s floor, so no finding for them.
  facts[2].arrivals.push_back({w.guards, w.gate, sec(100), sec(120)});
  const auto fs = w.detect(facts);
  const Finding* f = find(fs, FindingKind::idle_on_scene, "police");
  REQUIRE(f);
  CHECK(f->frequency == Approx(0.5));
  CHECK(f->cost_s == Approx(460.0));
  CHECK(f->impact == Approx(230.0));
  REQUIRE(f->evidence.size() == 2);
  CHECK(f->evidence[0].run == 1);
  CHECK(f->evidence[0].event == "arrived at gate at 240 s; no task until the run ended at 1000 s");
  CHECK(f->evidence[1].run == 0);
  CHECK(f->evidence[1].event == "arrived at gate at 240 s; no task until 400 s");
  CHECK(f->text_vi ==
        "Tiểu đội CSBVMT đến nơi rồi phải chờ mà không có nhiệm vụ trong 50% số lần chạy, "
        "trung bình 460 giây.");
  CHECK(f->text_en ==
        "Police squad arrived and waited with no task in 50% of runs, 460 s on average.");
  CHECK(find(fs, FindingKind::idle_on_scene, "guards") == nullptr);
}

TEST_CASE("a unit the protocol gives no task is not idle on scene", "[findings]") {
  World w;
  std::vector<RunFacts> facts(4, w.clean());
  // The office unit owns no task (its leader only notifies): 500 s at the gate is its
  // job as dispatched, not waiting for a task.
  for (RunFacts& f : facts) f.arrivals.push_back({w.office, w.gate, sec(100), kNever});
  CHECK(w.detect(facts).empty());
}

TEST_CASE("findings are ranked by impact, then kind, incident and subject", "[findings]") {
  World w;
  std::vector<RunFacts> facts(4, w.clean());
  // idle police: run 0, 200 s → impact 0.25 × 200 = 50.
  facts[0].arrivals[0] = {w.police, w.gate, sec(200), sec(400)};
  // idle guards: run 1, 200 s → impact 50 (ties with police: "guards" < "police").
  facts[1].arrivals.push_back({w.guards, w.gate, sec(100), sec(300)});
  // duplicated dispatch of police in run 2: 0.25 × 60 = 15.
  facts[2].orders.push_back({sec(140), w.leader, w.police, w.gate});
  // late squad leader in run 3 by 220 s: 0.25 × 220 = 55.
  facts[3].roles[w.squad].alerted = sec(400);
  const auto fs = w.detect(facts);
  REQUIRE(fs.size() == 4);
  CHECK(fs[0].kind == FindingKind::late_notification);
  CHECK(fs[0].impact == Approx(55.0));
  CHECK(fs[1].kind == FindingKind::idle_on_scene);
  CHECK(fs[1].subject == "guards");
  CHECK(fs[2].kind == FindingKind::idle_on_scene);
  CHECK(fs[2].subject == "police");
  CHECK(fs[3].kind == FindingKind::duplicated_dispatch);
  CHECK(fs[3].impact == Approx(15.0));
}

TEST_CASE("evidence keeps the five worst runs, worst first", "[findings]") {
  World w;
  std::vector<RunFacts> facts(8, w.clean());
  // Run k told at 200 + 10 k s: lateness 20 + 10 k; the worst five are runs 7..3.
  for (int k = 0; k < 8; ++k) facts[k].roles[w.squad].alerted = sec(200 + 10 * k);
  const auto fs = w.detect(facts);
  const Finding* f = find(fs, FindingKind::late_notification, "squad_leader");
  REQUIRE(f);
  CHECK(f->frequency == Approx(1.0));
  CHECK(f->cost_s == Approx(55.0));  // mean of 20..90
  REQUIRE(f->evidence.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(f->evidence[i].run == 7 - i);
    CHECK(f->evidence[i].t_s == Approx(270.0 - 10 * i));
  }
}

TEST_CASE("findings JSON numbers findings from rank 1 with both sentences and evidence",
          "[findings]") {
  World w;
  std::vector<RunFacts> facts(4, w.clean());
  facts[3].roles[w.squad].alerted = sec(400);
  facts[0].arrivals[0] = {w.police, w.gate, sec(200), sec(400)};
  const auto fs = w.detect(facts);
  const nlohmann::json j = io::findings_json(w.s, fs);
  CHECK(j["schema"] == "hqdrill.findings/1");
  REQUIRE(j["findings"].size() == 2);
  const auto& first = j["findings"][0];
  CHECK(first["rank"] == 1);
  CHECK(first["kind"] == "late_notification");
  CHECK(first["incident"] == "inc");
  CHECK(first["subject"] == "squad_leader");
  CHECK(first["frequency"].get<double>() == Approx(0.25));
  CHECK(first["cost_s"].get<double>() == Approx(220.0));
  CHECK(first["impact_s"].get<double>() == Approx(55.0));
  CHECK(contains(first["text_vi"].get<std::string>(), "Tổ trưởng Tiểu đội CSBVMT"));
  CHECK(contains(first["text_en"].get<std::string>(), "Police squad leader"));
  REQUIRE(first["evidence"].size() == 1);
  CHECK(first["evidence"][0]["run"] == 3);
  CHECK(first["evidence"][0]["t_s"].get<double>() == Approx(400.0));
  CHECK(j["findings"][1]["rank"] == 2);
  CHECK(j["findings"][1]["kind"] == "idle_on_scene");
  // Deterministic: the same input gives the same text.
  CHECK(io::findings_json(w.s, fs).dump() == j.dump());
}
