#include "hqdrill/sim/replication.hpp"

#include <algorithm>
#include <cassert>
#include <variant>

#include "hqdrill/core/event_queue.hpp"
#include "hqdrill/core/rng.hpp"
#include "hqdrill/forces/roster.hpp"
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
    case TraceKind::message_sent:
      return "message_sent";
    case TraceKind::message_failed:
      return "message_failed";
    case TraceKind::message_received:
      return "message_received";
    case TraceKind::message_given_up:
      return "message_given_up";
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
  }
  return "?";
}

namespace {

/// Roles and units in play in an incident's protocol, in index order.
struct Cast {
  std::vector<Index> roles;  ///< detector, rule roles, notify targets
  std::vector<Index> units;  ///< units that dispatch actions move
};

Cast cast_of(const Scenario& s, const Incident& inc) {
  std::vector<char> role_in(s.roles.size(), 0), unit_in(s.units.size(), 0);
  if (inc.detected_by != kNone) role_in[inc.detected_by] = 1;
  if (inc.protocol != kNone) {
    for (const Rule& r : s.protocols[inc.protocol].rules) {
      role_in[r.role] = 1;
      for (const Action& a : r.actions) {
        if (a.kind == ActionKind::notify) role_in[a.role] = 1;
        if (a.kind == ActionKind::dispatch) unit_in[s.roles[r.role].unit] = 1;
      }
    }
  }
  Cast c;
  for (std::size_t i = 0; i < role_in.size(); ++i)
    if (role_in[i]) c.roles.push_back(static_cast<Index>(i));
  for (std::size_t i = 0; i < unit_in.size(); ++i)
    if (unit_in[i]) c.units.push_back(static_cast<Index>(i));
  return c;
}

// Events of the world. Each names what happens; handlers below are the stages.
struct Detect {};
struct RoleStarts {
  Index role;
};
struct NextAction {
  Index role;
};
struct Attempt {
  Index role;  ///< sender
  Index link;
  int attempt;
};
struct AttemptEnds {
  Index role;
  Index link;
  int attempt;
  bool delivered;
};
struct Depart {
  Index group;
};
struct Hop {
  Index group;
  Index node;
};
struct EdgeChange {
  std::size_t index;  ///< into Incident::edge_events
};
using Event =
    std::variant<Detect, RoleStarts, NextAction, Attempt, AttemptEnds, Depart, Hop, EdgeChange>;

class World {
 public:
  World(const Scenario& s, Index incident, std::uint64_t seed, std::uint64_t replication,
        bool record_trace)
      : s_(s),
        inc_(s.incidents[incident]),
        router_(s.site),
        cast_(cast_of(s, inc_)),
        record_(record_trace),
        rng_detect_(make_stream(seed, replication, incident, "detect")),
        rng_reaction_(make_stream(seed, replication, incident, "reaction")),
        rng_comms_(make_stream(seed, replication, incident, "comms")),
        rng_turnout_(make_stream(seed, replication, incident, "turnout")),
        rng_travel_(make_stream(seed, replication, incident, "travel")),
        alerted_(s.roles.size(), kNever),
        next_action_(s.roles.size(), 0),
        rule_of_(s.roles.size(), kNone),
        committed_(s.units.size()),
        ordered_(s.units.size(), 0),
        first_arrival_(s.units.size(), kNever) {
    if (inc_.protocol != kNone) {
      const auto& rules = s.protocols[inc_.protocol].rules;
      for (std::size_t i = 0; i < rules.size(); ++i)
        rule_of_[rules[i].role] = static_cast<Index>(i);
    }
  }

  RunRecord run() {
    log({.kind = TraceKind::incident_started, .node = inc_.node});
    q_.push(seconds_to_ms(sample(inc_.detect_s, rng_detect_)), Detect{});
    for (std::size_t i = 0; i < inc_.edge_events.size(); ++i)
      q_.push(inc_.edge_events[i].at, EdgeChange{i});

    while (!q_.empty() && q_.next_time() <= s_.run.horizon) {
      auto e = q_.pop();
      std::visit([this](const auto& ev) { handle(ev); }, e.payload);
    }
    return finish();
  }

