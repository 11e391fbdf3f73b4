// A pedestrian world: a walking model (PedWorldOptions::kind: the collision-free speed
// model, cfsm.hpp, by default, or the social-force model, social_force.hpp) walking agents
// down a floor field (floor_field.hpp) to the open exits of a set of walkable areas
// (geometry.hpp). Agents appear at a spawn time, wait a pre-movement delay, then walk;
// an agent is out when its centre leaves every area (through an open door) or comes
// within exit_tolerance_m of an open exit span; it then walks on, out of the exit, for
// exit_apron_m before it leaves the model. The nearest-exit field is a quickest-path field
// (congestion_interval_s). Doors open and close at scheduled times; the field and the
// model's walls are then rebuilt.
//
// Exits: by default every agent walks down one field to the nearest open exit. An agent
// may instead be given its exit (PedSpec::exit), or, with PedWorldOptions::choose_exits,
// pick among the exits by estimated time (floor_field.hpp choose_exit: walking time on
// that exit's own field plus the time to drain the persons queued ahead of it), again
// every exit_choice_interval_s. Per-exit fields are built only when used. Each record
// says which exit the agent left by.
//
// Areas with speed_factor != 1 (stairs) scale the desired speed of the agents inside
// them (OperationalModel::set_desired_speed when an agent crosses into an area of another
// factor).
//
// Clock: the model's integer microsecond clock (SocialForceModel::elapsed_us); spawn,
// start and door times are rounded to the microsecond and take effect at the first step
// that begins at or after them. Deterministic: no randomness, no threads, no printing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hqdrill/peds/cfsm.hpp"
#include "hqdrill/peds/floor_field.hpp"
#include "hqdrill/peds/geometry.hpp"
#include "hqdrill/peds/model.hpp"
#include "hqdrill/peds/social_force.hpp"
#include "hqdrill/peds/vec2.hpp"

