// The replay model of hqdrill-viewer: a trace (docs/trace-format.md, read by
// hqdrill::io::read_trace) turned into time-indexed state that the renderer asks for at any
// playback time. No SFML here, so it is testable and benchmarkable on its own.
//
// Lookups at time t are binary searches over the frame times (upper_bound), never scans.
// Everything read from the trace is checked on the way in: a hostile trace gives a
// diagnostic, never a crash (STYLE.md habit 10).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hqdrill::viewer {

struct Vec2 {
  double x = 0, y = 0;
};
using Ring = std::vector<Vec2>;

struct Named {
  std::string id, name, name_en;
  /// The name in the language asked for, falling back to the other one, then the id.
  const std::string& label(bool english) const;
};

struct NodeV : Named {
  std::string kind, site;
  Vec2 pos;
  int floor = 0;
};
struct EdgeV {
  std::string id;
  int from = -1, to = -1;  ///< node indices
  double width_m = 0;
  bool closed_at_start = false;
  bool gate = false, door = false;
};
struct DoorV {
  std::string id;
  Vec2 a, b;
  bool gate = false;
  bool locked_at_start = false;
  int edge = -1;  ///< edge index when the door is tied to a site edge
};
struct AreaV : Named {
  std::string kind, fidelity;
  int node = -1;
  double area_m2 = 0;
  Ring outline;
  std::vector<Ring> holes;
  std::vector<DoorV> doors;
};
struct RoleV : Named {
  int unit = -1;
};
struct UnitV : Named {
  std::string kind, mode;
  int members = 0;
};
struct MoverV {
  int unit = -1;
  int members = 0;
  std::string origin, destination;
  double appears_s = 0;
};
struct FireRoomV : Named {
  int node = -1, area = -1;
  double height_m = 3;
};
struct FloodCellV : Named {
  std::string kind;
  double ground_m = 0, area_m2 = 0;
  int area = -1, node = -1;
  Ring outline;  ///< empty: drawn as a disc of side sqrt(area_m2) at the node
};
struct BarrierV {
  std::string id;
  int from = -1, to = -1;  ///< flood cell indices (-1 = outside / unknown)
  double crest_m = 0;
};

/// One timed line kept for the event log and the timeline, with what the log shows.
struct EventV {
  double t_s = 0;
  std::string type;
  std::string role, from, to, unit, node, link, channel, edge, room, cell, barrier, task, extra;
  int mover = -1;
  int attempt = 0;
  /// message_received: seconds since the first attempt of that message; else < 0.
  double delay_s = -1;
  /// A target on notified_<role>_s was missed by this message or alert (role is `late_role`).
  bool late = false;
  std::string late_role;
  double late_by_s = 0;
  bool mark = false;  ///< worth a mark on the timeline and a "next event" jump
};

/// A KPI of the run with its target when the results directory gave one.
struct KpiV {
  std::string name;
  std::optional<double> value;  ///< nullopt = did not happen in this run
  std::optional<double> target_max;
  bool met() const { return value && target_max && *value <= *target_max; }
};

/// A finding of findings.json with evidence in this run (a timeline mark).
struct FindingMark {
  double t_s = 0;
  std::string kind, subject, text_vi, text_en;
};

/// Sampled positions of movers (units on the move).
struct MoverSample {
  int mover = 0;
  float x = 0, y = 0;
};

/// Pedestrian frames, flattened: frame f's people are [offset[f], offset[f+1]).
struct PedFrames {
  std::vector<double> t_s;
  std::vector<std::size_t> offset{0};
  std::vector<std::uint32_t> id;
  std::vector<float> x, y;
  std::vector<std::uint8_t> state;  ///< PedState, kNone when the frame had no states
  std::vector<std::map<std::string, int>> area_counts;  ///< people per macro/micro area
  std::vector<int> on_edges, out;
};
/// Crowd-complaint states (trace `state`), in the order of the legend.
enum PedState : std::uint8_t {
  kWalking = 0,
  kGather,
  kBlock,
  kPush,
  kSitIn,
  kEnter,
  kRepresentative,
  kLeaving,
  kPedStateCount
};
const char* ped_state_name(int s);

