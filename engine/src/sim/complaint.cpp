#include "hqdrill/sim/complaint.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "hqdrill/core/distribution.hpp"
#include "hqdrill/peds/geometry.hpp"
#include "hqdrill/peds/social_force.hpp"
#include "hqdrill/peds/world.hpp"
#include "hqdrill/sim/agitation.hpp"
#include "hqdrill/site/router.hpp"

namespace hqdrill {

const char* to_string(ComplainantState s) {
  switch (s) {
    case ComplainantState::coming:
      return "coming";
    case ComplainantState::gather:
      return "gather";
    case ComplainantState::block:
      return "block";
    case ComplainantState::push:
      return "push";
    case ComplainantState::sit_in:
      return "sit_in";
    case ComplainantState::marching:
      return "marching";
    case ComplainantState::enter:
      return "enter";
    case ComplainantState::representative:
      return "representative";
    case ComplainantState::leaving:
      return "leaving";
    case ComplainantState::gone:
      return "gone";
  }
  return "?";
}

namespace {

using peds::Segment;
using peds::Vec2;
using State = ComplainantState;

constexpr SimTime kTick = 1000;  // ms: arrivals, decisions, measurements
/// A world whose agents all move slower than this (m/s) for kRestMs is standing still:
/// it is not stepped again until something changes (an arrival, a decision, the gate).
constexpr double kRestSpeed = 0.05;
constexpr SimTime kRestMs = 2000;

Vec2 mid(const Segment& s) {
  return 0.5 * (s.a + s.b);
}

/// The first of `tries` (distances from a along the unit vector dir) that lies in poly.
Vec2 first_inside(const peds::Polygon& poly, Vec2 a, Vec2 dir,
                  std::initializer_list<double> tries) {
  for (double d : tries)
    if (peds::contains(poly, a + d * dir)) return a + d * dir;
  return a + 0.5 * dir;
}

}  // namespace

struct ComplaintCrowd::Impl {
  struct Person {
    Index group = kNone;
    Index place = kNone;  ///< scenario area it is at (its group's, or the gate's)
    SimTime arrive = 0;
    double speed = 1.2, radius = 0.25;
    Disposition disp;
    SimTime phase = 0;           ///< first decision after arrival
    SimTime disperse_delay = 0;  ///< complaint received (or arrival, if later) to leaving
    double door_u = 0;           ///< where along its door it comes in
    State state = State::coming;
    bool in_world = false;
    std::size_t slot = 0;
    SimTime next_decision = kNever;
    SimTime edge_arrival = kNever;
    SimTime leave_at = kNever;
    double agitation = 0;  ///< last net agitation G - R P
    bool intruded = false;
  };

  const Scenario& s;
  const Incident& inc;
  const CrowdDef& cd;
  std::vector<Person> people;
  std::vector<std::size_t> by_arrival;  ///< people in arrival order
  std::size_t next_arrival = 0;
  std::vector<SimTime> march_at;  ///< per group
  std::vector<char> march_done;
  SimTime dialogue_len = 0;

  // The gate world: gate area (local 0) and the compound behind the gate (local 1).
  std::unique_ptr<peds::PedWorld> world;
  std::vector<std::size_t> person_of_slot;
  peds::Polygon front_poly, inside_poly;
  Segment gate_span;
  Vec2 n_front;  ///< unit normal of the gate pointing into the front area
  double gate_width = 1;
  std::size_t press_id = 0, front_dwell = 0, gather_dwell = 0, inside_dwell = 0;
  bool gate_closed = false;
  BreachMonitor monitor;

  std::vector<int> defenders;  ///< per site node
  std::vector<int> at_place;   ///< per scenario area: people standing there (not in the world)
  SimTime now = 0, period = 50, next_tick = 0;
  bool dialogue = false;
  SimTime dialogue_at = kNever;
  bool dirty = true;  ///< something changed: step the gate world (see wake())
  SimTime quiet_ms = 0;
  double load_sum = 0;
  int load_n = 0;
  int gate_count = 0;   ///< people at the gate (its measurement area, else its area)
  int front_count = 0;  ///< people in the gate's area: the crowd the defenders face
  ComplaintOutcome out;
  Router router;

