#include "hqdrill/io/trace_io.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "hqdrill/sim/complaint.hpp"

namespace hqdrill::io {

using nlohmann::json;

namespace {

const char* weekday_name(int wd) {
  static const char* names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  return names[((wd % 7) + 7) % 7];
}

std::string hhmm(int minute_of_day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (minute_of_day / 60) % 100, minute_of_day % 60);
  return buf;
}

json site_json(const Site& site) {
  json nodes = json::array(), edges = json::array();
  for (const Node& n : site.nodes)
    nodes.push_back({{"id", n.id},
                     {"kind", to_string(n.kind)},
                     {"name", n.name},
                     {"name_en", n.name_en},
                     {"site", n.site},
                     {"x_m", n.x_m},
                     {"y_m", n.y_m},
                     {"floor", n.floor}});
  for (const Edge& e : site.edges) {
    json modes = json::array();
    for (int m = 0; m < kModeCount; ++m)
      if (e.modes[m]) modes.push_back(to_string(static_cast<TravelMode>(m)));
    json j = {{"id", e.id},
              {"from", site.nodes[e.from].id},
              {"to", site.nodes[e.to].id},
              {"length_m", e.length_m},
              {"width_m", e.width_m},
              {"modes", modes},
              {"closed", e.closed_at_start}};
    if (e.door != DoorKind::none) j["door"] = e.door == DoorKind::gate ? "gate" : "door";
    edges.push_back(std::move(j));
  }
  json areas = json::array();
  auto pt = [](const peds::Vec2& v) { return json::array({v.x, v.y}); };
  auto ring = [&](const std::vector<peds::Vec2>& r) {
    json j = json::array();
    for (const peds::Vec2& v : r) j.push_back(pt(v));
    return j;
  };
  // Doors that are the far end of another door's connection lead back to it.
  std::map<std::pair<Index, Index>, std::pair<Index, Index>> back;
  for (std::size_t ai = 0; ai < site.areas.size(); ++ai)
    for (std::size_t di = 0; di < site.areas[ai].doors.size(); ++di) {
      const AreaDoor& d = site.areas[ai].doors[di];
      if (d.to_door != kNone)
        back[{d.to_area, d.to_door}] = {static_cast<Index>(ai), static_cast<Index>(di)};
    }
  for (std::size_t ai = 0; ai < site.areas.size(); ++ai) {
    const Area& a = site.areas[ai];
    json holes = json::array(), doors = json::array();
    for (const auto& h : a.holes) holes.push_back(ring(h));
    for (std::size_t di = 0; di < a.doors.size(); ++di) {
      const AreaDoor& d = a.doors[di];
      Index to_area = d.to_area, to_door = d.to_door, edge = d.edge;
      if (auto it = back.find({static_cast<Index>(ai), static_cast<Index>(di)});
          it != back.end() && to_area == kNone) {
        to_area = it->second.first;
        to_door = it->second.second;
        edge = site.areas[static_cast<std::size_t>(to_area)]
                   .doors[static_cast<std::size_t>(to_door)]
                   .edge;
      }
      json dj = {{"id", d.id},
                 {"a", pt(d.span.a)},
                 {"b", pt(d.span.b)},
                 {"kind", d.kind == DoorKind::gate ? "gate" : "door"},
                 {"locked", d.closed_at_start},
                 {"to", to_area == kNone ? std::string("outside") : site.areas[to_area].id}};
      if (to_door != kNone)
        dj["to_door"] = site.areas[static_cast<std::size_t>(to_area)]
                            .doors[static_cast<std::size_t>(to_door)]
                            .id;
      if (edge != kNone) dj["edge"] = site.edges[edge].id;
      doors.push_back(std::move(dj));
    }
    areas.push_back({{"id", a.id},
                     {"name", a.name},
                     {"name_en", a.name_en},
                     {"node", site.nodes[a.node].id},
                     {"kind", to_string(a.kind)},
                     {"fidelity", to_string(a.fidelity)},
                     {"area_m2", a.area_m2},
                     {"outline", ring(a.outline)},
                     {"holes", holes},
                     {"doors", doors}});
  }
  return {{"nodes", nodes}, {"edges", edges}, {"areas", areas}};
}

json ped_frame_json(const Site& site, const PedFrame& f) {
  json counts = json::object();
  for (std::size_t a = 0; a < f.area_count.size(); ++a)
    if (f.area_count[a]) counts[site.areas[a].id] = f.area_count[a];
  // Positions to the centimetre: enough for the viewer, a third of the bytes.
  json x = json::array(), y = json::array();
  for (std::size_t i = 0; i < f.x.size(); ++i) {
    x.push_back(std::round(f.x[i] * 100.0) / 100.0);
    y.push_back(std::round(f.y[i] * 100.0) / 100.0);
  }
  json j = {
      {"t_s", ms_to_seconds(f.t)}, {"type", "peds"},         {"id", f.person}, {"x", x}, {"y", y},
      {"areas", counts},           {"on_edges", f.on_edges}, {"out", f.out}};
  if (!f.state.empty()) {
    json st = json::array();
    for (std::uint8_t v : f.state) st.push_back(to_string(static_cast<ComplainantState>(v)));
    j["state"] = st;
  }
  return j;
}

/// A fire frame: per fire room [HRR kW, upper layer degC, layer height m, state].
json fire_frame_json(const FireFrame& f) {
  static constexpr const char* kStates[] = {"cold",    "smoke",     "untenable",
                                            "burning", "flashover", "out"};
  json rooms = json::array();
  for (std::size_t r = 0; r < f.hrr_kw.size(); ++r)
    rooms.push_back({std::round(f.hrr_kw[r] * 10.0) / 10.0, std::round(f.upper_c[r] * 10.0) / 10.0,
                     std::round(f.layer_m[r] * 100.0) / 100.0, kStates[f.state[r]]});
  return {{"t_s", ms_to_seconds(f.t)}, {"type", "fire"}, {"rooms", rooms}};
}

/// The fire model's rooms, vents, detectors and means (fire incidents; header "fire").
json fire_json(const Scenario& s, const FireDef& f) {
  json rooms = json::array(), vents = json::array(), detectors = json::array(),
       means = json::array();
  for (const FireRoom& r : f.rooms) {
    json j = {{"id", r.id},
              {"name", r.name},
              {"name_en", r.name_en},
              {"node", s.site.nodes[r.node].id},
              {"height_m", r.height_m},
              {"floor_area_m2", r.floor_area_m2},
              {"records", r.records},
              {"burns", r.fuel.has_value()}};
    if (r.area != kNone) j["area"] = s.site.areas[r.area].id;
    rooms.push_back(std::move(j));
  }
  for (const FireVent& v : f.vents)
    vents.push_back({{"id", v.id},
                     {"from", f.rooms[v.from].id},
                     {"to", v.to == kNone ? std::string("outside") : f.rooms[v.to].id},
                     {"open", v.open}});
  for (const FireDetector& d : f.detectors)
    detectors.push_back({{"id", d.id}, {"room", f.rooms[d.room].id}, {"kind", to_string(d.kind)}});
  for (const FireMeans& m : f.means) {
    json j = {{"id", m.id},
              {"name", m.name},
              {"name_en", m.name_en},
              {"kind", m.kind},
              {"max_hrr_kw", m.max_hrr_kw}};
    if (m.node != kNone) j["node"] = s.site.nodes[m.node].id;
    means.push_back(std::move(j));
  }
  return {{"rooms", rooms},
          {"vents", vents},
          {"detectors", detectors},
          {"means", means},
          {"origin", f.rooms[f.origin].id}};
}

/// The flood model's cells and links (flood incidents; header "flood").
json flood_json(const Scenario& s, const FloodDef& f) {
  json cells = json::array(), barriers = json::array();
  for (const FloodCell& c : f.cells) {
    json j = {{"id", c.id},
              {"name", c.name},
              {"name_en", c.name_en},
              {"kind", to_string(c.kind)},
              {"ground_m", c.ground_m},
              {"area_m2", c.area_m2}};
    json outline = json::array();
    if (c.area != kNone) {
      j["area"] = s.site.areas[c.area].id;
      for (const peds::Vec2& p : s.site.areas[c.area].outline) outline.push_back({p.x, p.y});
    }
    if (c.node != kNone) j["node"] = s.site.nodes[c.node].id;
    j["outline"] = outline;
    if (c.records) j["records"] = c.records->amount;
    cells.push_back(std::move(j));
  }
  for (const FloodLink& l : f.links)
    barriers.push_back({{"id", l.id},
                        {"kind", l.kind == FloodLinkKind::weir ? "weir" : "orifice"},
                        {"from", f.cells[l.from].id},
                        {"to", l.to == kNone ? std::string("outside") : f.cells[l.to].id},
                        {"crest_m", l.kind == FloodLinkKind::weir ? l.crest_m : l.invert_m}});
  json pumps = json::array();
  for (const FloodPump& p : f.pumps)
    pumps.push_back({{"id", p.id},
                     {"from", f.cells[p.from].id},
                     {"to", p.to == kNone ? std::string("outside") : f.cells[p.to].id},
                     {"capacity_m3_h", p.capacity_m3s * 3600.0},
                     {"power", p.power == PumpPower::grid ? "grid" : "engine"}});
  return {{"cells", cells},
          {"barriers", barriers},
          {"pumps", pumps},
          {"station", f.station},
          {"alarm_levels_m",
           {{"I", f.alarm_levels_m[0]}, {"II", f.alarm_levels_m[1]}, {"III", f.alarm_levels_m[2]}}},
          {"gauge_to_site_m", f.gauge_to_site_m}};
}

json flood_frame_json(const FloodFrame& f) {
  json depth = json::array(), barriers = json::array();
  for (float d : f.depth_m) depth.push_back(std::round(d * 1000.0) / 1000.0);
  for (std::uint8_t b : f.barriers) barriers.push_back(to_string(static_cast<BarrierState>(b)));
  return {{"t_s", ms_to_seconds(f.t)},
          {"type", "flood"},
          {"depth_m", depth},
          {"stage_m", std::round(f.stage_m * 1000.0) / 1000.0},
          {"barriers", barriers}};
}

json event_json(const Scenario& s, const Incident& inc, const Protocol* proto,
                const TraceEvent& e) {
  json j = {{"t_s", ms_to_seconds(e.t)}, {"type", to_string(e.kind)}};
  if (e.role != kNone) j["role"] = s.roles[e.role].id;
  if (e.other_role != kNone)
    j[e.kind == TraceKind::role_alerted ? "from" : "to"] = s.roles[e.other_role].id;
  if (e.link != kNone) {
    const CommsLink& l = s.links[e.link];
    j["link"] = l.id;
    j["channel"] = to_string(l.channel);
    j["from"] = s.roles[l.from_role].id;
    j["to"] = s.roles[l.to_role].id;
  }
  if (e.unit != kNone) j["unit"] = s.units[e.unit].id;
  if (e.node != kNone) j["node"] = s.site.nodes[e.node].id;
  if (e.edge != kNone) j["edge"] = s.site.edges[e.edge].id;
  if (e.group != kNone) j["mover"] = e.group;
  if (e.task != kNone && proto) j["task"] = proto->tasks[e.task].id;
  if (e.kind == TraceKind::dispatch_ordered || e.kind == TraceKind::unit_departed ||
      e.kind == TraceKind::unit_called_out || e.kind == TraceKind::unit_arrived)
    j["members"] = e.count;
  if (e.kind == TraceKind::door_closed || e.kind == TraceKind::door_opened) {
    const Area& a = s.site.areas[static_cast<std::size_t>(e.count)];
    j["area"] = a.id;
    j["door"] = a.doors[static_cast<std::size_t>(e.attempt)].id;
    return j;
  }
  if (e.kind == TraceKind::peds_all_out) j["people"] = e.count;
  if (inc.flood) {
    const FloodDef& f = *inc.flood;
    switch (e.kind) {
      case TraceKind::typhoon_phase: {
        static const char* const kPhases[] = {"forecast", "warning", "landfall", "peak",
                                              "recession"};
        j["phase"] = kPhases[e.count];
        return j;
      }
      case TraceKind::water_entered:
      case TraceKind::window_broken:
        j["cell"] = f.cells[static_cast<std::size_t>(e.count)].id;
        return j;
      case TraceKind::barrier_overtopped:
        j["barrier"] = f.links[static_cast<std::size_t>(e.count)].id;
        return j;
      case TraceKind::edge_flooded: {
        static const char* const kPass[] = {"open", "no_vehicles", "closed"};
        j["passable"] = kPass[e.count];
        return j;
      }
      default:
        break;
    }
  }
  if (inc.fire) {
    const FireDef& f = *inc.fire;
    auto room = [&](Index r) { return f.rooms[static_cast<std::size_t>(r)].id; };
    switch (e.kind) {
      case TraceKind::fire_noticed: {
        const auto cue = static_cast<FireCue>(e.count);
        j["cue"] = to_string(cue);
        j[cue == FireCue::detector ? "detector" : "room"] =
            cue == FireCue::detector ? f.detectors[static_cast<std::size_t>(e.attempt)].id
                                     : room(e.attempt);
        return j;
      }
      case TraceKind::means_fetched:
      case TraceKind::fire_attacked:
        if (e.count != kNone) j["means"] = f.means[static_cast<std::size_t>(e.count)].id;
        if (e.kind == TraceKind::fire_attacked) j["controlled"] = e.attempt == 1;
        return j;
      case TraceKind::room_ignited:
      case TraceKind::room_flashover:
        j["room"] = room(e.count);
        return j;
      case TraceKind::room_untenable:
        j["room"] = room(e.count);
        j["people"] = e.attempt;
        return j;
      default:
        break;
    }
  }
  if (e.attempt) j["attempt"] = e.attempt;
  return j;
}

}  // namespace

