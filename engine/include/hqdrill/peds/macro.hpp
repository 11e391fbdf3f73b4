// Macroscopic evacuation model on a graph of rooms and links (the "macro" fidelity of
// the crowd model, the fast twin for Monte Carlo): a time-stepped hydraulic model after
// the SFPE Handbook, with walking speeds from a fundamental diagram (Weidmann or SFPE).
//
// Rooms are reservoirs of whole people; links are doors, corridors or stairs; sinks are
// exits (people are out) or hand-off rooms (people are given back to the caller, e.g. to
// be spawned in a microscopic area). Where a person in a room is:
//   pending   released (pre-movement over) and walking inside the room to its door: a
//             person released at t_r with an in-room walk d reaches the door at
//             t_r + d / v_free (v_free = Weidmann v0, or the SFPE unimpeded speed
//             0.8564·k). Congestion inside the room is the door queue, not a slower walk
//             (a point-queue model);
//   queued    at the door of one of the room's exit links, waiting for its capacity;
//   held      ready but the room has no route (every way out closed): stranded.
// People arriving over a link are at once queued at the next room's door (the link's
// length includes the walk across that room).
//
// Routes. D(r) = shortest distance from r to a sink over open links (Dijkstra, link
// lengths; a sink starts at its beyond_m). A room's exit links are:
//   nearest  (default) the one link on its shortest path (ties to the lower index);
//   quickest every open link to a neighbour w with D(w) < D(r) (downhill, so no cycles).
//            A person joining the queues picks the link with the least estimated time
//               E(l) = len(l)/v_free + (q(l) + 1)/C(l) + T(w),
//               T(sink) = beyond_m/v_free,  T(r) = min over its exit links of
//                                             len(l)/v_free + q(l)/C(l) + T(w),
//            q(l) the people queued at l, C(l) its capacity in p/s: the estimate of
//            floor_field.hpp exit_cost_s (distance / v0 + queue / (specific flow × width),
//            SFPE hydraulic model), summed along the route. The choice is made once, on
//            joining; ties go to the lower link index.
// Closing a link (capacity 0) reroutes at once: people queued at a link that is no
// longer one of their room's exit links (or held) walk the room's in-room distance again
// from now and then choose among the new ones. People already on a link walk on.
//
// A step of dt, from t to t + dt, is (MacroModel::step):
//   1. discharge: each exit link l (rooms in index order, then links in index order)
//      passes n = min(⌊credit⌋, q(l), space left in the next room) people, where the
//      link's credit grows by C(l)·dt each step (queue-dominated door flow; an idle
//      link banks at most one person's passage). C(l) = Fs·W_eff: Fs the SFPE maximum
//      specific flow k/(4·0.266) (1.316 p/(s·m) on the level), or for doors the
//      calibrated MacroSettings::door_specific_flow_psm; W_eff the SFPE effective width.
//   2. walk: the batch walks the link's length at the speed for the density of the
//      source room at t, that density capped at the density of maximum flow (a queue
//      discharges at capacity, on the free-flow branch; without the cap a room at jam
//      density would never empty); no overtaking within a link and direction (FIFO).
//   3. settle at t + dt: due link events (open/close, then reroute), arrivals of
//      batches (join the next room's queues; at an exit they are evacuated, at a
//      hand-off they are reported in handoffs() with their exact arrival time), then
//      pending people who reached their door join the queues.
// The completion time is the exact arrival (ms) of the last person at a sink. Mass is
// conserved exactly (integers; the fractional part of a link's flow is capacity credit,
// not people). Deterministic: no RNG, fixed iteration order by index.
//
// Sources: SFPE Handbook of Fire Protection Engineering, "Employing the hydraulic model
// in assessing emergency movement" (Gwynne and Rosenbaum; after Nelson and MacLennan):
// S = k − 0.266·k·D, Fs = S·D, Fs_max = k/(4·0.266), effective width = clear width minus
// boundary layers; Weidmann (1993) v(ρ) = v0·[1 − exp(−γ(1/ρ − 1/ρmax))] (fundamental.hpp).
// The SFPE flow is a conservative design value. The social-force PedWorld (HFV 2000 as
// published) pushes 2.3 to 2.7 times as many people through a 1 m exit door over a whole
// evacuation (3.0–3.6 p/(s·m) of effective width, depending on its floor-field options;
// more in its steady middle part), so the macro twin of a micro area should use a
// calibrated door_specific_flow_psm: tests/test_peds_agreement.cpp measures it and shows
// the twin within ±20 % of the micro total times for 50–100 people per door (the SFPE
// default is 1.8–3.0 times slower).
//
// Not modelled: counter-flow on a link, merging priorities beyond index order when a
// receiving room is full, the pressure-driven rise of door flow with the crowd behind
// it, different in-room walks to different doors of one room.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "hqdrill/core/time.hpp"
#include "hqdrill/peds/fundamental.hpp"
#include "hqdrill/scenario.hpp"