  Impl(const Scenario& sc, Index incident, Pcg32 rng)
      : s(sc),
        inc(sc.incidents[static_cast<std::size_t>(incident)]),
        cd(*inc.crowd),
        monitor(cd.gate.rule, 1.0),
        router(sc.site) {
    period = std::max<SimTime>(1, seconds_to_ms(cd.micro_dt_s));
    defenders.assign(s.site.nodes.size(), 0);
    at_place.assign(s.site.areas.size(), 0);
    build_world();
    monitor = BreachMonitor(cd.gate.rule, gate_width);
    draw(rng);
  }

  const Area& area(Index a) const { return s.site.areas[static_cast<std::size_t>(a)]; }

  // ------------------------------------------------------------ set-up

  void build_world() {
    const CrowdGate& g = cd.gate;
    const Area& front = area(g.area);
    const Area& inside = area(g.inside_area);
    auto walkable = [](const Area& a) {
      peds::WalkableArea w{a.id, a.outline, a.holes, {}};
      w.speed_factor = a.speed_factor;
      for (const AreaDoor& d : a.doors) w.doors.push_back({d.id, d.span, !d.closed_at_start});
      return w;
    };
    std::vector<peds::WalkableArea> areas{walkable(front), walkable(inside)};
    // Every door that does not join the two areas leads off the scene.
    std::vector<peds::ExitRef> exits;
    for (std::size_t k = 0; k < 2; ++k) {
      const Area& a = k == 0 ? front : inside;
      const Index other = k == 0 ? g.inside_area : g.area;
      for (const AreaDoor& d : a.doors)
        if (d.to_area != other || d.edge != kNone) exits.push_back({k, d.id, 0.0});
    }
    peds::PedWorldOptions opt;
    opt.kind = peds::ModelKind::social_force;  // contact forces: the load on the gate
    opt.field.cell_m = inc.peds.cell_m;
    opt.congestion_interval_s = 0;  // people stand and wait; no quickest-path re-marching
    world = std::make_unique<peds::PedWorld>(std::move(areas), std::move(exits), opt);

    front_poly = {front.outline, front.holes};
    inside_poly = {inside.outline, inside.holes};
    const AreaDoor& gd = front.doors[static_cast<std::size_t>(g.door)];
    gate_span = gd.span;
    gate_closed = gd.closed_at_start;
    gate_width = std::max(0.1, peds::norm(gate_span.b - gate_span.a));
    const Vec2 along = peds::normalized(gate_span.b - gate_span.a);
    n_front = {-along.y, along.x};
    if (!peds::contains(front_poly, mid(gate_span) + 0.3 * n_front)) n_front = -1.0 * n_front;
    const Vec2 m = mid(gate_span);
    // Blockers stand right in front of the gate, the rest of the crowd further out, and
    // those who get in stop in the compound a few metres behind it [assumption: the
    // distances; the crowd's own density is PedWorldOptions::dwell_density_pm2].
    const Vec2 front_pt = first_inside(front_poly, m, n_front, {1.5, 1.0, 0.6});
    const Vec2 gather_pt = first_inside(front_poly, m, n_front, {8.0, 6.0, 4.0, 3.0, 2.0});
    const Vec2 inside_pt = first_inside(inside_poly, m, -1.0 * n_front, {6.0, 4.0, 2.0, 1.0});
    front_dwell = world->add_dwell_point(front_pt);
    gather_dwell = world->add_dwell_point(gather_pt);
    inside_dwell = world->add_dwell_point(inside_pt);
    press_id = world->add_press_target(gate_span, -1.0 * n_front, front_pt);
  }

