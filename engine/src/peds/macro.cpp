#include "hqdrill/peds/macro.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

namespace hqdrill::peds {

namespace {
std::size_t at(Index i) {
  return static_cast<std::size_t>(i);
}
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

std::vector<std::string> validate(const MacroNetwork& net, const MacroSettings& s) {
  std::vector<std::string> errors;
  if (s.dt_ms <= 0) errors.push_back("the time step dt_ms must be positive");
  if (s.dt_ms > 0 && (s.flow_window_ms < s.dt_ms || s.flow_window_ms % s.dt_ms != 0))
    errors.push_back("flow_window_ms must be a positive multiple of dt_ms");
  if (s.dt_ms > 0 && (s.trace_every_ms < 0 || s.trace_every_ms % s.dt_ms != 0))
    errors.push_back("trace_every_ms must be 0 or a positive multiple of dt_ms");
  if (s.max_room_density_pm2 < 0) errors.push_back("max_room_density_pm2 must not be negative");
  if (!(s.door_specific_flow_psm >= 0))
    errors.push_back("door_specific_flow_psm must not be negative");
  bool any_sink = false;
  for (const MacroRoom& r : net.rooms) {
    any_sink = any_sink || r.sink();
    if (r.population < 0) errors.push_back("room " + r.id + " has a negative population");
    if (r.sink() && r.population != 0)
      errors.push_back((r.handoff ? "hand-off room " : "exit ") + r.id +
                       " must start with no one in it");
    if (!r.sink() && !(r.area_m2 > 0)) errors.push_back("room " + r.id + " needs an area > 0 m²");
    if (!(r.walk_near_m >= 0) || !(r.walk_far_m >= r.walk_near_m))
      errors.push_back("room " + r.id + " needs in-room walks with 0 ≤ walk_near_m ≤ walk_far_m");
    if (!(r.beyond_m >= 0)) errors.push_back("room " + r.id + " has a negative beyond_m");
  }
  if (!any_sink) errors.push_back("the network has no exit");
  const auto n = static_cast<Index>(net.rooms.size());
  for (const MacroLink& l : net.links) {
    if (l.a < 0 || l.a >= n || l.b < 0 || l.b >= n || l.a == l.b)
      errors.push_back("link " + l.id + " must join two different rooms of the network");
    if (!(l.length_m > 0)) errors.push_back("link " + l.id + " needs a length > 0 m");
    if (l.sfpe_k_mps < 0) errors.push_back("link " + l.id + " has a negative SFPE k");
    if (!(link_effective_width_m(l) > 0))
      errors.push_back("link " + l.id + " has no effective width left after boundary layers");
  }
  for (std::size_t i = 0; i < net.releases.size(); ++i) {
    const MacroRelease& r = net.releases[i];
    const std::string which = "release " + std::to_string(i);
    if (r.room < 0 || r.room >= n || net.rooms[at(r.room)].sink()) {
      errors.push_back(which + " must be in a room of the network that is not an exit");
      continue;
    }
    if (r.people < 0) errors.push_back(which + " has a negative number of people");
    if (r.ready_ms < 0) errors.push_back(which + " is ready before t = 0");
    const MacroRoom& room = net.rooms[at(r.room)];
    const double near = r.walk_near_m < 0 ? room.walk_near_m : r.walk_near_m;
    const double far = r.walk_far_m < 0 ? room.walk_far_m : r.walk_far_m;
    if (!(far >= near)) errors.push_back(which + " has walk_far_m below walk_near_m");
  }
  for (std::size_t i = 0; i < net.link_events.size(); ++i) {
    const MacroLinkEvent& e = net.link_events[i];
    const auto nl = static_cast<Index>(net.links.size());
    if (e.link < 0 || e.link >= nl || e.at_ms < 0)
      errors.push_back("link event " + std::to_string(i) +
                       " must name a link of the network at a time ≥ 0");
  }
  return errors;
}

double link_k_mps(const MacroLink& l) {
  if (l.sfpe_k_mps > 0) return l.sfpe_k_mps;
  return l.kind == LinkKind::stair ? kSfpeKStair7x11 : kSfpeKLevel;
}

double link_effective_width_m(const MacroLink& l) {
  switch (l.kind) {
    case LinkKind::door:
      return effective_width_m(l.clear_width_m, Boundary::door_jamb, Boundary::door_jamb);
    case LinkKind::corridor:
      return effective_width_m(l.clear_width_m, Boundary::corridor_wall, Boundary::corridor_wall);
    case LinkKind::stair: {
      const Boundary b = l.handrails ? Boundary::handrail : Boundary::stair_wall;
      return effective_width_m(l.clear_width_m, b, b);
    }
  }
  return 0.0;
}

double link_capacity_pps(const MacroLink& l) {
  return sfpe_max_specific_flow_psm(link_k_mps(l)) * link_effective_width_m(l);
}

double link_capacity_pps(const MacroLink& l, const MacroSettings& s) {
  if (l.kind == LinkKind::door && s.door_specific_flow_psm > 0)
    return s.door_specific_flow_psm * link_effective_width_m(l);
  return link_capacity_pps(l);
}

double free_speed_mps(const MacroSettings& s) {
  return s.speed == SpeedModel::weidmann ? s.weidmann.v0_mps : sfpe_speed_mps(0.0);
}

double sfpe_door_flow_time_s(int population, double clear_width_m, double k_mps) {
  const double w = effective_width_m(clear_width_m, Boundary::door_jamb, Boundary::door_jamb);
  return static_cast<double>(population) / (sfpe_max_specific_flow_psm(k_mps) * w);
}

// ---------------------------------------------------------------- model

MacroModel::MacroModel(MacroNetwork net, MacroSettings s) : net_(std::move(net)), s_(s) {
  assert(validate(net_, s_).empty());
  const std::size_t nr = net_.rooms.size(), nl = net_.links.size();
  pop_.assign(nr, 0);
  held_.assign(nr, 0);
  pend_.assign(nr, {});
  incoming_.assign(nr, 0);
  est_s_.assign(nr, kInf);
  adj_.assign(nr, {});
  for (std::size_t l = 0; l < nl; ++l) {
    adj_[at(net_.links[l].a)].push_back(static_cast<Index>(l));
    adj_[at(net_.links[l].b)].push_back(static_cast<Index>(l));
  }
  const bool weidmann = s_.speed == SpeedModel::weidmann;
  flow_max_density_pm2_ =
      weidmann ? weidmann_flow_maximum(s_.weidmann).density_pm2 : sfpe_density_at_max_flow_pm2();
  hold_density_pm2_ = s_.max_room_density_pm2 > 0
                          ? s_.max_room_density_pm2
                          : (weidmann ? s_.weidmann.rho_max_pm2 : 1.0 / kSfpeA);
  v_free_mps_ = free_speed_mps(s_);
  const double dt_s = ms_to_seconds(s_.dt_ms);
  credit_.assign(nl, 0.0);
  capacity_.resize(nl);
  for (std::size_t l = 0; l < nl; ++l) capacity_[l] = link_capacity_pps(net_.links[l], s_) * dt_s;
  queue_.assign(nl, 0);
  queue_room_.assign(nl, kNone);
  walking_.assign(2 * nl, {});
  head_.assign(2 * nl, 0);
  window_.assign(nl, std::vector<int>(static_cast<std::size_t>(s_.flow_window_ms / s_.dt_ms), 0));
  window_sum_.assign(nl, 0);
  stats_.assign(nl, {});
  events_ = net_.link_events;
  std::stable_sort(
      events_.begin(), events_.end(),
      [](const MacroLinkEvent& x, const MacroLinkEvent& y) { return x.at_ms < y.at_ms; });
  route_all();
  for (std::size_t r = 0; r < nr; ++r) {
    const MacroRoom& room = net_.rooms[r];
    pend(static_cast<Index>(r), 0, room.walk_near_m, room.walk_far_m, room.population);
    initial_ += room.population;
  }
  for (const MacroRelease& rel : net_.releases) {
    const MacroRoom& room = net_.rooms[at(rel.room)];
    pend(rel.room, rel.ready_ms, rel.walk_near_m < 0 ? room.walk_near_m : rel.walk_near_m,
         rel.walk_far_m < 0 ? room.walk_far_m : rel.walk_far_m, rel.people);
    initial_ += rel.people;
  }
  added_ = initial_;
  settle();
  record();
}

void MacroModel::route_all() {
  // Dijkstra from every sink at once over open link lengths; ties go to the lower index.
  const std::size_t nr = net_.rooms.size();
  dist_.assign(nr, kInf);
  route_.assign(nr, kNone);
  exits_.assign(nr, {});
  using Item = std::pair<double, Index>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> open;
  for (std::size_t r = 0; r < nr; ++r)
    if (net_.rooms[r].sink()) {
      dist_[r] = net_.rooms[r].beyond_m;
      open.emplace(dist_[r], static_cast<Index>(r));
    }
  while (!open.empty()) {
    const auto [d, u] = open.top();
    open.pop();
    if (d > dist_[at(u)]) continue;
    for (Index l : adj_[at(u)]) {
      const MacroLink& e = net_.links[at(l)];
      if (!e.open) continue;
      const Index w = e.a == u ? e.b : e.a;
      const double nd = d + e.length_m;
      if (nd < dist_[at(w)] && !net_.rooms[at(w)].sink()) {
        dist_[at(w)] = nd;
        open.emplace(nd, w);
      }
    }
  }
  by_dist_.clear();
  for (std::size_t r = 0; r < nr; ++r) {
    if (net_.rooms[r].sink() || dist_[r] == kInf) continue;
    by_dist_.push_back(static_cast<Index>(r));
    double best = kInf;
    for (Index l : adj_[r]) {  // adj lists are in link index order: the first best wins
      const MacroLink& e = net_.links[at(l)];
      if (!e.open) continue;
      const Index w = e.a == static_cast<Index>(r) ? e.b : e.a;
      const double via = dist_[at(w)] + e.length_m;
      if (via < best) {
        best = via;
        route_[r] = l;
      }
      if (s_.choice == ExitChoice::quickest && dist_[at(w)] < dist_[r]) exits_[r].push_back(l);
    }
    if (s_.choice == ExitChoice::nearest) exits_[r].push_back(route_[r]);
    for (Index l : exits_[r]) {
      LinkStats& st = stats_[at(l)];
      st.from = static_cast<Index>(r);
      const MacroLink& e = net_.links[at(l)];
      st.to = e.a == st.from ? e.b : e.a;
    }
  }
  std::stable_sort(by_dist_.begin(), by_dist_.end(),
                   [this](Index x, Index y) { return dist_[at(x)] < dist_[at(y)]; });
}

void MacroModel::estimate_times() {
  // T(sink) = beyond/v; T(r) = min over exit links of len/v + q/C + T(w), in order of D.
  const double dt_s = ms_to_seconds(s_.dt_ms);
  for (std::size_t r = 0; r < net_.rooms.size(); ++r)
    est_s_[r] = net_.rooms[r].sink() ? net_.rooms[r].beyond_m / v_free_mps_ : kInf;
  for (Index r : by_dist_) {
    double best = kInf;
    for (Index l : exits_[at(r)]) {
      const MacroLink& e = net_.links[at(l)];
      const Index w = e.a == r ? e.b : e.a;
      const double c_pps = capacity_[at(l)] / dt_s;
      best = std::min(best, e.length_m / v_free_mps_ + queue_[at(l)] / c_pps + est_s_[at(w)]);
    }
    est_s_[at(r)] = best;
  }
}

void MacroModel::pend(Index room, SimTime ready_ms, double near_m, double far_m, int n) {
  if (n <= 0) return;
  pop_[at(room)] += n;
  std::vector<Pending>& p = pend_[at(room)];  // kept in decreasing door time: due at the back
  if (far_m <= near_m) {
    p.push_back({ready_ms + seconds_to_ms(near_m / v_free_mps_), n});
  } else {
    for (int i = 0; i < n; ++i) {
      const double d = near_m + (far_m - near_m) * (i + 0.5) / n;
      const SimTime door_ms = ready_ms + seconds_to_ms(d / v_free_mps_);
      if (!p.empty() && p.back().door_ms == door_ms)
        ++p.back().people;
      else
        p.push_back({door_ms, 1});
    }
  }
  sort_pending(room);
}

void MacroModel::sort_pending(Index room) {
  // People at equal times in one room are interchangeable: any order of ties will do.
  std::vector<Pending>& p = pend_[at(room)];
  std::sort(p.begin(), p.end(),
            [](const Pending& x, const Pending& y) { return x.door_ms > y.door_ms; });
}

void MacroModel::assign(Index room, int n) {
  const std::vector<Index>& ex = exits_[at(room)];
  if (ex.empty()) {
    held_[at(room)] += n;
    return;
  }
  if (ex.size() == 1) {
    assert(queue_[at(ex[0])] == 0 || queue_room_[at(ex[0])] == room);
    queue_[at(ex[0])] += n;
    queue_room_[at(ex[0])] = room;
    return;
  }
  // Quickest: one person at a time to the least E(l) = len/v + (q + 1)/C + T(w).
  const double dt_s = ms_to_seconds(s_.dt_ms);
  for (int i = 0; i < n; ++i) {
    Index best = kNone;
    double best_s = kInf;
    for (Index l : ex) {
      const MacroLink& e = net_.links[at(l)];
      const Index w = e.a == room ? e.b : e.a;
      const double c_pps = capacity_[at(l)] / dt_s;
      const double t_s = e.length_m / v_free_mps_ + (queue_[at(l)] + 1) / c_pps + est_s_[at(w)];
      if (t_s < best_s) {
        best_s = t_s;
        best = l;
      }
    }
    assert(best != kNone);
    assert(queue_[at(best)] == 0 || queue_room_[at(best)] == room);
    ++queue_[at(best)];
    queue_room_[at(best)] = room;
  }
}

void MacroModel::release_stale() {
  // People queued at a link that is no longer an exit link of their room, and people
  // held in a room that has a route again, walk the room's in-room distance again.
  for (std::size_t l = 0; l < queue_.size(); ++l) {
    if (queue_[l] == 0) continue;
    const Index r = queue_room_[l];
    const std::vector<Index>& ex = exits_[at(r)];
    if (std::find(ex.begin(), ex.end(), static_cast<Index>(l)) != ex.end()) continue;
    const int n = queue_[l];
    queue_[l] = 0;
    pop_[at(r)] -= n;
    const MacroRoom& room = net_.rooms[at(r)];
    pend(r, now_ms_, room.walk_near_m, room.walk_far_m, n);
  }
  for (std::size_t r = 0; r < held_.size(); ++r) {
    if (held_[r] == 0 || exits_[r].empty()) continue;
    const int n = held_[r];
    held_[r] = 0;
    pop_[r] -= n;
    pend(static_cast<Index>(r), now_ms_, net_.rooms[r].walk_near_m, net_.rooms[r].walk_far_m, n);
  }
}

void MacroModel::release_due() {
  for (std::size_t r = 0; r < pend_.size(); ++r) {
    std::vector<Pending>& p = pend_[r];
    while (!p.empty() && p.back().door_ms <= now_ms_) {
      const int n = p.back().people;
      p.pop_back();
      assign(static_cast<Index>(r), n);
    }
  }
}

double MacroModel::walk_speed_mps(Index link, double density_pm2) const {
  const double rho = std::min(density_pm2, flow_max_density_pm2_);
  const double k = link_k_mps(net_.links[at(link)]);
  if (s_.speed == SpeedModel::weidmann)
    return weidmann_speed_mps(rho, s_.weidmann) * (k / kSfpeKLevel);
  return sfpe_speed_mps(rho, k);
}

void MacroModel::discharge() {
  // Space in each receiving room and densities from the state at t; space is handed out
  // in room index order.
  const std::size_t nr = net_.rooms.size(), nl = net_.links.size();
  std::vector<int> space(nr, std::numeric_limits<int>::max());
  std::vector<double> density(nr, 0.0);
  for (std::size_t r = 0; r < nr; ++r) {
    if (net_.rooms[r].sink()) continue;
    const int hold = static_cast<int>(std::floor(net_.rooms[r].area_m2 * hold_density_pm2_));
    space[r] = std::max(0, hold - pop_[r] - incoming_[r]);
    density[r] = static_cast<double>(pop_[r]) / net_.rooms[r].area_m2;
  }
  std::vector<int> passed(nl, 0);
  const SimTime depart_ms = now_ms_ + s_.dt_ms;
  for (std::size_t r = 0; r < nr; ++r) {
    for (Index l : exits_[r]) {
      const std::size_t li = at(l);
      const MacroLink& e = net_.links[li];
      const Index to = e.a == static_cast<Index>(r) ? e.b : e.a;
      credit_[li] += capacity_[li];
      const int n =
          std::min({static_cast<int>(std::floor(credit_[li])), queue_[li], space[at(to)]});
      credit_[li] = std::min(credit_[li] - n, 1.0);  // an idle link banks one passage at most
      if (n > 0) {
        const double v = walk_speed_mps(l, density[r]);
        SimTime arrive_ms = depart_ms + seconds_to_ms(e.length_m / v);
        const std::size_t k = 2 * li + (e.a == static_cast<Index>(r) ? 0 : 1);
        std::vector<Batch>& q = walking_[k];
        if (head_[k] < q.size()) arrive_ms = std::max(arrive_ms, q.back().arrive_ms);  // FIFO
        q.push_back({arrive_ms, n});
        queue_[li] -= n;
        pop_[r] -= n;
        if (!net_.rooms[at(to)].sink()) {
          incoming_[at(to)] += n;
          space[at(to)] -= n;
        }
      }
      passed[li] = n;
      stats_[li].passed += n;
      stats_[li].peak_queue = std::max(stats_[li].peak_queue, queue_[li]);
    }
  }
  const double window_s = ms_to_seconds(s_.flow_window_ms);
  for (std::size_t l = 0; l < nl; ++l) {
    if (!net_.links[l].open) credit_[l] = 0;
    int& slot = window_[l][window_pos_];
    window_sum_[l] += passed[l] - slot;
    slot = passed[l];
    stats_[l].peak_flow_pps = std::max(stats_[l].peak_flow_pps, window_sum_[l] / window_s);
  }
  window_pos_ = (window_pos_ + 1) % static_cast<std::size_t>(s_.flow_window_ms / s_.dt_ms);
}

void MacroModel::arrive() {
  for (std::size_t k = 0; k < walking_.size(); ++k) {
    std::vector<Batch>& q = walking_[k];
    std::size_t& h = head_[k];
    const MacroLink& e = net_.links[k / 2];
    const Index to = k % 2 == 0 ? e.b : e.a;
    const MacroRoom& room = net_.rooms[at(to)];
    while (h < q.size() && q[h].arrive_ms <= now_ms_) {
      const Batch b = q[h++];
      if (room.sink()) {
        if (room.handoff) {
          handed_off_ += b.people;
          handoffs_.push_back({to, static_cast<Index>(k / 2), b.arrive_ms, b.people});
        } else {
          evacuated_ += b.people;
        }
        last_exit_ms_ =
            last_exit_ms_ == kNever ? b.arrive_ms : std::max(last_exit_ms_, b.arrive_ms);
      } else {
        pop_[at(to)] += b.people;
        incoming_[at(to)] -= b.people;
        assign(to, b.people);
      }
    }
    if (h == q.size()) {
      q.clear();
      h = 0;
    }
  }
}

void MacroModel::settle() {
  bool changed = false;
  while (next_event_ < events_.size() && events_[next_event_].at_ms <= now_ms_) {
    const MacroLinkEvent& ev = events_[next_event_++];
    MacroLink& e = net_.links[at(ev.link)];
    changed = changed || e.open != ev.open;
    e.open = ev.open;
  }
  if (changed) {
    route_all();
    release_stale();
  }
  if (s_.choice == ExitChoice::quickest) estimate_times();
  arrive();
  release_due();
}

void MacroModel::record() {
  if (s_.trace_every_ms <= 0 || now_ms_ % s_.trace_every_ms != 0) return;
  trace_.t_ms.push_back(now_ms_);
  trace_.room_population.push_back(pop_);
}

void MacroModel::step() {
  handoffs_.clear();
  discharge();
  now_ms_ += s_.dt_ms;
  settle();
  record();
}

void MacroModel::add_people(const MacroRelease& r) {
  const MacroRoom& room = net_.rooms[at(r.room)];
  assert(!room.sink() && r.people >= 0);
  pend(r.room, std::max(r.ready_ms, now_ms_), r.walk_near_m < 0 ? room.walk_near_m : r.walk_near_m,
       r.walk_far_m < 0 ? room.walk_far_m : r.walk_far_m, r.people);
  added_ += r.people;
  release_due();
}

void MacroModel::add_walkers(Index room, SimTime ready_ms, std::span<const double> walk_m) {
  assert(!net_.rooms[at(room)].sink());
  const SimTime ready = std::max(ready_ms, now_ms_);
  std::vector<Pending>& p = pend_[at(room)];
  for (double d : walk_m) {
    assert(d >= 0);
    p.push_back({ready + seconds_to_ms(d / v_free_mps_), 1});
  }
  sort_pending(room);
  pop_[at(room)] += static_cast<int>(walk_m.size());
  added_ += static_cast<int>(walk_m.size());
  release_due();
}

void MacroModel::set_link_open(Index link, bool open) {
  MacroLink& e = net_.links[at(link)];
  if (e.open == open) return;
  e.open = open;
  route_all();
  release_stale();
  if (s_.choice == ExitChoice::quickest) estimate_times();
  release_due();
}

void MacroModel::set_beyond(Index sink, double beyond_m) {
  MacroRoom& r = net_.rooms[at(sink)];
  assert(r.sink() && beyond_m >= 0);
  if (r.beyond_m == beyond_m) return;
  r.beyond_m = beyond_m;
  route_all();
  release_stale();
  if (s_.choice == ExitChoice::quickest) estimate_times();
  release_due();
}

int MacroModel::in_transit() const {
  int n = 0;
  for (std::size_t k = 0; k < walking_.size(); ++k)
    for (std::size_t i = head_[k]; i < walking_[k].size(); ++i) n += walking_[k][i].people;
  return n;
}

int MacroModel::stranded() const {
  int n = 0;
  for (std::size_t r = 0; r < pop_.size(); ++r)
    if (!net_.rooms[r].sink() && dist_[r] == kInf) n += pop_[r];
  return n;
}

bool MacroModel::done() const {
  for (std::size_t r = 0; r < pop_.size(); ++r)
    if (!net_.rooms[r].sink() && dist_[r] != kInf && pop_[r] > 0) return false;
  for (std::size_t k = 0; k < walking_.size(); ++k)
    if (head_[k] < walking_[k].size()) return false;
  return next_event_ == events_.size() || stranded() == 0;
}

MacroResult run_macro(const MacroNetwork& net, const MacroSettings& s) {
  MacroModel m(net, s);
  MacroResult res;
  while (!m.done() && m.now_ms() < s.horizon_ms) {
    m.step();
    res.handoffs.insert(res.handoffs.end(), m.handoffs().begin(), m.handoffs().end());
  }
  res.initial = m.initial();
  res.evacuated = m.evacuated();
  res.handed_off = m.handed_off();
  res.stranded = m.stranded();
  res.end_ms = m.now_ms();
  if (res.evacuated + res.handed_off == m.added())
    res.completion_ms = m.added() == 0 ? 0 : m.last_exit_ms();
  res.links = m.link_stats();
  res.trace = m.trace();
  if (s.trace_every_ms > 0 && (res.trace.t_ms.empty() || res.trace.t_ms.back() != m.now_ms())) {
    res.trace.t_ms.push_back(m.now_ms());
    std::vector<int> pops(net.rooms.size());
    for (std::size_t r = 0; r < pops.size(); ++r) pops[r] = m.population(static_cast<Index>(r));
    res.trace.room_population.push_back(std::move(pops));
  }
  return res;
}

}  // namespace hqdrill::peds
