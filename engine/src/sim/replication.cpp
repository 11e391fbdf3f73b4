#include "hqdrill/sim/replication.hpp"

#include <algorithm>
#include <cassert>
#include <limits>
#include <variant>

#include "hqdrill/core/event_queue.hpp"
#include "hqdrill/core/rng.hpp"
#include "hqdrill/forces/roster.hpp"
#include "hqdrill/sim/complaint.hpp"
#include "hqdrill/site/router.hpp"

namespace hqdrill {

const char* to_string(TraceKind k) {
  switch (k) {
    case TraceKind::incident_started:
      return "incident_started";
    case TraceKind::detected:
      return "detected";
    case TraceKind::role_alerted:
      return "role_alerted";
    case TraceKind::role_acting:
      return "role_acting";
    case TraceKind::role_vacant:
      return "role_vacant";
    case TraceKind::role_waiting:
      return "role_waiting";
    case TraceKind::role_done:
      return "role_done";
    case TraceKind::message_sent:
      return "message_sent";
    case TraceKind::message_failed:
      return "message_failed";
    case TraceKind::message_received:
      return "message_received";
    case TraceKind::message_given_up:
      return "message_given_up";
    case TraceKind::message_acknowledged:
      return "message_acknowledged";
    case TraceKind::message_no_link:
      return "message_no_link";
    case TraceKind::dispatch_ordered:
      return "dispatch_ordered";
    case TraceKind::unit_unavailable:
      return "unit_unavailable";
    case TraceKind::unit_called_out:
      return "unit_called_out";
    case TraceKind::unit_departed:
      return "unit_departed";
    case TraceKind::unit_blocked:
      return "unit_blocked";
    case TraceKind::unit_arrived:
      return "unit_arrived";
    case TraceKind::edge_closed:
      return "edge_closed";
    case TraceKind::edge_opened:
      return "edge_opened";
    case TraceKind::door_closed:
      return "door_closed";
    case TraceKind::door_opened:
      return "door_opened";
    case TraceKind::peds_all_out:
      return "peds_all_out";
    case TraceKind::fire_noticed:
      return "fire_noticed";
    case TraceKind::alarm_sounded:
      return "alarm_sounded";
    case TraceKind::means_fetched:
      return "means_fetched";
    case TraceKind::fire_attacked:
      return "fire_attacked";
    case TraceKind::room_ignited:
      return "room_ignited";
    case TraceKind::room_flashover:
      return "room_flashover";
    case TraceKind::room_untenable:
      return "room_untenable";
    case TraceKind::task_assigned:
      return "task_assigned";
    case TraceKind::task_unstaffed:
      return "task_unstaffed";
    case TraceKind::task_started:
      return "task_started";
    case TraceKind::task_done:
      return "task_done";
    case TraceKind::command_taken:
      return "command_taken";
    case TraceKind::typhoon_phase:
      return "typhoon_phase";
    case TraceKind::water_entered:
      return "water_entered";
    case TraceKind::barrier_overtopped:
      return "barrier_overtopped";
    case TraceKind::power_cut:
      return "power_cut";
    case TraceKind::power_restored:
      return "power_restored";
    case TraceKind::window_broken:
      return "window_broken";
    case TraceKind::edge_flooded:
      return "edge_flooded";
    case TraceKind::work_abandoned:
      return "work_abandoned";
  }
  return "?";
}

namespace {

/// A KPI time in seconds; nullopt when it did not happen.
std::optional<double> secs(SimTime t) {
  if (t == kNever) return std::nullopt;
  return ms_to_seconds(t);
}

/// Roles and units in play in an incident's protocol, in index order.
struct Cast {
  std::vector<Index> roles;  ///< detector, rule roles, notify targets, task owners
  std::vector<Index> units;  ///< units that dispatch actions move (by their roles' unit)
};

Cast cast_of(const Scenario& s, const Incident& inc) {
  std::vector<char> role_in(s.roles.size(), 0), unit_in(s.units.size(), 0);
  if (inc.detected_by != kNone) role_in[inc.detected_by] = 1;
  if (inc.protocol != kNone) {
    const Protocol& p = s.protocols[inc.protocol];
    for (const Rule& r : p.rules) {
      role_in[r.role] = 1;
      for (const Action& a : r.actions) {
        if (a.kind == ActionKind::notify) role_in[a.role] = 1;
        if (a.kind == ActionKind::dispatch) unit_in[s.roles[r.role].unit] = 1;
      }
    }
    for (const TaskDef& t : p.tasks) role_in[t.owner] = 1;
  }
  if (inc.fire) {
    // Who the fire's cues reach: the detectors' panel, the patrol, the occupants.
    for (const FireDetector& d : inc.fire->detectors) role_in[d.role] = 1;
    if (inc.fire->patrol) role_in[inc.fire->patrol->role] = 1;
    if (inc.fire->occupants_tell != kNone) role_in[inc.fire->occupants_tell] = 1;
  }
  Cast c;
  for (std::size_t i = 0; i < role_in.size(); ++i)
    if (role_in[i]) c.roles.push_back(static_cast<Index>(i));
  for (std::size_t i = 0; i < unit_in.size(); ++i)
    if (unit_in[i]) c.units.push_back(static_cast<Index>(i));
  return c;
}

bool has_skills(const Unit& u, const std::vector<std::string>& skills) {
  for (const auto& sk : skills)
    if (std::find(u.skills.begin(), u.skills.end(), sk) == u.skills.end()) return false;
  return true;
}

// Events of the world. Each names what happens; the handlers below are the stages.
struct Detect {};
struct RoleStarts {
  Index role;
};
struct Attempt {
  Index message;  ///< into RunFacts::messages
};
struct AttemptEnds {
  Index message;
  bool delivered;
};
struct Acknowledged {
  Index message;
};
struct Depart {
  Index group;
};
struct Hop {
  Index group;
  Index node;
};
struct TaskEnds {
  Index task;
};
struct TakeCommand {
  Index role;
};
struct EdgeChange {
  std::size_t index;  ///< into Incident::edge_events
};
struct DoorChange {
  std::size_t index;  ///< into Incident::door_events
};
struct PedStep {};
struct CrowdTick {};
struct Commit {
  std::size_t index;  ///< into Incident::commitments
  bool start;
};
struct FireTick {};
struct FireTold {
  std::size_t notice;  ///< into World::notices_
};
struct Alarm {};
struct Attack {
  Index group;
};
struct FloodTick {};
struct WorkDone {
  Index work;         ///< into FloodDef::works
  std::uint64_t gen;  ///< stale when the workforce changed since it was scheduled
};
struct Wind {
  std::size_t index;  ///< into FloodDef::wind
  bool ends;          ///< a fallen tree cleared
};
struct Phase {
  int phase;
};
using Event =
    std::variant<Detect, RoleStarts, Attempt, AttemptEnds, Acknowledged, Depart, Hop, TaskEnds,
                 TakeCommand, EdgeChange, DoorChange, PedStep, CrowdTick, Commit, FireTick,
                 FireTold, Alarm, Attack, FloodTick, WorkDone, Wind, Phase>;

/// Units whose members hold a crowd's gate, in the crowd's order (crowd incidents).
const std::vector<Index>& gate_units(const Incident& inc) {
  static const std::vector<Index> none;
  return inc.crowd ? inc.crowd->gate.defender_units : none;
}

class World {
 public:
  World(const Scenario& s, Index incident, std::uint64_t seed, std::uint64_t replication,
        bool record_trace)
      : s_(s),
        inc_(s.incidents[incident]),
        proto_(inc_.protocol != kNone ? &s.protocols[inc_.protocol] : nullptr),
        router_(s.site),
        cast_(cast_of(s, inc_)),
        record_(record_trace),
        horizon_(horizon_of(s, incident)),
        rng_detect_(make_stream(seed, replication, incident, "detect")),
        rng_reaction_(make_stream(seed, replication, incident, "reaction")),
        rng_comms_(make_stream(seed, replication, incident, "comms")),
        rng_turnout_(make_stream(seed, replication, incident, "turnout")),
        rng_travel_(make_stream(seed, replication, incident, "travel")),
        rng_tasks_(make_stream(seed, replication, incident, "tasks")),
        next_action_(s.roles.size(), 0),
        rule_of_(s.roles.size(), kNone),
        acting_unit_(s.roles.size(), kNone),
        acting_(s.units.size(), 0),
        waiting_(s.units.size()),
        committed_(s.units.size()),
        ordered_(s.units.size(), 0),
        called_out_(s.units.size(), 0),
        first_arrival_(s.units.size(), kNever) {
    facts().roles.resize(s.roles.size());
    if (!inc_.ped_groups.empty())
      crowd_.emplace(s, incident, make_stream(seed, replication, incident, "peds"));
    if (inc_.crowd) {
      complaint_.emplace(s, incident, make_stream(seed, replication, incident, "crowd"));
      at_gate_.assign(gate_units(inc_).size(), kNever);
    }
    if (inc_.fire) {
      fire_.emplace(s, incident, make_stream(seed, replication, incident, "fire"));
      for (const FireMeans& m : inc_.fire->means) means_left_.push_back(m.count);
      room_logged_.assign(inc_.fire->rooms.size(), 0);
    }
    if (inc_.flood) {
      flood_.emplace(s, incident);
      works_.resize(inc_.flood->works.size());
    }
    commitment_taken_.resize(inc_.commitments.size());
    if (proto_) {
      for (std::size_t i = 0; i < proto_->rules.size(); ++i)
        rule_of_[proto_->rules[i].role] = static_cast<Index>(i);
      for (std::size_t i = 0; i < proto_->tasks.size(); ++i)
        facts().tasks.push_back(TaskFact{static_cast<Index>(i)});
    }
  }