 private:
  SimTime now() const { return q_.now(); }

  void log(TraceEvent e) {
    if (!record_) return;
    e.t = now();
    out_.trace.events.push_back(e);
  }

  // ------------------------------------------------------------ detection and roles

  void handle(const Detect&) {
    detected_at_ = now();
    log({.kind = TraceKind::detected, .role = inc_.detected_by, .node = inc_.node});
    alert(inc_.detected_by, kNone);
  }

  /// A role learns of the incident. Only the first time counts; if it has a rule in the
  /// protocol it starts acting after its reaction time.
  void alert(Index role, Index from) {
    if (role == kNone || alerted_[role] != kNever) return;
    alerted_[role] = now();
    log({.kind = TraceKind::role_alerted, .role = role, .other_role = from});
    if (rule_of_[role] == kNone) return;
    q_.push(now() + seconds_to_ms(sample(s_.roles[role].reaction_s, rng_reaction_)),
            RoleStarts{role});
  }

  void handle(const RoleStarts& e) {
    if (!role_held(s_, e.role, inc_.clock, now())) {
      log({.kind = TraceKind::role_vacant, .role = e.role});
      return;
    }
    log({.kind = TraceKind::role_acting, .role = e.role});
    handle(NextAction{e.role});
  }

  /// Runs the role's actions in order; a notify blocks the role until the message is
  /// delivered or given up, a dispatch is an order given at once.
  void handle(const NextAction& e) {
    const Rule& rule = s_.protocols[inc_.protocol].rules[rule_of_[e.role]];
    while (next_action_[e.role] < rule.actions.size()) {
      const Action& a = rule.actions[next_action_[e.role]++];
      if (a.kind == ActionKind::dispatch) {
        dispatch(e.role, a);
        continue;
      }
      const Index link = link_between(e.role, a.role);
      assert(link != kNone && "validator guarantees a link for every notify");
      handle(Attempt{e.role, link, 1});
      return;  // resumes when the attempt ends
    }
  }

  Index link_between(Index from, Index to) const {
    for (std::size_t i = 0; i < s_.links.size(); ++i)
      if (s_.links[i].from_role == from && s_.links[i].to_role == to) return static_cast<Index>(i);
    return kNone;
  }

  // ------------------------------------------------------------ messages

  /// One attempt over a link: the channel delay passes; then the message is either
  /// received, or fails (lost, busy line, or nobody holds the receiving role).
  void handle(const Attempt& e) {
    const CommsLink& l = s_.links[e.link];
    ++out_.messages_sent;
    log({.kind = TraceKind::message_sent,
         .role = l.from_role,
         .other_role = l.to_role,
         .link = e.link,
         .attempt = e.attempt});
    const SimTime arrive = now() + seconds_to_ms(sample(l.delay_s, rng_comms_));
    const bool lost = rng_comms_.next_double() < l.failure_probability;
    const bool answered = role_held(s_, l.to_role, inc_.clock, arrive);
    q_.push(arrive, AttemptEnds{e.role, e.link, e.attempt, !lost && answered});
  }

  void handle(const AttemptEnds& e) {
    const CommsLink& l = s_.links[e.link];
    if (e.delivered) {
      log({.kind = TraceKind::message_received,
           .role = l.from_role,
           .other_role = l.to_role,
           .link = e.link,
           .attempt = e.attempt});
      alert(l.to_role, l.from_role);
      handle(NextAction{e.role});
      return;
    }
    ++out_.messages_failed;
    log({.kind = TraceKind::message_failed, .link = e.link, .attempt = e.attempt});
    if (e.attempt < l.max_attempts) {
      q_.push(now() + seconds_to_ms(sample(l.retry_s, rng_comms_)),
              Attempt{e.role, e.link, e.attempt + 1});
      return;
    }
    ++out_.messages_given_up;
    log({.kind = TraceKind::message_given_up, .link = e.link, .attempt = e.attempt});
    handle(NextAction{e.role});
  }