  void draw(Pcg32& rng) {
    const CrowdBehaviourDef& b = cd.behaviour;
    const SimTime interval = std::max<SimTime>(kTick, seconds_to_ms(b.decision_interval_s));
    for (std::size_t g = 0; g < cd.groups.size(); ++g) {
      const CrowdGroup& grp = cd.groups[g];
      const int n = std::clamp(static_cast<int>(std::lround(sample(grp.count, rng))), 1, 100000);
      for (int i = 0; i < n; ++i) {
        Person p;
        p.group = static_cast<Index>(g);
        p.place = grp.area;
        p.radius = grp.radius_m;
        p.arrive = std::max<SimTime>(0, seconds_to_ms(sample(grp.arrive_s, rng)));
        p.speed = std::max(0.3, sample(grp.speed_mps, rng));
        p.disp = draw_disposition(rng);
        p.disp.contagion_threshold *= b.contagion_max;
        p.phase = static_cast<SimTime>(rng.next_double() * static_cast<double>(interval));
        p.disperse_delay = std::max<SimTime>(0, seconds_to_ms(sample(b.disperse_s, rng)));
        p.door_u = rng.next_double();
        people.push_back(p);
      }
    }
    march_at.assign(cd.groups.size(), kNever);
    march_done.assign(cd.groups.size(), 0);
    for (std::size_t g = 0; g < cd.groups.size(); ++g) {
      const CrowdGroup& grp = cd.groups[g];
      if (grp.march_share <= 0 || grp.march_door == kNone) continue;
      SimTime first = kNever;
      for (const Person& p : people)
        if (p.group == static_cast<Index>(g)) first = std::min(first, p.arrive);
      march_at[g] = first + std::max<SimTime>(0, seconds_to_ms(sample(grp.march_after_s, rng)));
    }
    dialogue_len = std::max<SimTime>(0, seconds_to_ms(sample(cd.dialogue_s, rng)));
    by_arrival.resize(people.size());
    std::iota(by_arrival.begin(), by_arrival.end(), 0);
    std::stable_sort(by_arrival.begin(), by_arrival.end(), [&](std::size_t x, std::size_t y) {
      return people[x].arrive < people[y].arrive;
    });
  }

  // ------------------------------------------------------------ the gate world

  bool in_gate_area(Index place) const { return place == cd.gate.area; }

  /// A spot just inside `span` of the gate area (spread along it, 0.3 to 1.3 m deep) with
  /// room for a body clear of everyone there, else the one with the most room.
  Vec2 entry_point(const Segment& span, double r, double u) const {
    const Vec2 d = peds::normalized(span.b - span.a);
    Vec2 n{-d.y, d.x};
    if (!peds::contains(front_poly, mid(span) + (r + 0.3) * n)) n = -1.0 * n;
    const double w = peds::norm(span.b - span.a);
    Vec2 best = mid(span) + (r + 0.3) * n;
    double best_room = -1;
    for (const double depth : {r + 0.3, r + 0.8, r + 1.3})
      for (int k = 0; k < 7; ++k) {
        const double along = w > 2 * r ? r + (w - 2 * r) * std::fmod((k + u) / 7.0, 1.0) : 0.5 * w;
        const Vec2 q = span.a + along * d + depth * n;
        if (!peds::contains(front_poly, q)) continue;
        double room = std::numeric_limits<double>::infinity();
        for (std::size_t slot = 0; slot < person_of_slot.size(); ++slot)
          if (!world->out(slot)) room = std::min(room, peds::norm(world->position(slot) - q));
        if (room >= 2 * r + 0.1) return q;
        if (room > best_room) best_room = room, best = q;
      }
    return best;
  }

