#include "hqdrill/sim/crowd.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <queue>
#include <string>
#include <utility>

#include "hqdrill/core/distribution.hpp"
#include "hqdrill/peds/geometry.hpp"
#include "hqdrill/peds/macro.hpp"
#include "hqdrill/peds/measure.hpp"
#include "hqdrill/peds/social_force.hpp"
#include "hqdrill/peds/world.hpp"

namespace hqdrill {

namespace {

using peds::Segment;
using peds::Vec2;

constexpr double kInf = std::numeric_limits<double>::infinity();

Vec2 mid(const Segment& s) {
  return 0.5 * (s.a + s.b);
}

double length(const Segment& s) {
  return peds::norm(s.b - s.a);
}

/// A connection through which people pass: a door to the outside, a door between two
/// areas that touch, or two doors joined by a site-graph edge. side[1] = kNone: outside.
struct Portal {
  std::array<Index, 2> area{kNone, kNone};
  std::array<Segment, 2> span;
  std::array<Index, 2> door{kNone, kNone};  ///< door index in each side's area (kNone: mirrored)
  double length_m = 0;                      ///< walked between the two spans
  Index edge = kNone;
  bool closed = false;
  int side_of(Index a) const { return area[0] == a ? 0 : 1; }
};

std::vector<Portal> portals_of(const Site& site) {
  // A door named as another door's "to_door" belongs to that connection.
  std::vector<std::vector<char>> target(site.areas.size());
  for (std::size_t a = 0; a < site.areas.size(); ++a)
    target[a].assign(site.areas[a].doors.size(), 0);
  for (const Area& a : site.areas)
    for (const AreaDoor& d : a.doors)
      if (d.to_door != kNone)
        target[static_cast<std::size_t>(d.to_area)][static_cast<std::size_t>(d.to_door)] = 1;
  std::vector<Portal> out;
  for (std::size_t ai = 0; ai < site.areas.size(); ++ai) {
    const Area& a = site.areas[ai];
    for (std::size_t di = 0; di < a.doors.size(); ++di) {
      const AreaDoor& d = a.doors[di];
      if (target[ai][di] && d.to_door == kNone) continue;  // the other side lists it
      if (d.to_door != kNone) {
        // Written from both sides: keep the one from the lower (area, door).
        const AreaDoor& back = site.areas[static_cast<std::size_t>(d.to_area)]
                                   .doors[static_cast<std::size_t>(d.to_door)];
        if (back.to_door != kNone &&
            std::pair<Index, Index>{d.to_area, d.to_door} <
                std::pair<Index, Index>{static_cast<Index>(ai), static_cast<Index>(di)})
          continue;
      }
      Portal p;
      p.area = {static_cast<Index>(ai), d.to_area};
      p.span = {d.span, d.span};
      p.door = {static_cast<Index>(di), kNone};
      p.edge = d.edge;
      p.closed = d.closed_at_start;
      if (d.to_door != kNone) {
        const AreaDoor& other = site.areas[static_cast<std::size_t>(d.to_area)]
                                    .doors[static_cast<std::size_t>(d.to_door)];
        p.span[1] = other.span;
        p.door[1] = d.to_door;
        p.closed = p.closed || other.closed_at_start;
        if (d.edge != kNone) p.length_m = site.edges[static_cast<std::size_t>(d.edge)].length_m;
      }
      out.push_back(p);
    }
  }
  return out;
}

/// Union-find root.
Index root(std::vector<Index>& parent, Index i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

}  // namespace

struct Crowd::Impl {
  enum class State : std::uint8_t { waiting, micro, macro, edge, out };

  struct Person {
    State state = State::waiting;
    Index area = kNone;    ///< current area (walking an edge: the area it goes to)
    Vec2 pos;              ///< where it appears (waiting) or will enter (edge)
    Index portal = kNone;  ///< edge walk: the portal walked
    Segment entry;         ///< edge walk: the door span it will come in by
    double speed_mps = 1.34, radius_m = 0.2;
    SimTime pre_movement = 0;
    Index cluster = kNone;
    std::size_t slot = 0;      ///< index in its cluster's PedWorld
    double path_before_m = 0;  ///< path walked in earlier clusters and on edges
  };

  /// A PedWorld over micro areas that touch through doors.
  struct Cluster {
    std::vector<Index> areas;             ///< scenario areas, in world order
    std::vector<Index> exit_portal;       ///< per ExitRef of the world
    std::vector<Index> exit_area;         ///< per ExitRef: the scenario area it is a door of
    std::vector<std::size_t> exit_local;  ///< per ExitRef: that area's index in the world
    /// Per ExitRef: shut in this world because the way on beyond it is closed off (a dead
    /// end): a wall from this side, so nobody walks, or is pushed, into it.
    std::vector<char> exit_shut;
    std::unique_ptr<peds::PedWorld> world;
    std::vector<Index> person_of;  ///< per world slot
    std::vector<char> seen_out;    ///< per world slot
    /// Measurement areas and lines of the site that lie in this cluster's areas.
    std::unique_ptr<peds::MeasurementSet> measure;
    std::vector<Index> measure_area, measure_line;  ///< site index per set index
    std::vector<Vec2> pos, vel;                     ///< observe() buffers
    std::vector<std::uint32_t> ids;
  };

