#include "hqdrill/peds/macro.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <queue>
#include <utility>

namespace hqdrill::peds {

namespace {
std::size_t at(Index i) {
  return static_cast<std::size_t>(i);
}
}  // namespace

std::vector<std::string> validate(const MacroNetwork& net, const MacroSettings& s) {
  std::vector<std::string> errors;
  if (s.dt_ms <= 0) errors.push_back("the time step dt_ms must be positive");
  if (s.dt_ms > 0 && (s.flow_window_ms < s.dt_ms || s.flow_window_ms % s.dt_ms != 0))
    errors.push_back("flow_window_ms must be a positive multiple of dt_ms");
  if (s.dt_ms > 0 && (s.trace_every_ms < 0 || s.trace_every_ms % s.dt_ms != 0))
    errors.push_back("trace_every_ms must be 0 or a positive multiple of dt_ms");
  if (s.max_room_density_pm2 < 0) errors.push_back("max_room_density_pm2 must not be negative");
  bool any_exit = false;
  for (const MacroRoom& r : net.rooms) {
    any_exit = any_exit || r.exit;
    if (r.population < 0) errors.push_back("room " + r.id + " has a negative population");
    if (r.exit && r.population != 0)
      errors.push_back("exit " + r.id + " must start with no one in it");
    if (!r.exit && !(r.area_m2 > 0)) errors.push_back("room " + r.id + " needs an area > 0 m²");
  }
  if (!any_exit) errors.push_back("the network has no exit");
  const auto n = static_cast<Index>(net.rooms.size());
  for (const MacroLink& l : net.links) {
    if (l.a < 0 || l.a >= n || l.b < 0 || l.b >= n || l.a == l.b)
      errors.push_back("link " + l.id + " must join two different rooms of the network");
    if (!(l.length_m > 0)) errors.push_back("link " + l.id + " needs a length > 0 m");
    if (l.sfpe_k_mps < 0) errors.push_back("link " + l.id + " has a negative SFPE k");
    if (!(link_effective_width_m(l) > 0))
      errors.push_back("link " + l.id + " has no effective width left after boundary layers");
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

double sfpe_door_flow_time_s(int population, double clear_width_m, double k_mps) {
  const double w = effective_width_m(clear_width_m, Boundary::door_jamb, Boundary::door_jamb);
  return static_cast<double>(population) / (sfpe_max_specific_flow_psm(k_mps) * w);
}

// ---------------------------------------------------------------- model

MacroModel::MacroModel(MacroNetwork net, MacroSettings s) : net_(std::move(net)), s_(s) {
  assert(validate(net_, s_).empty());
  const std::size_t nr = net_.rooms.size(), nl = net_.links.size();
  pop_.resize(nr);
  incoming_.assign(nr, 0);
  for (std::size_t r = 0; r < nr; ++r) {
    pop_[r] = net_.rooms[r].population;
    initial_ += pop_[r];
  }
  const bool weidmann = s_.speed == SpeedModel::weidmann;
  flow_max_density_pm2_ =
      weidmann ? weidmann_flow_maximum(s_.weidmann).density_pm2 : sfpe_density_at_max_flow_pm2();
  hold_density_pm2_ = s_.max_room_density_pm2 > 0
                          ? s_.max_room_density_pm2
                          : (weidmann ? s_.weidmann.rho_max_pm2 : 1.0 / kSfpeA);
  const double dt_s = ms_to_seconds(s_.dt_ms);
  credit_.assign(nl, 0.0);
  capacity_.resize(nl);
  for (std::size_t l = 0; l < nl; ++l) capacity_[l] = link_capacity_pps(net_.links[l]) * dt_s;
  walking_.assign(nl, {});
  head_.assign(nl, 0);
  window_.assign(nl, std::vector<int>(static_cast<std::size_t>(s_.flow_window_ms / s_.dt_ms), 0));
  window_sum_.assign(nl, 0);
  stats_.assign(nl, {});
  route_all();
  record();
}

void MacroModel::route_all() {
  // Dijkstra from every exit at once over link lengths; ties go to the lower index.
  const std::size_t nr = net_.rooms.size();
  const double inf = std::numeric_limits<double>::infinity();
  dist_.assign(nr, inf);
  route_.assign(nr, kNone);
  std::vector<std::vector<Index>> adj(nr);
  for (std::size_t l = 0; l < net_.links.size(); ++l) {
    adj[at(net_.links[l].a)].push_back(static_cast<Index>(l));
    adj[at(net_.links[l].b)].push_back(static_cast<Index>(l));
  }
  using Item = std::pair<double, Index>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> open;
  for (std::size_t r = 0; r < nr; ++r)
    if (net_.rooms[r].exit) {
      dist_[r] = 0;
      open.emplace(0.0, static_cast<Index>(r));
    }
  while (!open.empty()) {
    const auto [d, u] = open.top();
    open.pop();
    if (d > dist_[at(u)]) continue;
    for (Index l : adj[at(u)]) {
      const MacroLink& e = net_.links[at(l)];
      const Index w = e.a == u ? e.b : e.a;
      const double nd = d + e.length_m;
      if (nd < dist_[at(w)]) {
        dist_[at(w)] = nd;
        open.emplace(nd, w);
      }
    }
  }
  for (std::size_t r = 0; r < nr; ++r) {
    if (net_.rooms[r].exit || dist_[r] == inf) continue;
    double best = inf;
    for (Index l : adj[r]) {  // adj lists are in link index order: the first best wins
      const MacroLink& e = net_.links[at(l)];
      const Index w = e.a == static_cast<Index>(r) ? e.b : e.a;
      const double via = dist_[at(w)] + e.length_m;
      if (via < best) {
        best = via;
        route_[r] = l;
      }
    }
    LinkStats& st = stats_[at(route_[r])];
    st.from = static_cast<Index>(r);
    const MacroLink& e = net_.links[at(route_[r])];
    st.to = e.a == st.from ? e.b : e.a;
  }
}

double MacroModel::walk_speed_mps(Index link, Index from_room) const {
  const MacroLink& e = net_.links[at(link)];
  const double area = net_.rooms[at(from_room)].area_m2;
  const double rho =
      std::min(static_cast<double>(pop_[at(from_room)]) / area, flow_max_density_pm2_);
  const double k = link_k_mps(e);
  if (s_.speed == SpeedModel::weidmann)
    return weidmann_speed_mps(rho, s_.weidmann) * (k / kSfpeKLevel);
  return sfpe_speed_mps(rho, k);
}

void MacroModel::discharge() {
  // Space in each receiving room from the state at t; handed out in room index order.
  const std::size_t nr = net_.rooms.size();
  std::vector<int> space(nr, std::numeric_limits<int>::max());
  for (std::size_t r = 0; r < nr; ++r) {
    if (net_.rooms[r].exit) continue;
    const int hold = static_cast<int>(std::floor(net_.rooms[r].area_m2 * hold_density_pm2_));
    space[r] = std::max(0, hold - pop_[r] - incoming_[r]);
  }
  const SimTime depart_ms = now_ms_ + s_.dt_ms;
  for (std::size_t r = 0; r < nr; ++r) {
    const Index l = route_[r];
    if (l == kNone) continue;
    const std::size_t li = at(l);
    LinkStats& st = stats_[li];
    credit_[li] += capacity_[li];
    const int n = std::min({static_cast<int>(std::floor(credit_[li])), pop_[r], space[at(st.to)]});
    credit_[li] = std::min(credit_[li] - n, 1.0);  // an idle link banks one passage at most
    if (n > 0) {
      const double v = walk_speed_mps(l, static_cast<Index>(r));  // density at t
      SimTime arrive_ms = depart_ms + seconds_to_ms(net_.links[li].length_m / v);
      std::vector<Batch>& q = walking_[li];
      if (head_[li] < q.size()) arrive_ms = std::max(arrive_ms, q.back().arrive_ms);  // FIFO
      q.push_back({arrive_ms, n});
      pop_[r] -= n;
      if (!net_.rooms[at(st.to)].exit) {
        incoming_[at(st.to)] += n;
        space[at(st.to)] -= n;
      }
    }
    st.passed += n;
    int& slot = window_[li][window_pos_];
    window_sum_[li] += n - slot;
    slot = n;
    st.peak_flow_pps =
        std::max(st.peak_flow_pps, window_sum_[li] / ms_to_seconds(s_.flow_window_ms));
    st.peak_queue = std::max(st.peak_queue, pop_[r]);
  }
  window_pos_ = (window_pos_ + 1) % static_cast<std::size_t>(s_.flow_window_ms / s_.dt_ms);
}

void MacroModel::arrive() {
  for (std::size_t l = 0; l < walking_.size(); ++l) {
    std::vector<Batch>& q = walking_[l];
    std::size_t& h = head_[l];
    const Index to = stats_[l].to;
    while (h < q.size() && q[h].arrive_ms <= now_ms_) {
      if (net_.rooms[at(to)].exit) {
        evacuated_ += q[h].people;
        last_exit_ms_ =
            last_exit_ms_ == kNever ? q[h].arrive_ms : std::max(last_exit_ms_, q[h].arrive_ms);
      } else {
        pop_[at(to)] += q[h].people;
        incoming_[at(to)] -= q[h].people;
      }
      ++h;
    }
    if (h == q.size()) {
      q.clear();
      h = 0;
    }
  }
}

void MacroModel::record() {
  if (s_.trace_every_ms <= 0 || now_ms_ % s_.trace_every_ms != 0) return;
  trace_.t_ms.push_back(now_ms_);
  trace_.room_population.push_back(pop_);
}

void MacroModel::step() {
  discharge();
  now_ms_ += s_.dt_ms;
  arrive();
  record();
}

int MacroModel::in_transit() const {
  int n = 0;
  for (std::size_t l = 0; l < walking_.size(); ++l)
    for (std::size_t i = head_[l]; i < walking_[l].size(); ++i) n += walking_[l][i].people;
  return n;
}

int MacroModel::stranded() const {
  int n = 0;
  for (std::size_t r = 0; r < pop_.size(); ++r)
    if (!net_.rooms[r].exit && route_[r] == kNone) n += pop_[r];
  return n;
}

bool MacroModel::done() const {
  for (std::size_t r = 0; r < pop_.size(); ++r)
    if (route_[r] != kNone && pop_[r] > 0) return false;
  for (std::size_t l = 0; l < walking_.size(); ++l)
    if (head_[l] < walking_[l].size()) return false;
  return true;
}

MacroResult run_macro(const MacroNetwork& net, const MacroSettings& s) {
  MacroModel m(net, s);
  while (!m.done() && m.now_ms() < s.horizon_ms) m.step();
  MacroResult res;
  res.initial = m.initial();
  res.evacuated = m.evacuated();
  res.stranded = m.stranded();
  res.end_ms = m.now_ms();
  if (res.evacuated == res.initial) res.completion_ms = res.initial == 0 ? 0 : m.last_exit_ms();
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
