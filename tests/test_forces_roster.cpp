#include <catch2/catch.hpp>

#include "hqdrill/forces/roster.hpp"
#include "support.hpp"

using namespace hqdrill;

namespace {
constexpr DayMask bit(DayType d) {
  return static_cast<DayMask>(1u << static_cast<int>(d));
}
constexpr DayMask kWeekdays = bit(DayType::mon) | bit(DayType::tue) | bit(DayType::wed) |
                              bit(DayType::thu) | bit(DayType::fri);
SimTime hours(double h) {
  return static_cast<SimTime>(h * 3600 * 1000);
}
}  // namespace

TEST_CASE("a night shift that starts on Sunday covers Monday 02:00 but not Sunday 02:00",
          "[forces]") {
  Unit u;
  u.home = 0;
  u.shifts.push_back(test::shift(bit(DayType::sun), 22 * 60, 6 * 60, 1));
  IncidentClock sunday{6, 0, {}, ""};                   // Sunday 00:00
  CHECK(on_site_count(u, sunday, hours(2)) == 0);       // Sunday 02:00
  CHECK(on_site_count(u, sunday, hours(23)) == 1);      // Sunday 23:00
  CHECK(on_site_count(u, sunday, hours(24 + 2)) == 1);  // Monday 02:00
  CHECK(on_site_count(u, sunday, hours(24 + 6)) == 0);  // Monday 06:00: shift ended
}

TEST_CASE("working-hours staff are absent on a public holiday that falls on a weekday",
          "[forces]") {
  Unit u;
  u.home = 0;
  u.shifts.push_back(test::shift(kWeekdays, 7 * 60, 17 * 60, 10));
  IncidentClock monday{0, 8 * 60, {}, ""};
  IncidentClock holiday_monday{0, 8 * 60, {0}, ""};
  CHECK(day_type(holiday_monday, 0) == DayType::holiday);
  CHECK(day_type(holiday_monday, 1) == DayType::tue);
  CHECK(on_site_count(u, monday, 0) == 10);
  CHECK(on_site_count(u, holiday_monday, 0) == 0);
  CHECK(on_site_count(u, holiday_monday, hours(24)) == 10);  // Tuesday 08:00
}

TEST_CASE("the calendar rolls over days and weeks from the start time", "[forces]") {
  IncidentClock fri_22{4, 22 * 60, {}, ""};
  const auto c = calendar_time(fri_22, hours(3));  // Saturday 01:00
  CHECK(c.day == 1);
  CHECK(c.minute_of_day == 60);
  CHECK(day_type(fri_22, 1) == DayType::sat);
  CHECK(day_type(fri_22, 3) == DayType::mon);
  CHECK(day_type(fri_22, -1) == DayType::thu);
}

TEST_CASE("on-call members hold the role but are not on site", "[forces]") {
  Scenario s;
  test::add_node(s, "home", 0, 0);
  Unit u;
  u.id = "office";
  u.home = 0;
  u.members = 1;
  Shift sh = test::shift(test::kEveryDay, 17 * 60, 7 * 60, 1);
  sh.on_call = true;
  u.shifts.push_back(sh);
  s.units.push_back(u);
  test::add_role(s, "duty_leader", 0, 0);
  IncidentClock night{2, 23 * 60, {}, ""};
  CHECK(on_site_count(s.units[0], night, 0) == 0);
  CHECK(on_call_count(s.units[0], night, 0) == 1);
  CHECK(role_held(s, 0, night, 0));
  CHECK_FALSE(role_held(s, 0, night, hours(9)));  // Thursday 08:00: nobody on call
}

TEST_CASE("members of several shifts at the same post add up", "[forces]") {
  Unit u;
  u.home = 3;
  u.shifts.push_back(test::shift(test::kEveryDay, 6 * 60, 14 * 60, 2));
  u.shifts.push_back(test::shift(test::kEveryDay, 8 * 60, 12 * 60, 1));
  IncidentClock c{0, 9 * 60, {}, ""};
  const auto here = on_site(u, c, 0);
  REQUIRE(here.size() == 1);
  CHECK(here[0].post == 3);
  CHECK(here[0].headcount == 3);
}