  const Scenario& s;
  const Incident& inc;
  Pcg32 rng;
  std::vector<Portal> portals;
  std::vector<Index> cluster_of_area;  ///< kNone for macro areas
  std::vector<Cluster> clusters;
  std::vector<double> cost_out;  ///< per (portal, side): metres to the outside beyond it
  std::vector<Person> persons;
  std::vector<PersonRecord> records;
  struct Arrival {
    SimTime t;
    Index person;
    bool operator>(const Arrival& o) const { return t != o.t ? t > o.t : person > o.person; }
  };
  std::priority_queue<Arrival, std::vector<Arrival>, std::greater<>> arrivals;
  SimTime now = 0, period = 50;
  int out_count = 0;
  bool alarmed = false;

  /// The macro areas: one MacroModel room each; every way out of a macro area ends in
  /// its own hand-off sink, so the crowd knows who left which area by which portal and
  /// passes them on (into the next area, micro or macro, or out).
  struct MacroPart {
    std::unique_ptr<peds::MacroModel> model;
    SimTime dt = 500;
    std::vector<Index> room_of_area;  ///< per scenario area: its room, or kNone
    struct Sink {
      Index portal = kNone, from_area = kNone;
    };
    std::vector<Sink> sink;                        ///< per macro room (kNone portal: an area)
    std::vector<std::vector<Index>> portal_links;  ///< per portal: its macro links
    /// Per scenario area: the people in it, by the time they reach its door.
    std::vector<std::vector<std::pair<SimTime, Index>>> queue;
  };
  std::optional<MacroPart> macro;
  std::vector<double> macro_peak_density;  ///< per measurement area in a macro area

  Impl(const Scenario& sc, Index incident, Pcg32 r)
      : s(sc), inc(sc.incidents[static_cast<std::size_t>(incident)]), rng(r) {
    period = std::max<SimTime>(1, seconds_to_ms(inc.peds.micro_dt_s));
    portals = portals_of(s.site);
    route();
    build_clusters();
    build_macro();
    if (clusters.empty() && macro) period = macro->dt;
    populate();
  }

  // ------------------------------------------------------------ routes

  /// Cost (m) to the outside of someone who has just come into area[k] through portal p
  /// (vertex 2p+k), by the cheapest way on through ANOTHER open door of that area:
  /// walking inside an area from door to door costs the straight line between their
  /// centres divided by the area's speed factor, passing a door its length (the edge
  /// walked between areas apart), the outside nothing. A door into a dead end is
  /// therefore as far as the outside is unreachable (+inf), not as far as coming back.
  /// Dijkstra backwards from the doors to the outside.
  void route() {
    const std::size_t n = portals.size();
    cost_out.assign(2 * n, kInf);
    using Item = std::pair<double, std::size_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
    auto relax = [&](std::size_t w, double cw) {
      if (cw < cost_out[w]) {
        cost_out[w] = cw;
        q.push({cw, w});
      }
    };
    auto walk = [&](Index a, const Segment& from, const Segment& to) {
      return peds::norm(mid(from) - mid(to)) /
             s.site.areas[static_cast<std::size_t>(a)].speed_factor;
    };
    /// Every (p, k) in area a with p != except: cost via leaving a through span `exit`.
    auto into = [&](Index a, std::size_t except, const Segment& exit, double then) {
      for (std::size_t p = 0; p < n; ++p) {
        const Portal& P = portals[p];
        if (P.closed || p == except) continue;
        for (std::size_t k = 0; k < 2; ++k)
          if (P.area[k] == a) relax(2 * p + k, walk(a, P.span[k], exit) + then);
      }
    };
    for (std::size_t e = 0; e < n; ++e)
      if (!portals[e].closed && portals[e].area[1] == kNone)
        into(portals[e].area[0], e, portals[e].span[0], 0.0);
    while (!q.empty()) {
      auto [c, v] = q.top();
      q.pop();
      if (c > cost_out[v]) continue;
      const std::size_t e = v / 2, k = v % 2;
      const Portal& E = portals[e];
      // People who leave area b = area[1 - k] through e arrive at v.
      const Index b = E.area[1 - k];
      if (b == kNone || E.closed) continue;
      into(b, e, E.span[1 - k], E.length_m + c);
    }
  }

  /// Metres to the outside for someone in area `from` who leaves through portal p.
  double beyond(std::size_t p, Index from) const {
    const Portal& P = portals[p];
    if (P.area[1] == kNone) return 0;
    const int k = P.side_of(from);
    return P.length_m + cost_out[2 * p + static_cast<std::size_t>(1 - k)];
  }

  // ------------------------------------------------------------ micro clusters

  void build_clusters() {
    const std::size_t na = s.site.areas.size();
    std::vector<Index> parent(na);
    std::iota(parent.begin(), parent.end(), 0);
    auto micro = [&](Index a) {
      return a != kNone && s.site.areas[static_cast<std::size_t>(a)].fidelity == Fidelity::micro;
    };
    for (const Portal& p : portals)
      if (p.edge == kNone && p.length_m == 0 && micro(p.area[0]) && micro(p.area[1]))
        parent[root(parent, p.area[0])] = root(parent, p.area[1]);
    cluster_of_area.assign(na, kNone);
    std::map<Index, Index> cluster_of_root;
    for (std::size_t a = 0; a < na; ++a) {
      if (!micro(static_cast<Index>(a))) continue;
      const Index r = root(parent, static_cast<Index>(a));
      auto [it, fresh] = cluster_of_root.emplace(r, static_cast<Index>(clusters.size()));
      if (fresh) clusters.emplace_back();
      cluster_of_area[a] = it->second;
      clusters[static_cast<std::size_t>(it->second)].areas.push_back(static_cast<Index>(a));
    }
    for (std::size_t c = 0; c < clusters.size(); ++c) make_world(static_cast<Index>(c));
  }