namespace hqdrill::peds {

enum class LinkKind : std::uint8_t { door, corridor, stair };
enum class SpeedModel : std::uint8_t { weidmann, sfpe };
/// How people pick among a room's ways out (see the header comment).
enum class ExitChoice : std::uint8_t { nearest, quickest };

struct MacroRoom {
  std::string id;
  double area_m2 = 0;  ///< walkable floor area (> 0 unless a sink)
  int population = 0;  ///< people released at t = 0 (≥ 0; 0 for sinks)
  bool exit = false;   ///< a sink: people who reach it are out (area ignored)
  /// A sink whose arrivals are handed back to the caller (MacroModel::handoffs()) and
  /// counted in handed_off(), not evacuated (e.g. the entrance of a microscopic area).
  bool handoff = false;
  /// In-room walk of the people released in this room (its population and releases
  /// that do not give their own), from their places to the door, m: spread evenly from
  /// near to far (person i of n at near + (far − near)·(i + ½)/n). 0, 0 = at the door.
  double walk_near_m = 0, walk_far_m = 0;
  /// Sinks only: distance still to go beyond the sink, m (routing cost only; e.g. from
  /// a hand-off area's entrance to its exit). ≥ 0.
  double beyond_m = 0;

  bool sink() const { return exit || handoff; }
};

struct MacroLink {
  std::string id;
  Index a = kNone, b = kNone;  ///< rooms; undirected, people flow towards the exit
  LinkKind kind = LinkKind::door;
  double clear_width_m = 0;  ///< > 0; stairs: measured between handrails if present
  /// Walking length, > 0: from the door to the next room's door (the walk across the
  /// next room included).
  double length_m = 0;
  /// SFPE k in m/s; 0 = by kind: 1.40 for doors and corridors, 1.08 for stairs
  /// (the 7 in / 11 in stair). Weidmann speeds on stairs are scaled by k/1.40.
  double sfpe_k_mps = 0;
  /// Stair boundary: handrails on both sides (0.09 m each) instead of walls (0.15 m).
  bool handrails = false;
  bool open = true;  ///< at t = 0; a closed link passes no one
};

/// People who finish their pre-movement in `room` at ready_ms and then walk to its door.
struct MacroRelease {
  Index room = kNone;
  int people = 0;           ///< ≥ 0
  SimTime ready_ms = 0;     ///< ≥ 0; in MacroModel::add_people, earlier than now = now
  double walk_near_m = -1;  ///< < 0: the room's walk_near_m
  double walk_far_m = -1;   ///< < 0: the room's walk_far_m
};

/// Opens or closes a link at at_ms (applied at the first settle at or after it).
struct MacroLinkEvent {
  SimTime at_ms = 0;
  Index link = kNone;
  bool open = false;
};

struct MacroNetwork {
  std::vector<MacroRoom> rooms;
  std::vector<MacroLink> links;
  std::vector<MacroRelease> releases;       ///< pre-movement schedule, any order
  std::vector<MacroLinkEvent> link_events;  ///< any order; equal times in list order
};

struct MacroSettings {
  SimTime dt_ms = 500;
  SimTime horizon_ms = 4 * 3600 * kMsPerSecond;  ///< run_macro stops here at the latest
  SpeedModel speed = SpeedModel::weidmann;
  WeidmannParams weidmann;
  ExitChoice choice = ExitChoice::nearest;
  /// Specific flow of door links, persons per second per metre of SFPE effective width
  /// (clear width − 2·0.15 m). 0 = the SFPE maximum k/(4·0.266) = 1.316 p/(s·m) for
  /// k = 1.40 (the default, a conservative design value). Set a calibrated value to
  /// make the model the twin of a microscopic one (tests/test_peds_agreement.cpp
  /// measures PedWorld's). Corridors and stairs keep the SFPE value.
  double door_specific_flow_psm = 0;
  /// Window over which a link's flow is averaged for its peak (a multiple of dt).
  SimTime flow_window_ms = 10 * kMsPerSecond;
  /// Trace sampling interval (a multiple of dt); 0 = no trace.
  SimTime trace_every_ms = 5 * kMsPerSecond;
  /// A room accepts people while its population plus those walking towards it is below
  /// ⌊area·this⌋; 0 = the chosen model's jam density (Weidmann ρmax, SFPE 1/a).
  double max_room_density_pm2 = 0;
};

/// Errors in a network or settings, one sentence each; empty when it can run.
std::vector<std::string> validate(const MacroNetwork& net, const MacroSettings& s);

/// Derived per-link constants.
double link_k_mps(const MacroLink& l);
double link_effective_width_m(const MacroLink& l);
/// SFPE Fs_max(k)·W_eff, persons per second.
double link_capacity_pps(const MacroLink& l);
/// The capacity the model uses: link_capacity_pps, or for doors with a calibrated
/// door_specific_flow_psm, that value × W_eff.
double link_capacity_pps(const MacroLink& l, const MacroSettings& s);
/// Free (unimpeded) walking speed of the settings' speed model on the level, m/s.
double free_speed_mps(const MacroSettings& s);

struct LinkStats {
  Index from = kNone, to = kNone;  ///< last flow direction assigned; kNone if never used
  int passed = 0;                  ///< people who entered the link
  double peak_flow_pps = 0;        ///< max over windows of passed/window
  int peak_queue = 0;              ///< max people left queued at the link after a discharge
};

/// People who reached a hand-off sink: reported to the caller, who takes them over.
struct MacroHandoff {
  Index room = kNone;  ///< the hand-off sink
  Index link = kNone;  ///< the link they came by
  SimTime at_ms = 0;   ///< exact arrival (≤ now_ms() of the step that reports it)
  int people = 0;
};

struct MacroTrace {
  std::vector<SimTime> t_ms;
  std::vector<std::vector<int>> room_population;  ///< [sample][room]
};

struct MacroResult {
  SimTime completion_ms = kNever;  ///< last person at a sink; kNever if someone is not
  SimTime end_ms = 0;              ///< clock when the run stopped
  int initial = 0, evacuated = 0, handed_off = 0;
  int stranded = 0;  ///< people in rooms with no route to a sink
  std::vector<LinkStats> links;
  std::vector<MacroHandoff> handoffs;  ///< all of the run, in report order
  MacroTrace trace;
};

class MacroModel {
 public:
  /// Asserts validate(net, s) is empty.
  MacroModel(MacroNetwork net, MacroSettings s);

