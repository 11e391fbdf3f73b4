#include "replay.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "hqdrill/io/trace_io.hpp"

namespace hqdrill::viewer {

using nlohmann::json;
namespace fs = std::filesystem;

const std::string& Named::label(bool english) const {
  const std::string& first = english ? name_en : name;
  const std::string& second = english ? name : name_en;
  return !first.empty() ? first : !second.empty() ? second : id;
}

const char* ped_state_name(int s) {
  static constexpr const char* kNames[] = {"walking", "gather", "block",          "push",
                                           "sit_in",  "enter",  "representative", "leaving"};
  return s >= 0 && s < kPedStateCount ? kNames[s] : "walking";
}

bool Toggle::at(double t_s) const {
  auto it = std::upper_bound(changes.begin(), changes.end(), t_s,
                             [](double v, const auto& c) { return v < c.first; });
  return it == changes.begin() ? initial : (it - 1)->second;
}

namespace {

// Type-checked field access: a hostile trace gets defaults, never an exception.
std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return {};
}
double num(const json& j, const char* key, double def = 0) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return def;
  const double v = it->get<double>();
  return std::isfinite(v) ? v : def;
}
bool flag(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}
const json& arr(const json& j, const char* key) {
  static const json kEmpty = json::array();
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}
const json& obj(const json& j, const char* key) {
  static const json kEmpty = json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}
// A point [x, y] with finite coordinates no farther than 1e6 m (hostile values are dropped).
std::optional<Vec2> point(const json& p) {
  if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) return {};
  const double x = p[0].get<double>(), y = p[1].get<double>();
  if (!std::isfinite(x) || !std::isfinite(y) || std::abs(x) > 1e6 || std::abs(y) > 1e6) return {};
  return Vec2{x, y};
}
Ring ring(const json& j) {
  Ring r;
  if (!j.is_array()) return r;
  for (const json& p : j)
    if (auto v = point(p)) r.push_back(*v);
  return r;
}
void named(Named& n, const json& j) {
  n.id = str(j, "id");
  n.name = str(j, "name");
  n.name_en = str(j, "name_en");
}

template <class T>
int index_of(const std::vector<T>& v, const std::string& id) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i].id == id) return static_cast<int>(i);
  return -1;
}

bool is_mark(const std::string& type) {
  static const std::set<std::string> kMarks = {
      "incident_started", "detected",         "role_alerted",       "role_vacant",
      "dispatch_ordered", "unit_unavailable", "unit_blocked",       "unit_arrived",
      "message_failed",   "message_given_up", "message_no_link",    "edge_closed",
      "edge_opened",      "door_closed",      "door_opened",        "task_done",
      "task_unstaffed",   "command_taken",    "peds_all_out",       "fire_noticed",
      "alarm_sounded",    "fire_attacked",    "room_ignited",       "room_flashover",
      "room_untenable",   "water_entered",    "barrier_overtopped", "power_cut",
      "typhoon_phase"};
  return kMarks.count(type) > 0;
}

// Event types the log describes; other lines are ignored (the format asks readers to).
bool is_known_event(const std::string& type) {
  static const std::set<std::string> kKnown = {
      "incident_started", "detected",           "role_alerted",     "role_acting",
      "role_vacant",      "role_waiting",       "role_done",        "message_sent",
      "message_received", "message_failed",     "message_given_up", "message_acknowledged",
      "message_no_link",  "dispatch_ordered",   "unit_unavailable", "unit_called_out",
      "unit_departed",    "unit_blocked",       "unit_arrived",     "edge_closed",
      "edge_opened",      "task_assigned",      "task_unstaffed",   "task_started",
      "task_done",        "command_taken",      "door_closed",      "door_opened",
      "peds_all_out",     "fire_noticed",       "alarm_sounded",    "means_fetched",
      "fire_attacked",    "room_ignited",       "room_flashover",   "room_untenable",
      "water_entered",    "barrier_overtopped", "power_cut",        "typhoon_phase"};
  return kKnown.count(type) > 0;
}