  // ------------------------------------------------------------ dispatch and movement

  struct Group {
    Index unit;
    int members;
    Index at;  ///< current node
    Index destination;
    TravelProfile profile;
    bool blocked = false;
  };

  TravelProfile sample_profile(const Unit& u) {
    TravelProfile p;
    p.drives = u.mode == TravelMode::vehicle;
    const auto& foot = s_.mode_speed_mps[static_cast<int>(TravelMode::foot)];
    const auto& veh = s_.mode_speed_mps[static_cast<int>(TravelMode::vehicle)];
    if (p.drives) {
      p.vehicle_speed_mps = sample(u.speed_mps ? *u.speed_mps : veh, rng_travel_);
      p.foot_speed_mps = sample(foot, rng_travel_);
    } else {
      p.foot_speed_mps = sample(u.speed_mps ? *u.speed_mps : foot, rng_travel_);
    }
    // A speed must stay positive whatever the distribution's tail does.
    p.foot_speed_mps = std::max(p.foot_speed_mps, 0.05);
    p.vehicle_speed_mps = std::max(p.vehicle_speed_mps, 0.05);
    return p;
  }

  Index new_group(Index unit, int members, Index origin, Index destination, SimTime appears) {
    groups_.push_back(Group{unit, members, origin, destination, sample_profile(s_.units[unit])});
    if (record_)
      out_.trace.movers.push_back(Mover{unit, members, origin, destination, appears, {}});
    return static_cast<Index>(groups_.size() - 1);
  }

  /// The role's own unit sends members: on-site members not yet committed, nearest posts
  /// first; if nobody is on site, members are called in when the unit allows it.
  void dispatch(Index role, const Action& a) {
    const Index unit = s_.roles[role].unit;
    const Unit& u = s_.units[unit];
    const Index dest = a.to_node != kNone ? a.to_node : inc_.node;
    log({.kind = TraceKind::dispatch_ordered,
         .role = role,
         .unit = unit,
         .node = dest,
         .count = a.members});
    ordered_[unit] = 1;

    struct Source {
      Index post;
      int free;
      double time_s;
    };
    std::vector<Source> sources;
    const TravelProfile nominal = sample_free_profile(u);
    for (const DutyHere& d : on_site(u, inc_.clock, now())) {
      const int free = d.headcount - committed_count(unit, d.post);
      if (free <= 0) continue;
      auto r = router_.route(d.post, dest, nominal);
      sources.push_back({d.post, free, r ? r->time_s : 1e300});
    }
    std::stable_sort(sources.begin(), sources.end(),
                     [](const Source& x, const Source& y) { return x.time_s < y.time_s; });

    int wanted = a.members > 0 ? a.members : 1 << 30;
    int sent = 0;
    for (const Source& src : sources) {
      if (wanted <= 0) break;
      const int k = std::min(wanted, src.free);
      commit(unit, src.post, k);
      wanted -= k;
      sent += k;
      const Index g = new_group(unit, k, src.post, dest, now());
      q_.push(now() + seconds_to_ms(sample(u.turnout_s, rng_turnout_)), Depart{g});
    }
    if (sent > 0) return;
    if (u.callout_s) {
      const int k = a.members > 0 ? a.members : u.members;
      const Index from = u.callout_from != kNone ? u.callout_from : u.home;
      const SimTime ready = now() + seconds_to_ms(sample(*u.callout_s, rng_turnout_));
      const Index g = new_group(unit, k, from, dest, ready);
      log({.kind = TraceKind::unit_called_out, .unit = unit, .node = from, .group = g, .count = k});
      q_.push(ready, Depart{g});
      return;
    }
    log({.kind = TraceKind::unit_unavailable, .unit = unit, .node = dest});
  }