  RunRecord run() {
    log({.kind = TraceKind::incident_started, .node = inc_.node});
    // A fire is found by its detectors, patrols and occupants (FireTick), not by a delay.
    // A flood is known when the official warning reaches the site (after detect_s).
    const SimTime warned = inc_.flood ? inc_.flood->typhoon.warning : 0;
    if (fire_)
      q_.push(0, FireTick{});
    else
      q_.push(warned + seconds_to_ms(sample(inc_.detect_s, rng_detect_)), Detect{});
    if (flood_) {
      q_.push(0, FloodTick{});
      const TyphoonTimeline& ty = inc_.flood->typhoon;
      const SimTime phases[] = {ty.forecast, ty.warning, ty.landfall, ty.peak, ty.recession};
      for (int k = 0; k < 5; ++k)
        if (phases[k] != kNever) q_.push(phases[k], Phase{k});
      for (std::size_t i = 0; i < inc_.flood->wind.size(); ++i) {
        q_.push(inc_.flood->wind[i].at, Wind{i, false});
        if (inc_.flood->wind[i].until != kNever) q_.push(inc_.flood->wind[i].until, Wind{i, true});
      }
    }
    for (std::size_t i = 0; i < inc_.edge_events.size(); ++i)
      q_.push(inc_.edge_events[i].at, EdgeChange{i});
    for (std::size_t i = 0; i < inc_.door_events.size(); ++i)
      q_.push(inc_.door_events[i].at, DoorChange{i});
    if (crowd_) wake_crowd();
    if (complaint_) q_.push(0, CrowdTick{});
    for (std::size_t i = 0; i < inc_.commitments.size(); ++i) {
      q_.push(inc_.commitments[i].from, Commit{i, true});
      q_.push(inc_.commitments[i].to, Commit{i, false});
    }

    while (!q_.empty() && q_.next_time() <= horizon_) {
      auto e = q_.pop();
      std::visit([this](const auto& ev) { handle(ev); }, e.payload);
    }
    return finish();
  }

 private:
  SimTime now() const { return q_.now(); }
  RunFacts& facts() { return out_.facts; }

  void log(TraceEvent e) {
    if (!record_) return;
    e.t = now();
    out_.trace.events.push_back(e);
  }

  // ------------------------------------------------------------ detection and roles

  void handle(const Detect&) {
    detected_at_ = now();
    if (crowd_) {
      crowd_->alarm(now());
      wake_crowd();
    }
    log({.kind = TraceKind::detected, .role = inc_.detected_by, .node = inc_.node});
    alert(inc_.detected_by, kNone);
  }

  /// A role learns of the incident. Only the first time counts; if it has a rule in the
  /// protocol it starts acting after its reaction time.
  void alert(Index role, Index from) {
    if (role == kNone || facts().roles[role].alerted != kNever) return;
    RoleFact& f = facts().roles[role];
    f.alerted = now();
    f.alerted_by = from;
    f.hops = from == kNone ? 0 : facts().roles[from].hops + 1;
    log({.kind = TraceKind::role_alerted, .role = role, .other_role = from});
    if (rule_of_[role] == kNone) return;
    q_.push(now() + seconds_to_ms(sample(s_.roles[role].reaction_s, rng_reaction_)),
            RoleStarts{role});
  }

  /// People of a unit available to act for a role at time t (on site or on call).
  int people(Index unit) const {
    const Unit& u = s_.units[unit];
    return on_site_count(u, inc_.clock, now()) + on_call_count(u, inc_.clock, now());
  }

  void handle(const RoleStarts& e) {
    const Index holder = role_holder(s_, e.role, inc_.clock, now());
    if (holder == kNone) {
      facts().roles[e.role].vacant_when_needed = true;
      log({.kind = TraceKind::role_vacant, .role = e.role});
      return;
    }
    // Someone holding two roles acts for one at a time.
    if (acting_[holder] >= people(holder)) {
      log({.kind = TraceKind::role_waiting, .role = e.role, .unit = holder});
      waiting_[holder].push_back(e.role);
      return;
    }
    ++acting_[holder];
    acting_unit_[e.role] = holder;
    facts().roles[e.role].started_acting = now();
    log({.kind = TraceKind::role_acting, .role = e.role, .unit = holder});
    // The first command role to act takes command; higher ones take over on scene.
    if (commander_rank_ < 0 && command_rank(e.role) >= 0) handle(TakeCommand{e.role});
    next_action(e.role);
  }

  /// Runs the role's actions in order; a notify blocks the role until the message is
  /// acknowledged or given up; a dispatch or a task is an order given at once.
  void next_action(Index role) {
    const Rule& rule = proto_->rules[rule_of_[role]];
    while (next_action_[role] < rule.actions.size()) {
      const Action& a = rule.actions[next_action_[role]++];
      if (a.kind == ActionKind::dispatch) {
        dispatch(role, a);
        continue;
      }
      if (a.kind == ActionKind::task) {
        assign_task(role, a.task);
        continue;
      }
      if (notify(role, a.role)) return;  // resumes when the message is done
    }
    role_done(role);
  }

  void role_done(Index role) {
    log({.kind = TraceKind::role_done, .role = role});
    const Index holder = acting_unit_[role];
    --acting_[holder];
    if (!waiting_[holder].empty()) {
      const Index next = waiting_[holder].front();
      waiting_[holder].erase(waiting_[holder].begin());
      handle(RoleStarts{next});
    }
  }

  // ------------------------------------------------------------ messages

  Index link_between(Index from, Index to) const {
    for (std::size_t i = 0; i < s_.links.size(); ++i) {
      const CommsLink& l = s_.links[i];
      if (!l.removed && l.from_role == from && l.to_role == to) return static_cast<Index>(i);
    }
    return kNone;
  }

  /// Starts a notification; false when it cannot even be tried (no link left).
  bool notify(Index from, Index to) {
    MessageFact m;
    m.from_role = from;
    m.to_role = to;
    m.link = link_between(from, to);
    m.first_attempt = now();
    if (m.link == kNone) {
      m.given_up = true;
      facts().messages.push_back(m);
      log({.kind = TraceKind::message_no_link, .role = from, .other_role = to});
      return false;
    }
    facts().messages.push_back(m);
    handle(Attempt{static_cast<Index>(facts().messages.size() - 1)});
    return true;
  }

  /// One attempt: the channel delay passes, then the receiver answers (at once on site,
  /// later when on call off site), or the attempt fails: lost, a busy line (everyone
  /// holding the role is acting for another role), or nobody holds the role.
  void handle(const Attempt& e) {
    MessageFact& m = facts().messages[e.message];
    const CommsLink& l = s_.links[m.link];
    ++m.attempts;
    m.last_attempt = now();
    ++out_.messages_sent;
    log({.kind = TraceKind::message_sent,
         .role = l.from_role,
         .other_role = l.to_role,
         .link = m.link,
         .attempt = m.attempts});
    const SimTime arrive = now() + seconds_to_ms(sample(l.delay_s, rng_comms_));
    const bool lost = rng_comms_.next_double() < l.failure_probability;
    const Role& to = s_.roles[l.to_role];
    const Index holder = role_holder(s_, l.to_role, inc_.clock, arrive);
    bool delivered = !lost && holder != kNone;
    SimTime answered = arrive;
    if (delivered) {
      const Unit& u = s_.units[holder];
      const bool on_call = on_site_count(u, inc_.clock, arrive) == 0;
      // A phone line is busy while everyone holding the role is acting (on another call).
      const bool busy_line = l.channel == Channel::phone && acting_[holder] >= people(holder);
      delivered = !busy_line;
      const Distribution& pick_up =
          on_call && to.on_call_answer_s ? *to.on_call_answer_s : to.answer_s;
      answered += seconds_to_ms(sample(pick_up, rng_comms_));
    }
    q_.push(delivered ? answered : arrive, AttemptEnds{e.message, delivered});
  }

