// Coordination facts of one run: what the gap detectors read. Small and always
// recorded (unlike the trace), so every run of an experiment can be analysed.
#pragma once

#include <vector>

#include "hqdrill/scenario.hpp"

namespace hqdrill {

/// One notification from one role to another over a comms link (all its attempts).
struct MessageFact {
  Index link = kNone;  ///< kNone: no link exists (the notify could not be sent at all)
  Index from_role = kNone, to_role = kNone;
  SimTime first_attempt = kNever;
  SimTime received = kNever;  ///< kNever: never got through
  SimTime acknowledged = kNever;
  int attempts = 0;
  int failures = 0;  ///< busy, no answer (vacant or asleep), lost
  bool given_up = false;
  SimTime last_attempt = kNever;  ///< start of the last attempt (the one that got through)
};

/// How a role first learned of the incident.
struct RoleFact {
  SimTime alerted = kNever;  ///< first receipt (detector: detection time)
  Index alerted_by = kNone;  ///< sending role; kNone for the detector
  int hops = -1;  ///< 0 = detector, 1 = told by the detector, 2 = by relay, ...; -1 never
  SimTime started_acting = kNever;
  bool vacant_when_needed = false;  ///< its rule should have started but nobody held it
};

enum class TaskStatus : std::uint8_t { pending, assigned, started, done, unowned, unstaffed };
const char* to_string(TaskStatus s);

struct TaskFact {
  Index task = kNone;  ///< into Protocol::tasks of the incident's protocol
  TaskStatus status = TaskStatus::pending;
  SimTime assigned = kNever, started = kNever, done = kNever;
  int members = 0;  ///< members put on it (may be fewer than the task asks for)
};

/// An order that sent a unit somewhere.
struct OrderFact {
  SimTime t = 0;
  Index role = kNone;  ///< who ordered
  Index unit = kNone;
  Index destination = kNone;
};

/// A group that reached its destination: how long it waited there with nothing to do.
struct ArrivalFact {
  Index unit = kNone;
  Index node = kNone;
  SimTime arrived = kNever;
  SimTime busy_from = kNever;  ///< when it started a task there; kNever: never (idle to horizon)
};

struct CommandFact {
  SimTime t = 0;
  Index role = kNone;  ///< who holds command from t on
};

struct RunFacts {
  std::vector<RoleFact> roles;  ///< per scenario role
  std::vector<MessageFact> messages;
  std::vector<TaskFact> tasks;  ///< per task of the incident's protocol
  std::vector<OrderFact> orders;
  std::vector<ArrivalFact> arrivals;
  std::vector<CommandFact> command;  ///< hand-overs in time order
  SimTime end = 0;                   ///< when the run stopped (horizon or quiet)
};

}  // namespace hqdrill