std::string trace_jsonl(const Scenario& s, Index incident, std::uint64_t seed, int run,
                        const std::string& label, const RunRecord& rec,
                        const std::vector<std::string>& kpi_names) {
  const Incident& inc = s.incidents[incident];
  const Protocol* proto = inc.protocol != kNone ? &s.protocols[inc.protocol] : nullptr;
  json roles = json::array(), units = json::array(), movers = json::array(), kpis = json::object(),
       tasks = json::array();
  if (proto)
    for (const TaskDef& t : proto->tasks)
      tasks.push_back({{"id", t.id},
                       {"name", t.name},
                       {"name_en", t.name_en},
                       {"owner", s.roles[t.owner].id},
                       {"node", s.site.nodes[t.node != kNone ? t.node : inc.node].id}});
  for (const Role& r : s.roles)
    roles.push_back(
        {{"id", r.id}, {"name", r.name}, {"name_en", r.name_en}, {"unit", s.units[r.unit].id}});
  for (const Unit& u : s.units)
    units.push_back({{"id", u.id},
                     {"kind", u.kind},
                     {"name", u.name},
                     {"name_en", u.name_en},
                     {"mode", to_string(u.mode)},
                     {"members", u.members}});
  for (std::size_t i = 0; i < rec.trace.movers.size(); ++i) {
    const Mover& m = rec.trace.movers[i];
    movers.push_back({{"id", i},
                      {"unit", s.units[m.unit].id},
                      {"members", m.members},
                      {"origin", s.site.nodes[m.origin].id},
                      {"destination", s.site.nodes[m.destination].id},
                      {"appears_s", ms_to_seconds(m.appears)}});
  }
  for (std::size_t k = 0; k < kpi_names.size(); ++k)
    kpis[kpi_names[k]] = rec.kpis[k] ? json(*rec.kpis[k]) : json(nullptr);

  json groups = json::array();
  for (const PedGroup& g : inc.ped_groups)
    groups.push_back({{"id", g.id}, {"area", s.site.areas[g.area].id}, {"count", g.count}});

  json start = {{"weekday", weekday_name(inc.clock.start_weekday)},
                {"time", hhmm(inc.clock.start_minute_of_day)},
                {"holiday", std::find(inc.clock.holiday_days.begin(), inc.clock.holiday_days.end(),
                                      0) != inc.clock.holiday_days.end()}};
  if (!inc.clock.date.empty()) start["date"] = inc.clock.date;

  json header = {{"schema", kTraceSchema},
                 {"scenario", s.name},
                 {"incident",
                  {{"id", inc.id},
                   {"type", inc.type},
                   {"name", inc.name},
                   {"name_en", inc.name_en},
                   {"node", s.site.nodes[inc.node].id},
                   {"start", start}}},
                 {"run", run},
                 {"seed", seed},
                 {"label", label},
                 {"horizon_s", ms_to_seconds(horizon_of(s, incident))},
                 {"sample_s", ms_to_seconds(s.run.trace_sample)},
                 {"site", site_json(s.site)},
                 {"roles", roles},
                 {"units", units},
                 {"movers", movers},
                 {"tasks", tasks},
                 {"groups", groups},
                 {"kpis", kpis}};
  if (inc.fire) header["fire"] = fire_json(s, *inc.fire);
  if (inc.flood) header["flood"] = flood_json(s, *inc.flood);

  std::string out = header.dump() + "\n";
  // Events, with position samples interleaved in time order (a sample follows the events
  // of its millisecond). Sampling stops at the last event: nothing moves after it.
  const SimTime dt = std::max<SimTime>(s.run.trace_sample, 1);
  SimTime last = rec.trace.events.empty() ? 0 : rec.trace.events.back().t;
  if (!rec.trace.ped_frames.empty()) last = std::max(last, rec.trace.ped_frames.back().t);
  if (!rec.trace.fire_frames.empty()) last = std::max(last, rec.trace.fire_frames.back().t);
  if (!rec.trace.flood_frames.empty()) last = std::max(last, rec.trace.flood_frames.back().t);
  std::size_t next_flood = 0;
  auto emit_flood_until = [&](SimTime t) {
    for (; next_flood < rec.trace.flood_frames.size() && rec.trace.flood_frames[next_flood].t <= t;
         ++next_flood)
      out += flood_frame_json(rec.trace.flood_frames[next_flood]).dump() + "\n";
  };
  std::size_t next_fire = 0;
  auto emit_fire_until = [&](SimTime t) {
    for (; next_fire < rec.trace.fire_frames.size() && rec.trace.fire_frames[next_fire].t <= t;
         ++next_fire)
      out += fire_frame_json(rec.trace.fire_frames[next_fire]).dump() + "\n";
  };
  std::size_t next_frame = 0;
  auto emit_frames_until = [&](SimTime t) {
    for (; next_frame < rec.trace.ped_frames.size() && rec.trace.ped_frames[next_frame].t <= t;
         ++next_frame)
      out += ped_frame_json(s.site, rec.trace.ped_frames[next_frame]).dump() + "\n";
  };
  SimTime next_sample = 0;
  json last_pos;
  auto emit_samples_until = [&](SimTime t) {
    for (; next_sample <= t && next_sample <= last; next_sample += dt) {
      json pos = json::array();
      for (const MoverPosition& p : positions_at(s.site, rec.trace, next_sample))
        pos.push_back({p.mover, p.x_m, p.y_m});
      if (pos.empty()) continue;
      // A flood lasts days: a sample where nobody moved is left out (positions hold).
      if (inc.flood && pos == last_pos) continue;
      last_pos = pos;
      out +=
          json{{"t_s", ms_to_seconds(next_sample)}, {"type", "positions"}, {"movers", pos}}.dump();
      out += "\n";
    }
  };
  for (const TraceEvent& e : rec.trace.events) {
    emit_samples_until(e.t - 1);
    emit_frames_until(e.t - 1);
    emit_fire_until(e.t - 1);
    emit_flood_until(e.t - 1);
    out += event_json(s, inc, proto, e).dump() + "\n";
  }
  emit_samples_until(last);
  emit_frames_until(last);
  emit_fire_until(last);
  emit_flood_until(last);
  if (!rec.trace.people.empty()) {
    // One row per person: group, start area, appears, starts, out (s; null = never), path.
    auto secs = [](SimTime t) { return t == kNever ? json(nullptr) : json(ms_to_seconds(t)); };
    json rows = json::array();
    for (const PersonRecord& p : rec.trace.people)
      rows.push_back({inc.ped_groups[static_cast<std::size_t>(p.group)].id,
                      s.site.areas[static_cast<std::size_t>(p.area)].id, secs(p.appears),
                      secs(p.starts), secs(p.out), std::round(p.path_m * 100.0) / 100.0,
                      p.exit_area == kNone
                          ? json(nullptr)
                          : json(s.site.areas[static_cast<std::size_t>(p.exit_area)]
                                     .doors[static_cast<std::size_t>(p.exit_door)]
                                     .id)});
    out += json{{"t_s", ms_to_seconds(last)},
                {"type", "people"},
                {"columns", {"group", "area", "appears_s", "starts_s", "out_s", "path_m", "exit"}},
                {"people", rows}}
               .dump() +
           "\n";
  }
  out += json{{"t_s", ms_to_seconds(last)}, {"type", "end"}}.dump() + "\n";
  return out;
}