  void handle(const AttemptEnds& e) {
    MessageFact& m = facts().messages[e.message];
    const CommsLink& l = s_.links[m.link];
    if (e.delivered) {
      m.received = now();
      log({.kind = TraceKind::message_received,
           .role = l.from_role,
           .other_role = l.to_role,
           .link = m.link,
           .attempt = m.attempts});
      alert(l.to_role, l.from_role);
      if (l.ack_s) {
        q_.push(now() + seconds_to_ms(sample(*l.ack_s, rng_comms_)), Acknowledged{e.message});
        return;
      }
      handle(Acknowledged{e.message});
      return;
    }
    ++m.failures;
    ++out_.messages_failed;
    log({.kind = TraceKind::message_failed, .link = m.link, .attempt = m.attempts});
    if (m.attempts < l.max_attempts) {
      q_.push(now() + seconds_to_ms(sample(l.retry_s, rng_comms_)), Attempt{e.message});
      return;
    }
    m.given_up = true;
    ++out_.messages_given_up;
    log({.kind = TraceKind::message_given_up, .link = m.link, .attempt = m.attempts});
    next_action(m.from_role);
  }

  void handle(const Acknowledged& e) {
    MessageFact& m = facts().messages[e.message];
    m.acknowledged = now();
    if (s_.links[m.link].ack_s)
      log({.kind = TraceKind::message_acknowledged, .link = m.link, .attempt = m.attempts});
    next_action(m.from_role);
  }

  // ------------------------------------------------------------ dispatch, tasks, movement

  struct Group {
    Index unit;
    int members;
    Index at;  ///< current node
    Index destination;
    TravelProfile profile;
    Index task = kNone;       ///< the task it goes to do, if any
    bool dispatched = false;  ///< sent by a dispatch order (counts for on_scene_<unit>_s)
    bool blocked = false;
    bool arrived = false;
    Index arrival_fact = kNone;
    Index via = kNone;      ///< a node to pass first (fetching a means to fight a fire)
    Index means = kNone;    ///< fire incidents: the means it attacks with
    bool released = false;  ///< flood incidents: its work is over, its members went on
  };

  TravelProfile sample_profile(const Unit& u) {
    TravelProfile p;
    p.drives = u.mode == TravelMode::vehicle;
    const auto& foot = s_.mode_speed_mps[static_cast<int>(TravelMode::foot)];
    const auto& veh = s_.mode_speed_mps[static_cast<int>(TravelMode::vehicle)];
    if (p.drives) {
      p.vehicle_speed_mps = sample(u.speed_mps ? *u.speed_mps : veh, rng_travel_);
      p.traffic_factor = traffic_factor(now());
      p.foot_speed_mps = sample(foot, rng_travel_);
    } else {
      p.foot_speed_mps = sample(u.speed_mps ? *u.speed_mps : foot, rng_travel_);
    }
    // A speed must stay positive whatever the distribution's tail does.
    p.foot_speed_mps = std::max(p.foot_speed_mps, 0.05);
    p.vehicle_speed_mps = std::max(p.vehicle_speed_mps, 0.05);
    return p;
  }

  /// Road traffic when a vehicle is ordered out: the scenario's time-of-day factor (the
  /// product of every window in force), held for its whole trip.
  double traffic_factor(SimTime t) const {
    double f = 1.0;
    if (s_.traffic.empty()) return f;
    const CalendarTime c = calendar_time(inc_.clock, t);
    for (const TrafficWindow& w : s_.traffic) {
      Shift sh;
      sh.days = w.days;
      sh.from_min = w.from_min;
      sh.to_min = w.to_min;
      if (shift_active(sh, inc_.clock, c.day, c.minute_of_day)) f *= w.factor;
    }
    return f;
  }

  /// Mean speeds, for ranking where members should come from (no random draw).
  TravelProfile mean_profile(const Unit& u) const {
    TravelProfile p;
    p.drives = u.mode == TravelMode::vehicle;
    const auto& foot = s_.mode_speed_mps[static_cast<int>(TravelMode::foot)];
    const auto& veh = s_.mode_speed_mps[static_cast<int>(TravelMode::vehicle)];
    p.foot_speed_mps = (!p.drives && u.speed_mps) ? u.speed_mps->mean() : foot.mean();
    p.vehicle_speed_mps = (p.drives && u.speed_mps) ? u.speed_mps->mean() : veh.mean();
    return p;
  }

  Index new_group(Index unit, int members, Index origin, Index destination, SimTime appears,
                  Index task) {
    Group g{unit, members, origin, destination, sample_profile(s_.units[unit])};
    g.task = task;
    g.dispatched = task == kNone;
    if (is_attack(task)) pick_means(g);
    groups_.push_back(g);
    if (record_)
      out_.trace.movers.push_back(Mover{unit, members, origin, destination, appears, {}});
    return static_cast<Index>(groups_.size() - 1);
  }

  int committed_count(Index unit, Index post) const {
    for (const auto& [p, n] : committed_[unit])
      if (p == post) return n;
    return 0;
  }
  void commit(Index unit, Index post, int n) {
    for (auto& [p, m] : committed_[unit])
      if (p == post) {
        m += n;
        return;
      }
    committed_[unit].push_back({post, n});
  }

  /// Sends up to `wanted` (0 = all) free on-site members of `unit` to `dest`, nearest
  /// posts first; if nobody is on site, members are called in when the unit allows it.
  /// Returns how many were sent or called in.
  int send(Index unit, int wanted, Index dest, Index task) {
    const Unit& u = s_.units[unit];
    struct Source {
      Index post;
      int free;
      double time_s;
    };
    std::vector<Source> sources;
    const TravelProfile nominal = mean_profile(u);
    for (const DutyHere& d : on_site(u, inc_.clock, now())) {
      const int free = d.headcount - committed_count(unit, d.post);
      if (free <= 0) continue;
      auto r = router_.route(d.post, dest, nominal);
      sources.push_back({d.post, free, r ? r->time_s : 1e300});
    }
    std::stable_sort(sources.begin(), sources.end(),
                     [](const Source& x, const Source& y) { return x.time_s < y.time_s; });
    int left = wanted > 0 ? wanted : 1 << 30;
    int sent = 0;
    for (const Source& src : sources) {
      if (left <= 0) break;
      const int k = std::min(left, src.free);
      commit(unit, src.post, k);
      left -= k;
      sent += k;
      const Index g = new_group(unit, k, src.post, dest, now(), task);
      q_.push(now() + seconds_to_ms(sample(u.turnout_s, rng_turnout_)), Depart{g});
    }
    if (sent > 0) return sent;
    return call_in(unit, wanted > 0 ? wanted : u.members, dest, task);
  }

  /// Calls in up to `wanted` off-site members of `unit` (when it has a call-out) to
  /// `dest`; returns how many.
  int call_in(Index unit, int wanted, Index dest, Index task) {
    const Unit& u = s_.units[unit];
    if (!u.callout_s) return 0;
    // Off-site members: the unit's size less those on site and those already called in.
    const int off_site = u.members - on_site_count(u, inc_.clock, now()) - called_out_[unit];
    const int k = std::min(wanted, off_site);
    if (k <= 0) return 0;
    called_out_[unit] += k;
    const Index from = u.callout_from != kNone ? u.callout_from : u.home;
    const SimTime ready = now() + seconds_to_ms(sample(*u.callout_s, rng_turnout_));
    const Index g = new_group(unit, k, from, dest, ready, task);
    log({.kind = TraceKind::unit_called_out, .unit = unit, .node = from, .group = g, .count = k});
    q_.push(ready, Depart{g});
    return k;
  }

  /// A role sends its holder unit (by default its own unit) to a place.
  void dispatch(Index role, const Action& a) {
    const Index unit = acting_unit_[role];
    const Index dest = a.to_node != kNone ? a.to_node : inc_.node;
    log({.kind = TraceKind::dispatch_ordered,
         .role = role,
         .unit = unit,
         .node = dest,
         .count = a.members});
    facts().orders.push_back(OrderFact{now(), role, unit, dest});
    ordered_[unit] = 1;
    if (send(unit, a.members, dest, kNone) == 0)
      log({.kind = TraceKind::unit_unavailable, .unit = unit, .node = dest});
  }

