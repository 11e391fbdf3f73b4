#include "hqdrill/forces/coverage.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdio>
#include <tuple>
#include <utility>

#include "hqdrill/forces/roster.hpp"

namespace hqdrill {

namespace {

constexpr int kMinutesPerDay = 24 * 60;
using Profile = std::array<int, kMinutesPerDay>;

/// The calendars under which day type `d` is checked, day 0 being the checked day: a
/// weekday after its previous weekday; a holiday after each of mon..sun.
std::vector<IncidentClock> calendars_for(DayType d) {
  std::vector<IncidentClock> out;
  if (d != DayType::holiday) {
    IncidentClock c;
    c.start_weekday = static_cast<int>(d);
    out.push_back(c);
    return out;
  }
  for (int prev = 0; prev < 7; ++prev) {
    IncidentClock c;
    c.start_weekday = (prev + 1) % 7;
    c.holiday_days = {0};
    out.push_back(c);
  }
  return out;
}

/// count(clock, minute) for every minute of day type `d`, the worst over its calendars.
template <class Count>
Profile worst_profile(DayType d, const Count& count) {
  Profile out;
  out.fill(INT_MAX);
  for (const IncidentClock& c : calendars_for(d))
    for (int m = 0; m < kMinutesPerDay; ++m)
      out[static_cast<std::size_t>(m)] = std::min(out[static_cast<std::size_t>(m)], count(c, m));
  return out;
}

/// Runs of equal headcount below `need`, appended as holes shaped like `proto`.
void append_holes(const Profile& p, int need, const CoverageHole& proto,
                  std::vector<CoverageHole>& out) {
  int m = 0;
  while (m < kMinutesPerDay) {
    const int have = p[static_cast<std::size_t>(m)];
    int end = m + 1;
    while (end < kMinutesPerDay && p[static_cast<std::size_t>(end)] == have) ++end;
    if (have < need) {
      CoverageHole h = proto;
      h.from_min = m;
      h.to_min = end;
      h.have = have;
      h.need = need;
      out.push_back(h);
    }
    m = end;
  }
}

bool has_skills(const Unit& u, const std::vector<std::string>& skills) {
  return std::all_of(skills.begin(), skills.end(), [&](const std::string& k) {
    return std::find(u.skills.begin(), u.skills.end(), k) != u.skills.end();
  });
}

SimTime at_minute(int m) {
  return static_cast<SimTime>(m) * kMsPerMinute;
}

// ------------------------------------------------------------ findings text

const char* const kDayVi[kDayTypeCount] = {"thứ Hai", "thứ Ba",  "thứ Tư",   "thứ Năm",
                                           "thứ Sáu", "thứ Bảy", "Chủ nhật", "ngày lễ"};
const char* const kDayEn[kDayTypeCount] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                           "Friday", "Saturday", "Sunday",    "holidays"};

std::string join_and(const std::vector<std::string>& items, const char* and_word) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? std::string(" ") + and_word + " " : ", ";
    out += items[i];
  }
  return out;
}

bool has_all_weekdays(const std::vector<DayType>& days) {
  return std::count_if(days.begin(), days.end(), [](DayType d) { return d != DayType::holiday; }) ==
         7;
}

bool has_holiday(const std::vector<DayType>& days) {
  return std::find(days.begin(), days.end(), DayType::holiday) != days.end();
}

/// Sorted day types as (first, last) runs of consecutive weekdays; a holiday is alone.
std::vector<std::pair<DayType, DayType>> day_runs(const std::vector<DayType>& days) {
  std::vector<std::pair<DayType, DayType>> out;
  for (DayType d : days) {
    if (!out.empty() && d != DayType::holiday &&
        static_cast<int>(d) == static_cast<int>(out.back().second) + 1)
      out.back().second = d;
    else
      out.push_back({d, d});
  }
  return out;
}

/// Day names with runs of three or more weekdays as a range ("thứ Hai đến thứ Sáu").
std::vector<std::string> day_names(const std::vector<DayType>& days, const char* const names[],
                                   const char* from_word, const char* to_word) {
  std::vector<std::string> out;
  for (const auto& [first, last] : day_runs(days)) {
    const int a = static_cast<int>(first), b = static_cast<int>(last);
    if (b - a >= 2) {
      out.push_back(std::string(from_word) + names[a] + " " + to_word + " " + names[b]);
    } else {
      for (int d = a; d <= b; ++d) out.push_back(names[d]);
    }
  }
  return out;
}