struct FireRoomSample {
  float hrr_kw = 0, upper_c = 20, layer_m = 0;
  std::string state;
};
struct FloodSample {
  std::vector<float> depth_m;
  double stage_m = 0;
  std::vector<std::string> barriers;
};

/// A boolean that changes at event times (a door locked, an edge closed).
struct Toggle {
  bool initial = false;
  std::vector<std::pair<double, bool>> changes;  ///< time order
  bool at(double t_s) const;
};

class Replay {
 public:
  // Header.
  std::string file, scenario, label, incident_id, incident_name, incident_name_en, incident_node,
      incident_type, start_text;
  int run = -1;
  double horizon_s = 0, sample_s = 0, end_s = 0;
  std::vector<NodeV> nodes;
  std::vector<EdgeV> edges;
  std::vector<AreaV> areas;
  std::vector<RoleV> roles;
  std::vector<UnitV> units;
  std::vector<MoverV> movers;
  std::vector<KpiV> kpis;
  std::vector<FireRoomV> fire_rooms;
  std::vector<FloodCellV> flood_cells;
  std::vector<BarrierV> barriers;
  std::map<std::string, double> alarm_levels_m;  ///< "I", "II", "III"

  // Timed state.
  std::vector<EventV> events;  ///< time order
  std::vector<FindingMark> findings;
  std::vector<double> pos_t;  ///< position sample times
  std::vector<std::vector<MoverSample>> pos;
  PedFrames peds;
  bool has_ped_states = false;  ///< some person has a crowd state (legend)
  std::vector<double> fire_t;
  std::vector<std::vector<FireRoomSample>> fire;
  std::vector<double> flood_t;
  std::vector<FloodSample> flood;
  std::vector<Toggle> edge_closed;                     ///< per edge
  std::vector<std::vector<Toggle>> door_locked;        ///< per area, per door
  std::vector<std::vector<std::size_t>> mover_events;  ///< per mover, its event indices

  int node_index(const std::string& id) const;
  int unit_index(const std::string& id) const;
  int role_index(const std::string& id) const;
  int area_index(const std::string& id) const;

  /// Index of the last frame at or before t in `times` (-1 when t is before the first).
  static int frame_at(const std::vector<double>& times, double t_s);

  /// Mover positions at t, interpolated between the two samples around t.
  std::vector<MoverSample> movers_at(double t_s) const;
  /// The pedestrian frame shown at t (-1: none yet). Frames hold until the next one.
  int ped_frame_at(double t_s) const { return frame_at(peds.t_s, t_s); }
  /// Events up to and including t: [0, events_until(t)).
  std::size_t events_until(double t_s) const;
  /// The next marked event or finding strictly after t (nullopt when none).
  std::optional<double> next_mark_after(double t_s) const;
  std::optional<double> prev_mark_before(double t_s) const;
  /// What a mover is doing at t: its last event at or before t ("" when none).
  const EventV* mover_state(int mover, double t_s) const;
  /// The role that a unit's members act for (first role whose unit it is), or -1.
  int role_of_unit(int unit) const;
};

/// Targets (notified_<role>_s etc.) and findings from a results directory.
struct ResultsInfo {
  std::map<std::string, double> target_max_s;  ///< KPI name -> max
  std::vector<FindingMark> findings;           ///< of this incident and run
};

struct LoadResult {
  std::optional<Replay> replay;
  std::vector<std::string> errors;    ///< "FILE: line N: message"
  std::vector<std::string> warnings;  ///< shown but not fatal
};

/// Parse the text of a trace. `allow_partial`: replay a truncated trace up to its last
/// whole line instead of refusing it.
LoadResult load_trace_text(const std::string& text, const std::string& file_name,
                           bool allow_partial = false);
LoadResult load_trace_file(const std::string& path, bool allow_partial = false);

/// Apply targets and findings (results directory) to a loaded replay: KPI targets,
/// late messages, timeline marks.
void apply_results(Replay& r, const ResultsInfo& info);

/// What a command-line path names: a trace file, or a results directory (with the run and
/// incident to pick: the worst run of the first incident unless told).
struct TraceChoice {
  std::string trace_path;
  ResultsInfo results;
  std::string error;  ///< non-empty: cannot open
};
TraceChoice choose_trace(const std::string& path, std::optional<int> run,
                         const std::string& incident);

}  // namespace hqdrill::viewer