  /// Person i comes into the gate area by door `door` of it now, as `st`.
  void enter_world(std::size_t i, Index door, State st) {
    Person& p = people[i];
    const Area& front = area(cd.gate.area);
    const Index d = door != kNone ? door : 0;
    peds::PedSpec spec;
    spec.position = entry_point(front.doors[static_cast<std::size_t>(d)].span, p.radius, p.door_u);
    spec.desired_speed_mps = p.speed;
    spec.radius_m = p.radius;
    spec.spawn_time_s = world->time_s();
    p.slot = world->add_agent(spec);
    p.in_world = true;
    p.place = cd.gate.area;
    person_of_slot.push_back(i);
    if (out.first_at_gate == kNever) {
      out.first_at_gate = now;
      out.defenders_at_first = defenders_at_gate();
    }
    p.state = State::coming;  // so that apply() sets the goal
    apply(i, st == State::marching || st == State::coming ? State::gather : st);
    wake();
  }

  /// The load of the crowd on the closed gate (N): every wall segment lying on the gate's
  /// span (a door between two areas is a wall of both; their loads add up to the push).
  double gate_load() const {
    const peds::SocialForceModel* sf = world->social_force();
    double load = 0;
    const auto& walls = sf->walls();
    for (std::size_t w = 0; w < walls.size(); ++w)
      if (peds::norm(walls[w].a - peds::closest_point(gate_span, walls[w].a)) < 0.01 &&
          peds::norm(walls[w].b - peds::closest_point(gate_span, walls[w].b)) < 0.01)
        load += sf->wall_load_n(w);
    return load;
  }

  void set_gate(bool closed) {
    if (closed == gate_closed) return;
    gate_closed = closed;
    const Area& front = area(cd.gate.area);
    world->schedule_door(
        {world->time_s(), 0, front.doors[static_cast<std::size_t>(cd.gate.door)].id, !closed});
    wake();
    // A gate that shuts again holds anew (a fresh overload count).
    if (closed) monitor = BreachMonitor(cd.gate.rule, gate_width);
    for (std::size_t i = 0; i < people.size(); ++i) {
      Person& p = people[i];
      if (!p.in_world) continue;
      if (!closed && (p.state == State::block || p.state == State::push)) apply(i, State::enter);
      if (!closed || p.state != State::enter) continue;
      // A gate that shuts again: those already through it are in (intruders, whatever
      // the last 1-s count saw); the rest stand in front of it.
      if (peds::contains(inside_poly, world->position(p.slot))) {
        if (!p.intruded) {
          p.intruded = true;
          ++out.intruders;
        }
      } else {
        apply(i, State::block);
      }
    }
  }

  /// Something changed in the gate world: step it again until it has stood still for
  /// kRestMs.
  void wake() {
    dirty = true;
    quiet_ms = 0;
  }

  void step_world() {
    if (person_of_slot.empty() || (!dirty && quiet_ms >= kRestMs)) return;
    world->step(ms_to_seconds(period));
    dirty = false;
    quiet_ms = world->at_rest(kRestSpeed) ? quiet_ms + period : 0;
    if (!gate_closed) return;
    const double load = gate_load();
    load_sum += load;
    ++load_n;
    monitor.observe(ms_to_seconds(now + period), load, defenders_at_gate());
    if (monitor.breached_at()) {
      if (out.breach == kNever) out.breach = now + period;  // breach_s: the first
      set_gate(false);
    }
  }

  int defenders_at_gate() const {
    return cd.gate.node == kNone ? 0 : defenders[static_cast<std::size_t>(cd.gate.node)];
  }

  // ------------------------------------------------------------ behaviour

  bool standing(State st) const {
    return st == State::gather || st == State::block || st == State::push || st == State::sit_in;
  }
  bool active(State st) const {
    return st == State::block || st == State::push || st == State::sit_in || st == State::enter;
  }