  /// The owner starts a task: qualified members of its holder unit already idle at the
  /// task's node take it first; otherwise free members are sent there.
  void assign_task(Index role, Index task) {
    const TaskDef& t = proto_->tasks[task];
    TaskFact& f = facts().tasks[task];
    const Index unit = acting_unit_[role];
    const Index node = t.node != kNone ? t.node : inc_.node;
    if (!has_skills(s_.units[unit], t.skills)) {
      f.status = TaskStatus::unstaffed;
      log({.kind = TraceKind::task_unstaffed, .role = role, .unit = unit, .task = task});
      return;
    }
    f.status = TaskStatus::assigned;
    f.assigned = now();
    log({.kind = TraceKind::task_assigned,
         .role = role,
         .unit = unit,
         .node = node,
         .task = task,
         .count = t.members});
    // Members of the unit already at the task's node, or on their way there, take it
    // first: a second order must not strip a post that the first already answered.
    int staffed = 0;
    for (std::size_t i = 0; i < groups_.size() && staffed < t.members; ++i) {
      Group& g = groups_[i];
      if (g.unit != unit || g.destination != node || g.task != kNone) continue;
      g.task = task;
      if (is_attack(task) && !take_carried_means(g)) {  // it must fetch one first
        g.task = kNone;
        continue;
      }
      staffed += g.members;
      if (g.arrived) start_task(static_cast<Index>(i));
    }
    // A flood's works follow one another: members done with one go on to the next, and
    // off-site members are called in for what those on duty cannot staff.
    if (flood_ && staffed < t.members) staffed += send_free(unit, t.members - staffed, node, task);
    if (staffed < t.members) staffed += send(unit, t.members - staffed, node, task);
    if (flood_ && staffed < t.members && work_of(task) != kNone)
      staffed += call_in(unit, t.members - staffed, node, task);
    f.members = staffed;
    if (flood_ && staffed < t.members && work_of(task) != kNone) {
      pending_.push_back({task, unit, node});  // more hands when other works finish
      if (staffed == 0) return;
    }
    if (staffed == 0) {
      f.status = TaskStatus::unstaffed;
      log({.kind = TraceKind::task_unstaffed, .role = role, .unit = unit, .task = task});
    }
  }

  void start_task(Index gi) {
    Group& g = groups_[gi];
    if (g.arrival_fact != kNone) facts().arrivals[g.arrival_fact].busy_from = now();
    if (flood_) {
      if (const Index w = work_of(g.task); w != kNone) {
        start_work(gi, w);
        return;
      }
    }
    // Every group sent to attack a fire goes in (opening the fire's closed doors: air
    // rushes in) and brings its means into action after its setup time.
    if (fire_ && is_attack(g.task) && g.means != kNone) {
      fire_->open_doors(now());
      q_.push(now() + seconds_to_ms(sample(inc_.fire->means[g.means].setup_s, rng_tasks_)),
              Attack{gi});
    }
    TaskFact& f = facts().tasks[g.task];
    if (f.status != TaskStatus::assigned) return;  // started by an earlier group
    f.status = TaskStatus::started;
    f.started = now();
    log({.kind = TraceKind::task_started, .unit = g.unit, .node = g.at, .task = g.task});
    if (complaint_ && g.task == inc_.crowd->dialogue_task) {
      sync_complaint();
      complaint_->start_dialogue();
    }
    q_.push(now() + seconds_to_ms(sample(proto_->tasks[g.task].duration_s, rng_tasks_)),
            TaskEnds{g.task});
  }

  void handle(const TaskEnds& e) {
    TaskFact& f = facts().tasks[e.task];
    f.status = TaskStatus::done;
    f.done = now();
    log({.kind = TraceKind::task_done, .task = e.task});
    if (complaint_ && e.task == inc_.crowd->gate.closed_by_task) {
      sync_complaint();
      complaint_->set_gate_closed(true);
    }
    if (fire_ && e.task == inc_.fire->alarm_task) handle(Alarm{});
    if (flood_) work_finished(e.task);
  }

  void handle(const Depart& e) {
    Group& g = groups_[e.group];
    log({.kind = TraceKind::unit_departed,
         .unit = g.unit,
         .node = g.at,
         .group = e.group,
         .count = g.members});
    waypoint(e.group, g.at);
    step(e.group);
  }

  void waypoint(Index group, Index node) {
    if (record_) out_.trace.movers[group].waypoints.push_back({now(), node});
  }

  /// At a node: arrived, or take the next edge of the fastest open route from here.
  void step(Index gi) {
    Group& g = groups_[gi];
    if (g.via != kNone && g.at == g.via) {
      g.via = kNone;
      log({.kind = TraceKind::means_fetched,
           .unit = g.unit,
           .node = g.at,
           .group = gi,
           .count = g.means});
    }
    if (g.at == g.destination && g.via == kNone) {
      arrive(gi);
      return;
    }
    auto r = router_.route(g.at, g.via != kNone ? g.via : g.destination, g.profile);
    if (!r) {
      if (!g.blocked)
        log({.kind = TraceKind::unit_blocked, .unit = g.unit, .node = g.at, .group = gi});
      g.blocked = true;
      return;
    }
    g.blocked = false;
    const Edge& edge = s_.site.edges[r->edges.front()];
    // Water too deep to drive: the crew leaves the vehicle and goes on foot from here.
    if (g.profile.drives && router_.flooded(r->edges.front()) == 1) g.profile.drives = false;
    const double hop_s = edge.length_m / router_.speed_now_mps(r->edges.front(), g.profile);
    q_.push(now() + seconds_to_ms(hop_s), Hop{gi, r->nodes[1]});
  }

  void handle(const Hop& e) {
    groups_[e.group].at = e.node;
    waypoint(e.group, e.node);
    step(e.group);
  }

  void arrive(Index gi) {
    Group& g = groups_[gi];
    g.arrived = true;
    log({.kind = TraceKind::unit_arrived,
         .unit = g.unit,
         .node = g.at,
         .group = gi,
         .count = g.members});
    facts().arrivals.push_back(ArrivalFact{g.unit, g.at, now(), kNever});
    g.arrival_fact = static_cast<Index>(facts().arrivals.size() - 1);
    if (complaint_) crowd_arrival(g);
    if (g.task != kNone) start_task(gi);
    if (first_arrival_[g.unit] == kNever && g.dispatched) first_arrival_[g.unit] = now();
    if (fire_ && g.unit == inc_.fire->fire_police && fire_police_at_ == kNever)
      fire_police_at_ = now();
    claim_command(g.unit);
  }

  // ------------------------------------------------------------ command on scene

  int command_rank(Index role) const {
    if (!proto_) return -1;
    const auto& c = proto_->command;
    const auto it = std::find(c.begin(), c.end(), role);
    return it == c.end() ? -1 : static_cast<int>(it - c.begin());
  }

  /// A unit reaching the place it was sent to (the scene, or where the scene can be
  /// reached, e.g. the yard for a fire engine) brings its roles' authority: the highest
  /// command role it holds that is already acting takes over after the hand-over time.
  void claim_command(Index unit) {
    if (!proto_ || proto_->command.empty()) return;
    for (auto it = proto_->command.rbegin(); it != proto_->command.rend(); ++it) {
      const Index role = *it;
      if (command_rank(role) <= commander_rank_) return;
      if (facts().roles[role].started_acting == kNever) continue;
      if (role_holder(s_, role, inc_.clock, now()) != unit) continue;
      const SimTime delay =
          facts().command.empty() ? 0 : seconds_to_ms(sample(proto_->handover_s, rng_tasks_));
      q_.push(now() + delay, TakeCommand{role});
      return;
    }
  }

  void handle(const TakeCommand& e) {
    if (command_rank(e.role) <= commander_rank_) return;
    commander_rank_ = command_rank(e.role);
    facts().command.push_back(CommandFact{now(), e.role});
    log({.kind = TraceKind::command_taken, .role = e.role});
  }

  // ------------------------------------------------------------ the site changes

  void handle(const EdgeChange& e) {
    const EdgeEvent& ev = inc_.edge_events[e.index];
    set_edge(ev.edge, ev.closed);
    // A door tied to the edge closes and opens with it.
    for (std::size_t a = 0; a < s_.site.areas.size(); ++a)
      for (std::size_t d = 0; d < s_.site.areas[a].doors.size(); ++d)
        if (s_.site.areas[a].doors[d].edge == ev.edge)
          set_door(static_cast<Index>(a), static_cast<Index>(d), ev.closed);
  }

  void set_edge(Index edge, bool closed) {
    router_.set_closed(edge, closed);
    log({.kind = closed ? TraceKind::edge_closed : TraceKind::edge_opened, .edge = edge});
    if (closed) return;
    for (std::size_t i = 0; i < groups_.size(); ++i)
      if (groups_[i].blocked) step(static_cast<Index>(i));
  }