std::string days_vi(const std::vector<DayType>& days) {
  if (has_all_weekdays(days))
    return has_holiday(days) ? "hằng ngày, kể cả ngày lễ" : "hằng ngày trừ ngày lễ";
  if (days.size() == 1)
    return days[0] == DayType::holiday ? "ngày lễ"
                                       : std::string("ngày ") + kDayVi[static_cast<int>(days[0])];
  return "các ngày " + join_and(day_names(days, kDayVi, "từ ", "đến"), "và");
}

std::string days_en(const std::vector<DayType>& days) {
  if (has_all_weekdays(days))
    return has_holiday(days) ? "every day, holidays included" : "every day except holidays";
  return "on " + join_and(day_names(days, kDayEn, "", "to"), "and");
}

/// "mon–sun, holiday", "mon, tue", "sat".
std::string days_short(const std::vector<DayType>& days) {
  std::string out;
  for (const auto& [first, last] : day_runs(days)) {
    const int a = static_cast<int>(first), b = static_cast<int>(last);
    for (int d = a; d <= b; ++d) {
      if (d > a && b - a >= 2) {
        out += std::string("–") + to_string(last);
        break;
      }
      out += (out.empty() ? "" : ", ") + std::string(to_string(static_cast<DayType>(d)));
    }
  }
  return out;
}

/// Hours with at most two decimals, trailing zeros dropped, and the given decimal mark.
std::string hours(int minutes, char mark) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", minutes / 60.0);
  std::string h = buf;
  while (h.back() == '0') h.pop_back();
  if (h.back() == '.') h.pop_back();
  std::replace(h.begin(), h.end(), '.', mark);
  return h;
}

/// Holes of one subject with the same range and headcount, on several day types.
struct Group {
  int from_min = 0, to_min = 0, have = 0, need = 0;
  std::vector<DayType> days;
  int exposure_min() const { return (to_min - from_min) * static_cast<int>(days.size()); }
};

std::vector<Group> group_holes(const std::vector<CoverageHole>& holes) {
  std::vector<Group> groups;
  for (const CoverageHole& h : holes) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
      return std::tie(g.from_min, g.to_min, g.have, g.need) ==
             std::tie(h.from_min, h.to_min, h.have, h.need);
    });
    if (it == groups.end()) {
      groups.push_back({h.from_min, h.to_min, h.have, h.need, {}});
      it = groups.end() - 1;
    }
    it->days.push_back(h.day);
  }
  // Days within a group in calendar order; groups longest first, then as found.
  for (Group& g : groups) std::sort(g.days.begin(), g.days.end());
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    return a.exposure_min() > b.exposure_min();
  });
  return groups;
}

/// The words a sentence needs about one subject.
struct Wording {
  std::string subject_vi, subject_en;  ///< "Vọng gác Cổng chính", "Guard post Main gate"
  std::string short_vi, short_en;      ///< state for a single range: "không có người trực"
  std::string many_vi, many_en;        ///< state for several ranges: "thiếu người trực"
  std::string reason_vi, reason_en;    ///< appended after the ranges ("" for posts)
};

std::string range_vi(const Group& g) {
  return "từ " + format_hhmm(g.from_min) + " đến " + format_hhmm(g.to_min) + " " + days_vi(g.days) +
         " (cần " + std::to_string(g.need) + ", có " + std::to_string(g.have) + ")";
}

std::string range_en(const Group& g) {
  return "from " + format_hhmm(g.from_min) + " to " + format_hhmm(g.to_min) + " " +
         days_en(g.days) + " (needs " + std::to_string(g.need) + ", has " + std::to_string(g.have) +
         ")";
}