  /// Puts person i in state st: its goal and speed in the gate world, its count at a place.
  void apply(std::size_t i, State st) {
    Person& p = people[i];
    if (p.state == st) return;
    const State was = p.state;
    p.state = st;
    if (!p.in_world) {
      if (standing(was) && !standing(st)) --at_place[static_cast<std::size_t>(p.place)];
      if (!standing(was) && standing(st)) ++at_place[static_cast<std::size_t>(p.place)];
      return;
    }
    wake();
    peds::PedWorld& w = *world;
    switch (st) {
      case State::gather:
        w.set_press(p.slot, -1);
        w.set_dwell(p.slot, static_cast<int>(gather_dwell));
        w.set_speed(p.slot, p.speed);
        break;
      case State::block:
      case State::sit_in:
        // A sit-in is a block that neither pushes nor goes in.
        w.set_press(p.slot, -1);
        w.set_dwell(p.slot, static_cast<int>(front_dwell));
        w.set_speed(p.slot, p.speed);
        break;
      case State::push:
        w.set_press(p.slot, static_cast<int>(press_id));
        w.set_speed(p.slot, cd.behaviour.push_speed_mps);
        break;
      case State::enter:
        w.set_press(p.slot, -1);
        w.set_dwell(p.slot, static_cast<int>(inside_dwell));
        w.set_speed(p.slot, p.speed);
        break;
      case State::representative:
      case State::leaving:
        w.set_press(p.slot, -1);
        w.set_dwell(p.slot, -1);  // off the scene by the nearest way out
        w.set_speed(p.slot, p.speed);
        break;
      default:
        break;
    }
  }

  /// Person i decides what to do (agitation.hpp).
  void decide_for(std::size_t i) {
    Person& p = people[i];
    const CrowdBehaviourDef& b = cd.behaviour;
    const AgitationParams& ap = b.agitation;
    CrowdSituation sit;
    const SimTime heard = dialogue ? dialogue_at : now;
    sit.unheard_s = ms_to_seconds(std::max<SimTime>(0, heard - p.arrive));
    sit.dialogue_started = dialogue;
    int defenders_in_view = 0, actives = 0, others = 0, crowd_here = 0;
    if (p.in_world) {
      const Vec2 me = world->position(p.slot);
      const bool sees_gate = peds::norm(me - peds::closest_point(gate_span, me)) <= b.vision_m;
      sit.gate_closed_in_view = sees_gate && gate_closed;
      defenders_in_view = sees_gate ? defenders_at_gate() : 0;
      crowd_here = std::max(1, front_count);
      for (std::size_t j : person_of_slot) {
        if (j == i || !(standing(people[j].state) || people[j].state == State::enter)) continue;
        if (peds::norm(world->position(people[j].slot) - me) > b.vision_m) continue;
        ++others;
        if (active(people[j].state)) ++actives;
      }
    } else {
      const Index node = area(p.place).node;
      defenders_in_view = node == kNone ? 0 : defenders[static_cast<std::size_t>(node)];
      for (std::size_t j = 0; j < people.size(); ++j) {
        const Person& q = people[j];
        if (j == i || q.in_world || q.place != p.place || !standing(q.state)) continue;
        ++others;
        if (active(q.state)) ++actives;
      }
      crowd_here = others + 1;
    }
    sit.defenders_per_crowd = static_cast<double>(defenders_in_view) / crowd_here;
    const double L = legitimacy(ap, sit);
    const double P = arrest_probability(ap.k, defenders_in_view, actives);
    p.agitation = net_agitation(p.disp, L, P);
    const double share = others > 0 ? static_cast<double>(actives) / others : 0.0;
    const CrowdBehaviour c =
        decide(ap, p.disp, p.agitation, share, cd.groups[static_cast<std::size_t>(p.group)].sit_in);
    State st = State::gather;
    switch (c) {
      case CrowdBehaviour::gather:
        st = State::gather;
        break;
      case CrowdBehaviour::block:
        st = State::block;
        break;
      case CrowdBehaviour::push:
        // Pushing needs a gate: at a place without one the person blocks.
        st = p.in_world ? State::push : State::block;
        break;
      case CrowdBehaviour::sit_in:
        st = State::sit_in;
        break;
    }
    if (p.in_world && !gate_closed && (st == State::block || st == State::push)) st = State::enter;
    if (p.state == State::enter) return;  // once through the gate it stays in
    apply(i, st);
  }

