// Macroscopic evacuation model on a graph of rooms and links (the "macro" fidelity of
// the crowd model, for fast Monte Carlo): a time-stepped hydraulic model after the SFPE
// Handbook, with walking speeds from a fundamental diagram (Weidmann or SFPE).
//
// Rooms are reservoirs of whole people; links are doors, corridors or stairs. Each
// room sends its people along its shortest path (by length, precomputed) to the nearest
// exit. A step of dt, from t to t + dt, is (MacroModel::step):
//   1. discharge: each room with a route passes n = min(⌊credit⌋, population, space
//      left in the next room) people through its route link, where the link's credit
//      grows by Fs_max(k)·W_eff·dt each step (SFPE queue-dominated door flow; a link
//      banks at most one person's passage when idle). Queues form upstream of narrow
//      links because the rest stay in the room.
//   2. walk: the batch that passed walks the link's length at the speed for the density
//      of the source room at t, that density capped at the density of maximum flow
//      (a queue discharges at capacity, on the free-flow branch; without the cap a room
//      at jam density would never empty); no overtaking within a link (FIFO).
//   3. arrive: batches whose arrival time is ≤ t + dt join their destination room, or
//      are evacuated at an exit; the completion time is the exact arrival (ms) of the
//      last person at an exit.
// Mass is conserved exactly: populations, people on links and the evacuated are
// integers, and the fractional part of each link's flow is a capacity credit, not
// people. The model is deterministic (no RNG, fixed iteration order by index).
//
// Not modelled: walking inside a room to its door (the room is at its door: put the
// representative walk into the length of the link), pre-movement (start people later
// by other means), counter-flow, choice of exit by congestion, merging priorities
// beyond index order when a receiving room is full.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hqdrill/core/time.hpp"
#include "hqdrill/peds/fundamental.hpp"
#include "hqdrill/scenario.hpp"

namespace hqdrill::peds {

enum class LinkKind : std::uint8_t { door, corridor, stair };
enum class SpeedModel : std::uint8_t { weidmann, sfpe };

struct MacroRoom {
  std::string id;
  double area_m2 = 0;  ///< walkable floor area (> 0 unless an exit)
  int population = 0;  ///< people at the start (≥ 0)
  bool exit = false;   ///< a sink: people who reach it are out (area ignored)
};

struct MacroLink {
  std::string id;
  Index a = kNone, b = kNone;  ///< rooms; undirected, people flow towards the exit
  LinkKind kind = LinkKind::door;
  double clear_width_m = 0;  ///< > 0; stairs: measured between handrails if present
  double length_m = 0;       ///< walking length, > 0 (include the walk to the door)
  /// SFPE k in m/s; 0 = by kind: 1.40 for doors and corridors, 1.08 for stairs
  /// (the 7 in / 11 in stair). Weidmann speeds on stairs are scaled by k/1.40.
  double sfpe_k_mps = 0;
  /// Stair boundary: handrails on both sides (0.09 m each) instead of walls (0.15 m).
  bool handrails = false;
};

struct MacroNetwork {
  std::vector<MacroRoom> rooms;
  std::vector<MacroLink> links;
};

struct MacroSettings {
  SimTime dt_ms = 500;
  SimTime horizon_ms = 4 * 3600 * kMsPerSecond;  ///< run_macro stops here at the latest
  SpeedModel speed = SpeedModel::weidmann;
  WeidmannParams weidmann;
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
/// Fs_max(k)·W_eff, persons per second.
double link_capacity_pps(const MacroLink& l);

struct LinkStats {
  Index from = kNone, to = kNone;  ///< flow direction; kNone when no room routes over it
  int passed = 0;                  ///< people who entered the link
  double peak_flow_pps = 0;        ///< max over windows of passed/window
  int peak_queue = 0;              ///< max people left waiting in `from` after a discharge
};

struct MacroTrace {
  std::vector<SimTime> t_ms;
  std::vector<std::vector<int>> room_population;  ///< [sample][room]
};

struct MacroResult {
  SimTime completion_ms = kNever;  ///< last person out; kNever if someone is not out
  SimTime end_ms = 0;              ///< clock when the run stopped
  int initial = 0, evacuated = 0;
  int stranded = 0;  ///< people in rooms with no route to an exit
  std::vector<LinkStats> links;
  MacroTrace trace;
};

class MacroModel {
 public:
  /// Asserts validate(net, s) is empty.
  MacroModel(MacroNetwork net, MacroSettings s);

  void step();
  /// No one is walking and every room with a route is empty.
  bool done() const;

  SimTime now_ms() const { return now_ms_; }
  int population(Index room) const { return pop_[static_cast<std::size_t>(room)]; }
  int in_transit() const;
  int evacuated() const { return evacuated_; }
  int initial() const { return initial_; }
  int stranded() const;
  SimTime last_exit_ms() const { return last_exit_ms_; }
  /// The link room r leaves by, kNone for exits and rooms without a route.
  Index route(Index room) const { return route_[static_cast<std::size_t>(room)]; }
  /// Distance from room r to its exit along its route, m (+inf without a route).
  double distance_m(Index room) const { return dist_[static_cast<std::size_t>(room)]; }
  const std::vector<LinkStats>& link_stats() const { return stats_; }
  const MacroTrace& trace() const { return trace_; }

 private:
  struct Batch {
    SimTime arrive_ms;
    int people;
  };
  void route_all();
  double walk_speed_mps(Index link, Index from_room) const;
  void discharge();
  void arrive();
  void record();

  MacroNetwork net_;
  MacroSettings s_;
  SimTime now_ms_ = 0;
  int initial_ = 0, evacuated_ = 0;
  SimTime last_exit_ms_ = kNever;
  double flow_max_density_pm2_ = 0, hold_density_pm2_ = 0;
  std::vector<int> pop_;                     // per room
  std::vector<Index> route_;                 // per room
  std::vector<double> dist_;                 // per room
  std::vector<int> incoming_;                // per room: people walking towards it
  std::vector<double> credit_;               // per link, persons
  std::vector<double> capacity_;             // per link, persons per step
  std::vector<std::vector<Batch>> walking_;  // per link, FIFO (head index below)
  std::vector<std::size_t> head_;            // per link
  std::vector<std::vector<int>> window_;     // per link, ring of passes per step
  std::size_t window_pos_ = 0;
  std::vector<int> window_sum_;
  std::vector<LinkStats> stats_;
  MacroTrace trace_;
};

/// Runs until done() or the horizon.
MacroResult run_macro(const MacroNetwork& net, const MacroSettings& s = {});

/// SFPE hand calculation, queue-dominated: the time for `population` people to pass a
/// door of `clear_width_m`, N / (Fs_max(k)·W_eff), W_eff = clear width − 2·0.15 m.
double sfpe_door_flow_time_s(int population, double clear_width_m, double k_mps = kSfpeKLevel);

}  // namespace hqdrill::peds