  /// Mean speeds, for ranking where members should come from (no random draw).
  TravelProfile sample_free_profile(const Unit& u) const {
    TravelProfile p;
    p.drives = u.mode == TravelMode::vehicle;
    const auto& foot = s_.mode_speed_mps[static_cast<int>(TravelMode::foot)];
    const auto& veh = s_.mode_speed_mps[static_cast<int>(TravelMode::vehicle)];
    p.foot_speed_mps = (!p.drives && u.speed_mps) ? u.speed_mps->mean() : foot.mean();
    p.vehicle_speed_mps = (p.drives && u.speed_mps) ? u.speed_mps->mean() : veh.mean();
    return p;
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
    if (g.at == g.destination) {
      arrive(gi);
      return;
    }
    auto r = router_.route(g.at, g.destination, g.profile);
    if (!r) {
      if (!g.blocked)
        log({.kind = TraceKind::unit_blocked, .unit = g.unit, .node = g.at, .group = gi});
      g.blocked = true;
      return;
    }
    g.blocked = false;
    const Edge& edge = s_.site.edges[r->edges.front()];
    const double hop_s = edge.length_m / Router::edge_speed_mps(edge, g.profile);
    q_.push(now() + seconds_to_ms(hop_s), Hop{gi, r->nodes[1]});
  }

  void handle(const Hop& e) {
    groups_[e.group].at = e.node;
    waypoint(e.group, e.node);
    step(e.group);
  }

  void arrive(Index gi) {
    const Group& g = groups_[gi];
    log({.kind = TraceKind::unit_arrived,
         .unit = g.unit,
         .node = g.at,
         .group = gi,
         .count = g.members});
    if (first_arrival_[g.unit] == kNever) first_arrival_[g.unit] = now();
  }

  // ------------------------------------------------------------ the site changes

  void handle(const EdgeChange& e) {
    const EdgeEvent& ev = inc_.edge_events[e.index];
    router_.set_closed(ev.edge, ev.closed);
    log({.kind = ev.closed ? TraceKind::edge_closed : TraceKind::edge_opened, .edge = ev.edge});
    if (ev.closed) return;
    for (std::size_t i = 0; i < groups_.size(); ++i)
      if (groups_[i].blocked) step(static_cast<Index>(i));
  }

  // ------------------------------------------------------------ KPIs

  RunRecord finish() {
    auto secs = [](SimTime t) -> std::optional<double> {
      if (t == kNever) return std::nullopt;
      return ms_to_seconds(t);
    };
    out_.kpis.push_back(secs(detected_at_));
    for (Index r : cast_.roles) out_.kpis.push_back(secs(alerted_[r]));
    SimTime all = cast_.units.empty() ? kNever : 0;
    bool any_ordered = false;
    for (Index u : cast_.units) {
      out_.kpis.push_back(secs(first_arrival_[u]));
      if (!ordered_[u]) continue;
      any_ordered = true;
      all = std::max(all, first_arrival_[u]);
    }
    out_.kpis.push_back(any_ordered ? secs(all) : std::nullopt);
    return std::move(out_);
  }

  const Scenario& s_;
  const Incident& inc_;
  Router router_;
  Cast cast_;
  bool record_;
  EventQueue<Event> q_;
  Pcg32 rng_detect_, rng_reaction_, rng_comms_, rng_turnout_, rng_travel_;
  SimTime detected_at_ = kNever;
  std::vector<SimTime> alerted_;
  std::vector<std::size_t> next_action_;
  std::vector<Index> rule_of_;
  std::vector<Group> groups_;
  std::vector<std::vector<std::pair<Index, int>>> committed_;  ///< per unit: (post, members)
  std::vector<char> ordered_;
  std::vector<SimTime> first_arrival_;
  RunRecord out_;
};

}  // namespace

std::vector<std::string> kpi_names(const Scenario& s, Index incident) {
  const Cast c = cast_of(s, s.incidents[incident]);
  std::vector<std::string> names{"detect_s"};
  for (Index r : c.roles) names.push_back("notified_" + s.roles[r].id + "_s");
  for (Index u : c.units) names.push_back("on_scene_" + s.units[u].id + "_s");
  names.push_back("all_on_scene_s");
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