void read_header(Replay& r, const json& h) {
  r.scenario = str(h, "scenario");
  r.label = str(h, "label");
  r.run = static_cast<int>(num(h, "run", -1));
  r.horizon_s = num(h, "horizon_s");
  r.sample_s = num(h, "sample_s");
  const json& inc = obj(h, "incident");
  r.incident_id = str(inc, "id");
  r.incident_name = str(inc, "name");
  r.incident_name_en = str(inc, "name_en");
  r.incident_node = str(inc, "node");
  r.incident_type = str(inc, "type");
  const json& start = obj(inc, "start");
  r.start_text = str(start, "weekday") + " " + str(start, "time");
  if (!str(start, "date").empty()) r.start_text += " " + str(start, "date");

  const json& site = obj(h, "site");
  for (const json& n : arr(site, "nodes")) {
    if (!n.is_object()) continue;
    NodeV v;
    named(v, n);
    v.kind = str(n, "kind");
    v.site = str(n, "site");
    v.pos = point(json::array({num(n, "x_m"), num(n, "y_m")})).value_or(Vec2{});
    v.floor = static_cast<int>(num(n, "floor"));
    r.nodes.push_back(std::move(v));
  }
  std::unordered_map<std::string, int> node_ix;
  for (std::size_t i = 0; i < r.nodes.size(); ++i) node_ix[r.nodes[i].id] = static_cast<int>(i);
  auto node_of = [&](const std::string& id) {
    auto it = node_ix.find(id);
    return it == node_ix.end() ? -1 : it->second;
  };
  for (const json& e : arr(site, "edges")) {
    if (!e.is_object()) continue;
    EdgeV v;
    v.id = str(e, "id");
    v.from = node_of(str(e, "from"));
    v.to = node_of(str(e, "to"));
    v.width_m = num(e, "width_m");
    v.closed_at_start = flag(e, "closed");
    const std::string door = str(e, "door");
    v.gate = door == "gate";
    v.door = door == "door";
    r.edges.push_back(std::move(v));
  }
  for (const json& a : arr(site, "areas")) {
    if (!a.is_object()) continue;
    AreaV v;
    named(v, a);
    v.kind = str(a, "kind");
    v.fidelity = str(a, "fidelity");
    v.node = node_of(str(a, "node"));
    v.area_m2 = num(a, "area_m2");
    v.outline = ring(arr(a, "outline"));
    for (const json& hole : arr(a, "holes")) v.holes.push_back(ring(hole));
    for (const json& d : arr(a, "doors")) {
      if (!d.is_object()) continue;
      DoorV dv;
      dv.id = str(d, "id");
      auto pa = point(d.value("a", json())), pb = point(d.value("b", json()));
      if (!pa || !pb) continue;
      dv.a = *pa;
      dv.b = *pb;
      dv.gate = str(d, "kind") == "gate";
      dv.locked_at_start = flag(d, "locked");
      dv.edge = index_of(r.edges, str(d, "edge"));
      v.doors.push_back(std::move(dv));
    }
    r.areas.push_back(std::move(v));
  }
  for (const json& u : arr(h, "units")) {
    if (!u.is_object()) continue;
    UnitV v;
    named(v, u);
    v.kind = str(u, "kind");
    v.mode = str(u, "mode");
    v.members = static_cast<int>(num(u, "members"));
    r.units.push_back(std::move(v));
  }
  for (const json& ro : arr(h, "roles")) {
    if (!ro.is_object()) continue;
    RoleV v;
    named(v, ro);
    v.unit = index_of(r.units, str(ro, "unit"));
    r.roles.push_back(std::move(v));
  }
  for (const json& m : arr(h, "movers")) {
    if (!m.is_object()) continue;
    MoverV v;
    v.unit = index_of(r.units, str(m, "unit"));
    v.members = static_cast<int>(num(m, "members"));
    v.origin = str(m, "origin");
    v.destination = str(m, "destination");
    v.appears_s = num(m, "appears_s");
    r.movers.push_back(std::move(v));
  }
  for (const auto& [name, value] : obj(h, "kpis").items()) {
    KpiV k;
    k.name = name;
    if (value.is_number() && std::isfinite(value.get<double>())) k.value = value.get<double>();
    r.kpis.push_back(std::move(k));
  }
  const json& fire = obj(h, "fire");
  for (const json& room : arr(fire, "rooms")) {
    if (!room.is_object()) continue;
    FireRoomV v;
    named(v, room);
    v.node = node_of(str(room, "node"));
    v.area = index_of(r.areas, str(room, "area"));
    v.height_m = std::clamp(num(room, "height_m", 3), 0.5, 100.0);
    r.fire_rooms.push_back(std::move(v));
  }
  const json& flood = obj(h, "flood");
  for (const json& c : arr(flood, "cells")) {
    if (!c.is_object()) continue;
    FloodCellV v;
    named(v, c);
    v.kind = str(c, "kind");
    v.ground_m = num(c, "ground_m");
    v.area_m2 = std::max(0.0, num(c, "area_m2"));
    v.area = index_of(r.areas, str(c, "area"));
    v.node = node_of(str(c, "node"));
    v.outline = ring(arr(c, "outline"));
    r.flood_cells.push_back(std::move(v));
  }
  for (const json& b : arr(flood, "barriers")) {
    if (!b.is_object()) continue;
    BarrierV v;
    v.id = str(b, "id");
    v.from = index_of(r.flood_cells, str(b, "from"));
    v.to = index_of(r.flood_cells, str(b, "to"));
    v.crest_m = num(b, "crest_m");
    r.barriers.push_back(std::move(v));
  }
  for (const auto& [level, value] : obj(flood, "alarm_levels_m").items())
    if (value.is_number()) r.alarm_levels_m[level] = value.get<double>();
}

