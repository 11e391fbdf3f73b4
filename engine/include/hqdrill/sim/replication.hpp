// One replication of one incident: a world with its own queue, clock and RNG streams
// (no globals, STYLE.md habit 7). A generic incident runs end to end:
//   detection → the protocol's rules (notify along comms links, dispatch own unit)
//   → units leave by roster availability → travel with re-routing → KPIs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hqdrill/scenario.hpp"
#include "hqdrill/sim/crowd.hpp"
#include "hqdrill/sim/facts.hpp"
#include "hqdrill/sim/fire_incident.hpp"
#include "hqdrill/sim/flood_incident.hpp"

namespace hqdrill {

enum class TraceKind : std::uint8_t {
  incident_started,      ///< node
  detected,              ///< role, node
  role_alerted,          ///< role (first time it learns of the incident), other_role = from
  role_acting,           ///< role starts its rule's actions
  role_vacant,           ///< role: nobody holds it when its rule should start
  role_waiting,          ///< role: its holder's people are all busy acting for other roles
  role_done,             ///< role finished its actions
  message_sent,          ///< link, role = from, other_role = to, attempt
  message_failed,        ///< link, attempt: busy, no answer (vacant), or lost
  message_received,      ///< link, role = from, other_role = to, attempt
  message_given_up,      ///< link: max_attempts reached
  message_acknowledged,  ///< link: the sender knows it arrived (read-back, runner back)
  message_no_link,       ///< role = from, other_role = to: no comms link (all cut)
  task_assigned,         ///< role (owner), task, unit, node
  task_unstaffed,        ///< role (owner), task: no free qualified member
  task_started,          ///< task, unit, node: the first members are at the task's node
  task_done,             ///< task
  command_taken,         ///< role takes command on scene
  dispatch_ordered,      ///< role, unit, node = destination, count = members requested (0 = all)
  unit_unavailable,      ///< unit, node: nobody on site and no callout
  unit_called_out,       ///< unit, group, node = where they come from, count
  unit_departed,         ///< unit, group, node = origin, count
  unit_blocked,          ///< unit, group, node = where it waits: no open route
  unit_arrived,          ///< unit, group, node = destination
  edge_closed,           ///< edge
  edge_opened,           ///< edge
  door_closed,           ///< node = area's node, count = area index, attempt = door index
  door_opened,           ///< as door_closed
  peds_all_out,          ///< count = people out
  fire_noticed,          ///< role told, count = FireCue, attempt = source (detector or room)
  alarm_sounded,         ///< the building alarm (fire incidents)
  means_fetched,         ///< unit, group, node, count = means index
  fire_attacked,         ///< unit, group, count = means index, attempt = 1 controlled, 0 not
  room_ignited,          ///< count = fire room
  room_flashover,        ///< count = fire room
  room_untenable,        ///< count = fire room, attempt = people in its area then
  typhoon_phase,         ///< count = 0 forecast, 1 warning, 2 landfall, 3 peak, 4 recession
  water_entered,         ///< count = flood cell (a building or basement)
  barrier_overtopped,    ///< count = flood link: its sandbag barrier failed
  power_cut,             ///< the grid failed
  power_restored,        ///< the grid came back
  window_broken,         ///< count = flood cell rain now falls into
  edge_flooded,          ///< edge, count = 0 passable, 1 too deep to drive, 2 too deep to walk
  work_abandoned,        ///< task: its barrier was overtopped before it was finished
};
const char* to_string(TraceKind k);

struct TraceEvent {
  SimTime t = 0;
  TraceKind kind = TraceKind::incident_started;
  Index role = kNone, other_role = kNone, link = kNone, unit = kNone, node = kNone, edge = kNone,
        group = kNone;
  Index task = kNone;
  int count = 0, attempt = 0;
};

/// A group of members of one unit moving together; waypoints are (time, node) at
/// departure and at each node reached.
struct Mover {
  Index unit = kNone;
  int members = 0;
  Index origin = kNone, destination = kNone;
  SimTime appears = 0;  ///< when it is placed at its origin (order or callout arrival)
  std::vector<std::pair<SimTime, Index>> waypoints;
};

struct Trace {
  std::vector<TraceEvent> events;
  std::vector<Mover> movers;
  /// Pedestrians, sampled every min(trace_sample, 1 s) while they move.
  std::vector<PedFrame> ped_frames;
  /// Every person of the incident's pedestrian groups (spawn, start, out, path).
  std::vector<PersonRecord> people;
  /// Fire incidents: the fire rooms, sampled like ped_frames while anything changes.
  std::vector<FireFrame> fire_frames;
  /// Flood incidents: the cells every sample_s.
  std::vector<FloodFrame> flood_frames;
};

/// The KPI names of an incident, in the order RunRecord::kpis uses:
/// detect_s, notified_<role>_s (roles in play in its protocol), on_scene_<unit>_s
/// (units its protocol dispatches), all_on_scene_s, task_<task>_done_s; with pedestrian
/// groups also peds_out_s (the last person out), peds_out_<group>_s and the measurement
/// KPIs; then a crowd complaint's KPIs (docs/design/crowd-complaint.md) or a fire's
/// (docs/results-format.md: detection_s ... peak_hrr_kw) or a flood's (warning_lead_s ...
/// site_isolated_s).
std::vector<std::string> kpi_names(const Scenario& s, Index incident);

/// How a fire incident's fire first became known (fire incidents only).
struct FireRunFacts {
  SimTime first_cue = kNever;
  FireCue cue = FireCue::detector;
  SimTime controlled = kNever;
  Index controlled_by = kNone;  ///< unit whose attack controlled it
};

struct RunRecord {
  std::vector<std::optional<double>> kpis;  ///< seconds; nullopt = did not happen
  RunFacts facts;                           ///< always filled
  std::optional<FireRunFacts> fire;         ///< fire incidents
  Trace trace;                              ///< filled only when asked for
  int messages_sent = 0, messages_failed = 0, messages_given_up = 0;
};

/// Runs replication `replication` of incident `incident`. Pure: the result depends only
/// on (scenario, incident, seed, replication).
RunRecord run_replication(const Scenario& s, Index incident, std::uint64_t seed,
                          std::uint64_t replication, bool record_trace);

/// Position of every mover at time t (for trace sampling): x, y in metres.
struct MoverPosition {
  Index mover = kNone;
  double x_m = 0, y_m = 0;
};
std::vector<MoverPosition> positions_at(const Site& site, const Trace& trace, SimTime t);

}  // namespace hqdrill
