#include "hqdrill/analysis/findings.hpp"

#include "wording.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>

namespace hqdrill {

const char* to_string(FindingKind k) {
  switch (k) {
    case FindingKind::gate_breached:
      return "gate_breached";
    case FindingKind::dangerous_density:
      return "dangerous_density";
    case FindingKind::gate_undefended:
      return "gate_undefended";
    case FindingKind::fire_outgrew_first_attack:
      return "fire_outgrew_first_attack";
    case FindingKind::occupants_exposed:
      return "occupants_exposed";
    case FindingKind::late_notification:
      return "late_notification";
    case FindingKind::unreliable_link:
      return "unreliable_link";
    case FindingKind::indirect_link:
      return "indirect_link";
    case FindingKind::never_notified:
      return "never_notified";
    case FindingKind::unowned_task:
      return "unowned_task";
    case FindingKind::unstaffed_task:
      return "unstaffed_task";
    case FindingKind::duplicated_dispatch:
      return "duplicated_dispatch";
    case FindingKind::conflicting_orders:
      return "conflicting_orders";
    case FindingKind::idle_on_scene:
      return "idle_on_scene";
    case FindingKind::coverage_hole:
      return "coverage_hole";
    case FindingKind::single_point_of_failure:
      return "single_point_of_failure";
  }
  return "?";
}

const char* to_string(TaskStatus st) {
  switch (st) {
    case TaskStatus::pending:
      return "pending";
    case TaskStatus::assigned:
      return "assigned";
    case TaskStatus::started:
      return "started";
    case TaskStatus::done:
      return "done";
    case TaskStatus::unowned:
      return "unowned";
    case TaskStatus::unstaffed:
      return "unstaffed";
  }
  return "?";
}

namespace {

constexpr std::size_t kMaxEvidence = 5;
/// Idle time on scene below this is movement noise, not a gap worth a planner's time.
constexpr double kIdleFloorS = 30;
/// Fruin's "potentially dangerous crowd forces begin to develop" (/m²), as charted in
/// EPJ Data Science 2013 (doi:10.1140/epjds17, Table 1).
constexpr double kDangerousDensity = 5.55;
/// Assumption (no source): a unit leader who gets an extra order for the same move
/// loses about a minute sorting it out (calling back, confirming who is in charge).
/// Duplicated and conflicting orders cost this per extra order.
constexpr double kNominalConfusionS = 60;

// ---------------------------------------------------------------- text helpers

std::string whole(double v) {
  return std::to_string(std::llround(v));
}

/// "28%"; a rare gap is "<1%" and a near-certain one ">99%", never a misleading 0 or 100.
std::string fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string pct(double f) {
  const long long p = std::llround(f * 100);
  if (p == 0 && f > 0) return "<1%";
  if (p == 100 && f < 1) return ">99%";
  return std::to_string(p) + "%";
}

/// A mean count: "2", or "1.5" (en) / "1,5" (vi).
std::string count_str(double v, bool vi) {
  if (std::fabs(v - std::round(v)) < 0.05) return whole(v);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string out = buf;
  if (vi) std::replace(out.begin(), out.end(), '.', ',');
  return out;
}

std::string at_s(SimTime t) {
  return whole(ms_to_seconds(t)) + " s";
}

using wording::channel_en;
using wording::channel_vi;
using wording::name_en;
using wording::name_vi;
using wording::role_en;
using wording::role_vi;

std::string unit_vi(const Scenario& s, Index u) {
  return name_vi(s.units[u].name, s.units[u].id);
}
std::string unit_en(const Scenario& s, Index u) {
  return name_en(s.units[u].name_en, s.units[u].id);
}
std::string node_id(const Scenario& s, Index n) {
  return n >= 0 && n < static_cast<Index>(s.site.nodes.size()) ? s.site.nodes[n].id
                                                               : std::string("incident");
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

/// The most frequent key of a count map; ties go to the lowest key (deterministic).
Index most_frequent(const std::map<Index, int>& counts) {
  Index best = kNone;
  int n = 0;
  for (const auto& [k, c] : counts)
    if (c > n) best = k, n = c;
  return best;
}

// ---------------------------------------------------------------- tallies

struct Candidate {
  double key = 0;  ///< how bad the run is (its cost); evidence is worst first
  int run = 0;
  double t_s = 0;
  std::string event;
};

/// The runs where one gap happened, with their cost and a line of evidence each.
struct Tally {
  int runs_hit = 0;
  double cost_sum_s = 0;
  std::vector<Candidate> cands;
  void hit(int run, double cost_s, double t_s, std::string event) {
    ++runs_hit;
    cost_sum_s += cost_s;
    cands.push_back({cost_s, run, t_s, std::move(event)});
  }
};

/// Per incident: what every detector needs, computed once.
struct Ctx {
  const Scenario& s;
  const Incident& inc;
  const IncidentRuns& ir;
  int runs = 0;
  SimTime horizon = 0;
  std::vector<SimTime> detected;  ///< per run; kNever: the incident was never detected
  std::vector<SimTime> end;       ///< per run: facts.end, or the horizon when not recorded
  const Protocol* protocol = nullptr;
};

const RoleFact* role_fact(const RunFacts& f, Index r) {
  return r >= 0 && static_cast<std::size_t>(r) < f.roles.size() ? &f.roles[r] : nullptr;
}

Finding make_finding(const Ctx& c, FindingKind kind, std::string subject, Tally t) {
  Finding f;
  f.kind = kind;
  f.incident = c.inc.id;
  f.subject = std::move(subject);
  f.frequency = c.runs ? static_cast<double>(t.runs_hit) / c.runs : 0.0;
  f.cost_s = t.runs_hit ? t.cost_sum_s / t.runs_hit : 0.0;
  f.impact = f.frequency * f.cost_s;
  std::stable_sort(t.cands.begin(), t.cands.end(), [](const Candidate& a, const Candidate& b) {
    return a.key != b.key ? a.key > b.key : a.run < b.run;
  });
  for (std::size_t i = 0; i < t.cands.size() && i < kMaxEvidence; ++i)
    f.evidence.push_back({t.cands[i].run, t.cands[i].t_s, std::move(t.cands[i].event)});
  return f;
}

/// "guard → leader → squad": who passed the news on, from the detector to `r`.
std::string relay_chain(const Scenario& s, const RunFacts& f, Index r) {
  std::vector<std::string> ids;
  for (std::size_t guard = 0; r != kNone && guard <= f.roles.size(); ++guard) {
    ids.push_back(s.roles[r].id);
    const RoleFact* rf = role_fact(f, r);
    r = rf ? rf->alerted_by : kNone;
  }
  std::reverse(ids.begin(), ids.end());
  return join(ids, " → ");
}

/// The message that first told `r` (received at its alerted time), or null.
const MessageFact* first_receipt(const RunFacts& f, Index r, SimTime alerted) {
  for (const MessageFact& m : f.messages)
    if (m.to_role == r && m.received == alerted) return &m;
  return nullptr;
}

/// The role a `notified_<role>_s` KPI is about, or kNone for any other KPI.
Index notified_role(const Scenario& s, const std::string& kpi) {
  const std::string prefix = "notified_", suffix = "_s";
  if (kpi.size() <= prefix.size() + suffix.size() || kpi.compare(0, prefix.size(), prefix) != 0 ||
      kpi.compare(kpi.size() - suffix.size(), suffix.size(), suffix) != 0)
    return kNone;
  const std::string id = kpi.substr(prefix.size(), kpi.size() - prefix.size() - suffix.size());
  for (std::size_t r = 0; r < s.roles.size(); ++r)
    if (s.roles[r].id == id) return static_cast<Index>(r);
  return kNone;
}

// ---------------------------------------------------------------- detectors

/// Roles told later than a notified_<role>_s target, or never (a miss, as in summaries).
/// Lateness: alerted − target; never told: horizon − target.
void late_notification(const Ctx& c, std::vector<Finding>& out) {
  const Scenario& s = c.s;
  for (Index ti : targets_for(s, c.ir.incident, c.ir.kpi_names)) {
    const Target& tg = s.targets[ti];
    const Index role = notified_role(s, tg.kpi);
    if (role == kNone) continue;
    const std::string& id = s.roles[role].id;

    Tally t;
    int never = 0, told_late = 0;
    int detected_late = 0;          ///< late runs where even detection came after the target
    std::map<Index, int> relayers;  ///< late runs told by relay: who passed it on
    const SimTime max_ms = seconds_to_ms(tg.max_value);
    for (int run = 0; run < c.runs; ++run) {
      const RunFacts& f = c.ir.facts[run];
      const RoleFact* rf = role_fact(f, role);
      if (!rf) continue;
      if (rf->alerted != kNever && rf->alerted <= max_ms) continue;
      detected_late += c.detected[run] == kNever || c.detected[run] > max_ms;
      if (rf->alerted == kNever) {
        ++never;
        t.hit(run, ms_to_seconds(c.horizon) - tg.max_value, ms_to_seconds(c.end[run]),
              "never told by the end of the run at " + at_s(c.end[run]));
        continue;
      }
      ++told_late;
      if (rf->hops >= 2 && rf->alerted_by != kNone) ++relayers[rf->alerted_by];
      std::string ev = "told at " + at_s(rf->alerted);
      if (rf->hops == 0) {
        ev = "detected it at " + at_s(rf->alerted);
      } else if (rf->alerted_by != kNone) {
        ev += " by " + s.roles[rf->alerted_by].id;
        const MessageFact* m = first_receipt(f, role, rf->alerted);
        if (m && m->link != kNone) ev += " via link " + s.links[m->link].id;
      }
      t.hit(run, ms_to_seconds(rf->alerted) - tg.max_value, ms_to_seconds(rf->alerted),
            std::move(ev));
    }
    const int t_runs = t.runs_hit;
    if (t_runs == 0) continue;

    Finding f = make_finding(c, FindingKind::late_notification, id, std::move(t));
    const std::string target = whole(tg.max_value);
    f.text_vi = role_vi(s, role) + " được báo muộn hơn mục tiêu " + target + " giây trong " +
                pct(f.frequency) + " số lần chạy (trung bình muộn " + whole(f.cost_s) + " giây)";
    f.text_en = role_en(s, role) + " was told later than the " + target + " s target in " +
                pct(f.frequency) + " of runs (" + whole(f.cost_s) + " s late on average)";
    if (never > 0) {
      const std::string q = pct(static_cast<double>(never) / c.runs);
      f.text_vi += "; trong " + q + " số lần chạy, vai trò này hoàn toàn không được báo tin";
      f.text_en += "; in " + q + " of runs it was never told";
    }
    if (2 * detected_late > t_runs) {
      f.text_vi +=
          "; trong phần lớn các lần đó, sự việc được phát hiện khi đã quá thời hạn mục tiêu";
      f.text_en += "; in most of those runs the incident was only detected after the target time";
    }
    int relayed = 0;
    for (const auto& kv : relayers) relayed += kv.second;
    if (told_late > 0 && 2 * relayed > told_late) {
      const Index via = most_frequent(relayers);
      f.text_vi += "; thông tin đến qua trung gian (" + role_vi(s, via) + ")";
      f.text_en += "; the news came through an intermediary (" + role_en(s, via) + ")";
    }
    f.text_vi += ".";
    f.text_en += ".";
    out.push_back(std::move(f));
  }
}

/// Links whose messages failed at least once. Cost per run, summed over its messages
/// on the link that failed: the time lost to failed attempts and retry waits, i.e. start
/// of the attempt that got through − first attempt (a delivered message), or run end −
/// first attempt (given up). The link's normal delay is not counted.
void unreliable_link(const Ctx& c, std::vector<Finding>& out) {
  const Scenario& s = c.s;
  for (std::size_t li = 0; li < s.links.size(); ++li) {
    const Index link = static_cast<Index>(li);
    Tally t;
    int gave_up_runs = 0;
    for (int run = 0; run < c.runs; ++run) {
      const RunFacts& f = c.ir.facts[run];
      double cost = 0;
      double worst = -1;
      const MessageFact* worst_m = nullptr;
      int troubled = 0;
      bool gave_up = false;
      for (const MessageFact& m : f.messages) {
        if (m.link != link || m.first_attempt == kNever) continue;
        if (m.failures < 1 && !m.given_up) continue;
        const SimTime through = m.last_attempt != kNever ? m.last_attempt : m.first_attempt;
        const SimTime until = m.received != kNever ? through : c.end[run];
        const double d = std::max(0.0, ms_to_seconds(until - m.first_attempt));
        cost += d;
        ++troubled;
        gave_up = gave_up || m.given_up;
        if (d > worst) worst = d, worst_m = &m;
      }
      if (!troubled) continue;
      gave_up_runs += gave_up;
      const MessageFact& m = *worst_m;
      std::string ev = std::to_string(m.failures) + " of " + std::to_string(m.attempts) +
                       " attempts failed from " + at_s(m.first_attempt) + "; ";
      ev += m.received != kNever ? "received at " + at_s(m.received)
                                 : "given up, not received by " + at_s(c.end[run]);
      if (troubled > 1) ev += " (+" + std::to_string(troubled - 1) + " more messages)";
      t.hit(run, cost, ms_to_seconds(m.first_attempt), std::move(ev));
    }
    if (t.runs_hit == 0) continue;

    const CommsLink& l = s.links[li];
    Finding f = make_finding(c, FindingKind::unreliable_link, l.id, std::move(t));
    f.text_vi = "Liên lạc " + l.id + " (" + role_vi(s, l.from_role) + " → " +
                role_vi(s, l.to_role) + ", " + channel_vi(l.channel) +
                ") có lần thử không thành (bận, không trả lời hoặc thất lạc) trong " +
                pct(f.frequency) + " số lần chạy; mất trung bình " + whole(f.cost_s) +
                " giây cho các lần thử lại";
    f.text_en = "Link " + l.id + " (" + role_en(s, l.from_role) + " → " + role_en(s, l.to_role) +
                ", " + channel_en(l.channel) +
                ") had failed attempts (busy, no answer or lost) in " + pct(f.frequency) +
                " of runs; " + whole(f.cost_s) + " s lost to retries on average";
    if (gave_up_runs > 0) {
      const std::string q = pct(static_cast<double>(gave_up_runs) / c.runs);
      f.text_vi += "; trong " + q + " số lần chạy, người gửi phải bỏ cuộc";
      f.text_en += "; the sender gave up in " + q + " of runs";
    }
    f.text_vi += ".";
    f.text_en += ".";
    out.push_back(std::move(f));
  }
}

/// Roles with a notification target that missed it because the news came by relay
/// (hops ≥ 2): the report's "missing link". Cost per run: the time the news spent with
/// the intermediary (role told − intermediary told), what a direct link would save at
/// most. Relays that arrive in time are the protocol working as designed: not a finding.
void indirect_link(const Ctx& c, std::vector<Finding>& out) {
  const Scenario& s = c.s;
  std::vector<char> seen(s.roles.size(), 0);
  for (Index ti : targets_for(s, c.ir.incident, c.ir.kpi_names)) {
    const Target& tg = s.targets[ti];
    const Index role = notified_role(s, tg.kpi);
    if (role == kNone || seen[role]) continue;
    seen[role] = 1;
    const SimTime max_ms = seconds_to_ms(tg.max_value);
    Tally t;
    std::map<Index, int> relayers;
    for (int run = 0; run < c.runs; ++run) {
      const RunFacts& f = c.ir.facts[run];
      const RoleFact* rf = role_fact(f, role);
      if (!rf || rf->hops < 2 || rf->alerted == kNever || rf->alerted <= max_ms) continue;
      const RoleFact* via = role_fact(f, rf->alerted_by);
      if (!via || via->alerted == kNever) continue;
      ++relayers[rf->alerted_by];
      t.hit(run, std::max(0.0, ms_to_seconds(rf->alerted - via->alerted)),
            ms_to_seconds(rf->alerted),
            "told at " + at_s(rf->alerted) + " (target " + whole(tg.max_value) + " s), " +
                std::to_string(rf->hops) + " hops: " + relay_chain(s, f, role) + "; " +
                s.roles[rf->alerted_by].id + " had the news since " + at_s(via->alerted));
    }
    if (t.runs_hit == 0) continue;

    Finding f = make_finding(c, FindingKind::indirect_link, s.roles[role].id, std::move(t));
    const Index via = most_frequent(relayers);
    f.text_vi = role_vi(s, role) +
                " không có liên lạc trực tiếp kịp thời: nhận tin qua trung gian (" +
                role_vi(s, via) + ") và muộn hơn mục tiêu " + whole(tg.max_value) + " giây trong " +
                pct(f.frequency) + " số lần chạy; tin nằm ở trung gian trung bình " +
                whole(f.cost_s) + " giây.";
    f.text_en = role_en(s, role) +
                " has no timely direct link: it learned through an "
                "intermediary (" +
                role_en(s, via) + ") later than the " + whole(tg.max_value) + " s target in " +
                pct(f.frequency) +
                " of runs; the news waited with the "
                "intermediary " +
                whole(f.cost_s) + " s on average.";
    out.push_back(std::move(f));
  }
}

enum class Silence : std::uint8_t { vacant, given_up, no_link, not_sent };

/// Roles the protocol involves (notify targets and rule owners) that never learned of a
/// detected incident. Cost: horizon − detection. Runs where the incident was never
/// detected are left out: nobody could be told, and detect_s already measures that.
void never_notified(const Ctx& c, std::vector<Finding>& out) {
  const Scenario& s = c.s;
  if (!c.protocol) return;
  std::vector<char> in_play(s.roles.size(), 0);
  for (const Rule& rule : c.protocol->rules) {
    in_play[rule.role] = 1;
    for (const Action& a : rule.actions)
      if (a.kind == ActionKind::notify && a.role != kNone) in_play[a.role] = 1;
  }
  for (std::size_t ri = 0; ri < s.roles.size(); ++ri) {
    if (!in_play[ri]) continue;
    const Index role = static_cast<Index>(ri);
    Tally t;
    std::map<Index, int> causes;
    for (int run = 0; run < c.runs; ++run) {
      const RunFacts& f = c.ir.facts[run];
      const RoleFact* rf = role_fact(f, role);
      if (!rf || rf->alerted != kNever || c.detected[run] == kNever) continue;
      const MessageFact *given_up = nullptr, *no_link = nullptr;
      for (const MessageFact& m : f.messages) {
        if (m.to_role != role) continue;
        if (m.given_up && !given_up) given_up = &m;
        if (m.link == kNone && !no_link) no_link = &m;
      }
      Silence why = Silence::not_sent;
      std::string ev = "never told: ";
      if (rf->vacant_when_needed) {
        why = Silence::vacant;
        ev += "nobody held the role when needed";
      } else if (given_up) {
        why = Silence::given_up;
        ev += "message from " + s.roles[given_up->from_role].id +
              (given_up->link != kNone ? " over link " + s.links[given_up->link].id : "") +
              " given up after " + std::to_string(given_up->attempts) + " attempts";
      } else if (no_link) {
        why = Silence::no_link;
        ev += "no comms link from " + s.roles[no_link->from_role].id;
      } else {
        ev += "nobody sent it a message";
      }
      ++causes[static_cast<Index>(why)];
      t.hit(run, std::max(0.0, ms_to_seconds(c.horizon - c.detected[run])),
            ms_to_seconds(c.end[run]), std::move(ev));
    }
    if (t.runs_hit == 0) continue;

    Finding f = make_finding(c, FindingKind::never_notified, s.roles[ri].id, std::move(t));
    static const char* const cause_vi[] = {"không có ai giữ vai trò này",
                                           "tin gửi đến bị bỏ dở sau nhiều lần thử không thành",
                                           "không có đường liên lạc đến vai trò này",
                                           "không ai gửi tin (chuỗi báo tin bị đứt ở trước)"};
    static const char* const cause_en[] = {
        "nobody held the role", "messages to it were given up after failed attempts",
        "no comms link reaches it", "nobody sent it a message (the chain broke upstream)"};
    const Index why = most_frequent(causes);
    f.text_vi = role_vi(s, role) + " không được báo tin trong " + pct(f.frequency) +
                " số lần chạy (nguyên nhân thường gặp: " + cause_vi[why] +
                "); trong những lần đó, vai trò này không biết sự việc suốt " + whole(f.cost_s) +
                " giây tính từ khi phát hiện đến hết thời gian mô phỏng.";
    f.text_en = role_en(s, role) + " was never told in " + pct(f.frequency) +
                " of runs (usual cause: " + cause_en[why] +
                "); in those runs it stayed unaware for " + whole(f.cost_s) +
                " s from detection to the end of the simulated period.";
    out.push_back(std::move(f));
  }
}

/// Tasks left unowned or unstaffed: the task never happened. Cost: horizon − detection
/// (undetected runs left out, as for never_notified).
void task_gaps(const Ctx& c, std::vector<Finding>& out) {
  const Scenario& s = c.s;
  if (!c.protocol) return;
  const std::vector<TaskDef>& defs = c.protocol->tasks;
  std::vector<Tally> unowned(defs.size()), unstaffed(defs.size());
  for (int run = 0; run < c.runs; ++run) {
    const RunFacts& f = c.ir.facts[run];
    if (c.detected[run] == kNever) continue;
    const double cost = std::max(0.0, ms_to_seconds(c.horizon - c.detected[run]));
    for (std::size_t i = 0; i < f.tasks.size(); ++i) {
      const TaskFact& tf = f.tasks[i];
      const Index ti = tf.task != kNone ? tf.task : static_cast<Index>(i);
      if (ti < 0 || static_cast<std::size_t>(ti) >= defs.size()) continue;
      const Index owner = defs[ti].owner;
      const RoleFact* of = role_fact(f, owner);
      const std::string& oid = s.roles[owner].id;
      if (tf.status == TaskStatus::unowned) {
        std::string ev = "unowned: owner " + oid;
        double t_s = ms_to_seconds(c.detected[run]);
        if (of && of->vacant_when_needed) {
          ev += " vacant when needed";
        } else if (!of || of->alerted == kNever) {
          ev += " never told";
        } else {
          ev += " told at " + at_s(of->alerted) + " but never acted";
          t_s = ms_to_seconds(of->alerted);
        }
        unowned[ti].hit(run, cost, t_s, std::move(ev));
      } else if (tf.status == TaskStatus::unstaffed) {
        const SimTime acted = of && of->started_acting != kNever ? of->started_acting
                              : tf.assigned != kNever            ? tf.assigned
                                                                 : c.detected[run];
        unstaffed[ti].hit(
            run, cost, ms_to_seconds(acted),
            "unstaffed: owner " + oid + " acted at " + at_s(acted) + "; no qualified member free");
      }
    }
  }
  for (std::size_t ti = 0; ti < defs.size(); ++ti) {
    const TaskDef& d = defs[ti];
    const std::string tvi = "“" + name_vi(d.name, d.id) + "”";
    const std::string ten = "“" + name_en(d.name_en, d.id) + "”";
    if (unowned[ti].runs_hit > 0) {
      Finding f = make_finding(c, FindingKind::unowned_task, d.id, std::move(unowned[ti]));
      f.text_vi =
          "Nhiệm vụ " + tvi + " không có người phụ trách trong " + pct(f.frequency) +
          " số lần chạy nên không được thực hiện (vai trò được giao: " + role_vi(s, d.owner) +
          "; vắng người hoặc không được báo tin).";
      f.text_en = "Task " + ten + " had no one in charge in " + pct(f.frequency) +
                  " of runs and was never done (owner: " + role_en(s, d.owner) +
                  ", vacant or never told).";
      out.push_back(std::move(f));
    }
    if (unstaffed[ti].runs_hit > 0) {
      Finding f = make_finding(c, FindingKind::unstaffed_task, d.id, std::move(unstaffed[ti]));
      const Index u = s.roles[d.owner].unit;
      const std::string n = std::to_string(d.members);
      const std::string skills = join(d.skills, ", ");
      f.text_vi = "Nhiệm vụ " + tvi + " không đủ người có chuyên môn trong " + pct(f.frequency) +
                  " số lần chạy nên không được thực hiện (cần " + n + " người đang rảnh";
      f.text_en = "Task " + ten + " was unstaffed in " + pct(f.frequency) +
                  " of runs and never done (it needs " + n + " free member" +
                  (d.members == 1 ? "" : "s");
      if (u != kNone) {
        f.text_vi += " của " + unit_vi(s, u);
        f.text_en += " of " + unit_en(s, u);
      }
      if (!skills.empty()) {
        f.text_vi += " có kỹ năng " + skills;
        f.text_en += " with skills " + skills;
      }
      f.text_vi += ").";
      f.text_en += ").";
      out.push_back(std::move(f));
    }
  }
}

/// The same unit ordered by two or more distinct roles in a run: duplicated when every
/// order sends it to the same place, conflicting otherwise. Cost per run: (orders − 1) ×
/// kNominalConfusionS, so impact = frequency × mean extra orders × 60 s.
void order_gaps(const Ctx& c, std::vector<Finding>& out) {
  const Scenario& s = c.s;
  std::vector<Tally> dup(s.units.size()), conflict(s.units.size());
  std::vector<std::vector<char>> dup_roles(s.units.size(), std::vector<char>(s.roles.size(), 0));
  std::vector<std::vector<char>> con_roles = dup_roles;
  for (int run = 0; run < c.runs; ++run) {
    const RunFacts& f = c.ir.facts[run];
    std::map<Index, std::vector<OrderFact>> by_unit;
    for (const OrderFact& o : f.orders)
      if (o.unit >= 0 && static_cast<std::size_t>(o.unit) < s.units.size() && o.role != kNone)
        by_unit[o.unit].push_back(o);
    for (auto& [u, orders] : by_unit) {
      std::stable_sort(orders.begin(), orders.end(),
                       [](const OrderFact& a, const OrderFact& b) { return a.t < b.t; });
      const OrderFact& first = orders.front();
      const OrderFact* other = nullptr;  ///< first order by a different role
      bool conflicting = false;
      for (const OrderFact& o : orders) {
        if (o.role == first.role) continue;
        if (!other) other = &o;
        for (const OrderFact& p : orders)
          if (p.role != o.role && p.destination != o.destination) conflicting = true;
      }
      if (!other) continue;
      std::vector<std::string> parts;
      for (std::size_t i = 0; i < orders.size() && i < 3; ++i)
        parts.push_back(s.roles[orders[i].role].id + " to " + node_id(s, orders[i].destination) +
                        " at " + at_s(orders[i].t));
      std::string ev = "ordered by " + join(parts, ", by ");
      if (orders.size() > 3) ev += " (+" + std::to_string(orders.size() - 3) + " more)";
      const double extra = static_cast<double>(orders.size() - 1);
      (conflicting ? conflict : dup)[u].hit(run, extra * kNominalConfusionS,
                                            ms_to_seconds(other->t), std::move(ev));
      for (const OrderFact& o : orders) (conflicting ? con_roles : dup_roles)[u][o.role] = 1;
    }
  }
  for (std::size_t ui = 0; ui < s.units.size(); ++ui) {
    const Index u = static_cast<Index>(ui);
    for (int pass = 0; pass < 2; ++pass) {
      const bool conflicting = pass == 1;
      Tally& t = conflicting ? conflict[ui] : dup[ui];
      if (t.runs_hit == 0) continue;
      std::vector<std::string> rvi, ren;
      const auto& mask = conflicting ? con_roles[ui] : dup_roles[ui];
      for (std::size_t r = 0; r < mask.size(); ++r)
        if (mask[r]) {
          rvi.push_back(role_vi(s, static_cast<Index>(r)));
          ren.push_back(role_en(s, static_cast<Index>(r)));
        }
      Finding f = make_finding(
          c, conflicting ? FindingKind::conflicting_orders : FindingKind::duplicated_dispatch,
          s.units[ui].id, std::move(t));
      const double extra = f.cost_s / kNominalConfusionS;
      const std::string note_vi = ", trung bình " + count_str(extra, true) +
                                  " lệnh thừa mỗi lần (giả định mỗi lệnh thừa mất " +
                                  whole(kNominalConfusionS) + " giây để xác minh lại).";
      const std::string note_en = ", " + count_str(extra, false) +
                                  " extra order(s) per run on average (each extra order is "
                                  "assumed to cost " +
                                  whole(kNominalConfusionS) + " s to sort out).";
      if (conflicting) {
        f.text_vi = unit_vi(s, u) + " nhận lệnh mâu thuẫn, bị điều đến những nơi khác nhau bởi " +
                    join(rvi, ", ") + ", trong " + pct(f.frequency) + " số lần chạy" + note_vi;
        f.text_en = unit_en(s, u) + " got conflicting orders, sent to different places by " +
                    join(ren, ", ") + ", in " + pct(f.frequency) + " of runs" + note_en;
      } else {
        f.text_vi = unit_vi(s, u) + " nhận lệnh điều động trùng lặp từ nhiều người (" +
                    join(rvi, ", ") + ") trong " + pct(f.frequency) + " số lần chạy" + note_vi;
        f.text_en = unit_en(s, u) + " was sent to the same place by several roles (" +
                    join(ren, ", ") + ") in " + pct(f.frequency) + " of runs" + note_en;
      }
      out.push_back(std::move(f));
    }
  }
}

/// Units that reached a destination and waited with no task: idle = min(busy_from, end)
/// − arrived, summed over the unit's arrivals in a run. Reported when the mean over the
/// runs with idle time is at least kIdleFloorS.
/// Members of a crowd's defender units at its gate node hold the gate: not idle.
/// Only units the protocol can give a task (the unit or a fallback unit of a task owner)
/// count: a unit the protocol only dispatches (to hold a gate, keep order) has no task to
/// wait for by design, and would otherwise read as idle until the run ends.
void idle_on_scene(const Ctx& c, std::vector<Finding>& out) {
  const Scenario& s = c.s;
  if (!c.protocol) return;
  std::vector<char> can_task(s.units.size(), 0);
  for (const TaskDef& d : c.protocol->tasks) {
    if (d.owner == kNone) continue;
    const Role& owner = s.roles[d.owner];
    if (owner.unit != kNone) can_task[owner.unit] = 1;
    for (Index u : owner.fallback_units) can_task[u] = 1;
  }
  std::vector<Tally> idle(s.units.size());
  for (int run = 0; run < c.runs; ++run) {
    const RunFacts& f = c.ir.facts[run];
    std::vector<double> total(s.units.size(), 0);
    std::vector<const ArrivalFact*> worst(s.units.size(), nullptr);
    std::vector<double> worst_s(s.units.size(), 0);
    for (const ArrivalFact& a : f.arrivals) {
      if (a.unit < 0 || static_cast<std::size_t>(a.unit) >= s.units.size()) continue;
      if (!can_task[a.unit]) continue;
      if (a.arrived == kNever || a.arrived >= c.end[run]) continue;
      // Defenders of a crowd's gate hold it by standing there: not idle.
      if (const auto& cd = c.inc.crowd;
          cd && a.node == cd->gate.node &&
          std::find(cd->gate.defender_units.begin(), cd->gate.defender_units.end(), a.unit) !=
              cd->gate.defender_units.end())
        continue;
      const SimTime until = std::min(a.busy_from, c.end[run]);
      if (until <= a.arrived) continue;
      const double d = ms_to_seconds(until - a.arrived);
      total[a.unit] += d;
      if (d > worst_s[a.unit]) worst_s[a.unit] = d, worst[a.unit] = &a;
    }
    for (std::size_t u = 0; u < s.units.size(); ++u) {
      if (!worst[u]) continue;
      const ArrivalFact& a = *worst[u];
      std::string ev =
          "arrived at " + node_id(s, a.node) + " at " + at_s(a.arrived) + "; no task until ";
      ev += a.busy_from < c.end[run] ? at_s(a.busy_from) : "the run ended at " + at_s(c.end[run]);
      idle[u].hit(run, total[u], ms_to_seconds(a.arrived), std::move(ev));
    }
  }
  for (std::size_t ui = 0; ui < s.units.size(); ++ui) {
    if (idle[ui].runs_hit == 0) continue;
    Finding f = make_finding(c, FindingKind::idle_on_scene, s.units[ui].id, std::move(idle[ui]));
    if (f.cost_s < kIdleFloorS) continue;
    const Index u = static_cast<Index>(ui);
    f.text_vi = unit_vi(s, u) + " đến nơi rồi phải chờ mà không có nhiệm vụ trong " +
                pct(f.frequency) + " số lần chạy, trung bình " + whole(f.cost_s) + " giây.";
    f.text_en = unit_en(s, u) + " arrived and waited with no task in " + pct(f.frequency) +
                " of runs, " + whole(f.cost_s) + " s on average.";
    out.push_back(std::move(f));
  }
}

/// Crowd complaints, from the run's KPIs: the gate gave way (cost: the time from the
/// breach to the end of the run, with the intruders in the evidence); the crowd reached
/// 5.55 /m², where "potentially dangerous crowd forces begin to develop" (Fruin's levels,
/// as charted in EPJ Data Science 2013, doi:10.1140/epjds17; cost 0: it is a hazard, not
/// a delay); people stood at the gate before any defender did (cost: how long before).
void crowd_outcomes(const Ctx& c, std::vector<Finding>& out) {
  if (!c.inc.crowd) return;
  const Scenario& s = c.s;
  auto col = [&](const std::string& name) -> std::size_t {
    for (std::size_t k = 0; k < c.ir.kpi_names.size(); ++k)
      if (c.ir.kpi_names[k] == name) return k;
    return c.ir.kpi_names.size();
  };
  const std::size_t kb = col("breach_fraction"), kt = col("breach_s"), ki = col("intruders_n"),
                    kd = col("peak_density_ppm2"), kc = col("first_at_gate_s"),
                    kg = col("first_defender_at_gate_s");
  auto val = [&](int run, std::size_t k) -> std::optional<double> {
    if (k >= c.ir.kpi_names.size()) return std::nullopt;
    return c.ir.values[static_cast<std::size_t>(run)][k];
  };
  Tally breach, dense, open;
  for (int run = 0; run < c.runs; ++run) {
    const double end_s = ms_to_seconds(c.end[run]);
    if (val(run, kb).value_or(0) > 0.5) {
      const double t = val(run, kt).value_or(end_s);
      breach.hit(run, std::max(0.0, end_s - t), t,
                 "the gate gave way at " + whole(t) + " s; " + whole(val(run, ki).value_or(0)) +
                     " people came in");
    }
    if (const auto d = val(run, kd); d && *d >= kDangerousDensity)
      dense.hit(run, 0.0, 0.0, "peak density " + fixed1(*d) + " /m²");
    if (const auto first = val(run, kc)) {
      const auto def = val(run, kg);
      if (!def || *def > *first)
        open.hit(run, (def ? *def : end_s) - *first, *first,
                 "first complainant at the gate at " + whole(*first) + " s; first defender " +
                     (def ? "at " + whole(*def) + " s" : "never"));
    }
  }
  const std::string gate = s.site.areas[static_cast<std::size_t>(c.inc.crowd->gate.area)]
                               .doors[static_cast<std::size_t>(c.inc.crowd->gate.door)]
                               .id;
  if (breach.runs_hit > 0) {
    Finding f = make_finding(c, FindingKind::gate_breached, gate, std::move(breach));
    f.text_vi = "Đám đông vượt qua cổng " + gate + " trong " + pct(f.frequency) +
                " số lần chạy; sau đó cổng bị mở trung bình " + whole(f.cost_s) +
                " giây đến hết lần chạy.";
    f.text_en = "The crowd broke through gate " + gate + " in " + pct(f.frequency) +
                " of runs; it then stood open " + whole(f.cost_s) +
                " s on average until the run ended.";
    out.push_back(std::move(f));
  }
  if (dense.runs_hit > 0) {
    Finding f = make_finding(c, FindingKind::dangerous_density, gate, std::move(dense));
    f.text_vi = "Mật độ đám đông tại cổng " + gate +
                " đạt 5,55 người/m² (mức bắt đầu nguy hiểm theo Fruin) trong " + pct(f.frequency) +
                " số lần chạy.";
    f.text_en = "The crowd at gate " + gate +
                " reached 5.55 people/m² (Fruin: dangerous crowd forces begin) in " +
                pct(f.frequency) + " of runs.";
    out.push_back(std::move(f));
  }
  if (open.runs_hit > 0) {
    Finding f = make_finding(c, FindingKind::gate_undefended, gate, std::move(open));
    f.text_vi = "Người khiếu kiện đến cổng " + gate +
                " trước khi có lực lượng bảo vệ nào ở đó trong " + pct(f.frequency) +
                " số lần chạy, sớm hơn trung bình " + whole(f.cost_s) + " giây.";
    f.text_en = "Complainants reached gate " + gate + " before any defender was there in " +
                pct(f.frequency) + " of runs, " + whole(f.cost_s) + " s ahead on average.";
    out.push_back(std::move(f));
  }
}

/// Fires, from the run's KPIs: an attack came but the fire was not controlled by the
/// in-house response (cost: from the first attack to control by the fire police, or to the
/// end of the run); people were still in a room when it became untenable (cost 0: a
/// hazard; the evidence gives how many).
void fire_outcomes(const Ctx& c, std::vector<Finding>& out) {
  if (!c.inc.fire) return;
  auto col = [&](const std::string& name) -> std::size_t {
    for (std::size_t k = 0; k < c.ir.kpi_names.size(); ++k)
      if (c.ir.kpi_names[k] == name) return k;
    return c.ir.kpi_names.size();
  };
  const std::size_t ka = col("first_attack_s"), kt = col("controlled_by_team_fraction"),
                    kc = col("controlled_s"), kh = col("peak_hrr_kw"), ke = col("exposed_n"),
                    kx = col("aset_s");
  auto val = [&](int run, std::size_t k) -> std::optional<double> {
    if (k >= c.ir.kpi_names.size()) return std::nullopt;
    return c.ir.values[static_cast<std::size_t>(run)][k];
  };
  Tally outgrew, exposed;
  for (int run = 0; run < c.runs; ++run) {
    const double end_s = ms_to_seconds(c.end[run]);
    if (const auto a = val(run, ka); a && val(run, kt).value_or(0) < 0.5) {
      const auto ctl = val(run, kc);
      outgrew.hit(run, std::max(0.0, ctl.value_or(end_s) - *a), *a,
                  "first attack at " + whole(*a) + " s did not control the fire (peak " +
                      whole(val(run, kh).value_or(0)) + " kW); " +
                      (ctl ? "controlled at " + whole(*ctl) + " s" : "not controlled"));
    }
    if (const auto e = val(run, ke); e && *e > 0)
      exposed.hit(run, 0.0, val(run, kx).value_or(0),
                  whole(*e) + " people still inside when a room became untenable");
  }
  const std::string origin = c.inc.fire->rooms[static_cast<std::size_t>(c.inc.fire->origin)].id;
  if (outgrew.runs_hit > 0) {
    Finding f = make_finding(c, FindingKind::fire_outgrew_first_attack, origin, std::move(outgrew));
    f.text_vi = "Lần chữa cháy đầu tiên vào đám cháy ở " + origin +
                " không khống chế được (đám cháy đã vượt quá khả năng phương tiện, hoặc "
                "lực lượng tại chỗ không dập được) trong " +
                pct(f.frequency) + " số lần chạy; đám cháy kéo dài thêm trung bình " +
                whole(f.cost_s) + " giây.";
    f.text_en = "The first attack on the fire in " + origin +
                " did not control it (beyond its means, or not by the in-house response) in " +
                pct(f.frequency) + " of runs; the fire went on " + whole(f.cost_s) +
                " s longer on average.";
    out.push_back(std::move(f));
  }
  if (exposed.runs_hit > 0) {
    Finding f = make_finding(c, FindingKind::occupants_exposed, origin, std::move(exposed));
    f.text_vi = "Còn người trong phòng khi phòng đó hết điều kiện an toàn (khói, nhiệt) trong " +
                pct(f.frequency) + " số lần chạy.";
    f.text_en = "People were still in a room when it became untenable (smoke, heat) in " +
                pct(f.frequency) + " of runs.";
    out.push_back(std::move(f));
  }
}

}  // namespace

// The summaries are not read: the detectors re-derive the targets that apply with
// targets_for, from the same scenario and KPI names, so they cannot disagree with them.
std::vector<Finding> detect_findings(const Scenario& s, const ExperimentResults& r,
                                     const std::vector<IncidentSummary>& /*sums*/) {
  std::vector<Finding> out;
  for (const IncidentRuns& ir : r.incidents) {
    if (ir.facts.empty() || ir.incident == kNone) continue;
    const Incident& inc = s.incidents[ir.incident];
    Ctx c{s,
          inc,
          ir,
          static_cast<int>(ir.facts.size()),
          horizon_of(s, ir.incident),
          {},
          {},
          inc.protocol != kNone ? &s.protocols[inc.protocol] : nullptr};
    for (const RunFacts& f : ir.facts) {
      const RoleFact* d = role_fact(f, inc.detected_by);
      SimTime detected = d ? d->alerted : kNever;
      // A fire has no detecting role: it is known when its first cue reaches anyone.
      if (inc.fire)
        for (const RoleFact& rf : f.roles)
          if (rf.hops == 0) detected = std::min(detected, rf.alerted);
      c.detected.push_back(detected);
      c.end.push_back(f.end > 0 ? f.end : c.horizon);
    }
    late_notification(c, out);
    unreliable_link(c, out);
    indirect_link(c, out);
    never_notified(c, out);
    task_gaps(c, out);
    order_gaps(c, out);
    idle_on_scene(c, out);
    crowd_outcomes(c, out);
    fire_outcomes(c, out);
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if (a.impact != b.impact) return a.impact > b.impact;
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.incident != b.incident) return a.incident < b.incident;
    return a.subject < b.subject;
  });
  return out;
}

}  // namespace hqdrill