void read_peds(Replay& r, const json& j, double t) {
  PedFrames& p = r.peds;
  const json& ids = arr(j, "id");
  const json& xs = arr(j, "x");
  const json& ys = arr(j, "y");
  const json& st = arr(j, "state");
  const std::size_t n = std::min(xs.size(), ys.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!xs[i].is_number() || !ys[i].is_number()) continue;
    const double x = xs[i].get<double>(), y = ys[i].get<double>();
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    p.id.push_back(i < ids.size() && ids[i].is_number_unsigned() ? ids[i].get<std::uint32_t>()
                                                                 : static_cast<std::uint32_t>(i));
    p.x.push_back(static_cast<float>(x));
    p.y.push_back(static_cast<float>(y));
    std::uint8_t s = kWalking;
    if (i < st.size() && st[i].is_string()) {
      const std::string& name = st[i].get_ref<const std::string&>();
      for (int k = 1; k < kPedStateCount; ++k)
        if (name == ped_state_name(k)) s = static_cast<std::uint8_t>(k);
    }
    p.state.push_back(s);
  }
  p.t_s.push_back(t);
  p.offset.push_back(p.x.size());
  std::map<std::string, int> counts;
  for (const auto& [area, c] : obj(j, "areas").items())
    if (c.is_number()) counts[area] = static_cast<int>(c.get<double>());
  p.area_counts.push_back(std::move(counts));
  p.on_edges.push_back(static_cast<int>(num(j, "on_edges")));
  p.out.push_back(static_cast<int>(num(j, "out")));
}

// A pedestrian frame without a DOM: the line was validated by read_trace, so this scanner
// only walks it, reading "id", "x", "y", "state" (arrays), "areas" (object of counts),
// "on_edges" and "out" with std::from_chars, and skipping anything else. Anything it does
// not expect makes it give up (false) and the caller falls back to nlohmann::json.
class PedScan {
 public:
  explicit PedScan(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}
  bool run(std::vector<double>& ids, std::vector<double>& xs, std::vector<double>& ys,
           std::vector<std::string_view>& states, std::map<std::string, int>& areas,
           double& on_edges, double& out) {
    ws();
    if (!eat('{')) return false;
    ws();
    if (eat('}')) return true;
    while (true) {
      ws();
      std::string_view key;
      if (!raw_string(key)) return false;
      ws();
      if (!eat(':')) return false;
      ws();
      bool ok = true;
      if (key == "id")
        ok = numbers(ids);
      else if (key == "x")
        ok = numbers(xs);
      else if (key == "y")
        ok = numbers(ys);
      else if (key == "state")
        ok = strings(states);
      else if (key == "areas")
        ok = counts(areas);
      else if (key == "on_edges")
        ok = number(on_edges);
      else if (key == "out")
        ok = number(out);
      else
        ok = skip();
      if (!ok) return false;
      ws();
      if (eat(',')) continue;
      return eat('}');
    }
  }