  // ------------------------------------------------------------ the clock

  void leave(std::size_t i) {
    Person& p = people[i];
    // Someone shut in the compound by a gate closed behind them is taken out through the
    // compound [assumption]: off the scene at once.
    if (p.in_world && gate_closed && peds::contains(inside_poly, world->position(p.slot))) {
      apply(i, State::gone);
      return;
    }
    if (p.in_world) {
      apply(i, State::leaving);
    } else {
      apply(i, State::gone);
    }
  }

  void tick() {
    // Arrivals.
    while (next_arrival < by_arrival.size() && people[by_arrival[next_arrival]].arrive <= now) {
      const std::size_t i = by_arrival[next_arrival++];
      Person& p = people[i];
      p.next_decision = p.arrive + p.phase;
      if (out.complaint_received != kNever) p.leave_at = now + p.disperse_delay;
      if (in_gate_area(p.place))
        enter_world(i, cd.groups[static_cast<std::size_t>(p.group)].door, State::gather);
      else
        apply(i, State::gather);
    }
    // Marches set off: the most agitated of those standing at the group's place.
    for (std::size_t g = 0; g < cd.groups.size(); ++g) {
      if (march_done[g] || march_at[g] > now) continue;
      march_done[g] = 1;
      const CrowdGroup& grp = cd.groups[g];
      if (grp.march_cancel_on_dialogue && dialogue) continue;
      if (out.complaint_received != kNever) continue;  // they are going home
      std::vector<std::size_t> here;
      for (std::size_t i = 0; i < people.size(); ++i)
        if (people[i].group == static_cast<Index>(g) && !people[i].in_world &&
            standing(people[i].state) && people[i].leave_at == kNever)
          here.push_back(i);
      std::stable_sort(here.begin(), here.end(), [&](std::size_t x, std::size_t y) {
        return people[x].agitation > people[y].agitation;
      });
      const std::size_t n = std::min(
          here.size(), static_cast<std::size_t>(
                           std::lround(grp.march_share * static_cast<double>(here.size()))));
      for (std::size_t k = 0; k < n; ++k) {
        Person& p = people[here[k]];
        TravelProfile foot;
        foot.foot_speed_mps = p.speed;
        const auto r = router.route(area(p.place).node, area(cd.gate.area).node, foot);
        if (!r) continue;
        apply(here[k], State::marching);
        p.edge_arrival = now + seconds_to_ms(r->time_s);
        ++out.marched;
      }
    }
    // Marchers reach the gate.
    for (std::size_t i = 0; i < people.size(); ++i) {
      Person& p = people[i];
      if (p.state != State::marching || p.edge_arrival > now) continue;
      if (p.leave_at != kNever && p.leave_at <= now) {
        p.state = State::gone;  // the complaint was received while they walked
        continue;
      }
      enter_world(i, cd.groups[static_cast<std::size_t>(p.group)].march_door, State::gather);
    }
    // Decisions.
    const SimTime interval =
        std::max<SimTime>(kTick, seconds_to_ms(cd.behaviour.decision_interval_s));
    for (std::size_t i = 0; i < people.size(); ++i) {
      Person& p = people[i];
      if (p.next_decision > now) continue;
      p.next_decision += interval;
      if (standing(p.state) || p.state == State::enter) decide_for(i);
    }
    // The complaint is received after the dialogue; everyone leaves after their delay.
    if (dialogue && out.complaint_received == kNever && now >= dialogue_at + dialogue_len) {
      out.complaint_received = now;
      for (Person& p : people)
        if (p.state != State::coming) p.leave_at = now + p.disperse_delay;
    }
    for (std::size_t i = 0; i < people.size(); ++i) {
      Person& p = people[i];
      if (p.leave_at <= now && (standing(p.state) || p.state == State::enter)) leave(i);
      if (p.in_world && (p.state == State::leaving || p.state == State::representative) &&
          world->out(p.slot))
        p.state = State::gone;
    }
    measure();
  }