  void set_door(Index area, Index door, bool closed) {
    if (complaint_ && area == inc_.crowd->gate.area && door == inc_.crowd->gate.door) {
      sync_complaint();
      complaint_->set_gate_closed(closed);
    }
    log({.kind = closed ? TraceKind::door_closed : TraceKind::door_opened,
         .node = s_.site.areas[static_cast<std::size_t>(area)].node,
         .count = area,
         .attempt = door});
    if (!crowd_) return;
    // Bring the pedestrians up to now first, so the door changes at its own time.
    crowd_->advance(now() - now() % crowd_->period_ms());
    crowd_->set_door(area, door, closed);
    wake_crowd();
  }

  void handle(const DoorChange& e) {
    const DoorEvent& ev = inc_.door_events[e.index];
    set_door(ev.area, ev.door, ev.closed);
    const AreaDoor& d =
        s_.site.areas[static_cast<std::size_t>(ev.area)].doors[static_cast<std::size_t>(ev.door)];
    if (d.edge != kNone) set_edge(d.edge, ev.closed);
  }

  // ------------------------------------------------------------ pedestrians

  /// Starts the periodic pedestrian step if the crowd has something to do.
  void wake_crowd() {
    if (crowd_stepping_ || crowd_->idle()) return;
    crowd_stepping_ = true;
    const SimTime p = crowd_->period_ms();
    q_.push((now() + p - 1) / p * p, PedStep{});
  }

  void handle(const PedStep&) {
    crowd_->advance(now());
    if (record_ && now() >= next_frame_) {
      out_.trace.ped_frames.push_back(crowd_->frame());
      next_frame_ = now() + std::min<SimTime>(s_.run.trace_sample, kMsPerSecond);
    }
    if (crowd_->all_out() && peds_out_logged_ == false) {
      peds_out_logged_ = true;
      log({.kind = TraceKind::peds_all_out, .count = static_cast<int>(crowd_->people().size())});
    }
    if (crowd_->idle()) {
      crowd_stepping_ = false;
      if (record_) out_.trace.ped_frames.push_back(crowd_->frame());
      return;
    }
    q_.push(now() + crowd_->period_ms(), PedStep{});
  }

  // ------------------------------------------------------------ crowd complaints

  /// Brings the crowd up to now (its last whole step) before the response changes it.
  void sync_complaint() { complaint_->advance(now()); }

  void handle(const CrowdTick&) {
    sync_complaint();
    if (record_ && !crowd_ && now() >= next_frame_) {
      // A standing crowd is one frame, not one a second: frames that change nothing but
      // the clock are left out.
      PedFrame f = complaint_->frame();
      const auto& frames = out_.trace.ped_frames;
      const bool same = !frames.empty() && frames.back().person == f.person &&
                        frames.back().x == f.x && frames.back().y == f.y &&
                        frames.back().state == f.state &&
                        frames.back().area_count == f.area_count &&
                        frames.back().on_edges == f.on_edges && frames.back().out == f.out;
      if (!same) out_.trace.ped_frames.push_back(std::move(f));
      next_frame_ = now() + std::min<SimTime>(s_.run.trace_sample, kMsPerSecond);
    }
    if (complaint_->done()) {
      if (record_ && !crowd_) out_.trace.ped_frames.push_back(complaint_->frame());
      return;
    }
    q_.push(now() + kMsPerSecond, CrowdTick{});
  }

  /// A group reached its destination: defenders of the gate (or of a place) stand there;
  /// the first reinforcement at the gate or a place is on scene.
  void crowd_arrival(const Group& g) {
    const CrowdDef& cd = *inc_.crowd;
    const auto& units = gate_units(inc_);
    const auto it = std::find(units.begin(), units.end(), g.unit);
    if (it != units.end()) {
      sync_complaint();
      complaint_->add_defenders(g.at, g.members);
      const std::size_t k = static_cast<std::size_t>(it - units.begin());
      if (g.at == cd.gate.node && at_gate_[k] == kNever) at_gate_[k] = now();
      if (g.at == cd.gate.node && first_defender_ == kNever) first_defender_ = now();
    }
    if (!s_.units[g.unit].reinforcement || reinforced_ != kNever) return;
    bool scene = g.at == cd.gate.node || g.at == inc_.node;
    for (const CrowdGroup& grp : cd.groups)
      scene = scene || g.at == s_.site.areas[static_cast<std::size_t>(grp.area)].node;
    if (scene) reinforced_ = now();
  }

  /// Members of a unit leave their posts for another duty (escorting a delegation) and
  /// come back: while away they are committed, as if sent on a task.
  void handle(const Commit& e) {
    const Commitment& c = inc_.commitments[e.index];
    if (!e.start) {
      for (const auto& [post, n] : commitment_taken_[e.index]) commit(c.unit, post, -n);
      return;
    }
    int left = c.members;
    for (const DutyHere& d : on_site(s_.units[c.unit], inc_.clock, now())) {
      const int k = std::min(left, d.headcount - committed_count(c.unit, d.post));
      if (k <= 0) continue;
      commit(c.unit, d.post, k);
      commitment_taken_[e.index].push_back({d.post, k});
      left -= k;
    }
  }

  // ------------------------------------------------------------ fires

  bool is_attack(Index task) const {
    if (!fire_ || task == kNone) return false;
    const auto& a = inc_.fire->attack_tasks;
    return std::find(a.begin(), a.end(), task) != a.end();
  }

  bool usable_by(const FireMeans& m, const Group& g) const {
    auto in = [](const std::vector<Index>& v, Index x) {
      return v.empty() || std::find(v.begin(), v.end(), x) != v.end();
    };
    return in(m.units, g.unit) && in(m.tasks, g.task);
  }

  /// A means the unit carries (a fire engine's hose lines), if any is left.
  bool take_carried_means(Group& g) {
    if (g.means != kNone) return true;
    const auto& means = inc_.fire->means;
    for (std::size_t i = 0; i < means.size(); ++i) {
      if (means[i].node != kNone || means[i].units.empty() || !usable_by(means[i], g) ||
          means_left_[i] <= 0)
        continue;
      --means_left_[i];
      g.means = static_cast<Index>(i);
      return true;
    }
    return false;
  }

  /// The means a group sent to attack takes: one it carries, else the kept one (an
  /// extinguisher, a hose reel) that gets it to the fire soonest by way of the means'
  /// node (mean speeds, open routes now). None left: it goes without and can only watch.
  void pick_means(Group& g) {
    if (take_carried_means(g)) return;
    const auto& means = inc_.fire->means;
    const TravelProfile nominal = mean_profile(s_.units[g.unit]);
    double best = std::numeric_limits<double>::infinity();
    Index pick = kNone;
    for (std::size_t i = 0; i < means.size(); ++i) {
      const FireMeans& m = means[i];
      if (m.node == kNone || !usable_by(m, g) || means_left_[i] <= 0) continue;
      const auto a = router_.route(g.at, m.node, nominal);
      const auto b = router_.route(m.node, g.destination, nominal);
      if (!a || !b || a->time_s + b->time_s >= best) continue;
      best = a->time_s + b->time_s;
      pick = static_cast<Index>(i);
    }
    if (pick == kNone) return;
    --means_left_[static_cast<std::size_t>(pick)];
    g.means = pick;
    g.via = means[static_cast<std::size_t>(pick)].node;
  }

  void handle(const FireTick&) {
    std::vector<FireNotice> found;
    std::vector<Index> untenable;
    fire_->advance(now(), found, untenable);
    for (const FireNotice& n : found) {
      notices_.push_back(n);
      q_.push(std::max(n.told, now()), FireTold{notices_.size() - 1});
      if (n.sounds_alarm) q_.push(std::max(n.at, now()), Alarm{});
    }
    if (!untenable.empty()) rooms_untenable(untenable);
    const FireDef& f = *inc_.fire;
    for (std::size_t r = 0; r < f.rooms.size(); ++r) {
      const fire::NetRoomState& st = fire_->network().room(static_cast<int>(r));
      if (!(room_logged_[r] & 1) && st.ignited_s <= ms_to_seconds(now())) {
        room_logged_[r] |= 1;
        log({.kind = TraceKind::room_ignited, .count = static_cast<int>(r)});
      }
      if (!(room_logged_[r] & 2) && st.flashover_s <= ms_to_seconds(now())) {
        room_logged_[r] |= 2;
        log({.kind = TraceKind::room_flashover, .count = static_cast<int>(r)});
      }
    }
    if (record_ && now() >= next_fire_frame_) {
      out_.trace.fire_frames.push_back(fire_->frame());
      next_fire_frame_ = now() + s_.run.trace_sample;
    }
    if (fire_->settled()) {
      if (record_) out_.trace.fire_frames.push_back(fire_->frame());
      return;
    }
    q_.push(now() + fire_->step_ms(), FireTick{});
  }