 private:
  const char* p_;
  const char* end_;
  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) ++p_;
  }
  bool eat(char c) {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  // A string without escapes (ids and states are plain); escapes: give up.
  bool raw_string(std::string_view& out) {
    if (!eat('"')) return false;
    const char* s = p_;
    while (p_ < end_ && *p_ != '"') {
      if (*p_ == '\\') return false;
      ++p_;
    }
    if (p_ >= end_) return false;
    out = std::string_view(s, static_cast<std::size_t>(p_ - s));
    ++p_;
    return true;
  }
  bool number(double& v) {
    // Fast path for the trace's plain decimals (-12.34): an integer mantissa below 2^53 over
    // an exact power of ten is one correctly rounded division, the same double from_chars
    // gives. Exponents and long mantissas go to from_chars.
    static constexpr double kPow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10};
    const char* q = p_;
    const bool neg = q < end_ && *q == '-';
    if (neg) ++q;
    std::uint64_t m = 0;
    int digits = 0, frac = -1;
    for (; q < end_; ++q) {
      if (*q >= '0' && *q <= '9') {
        m = m * 10 + static_cast<std::uint64_t>(*q - '0');
        ++digits;
        if (frac >= 0) ++frac;
      } else if (*q == '.' && frac < 0) {
        frac = 0;
      } else {
        break;
      }
    }
    if (digits > 0 && digits <= 15 && frac != 0 && frac <= 10 &&
        (q == end_ || (*q != 'e' && *q != 'E'))) {
      const double d = static_cast<double>(m);
      v = frac > 0 ? d / kPow10[frac] : d;
      if (neg) v = -v;
      p_ = q;
      return true;
    }
    const auto r = std::from_chars(p_, end_, v);
    if (r.ec != std::errc()) return false;
    p_ = r.ptr;
    return true;
  }
  bool numbers(std::vector<double>& out) {
    if (!eat('[')) return false;
    ws();
    if (eat(']')) return true;
    while (true) {
      ws();
      double v = 0;
      if (!number(v)) return false;
      out.push_back(v);
      ws();
      if (eat(',')) continue;
      return eat(']');
    }
  }
  bool strings(std::vector<std::string_view>& out) {
    if (!eat('[')) return false;
    ws();
    if (eat(']')) return true;
    while (true) {
      ws();
      std::string_view v;
      if (!raw_string(v)) return false;
      out.push_back(v);
      ws();
      if (eat(',')) continue;
      return eat(']');
    }
  }
  bool counts(std::map<std::string, int>& out) {
    if (!eat('{')) return false;
    ws();
    if (eat('}')) return true;
    while (true) {
      ws();
      std::string_view k;
      double v = 0;
      if (!raw_string(k)) return false;
      ws();
      if (!eat(':')) return false;
      ws();
      if (!number(v)) return false;
      if (std::isfinite(v)) out[std::string(k)] = static_cast<int>(std::clamp(v, -1e9, 1e9));
      ws();
      if (eat(',')) continue;
      return eat('}');
    }
  }
  // Any JSON value (already validated): strings, brackets, and scalars up to a delimiter.
  bool skip() {
    int depth = 0;
    while (p_ < end_) {
      const char c = *p_;
      if (c == '"') {
        ++p_;
        while (p_ < end_ && *p_ != '"') p_ += *p_ == '\\' ? 2 : 1;
        if (p_ >= end_) return false;
        ++p_;
      } else if (c == '[' || c == '{') {
        ++depth;
        ++p_;
      } else if (c == ']' || c == '}') {
        if (depth == 0) return true;
        --depth;
        ++p_;
      } else if (c == ',' && depth == 0) {
        return true;
      } else {
        ++p_;
      }
      if (depth == 0 && (c == '"' || c == ']' || c == '}')) return true;
    }
    return false;
  }
};

bool read_peds_fast(Replay& r, std::string_view line, double t) {
  thread_local std::vector<double> ids, xs, ys;
  thread_local std::vector<std::string_view> states;
  ids.clear();
  xs.clear();
  ys.clear();
  states.clear();
  std::map<std::string, int> counts;
  double on_edges = 0, out = 0;
  if (!PedScan(line).run(ids, xs, ys, states, counts, on_edges, out)) return false;
  PedFrames& p = r.peds;
  const std::size_t n = std::min(xs.size(), ys.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) continue;
    const double id = i < ids.size() ? ids[i] : static_cast<double>(i);
    p.id.push_back(id >= 0 && id < 4e9 ? static_cast<std::uint32_t>(id)
                                       : static_cast<std::uint32_t>(i));
    p.x.push_back(static_cast<float>(xs[i]));
    p.y.push_back(static_cast<float>(ys[i]));
    std::uint8_t st = kWalking;
    if (i < states.size())
      for (int k = 1; k < kPedStateCount; ++k)
        if (states[i] == ped_state_name(k)) st = static_cast<std::uint8_t>(k);
    p.state.push_back(st);
  }
  p.t_s.push_back(t);
  p.offset.push_back(p.x.size());
  p.area_counts.push_back(std::move(counts));
  p.on_edges.push_back(std::isfinite(on_edges) ? static_cast<int>(std::clamp(on_edges, -1e9, 1e9))
                                               : 0);
  p.out.push_back(std::isfinite(out) ? static_cast<int>(std::clamp(out, -1e9, 1e9)) : 0);
  return true;
}