namespace {

/// Checks that a trace line is one strict JSON value (RFC 8259: grammar, string escapes,
/// UTF-8) and picks up its top-level "schema", "t_s" and "type", without building a DOM or
/// converting the thousands of numbers of a pedestrian frame: json::parse took 5 s on a
/// 117 MB trace, this about 0.6 s (bench/bench_viewer.cpp). It accepts what json::parse
/// accepts, except nesting deeper than kMaxDepth (the recursion's bound); never throws.
class LineScan {
 public:
  explicit LineScan(std::string_view line) : p_(line.data()), end_(line.data() + line.size()) {}

  /// True when the line is exactly one JSON object (surrounding whitespace allowed).
  bool run() {
    ws();
    if (p_ == end_ || *p_ != '{') return false;
    if (!value(0)) return false;
    ws();
    return p_ == end_;
  }
  std::optional<double> t_s;
  std::optional<std::string> type, schema;

 private:
  static constexpr int kMaxDepth = 256;
  const char* p_;
  const char* end_;

  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word)
      return false;
    p_ += word.size();
    return true;
  }
  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool u4(unsigned& cp) {
    if (end_ - p_ < 4) return false;
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = hex(*p_++);
      if (h < 0) return false;
      cp = cp * 16 + static_cast<unsigned>(h);
    }
    return true;
  }
  /// A string starting at '"'; `out` (when given) receives its decoded text.
  bool string(std::string* out) {
    ++p_;
    while (p_ < end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (++p_ >= end_) return false;
        const char e = *p_++;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            if (out) *out += e;
            break;
          case 'b':
            if (out) *out += '\b';
            break;
          case 'f':
            if (out) *out += '\f';
            break;
          case 'n':
            if (out) *out += '\n';
            break;
          case 'r':
            if (out) *out += '\r';
            break;
          case 't':
            if (out) *out += '\t';
            break;
          case 'u': {
            unsigned cp = 0;
            if (!u4(cp)) return false;
            if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a lone low surrogate
            if (cp >= 0xD800 && cp <= 0xDBFF) {              // needs its low half
              unsigned lo = 0;
              if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return false;
              p_ += 2;
              if (!u4(lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            if (out) append_utf8(*out, cp);
            break;
          }
          default:
            return false;
        }
        continue;
      }
      if (c < 0x80) {
        if (out) *out += static_cast<char>(c);
        ++p_;
        continue;
      }
      // UTF-8: no overlong forms, no surrogates, at most U+10FFFF (RFC 3629).
      const char* start = p_;
      int n = 0;
      unsigned cp = 0;
      if (c >= 0xC2 && c <= 0xDF)
        n = 1, cp = c & 0x1F;
      else if (c >= 0xE0 && c <= 0xEF)
        n = 2, cp = c & 0x0F;
      else if (c >= 0xF0 && c <= 0xF4)
        n = 3, cp = c & 0x07;
      else
        return false;
      if (end_ - p_ <= n) return false;
      ++p_;
      for (int i = 0; i < n; ++i, ++p_) {
        const auto cc = static_cast<unsigned char>(*p_);
        if ((cc & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (cc & 0x3F);
      }
      if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
          (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
        return false;
      if (out) out->append(start, p_);
    }
    return false;
  }
  static void append_utf8(std::string& s, unsigned cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  bool digits() {
    const char* s = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ > s;
  }
  bool number(double* out) {
    const char* start = p_;
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ < end_ && *p_ == '0')
      ++p_;
    else if (!digits())
      return false;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (!digits()) return false;
    }
    bool exponent = false;
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digits()) return false;
      exponent = true;
    }
    // json::parse refuses a number that overflows a double (1e999) and takes one that
    // underflows as 0; only exponents and very long numbers can do either.
    if ((exponent || p_ - start > 300) &&
        !std::isfinite(std::strtod(std::string(start, p_).c_str(), nullptr)))
      return false;
    if (out) {
      double v = 0;
      const auto res = std::from_chars(start, p_, v);
      if (res.ec == std::errc::result_out_of_range)
        v = 0;  // an underflow (overflow: above)
      else if (res.ec != std::errc())
        return false;
      *out = v;
    }
    return true;
  }
  bool value(int depth) {
    if (depth > kMaxDepth || p_ >= end_) return false;
    switch (*p_) {
      case '{': {
        ++p_;
        ws();
        if (p_ < end_ && *p_ == '}') {
          ++p_;
          return true;
        }
        while (true) {
          ws();
          if (p_ >= end_ || *p_ != '"') return false;
          std::string key;
          if (!string(depth == 0 ? &key : nullptr)) return false;
          ws();
          if (p_ >= end_ || *p_ != ':') return false;
          ++p_;
          ws();
          if (depth == 0 && key == "t_s" && p_ < end_ &&
              (*p_ == '-' || (*p_ >= '0' && *p_ <= '9'))) {
            double v = 0;
            if (!number(&v)) return false;
            t_s = v;
          } else if (depth == 0 && (key == "type" || key == "schema") && p_ < end_ && *p_ == '"') {
            std::string v;
            if (!string(&v)) return false;
            (key == "type" ? type : schema) = std::move(v);
          } else {
            // A repeated key: json::parse keeps the last value, so forget the first.
            if (depth == 0 && key == "t_s") t_s.reset();
            if (depth == 0 && key == "type") type.reset();
            if (depth == 0 && key == "schema") schema.reset();
            if (!value(depth + 1)) return false;
          }
          ws();
          if (p_ < end_ && *p_ == ',') {
            ++p_;
            continue;
          }
          if (p_ < end_ && *p_ == '}') {
            ++p_;
            return true;
          }
          return false;
        }
      }
      case '[': {
        ++p_;
        ws();
        if (p_ < end_ && *p_ == ']') {
          ++p_;
          return true;
        }
        while (true) {
          ws();
          if (!value(depth + 1)) return false;
          ws();
          if (p_ < end_ && *p_ == ',') {
            ++p_;
            continue;
          }
          if (p_ < end_ && *p_ == ']') {
            ++p_;
            return true;
          }
          return false;
        }
      }
      case '"':
        return string(nullptr);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number(nullptr);
    }
  }
};

}  // namespace