  // Built by appending, not "p" + std::string: GCC 12 at -O3 warns a false -Wrestrict on
  // the latter (GCC bug 105329), which a Release build with HQDRILL_WERROR turns into an error.
  static std::string portal_door(std::size_t p) {
    std::string id = "p";
    id += std::to_string(p);
    return id;
  }

  void make_world(Index ci) {
    Cluster& c = clusters[static_cast<std::size_t>(ci)];
    std::vector<peds::WalkableArea> areas;
    std::vector<peds::ExitRef> exits;
    for (std::size_t k = 0; k < c.areas.size(); ++k) {
      const Area& a = s.site.areas[static_cast<std::size_t>(c.areas[k])];
      peds::WalkableArea w{a.id, a.outline, a.holes, {}};
      w.speed_factor = a.speed_factor;
      for (std::size_t p = 0; p < portals.size(); ++p) {
        const Portal& P = portals[p];
        for (int side = 0; side < 2; ++side) {
          if (P.area[static_cast<std::size_t>(side)] != c.areas[k]) continue;
          const Index other = P.area[static_cast<std::size_t>(1 - side)];
          const bool internal = other != kNone &&
                                cluster_of_area[static_cast<std::size_t>(other)] == ci &&
                                P.length_m == 0 && P.edge == kNone;
          const double extra = internal ? 0.0 : beyond(p, c.areas[k]);
          const bool shut = !internal && !std::isfinite(extra);
          w.doors.push_back(
              {portal_door(p), P.span[static_cast<std::size_t>(side)], !P.closed && !shut});
          if (!internal) {
            exits.push_back({k, portal_door(p), extra});
            c.exit_portal.push_back(static_cast<Index>(p));
            c.exit_area.push_back(c.areas[k]);
            c.exit_local.push_back(k);
            c.exit_shut.push_back(shut ? 1 : 0);
          }
        }
      }
      areas.push_back(std::move(w));
    }
    peds::PedWorldOptions opt;
    opt.field.cell_m = inc.peds.cell_m;
    // Exit choice by estimated time including the route beyond each door (world.hpp).
    opt.choose_exits = true;
    opt.kind = inc.peds.model;
    c.world = std::make_unique<peds::PedWorld>(std::move(areas), std::move(exits), opt);
    auto mine = [&](Index a) {
      return std::find(c.areas.begin(), c.areas.end(), a) != c.areas.end();
    };
    for (std::size_t k = 0; k < s.site.measure_areas.size(); ++k) {
      const MeasureArea& m = s.site.measure_areas[k];
      if (!mine(m.area)) continue;
      if (!c.measure) c.measure = std::make_unique<peds::MeasurementSet>();
      c.measure->add_area(m.id, m.polygon);
      c.measure_area.push_back(static_cast<Index>(k));
    }
    for (std::size_t k = 0; k < s.site.measure_lines.size(); ++k) {
      const MeasureLine& m = s.site.measure_lines[k];
      if (!mine(m.area)) continue;
      if (!c.measure) c.measure = std::make_unique<peds::MeasurementSet>();
      c.measure->add_line(m.id, m.line);
      c.measure_line.push_back(static_cast<Index>(k));
    }
  }

  /// Feeds the cluster's measurement set the people walking in it at time t.
  void observe(Cluster& c, SimTime t) {
    c.pos.clear();
    c.vel.clear();
    c.ids.clear();
    for (std::size_t slot = 0; slot < c.person_of.size(); ++slot) {
      if (c.world->records()[slot].spawn_s < 0 || c.world->out(slot)) continue;
      c.pos.push_back(c.world->position(slot));
      c.vel.push_back(c.world->velocity(slot));
      c.ids.push_back(static_cast<std::uint32_t>(slot));
    }
    const double ts = ms_to_seconds(t);
    c.measure->observe(ts, c.pos, c.vel, c.ids);
    for (std::size_t k = 0; k < c.measure_line.size(); ++k)
      if (const peds::SocialForceModel* sf = c.world->social_force();
          sf && s.site.measure_lines[static_cast<std::size_t>(c.measure_line[k])].pressure)
        c.measure->line(k).add_pressure(ts, peds::line_pressure(c.measure->line(k).segment(), *sf));
  }

  // ------------------------------------------------------------ macro areas

  bool is_macro(Index a) const {
    return a != kNone && s.site.areas[static_cast<std::size_t>(a)].fidelity == Fidelity::macro;
  }