Finding make_finding(const std::string& subject, const Wording& w,
                     const std::vector<CoverageHole>& holes) {
  constexpr std::size_t kMaxEvidence = 5, kMaxRangesInText = 3;
  const std::vector<Group> groups = group_holes(holes);
  int total_min = 0;
  for (const Group& g : groups) total_min += g.exposure_min();

  Finding f;
  f.kind = FindingKind::coverage_hole;
  f.incident = "";
  f.subject = subject;
  f.frequency = 1;
  f.cost_s = 0;
  f.impact = total_min * 60.0;
  for (std::size_t i = 0; i < groups.size() && i < kMaxEvidence; ++i) {
    const Group& g = groups[i];
    f.evidence.push_back({-1, g.from_min * 60.0,
                          days_short(g.days) + " " + format_hhmm(g.from_min) + "–" +
                              format_hhmm(g.to_min) + ": " + std::to_string(g.have) + " of " +
                              std::to_string(g.need)});
  }

  if (groups.size() == 1) {
    f.text_vi = w.subject_vi + " " + w.short_vi + " " + range_vi(groups[0]) + w.reason_vi;
    f.text_en = w.subject_en + " " + w.short_en + " " + range_en(groups[0]) + w.reason_en;
    return f;
  }
  std::string vi = w.subject_vi + " " + w.many_vi + w.reason_vi + ": ";
  std::string en = w.subject_en + " " + w.many_en + w.reason_en + ": ";
  for (std::size_t i = 0; i < groups.size() && i < kMaxRangesInText; ++i) {
    vi += (i ? "; " : "") + range_vi(groups[i]);
    en += (i ? "; " : "") + range_en(groups[i]);
  }
  if (groups.size() > kMaxRangesInText) {
    const std::string more = std::to_string(groups.size() - kMaxRangesInText);
    vi += "; và " + more + " khoảng khác";
    en += "; and " + more + " more range" + (groups.size() - kMaxRangesInText > 1 ? "s" : "");
  }
  vi += " — tổng cộng " + hours(total_min, ',') + " giờ mỗi tuần";
  en += " — " + hours(total_min, '.') + " h a week in all";
  f.text_vi = vi;
  f.text_en = en;
  return f;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

/// "Vọng gác Cổng chính", unless the name already says what it is.
std::string labelled(const std::string& label, const std::string& label_lower,
                     const std::string& name) {
  if (starts_with(name, label) || starts_with(name, label_lower)) return name;
  return label + " " + name;
}

Wording post_wording(const Node& n) {
  std::string vi = "Vị trí", vi_lower = "vị trí", en = "Post", en_lower = "post";
  if (n.kind == NodeKind::guard_post) {
    vi = "Vọng gác", vi_lower = "vọng gác", en = "Guard post", en_lower = "guard post";
  } else if (n.kind == NodeKind::gate) {
    vi = "Cổng", vi_lower = "cổng", en = "Gate", en_lower = "gate";
  }
  const std::string name = n.name.empty() ? n.id : n.name;
  const std::string name_en = n.name_en.empty() ? name : n.name_en;
  Wording w;
  w.subject_vi = labelled(vi, vi_lower, name);
  w.subject_en = labelled(en, en_lower, name_en);
  w.short_vi = "không có người trực";
  w.short_en = "has nobody on duty";
  w.many_vi = "thiếu người trực";
  w.many_en = "is short of people on duty";
  return w;
}

Wording task_wording(const TaskDef& t) {
  const std::string name = t.name.empty() ? t.id : t.name;
  const std::string name_en = t.name_en.empty() ? name : t.name_en;
  std::string skills;
  for (const std::string& k : t.skills) skills += (skills.empty() ? "" : ", ") + k;
  Wording w;
  w.subject_vi = "Nhiệm vụ \"" + name + "\"";
  w.subject_en = "Task \"" + name_en + "\"";
  w.short_vi = w.many_vi = "không bố trí được người";
  w.short_en = w.many_en = "cannot be staffed";
  w.reason_vi = skills.empty() ? ", vì đơn vị giữ vai trò phụ trách không đủ người trực tại chỗ"
                               : ", vì đơn vị giữ vai trò phụ trách không đủ người có kỹ năng " +
                                     skills + " trực tại chỗ";
  w.reason_en = skills.empty() ? ", as the unit holding its owner role has too few members on site"
                               : ", as the unit holding its owner role has too few members with " +
                                     skills + " on site";
  return w;
}

}  // namespace

