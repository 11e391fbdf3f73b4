// Static coverage of the rosters over a week of day types (mon..sun and holiday): which
// hours leave a 24/24 post under its headcount, and which leave a protocol's task with
// nobody qualified on site. No simulation: the shifts are read minute by minute with the
// same rules the engine uses (shift_active, role_holder), so what is reported here is
// what a run at that hour would meet.
//
// Calendar conventions (shared with the validator's 24/24 warnings):
// - The part of a shift after midnight counts on the next day type (mon..sun follow each
//   other; sun is followed by mon).
// - A holiday may follow any weekday, so the holiday day type is checked after each of
//   mon..sun and reports the worst case: the smallest headcount any of them gives at
//   that minute. (A Monday holiday after a Sunday without a night shift is then short
//   in the early morning even if every other weekday's night shift spills into it.)
// - The day after a holiday is checked as the ordinary weekday it is, i.e. after its
//   ordinary previous weekday, not after the holiday's roster.
// Times are whole minutes, so a 15-minute handover gap (one shift ends 14:00, the next
// starts 14:15) is a hole of exactly 14:00–14:15.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hqdrill/analysis/findings.hpp"
#include "hqdrill/scenario.hpp"

namespace hqdrill {

/// A maximal range of minutes of one day type over which the headcount is constant and
/// below what is needed. Where the headcount changes inside a shortfall (e.g. 0 then 1
/// of 2), the shortfall is reported as consecutive holes, one per headcount.
struct CoverageHole {
  enum class Kind : std::uint8_t { post, task };
  Kind kind = Kind::post;
  Index post = kNone;      ///< post holes: into Scenario::posts
  Index node = kNone;      ///< post holes: the post's node
  Index protocol = kNone;  ///< task holes: into Scenario::protocols
  Index task = kNone;      ///< task holes: into Protocol::tasks
  DayType day = DayType::mon;
  int from_min = 0;  ///< first minute of the hole, 0..1439
  int to_min = 0;    ///< minute after its last one, 1..1440 (1440 = midnight, "24:00")
  int have = 0;      ///< people there / qualified members of the holder unit on site
  int need = 0;      ///< Post::min_headcount / TaskDef::members
};

/// Holes of every post declared around the clock (24/24): minutes of each day type where
/// the on-site headcount at the post node is below `min_headcount`. The headcount is
/// the sum over all units of the shifts whose post (default the unit's home) is that
/// node and that are not on call. Posts that are not 24/24 are not checked (their hours
/// are not in the scenario). Ordered by post, day type, then time.
std::vector<CoverageHole> post_coverage_holes(const Scenario& s);

/// Holes of every task of every protocol used by some incident: minutes of each day type
/// where the owner role's holder unit at that minute (as role_holder picks it: `unit`,
/// then `fallback_units`, first with someone on duty or on call) lacks one of the task's
/// skills or has fewer than the task's `members` on site. have = that unit's on-site
/// members when it has every skill, else 0; a vacant owner has 0. What a run then does
/// (replication.cpp, assign_task): with 0 < have < need the task starts short-handed;
/// with have = 0 it is unstaffed, unless the unit has a callout (members called in,
/// late) and the skills. Members busy with other roles' actions are not subtracted.
/// Ordered by protocol, task, day type, then time.
std::vector<CoverageHole> skill_coverage_holes(const Scenario& s);

/// "HH:MM" of a minute of the day; "24:00" for 1440.
std::string format_hhmm(int minute_of_day);

/// One coverage_hole finding per post node and per task with holes: incident "",
/// subject = post node id or task id, frequency 1, cost_s 0, and
///   impact = Σ over its holes of (to_min − from_min) × 60,
/// i.e. seconds of exposure per week of day types (mon..sun plus one holiday, each day
/// type counted once), so static findings rank by how long the gap stays open. Evidence
/// (run −1, t_s = start of the hole in seconds of the day) lists the ranges grouped by
/// time and headcount, longest first, at most 5, as "mon, tue 21:45–22:00: 0 of 1".
/// Findings are ordered by impact (descending), then subject.
std::vector<Finding> coverage_findings(const Scenario& s);

}  // namespace hqdrill