  void build_macro() {
    const std::size_t na = s.site.areas.size();
    bool any = false;
    for (std::size_t a = 0; a < na; ++a) any = any || is_macro(static_cast<Index>(a));
    if (!any) return;
    MacroPart m;
    m.dt = std::max<SimTime>(1, seconds_to_ms(inc.peds.macro_dt_s));
    if (m.dt % period != 0) m.dt = (m.dt / period + 1) * period;  // whole micro steps
    peds::MacroNetwork net;
    m.room_of_area.assign(na, kNone);
    for (std::size_t a = 0; a < na; ++a) {
      if (!is_macro(static_cast<Index>(a))) continue;
      const Area& area = s.site.areas[a];
      m.room_of_area[a] = static_cast<Index>(net.rooms.size());
      net.rooms.push_back({area.id, area.area_m2});
      m.sink.push_back({});
    }
    m.portal_links.assign(portals.size(), {});
    for (std::size_t p = 0; p < portals.size(); ++p) {
      const Portal& P = portals[p];
      for (std::size_t side = 0; side < 2; ++side) {
        const Index a = P.area[side];
        if (!is_macro(a)) continue;
        // The sink beyond this door, seen from area a; routing cost: the way on from there.
        peds::MacroRoom sink;
        sink.id = portal_door(p) + "_from_" + s.site.areas[static_cast<std::size_t>(a)].id;
        sink.handoff = true;
        sink.beyond_m = beyond(p, a);
        const Index sink_room = static_cast<Index>(net.rooms.size());
        net.rooms.push_back(sink);
        m.sink.push_back({static_cast<Index>(p), a});
        peds::MacroLink l;
        l.id = sink.id;
        l.a = m.room_of_area[static_cast<std::size_t>(a)];
        l.b = sink_room;
        const double w0 = length(P.span[0]), w1 = length(P.span[1]);
        l.clear_width_m = P.area[1] == kNone ? w0 : std::min(w0, w1);
        // A door is crossed in a step; the edge between areas apart is walked.
        const bool stairs =
            P.area[1] != kNone &&
            s.site.areas[static_cast<std::size_t>(P.area[0])].kind == AreaKind::stairs &&
            s.site.areas[static_cast<std::size_t>(P.area[1])].kind == AreaKind::stairs;
        l.kind = P.length_m > 0 ? (stairs ? peds::LinkKind::stair : peds::LinkKind::corridor)
                                : peds::LinkKind::door;
        l.length_m = std::max(P.length_m, 1.0);
        l.open = !P.closed;
        m.portal_links[p].push_back(static_cast<Index>(net.links.size()));
        net.links.push_back(l);
      }
    }
    peds::MacroSettings ms;
    ms.dt_ms = m.dt;
    ms.horizon_ms = inc.horizon != kNever ? inc.horizon : s.run.horizon;
    ms.choice = peds::ExitChoice::quickest;
    ms.door_specific_flow_psm = inc.peds.macro_door_flow_psm;
    ms.flow_window_ms = 10 * m.dt;
    ms.trace_every_ms = 0;
    m.model = std::make_unique<peds::MacroModel>(std::move(net), ms);
    m.queue.assign(na, {});
    macro = std::move(m);
    macro_peak_density.assign(s.site.measure_areas.size(), 0.0);
  }

  /// Walk (m, divided by the speed factor) from `from` to the nearest open door of area
  /// a other than portal `entry`.
  double walk_to_door(Index a, Vec2 from, Index entry) const {
    double best = kInf;
    for (std::size_t p = 0; p < portals.size(); ++p) {
      const Portal& P = portals[p];
      if (P.closed || static_cast<Index>(p) == entry) continue;
      for (std::size_t side = 0; side < 2; ++side)
        if (P.area[side] == a) best = std::min(best, peds::norm(mid(P.span[side]) - from));
    }
    if (best == kInf) best = 0;
    return best / s.site.areas[static_cast<std::size_t>(a)].speed_factor;
  }

  /// Person i enters macro area a at `from` at time t and is ready after `wait`.
  void macro_enter(Index i, Index a, Vec2 from, SimTime t, SimTime wait, Index entry) {
    Person& p = persons[static_cast<std::size_t>(i)];
    p.state = State::macro;
    p.area = a;
    const double walk = walk_to_door(a, from, entry);
    p.path_before_m += walk;
    const Index room = macro->room_of_area[static_cast<std::size_t>(a)];
    const double one[1] = {walk};
    macro->model->add_walkers(room, t + wait, one);
    // The model walks everyone to the door at its free speed: keep them in that order.
    const SimTime door =
        t + wait + seconds_to_ms(walk / peds::free_speed_mps(peds::MacroSettings{}));
    auto& q = macro->queue[static_cast<std::size_t>(a)];
    q.insert(std::upper_bound(q.begin(), q.end(), std::pair<SimTime, Index>{door, i}), {door, i});
  }

  /// One step of the macro model, then its hand-offs: the first in each area's queue
  /// go on into the next area or out.
  void macro_step() {
    macro->model->step();
    for (const peds::MacroHandoff& h : macro->model->handoffs()) {
      const MacroPart::Sink& sk = macro->sink[static_cast<std::size_t>(h.room)];
      const Portal& P = portals[static_cast<std::size_t>(sk.portal)];
      auto& q = macro->queue[static_cast<std::size_t>(sk.from_area)];
      const int k = P.side_of(sk.from_area);
      const Index to = P.area[static_cast<std::size_t>(1 - k)];
      for (int n = 0; n < h.people && !q.empty(); ++n) {
        const Index i = q.front().second;
        q.erase(q.begin());
        Person& p = persons[static_cast<std::size_t>(i)];
        p.path_before_m += P.length_m;
        if (to == kNone) {
          p.state = State::out;
          PersonRecord& r = records[static_cast<std::size_t>(i)];
          r.out = h.at_ms;
          r.path_m = p.path_before_m;
          r.exit_area = P.area[0], r.exit_door = P.door[0];
          ++out_count;
          continue;
        }
        const Segment in = P.span[static_cast<std::size_t>(1 - k)];
        p.portal = sk.portal;
        if (is_macro(to))
          macro_enter(i, to, mid(in), h.at_ms, 0, sk.portal);
        else
          enter(i, to, place_at(to, in, p.radius_m), h.at_ms, 0);
      }
    }
    for (std::size_t k = 0; k < s.site.measure_areas.size(); ++k) {
      const MeasureArea& ma = s.site.measure_areas[k];
      const Index room = macro->room_of_area[static_cast<std::size_t>(ma.area)];
      if (room == kNone) continue;
      const double area = s.site.areas[static_cast<std::size_t>(ma.area)].area_m2;
      macro_peak_density[k] =
          std::max(macro_peak_density[k], macro->model->population(room) / area);
    }
  }