EventV read_event(const json& j, double t, const std::string& type) {
  EventV e;
  e.t_s = t;
  e.type = type;
  e.role = str(j, "role");
  e.from = str(j, "from");
  e.to = str(j, "to");
  e.unit = str(j, "unit");
  e.node = str(j, "node");
  e.link = str(j, "link");
  e.channel = str(j, "channel");
  e.edge = str(j, "edge");
  e.room = str(j, "room");
  e.cell = str(j, "cell");
  e.barrier = str(j, "barrier");
  e.task = str(j, "task");
  if (type == "door_closed" || type == "door_opened")
    e.extra = str(j, "area") + "/" + str(j, "door");
  if (type == "typhoon_phase") e.extra = str(j, "phase");
  if (type == "fire_noticed") e.extra = str(j, "cue");
  if (type == "fire_attacked") e.extra = flag(j, "controlled") ? "controlled" : "not controlled";
  if (type == "room_untenable") e.extra = std::to_string(static_cast<int>(num(j, "people")));
  if (auto it = j.find("mover"); it != j.end() && it->is_number_integer())
    e.mover = static_cast<int>(it->get<long long>());
  e.attempt = static_cast<int>(num(j, "attempt", 1));
  e.mark = is_mark(type);
  return e;
}

// Derived state: message delays, door and edge toggles, per-mover events.
void derive(Replay& r) {
  std::map<std::string, double> first_attempt;  // link -> time of the pending first attempt
  for (EventV& e : r.events) {
    if (e.type == "message_sent") {
      if (!first_attempt.count(e.link)) first_attempt[e.link] = e.t_s;
    } else if (e.type == "message_received") {
      auto it = first_attempt.find(e.link);
      e.delay_s = it != first_attempt.end() ? e.t_s - it->second : 0;
      if (it != first_attempt.end()) first_attempt.erase(it);
    } else if (e.type == "message_given_up") {
      auto it = first_attempt.find(e.link);
      if (it != first_attempt.end()) {
        e.delay_s = e.t_s - it->second;
        first_attempt.erase(it);
      }
    }
  }
  r.edge_closed.assign(r.edges.size(), {});
  for (std::size_t i = 0; i < r.edges.size(); ++i)
    r.edge_closed[i].initial = r.edges[i].closed_at_start;
  r.door_locked.assign(r.areas.size(), {});
  for (std::size_t a = 0; a < r.areas.size(); ++a) {
    r.door_locked[a].resize(r.areas[a].doors.size());
    for (std::size_t d = 0; d < r.areas[a].doors.size(); ++d)
      r.door_locked[a][d].initial = r.areas[a].doors[d].locked_at_start;
  }
  r.mover_events.assign(r.movers.size(), {});
  for (std::size_t ei_ = 0; ei_ < r.events.size(); ++ei_) {
    const EventV& e = r.events[ei_];
    if (e.type == "edge_closed" || e.type == "edge_opened") {
      const int ei = index_of(r.edges, e.edge);
      if (ei >= 0) r.edge_closed[ei].changes.emplace_back(e.t_s, e.type == "edge_closed");
    } else if (e.type == "door_closed" || e.type == "door_opened") {
      const auto slash = e.extra.find('/');
      const int ai = r.area_index(e.extra.substr(0, slash));
      if (ai >= 0 && slash != std::string::npos) {
        const int di = index_of(r.areas[ai].doors, e.extra.substr(slash + 1));
        if (di >= 0) r.door_locked[ai][di].changes.emplace_back(e.t_s, e.type == "door_closed");
      }
    }
    if (e.mover >= 0 && e.mover < static_cast<int>(r.movers.size()))
      r.mover_events[e.mover].push_back(ei_);
  }
}

}  // namespace

int Replay::node_index(const std::string& id) const {
  return index_of(nodes, id);
}
int Replay::unit_index(const std::string& id) const {
  return index_of(units, id);
}
int Replay::role_index(const std::string& id) const {
  return index_of(roles, id);
}
int Replay::area_index(const std::string& id) const {
  return index_of(areas, id);
}

int Replay::frame_at(const std::vector<double>& times, double t_s) {
  auto it = std::upper_bound(times.begin(), times.end(), t_s);
  return static_cast<int>(it - times.begin()) - 1;
}