std::string format_hhmm(int minute_of_day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
  return buf;
}

std::vector<CoverageHole> post_coverage_holes(const Scenario& s) {
  std::vector<CoverageHole> out;
  for (std::size_t pi = 0; pi < s.posts.size(); ++pi) {
    const Post& post = s.posts[pi];
    if (!post.around_the_clock) continue;
    std::vector<const Shift*> here;  // the on-site shifts at this post, of any unit
    for (const Unit& u : s.units)
      for (const Shift& sh : u.shifts)
        if (!sh.on_call && (sh.post != kNone ? sh.post : u.home) == post.node) here.push_back(&sh);
    const auto count = [&](const IncidentClock& c, int m) {
      int n = 0;
      for (const Shift* sh : here)
        if (shift_active(*sh, c, 0, m)) n += sh->headcount;
      return n;
    };
    CoverageHole proto;
    proto.kind = CoverageHole::Kind::post;
    proto.post = static_cast<Index>(pi);
    proto.node = post.node;
    for (int d = 0; d < kDayTypeCount; ++d) {
      proto.day = static_cast<DayType>(d);
      append_holes(worst_profile(proto.day, count), post.min_headcount, proto, out);
    }
  }
  return out;
}

std::vector<CoverageHole> skill_coverage_holes(const Scenario& s) {
  std::vector<bool> used(s.protocols.size(), false);
  for (const Incident& inc : s.incidents)
    if (inc.protocol != kNone) used[static_cast<std::size_t>(inc.protocol)] = true;
  std::vector<CoverageHole> out;
  for (std::size_t pi = 0; pi < s.protocols.size(); ++pi) {
    if (!used[pi]) continue;
    const Protocol& pr = s.protocols[pi];
    for (std::size_t ti = 0; ti < pr.tasks.size(); ++ti) {
      const TaskDef& task = pr.tasks[ti];
      const auto count = [&](const IncidentClock& c, int m) {
        if (task.owner == kNone) return 0;
        const Index holder = role_holder(s, task.owner, c, at_minute(m));
        if (holder == kNone) return 0;
        const Unit& u = s.units[static_cast<std::size_t>(holder)];
        return has_skills(u, task.skills) ? on_site_count(u, c, at_minute(m)) : 0;
      };
      CoverageHole proto;
      proto.kind = CoverageHole::Kind::task;
      proto.protocol = static_cast<Index>(pi);
      proto.task = static_cast<Index>(ti);
      for (int d = 0; d < kDayTypeCount; ++d) {
        proto.day = static_cast<DayType>(d);
        append_holes(worst_profile(proto.day, count), task.members, proto, out);
      }
    }
  }
  return out;
}

std::vector<Finding> coverage_findings(const Scenario& s) {
  std::vector<Finding> out;
  // Holes come ordered by post (then task), so each subject's holes are contiguous.
  const auto posts = post_coverage_holes(s);
  for (std::size_t i = 0; i < posts.size();) {
    std::size_t j = i;
    while (j < posts.size() && posts[j].node == posts[i].node) ++j;
    const Node& n = s.site.nodes[static_cast<std::size_t>(posts[i].node)];
    out.push_back(
        make_finding(n.id, post_wording(n),
                     {posts.begin() + static_cast<long>(i), posts.begin() + static_cast<long>(j)}));
    i = j;
  }
  const auto tasks = skill_coverage_holes(s);
  for (std::size_t i = 0; i < tasks.size();) {
    std::size_t j = i;
    while (j < tasks.size() && tasks[j].protocol == tasks[i].protocol &&
           tasks[j].task == tasks[i].task)
      ++j;
    const TaskDef& t = s.protocols[static_cast<std::size_t>(tasks[i].protocol)]
                           .tasks[static_cast<std::size_t>(tasks[i].task)];
    out.push_back(
        make_finding(t.id, task_wording(t),
                     {tasks.begin() + static_cast<long>(i), tasks.begin() + static_cast<long>(j)}));
    i = j;
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    if (a.impact != b.impact) return a.impact > b.impact;
    return a.subject < b.subject;
  });
  return out;
}

}  // namespace hqdrill