  void step();
  /// No one is walking, queued or pending in a room with a route, and no link event is
  /// left that could free people held in a room without one.
  bool done() const;

  // ---- coupling (between steps)
  /// Adds people to a room (not a sink): e.g. arrivals from a microscopic area at the
  /// current time, or a pre-movement release later on. ready_ms < now_ms() counts as now.
  void add_people(const MacroRelease& r);
  /// Adds one person per entry of walk_m (their in-room walks, m, ≥ 0), ready at ready_ms.
  void add_walkers(Index room, SimTime ready_ms, std::span<const double> walk_m);
  /// Opens or closes a link now; reroutes at once if it changed.
  void set_link_open(Index link, bool open);
  /// Changes a sink's beyond_m now (the way on from it changed); reroutes if it did.
  void set_beyond(Index sink, double beyond_m);
  bool link_open(Index link) const { return net_.links[static_cast<std::size_t>(link)].open; }
  /// Hand-off arrivals of the last step (or of construction, before the first step).
  const std::vector<MacroHandoff>& handoffs() const { return handoffs_; }

  // ---- state
  SimTime now_ms() const { return now_ms_; }
  /// Everyone in the room: pending, queued and held.
  int population(Index room) const { return pop_[static_cast<std::size_t>(room)]; }
  /// People queued at link l (on its upstream side).
  int queue(Index link) const { return queue_[static_cast<std::size_t>(link)]; }
  int in_transit() const;
  int evacuated() const { return evacuated_; }
  int handed_off() const { return handed_off_; }
  int initial() const { return initial_; }  ///< populations and network releases
  int added() const { return added_; }      ///< initial() and everyone added since
  int stranded() const;
  SimTime last_exit_ms() const { return last_exit_ms_; }  ///< last arrival at a sink
  /// The link on room r's shortest path, kNone for sinks and rooms without a route.
  Index route(Index room) const { return route_[static_cast<std::size_t>(room)]; }
  /// The links room r's people may leave by (see ExitChoice), in link index order.
  const std::vector<Index>& exit_links(Index room) const {
    return exits_[static_cast<std::size_t>(room)];
  }
  /// Distance from room r to a sink along its route, m (+inf without a route).
  double distance_m(Index room) const { return dist_[static_cast<std::size_t>(room)]; }
  const std::vector<LinkStats>& link_stats() const { return stats_; }
  const MacroTrace& trace() const { return trace_; }