  void measure() {
    // People at the gate and in the street, from positions.
    const std::optional<Index> gate_m =
        cd.gate.measure_area != kNone ? std::optional<Index>(cd.gate.measure_area) : std::nullopt;
    int in_gate_m = 0, in_street = 0, in_front = 0;
    const MeasureArea* gm =
        gate_m ? &s.site.measure_areas[static_cast<std::size_t>(*gate_m)] : nullptr;
    const MeasureArea* sm =
        cd.street_measure_area != kNone
            ? &s.site.measure_areas[static_cast<std::size_t>(cd.street_measure_area)]
            : nullptr;
    for (std::size_t j : person_of_slot) {
      const Person& q = people[j];
      if (!q.in_world || world->out(q.slot) || q.state == State::gone) continue;
      const Vec2 x = world->position(q.slot);
      const bool front = peds::contains(front_poly, x);  // measurements lie in the gate area
      if (front && gm && peds::contains(gm->polygon, x)) ++in_gate_m;
      if (front && sm && peds::contains(sm->polygon, x)) ++in_street;
      if (front) ++in_front;
      // Intruders: those who set out to get in and did (a gatherer pushed through an open
      // gate by the crowd is not one).
      if (!q.intruded && (q.state == State::enter || q.state == State::push) &&
          peds::contains(inside_poly, x)) {
        people[j].intruded = true;
        ++out.intruders;
      }
    }
    gate_count = gm ? in_gate_m : in_front;
    front_count = in_front;
    int present = 0, actives = 0, pushers = 0;
    for (const Person& q : people) {
      if (!standing(q.state) && q.state != State::enter) continue;
      ++present;
      actives += active(q.state) ? 1 : 0;
      pushers += q.state == State::push ? 1 : 0;
    }
    out.peak_pushers = std::max(out.peak_pushers, pushers);
    // A share of a handful of early arrivals says nothing about the crowd: counted from
    // ten people on the scene (or the whole crowd, if smaller).
    if (present > 0 && present >= std::min<int>(10, static_cast<int>(people.size())))
      out.peak_active_fraction =
          std::max(out.peak_active_fraction, static_cast<double>(actives) / present);
    out.peak_at_gate = std::max(out.peak_at_gate, gate_count);
    if (gm && gm->area_m2 > 0)
      out.peak_density_ppm2 = std::max(out.peak_density_ppm2, in_gate_m / gm->area_m2);
    for (std::size_t a = 0; a < at_place.size(); ++a)
      if (at_place[a] > 0 && s.site.areas[a].area_m2 > 0)
        out.peak_place_density_ppm2 =
            std::max(out.peak_place_density_ppm2, at_place[a] / s.site.areas[a].area_m2);
    if (sm && sm->area_m2 > 0 && in_street / sm->area_m2 >= cd.block_density_ppm2)
      out.street_blocked_s += ms_to_seconds(kTick);
    if (load_n > 0) {
      out.peak_gate_pressure_npm =
          std::max(out.peak_gate_pressure_npm, load_sum / load_n / gate_width);
      load_sum = 0;
      load_n = 0;
    }
    if (out.cordon_formed == kNever &&
        defenders_at_gate() >= cordon_needed(gate_width, gate_count, cd.cordon_spacing_m,
                                             cd.cordon_crowd_per_defender))
      out.cordon_formed = now;
  }

  void advance(SimTime t) {
    while (now + period <= t) {
      if (now >= next_tick) {
        tick();
        next_tick += kTick;
      }
      step_world();
      now += period;
    }
  }

