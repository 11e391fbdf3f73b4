// Who is on duty when: shifts against the incident's calendar (weekday, clock time,
// public holidays), so 02:00 on a holiday differs from 09:00 on a Monday.
#pragma once

#include <vector>

#include "hqdrill/scenario.hpp"

namespace hqdrill {

/// Day type of day `day` (0 = the incident's start day; may be negative).
DayType day_type(const IncidentClock& clock, long long day);

/// Whether a shift covers minute `minute_of_day` of day `day`, counting the part after
/// midnight of a shift that started the day before.
bool shift_active(const Shift& s, const IncidentClock& clock, long long day, int minute_of_day);

/// Minute-resolution calendar position of simulated time `t`.
struct CalendarTime {
  long long day = 0;      ///< 0 = start day
  int minute_of_day = 0;  ///< 0..1439
};
CalendarTime calendar_time(const IncidentClock& clock, SimTime t);

struct DutyHere {
  Index post = kNone;
  int headcount = 0;
};

/// Members on duty at time t, on site, grouped by post in shift order (posts default to
/// the unit's home). On-call members are not on site.
std::vector<DutyHere> on_site(const Unit& u, const IncidentClock& clock, SimTime t);
int on_site_count(const Unit& u, const IncidentClock& clock, SimTime t);
int on_call_count(const Unit& u, const IncidentClock& clock, SimTime t);

/// The unit holding a role at time t: the first of its unit and fallback units with
/// someone on duty or on call; kNone when vacant (or removed for a knock-out).
Index role_holder(const Scenario& s, Index role, const IncidentClock& clock, SimTime t);

/// A role is held while one of its holder units has someone on duty or on call.
bool role_held(const Scenario& s, Index role, const IncidentClock& clock, SimTime t);

}  // namespace hqdrill