  /// Rooms people use became untenable: whoever is still in them is exposed.
  void rooms_untenable(const std::vector<Index>& rooms) {
    PedFrame where;
    if (crowd_) {
      crowd_->advance(now() - now() % crowd_->period_ms());
      where = crowd_->frame();
    }
    for (Index r : rooms) {
      const Index area = inc_.fire->rooms[static_cast<std::size_t>(r)].area;
      int people = 0;
      if (crowd_ && area != kNone && static_cast<std::size_t>(area) < where.area_count.size())
        people = where.area_count[static_cast<std::size_t>(area)];
      exposed_ += people;
      log({.kind = TraceKind::room_untenable, .count = r, .attempt = people});
    }
  }

  void handle(const FireTold& e) {
    const FireNotice& n = notices_[e.notice];
    log({.kind = TraceKind::fire_noticed,
         .role = n.role,
         .count = static_cast<int>(n.cue),
         .attempt = n.source});
    if (detected_at_ == kNever) {
      detected_at_ = now();
      log({.kind = TraceKind::detected, .role = n.role, .node = inc_.node});
    }
    alert(n.role, kNone);
  }

  /// The building alarm sounds: occupants start their pre-movement.
  void handle(const Alarm&) {
    if (alarm_at_ != kNever) return;
    alarm_at_ = now();
    log({.kind = TraceKind::alarm_sounded, .node = inc_.node});
    if (!crowd_) return;
    crowd_->alarm(now());
    wake_crowd();
  }

  /// A group brings its means into action: the fire is controlled if its total HRR now is
  /// within what the means can put out (FireMeans::max_hrr_kw); otherwise they contain it
  /// and wait for more (a later attack may still succeed).
  void handle(const Attack& e) {
    const Group& g = groups_[e.group];
    const FireMeans& m = inc_.fire->means[static_cast<std::size_t>(g.means)];
    if (first_attack_ == kNever) first_attack_ = now();
    if (controlled_ != kNever) return;  // already put out: nothing left to attack
    const double q = fire_->hrr_at(now());
    const bool controls = q > 0 && q <= m.max_hrr_kw;
    log({.kind = TraceKind::fire_attacked,
         .unit = g.unit,
         .group = e.group,
         .count = g.means,
         .attempt = controls ? 1 : 0});
    if (!controls) return;
    fire_->suppress_all(now());
    controlled_ = now();
    controlled_by_ = g.unit;
  }

  // ------------------------------------------------------------ floods

  /// The flood work a protocol task is, or kNone.
  Index work_of(Index task) const {
    if (!flood_ || task == kNone) return kNone;
    const auto& w = inc_.flood->works;
    for (std::size_t i = 0; i < w.size(); ++i)
      if (w[i].task == task) return static_cast<Index>(i);
    return kNone;
  }

  /// Brings a work's amount done up to now at its current workforce.
  void progress(Index w) {
    WorkRun& r = works_[w];
    const FloodWork& def = inc_.flood->works[w];
    if (!r.finished && !r.abandoned && r.people > 0)
      r.done = std::min(def.amount, r.done + r.people * def.per_person_hour *
                                                 ms_to_seconds(now() - r.last) / 3600.0);
    r.last = now();
  }

  /// Work over workforce: `amount` at `per_person_hour` per person present; the end moves
  /// whenever people join.
  void schedule_work(Index w) {
    WorkRun& r = works_[w];
    const FloodWork& def = inc_.flood->works[w];
    ++r.gen;
    if (r.people <= 0) return;
    const double left_h = (def.amount - r.done) / (r.people * def.per_person_hour);
    q_.push(now() + std::max<SimTime>(1, seconds_to_ms(left_h * 3600.0)), WorkDone{w, r.gen});
  }

  void start_work(Index gi, Index w) {
    Group& g = groups_[gi];
    WorkRun& r = works_[w];
    if (r.finished || r.abandoned) {  // they came too late: on to the next work
      release(gi);
      staff_pending(g.unit);
      return;
    }
    progress(w);
    r.people += g.members;
    schedule_work(w);
    TaskFact& f = facts().tasks[g.task];
    if (f.status != TaskStatus::assigned) return;
    f.status = TaskStatus::started;
    f.started = now();
    log({.kind = TraceKind::task_started, .unit = g.unit, .node = g.at, .task = g.task});
  }

  void handle(const WorkDone& e) {
    WorkRun& r = works_[e.work];
    if (e.gen != r.gen || r.finished || r.abandoned) return;
    progress(e.work);
    r.done = inc_.flood->works[e.work].amount;
    r.finished = true;
    apply_works();
    handle(TaskEnds{inc_.flood->works[e.work].task});
  }

  /// A task of a flood incident ended: what it makes ready (a pump, the generator), and
  /// its people go on to the works waiting for hands.
  void work_finished(Index task) {
    const FloodDef& f = *inc_.flood;
    for (std::size_t p = 0; p < f.pumps.size(); ++p)
      if (f.pumps[p].ready_task == task) flood_->set_pump_ready(static_cast<Index>(p));
    const Index w = work_of(task);
    if (w != kNone && f.works[w].kind == FloodWorkKind::generator)
      flood_->start_generator(f.works[w].fuel_h);
    release_task(task);
  }

  void release(Index gi) {
    Group& g = groups_[gi];
    if (g.released) return;
    g.released = true;
    free_.push_back({g.unit, g.at, g.members});
  }

  void release_task(Index task) {
    std::vector<Index> units;
    for (std::size_t i = 0; i < groups_.size(); ++i) {
      Group& g = groups_[i];
      if (g.task != task || !g.arrived || g.released) continue;
      release(static_cast<Index>(i));
      if (std::find(units.begin(), units.end(), g.unit) == units.end()) units.push_back(g.unit);
    }
    for (Index u : units) staff_pending(u);
  }

  /// Sends released members of `unit` (first released first) to a new task.
  int send_free(Index unit, int wanted, Index dest, Index task) {
    int sent = 0;
    for (FreeMembers& m : free_) {
      if (sent >= wanted) break;
      if (m.unit != unit || m.members == 0) continue;
      const int k = std::min(wanted - sent, m.members);
      m.members -= k;
      sent += k;
      const Index g = new_group(unit, k, m.at, dest, now(), task);
      q_.push(now(), Depart{g});
    }
    return sent;
  }

  void staff_pending(Index unit) {
    for (std::size_t i = 0; i < pending_.size();) {
      const PendingWork& p = pending_[i];
      TaskFact& f = facts().tasks[p.task];
      const Index w = work_of(p.task);
      const int wanted = proto_->tasks[p.task].members - f.members;
      if (p.unit != unit || wanted <= 0 || works_[w].finished || works_[w].abandoned) {
        if (p.unit == unit) {
          pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i));
          continue;
        }
        ++i;
        continue;
      }
      f.members += send_free(unit, wanted, p.node, p.task);
      if (f.members >= proto_->tasks[p.task].members) {
        pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      ++i;
    }
  }

  /// The works' progress into the water model: sandbag walls rise with the bags placed,
  /// records leave their cell box by box.
  void apply_works() {
    const FloodDef& f = *inc_.flood;
    std::vector<double> built(f.links.size(), 0.0), moved(f.cells.size(), 0.0);
    std::vector<char> building(f.links.size(), 0);
    for (std::size_t w = 0; w < f.works.size(); ++w) {
      progress(static_cast<Index>(w));
      const FloodWork& def = f.works[w];
      const WorkRun& r = works_[w];
      const double share = r.done / def.amount;
      if (def.kind == FloodWorkKind::sandbags) {
        built[def.link] += def.height_m * share;
        if (r.people > 0 && !r.finished && !r.abandoned) building[def.link] = 1;
      }
      if (def.kind == FloodWorkKind::records) moved[def.cell] += share;
    }
    for (std::size_t l = 0; l < built.size(); ++l)
      flood_->set_barrier_built(static_cast<Index>(l), built[l], building[l] != 0);
    for (std::size_t c = 0; c < moved.size(); ++c)
      flood_->set_records_moved(static_cast<Index>(c), moved[c]);
  }