std::vector<MoverSample> Replay::movers_at(double t_s) const {
  const int f = frame_at(pos_t, t_s);
  if (f < 0) return {};
  std::vector<MoverSample> out = pos[f];
  if (f + 1 < static_cast<int>(pos.size()) && pos_t[f + 1] > pos_t[f]) {
    const float a = static_cast<float>((t_s - pos_t[f]) / (pos_t[f + 1] - pos_t[f]));
    for (MoverSample& m : out)
      for (const MoverSample& n : pos[f + 1])
        if (n.mover == m.mover) {
          m.x += a * (n.x - m.x);
          m.y += a * (n.y - m.y);
          break;
        }
  }
  return out;
}

std::size_t Replay::events_until(double t_s) const {
  return static_cast<std::size_t>(
      std::upper_bound(events.begin(), events.end(), t_s,
                       [](double v, const EventV& e) { return v < e.t_s; }) -
      events.begin());
}

std::optional<double> Replay::next_mark_after(double t_s) const {
  std::optional<double> best;
  for (std::size_t i = events_until(t_s); i < events.size(); ++i)
    if (events[i].mark && events[i].t_s > t_s) {
      best = events[i].t_s;
      break;
    }
  for (const FindingMark& f : findings)
    if (f.t_s > t_s && (!best || f.t_s < *best)) best = f.t_s;
  return best;
}

std::optional<double> Replay::prev_mark_before(double t_s) const {
  std::optional<double> best;
  // Half a second of slack so that pressing the key twice walks back over marks.
  const double limit = t_s - 0.5;
  for (std::size_t i = events_until(limit); i-- > 0;)
    if (events[i].mark) {
      best = events[i].t_s;
      break;
    }
  for (const FindingMark& f : findings)
    if (f.t_s < limit && (!best || f.t_s > *best)) best = f.t_s;
  return best;
}

const EventV* Replay::mover_state(int mover, double t_s) const {
  if (mover < 0 || mover >= static_cast<int>(mover_events.size())) return nullptr;
  const auto& v = mover_events[mover];
  auto it = std::upper_bound(v.begin(), v.end(), t_s,
                             [&](double x, std::size_t e) { return x < events[e].t_s; });
  return it == v.begin() ? nullptr : &events[*(it - 1)];
}

int Replay::role_of_unit(int unit) const {
  for (std::size_t i = 0; i < roles.size(); ++i)
    if (roles[i].unit == unit) return static_cast<int>(i);
  return -1;
}