  /// Steps the macro model up to time t.
  void macro_advance(SimTime t) {
    if (!macro) return;
    while (macro->model->now_ms() + macro->dt <= t) macro_step();
  }

  // ------------------------------------------------------------ people

  /// A random point of area a at least r from its walls (rejection from the bounding
  /// box; the social-force model separates people who overlap).
  Vec2 random_point(const Area& a, double r) {
    double x0 = kInf, y0 = kInf, x1 = -kInf, y1 = -kInf;
    for (const Vec2& v : a.outline) {
      x0 = std::min(x0, v.x), y0 = std::min(y0, v.y);
      x1 = std::max(x1, v.x), y1 = std::max(y1, v.y);
    }
    const peds::Polygon poly{a.outline, a.holes};
    Vec2 p{0.5 * (x0 + x1), 0.5 * (y0 + y1)};
    for (int attempt = 0; attempt < 1000; ++attempt) {
      const Vec2 c{x0 + (x1 - x0) * rng.next_double(), y0 + (y1 - y0) * rng.next_double()};
      if (!peds::contains(poly, c)) continue;
      p = c;
      bool clear = true;
      auto check = [&](const std::vector<Vec2>& ring) {
        for (std::size_t i = 0; i < ring.size() && clear; ++i) {
          const Segment e{ring[i], ring[(i + 1) % ring.size()]};
          if (peds::norm(c - peds::closest_point(e, c)) < r) clear = false;
        }
      };
      check(a.outline);
      for (const auto& h : a.holes) check(h);
      if (clear) break;
    }
    return p;
  }

  void populate() {
    for (std::size_t g = 0; g < inc.ped_groups.size(); ++g) {
      const PedGroup& grp = inc.ped_groups[g];
      const Area& a = s.site.areas[static_cast<std::size_t>(grp.area)];
      for (int i = 0; i < grp.count; ++i) {
        Person p;
        p.area = grp.area;
        p.radius_m = grp.radius_m;
        p.pos = random_point(a, grp.radius_m);
        p.speed_mps = sample(grp.speed_mps, rng);
        p.pre_movement = seconds_to_ms(sample(grp.pre_movement_s, rng));
        PersonRecord rec;
        rec.group = static_cast<Index>(g);
        rec.area = grp.area;
        persons.push_back(p);
        records.push_back(rec);
      }
    }
    for (std::size_t i = 0; i < persons.size(); ++i) {
      if (!inc.ped_groups[static_cast<std::size_t>(records[i].group)].after_alarm)
        appear(static_cast<Index>(i), 0);
    }
  }

  /// Person i is placed in its area at t and starts after its pre-movement.
  void appear(Index i, SimTime t) {
    Person& p = persons[static_cast<std::size_t>(i)];
    PersonRecord& r = records[static_cast<std::size_t>(i)];
    r.appears = t;
    r.starts = t + p.pre_movement;
    enter(i, p.area, p.pos, t, p.pre_movement);
  }

  /// Person i enters area a at position pos at time t, starting to walk after `wait`.
  void enter(Index i, Index a, Vec2 pos, SimTime t, SimTime wait) {
    Person& p = persons[static_cast<std::size_t>(i)];
    if (is_macro(a)) {
      macro_enter(i, a, pos, t, wait, p.portal);
      return;
    }
    p.area = a;
    const Index ci = cluster_of_area[static_cast<std::size_t>(a)];
    Cluster& c = clusters[static_cast<std::size_t>(ci)];
    peds::PedSpec spec;
    spec.position = pos;
    spec.desired_speed_mps = p.speed_mps;
    spec.radius_m = p.radius_m;
    // A person in pre-movement stands where it is and is not simulated (nor an obstacle
    // to others) until it starts: most of an evacuation's clock is pre-movement.
    spec.spawn_time_s = ms_to_seconds(t + wait);
    spec.pre_movement_s = 0;
    p.state = State::micro;
    p.cluster = ci;
    p.slot = c.world->add_agent(spec);
    c.person_of.push_back(i);
    c.seen_out.push_back(0);
  }

  /// Person i left cluster c through exit `exit` of its world at time t.
  void left(Index i, Index ci, std::size_t slot, SimTime t) {
    Person& p = persons[static_cast<std::size_t>(i)];
    const Cluster& c = clusters[static_cast<std::size_t>(ci)];
    p.path_before_m += c.world->records()[slot].path_m;
    // The exit it used, as the world recorded it (the open exit span nearest to its
    // centre when it went out); -1 if it left the areas elsewhere (should not happen:
    // every gap in the walls is a door).
    const int e = c.world->records()[slot].exit;
    const Index best = e >= 0 ? c.exit_portal[static_cast<std::size_t>(e)] : kNone;
    const Index from = e >= 0 ? c.exit_area[static_cast<std::size_t>(e)] : kNone;
    const Portal* P = best == kNone ? nullptr : &portals[static_cast<std::size_t>(best)];
    if (!P || P->area[1] == kNone) {
      p.state = State::out;
      PersonRecord& r = records[static_cast<std::size_t>(i)];
      r.out = t;
      r.path_m = p.path_before_m;
      if (P) r.exit_area = P->area[0], r.exit_door = P->door[0];
      ++out_count;
      return;
    }
    const int k = P->side_of(from);
    const Index to = P->area[static_cast<std::size_t>(1 - k)];
    const Segment in = P->span[static_cast<std::size_t>(1 - k)];
    p.state = State::edge;
    p.portal = best;
    p.area = to;
    p.entry = in;
    p.path_before_m += P->length_m;
    const SimTime walk = seconds_to_ms(P->length_m / edge_speed(*P, p.speed_mps));
    arrivals.push({t + walk, i});
  }