  void handle(const FloodTick&) {
    const FloodDef& f = *inc_.flood;
    apply_works();
    FloodChanges ch;
    flood_->advance(now(), ch);
    for (Index c : ch.entered) log({.kind = TraceKind::water_entered, .count = c});
    for (Index l : ch.overtopped) {
      log({.kind = TraceKind::barrier_overtopped, .count = l});
      // The wall is lost: its builders stop and go on to other works.
      for (std::size_t w = 0; w < f.works.size(); ++w) {
        const FloodWork& def = f.works[w];
        WorkRun& r = works_[w];
        if (def.kind != FloodWorkKind::sandbags || def.link != l || r.finished || r.abandoned)
          continue;
        r.abandoned = true;
        ++r.gen;
        log({.kind = TraceKind::work_abandoned, .task = def.task});
        release_task(def.task);
      }
    }
    if (!ch.passability.empty()) {
      bool lower = false;
      for (std::size_t e = 0; e < s_.site.edges.size(); ++e) {
        int level = 0;
        bool tied = false;
        for (std::size_t c = 0; c < f.cells.size(); ++c)
          for (Index ce : f.cells[c].edges)
            if (ce == static_cast<Index>(e)) {
              tied = true;
              level = std::max(level, flood_->passability(static_cast<Index>(c)));
            }
        if (!tied || level == router_.flooded(static_cast<Index>(e))) continue;
        lower = lower || level < router_.flooded(static_cast<Index>(e));
        router_.set_flooded(static_cast<Index>(e), level);
        log({.kind = TraceKind::edge_flooded, .edge = static_cast<Index>(e), .count = level});
      }
      if (lower)
        for (std::size_t i = 0; i < groups_.size(); ++i)
          if (groups_[i].blocked) step(static_cast<Index>(i));
    }
    const SimTime dt = flood_->step_ms();
    if (f.access_to != kNone && now() > 0 && isolated()) isolated_ms_ += now() - last_tick_;
    last_tick_ = now();
    if (record_ && now() >= next_flood_frame_) {
      out_.trace.flood_frames.push_back(flood_->frame());
      next_flood_frame_ = now() + std::max(s_.run.trace_sample, seconds_to_ms(60.0));
    }
    if (now() + dt <= horizon_) q_.push(now() + dt, FloodTick{});
  }

  /// No vehicle can get from any outside station to the site (site_isolated_s).
  bool isolated() const {
    const FloodDef& f = *inc_.flood;
    TravelProfile p;
    p.drives = true;
    p.vehicle_only = true;
    for (Index from : f.access_from)
      if (router_.route(from, f.access_to, p)) return false;
    return true;
  }

  void handle(const Wind& e) {
    const WindEvent& w = inc_.flood->wind[e.index];
    switch (w.kind) {
      case WindEventKind::power_cut:
        flood_->set_grid(false);
        log({.kind = TraceKind::power_cut});
        break;
      case WindEventKind::power_restored:
        flood_->set_grid(true);
        log({.kind = TraceKind::power_restored});
        break;
      case WindEventKind::tree_down:
        set_edge(w.edge, !e.ends);
        break;
      case WindEventKind::window_broken:
        flood_->add_rain_area(w.cell, w.catchment_m2);
        log({.kind = TraceKind::window_broken, .count = w.cell});
        break;
    }
  }

  void handle(const Phase& e) { log({.kind = TraceKind::typhoon_phase, .count = e.phase}); }

  /// KPIs of a flood incident, in kpi_names() order.
  void flood_kpis() {
    const FloodDef& f = *inc_.flood;
    auto& k = out_.kpis;
    const SimTime landfall = f.typhoon.landfall;
    k.push_back(landfall != kNever && detected_at_ != kNever
                    ? std::optional<double>(ms_to_seconds(landfall - detected_at_))
                    : std::nullopt);
    // The last of a kind of work done, or nullopt if one of them never was.
    auto last_done = [&](FloodWorkKind kind) -> std::optional<double> {
      SimTime last = kNever;
      bool any = false;
      for (const FloodWork& w : f.works) {
        if (w.kind != kind) continue;
        const SimTime d = facts().tasks[w.task].done;
        if (d == kNever) return std::nullopt;
        last = any ? std::max(last, d) : d;
        any = true;
      }
      return any ? secs(last) : std::nullopt;
    };
    k.push_back(last_done(FloodWorkKind::sandbags));
    k.push_back(last_done(FloodWorkKind::records));
    SimTime first = kNever;
    for (std::size_t c = 0; c < f.cells.size(); ++c)
      first = std::min(first, flood_->first_entry(static_cast<Index>(c)));
    k.push_back(secs(first));
    for (std::size_t c = 0; c < f.cells.size(); ++c)
      if (f.cells[c].kind == FloodCellKind::building || f.cells[c].kind == FloodCellKind::basement)
        k.push_back(secs(flood_->first_entry(static_cast<Index>(c))));
    for (std::size_t c = 0; c < f.cells.size(); ++c)
      if (f.cells[c].kind != FloodCellKind::boundary)
        k.push_back(flood_->max_depth_m(static_cast<Index>(c)));
    k.push_back(flood_->time_above_threshold_s());
    k.push_back(flood_->records_lost_fraction());
    k.push_back(static_cast<double>(flood_->barriers_failed()));
    k.push_back(f.access_to != kNone ? std::optional<double>(ms_to_seconds(isolated_ms_))
                                     : std::nullopt);
  }

  // ------------------------------------------------------------ KPIs

  RunRecord finish() {
    facts().end = std::min(now(), horizon_);
    for (TaskFact& t : facts().tasks)
      if (t.status == TaskStatus::pending) t.status = TaskStatus::unowned;
    // A flood work that waited for hands and never got any was unstaffed.
    for (const PendingWork& p : pending_) {
      TaskFact& t = facts().tasks[p.task];
      if (t.status == TaskStatus::assigned && t.members == 0) t.status = TaskStatus::unstaffed;
    }
    out_.kpis.push_back(secs(detected_at_));
    for (Index r : cast_.roles) out_.kpis.push_back(secs(facts().roles[r].alerted));
    SimTime all = 0;
    bool any_ordered = false;
    for (Index u : cast_.units) {
      out_.kpis.push_back(secs(first_arrival_[u]));
      if (!ordered_[u]) continue;
      any_ordered = true;
      all = std::max(all, first_arrival_[u]);
    }
    out_.kpis.push_back(any_ordered ? secs(all) : std::nullopt);
    for (const TaskFact& t : facts().tasks) out_.kpis.push_back(secs(t.done));
    if (crowd_) {
      out_.kpis.push_back(secs(crowd_->all_out_time()));
      for (std::size_t g = 0; g < inc_.ped_groups.size(); ++g)
        out_.kpis.push_back(secs(crowd_->group_out(static_cast<Index>(g))));
      for (const auto& v : crowd_->measures()) out_.kpis.push_back(v);
      if (record_) out_.trace.people = crowd_->people();
    }
    if (complaint_) {
      sync_complaint();
      const ComplaintOutcome& c = complaint_->outcome();
      out_.kpis.push_back(secs(c.gate_closed));
      for (SimTime t : at_gate_) out_.kpis.push_back(secs(t));
      out_.kpis.push_back(secs(first_defender_));
      out_.kpis.push_back(secs(c.first_at_gate));
      out_.kpis.push_back(c.first_at_gate != kNever ? std::optional<double>(c.defenders_at_first)
                                                    : std::nullopt);
      out_.kpis.push_back(secs(reinforced_));
      out_.kpis.push_back(secs(c.cordon_formed));
      out_.kpis.push_back(secs(c.dialogue_started));
      out_.kpis.push_back(secs(c.complaint_received));
      out_.kpis.push_back(c.breach != kNever ? 1.0 : 0.0);
      out_.kpis.push_back(secs(c.breach));
      out_.kpis.push_back(static_cast<double>(c.intruders));
      out_.kpis.push_back(static_cast<double>(c.marched));
      out_.kpis.push_back(static_cast<double>(c.peak_at_gate));
      out_.kpis.push_back(c.peak_active_fraction);
      out_.kpis.push_back(static_cast<double>(c.peak_pushers));
      out_.kpis.push_back(c.peak_density_ppm2);
      out_.kpis.push_back(c.peak_place_density_ppm2);
      out_.kpis.push_back(c.peak_gate_pressure_npm);
      out_.kpis.push_back(c.street_blocked_s);
    }
    if (fire_) fire_kpis();
    if (flood_) flood_kpis();
    return std::move(out_);
  }