  void start_dialogue() {
    if (dialogue) return;
    dialogue = true;
    dialogue_at = now;
    out.dialogue_started = now;
    // Representatives (Law 42/2013/QH13, Điều 29): from those present, places first.
    int present = 0;
    auto here = [&](const Person& p) { return standing(p.state) || p.state == State::enter; };
    for (const Person& p : people) present += here(p) ? 1 : 0;
    const int n = std::min(cd.representatives, max_representatives(present));
    for (int pass = 0; pass < 2 && out.representatives < n; ++pass)
      for (std::size_t i = 0; i < people.size() && out.representatives < n; ++i) {
        Person& p = people[i];
        if (p.in_world != (pass == 1) || !here(p)) continue;
        apply(i, p.in_world ? State::representative : State::gone);
        if (!p.in_world) p.state = State::representative;
        ++out.representatives;
      }
  }
};

ComplaintCrowd::ComplaintCrowd(const Scenario& s, Index incident, Pcg32 rng)
    : impl_(std::make_unique<Impl>(s, incident, rng)) {}
ComplaintCrowd::~ComplaintCrowd() = default;

SimTime ComplaintCrowd::period_ms() const {
  return impl_->period;
}

void ComplaintCrowd::advance(SimTime t) {
  impl_->advance(t);
}

void ComplaintCrowd::add_defenders(Index node, int members) {
  Impl& m = *impl_;
  m.defenders[static_cast<std::size_t>(node)] += members;
  if (node == m.cd.gate.node) m.wake();
}

void ComplaintCrowd::set_gate_closed(bool closed) {
  Impl& m = *impl_;
  if (closed && m.out.gate_closed == kNever) m.out.gate_closed = m.now;
  m.set_gate(closed);
}

void ComplaintCrowd::start_dialogue() {
  impl_->start_dialogue();
}

bool ComplaintCrowd::done() const {
  const Impl& m = *impl_;
  if (m.next_arrival < m.by_arrival.size()) return false;
  for (const Impl::Person& p : m.people)
    if (p.state != State::gone && p.state != State::representative) return false;
  return true;
}

const ComplaintOutcome& ComplaintCrowd::outcome() const {
  return impl_->out;
}

int ComplaintCrowd::defenders_at_gate() const {
  return impl_->defenders_at_gate();
}

std::vector<ComplainantState> ComplaintCrowd::states() const {
  std::vector<ComplainantState> out;
  for (const Impl::Person& p : impl_->people) out.push_back(p.state);
  return out;
}

PedFrame ComplaintCrowd::frame() const {
  const Impl& m = *impl_;
  PedFrame f;
  f.t = m.now;
  f.area_count.assign(m.s.site.areas.size(), 0);
  for (std::size_t i = 0; i < m.people.size(); ++i) {
    const Impl::Person& p = m.people[i];
    if (p.state == State::marching) {
      ++f.on_edges;
      continue;
    }
    if (p.state == State::gone || (p.state == State::representative && !p.in_world)) {
      ++f.out;
      continue;
    }
    if (p.state == State::coming) continue;
    if (!p.in_world) {
      ++f.area_count[static_cast<std::size_t>(p.place)];
      continue;
    }
    if (m.world->out(p.slot)) {
      ++f.out;
      continue;
    }
    const Vec2 x = m.world->position(p.slot);
    f.person.push_back(static_cast<std::int32_t>(i));
    f.x.push_back(static_cast<float>(x.x));
    f.y.push_back(static_cast<float>(x.y));
    f.state.push_back(static_cast<std::uint8_t>(p.state));
    const Index a = peds::contains(m.inside_poly, x) ? m.cd.gate.inside_area : m.cd.gate.area;
    ++f.area_count[static_cast<std::size_t>(a)];
  }
  return f;
}

}  // namespace hqdrill
