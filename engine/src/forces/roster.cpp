#include "hqdrill/forces/roster.hpp"

#include <algorithm>

namespace hqdrill {

DayType day_type(const IncidentClock& clock, long long day) {
  if (std::find(clock.holiday_days.begin(), clock.holiday_days.end(), day) !=
      clock.holiday_days.end())
    return DayType::holiday;
  const long long wd = ((clock.start_weekday + day) % 7 + 7) % 7;
  return static_cast<DayType>(wd);
}

static bool on(DayMask m, DayType d) {
  return (m >> static_cast<int>(d)) & 1u;
}

bool shift_active(const Shift& s, const IncidentClock& clock, long long day, int minute) {
  if (s.from_min < s.to_min)
    return on(s.days, day_type(clock, day)) && minute >= s.from_min && minute < s.to_min;
  // Crosses midnight (or runs 24 h when from == to).
  return (on(s.days, day_type(clock, day)) && minute >= s.from_min) ||
         (on(s.days, day_type(clock, day - 1)) && minute < s.to_min);
}

CalendarTime calendar_time(const IncidentClock& clock, SimTime t) {
  const long long minutes = clock.start_minute_of_day + t / kMsPerMinute;
  return {minutes / 1440, static_cast<int>(minutes % 1440)};
}

std::vector<DutyHere> on_site(const Unit& u, const IncidentClock& clock, SimTime t) {
  const CalendarTime c = calendar_time(clock, t);
  std::vector<DutyHere> out;
  for (const Shift& s : u.shifts) {
    if (s.on_call || !shift_active(s, clock, c.day, c.minute_of_day)) continue;
    const Index post = s.post != kNone ? s.post : u.home;
    auto it =
        std::find_if(out.begin(), out.end(), [&](const DutyHere& d) { return d.post == post; });
    if (it == out.end())
      out.push_back({post, s.headcount});
    else
      it->headcount += s.headcount;
  }
  return out;
}

int on_site_count(const Unit& u, const IncidentClock& clock, SimTime t) {
  int n = 0;
  for (const DutyHere& d : on_site(u, clock, t)) n += d.headcount;
  return n;
}

int on_call_count(const Unit& u, const IncidentClock& clock, SimTime t) {
  const CalendarTime c = calendar_time(clock, t);
  int n = 0;
  for (const Shift& s : u.shifts)
    if (s.on_call && shift_active(s, clock, c.day, c.minute_of_day)) n += s.headcount;
  return n;
}

Index role_holder(const Scenario& s, Index role, const IncidentClock& clock, SimTime t) {
  const Role& r = s.roles[role];
  if (r.removed) return kNone;
  auto holds = [&](Index unit) {
    const Unit& u = s.units[unit];
    return on_site_count(u, clock, t) > 0 || on_call_count(u, clock, t) > 0;
  };
  if (holds(r.unit)) return r.unit;
  for (Index u : r.fallback_units)
    if (holds(u)) return u;
  return kNone;
}

bool role_held(const Scenario& s, Index role, const IncidentClock& clock, SimTime t) {
  return role_holder(s, role, clock, t) != kNone;
}

}  // namespace hqdrill