LoadResult load_trace_text(const std::string& text, const std::string& file_name,
                           bool allow_partial) {
  LoadResult out;
  io::TraceRead tr = io::read_trace(text);
  bool fatal = false;
  for (const auto& d : tr.diagnostics.items) {
    const std::string msg = file_name + ": " + d.pointer + ": " + d.message;
    if (d.severity == io::Severity::error && !allow_partial) fatal = true;
    (d.severity == io::Severity::error ? out.errors : out.warnings).push_back(msg);
  }
  if (!tr.ok) {
    if (out.errors.empty()) out.errors.push_back(file_name + ": not a readable trace");
    return out;
  }
  if (!tr.complete && !allow_partial && out.errors.empty()) {
    out.errors.push_back(file_name +
                         ": the trace is truncated (no \"end\" line); pass --partial to replay "
                         "what is there");
    fatal = true;
  }
  if (fatal) return out;
  // --partial: what read_trace refused is reported, and the rest replayed.
  for (std::string& e : out.errors) out.warnings.push_back(std::move(e));
  out.errors.clear();

  Replay r;
  r.file = file_name;
  const json h = json::parse(tr.header_json, nullptr, false);
  if (!h.is_object()) {
    out.errors.push_back(file_name + ": line 1: the header is not a JSON object");
    return out;
  }
  read_header(r, h);
  // Each stream (events, unit positions, pedestrians, fire, flood) is in time order; the
  // writer interleaves them, so the file as a whole may step back a little.
  std::map<std::string, double> last_of;
  double last_t = 0;
  std::size_t line_no = 1;
  for (const io::TraceLine& line : tr.lines) {
    ++line_no;
    const double t = line.t_s;
    if (!std::isfinite(t) || t < 0 || t > 1e8) {
      out.errors.push_back(file_name + ": line " + std::to_string(line_no) + ": t_s out of range");
      return out;
    }
    const bool sampled = line.type == "positions" || line.type == "peds" || line.type == "fire" ||
                         line.type == "flood";
    double& last = last_of[sampled ? line.type : std::string("event")];
    if (t < last) {
      out.errors.push_back(file_name + ": line " + std::to_string(line_no) + ": a \"" +
                           (sampled ? line.type : std::string("event")) +
                           "\" line goes back in time (" + std::to_string(t) + " s after " +
                           std::to_string(last) + " s)");
      return out;
    }
    last = t;
    last_t = std::max(last_t, t);
    if (line.type == "peds" && read_peds_fast(r, line.json, t)) continue;
    const json j = json::parse(line.json, nullptr, false);
    if (!j.is_object()) continue;  // read_trace checked it; be safe anyway
    if (line.type == "positions") {
      std::vector<MoverSample> ms;
      for (const json& p : arr(j, "movers")) {
        if (!p.is_array() || p.size() < 3 || !p[0].is_number_integer()) continue;
        const long long id = p[0].get<long long>();
        auto v = point(json::array({p[1], p[2]}));
        if (id < 0 || id >= static_cast<long long>(r.movers.size()) || !v) continue;
        ms.push_back({static_cast<int>(id), static_cast<float>(v->x), static_cast<float>(v->y)});
      }
      r.pos_t.push_back(t);
      r.pos.push_back(std::move(ms));
    } else if (line.type == "peds") {
      read_peds(r, j, t);
    } else if (line.type == "fire") {
      std::vector<FireRoomSample> rooms;
      for (const json& row : arr(j, "rooms")) {
        FireRoomSample s;
        if (row.is_array() && row.size() >= 4) {
          auto f = [&](std::size_t k, float def) {
            return row[k].is_number() && std::isfinite(row[k].get<double>())
                       ? static_cast<float>(row[k].get<double>())
                       : def;
          };
          s.hrr_kw = f(0, 0);
          s.upper_c = f(1, 20);
          s.layer_m = f(2, 0);
          if (row[3].is_string()) s.state = row[3].get<std::string>();
        }
        rooms.push_back(std::move(s));
      }
      rooms.resize(r.fire_rooms.size());
      r.fire_t.push_back(t);
      r.fire.push_back(std::move(rooms));
    } else if (line.type == "flood") {
      FloodSample s;
      for (const json& d : arr(j, "depth_m"))
        s.depth_m.push_back(d.is_number() && std::isfinite(d.get<double>())
                                ? static_cast<float>(d.get<double>())
                                : 0.f);
      s.depth_m.resize(r.flood_cells.size(), 0.f);
      s.stage_m = num(j, "stage_m");
      for (const json& b : arr(j, "barriers"))
        s.barriers.push_back(b.is_string() ? b.get<std::string>() : "");
      s.barriers.resize(r.barriers.size());
      r.flood_t.push_back(t);
      r.flood.push_back(std::move(s));
    } else if (is_known_event(line.type)) {
      r.events.push_back(read_event(j, t, line.type));
    }  // other types ("people", later models' lines) are ignored, as the format asks
  }
  r.end_s = last_t;
  for (std::uint8_t st : r.peds.state) r.has_ped_states = r.has_ped_states || st != kWalking;
  derive(r);
  out.replay = std::move(r);
  return out;
}

LoadResult load_trace_file(const std::string& path, bool allow_partial) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult out;
    out.errors.push_back(path + ": cannot open the file");
    return out;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return load_trace_text(ss.str(), path, allow_partial);
}

void apply_results(Replay& r, const ResultsInfo& info) {
  for (KpiV& k : r.kpis)
    if (auto it = info.target_max_s.find(k.name); it != info.target_max_s.end())
      k.target_max = it->second;
  for (const FindingMark& f : info.findings) r.findings.push_back(f);
  std::sort(r.findings.begin(), r.findings.end(),
            [](const FindingMark& a, const FindingMark& b) { return a.t_s < b.t_s; });
  // A role told after its notified_<role>_s target: its first alert, and the message that
  // brought it, are late.
  std::set<std::string> told;
  for (EventV& e : r.events) {
    const bool alert = e.type == "role_alerted" || e.type == "detected";
    const bool received = e.type == "message_received";
    if (!alert && !received) continue;
    const std::string& role = received ? e.to : e.role;
    auto it = info.target_max_s.find("notified_" + role + "_s");
    if (it == info.target_max_s.end()) continue;
    if (received && told.count(role)) continue;
    if (e.t_s > it->second) {
      e.late = true;
      e.late_role = role;
      e.late_by_s = e.t_s - it->second;
      e.mark = true;
    }
    if (alert) told.insert(role);
  }
}

namespace {

std::optional<json> read_json_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return {};
  return j;
}