namespace hqdrill::peds {

/// One pedestrian as given to PedWorld::add_agent.
struct PedSpec {
  Vec2 position;                    ///< Centre (m) at spawn.
  double desired_speed_mps = 1.34;  ///< v0 (Weidmann 1993 free walking speed).
  double radius_m = 0.2;            ///< Body radius (m).
  double spawn_time_s = 0.0;        ///< When the agent appears (s).
  double pre_movement_s = 0.0;      ///< Delay after spawn before it starts walking (s).
  /// Index into the world's exits this agent must use, or -1: the nearest open exit
  /// (or, with PedWorldOptions::choose_exits, the exit it chooses).
  int exit = -1;
};

/// An exit: the named door of areas[area] (its span is a goal of the floor field while
/// the door is open).
struct ExitRef {
  std::size_t area = 0;
  std::string door;
  /// Route beyond the door (m): added to the walking distance when agents choose among
  /// exits (choose_exits), so a door into a dead end or a long corridor counts as far.
  double extra_m = 0;
};

/// Opens or closes the named door of areas[area] at time_s.
struct DoorEvent {
  double time_s = 0.0;
  std::size_t area = 0;
  std::string door;
  bool open = false;
};

/// What happened to one agent; times in seconds, -1 if it has not happened.
struct AgentRecord {
  double spawn_s = -1.0;
  double start_s = -1.0;  ///< spawn + pre-movement: the first step it may walk.
  double exit_s = -1.0;
  double path_m = 0.0;  ///< Distance walked (sum of |x(t+dt) - x(t)|).
  /// Index into the world's exits of the exit it left by (the open exit span nearest to
  /// its centre when it went out), -1 while inside.
  int exit = -1;
};

struct PedWorldOptions {
  /// The walking model: the collision-free speed model (default: it walks Weidmann's
  /// fundamental diagram, so evacuation times follow measured speeds and flows) or the
  /// social-force model (contact forces: use it where crowd pressure is measured).
  ModelKind kind = ModelKind::cfsm;
  SocialForceParams model;
  CfsmParams cfsm;
  /// Floor field with a wall penalty: cells within 0.4 m of a wall cost 3x, so the
  /// field steers agents off walls instead of along them. Without it, an agent pushed
  /// along a wall towards an exit in that wall reads a direction slightly into the wall
  /// (first-order field error), presses into it, and at dt >= 0.02 s the explicit
  /// sliding friction (kappa g dt / m > 2 once the overlap g exceeds 2 m / (kappa dt))
  /// locks it there in a two-step cycle; RiMEA test 9 left agents stuck for minutes.
  FloorFieldOptions field{0.25, 0.4, 2.0};
  /// Quickest-path field (Kretz, Grosse, Hengst, Kautzsch, Pohlmann and Vortisch,
  /// "Quickest paths in simulations of pedestrians", Advances in Complex Systems 14(5)
  /// (2011) 733-759; Hartmann, "Adaptive pedestrian dynamics based on geodesics", New J.
  /// Phys. 12 (2010) 043032): every congestion_interval_s (s; 0 turns it off) the
  /// nearest-exit field is re-marched with v0 / v_Weidmann(rho) - 1 added to each cell's
  /// slowness (1, or 1 + the wall penalty), rho the density of agents (bilinear shares) in
  /// a square of about 2 congestion_radius_m side around the cell (walkable part only),
  /// v0 / v_Weidmann capped at congestion_max_slowness; below 0.3 /m^2 nothing changes. Why: a
  /// shortest-path field points everyone round a corner at its inner vertex; the collision-free
  /// speed model has no body forces to spread the converging stream, which packs at the inner wall
  /// to 3-4 /m^2 (where Weidmann's flow is a third of its maximum) and leaves most of the width
  /// empty (RiMEA 15: the corner took 125 s against 72 s for the long corridor). Weighting the
  /// field by the time lost in congestion sends the followers round the jam, using the width.
  /// Per-exit fields (assigned exits, choose_exits) stay static: choose_exits already counts
  /// queues.
  double congestion_interval_s = 1.0;
  double congestion_radius_m = 1.625;
  double congestion_max_slowness = 10.0;
  /// An agent whose centre is this close to an open exit span is out (m).
  double exit_tolerance_m = 0.05;
  /// An agent that is out (its exit time recorded) walks on at its desired speed,
  /// straight away from the exit line, until its centre is this far (m) beyond it, and
  /// only then leaves the model (0: it vanishes on the line). Why: an agent that vanishes
  /// on the door line stops being the one ahead of its follower, who then walks through
  /// the door at v0 with no gap to keep; a person leaving by a door walks on outside and
  /// the follower keeps its time gap, as through a door into a corridor. With the
  /// collision-free speed model the vanishing agents let a 1 m exit door pass about
  /// 2.6 p/s against 1.4 p/s through the same door into a corridor (tests/
  /// test_peds_agreement.cpp). 1.2 m: beyond l + v0 T = 0.4 + 1.34 x 0.55 = 1.14 m, the
  /// farthest an agent ahead can slow a follower in the CFSM (cfsm.hpp).
  double exit_apron_m = 1.2;
  /// Check every agent's move of every step against the walls (counts crossings and
  /// tracks the smallest centre-to-wall distance). Costs O(agents x walls) per step.
  bool check_walls = false;
  /// Agents without an assigned exit choose among the exits (choose_exit on per-exit
  /// fields) instead of walking to the nearest; they reconsider every
  /// exit_choice_interval_s (> 0).
  bool choose_exits = false;
  double exit_choice_interval_s = 1.0;
  /// Density of a crowd waiting at a dwell point: each agent sent there gets its own spot
  /// on a square lattice of spacing 1/sqrt(this) round the point, nearest free first
  /// [assumption: 1 /m², loose standing, below Fruin's 3.57 /m² of involuntary contact].
  double dwell_density_pm2 = 1.0;
  ExitChoiceParams exit_choice;
  /// Pressing agents (set_press) push straight at the gate within this distance (m).
  double press_reach_m = 3.0;
  /// Queue of an exit as seen by an agent: the agents within queue_radius_m of the exit
  /// span that are nearer to it (on its field) than the agent (m).
  double queue_radius_m = 4.0;
};

class PedWorld {
 public:
  PedWorld(std::vector<WalkableArea> areas, std::vector<ExitRef> exits,
           PedWorldOptions options = {});
  // The model's direction provider points into this object: neither copied nor moved.
  PedWorld(const PedWorld&) = delete;
  PedWorld& operator=(const PedWorld&) = delete;