TraceRead read_trace(const std::string& text) {
  TraceRead r;
  std::size_t pos = 0;
  int line_no = 0;
  bool have_header = false;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    const bool terminated = eol != std::string::npos;
    if (!terminated) eol = text.size();
    const std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (line.empty()) continue;
    const std::string where = "line " + std::to_string(line_no);
    LineScan scan(line);
    if (!scan.run()) {
      r.diagnostics.error(where, terminated ? "not a JSON object"
                                            : "the trace is truncated (last line incomplete)");
      break;
    }
    if (!have_header) {
      if (!scan.schema) {
        r.diagnostics.error(where, "first line has no \"schema\": not an HQ Drill trace");
        return r;
      }
      r.schema = *scan.schema;
      if (r.schema != kTraceSchema) {
        r.diagnostics.error(where, r.schema.rfind("hqdrill.trace/", 0) == 0
                                       ? "trace schema \"" + r.schema +
                                             "\" is newer or older than this build reads (" +
                                             kTraceSchema + ")"
                                       : "unknown schema \"" + r.schema + "\"");
        return r;
      }
      r.header_json = std::string(line);
      have_header = true;
      continue;
    }
    if (!scan.t_s || !scan.type) {
      r.diagnostics.error(where, "an event needs a numeric \"t_s\" and a string \"type\"");
      continue;
    }
    TraceLine tl{*scan.t_s, std::move(*scan.type), std::string(line)};
    if (tl.type == "end") {
      r.complete = true;
      break;
    }
    r.lines.push_back(std::move(tl));
  }
  if (!have_header && !r.diagnostics.has_errors())
    r.diagnostics.error("line 1", "the trace is empty");
  if (have_header && !r.complete && !r.diagnostics.has_errors())
    r.diagnostics.warning("line " + std::to_string(line_no),
                          "the trace ends without its \"end\" line (truncated?)");
  r.ok = have_header;
  return r;
}

}  // namespace hqdrill::io