  /// Speed along the edge between two areas apart: the person's, times the smaller speed
  /// factor of the two areas (a flight between two stair areas is walked at stair speed),
  /// capped by the edge's foot speed limit; at least 0.1 m/s.
  double edge_speed(const Portal& P, double speed_mps) const {
    double f = 1.0;
    for (Index a : P.area)
      if (a != kNone) f = std::min(f, s.site.areas[static_cast<std::size_t>(a)].speed_factor);
    double v = speed_mps * f;
    if (P.edge != kNone) {
      const double cap = s.site.edges[static_cast<std::size_t>(P.edge)]
                             .speed_limit_mps[static_cast<std::size_t>(TravelMode::foot)];
      if (cap > 0) v = std::min(v, cap);
    }
    return std::max(0.1, v);
  }

  /// Where someone coming in through `span` is placed in area a: of a few spots just
  /// inside the door (spread along it, 0.2 to 1.2 m deep), the first with room for a
  /// body clear of everyone already walking there, else the one with the most room, so
  /// arrivals do not land on each other and get pushed into the walls.
  Vec2 place_at(Index a, const Segment& span, double r) {
    const Area& area = s.site.areas[static_cast<std::size_t>(a)];
    const peds::Polygon poly{area.outline, area.holes};
    const Vec2 d = peds::normalized(span.b - span.a);
    Vec2 n{-d.y, d.x};
    const double w = length(span);
    if (!peds::contains(poly, mid(span) + (r + 0.2) * n)) n = -1.0 * n;
    const Index ci = cluster_of_area[static_cast<std::size_t>(a)];
    const Cluster* c = ci == kNone ? nullptr : &clusters[static_cast<std::size_t>(ci)];
    Vec2 best = mid(span) + (r + 0.2) * n;
    double best_room = -1;
    const double shift = rng.next_double();
    for (const double depth : {r + 0.2, r + 0.7, r + 1.2})
      for (int k = 0; k < 5; ++k) {
        const double along =
            w > 2 * r ? r + (w - 2 * r) * std::fmod((k + shift) / 5.0, 1.0) : 0.5 * w;
        const Vec2 q = span.a + along * d + depth * n;
        if (!peds::contains(poly, q)) continue;
        double room = kInf;
        if (c)
          for (std::size_t slot = 0; slot < c->person_of.size(); ++slot)
            if (c->world->records()[slot].spawn_s >= 0 && !c->world->out(slot))
              room = std::min(room, peds::norm(c->world->position(slot) - q));
        if (room >= 2 * r + 0.1) return q;
        if (room > best_room) best_room = room, best = q;
      }
    return best;
  }

  // ------------------------------------------------------------ stepping

  /// Someone is walking an edge, or a cluster has people and an open exit (with every
  /// exit of a cluster closed its people wait: trapped until a door opens).
  bool moving() const {
    if (!arrivals.empty()) return true;
    if (macro && !macro->model->done()) return true;
    for (const Cluster& c : clusters)
      if (c.world->remaining() > 0 &&
          (c.world->field() != nullptr || c.world->door_events_pending()))
        return true;
    return false;
  }

  void advance(SimTime t) {
    while (now < t) {
      const SimTime next = std::min(t, now + period);
      if (!moving()) {
        // Nothing walks: jump the clocks of empty worlds in one step to t; worlds with
        // people in them (trapped behind closed doors) step on at the period.
        for (Cluster& c : clusters)
          if (c.world->remaining() == 0) c.world->step(ms_to_seconds(t - now));
        for (SimTime u = now; u < t; u = std::min(t, u + period))
          for (Cluster& c : clusters)
            if (c.world->remaining() > 0) c.world->step(ms_to_seconds(std::min(t, u + period) - u));
        now = t;
        macro_advance(t);
        continue;
      }
      const double dt = ms_to_seconds(next - now);
      for (std::size_t ci = 0; ci < clusters.size(); ++ci) {
        Cluster& c = clusters[ci];
        if (c.world->remaining() == 0) {
          c.world->step(dt);
          continue;
        }
        c.world->step(dt);
        if (c.measure) observe(c, next);
        for (std::size_t slot = 0; slot < c.person_of.size(); ++slot)
          if (!c.seen_out[slot] && c.world->out(slot)) {
            c.seen_out[slot] = 1;
            left(c.person_of[slot], static_cast<Index>(ci), slot, next);
          }
      }
      now = next;
      macro_advance(now);
      while (!arrivals.empty() && arrivals.top().t <= now) {
        const Arrival a = arrivals.top();
        arrivals.pop();
        Person& p = persons[static_cast<std::size_t>(a.person)];
        const Vec2 at = is_macro(p.area) ? mid(p.entry) : place_at(p.area, p.entry, p.radius_m);
        enter(a.person, p.area, at, now, 0);
      }
    }
  }