  /// KPIs of a fire incident, in kpi_names() order.
  void fire_kpis() {
    const FireDef& f = *inc_.fire;
    auto& k = out_.kpis;
    k.push_back(secs(fire_->first_cue()));
    k.push_back(secs(alarm_at_));
    k.push_back(secs(first_attack_));
    k.push_back(secs(controlled_));
    k.push_back(secs(fire_police_at_));
    SimTime aset = kNever;
    for (std::size_t r = 0; r < f.rooms.size(); ++r)
      if (f.rooms[r].area != kNone)
        aset = std::min(aset, fire_->untenable_at(static_cast<Index>(r)));
    k.push_back(secs(aset));
    if (crowd_) {
      const SimTime out = crowd_->all_out_time();
      const bool both = out != kNever && alarm_at_ != kNever;
      k.push_back(both ? secs(out - alarm_at_) : std::nullopt);
      k.push_back(secs(out));
      // No room became untenable: the margin is at least what was left of the horizon.
      const SimTime limit = aset != kNever ? aset : horizon_;
      k.push_back(out != kNever ? secs(limit - out) : std::nullopt);
      k.push_back(static_cast<double>(exposed_));
    }
    for (std::size_t r = 0; r < f.rooms.size(); ++r)
      if (f.rooms[r].area != kNone) k.push_back(secs(fire_->untenable_at(static_cast<Index>(r))));
    k.push_back(fire_->flashover() != kNever ? 1.0 : 0.0);
    k.push_back(controlled_ != kNever && controlled_by_ != f.fire_police ? 1.0 : 0.0);
    k.push_back(static_cast<double>(fire_->network().rooms_involved()));
    k.push_back(fire_->records_lost_fraction());
    k.push_back(fire_->peak_hrr_kw());
    out_.fire =
        FireRunFacts{fire_->first_cue(), fire_->first_cue_kind(), controlled_, controlled_by_};
  }

  const Scenario& s_;
  const Incident& inc_;
  const Protocol* proto_;
  Router router_;
  Cast cast_;
  bool record_;
  SimTime horizon_;
  EventQueue<Event> q_;
  Pcg32 rng_detect_, rng_reaction_, rng_comms_, rng_turnout_, rng_travel_, rng_tasks_;
  SimTime detected_at_ = kNever;
  std::vector<std::size_t> next_action_;
  std::vector<Index> rule_of_;
  std::vector<Index> acting_unit_;           ///< per role: the unit acting for it
  std::vector<int> acting_;                  ///< per unit: people acting for a role now
  std::vector<std::vector<Index>> waiting_;  ///< per unit: roles waiting for a free person
  std::vector<Group> groups_;
  std::vector<std::vector<std::pair<Index, int>>> committed_;  ///< per unit: (post, members)
  std::vector<char> ordered_;
  std::vector<int> called_out_;  ///< per unit: off-site members called in so far
  std::vector<SimTime> first_arrival_;
  int commander_rank_ = -1;
  std::optional<Crowd> crowd_;
  std::optional<ComplaintCrowd> complaint_;
  std::vector<SimTime> at_gate_;  ///< per gate unit: its first member at the gate node
  SimTime reinforced_ = kNever, first_defender_ = kNever;
  std::vector<std::vector<std::pair<Index, int>>> commitment_taken_;  ///< (post, members)
  std::optional<FireIncident> fire_;
  std::vector<FireNotice> notices_;
  std::vector<int> means_left_;    ///< per FireMeans: how many are still where they are kept
  std::vector<char> room_logged_;  ///< per fire room: 1 ignition logged, 2 flashover logged
  SimTime alarm_at_ = kNever, first_attack_ = kNever, controlled_ = kNever,
          fire_police_at_ = kNever, next_fire_frame_ = 0;
  Index controlled_by_ = kNone;
  int exposed_ = 0;
  std::optional<FloodIncident> flood_;
  struct WorkRun {
    double done = 0;  ///< in the work's amount units
    int people = 0;
    SimTime last = 0;
    std::uint64_t gen = 0;
    bool finished = false, abandoned = false;
  };
  std::vector<WorkRun> works_;  ///< per FloodDef::works
  struct FreeMembers {
    Index unit;
    Index at;
    int members;
  };
  std::vector<FreeMembers> free_;  ///< members whose flood work is over
  struct PendingWork {
    Index task, unit, node;
  };
  std::vector<PendingWork> pending_;  ///< works waiting for hands, in the order given
  SimTime isolated_ms_ = 0, last_tick_ = 0, next_flood_frame_ = 0;
  bool crowd_stepping_ = false, peds_out_logged_ = false;
  SimTime next_frame_ = 0;
  RunRecord out_;
};

}  // namespace

std::vector<std::string> kpi_names(const Scenario& s, Index incident) {
  const Incident& inc = s.incidents[incident];
  const Cast c = cast_of(s, inc);
  std::vector<std::string> names{"detect_s"};
  for (Index r : c.roles) names.push_back("notified_" + s.roles[r].id + "_s");
  for (Index u : c.units) names.push_back("on_scene_" + s.units[u].id + "_s");
  names.push_back("all_on_scene_s");
  if (inc.protocol != kNone)
    for (const TaskDef& t : s.protocols[inc.protocol].tasks)
      names.push_back("task_" + t.id + "_done_s");
  if (!inc.ped_groups.empty()) {
    names.push_back("peds_out_s");
    for (const PedGroup& g : inc.ped_groups) names.push_back("peds_out_" + g.id + "_s");
    for (const std::string& n : measure_kpi_names(s.site, inc)) names.push_back(n);
  }
  if (inc.crowd) {
    names.push_back("gate_closed_s");
    for (Index u : gate_units(inc)) names.push_back(s.units[u].id + "_at_gate_s");
    names.push_back("first_defender_at_gate_s");
    names.push_back("first_at_gate_s");
    names.push_back("defenders_when_crowd_arrives_n");
    for (const char* n :
         {"reinforcements_on_scene_s", "cordon_formed_s", "dialogue_started_s",
          "complaint_received_s", "breach_fraction", "breach_s", "intruders_n", "marched_n",
          "peak_at_gate_n", "peak_active_fraction", "peak_pushers_n", "peak_density_ppm2",
          "peak_place_density_ppm2", "peak_gate_pressure_npm", "street_blocked_s"})
      names.push_back(n);
  }
  if (inc.fire) {
    for (const char* n : {"detection_s", "alarm_s", "first_attack_s", "controlled_s",
                          "fire_police_on_scene_s", "aset_s"})
      names.push_back(n);
    if (!inc.ped_groups.empty())
      for (const char* n : {"evacuation_complete_s", "rset_s", "aset_margin_s", "exposed_n"})
        names.push_back(n);
    for (const FireRoom& r : inc.fire->rooms)
      if (r.area != kNone) names.push_back("aset_" + r.id + "_s");
    for (const char* n : {"flashover_fraction", "controlled_by_team_fraction", "rooms_involved",
                          "records_lost_fraction", "peak_hrr_kw"})
      names.push_back(n);
  }
  if (inc.flood) {
    for (const char* n :
         {"warning_lead_s", "barriers_complete_s", "records_moved_s", "first_water_entry_s"})
      names.push_back(n);
    for (const FloodCell& cell : inc.flood->cells)
      if (cell.kind == FloodCellKind::building || cell.kind == FloodCellKind::basement)
        names.push_back("first_water_entry_" + cell.id + "_s");
    for (const FloodCell& cell : inc.flood->cells)
      if (cell.kind != FloodCellKind::boundary) names.push_back("max_depth_" + cell.id + "_m");
    for (const char* n :
         {"time_above_threshold_s", "records_lost_fraction", "barriers_failed", "site_isolated_s"})
      names.push_back(n);
  }
  return names;
}

RunRecord run_replication(const Scenario& s, Index incident, std::uint64_t seed,
                          std::uint64_t replication, bool record_trace) {
  World w(s, incident, seed, replication, record_trace);
  return w.run();
}

std::vector<MoverPosition> positions_at(const Site& site, const Trace& trace, SimTime t) {
  std::vector<MoverPosition> out;
  for (std::size_t i = 0; i < trace.movers.size(); ++i) {
    const Mover& m = trace.movers[i];
    if (t < m.appears) continue;
    const auto& w = m.waypoints;
    Index node = m.origin;
    double x = site.nodes[node].x_m, y = site.nodes[node].y_m;
    if (!w.empty() && t >= w.front().first) {
      // The last waypoint at or before t, and the next one to interpolate towards.
      auto it = std::upper_bound(w.begin(), w.end(), t,
                                 [](SimTime v, const auto& p) { return v < p.first; });
      const auto& a = *(it - 1);
      x = site.nodes[a.second].x_m;
      y = site.nodes[a.second].y_m;
      if (it != w.end() && it->first > a.first) {
        const double f =
            static_cast<double>(t - a.first) / static_cast<double>(it->first - a.first);
        x += f * (site.nodes[it->second].x_m - x);
        y += f * (site.nodes[it->second].y_m - y);
      }
    }
    out.push_back({static_cast<Index>(i), x, y});
  }
  return out;
}

}  // namespace hqdrill