ResultsInfo results_info(const fs::path& dir, const std::string& incident, int run) {
  ResultsInfo info;
  if (const auto summary = read_json_file(dir / "summary.json"))
    for (const json& inc : arr(*summary, "incidents")) {
      if (!inc.is_object() || str(inc, "id") != incident) continue;
      for (const json& t : arr(inc, "targets")) {
        if (!t.is_object()) continue;
        const double mx = num(t, "max", num(t, "max_s", -1));
        if (mx >= 0 && !str(t, "kpi").empty()) info.target_max_s[str(t, "kpi")] = mx;
      }
    }
  if (const auto findings = read_json_file(dir / "findings.json"))
    for (const json& f : arr(*findings, "findings")) {
      if (!f.is_object() || str(f, "incident") != incident) continue;
      for (const json& ev : arr(f, "evidence"))
        if (ev.is_object() && static_cast<int>(num(ev, "run", -1)) == run)
          info.findings.push_back({num(ev, "t_s"), str(f, "kind"), str(f, "subject"),
                                   str(f, "text_vi"), str(f, "text_en")});
    }
  return info;
}

}  // namespace

TraceChoice choose_trace(const std::string& path, std::optional<int> run,
                         const std::string& incident) {
  TraceChoice c;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    if (!fs::exists(path, ec)) c.error = path + ": no such file or directory";
    c.trace_path = path;
    // A trace inside a results directory (DIR/traces/<incident>/run-K.jsonl): its targets
    // and findings too.
    const fs::path p = fs::absolute(path, ec);
    const std::string name = p.filename().string();
    if (!ec && name.rfind("run-", 0) == 0 && p.parent_path().parent_path().filename() == "traces") {
      int k = -1;
      const auto [end, err] = std::from_chars(name.data() + 4, name.data() + name.size(), k);
      if (err == std::errc() && std::string_view(end) == ".jsonl")
        c.results = results_info(p.parent_path().parent_path().parent_path(),
                                 p.parent_path().filename().string(), k);
    }
    return c;
  }
  const fs::path dir(path);
  const auto summary = read_json_file(dir / "summary.json");
  // Incidents in summary order, else the trace folders in name order.
  std::vector<std::string> incidents;
  if (summary)
    for (const json& inc : arr(*summary, "incidents"))
      if (inc.is_object() && !str(inc, "id").empty()) incidents.push_back(str(inc, "id"));
  if (incidents.empty() && fs::is_directory(dir / "traces", ec)) {
    for (const auto& e : fs::directory_iterator(dir / "traces", ec))
      if (e.is_directory()) incidents.push_back(e.path().filename().string());
    std::sort(incidents.begin(), incidents.end());
  }
  if (incidents.empty()) {
    c.error = path + ": a directory without summary.json or traces/: not a results directory";
    return c;
  }
  auto worst_of = [&](const std::string& id) -> std::optional<int> {
    if (!summary) return {};
    for (const json& inc : arr(*summary, "incidents"))
      if (inc.is_object() && str(inc, "id") == id) {
        const json& tr = obj(inc, "traced_runs");
        if (auto it = tr.find("worst"); it != tr.end() && it->is_number_integer())
          return it->get<int>();
      }
    return {};
  };
  auto trace_file = [&](const std::string& id, int k) {
    return dir / "traces" / id / ("run-" + std::to_string(k) + ".jsonl");
  };
  std::string chosen;
  int chosen_run = -1;
  for (const std::string& id : incidents) {
    if (!incident.empty() && id != incident) continue;
    std::optional<int> k = run ? run : worst_of(id);
    if (!k) {  // no summary: the first trace of the incident
      for (const auto& e : fs::directory_iterator(dir / "traces" / id, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("run-", 0) == 0) {
          try {
            k = std::stoi(name.substr(4));
          } catch (...) {
          }
          if (k) break;
        }
      }
    }
    if (k && fs::exists(trace_file(id, *k), ec)) {
      chosen = id;
      chosen_run = *k;
      break;
    }
  }
  if (chosen.empty()) {
    c.error = path + ": no trace " +
              (run ? "of run " + std::to_string(*run) : std::string("of the worst run")) +
              (incident.empty() ? std::string() : " of incident " + incident) +
              " under traces/ (see summary.json \"traced_runs\")";
    return c;
  }
  c.trace_path = trace_file(chosen, chosen_run).string();
  c.results = results_info(dir, chosen, chosen_run);
  return c;
}

}  // namespace hqdrill::viewer