  /// Adds an agent (spawned at once if its spawn time has come, else at that time).
  /// Returns its index into records().
  std::size_t add_agent(const PedSpec& spec);
  void schedule_door(DoorEvent event);
  /// Door events scheduled and not yet applied.
  bool door_events_pending() const { return next_event_ < events_.size(); }
  /// Changes ExitRef::extra_m of exit k (the route beyond it changed).
  void set_exit_extra(std::size_t k, double extra_m) { exits_[k].extra_m = extra_m; }

  /// One step of dt_s (> 0): due spawns and door events, the model step, exits.
  void step(double dt_s);
  /// Steps until every agent added is out or max_time_s is reached. True if all out.
  bool run(double dt_s, double max_time_s);

  std::int64_t time_us() const { return model_->elapsed_us(); }
  double time_s() const { return model_->elapsed_s(); }
  std::size_t size() const { return specs_.size(); }
  /// Agents added and not yet out (pending spawns included).
  std::size_t remaining() const { return remaining_; }
  const std::vector<AgentRecord>& records() const { return records_; }
  /// Latest exit time (s) if every agent is out, else -1.
  double evacuation_time_s() const;
  /// Current position of agent i (its spawn position until it spawns).
  Vec2 position(std::size_t i) const;
  /// Current velocity of agent i (m/s; zero until it spawns and after it is out).
  Vec2 velocity(std::size_t i) const;
  /// The exit agent i is heading for: its assigned or chosen exit, or -1 (nearest).
  int target_exit(std::size_t i) const { return target_[i]; }

  /// A place people walk to and stay at (a waiting area, the front of a gate): its id.
  /// Its floor field (a point goal) is built on first use and follows door changes.
  std::size_t add_dwell_point(Vec2 p);
  /// Sends agent i to dwell point k: it walks there, and near the waiting crowd claims the
  /// free spot nearest to it (a lattice at dwell_density_pm2 in the point's own area),
  /// stands there and is never
  /// counted out at an exit it passes; k = -1 sends it back to the exits.
  void set_dwell(std::size_t i, int k);
  int dwell(std::size_t i) const { return dwell_of_[i]; }

  /// A closed gate a crowd presses against: `span` (a door of the areas), `inward` the
  /// unit normal pointing through it away from the pushers, `approach` a point in front
  /// of it. Returns its id.
  std::size_t add_press_target(Segment span, Vec2 inward, Vec2 approach);
  /// Sends agent i to press against target k (-1: stop pressing, back to the exits or its
  /// dwell point): it walks down the approach point's field and, within press_reach_m of
  /// the span, straight at the span and through it (a closed gate holds it back; an open
  /// one lets it in). A pressing agent is never counted out at an exit it passes.
  void set_press(std::size_t i, int k);
  int press(std::size_t i) const { return press_of_[i]; }
  /// Changes agent i's desired speed v0 (m/s, > 0) from the next step on; the areas'
  /// speed factors still apply. 0 is allowed: the agent stands (a sit-in).
  void set_speed(std::size_t i, double v0_mps);
  /// Every agent added has spawned and started, nobody is walking off through an exit,
  /// no door event is pending, nobody presses, and every agent moves slower than
  /// v_eps_mps: stepping on would change nothing a client measures (a standing crowd).
  bool at_rest(double v_eps_mps) const;
  bool out(std::size_t i) const { return records_[i].exit_s >= 0; }

  /// With check_walls: moves that crossed a wall segment, and the smallest distance
  /// from any agent centre to any wall after any step (+infinity before the first).
  std::size_t wall_crossings() const { return wall_crossings_; }
  double min_wall_distance_m() const { return min_wall_distance_m_; }