 private:
  struct Batch {
    SimTime arrive_ms;
    int people;
  };
  struct Pending {
    SimTime door_ms;
    int people;
  };
  void route_all();
  void estimate_times();
  void release_stale();
  void assign(Index room, int n);
  void pend(Index room, SimTime ready_ms, double near_m, double far_m, int n);
  void sort_pending(Index room);
  void release_due();
  double walk_speed_mps(Index link, double density_pm2) const;
  void discharge();
  void settle();
  void arrive();
  void record();

  MacroNetwork net_;
  MacroSettings s_;
  SimTime now_ms_ = 0;
  int initial_ = 0, added_ = 0, evacuated_ = 0, handed_off_ = 0;
  SimTime last_exit_ms_ = kNever;
  double flow_max_density_pm2_ = 0, hold_density_pm2_ = 0, v_free_mps_ = 0;
  std::vector<MacroLinkEvent> events_;  // sorted by time, stable
  std::size_t next_event_ = 0;
  std::vector<int> pop_;                     // per room: everyone in it
  std::vector<int> held_;                    // per room: ready, no exit link
  std::vector<std::vector<Pending>> pend_;   // per room, sorted by door time
  std::vector<Index> route_;                 // per room
  std::vector<std::vector<Index>> exits_;    // per room: exit links
  std::vector<std::vector<Index>> adj_;      // per room: links, index order
  std::vector<double> dist_;                 // per room
  std::vector<double> est_s_;                // per room: T(r), quickest only
  std::vector<Index> by_dist_;               // rooms with a route, by increasing D
  std::vector<int> incoming_;                // per room: people walking towards it
  std::vector<int> queue_;                   // per link
  std::vector<Index> queue_room_;            // per link: the room its queue is in
  std::vector<double> credit_;               // per link, persons
  std::vector<double> capacity_;             // per link, persons per step
  std::vector<std::vector<Batch>> walking_;  // per link and direction (2l: a→b), FIFO
  std::vector<std::size_t> head_;            // per walking_ list
  std::vector<std::vector<int>> window_;     // per link, ring of passes per step
  std::size_t window_pos_ = 0;
  std::vector<int> window_sum_;
  std::vector<LinkStats> stats_;
  std::vector<MacroHandoff> handoffs_;
  MacroTrace trace_;
};

/// Runs until done() or the horizon.
MacroResult run_macro(const MacroNetwork& net, const MacroSettings& s = {});

/// SFPE hand calculation, queue-dominated: the time for `population` people to pass a
/// door of `clear_width_m`, N / (Fs_max(k)·W_eff), W_eff = clear width − 2·0.15 m.
double sfpe_door_flow_time_s(int population, double clear_width_m, double k_mps = kSfpeKLevel);

}  // namespace hqdrill::peds