  void set_door(Index area, Index door, bool closed) {
    for (std::size_t p = 0; p < portals.size(); ++p) {
      Portal& P = portals[p];
      const bool hit =
          (P.area[0] == area && P.door[0] == door) || (P.area[1] == area && P.door[1] == door);
      if (!hit || P.closed == closed) continue;
      P.closed = closed;
      for (int side = 0; side < 2; ++side) {
        const Index a = P.area[static_cast<std::size_t>(side)];
        if (a == kNone) continue;
        const Index ci = cluster_of_area[static_cast<std::size_t>(a)];
        if (ci == kNone) continue;
        Cluster& c = clusters[static_cast<std::size_t>(ci)];
        const auto it = std::find(c.areas.begin(), c.areas.end(), a);
        bool shut = false;  // a dead end from this side stays shut (re-checked below)
        for (std::size_t e = 0; e < c.exit_portal.size(); ++e)
          if (c.exit_portal[e] == static_cast<Index>(p) && c.exit_area[e] == a)
            shut = c.exit_shut[e] != 0;
        c.world->schedule_door({ms_to_seconds(now), static_cast<std::size_t>(it - c.areas.begin()),
                                portal_door(p), !closed && !shut});
      }
    }
    route();
    if (macro)
      for (std::size_t p = 0; p < portals.size(); ++p)
        for (Index l : macro->portal_links[p])
          if (macro->model->link_open(l) == portals[p].closed)
            macro->model->set_link_open(l, !portals[p].closed);
    // The way on from each macro sink may have changed with the door.
    if (macro)
      for (std::size_t r = 0; r < macro->sink.size(); ++r)
        if (const MacroPart::Sink& sk = macro->sink[r]; sk.portal != kNone)
          macro->model->set_beyond(static_cast<Index>(r),
                                   beyond(static_cast<std::size_t>(sk.portal), sk.from_area));
    for (Cluster& c : clusters)
      for (std::size_t e = 0; e < c.exit_portal.size(); ++e) {
        const std::size_t p = static_cast<std::size_t>(c.exit_portal[e]);
        const double extra = beyond(p, c.exit_area[e]);
        c.world->set_exit_extra(e, extra);
        // A door into a dead end is shut from this side; it opens again with the way on.
        const bool shut = !std::isfinite(extra);
        if (shut == (c.exit_shut[e] != 0)) continue;
        c.exit_shut[e] = shut ? 1 : 0;
        if (!portals[p].closed)
          c.world->schedule_door({ms_to_seconds(now), c.exit_local[e], portal_door(p), !shut});
      }
  }
};

std::vector<char> areas_in_reach(const Site& site, const Incident& inc) {
  std::vector<char> in(site.areas.size(), 0);
  std::vector<Index> todo;
  for (const PedGroup& g : inc.ped_groups)
    if (!in[static_cast<std::size_t>(g.area)]) {
      in[static_cast<std::size_t>(g.area)] = 1;
      todo.push_back(g.area);
    }
  auto reach = [&](Index a) {
    if (a != kNone && !in[static_cast<std::size_t>(a)]) {
      in[static_cast<std::size_t>(a)] = 1;
      todo.push_back(a);
    }
  };
  while (!todo.empty()) {
    const Index a = todo.back();
    todo.pop_back();
    for (const AreaDoor& d : site.areas[static_cast<std::size_t>(a)].doors) reach(d.to_area);
    // Doors are listed on one side: areas whose doors lead here are joined too.
    for (std::size_t b = 0; b < site.areas.size(); ++b)
      for (const AreaDoor& d : site.areas[b].doors)
        if (d.to_area == a) reach(static_cast<Index>(b));
  }
  return in;
}

std::vector<std::string> measure_kpi_names(const Site& site, const Incident& inc) {
  const std::vector<char> in = areas_in_reach(site, inc);
  std::vector<std::string> names;
  for (const MeasureArea& m : site.measure_areas)
    if (in[static_cast<std::size_t>(m.area)]) names.push_back("peak_density_" + m.id + "_ppm2");
  for (const MeasureLine& m : site.measure_lines) {
    if (!in[static_cast<std::size_t>(m.area)]) continue;
    names.push_back("passed_" + m.id + "_n");
    names.push_back("peak_flow_" + m.id + "_pps");
    if (m.pressure) names.push_back("peak_pressure_" + m.id + "_npm");
  }
  return names;
}

namespace {

/// Largest mean of `value` over consecutive windows [k w, (k + 1) w) of the samples'
/// times; 0 without samples.
template <class Samples, class Value>
double peak_window_mean(const Samples& samples, double window_s, Value value) {
  double best = 0, sum = 0;
  long bin = -1;
  int n = 0;
  for (const auto& x : samples) {
    const long b = static_cast<long>(std::floor(x.t_s / window_s));
    if (b != bin) {
      if (n > 0) best = std::max(best, sum / n);
      bin = b, sum = 0, n = 0;
    }
    sum += value(x);
    ++n;
  }
  if (n > 0) best = std::max(best, sum / n);
  return best;
}

}  // namespace

std::vector<std::optional<double>> Crowd::measures() const {
  const Impl& m = *impl_;
  const Site& site = m.s.site;
  std::vector<std::optional<double>> area_kpi(site.measure_areas.size());
  std::vector<std::array<std::optional<double>, 3>> line_kpi(site.measure_lines.size());
  for (const Impl::Cluster& c : m.clusters) {
    if (!c.measure) continue;
    for (std::size_t k = 0; k < c.measure_area.size(); ++k)
      area_kpi[static_cast<std::size_t>(c.measure_area[k])] =
          peak_window_mean(c.measure->area(k).samples(), 1.0,
                           [](const peds::AreaSample& a) { return a.density_pm2; });
    for (std::size_t k = 0; k < c.measure_line.size(); ++k) {
      const peds::MeasurementLine& l = c.measure->line(k);
      auto& out = line_kpi[static_cast<std::size_t>(c.measure_line[k])];
      out[0] = static_cast<double>(l.positive_count() - l.negative_count());
      double peak = 0;
      if (!l.crossings().empty())
        for (const peds::FlowWindow& w :
             l.flow_windows(std::floor(l.crossings().front().t_s / 10.0) * 10.0,
                            l.crossings().back().t_s + 1e-9, 10.0))
          peak = std::max(peak, w.flow_per_s);
      out[1] = peak;
      out[2] = peak_window_mean(l.pressure(), 1.0,
                                [](const peds::PressureSample& p) { return p.pressure_n_per_m; });
    }
  }
  // Measurement areas in macro areas: the peak of the area's people over its floor area.
  for (std::size_t k = 0; k < m.macro_peak_density.size(); ++k)
    if (m.macro &&
        m.macro->room_of_area[static_cast<std::size_t>(site.measure_areas[k].area)] != kNone)
      area_kpi[k] = m.macro_peak_density[k];
  const std::vector<char> in = areas_in_reach(site, m.inc);
  std::vector<std::optional<double>> out;
  for (std::size_t k = 0; k < area_kpi.size(); ++k)
    if (in[static_cast<std::size_t>(site.measure_areas[k].area)])
      out.push_back(area_kpi[k] ? area_kpi[k] : 0.0);
  for (std::size_t k = 0; k < site.measure_lines.size(); ++k) {
    if (!in[static_cast<std::size_t>(site.measure_lines[k].area)]) continue;
    for (int q = 0; q < 2; ++q) out.push_back(line_kpi[k][q] ? line_kpi[k][q] : 0.0);
    // Pressure is a contact force: measured by the social-force model only.
    if (site.measure_lines[k].pressure)
      out.push_back(m.inc.peds.model == peds::ModelKind::social_force
                        ? std::optional<double>(line_kpi[k][2] ? *line_kpi[k][2] : 0.0)
                        : std::nullopt);
  }
  return out;
}

Crowd::Crowd(const Scenario& s, Index incident, Pcg32 rng)
    : impl_(std::make_unique<Impl>(s, incident, rng)) {}
Crowd::~Crowd() = default;

SimTime Crowd::period_ms() const {
  return impl_->period;
}

void Crowd::alarm(SimTime t) {
  Impl& m = *impl_;
  if (m.alarmed) return;
  m.alarmed = true;
  for (std::size_t i = 0; i < m.persons.size(); ++i)
    if (m.persons[i].state == Impl::State::waiting) m.appear(static_cast<Index>(i), t);
}

void Crowd::set_door(Index area, Index door, bool closed) {
  impl_->set_door(area, door, closed);
}

void Crowd::advance(SimTime t) {
  impl_->advance(t);
}

bool Crowd::idle() const {
  return !impl_->moving();
}

bool Crowd::all_out() const {
  return impl_->out_count == static_cast<int>(impl_->persons.size());
}

const std::vector<PersonRecord>& Crowd::people() const {
  return impl_->records;
}

SimTime Crowd::group_out(Index g) const {
  SimTime last = 0;
  for (const PersonRecord& r : impl_->records) {
    if (r.group != g) continue;
    if (r.out == kNever) return kNever;
    last = std::max(last, r.out);
  }
  return last;
}

SimTime Crowd::all_out_time() const {
  SimTime last = 0;
  for (const PersonRecord& r : impl_->records) {
    if (r.out == kNever) return kNever;
    last = std::max(last, r.out);
  }
  return last;
}

PedFrame Crowd::frame() const {
  const Impl& m = *impl_;
  PedFrame f;
  f.t = m.now;
  f.area_count.assign(m.s.site.areas.size(), 0);
  for (std::size_t i = 0; i < m.persons.size(); ++i) {
    const Impl::Person& p = m.persons[i];
    switch (p.state) {
      case Impl::State::waiting:
        break;
      case Impl::State::out:
        ++f.out;
        break;
      case Impl::State::edge:
        ++f.on_edges;
        break;
      case Impl::State::macro:
        ++f.area_count[static_cast<std::size_t>(p.area)];
        break;
      case Impl::State::micro: {
        const Impl::Cluster& c = m.clusters[static_cast<std::size_t>(p.cluster)];
        if (c.world->out(p.slot)) break;
        // Not spawned yet: standing in pre-movement where it was placed.
        const Vec2 pos = c.world->position(p.slot);
        f.person.push_back(static_cast<std::int32_t>(i));
        f.x.push_back(static_cast<float>(pos.x));
        f.y.push_back(static_cast<float>(pos.y));
        for (Index a : c.areas)
          if (peds::contains(peds::Polygon{m.s.site.areas[static_cast<std::size_t>(a)].outline,
                                           m.s.site.areas[static_cast<std::size_t>(a)].holes},
                             pos)) {
            ++f.area_count[static_cast<std::size_t>(a)];
            break;
          }
        break;
      }
    }
  }
  return f;
}

}  // namespace hqdrill