  const OperationalModel& model() const { return *model_; }
  /// The social-force model when it is the walking model (for pressure), else nullptr.
  const SocialForceModel* social_force() const {
    return opt_.kind == ModelKind::social_force ? static_cast<const SocialForceModel*>(&*model_)
                                                : nullptr;
  }
  const std::vector<WalkableArea>& areas() const { return areas_; }
  /// The current field, or nullptr when no exit is open.
  const FloorField* field() const { return field_ ? &*field_ : nullptr; }

 private:
  void rebuild();
  void spawn_due();
  void claim_spot(std::size_t wi, Vec2 p);
  void choose_exits();
  void update_congestion();
  int area_at(Vec2 p) const;
  std::size_t add_model_agent(std::size_t wi, Vec2 position, Vec2 velocity, double v0_mps);

  std::vector<WalkableArea> areas_;
  std::vector<ExitRef> exits_;
  PedWorldOptions opt_;
  std::unique_ptr<OperationalModel> model_;
  std::optional<FloorField> field_;
  std::vector<Segment> exit_spans_;
  std::vector<int> exit_of_span_;   // exit index per entry of exit_spans_
  std::vector<Vec2> exit_outward_;  // unit normal of each exit span, away from its area
  // Per-exit fields (same order as exits_), built when some agent targets an exit.
  bool per_exit_fields_ = false;
  std::vector<std::optional<FloorField>> exit_fields_;
  bool any_speed_factor_ = false;
  std::int64_t next_choice_us_ = 0;
  bool choice_due_ = false;  // someone spawned or a door changed since the last choice
  std::int64_t next_congestion_us_ = 0;
  bool congested_ = false;                              // the field carries a congestion cost
  std::vector<double> cell_count_, cell_area_, extra_;  // update_congestion scratch
  std::vector<DoorEvent> events_;                       // sorted by time, stable
  std::size_t next_event_ = 0;

  std::vector<PedSpec> specs_;
  std::vector<AgentRecord> records_;
  std::vector<std::int64_t> spawn_us_, start_us_;
  std::vector<int> dwell_of_;              // per world index: dwell point, or -1
  std::vector<Vec2> spot_;                 // per world index: its spot at the dwell point
  std::vector<std::size_t> spot_index_;    // per world index: into spots_[its dwell point]
  std::vector<double> best_to_spot_;       // per world index: closest it has come to its spot
  std::vector<std::int64_t> progress_us_;  // per world index: when it last came closer
  std::vector<Vec2> dwell_points_;
  std::vector<std::vector<Vec2>> spots_;       // per dwell point: lattice spots made so far
  std::vector<std::vector<char>> spot_taken_;  // per dwell point and spot
  std::vector<int> spot_rings_;                // per dwell point: lattice rings made
  std::vector<int> spots_claimed_;             // per dwell point
  static constexpr std::size_t kNoSpot = static_cast<std::size_t>(-1);
  std::vector<std::optional<FloorField>> dwell_fields_;
  struct PressTarget {
    Segment span;
    Vec2 inward;
    std::size_t approach;  // its dwell point (the field walked down from afar)
  };
  std::vector<PressTarget> press_targets_;
  std::vector<int> press_of_;       // per world index: press target, or -1
  std::vector<int> target_;         // per world index: exit heading for, or -1
  std::vector<int> area_of_agent_;  // per world index: area whose factor applies, -1
  // Per world index: the direction an agent that is out walks off in, and the exit span
  // it walks away from (exit_apron_m).
  std::vector<Vec2> leave_dir_;
  std::vector<Segment> leave_span_;
  std::vector<std::size_t> model_index_;  // SIZE_MAX until spawned
  std::vector<std::size_t> world_index_;  // per model index
  std::vector<std::size_t> pending_;      // world indices not yet spawned
  std::size_t remaining_ = 0;

  std::size_t wall_crossings_ = 0;
  double min_wall_distance_m_;
};

}  // namespace hqdrill::peds
