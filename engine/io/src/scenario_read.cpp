// The structure of a "hqdrill/1" document (docs/scenario-format.md): keys, types,
// defaults, ranges, enums and references. Every array element keeps its slot in the
// typed vectors (a bad one stays a placeholder), so indices equal JSON positions.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "hqdrill/peds/geometry.hpp"
#include "reader.hpp"

namespace hqdrill::io::detail {

namespace {

const std::vector<std::string> kNodeKinds{"gate",           "guard_post", "building", "room",
                                          "hall",           "corridor",   "stairs",   "yard",
                                          "parking",        "street",     "junction", "station",
                                          "assembly_point", "hydrant",    "pump",     "store"};
const std::vector<std::string> kModes{"foot", "vehicle"};
const std::vector<std::string> kChannels{"radio", "phone", "in_person", "runner"};
const std::vector<std::string> kWeekdays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const std::vector<std::string> kDayWords{"mon", "tue",     "wed",      "thu",     "fri", "sat",
                                         "sun", "holiday", "weekdays", "weekend", "all"};
const std::vector<std::string> kIncidentTypes{"generic", "crowd_complaint", "fire", "flood"};
constexpr const char* kCrowdType = "crowd_complaint";
constexpr const char* kFireType = "fire";
constexpr const char* kFloodType = "flood";
const std::vector<std::string> kGrowthClasses{"slow", "medium", "fast", "ultrafast"};
const std::vector<std::string> kLinings{"concrete", "gypsum"};
const std::vector<std::string> kDetectorKinds{"smoke", "heat", "sprinkler"};
/// Quoted whenever a dialogue asks for more representatives than the law allows.
constexpr const char* kRepresentativesRule =
    "Luật Tiếp công dân 2013, Điều 29: 5–10 người cử 1–2 đại diện, trên 10 người không quá 5 "
    "(Law 42/2013/QH13 Art. 29)";
/// Crowd sizes beyond this are all "more than 10" to the law; it keeps sums in range.
constexpr std::int64_t kMaxCrowd = 1000000000;
const std::vector<std::string> kAreaKinds{"room",   "hall",   "corridor", "yard",
                                          "street", "stairs", "waiting"};
const std::vector<std::string> kFidelities{"micro", "macro"};
/// Largest group of pedestrians one scenario line may create.
constexpr int kMaxGroupSize = 100000;

constexpr const char* kSchema = "hqdrill/1";
/// Longest duration a scenario may state (horizon, event times): 30 days. It keeps every
/// millisecond count far from overflow and matches the 30 days of holidays we look ahead.
constexpr double kMaxDurationS = 30.0 * 86400.0;
constexpr int kHolidayLookaheadDays = 30;

DayMask day_word_mask(int word) {
  if (word < 8) return static_cast<DayMask>(1u << word);
  if (word == 8) return 0x1F;  // weekdays: mon..fri
  if (word == 9) return 0x60;  // weekend: sat, sun
  return 0xFF;                 // all eight day types
}

class ScenarioReader {
 public:
  ScenarioReader(Reader& r, Parsed& p) : r_(r), p_(p), s_(p.s) {}

  void read(const Json& root) {
    Obj top(r_, root, "",
            {"schema", "$schema", "name", "name_en", "description", "calendar", "site", "travel",
             "forces", "roles", "comms", "protocols", "incidents", "targets", "run"},
            {"schema", "name", "site", "forces", "roles", "comms", "protocols", "incidents"});
    if (!top.ok()) return;
    if (auto v = top.str("schema"); v && *v != kSchema)
      r_.error(top.ptr("schema"), "unknown schema " + quote(*v) + " (expected \"hqdrill/1\")");
    top.str("$schema");
    if (auto v = top.str("name")) s_.name = *v;
    if (auto v = top.str("name_en")) s_.name_en = *v;
    if (auto v = top.str("description")) s_.description = *v;

    // Sections that only need themselves come first; ids are collected before any
    // reference is resolved, so a reference may point forward in the file.
    if (const Json* v = top.find("run")) run(*v, top.ptr("run"));
    if (const Json* v = top.find("calendar")) calendar(*v, top.ptr("calendar"));
    if (const Json* v = top.find("travel")) travel(*v, top.ptr("travel"));

    const Json* nodes = nullptr;
    const Json* edges = nullptr;
    const Json* areas = nullptr;
    const Json* measurements = nullptr;
    const Json* units = nullptr;
    const Json* posts = nullptr;
    const Json* links = nullptr;
    std::optional<Obj> site, forces, comms;
    if (const Json* v = top.find("site")) {
      site.emplace(r_, *v, top.ptr("site"),
                   std::vector<std::string>{"nodes", "edges", "areas", "measurements"},
                   std::vector<std::string>{"nodes", "edges"});
      nodes = array(*site, "nodes");
      edges = array(*site, "edges");
      areas = array(*site, "areas");
      measurements = site->find("measurements");
    }
    if (const Json* v = top.find("forces")) {
      forces.emplace(r_, *v, top.ptr("forces"), std::vector<std::string>{"units", "posts"},
                     std::vector<std::string>{"units"});
      units = array(*forces, "units");
      posts = array(*forces, "posts");
    }
    if (const Json* v = top.find("comms")) {
      comms.emplace(r_, *v, top.ptr("comms"), std::vector<std::string>{"links"},
                    std::vector<std::string>{"links"});
      links = array(*comms, "links");
    }
    const Json* roles = array(top, "roles");
    const Json* protocols = array(top, "protocols");
    const Json* incidents = array(top, "incidents");
    const Json* targets = array(top, "targets");

    p_.nodes = collect_ids(r_, nodes, "/site/nodes");
    p_.edges = collect_ids(r_, edges, "/site/edges");
    areas_ = collect_ids(r_, areas, "/site/areas");
    p_.units = collect_ids(r_, units, "/forces/units");
    p_.roles = collect_ids(r_, roles, "/roles");
    p_.protocols = collect_ids(r_, protocols, "/protocols");
    p_.incidents = collect_ids(r_, incidents, "/incidents");
    // A site without areas (or measurements) has none: references to one are unknown.
    if (site && site->ok() && !site->has("areas")) areas_.available = true;
    kpi_names_ = {"detect_s", "all_on_scene_s", "peds_out_s"};
    for (const std::string& id : group_ids_in(incidents))
      kpi_names_.push_back("peds_out_" + id + "_s");
    for (const std::string& k : measure_kpis_in(measurements)) kpi_names_.push_back(k);
    for (const auto& id : p_.roles.ids) kpi_names_.push_back("notified_" + id + "_s");
    for (const auto& id : p_.units.ids) kpi_names_.push_back("on_scene_" + id + "_s");
    for (const std::string& id : task_ids_in(protocols))
      kpi_names_.push_back("task_" + id + "_done_s");
    // Crowd complaints (sim/replication.cpp kpi_names): per unit at the gate, and the rest.
    for (const auto& id : p_.units.ids) kpi_names_.push_back(id + "_at_gate_s");
    for (const char* k :
         {"gate_closed_s", "first_defender_at_gate_s", "first_at_gate_s",
          "defenders_when_crowd_arrives_n", "reinforcements_on_scene_s", "cordon_formed_s",
          "dialogue_started_s", "complaint_received_s", "breach_fraction", "breach_s",
          "intruders_n", "marched_n", "peak_at_gate_n", "peak_active_fraction", "peak_pushers_n",
          "peak_density_ppm2", "peak_place_density_ppm2", "peak_gate_pressure_npm",
          "street_blocked_s"})
      kpi_names_.push_back(k);
    // Fires: the fire model's KPIs, and the available safe egress time of each fire room.
    for (const char* k :
         {"detection_s", "alarm_s", "first_attack_s", "controlled_s", "fire_police_on_scene_s",
          "evacuation_complete_s", "aset_s", "rset_s", "aset_margin_s", "exposed_n",
          "flashover_fraction", "controlled_by_team_fraction", "rooms_involved",
          "records_lost_fraction", "peak_hrr_kw"})
      kpi_names_.push_back(k);
    for (const std::string& id : fire_room_ids_in(incidents))
      kpi_names_.push_back("aset_" + id + "_s");
    // Floods (sim/replication.cpp kpi_names).
    for (const char* k :
         {"warning_lead_s", "barriers_complete_s", "records_moved_s", "first_water_entry_s",
          "time_above_threshold_s", "barriers_failed", "site_isolated_s"})
      kpi_names_.push_back(k);
    for (const std::string& id : flood_cell_ids_in(incidents)) {
      kpi_names_.push_back("first_water_entry_" + id + "_s");
      kpi_names_.push_back("max_depth_" + id + "_m");
    }

    each(nodes, "/site/nodes", s_.site.nodes,
         [&](const Json& j, const std::string& ptr, Node& n) { node(j, ptr, n); });
    each(edges, "/site/edges", s_.site.edges,
         [&](const Json& j, const std::string& ptr, Edge& e) { edge(j, ptr, e); });
    each(areas, "/site/areas", s_.site.areas,
         [&](const Json& j, const std::string& ptr, Area& a) { area(j, ptr, a); });
    if (areas) area_connections(*areas);
    if (measurements) measures(*measurements, "/site/measurements");
    if (site && site->ok() && !measurements) measure_areas_.available = true;
    each(units, "/forces/units", s_.units,
         [&](const Json& j, const std::string& ptr, Unit& u) { unit(j, ptr, u); });
    each(posts, "/forces/posts", s_.posts,
         [&](const Json& j, const std::string& ptr, Post& q) { post(j, ptr, q); });
    each(roles, "/roles", s_.roles,
         [&](const Json& j, const std::string& ptr, Role& q) { role(j, ptr, q); });
    if (links)
      for (std::size_t i = 0; i < links->size(); ++i)
        link((*links)[i], child("/comms/links", i), i);
    each(protocols, "/protocols", s_.protocols,
         [&](const Json& j, const std::string& ptr, Protocol& q) { protocol(j, ptr, q); });
    each(incidents, "/incidents", s_.incidents,
         [&](const Json& j, const std::string& ptr, Incident& q) { incident(j, ptr, q); });
    each(targets, "/targets", s_.targets,
         [&](const Json& j, const std::string& ptr, Target& t) { target(j, ptr, t); });
  }

 private:
  Reader& r_;
  Parsed& p_;
  Scenario& s_;
  std::vector<std::int64_t> holidays_;  ///< days since 1970-01-01
  std::vector<std::string> kpi_names_;
  double horizon_s_ = 14400;
  IdTable areas_;
  /// Door ids (unique over all areas) to (area, door index).
  std::map<std::string, std::pair<Index, Index>> doors_;
  std::vector<std::string> door_ids_;

  const Json* array(Obj& o, const char* key) {
    const Json* v = o.find(key);
    return v && r_.is_array(*v, o.ptr(key)) ? v : nullptr;
  }

  /// Task ids of all protocols, for the KPI names (the tasks are checked where read).
  static std::vector<std::string> task_ids_in(const Json* protocols) {
    std::vector<std::string> out;
    if (!protocols) return out;
    for (const Json& pr : *protocols) {
      if (!pr.is_object() || !pr.contains("tasks") || !pr.at("tasks").is_array()) continue;
      for (const Json& t : pr.at("tasks"))
        if (t.is_object() && t.contains("id") && t.at("id").is_string() &&
            valid_id(t.at("id").get_ref<const std::string&>()))
          out.push_back(t.at("id").get<std::string>());
    }
    return out;
  }

  /// Pedestrian group ids of all incidents, for the KPI names.
  static std::vector<std::string> group_ids_in(const Json* incidents) {
    std::vector<std::string> out;
    if (!incidents) return out;
    for (const Json& in : *incidents) {
      if (!in.is_object() || !in.contains("pedestrians") || !in.at("pedestrians").is_object())
        continue;
      const Json& peds = in.at("pedestrians");
      if (!peds.contains("groups") || !peds.at("groups").is_array()) continue;
      for (const Json& g : peds.at("groups"))
        if (g.is_object() && g.contains("id") && g.at("id").is_string() &&
            valid_id(g.at("id").get_ref<const std::string&>()))
          out.push_back(g.at("id").get<std::string>());
    }
    return out;
  }

  /// Fire room ids of all incidents, for the KPI names (the rooms are checked where read).
  static std::vector<std::string> fire_room_ids_in(const Json* incidents) {
    std::vector<std::string> out;
    if (!incidents) return out;
    for (const Json& in : *incidents) {
      if (!in.is_object() || !in.contains("fire") || !in.at("fire").is_object()) continue;
      const Json& fire = in.at("fire");
      if (!fire.contains("rooms") || !fire.at("rooms").is_array()) continue;
      for (const Json& room : fire.at("rooms"))
        if (room.is_object() && room.contains("id") && room.at("id").is_string() &&
            valid_id(room.at("id").get_ref<const std::string&>()))
          out.push_back(room.at("id").get<std::string>());
    }
    return out;
  }

  /// Flood cell ids of all incidents, for the KPI names (the cells are checked where read).
  static std::vector<std::string> flood_cell_ids_in(const Json* incidents) {
    std::vector<std::string> out;
    if (!incidents) return out;
    for (const Json& in : *incidents) {
      if (!in.is_object() || !in.contains("flood") || !in.at("flood").is_object()) continue;
      const Json& fl = in.at("flood");
      if (!fl.contains("cells") || !fl.at("cells").is_array()) continue;
      for (const Json& c : fl.at("cells"))
        if (c.is_object() && c.contains("id") && c.at("id").is_string() &&
            valid_id(c.at("id").get_ref<const std::string&>()))
          out.push_back(c.at("id").get<std::string>());
    }
    return out;
  }

  /// KPI names of the measurement areas and lines, for the KPI list.
  static std::vector<std::string> measure_kpis_in(const Json* m) {
    std::vector<std::string> out;
    if (!m || !m->is_object()) return out;
    auto ids = [&](const char* key, auto f) {
      if (!m->contains(key) || !m->at(key).is_array()) return;
      for (const Json& e : m->at(key))
        if (e.is_object() && e.contains("id") && e.at("id").is_string() &&
            valid_id(e.at("id").get_ref<const std::string&>()))
          f(e.at("id").get<std::string>(), e);
    };
    ids("areas",
        [&](const std::string& id, const Json&) { out.push_back("peak_density_" + id + "_ppm2"); });
    ids("lines", [&](const std::string& id, const Json& e) {
      out.push_back("passed_" + id + "_n");
      out.push_back("peak_flow_" + id + "_pps");
      if (e.contains("pressure") && e.at("pressure") == true)
        out.push_back("peak_pressure_" + id + "_npm");
    });
    return out;
  }

  template <class T, class F>
  void each(const Json* arr, const std::string& ptr, std::vector<T>& out, F&& f) {
    if (!arr) return;
    out.resize(arr->size());
    for (std::size_t i = 0; i < arr->size(); ++i) f((*arr)[i], child(ptr, i), out[i]);
  }

  // The element's id when collect_ids accepted it (errors are reported there).
  static std::string id_of(const Obj& o) {
    const Json* v = o.find("id");
    return v && v->is_string() ? v->get<std::string>() : std::string();
  }

  Index ref(const Obj& o, const char* key, const IdTable& t, std::string_view what) {
    const Json* v = o.find(key);
    return v ? resolve(r_, t, *v, o.ptr(key), what) : kNone;
  }

  std::optional<Distribution> dist(const Obj& o, const char* key, Quantity q) {
    const Json* v = o.find(key);
    return v ? read_distribution(r_, *v, o.ptr(key), q) : std::nullopt;
  }

  void kpi(Obj& o, const char* key, std::string& out) {
    auto v = o.str(key);
    if (!v) return;
    out = *v;
    if (!p_.roles.available || !p_.units.available) return;  // cannot tell
    if (std::find(kpi_names_.begin(), kpi_names_.end(), *v) != kpi_names_.end()) return;
    const std::string guess = did_you_mean(*v, kpi_names_);
    r_.error(o.ptr(key), "unknown KPI " + quote(*v) +
                             (guess.empty() ? "" : " (did you mean " + quote(guess) + "?)"));
  }

  // ------------------------------------------------------------ sections

  void run(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr, {"seed", "runs", "horizon_s", "trace_sample_s"}, {});
    RunSettings& run = s_.run;
    if (const Json* v = o.find("seed"))
      if (auto seed = r_.unsigned64(*v, o.ptr("seed"))) run.seed = *seed;
    if (auto v = o.integer("runs", 1)) run.runs = static_cast<int>(*v);
    const Range duration{0.0, true, kMaxDurationS, false};
    if (auto v = o.number("horizon_s", duration)) {
      horizon_s_ = *v;
      run.horizon = std::max<SimTime>(1, seconds_to_ms(*v));
    }
    if (auto v = o.number("trace_sample_s", duration))
      run.trace_sample = std::max<SimTime>(1, seconds_to_ms(*v));
  }

  void calendar(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr, {"holidays"}, {});
    const Json* h = array(o, "holidays");
    if (!h) return;
    for (std::size_t i = 0; i < h->size(); ++i)
      if (auto d = read_date(r_, (*h)[i], child(o.ptr("holidays"), i)))
        holidays_.push_back(days_from_civil(d->y, d->m, d->d));
  }

  void travel(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr, {"foot", "vehicle"}, {});
    for (int m = 0; m < kModeCount; ++m) {
      const Json* v = o.find(kModes[static_cast<std::size_t>(m)]);
      if (!v) continue;
      const bool vehicle = m == static_cast<int>(TravelMode::vehicle);
      Obj mo(r_, *v, o.ptr(kModes[static_cast<std::size_t>(m)]),
             vehicle ? std::vector<std::string>{"speed_mps", "traffic"}
                     : std::vector<std::string>{"speed_mps"},
             {"speed_mps"});
      if (auto d = dist(mo, "speed_mps", Quantity::speed))
        s_.mode_speed_mps[static_cast<std::size_t>(m)] = *d;
      if (const Json* tr = vehicle ? array(mo, "traffic") : nullptr)
        traffic(*tr, mo.ptr("traffic"));
    }
  }

  /// The "days" of a shift or a traffic window: day types and shorthands, at least one.
  DayMask days(Obj& o, const char* key) {
    DayMask mask = 0;
    const Json* d = o.find(key);
    if (!d || !r_.is_array(*d, o.ptr(key))) return mask;
    if (d->empty()) r_.error(o.ptr(key), "must list at least one day");
    for (std::size_t i = 0; i < d->size(); ++i)
      if (auto w = r_.one_of((*d)[i], child(o.ptr(key), i), "day", kDayWords))
        mask = static_cast<DayMask>(mask | day_word_mask(*w));
    return mask;
  }

  /// Minutes of the day a window covers, as [from, to) spans within 0..1440; to <= from
  /// crosses midnight (from == to: the whole day), as shifts do.
  static std::vector<std::pair<int, int>> clock_spans(int from, int to) {
    if (to > from) return {{from, to}};
    if (to == from) return {{0, 24 * 60}};
    return {{from, 24 * 60}, {0, to}};
  }

  /// Road traffic by time of day: vehicle speeds times `factor` in each window.
  void traffic(const Json& arr, const std::string& ptr) {
    std::vector<std::string> ptrs;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      Obj o(r_, arr[i], child(ptr, i), {"days", "from", "to", "factor"},
            {"days", "from", "to", "factor"});
      if (!o.ok()) continue;
      TrafficWindow w;
      const std::size_t before = r_.error_count();
      w.days = days(o, "days");
      if (const Json* v = o.find("from"))
        if (auto t = read_clock_time(r_, *v, o.ptr("from"), false)) w.from_min = *t;
      if (const Json* v = o.find("to"))
        if (auto t = read_clock_time(r_, *v, o.ptr("to"), true)) w.to_min = *t;
      if (auto x = o.number("factor", {0.0, true, 2.0, false})) w.factor = *x;
      if (r_.error_count() != before) continue;
      // Two windows at the same clock time of the same day type would be ambiguous.
      for (std::size_t k = 0; k < s_.traffic.size(); ++k) {
        const TrafficWindow& x = s_.traffic[k];
        if (!(x.days & w.days)) continue;
        bool overlap = false;
        for (const auto& [a0, a1] : clock_spans(x.from_min, x.to_min))
          for (const auto& [b0, b1] : clock_spans(w.from_min, w.to_min))
            overlap = overlap || (a0 < b1 && b0 < a1);
        if (overlap) {
          r_.error(o.ptr(), "overlaps the traffic window at " + ptrs[k] +
                                " on a day type they share (give each time of day one factor)");
          break;
        }
      }
      s_.traffic.push_back(w);
      ptrs.push_back(o.ptr());
    }
  }

  void node(const Json& j, const std::string& ptr, Node& n) {
    Obj o(r_, j, ptr,
          {"id", "kind", "name", "name_en", "site", "x_m", "y_m", "floor", "elevation_m"},
          {"id", "kind", "name", "x_m", "y_m"});
    n.id = id_of(o);
    if (auto v = o.one_of("kind", "node kind", kNodeKinds)) n.kind = static_cast<NodeKind>(*v);
    if (auto v = o.str("name")) n.name = *v;
    if (auto v = o.str("name_en")) n.name_en = *v;
    if (auto v = o.str("site")) n.site = *v;
    if (auto v = o.number("x_m")) n.x_m = *v;
    if (auto v = o.number("y_m")) n.y_m = *v;
    if (auto v = o.integer("floor")) n.floor = static_cast<int>(*v);
    if (auto v = o.number("elevation_m")) n.elevation_m = *v;
  }

  void edge(const Json& j, const std::string& ptr, Edge& e) {
    Obj o(r_, j, ptr,
          {"id", "from", "to", "length_m", "width_m", "modes", "speed_limit_mps", "door"},
          {"id", "from", "to", "length_m"});
    e.id = id_of(o);
    e.from = ref(o, "from", p_.nodes, "node");
    e.to = ref(o, "to", p_.nodes, "node");
    if (e.from != kNone && e.from == e.to)
      r_.error(o.ptr("to"), "the edge joins node " + quote(s_id(e.to)) +
                                " to itself (\"from\" and \"to\" must differ)");
    if (auto v = o.number("length_m", kPositive)) e.length_m = *v;
    if (auto v = o.number("width_m", kNonNegative)) e.width_m = *v;
    if (const Json* m = o.find("modes"); m && r_.is_array(*m, o.ptr("modes"))) {
      e.modes = {false, false};
      if (m->empty()) r_.error(o.ptr("modes"), "must list at least one mode");
      for (std::size_t i = 0; i < m->size(); ++i) {
        const std::string mptr = child(o.ptr("modes"), i);
        auto k = r_.one_of((*m)[i], mptr, "mode", kModes);
        if (!k) continue;
        if (e.modes[static_cast<std::size_t>(*k)])
          r_.error(mptr, "duplicate mode " + quote(kModes[static_cast<std::size_t>(*k)]));
        e.modes[static_cast<std::size_t>(*k)] = true;
      }
    }
    if (const Json* v = o.find("speed_limit_mps")) {
      Obj so(r_, *v, o.ptr("speed_limit_mps"), kModes, {});
      for (std::size_t m = 0; m < kModes.size(); ++m)
        if (auto x = so.number(kModes[m], kPositive)) e.speed_limit_mps[m] = *x;
    }
    if (const Json* v = o.find("door")) {
      Obj d(r_, *v, o.ptr("door"), {"kind", "locked"}, {"kind"});
      if (auto k = d.one_of("kind", "door kind", {"door", "gate"}))
        e.door = *k == 0 ? DoorKind::door : DoorKind::gate;
      if (auto l = d.boolean("locked")) e.closed_at_start = *l;
    }
  }

  // ------------------------------------------------------------ walkable areas

  /// A point [x, y] in metres, site frame.
  std::optional<peds::Vec2> point(const Json& j, const std::string& ptr) {
    if (!r_.is_array(j, ptr)) return std::nullopt;
    if (j.size() != 2) {
      r_.error(ptr, "a point is [x, y] in metres (got " + std::to_string(j.size()) + " numbers)");
      return std::nullopt;
    }
    auto x = r_.number(j[0], child(ptr, 0));
    auto y = r_.number(j[1], child(ptr, 1));
    if (!x || !y) return std::nullopt;
    return peds::Vec2{*x, *y};
  }

  std::optional<std::vector<peds::Vec2>> ring(const Json& j, const std::string& ptr) {
    if (!r_.is_array(j, ptr)) return std::nullopt;
    if (j.size() < 3) {
      r_.error(ptr, "a polygon needs at least 3 points (got " + std::to_string(j.size()) + ")");
      return std::nullopt;
    }
    std::vector<peds::Vec2> out;
    for (std::size_t i = 0; i < j.size(); ++i)
      if (auto p = point(j[i], child(ptr, i))) out.push_back(*p);
    if (out.size() != j.size()) return std::nullopt;
    return out;
  }

  void area(const Json& j, const std::string& ptr, Area& a) {
    Obj o(r_, j, ptr,
          {"id", "name", "name_en", "node", "kind", "fidelity", "outline", "holes", "doors",
           "speed_factor"},
          {"id", "node", "outline"});
    a.id = id_of(o);
    if (auto v = o.str("name")) a.name = *v;
    if (auto v = o.str("name_en")) a.name_en = *v;
    a.node = ref(o, "node", p_.nodes, "node");
    if (auto v = o.one_of("kind", "area kind", kAreaKinds)) a.kind = static_cast<AreaKind>(*v);
    if (auto v = o.one_of("fidelity", "fidelity", kFidelities))
      a.fidelity = static_cast<Fidelity>(*v);
    if (auto v = o.number("speed_factor", {0.0, true, 2.0, false})) a.speed_factor = *v;
    bool geometry_ok = true;
    if (const Json* v = o.find("outline")) {
      if (auto r = ring(*v, o.ptr("outline")))
        a.outline = *r;
      else
        geometry_ok = false;
    }
    if (const Json* hs = array(o, "holes"))
      for (std::size_t i = 0; i < hs->size(); ++i) {
        if (auto r = ring((*hs)[i], child(o.ptr("holes"), i)))
          a.holes.push_back(*r);
        else
          geometry_ok = false;
      }
    std::vector<std::string> door_ptrs;
    if (const Json* ds = array(o, "doors"))
      for (std::size_t i = 0; i < ds->size(); ++i) {
        const std::string dptr = child(o.ptr("doors"), i);
        Obj d(r_, (*ds)[i], dptr, {"id", "a", "b", "kind", "locked", "to", "to_door", "edge"},
              {"id", "a", "b"});
        AreaDoor door;
        if (auto v = d.str("id")) {
          door.id = *v;
          if (!valid_id(*v))
            r_.error(d.ptr("id"),
                     "door id " + quote(*v) +
                         " must be letters, digits, '_' or '-' (starting with a letter)");
          else if (!doors_.emplace(*v, std::pair<Index, Index>{kNone, kNone}).second)
            r_.error(d.ptr("id"),
                     "duplicate door id " + quote(*v) + " (door ids are unique over all areas)");
        }
        auto pa = d.has("a") ? point(*d.find("a"), d.ptr("a")) : std::nullopt;
        auto pb = d.has("b") ? point(*d.find("b"), d.ptr("b")) : std::nullopt;
        if (pa && pb)
          door.span = {*pa, *pb};
        else
          geometry_ok = false;
        if (auto k = d.one_of("kind", "door kind", {"door", "gate"}))
          door.kind = *k == 0 ? DoorKind::door : DoorKind::gate;
        if (auto l = d.boolean("locked")) door.closed_at_start = *l;
        door.edge = ref(d, "edge", p_.edges, "edge");
        a.doors.push_back(door);
        door_ptrs.push_back(dptr);
      }
    for (std::size_t i = 0; i < a.doors.size(); ++i) {
      const Index ai = areas_.find(a.id);
      auto it = doors_.find(a.doors[i].id);
      if (ai != kNone && it != doors_.end() && it->second.first == kNone)
        it->second = {ai, static_cast<Index>(i)};
    }
    if (a.fidelity == Fidelity::macro) {
      for (std::size_t i = 0; i < a.doors.size(); ++i)
        if (peds::norm(a.doors[i].span.b - a.doors[i].span.a) <= 0.3)
          r_.error(door_ptrs[i],
                   "a door of a macro area must be wider than 0.3 m (the SFPE "
                   "boundary layers, 0.15 m each side, leave it no effective width)");
    }
    if (!geometry_ok || a.outline.empty()) return;
    peds::WalkableArea wa{a.id, a.outline, a.holes, {}};
    for (const AreaDoor& d : a.doors) wa.doors.push_back({d.id, d.span, true});
    for (const std::string& m : peds::validate(wa)) r_.error(ptr, m);
    a.area_m2 = peds::area_m2(wa.polygon());
  }

  /// Resolves where each door leads ("to", "to_door", "edge"), once every area is read.
  void area_connections(const Json& areas) {
    for (std::size_t ai = 0; ai < areas.size() && ai < s_.site.areas.size(); ++ai) {
      const Json& aj = areas[ai];
      if (!aj.is_object() || !aj.contains("doors") || !aj.at("doors").is_array()) continue;
      Area& a = s_.site.areas[ai];
      const Json& ds = aj.at("doors");
      for (std::size_t di = 0; di < ds.size() && di < a.doors.size(); ++di) {
        if (!ds[di].is_object()) continue;
        const std::string dptr = child(child(child("/site/areas", ai), "doors"), di);
        const Json& dj = ds[di];
        AreaDoor& door = a.doors[di];
        if (dj.contains("to")) {
          const std::string tptr = child(dptr, "to");
          if (dj.at("to").is_string() && dj.at("to").get<std::string>() == "outside")
            door.to_area = kNone;
          else
            door.to_area = resolve(r_, areas_, dj.at("to"), tptr, "area (or \"outside\")");
          if (door.to_area == static_cast<Index>(ai))
            r_.error(tptr, "the door leads back into its own area " + quote(a.id));
        }
        if (dj.contains("to_door")) {
          const std::string tptr = child(dptr, "to_door");
          if (door.to_area == kNone) {
            r_.error(tptr, "\"to_door\" needs \"to\" naming an area");
            continue;
          }
          const Area& other = s_.site.areas[static_cast<std::size_t>(door.to_area)];
          IdTable t;
          t.available = true;
          for (std::size_t k = 0; k < other.doors.size(); ++k) {
            t.index.emplace(other.doors[k].id, static_cast<Index>(k));
            t.ids.push_back(other.doors[k].id);
          }
          door.to_door = resolve(r_, t, dj.at("to_door"), tptr, "door of area " + quote(other.id));
        }
        const bool apart = door.edge != kNone || door.to_door != kNone;
        if (door.to_area != kNone && apart && (door.edge == kNone || door.to_door == kNone)) {
          r_.error(dptr,
                   "a door to an area that is apart needs both \"edge\" (walked between "
                   "them) and \"to_door\" (where people come in)");
          continue;
        }
        if (door.to_area == kNone || !apart) {
          if (door.to_area != kNone) {
            // The areas touch: the door must lie on the other area's boundary too.
            const Area& other = s_.site.areas[static_cast<std::size_t>(door.to_area)];
            if (!on_boundary(other, door.span))
              r_.error(dptr, "door " + quote(door.id) + " leads into area " + quote(other.id) +
                                 " but does not lie on its boundary (areas that are apart are "
                                 "joined with \"edge\" and \"to_door\")");
          }
          continue;
        }
        const Edge* e = door.edge >= 0 && static_cast<std::size_t>(door.edge) < s_.site.edges.size()
                            ? &s_.site.edges[static_cast<std::size_t>(door.edge)]
                            : nullptr;
        const Area& other = s_.site.areas[static_cast<std::size_t>(door.to_area)];
        if (e && a.node != kNone && other.node != kNone &&
            !((e->from == a.node && e->to == other.node) ||
              (e->to == a.node && e->from == other.node)))
          r_.error(child(dptr, "edge"), "edge " + quote(e->id) +
                                            " does not join the nodes of areas " + quote(a.id) +
                                            " and " + quote(other.id) + " (" + quote(s_id(a.node)) +
                                            ", " + quote(s_id(other.node)) + ")");
      }
    }
    // A connection between areas that are apart may be written from both sides; then
    // both sides must name each other.
    for (std::size_t ai = 0; ai < s_.site.areas.size(); ++ai)
      for (std::size_t di = 0; di < s_.site.areas[ai].doors.size(); ++di) {
        const AreaDoor& d = s_.site.areas[ai].doors[di];
        if (d.to_area == kNone || d.to_door == kNone) continue;
        const AreaDoor& back = s_.site.areas[static_cast<std::size_t>(d.to_area)]
                                   .doors[static_cast<std::size_t>(d.to_door)];
        if (back.to_area != kNone &&
            (back.to_area != static_cast<Index>(ai) || back.to_door != static_cast<Index>(di)))
          r_.error(child(child(child("/site/areas", ai), "doors"), di),
                   "door " + quote(d.id) + " leads to door " + quote(back.id) +
                       ", which leads elsewhere (a connection written from both sides must "
                       "name each other)");
      }
    door_checks(areas);
    // Which areas have a way outside through doors (any state): a group elsewhere can
    // never get out.
    const auto& A = s_.site.areas;
    reaches_outside_.assign(A.size(), 0);
    for (bool grew = true; grew;) {
      grew = false;
      for (std::size_t ai = 0; ai < A.size(); ++ai)
        for (const AreaDoor& d : A[ai].doors) {
          const bool out_a =
              d.to_area == kNone || reaches_outside_[static_cast<std::size_t>(d.to_area)];
          const bool is_target = std::any_of(A.begin(), A.end(), [&](const Area& b) {
            return std::any_of(b.doors.begin(), b.doors.end(), [&](const AreaDoor& x) {
              return x.to_area == static_cast<Index>(ai) && x.to_door != kNone &&
                     &A[static_cast<std::size_t>(x.to_area)]
                             .doors[static_cast<std::size_t>(x.to_door)] == &d;
            });
          });
          if (!reaches_outside_[ai] && out_a && !(d.to_area == kNone && is_target)) {
            reaches_outside_[ai] = 1;
            grew = true;
          }
          // The other side of a connection reaches outside through this area.
          if (d.to_area != kNone && reaches_outside_[ai] &&
              !reaches_outside_[static_cast<std::size_t>(d.to_area)]) {
            reaches_outside_[static_cast<std::size_t>(d.to_area)] = 1;
            grew = true;
          }
        }
    }
  }

  std::vector<char> reaches_outside_;  ///< per area, after area_connections
  IdTable measure_areas_;              ///< ids of site.measurements.areas

  /// Checks across doors once every connection is resolved.
  void door_checks(const Json& areas) {
    const auto& A = s_.site.areas;
    auto dptr = [](std::size_t ai, std::size_t di) {
      return child(child(child("/site/areas", ai), "doors"), di);
    };
    auto width = [](const AreaDoor& d) { return peds::norm(d.span.b - d.span.a); };
    auto overlap = [](const peds::Segment& x, const peds::Segment& y) {
      return peds::lies_on(x, y, peds::kDoorTolerance_m) ||
             peds::lies_on(y, x, peds::kDoorTolerance_m);
    };
    for (std::size_t ai = 0; ai < A.size(); ++ai)
      for (std::size_t di = 0; di < A[ai].doors.size(); ++di) {
        const AreaDoor& d = A[ai].doors[di];
        const Json& dj = areas[ai].at("doors")[di];
        // A to_door target that also says where it leads must lead back.
        for (std::size_t bi = 0; bi < A.size(); ++bi)
          for (const AreaDoor& b : A[bi].doors)
            if (b.to_area == static_cast<Index>(ai) && b.to_door == static_cast<Index>(di) &&
                dj.contains("to") && d.to_area == kNone)
              r_.error(child(dptr(ai, di), "to"),
                       "door " + quote(d.id) + " is where door " + quote(b.id) + " of area " +
                           quote(A[bi].id) + " comes in, so it cannot lead outside as well");
        // A door between touching areas is listed once.
        if (d.to_area != kNone && d.edge == kNone && d.to_door == kNone &&
            d.to_area > static_cast<Index>(ai))
          for (std::size_t dk = 0; dk < A[static_cast<std::size_t>(d.to_area)].doors.size(); ++dk) {
            const AreaDoor& b = A[static_cast<std::size_t>(d.to_area)].doors[dk];
            if (b.to_area == static_cast<Index>(ai) && b.edge == kNone && overlap(b.span, d.span))
              r_.error(dptr(static_cast<std::size_t>(d.to_area), dk),
                       "door " + quote(b.id) + " is door " + quote(d.id) + " of area " +
                           quote(A[ai].id) +
                           " again: list a door between touching areas in one "
                           "of them only");
          }
        // A door of a connection into or out of a macro area needs effective width.
        const bool macro_side =
            A[ai].fidelity == Fidelity::macro ||
            (d.to_area != kNone &&
             A[static_cast<std::size_t>(d.to_area)].fidelity == Fidelity::macro);
        if (macro_side && A[ai].fidelity != Fidelity::macro && width(d) <= 0.3)
          r_.error(dptr(ai, di),
                   "door " + quote(d.id) +
                       " leads into a macro area and must be "
                       "wider than 0.3 m (the SFPE boundary layers, 0.15 m each side, "
                       "leave it no effective width)");
        // A door left to lead outside (the default) on another area's boundary.
        if (d.to_area == kNone && !dj.contains("to"))
          for (std::size_t bi = 0; bi < A.size(); ++bi)
            if (bi != ai && !A[bi].outline.empty() && on_boundary(A[bi], d.span)) {
              r_.warning(dptr(ai, di), "door " + quote(d.id) + " lies on the boundary of area " +
                                           quote(A[bi].id) +
                                           " but leads outside (the default); "
                                           "give \"to\" if it leads into that area");
              break;
            }
      }
  }

  static bool on_boundary(const Area& a, const peds::Segment& span) {
    auto on_ring = [&](const std::vector<peds::Vec2>& r) {
      for (std::size_t i = 0; i < r.size(); ++i)
        if (peds::lies_on(span, {r[i], r[(i + 1) % r.size()]}, peds::kDoorTolerance_m)) return true;
      return false;
    };
    if (on_ring(a.outline)) return true;
    return std::any_of(a.holes.begin(), a.holes.end(), on_ring);
  }

  void measures(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr, {"areas", "lines"}, {});
    if (!o.ok()) return;
    // Ids share one namespace with the KPIs they make, so they must be unique together.
    const Json* as = array(o, "areas");
    const Json* ls = array(o, "lines");
    measure_areas_ = collect_ids(r_, as, o.ptr("areas"));
    IdTable line_ids = collect_ids(r_, ls, o.ptr("lines"));
    (void)line_ids;
    auto in_area = [&](Index a, peds::Vec2 p) {
      const Area& area = s_.site.areas[static_cast<std::size_t>(a)];
      if (area.outline.empty() || peds::contains(peds::Polygon{area.outline, area.holes}, p))
        return true;
      // On the boundary counts as inside (even-odd may put it either side).
      for (std::size_t k = 0; k < area.outline.size(); ++k) {
        const peds::Segment e{area.outline[k], area.outline[(k + 1) % area.outline.size()]};
        if (peds::norm(p - peds::closest_point(e, p)) < 1e-6) return true;
      }
      return false;
    };
    if (as)
      for (std::size_t i = 0; i < as->size(); ++i) {
        Obj e(r_, (*as)[i], child(o.ptr("areas"), i), {"id", "area", "polygon"},
              {"id", "area", "polygon"});
        MeasureArea m;
        m.id = id_of(e);
        m.area = ref(e, "area", areas_, "area");
        if (const Json* v = e.find("polygon"))
          if (auto r = ring(*v, e.ptr("polygon"))) {
            m.polygon = *r;
            m.area_m2 = peds::area_m2(peds::Polygon{*r, {}});
            if (m.area_m2 <= 0) r_.error(e.ptr("polygon"), "the polygon has no area");
            for (std::size_t k = 0; k < r->size() && m.area != kNone; ++k)
              if (!in_area(m.area, (*r)[k])) {
                r_.warning(child(e.ptr("polygon"), k),
                           "lies outside area " +
                               quote(s_.site.areas[static_cast<std::size_t>(m.area)].id) +
                               " (only people in that area are measured)");
                break;
              }
          }
        s_.site.measure_areas.push_back(m);
      }
    if (ls)
      for (std::size_t i = 0; i < ls->size(); ++i) {
        Obj e(r_, (*ls)[i], child(o.ptr("lines"), i), {"id", "area", "a", "b", "pressure"},
              {"id", "area", "a", "b"});
        MeasureLine m;
        m.id = id_of(e);
        m.area = ref(e, "area", areas_, "area");
        auto pa = e.has("a") ? point(*e.find("a"), e.ptr("a")) : std::nullopt;
        auto pb = e.has("b") ? point(*e.find("b"), e.ptr("b")) : std::nullopt;
        if (pa && pb) {
          m.line = {*pa, *pb};
          if (peds::norm(*pb - *pa) <= 0) r_.error(e.ptr("b"), "the line has no length");
        }
        if (auto v = e.boolean("pressure")) m.pressure = *v;
        if (m.area != kNone &&
            s_.site.areas[static_cast<std::size_t>(m.area)].fidelity == Fidelity::macro)
          r_.error(e.ptr("area"), "area " +
                                      quote(s_.site.areas[static_cast<std::size_t>(m.area)].id) +
                                      " is a macro area: people there have no positions to "
                                      "cross a line (use a micro area)");
        s_.site.measure_lines.push_back(m);
      }
  }

  void pedestrians(const Json& j, const std::string& ptr, Incident& q) {
    Obj o(r_, j, ptr,
          {"groups", "door_events", "model", "micro_dt_s", "macro_dt_s", "macro_door_flow_psm",
           "cell_m"},
          {"groups"});
    if (auto v = o.number("macro_door_flow_psm", {0.0, false, 10.0, false}))
      q.peds.macro_door_flow_psm = *v;
    if (auto v = o.one_of("model", "walking model", {"cfsm", "social_force"}))
      q.peds.model = *v == 0 ? peds::ModelKind::cfsm : peds::ModelKind::social_force;
    if (auto v = o.number("micro_dt_s", {0.0, true, 0.2, false})) q.peds.micro_dt_s = *v;
    if (auto v = o.number("macro_dt_s", {0.0, true, 10.0, false})) q.peds.macro_dt_s = *v;
    if (auto v = o.number("cell_m", {0.05, false, 1.0, false})) q.peds.cell_m = *v;
    if (const Json* gs = array(o, "groups")) {
      if (gs->empty()) r_.error(o.ptr("groups"), "must list at least one group");
      IdTable ids = collect_ids(r_, gs, o.ptr("groups"));
      (void)ids;
      for (std::size_t i = 0; i < gs->size(); ++i) {
        Obj g(
            r_, (*gs)[i], child(o.ptr("groups"), i),
            {"id", "area", "count", "pre_movement_s", "pre_movement_from", "speed_mps", "radius_m"},
            {"id", "area", "count"});
        PedGroup group;
        group.id = id_of(g);
        group.area = ref(g, "area", areas_, "area");
        if (auto v = g.integer("count", 1, kMaxGroupSize)) group.count = static_cast<int>(*v);
        if (auto d = dist(g, "pre_movement_s", Quantity::delay)) group.pre_movement_s = *d;
        if (auto d = dist(g, "speed_mps", Quantity::speed)) group.speed_mps = *d;
        if (auto v = g.number("radius_m", {0.1, false, 0.4, false})) group.radius_m = *v;
        if (auto v = g.one_of("pre_movement_from", "start of pre-movement", {"alarm", "start"}))
          group.after_alarm = *v == 0;
        if (group.area != kNone && static_cast<std::size_t>(group.area) < reaches_outside_.size() &&
            !reaches_outside_[static_cast<std::size_t>(group.area)])
          r_.warning(g.ptr("area"),
                     "area " + quote(s_.site.areas[static_cast<std::size_t>(group.area)].id) +
                         " has no way outside through doors: this group can never "
                         "get out (no door \"to\": \"outside\" is reachable)");
        if (group.area != kNone) {
          const Area& a = s_.site.areas[static_cast<std::size_t>(group.area)];
          if (a.area_m2 > 0 && group.count > 0) {
            // Weidmann's jam density (5.4 /m²) is the most that can stand in an area.
            const double density = group.count / a.area_m2;
            if (density > 5.4)
              r_.error(g.ptr("count"), std::to_string(group.count) + " people in area " +
                                           quote(a.id) + " (" + show_number(a.area_m2) +
                                           " m²) is " + show_number(density) +
                                           " /m², above the jam density 5.4 /m² (Weidmann 1993)");
          }
        }
        q.ped_groups.push_back(group);
      }
    }
    if (const Json* ev = array(o, "door_events"))
      for (std::size_t i = 0; i < ev->size(); ++i) {
        Obj e(r_, (*ev)[i], child(o.ptr("door_events"), i), {"at_s", "door", "state"},
              {"at_s", "door", "state"});
        DoorEvent event;
        if (auto at = e.number("at_s", {0.0, false, kMaxDurationS, false})) {
          event.at = seconds_to_ms(*at);
          if (*at > horizon_s_)
            r_.warning(e.ptr("at_s"), "comes after the run's horizon (" + show_number(horizon_s_) +
                                          " s), so it never happens");
        }
        if (const Json* d = e.find("door")) {
          IdTable t;
          t.available = true;
          for (const auto& [id, where] : doors_) {
            t.index.emplace(id, static_cast<Index>(t.ids.size()));
            t.ids.push_back(id);
          }
          const Index k = resolve(r_, t, *d, e.ptr("door"), "door");
          if (k != kNone) {
            const auto& where = doors_.at(t.ids[static_cast<std::size_t>(k)]);
            event.area = where.first;
            event.door = where.second;
          }
        }
        if (auto st = e.one_of("state", "door state", {"closed", "open"})) event.closed = *st == 0;
        q.door_events.push_back(event);
      }
  }

  std::string s_id(Index node) const {
    return node >= 0 && static_cast<std::size_t>(node) < s_.site.nodes.size()
               ? s_.site.nodes[static_cast<std::size_t>(node)].id
               : std::string();
  }

  void unit(const Json& j, const std::string& ptr, Unit& u) {
    Obj o(r_, j, ptr,
          {"id", "kind", "name", "name_en", "home", "members", "mode", "skills", "equipment",
           "speed_mps", "turnout_s", "callout", "shifts", "reinforcement"},
          {"id", "kind", "name", "home", "members"});
    u.id = id_of(o);
    if (auto v = o.str("kind")) u.kind = *v;
    if (auto v = o.str("name")) u.name = *v;
    if (auto v = o.str("name_en")) u.name_en = *v;
    u.home = ref(o, "home", p_.nodes, "node");
    const auto members = o.integer("members", 1);
    if (members) u.members = static_cast<int>(*members);
    if (auto v = o.one_of("mode", "mode", kModes)) u.mode = static_cast<TravelMode>(*v);
    if (const Json* v = o.find("skills"))
      if (auto list = r_.strings(*v, o.ptr("skills"))) u.skills = *list;
    if (const Json* v = o.find("equipment"))
      if (auto list = r_.strings(*v, o.ptr("equipment"))) u.equipment = *list;
    if (o.has("speed_mps")) u.speed_mps = dist(o, "speed_mps", Quantity::speed);
    if (auto d = dist(o, "turnout_s", Quantity::delay)) u.turnout_s = *d;
    if (auto v = o.boolean("reinforcement")) u.reinforcement = *v;
    if (const Json* v = o.find("callout")) {
      Obj c(r_, *v, o.ptr("callout"), {"delay_s", "from"}, {"delay_s"});
      u.callout_s = dist(c, "delay_s", Quantity::delay);
      u.callout_from = c.has("from") ? ref(c, "from", p_.nodes, "node") : u.home;
    }
    const Json* shifts = array(o, "shifts");
    if (!shifts) return;
    u.shifts.resize(shifts->size());
    for (std::size_t i = 0; i < shifts->size(); ++i)
      shift((*shifts)[i], child(o.ptr("shifts"), i), u.shifts[i], members);
  }

  void shift(const Json& j, const std::string& ptr, Shift& sh,
             std::optional<std::int64_t> members) {
    Obj o(r_, j, ptr, {"name", "days", "from", "to", "headcount", "post", "on_call"},
          {"days", "from", "to", "headcount"});
    if (auto v = o.str("name")) sh.name = *v;
    sh.days = days(o, "days");
    if (const Json* v = o.find("from"))
      if (auto t = read_clock_time(r_, *v, o.ptr("from"), false)) sh.from_min = *t;
    if (const Json* v = o.find("to"))
      if (auto t = read_clock_time(r_, *v, o.ptr("to"), true)) sh.to_min = *t;
    if (auto v = o.integer("headcount", 1)) {
      sh.headcount = static_cast<int>(*v);
      if (members && *v > *members)
        r_.error(o.ptr("headcount"), "must be at most the unit's members (" +
                                         std::to_string(*members) + ") (got " + std::to_string(*v) +
                                         ")");
    }
    if (o.has("post")) sh.post = ref(o, "post", p_.nodes, "node");
    if (auto v = o.boolean("on_call")) sh.on_call = *v;
  }

  void post(const Json& j, const std::string& ptr, Post& q) {
    Obj o(r_, j, ptr, {"node", "min_headcount", "manned"}, {"node"});
    q.node = ref(o, "node", p_.nodes, "node");
    if (q.node != kNone) {
      auto [it, fresh] = post_nodes_.emplace(q.node, o.ptr("node"));
      if (!fresh)
        r_.error(o.ptr("node"), "duplicate post for node " + quote(s_id(q.node)) + " (first at " +
                                    it->second + ")");
    }
    if (auto v = o.integer("min_headcount", 1)) q.min_headcount = static_cast<int>(*v);
    if (auto v = o.one_of("manned", "manning", {"24/24", "scheduled"}))
      q.around_the_clock = *v == 0;
  }
  std::map<Index, std::string> post_nodes_;

  void role(const Json& j, const std::string& ptr, Role& q) {
    Obj o(r_, j, ptr,
          {"id", "name", "name_en", "unit", "fallback_units", "reaction_s", "answer_s",
           "on_call_answer_s"},
          {"id", "name", "unit"});
    q.id = id_of(o);
    if (auto v = o.str("name")) q.name = *v;
    if (auto v = o.str("name_en")) q.name_en = *v;
    q.unit = ref(o, "unit", p_.units, "unit");
    if (const Json* f = array(o, "fallback_units")) {
      std::set<Index> holders{q.unit};
      for (std::size_t i = 0; i < f->size(); ++i) {
        const std::string uptr = child(o.ptr("fallback_units"), i);
        const Index u = resolve(r_, p_.units, (*f)[i], uptr, "unit");
        if (u == kNone) continue;
        if (!holders.insert(u).second)
          r_.error(uptr, "unit " + quote(s_.units[static_cast<std::size_t>(u)].id) +
                             " already holds this role");
        else
          q.fallback_units.push_back(u);
      }
    }
    if (auto d = dist(o, "reaction_s", Quantity::delay)) q.reaction_s = *d;
    if (auto d = dist(o, "answer_s", Quantity::delay)) q.answer_s = *d;
    if (o.has("on_call_answer_s"))
      q.on_call_answer_s = dist(o, "on_call_answer_s", Quantity::delay);
  }

  void link(const Json& j, const std::string& ptr, std::size_t origin) {
    Obj o(r_, j, ptr,
          {"id", "from", "to", "channel", "delay_s", "failure_probability", "retry_s",
           "max_attempts", "bidirectional", "ack_s"},
          {"id", "from", "to", "channel", "delay_s"});
    CommsLink l;
    bool ok = o.ok();
    if (const Json* v = o.find("id")) {
      if (auto id = r_.string(*v, o.ptr("id")); id && valid_id(*id)) {
        l.id = *id;
        auto [it, fresh] = link_ids_.emplace(*id, o.ptr("id"));
        if (!fresh)
          r_.error(o.ptr("id"), "duplicate id " + quote(*id) + " (first at " + it->second + ")");
      } else if (id) {
        r_.error(o.ptr("id"), "invalid id " + quote(*id) +
                                  " (use only letters A-Z a-z, digits and \"_\", \".\", \"-\")");
      }
    }
    l.from_role = ref(o, "from", p_.roles, "role");
    l.to_role = ref(o, "to", p_.roles, "role");
    if (l.from_role != kNone && l.from_role == l.to_role) {
      r_.error(o.ptr("to"), "the link connects role " + quote(role_id(l.to_role)) +
                                " to itself (\"from\" and \"to\" must differ)");
    }
    if (auto v = o.one_of("channel", "channel", kChannels)) l.channel = static_cast<Channel>(*v);
    if (auto d = dist(o, "delay_s", Quantity::delay)) l.delay_s = *d;
    if (auto v = o.number("failure_probability", {0.0, false, 1.0, true}))
      l.failure_probability = *v;
    if (auto d = dist(o, "retry_s", Quantity::delay)) l.retry_s = *d;
    if (auto v = o.integer("max_attempts", 1)) l.max_attempts = static_cast<int>(*v);
    if (o.has("ack_s")) l.ack_s = dist(o, "ack_s", Quantity::delay);
    const bool both = o.boolean("bidirectional").value_or(false);
    if (!ok) return;
    s_.links.push_back(l);
    p_.meta.link_origin.push_back(static_cast<int>(origin));
    if (both) {  // the reverse direction: same channel and timing, id suffixed "~rev"
      CommsLink rev = l;
      rev.id = l.id + "~rev";
      std::swap(rev.from_role, rev.to_role);
      s_.links.push_back(rev);
      p_.meta.link_origin.push_back(static_cast<int>(origin));
    }
  }
  std::map<std::string, std::string> link_ids_;

  std::string role_id(Index i) const {
    return i >= 0 && static_cast<std::size_t>(i) < s_.roles.size()
               ? s_.roles[static_cast<std::size_t>(i)].id
               : std::string();
  }

  /// Units that can hold a role: its unit, then its fallback units.
  std::vector<Index> holders(Index role) const {
    std::vector<Index> out;
    if (role == kNone) return out;
    const Role& q = s_.roles[static_cast<std::size_t>(role)];
    if (q.unit != kNone) out.push_back(q.unit);
    out.insert(out.end(), q.fallback_units.begin(), q.fallback_units.end());
    return out;
  }

  /// `"incident"` (kNone) or a node id, for dispatch destinations and task places.
  Index node_or_incident(Obj& o, const char* key) {
    const Json* v = o.find(key);
    if (!v) return kNone;
    auto s = r_.string(*v, o.ptr(key));
    if (!s || *s == "incident") return kNone;
    const Index n = p_.nodes.find(*s);
    if (n == kNone && p_.nodes.available && !p_.nodes.refused.count(*s)) {
      std::vector<std::string> candidates = p_.nodes.ids;
      candidates.insert(candidates.begin(), "incident");
      const std::string guess = did_you_mean(*s, candidates);
      r_.error(o.ptr(key), "unknown node " + quote(*s) +
                               (guess.empty() ? "" : " (did you mean " + quote(guess) + "?)"));
    }
    return n;
  }

  void protocol(const Json& j, const std::string& ptr, Protocol& q) {
    Obj o(r_, j, ptr, {"id", "incident_type", "rules", "tasks", "command", "handover_s"},
          {"id", "incident_type", "rules"});
    q.id = id_of(o);
    if (auto v = o.one_of("incident_type", "incident type", kIncidentTypes))
      q.incident_type = kIncidentTypes[static_cast<std::size_t>(*v)];
    auto& rule_ptrs = p_.meta.rule_ptr.emplace_back();
    auto& action_ptrs = p_.meta.action_ptr.emplace_back();
    auto& task_ptrs = p_.meta.task_ptr.emplace_back();

    const Json* tasks = array(o, "tasks");
    const IdTable task_ids = collect_ids(r_, tasks, o.ptr("tasks"));
    if (tasks) {
      q.tasks.resize(tasks->size());
      for (std::size_t t = 0; t < tasks->size(); ++t) {
        task_ptrs.push_back(child(o.ptr("tasks"), t));
        task((*tasks)[t], task_ptrs.back(), q.tasks[t]);
      }
    }
    if (const Json* c = array(o, "command")) {
      std::map<Index, std::string> seen;
      for (std::size_t i = 0; i < c->size(); ++i) {
        const std::string cptr = child(o.ptr("command"), i);
        const Index role = resolve(r_, p_.roles, (*c)[i], cptr, "role");
        if (role == kNone) continue;
        if (auto [it, fresh] = seen.emplace(role, cptr); !fresh)
          r_.error(cptr, "role " + quote(role_id(role)) + " is already in the command chain (at " +
                             it->second + ")");
        else
          q.command.push_back(role);
      }
    }
    if (auto d = dist(o, "handover_s", Quantity::delay)) q.handover_s = *d;

    const Json* rules = array(o, "rules");
    if (!rules) return;
    q.rules.resize(rules->size());
    rule_ptrs.resize(rules->size());
    action_ptrs.resize(rules->size());
    std::map<Index, std::string> seen;
    std::set<Index> started;  // tasks with a task action in their owner's rule
    task_ref_failed_ = false;
    for (std::size_t i = 0; i < rules->size(); ++i) {
      Rule& rule = q.rules[i];
      Obj ro(r_, (*rules)[i], child(o.ptr("rules"), i), {"role", "actions"}, {"role", "actions"});
      rule.role = ref(ro, "role", p_.roles, "role");
      if (ro.has("role")) rule_ptrs[i] = ro.ptr("role");
      if (rule.role != kNone) {
        auto [it, fresh] = seen.emplace(rule.role, ro.ptr("role"));
        if (!fresh)
          r_.error(ro.ptr("role"), "role " + quote(role_id(rule.role)) +
                                       " already has a rule in this protocol (at " + it->second +
                                       ")");
      }
      const Json* actions = array(ro, "actions");
      if (!actions) continue;
      for (std::size_t a = 0; a < actions->size(); ++a) {
        const std::string aptr = child(ro.ptr("actions"), a);
        if (auto act = action((*actions)[a], aptr, rule.role, q, task_ids)) {
          rule.actions.push_back(*act);
          action_ptrs[i].push_back(aptr);
          if (act->kind == ActionKind::task) started.insert(act->task);
        }
      }
    }
    // After a misspelt task action, "never started" would only repeat that error.
    for (std::size_t t = 0; t < q.tasks.size() && !task_ref_failed_; ++t) {
      const TaskDef& td = q.tasks[t];
      if (td.owner == kNone || td.id.empty() || started.count(static_cast<Index>(t))) continue;
      r_.error(task_ptrs[t], "task " + quote(td.id) +
                                 " is never started (no {\"task\": " + quote(td.id) +
                                 "} action in the rule of role " + quote(role_id(td.owner)) + ")");
    }
  }

  bool task_ref_failed_ = false;

  void task(const Json& j, const std::string& ptr, TaskDef& t) {
    Obj o(r_, j, ptr, {"id", "name", "name_en", "owner", "at", "skills", "members", "duration_s"},
          {"id", "name", "owner"});
    t.id = id_of(o);
    if (auto v = o.str("name")) t.name = *v;
    if (auto v = o.str("name_en")) t.name_en = *v;
    t.owner = ref(o, "owner", p_.roles, "role");
    t.node = node_or_incident(o, "at");
    if (const Json* v = o.find("skills"))
      if (auto list = r_.strings(*v, o.ptr("skills"))) {
        t.skills = *list;
        const auto units = holders(t.owner);
        for (std::size_t k = 0; k < list->size() && t.owner != kNone; ++k) {
          const std::string& skill = (*list)[k];
          const bool someone = std::any_of(units.begin(), units.end(), [&](Index u) {
            const auto& sk = s_.units[static_cast<std::size_t>(u)].skills;
            return std::find(sk.begin(), sk.end(), skill) != sk.end();
          });
          if (someone || units.empty()) continue;
          std::string names;
          for (Index u : units)
            names += (names.empty() ? "" : ", ") + quote(s_.units[static_cast<std::size_t>(u)].id);
          r_.error(child(o.ptr("skills"), k), "no unit holding role " + quote(role_id(t.owner)) +
                                                  " has skill " + quote(skill) +
                                                  " (holders: " + names + ")");
        }
      }
    if (auto v = o.integer("members", 1)) t.members = static_cast<int>(*v);
    if (auto d = dist(o, "duration_s", Quantity::delay)) t.duration_s = *d;
  }

  std::optional<Action> action(const Json& j, const std::string& ptr, Index rule_role,
                               const Protocol& q, const IdTable& task_ids) {
    Obj o(r_, j, ptr, {"notify", "dispatch", "task"}, {});
    if (!o.ok()) return std::nullopt;
    const int kinds = int(o.has("notify")) + int(o.has("dispatch")) + int(o.has("task"));
    if (kinds > 1) {
      r_.error(ptr, "an action has only one of \"notify\", \"dispatch\" or \"task\"");
      return std::nullopt;
    }
    if (kinds == 0) {
      r_.error(ptr, "missing required key \"notify\", \"dispatch\" or \"task\"");
      return std::nullopt;
    }
    Action a;
    const std::size_t before = r_.error_count();
    if (o.has("notify")) {
      a.kind = ActionKind::notify;
      a.role = ref(o, "notify", p_.roles, "role");
    } else if (o.has("task")) {
      a.kind = ActionKind::task;
      a.task = ref(o, "task", task_ids, "task");
      if (a.task == kNone) task_ref_failed_ = true;
      if (a.task != kNone && rule_role != kNone) {
        const TaskDef& td = q.tasks[static_cast<std::size_t>(a.task)];
        if (td.owner != kNone && td.owner != rule_role)
          r_.error(o.ptr("task"), "task " + quote(td.id) + " is owned by role " +
                                      quote(role_id(td.owner)) + ", not by " +
                                      quote(role_id(rule_role)));
      }
    } else {
      a.kind = ActionKind::dispatch;
      Obj d(r_, *o.find("dispatch"), o.ptr("dispatch"), {"to", "members"}, {});
      a.to_node = node_or_incident(d, "to");
      if (auto v = d.integer("members", 1)) a.members = static_cast<int>(*v);
    }
    if (r_.error_count() != before || (a.kind == ActionKind::notify && a.role == kNone) ||
        (a.kind == ActionKind::task && a.task == kNone))
      return std::nullopt;
    return a;
  }

  void incident(const Json& j, const std::string& ptr, Incident& q) {
    // A fire is detected by its fire model (detectors, patrol, occupants), not "detection".
    const bool fire_type = j.is_object() && j.contains("type") && j.at("type") == kFireType;
    std::vector<std::string> required{"id",    "type",      "name",    "node",
                                      "start", "detection", "protocol"};
    if (fire_type) required.erase(std::find(required.begin(), required.end(), "detection"));
    Obj o(r_, j, ptr,
          {"id", "type", "name", "name_en", "node", "start", "detection", "protocol", "edge_events",
           "pedestrians", "commitments", "crowd", "fire", "flood", "horizon_s", "primary_kpi"},
          required);
    q.id = id_of(o);
    if (auto v = o.one_of("type", "incident type", kIncidentTypes))
      q.type = kIncidentTypes[static_cast<std::size_t>(*v)];
    if (auto v = o.str("name")) q.name = *v;
    if (auto v = o.str("name_en")) q.name_en = *v;
    q.node = ref(o, "node", p_.nodes, "node");
    if (const Json* v = o.find("start")) start(*v, o.ptr("start"), q.clock);
    if (const Json* v = o.find("detection"); v && fire_type) {
      r_.error(o.ptr("detection"),
               "a \"fire\" incident is detected by its fire model: its \"detectors\", "
               "\"patrol\" and \"occupants\" (in \"fire\"); remove \"detection\"");
    } else if (v) {
      Obj d(r_, *v, o.ptr("detection"), {"role", "delay_s"}, {"role"});
      q.detected_by = ref(d, "role", p_.roles, "role");
      if (auto x = dist(d, "delay_s", Quantity::delay)) q.detect_s = *x;
    }
    q.protocol = ref(o, "protocol", p_.protocols, "protocol");
    if (auto v = o.number("horizon_s", {1.0, false, kMaxDurationS, false}))
      q.horizon = seconds_to_ms(*v);
    const double horizon_s = q.horizon != kNever ? ms_to_seconds(q.horizon) : horizon_s_;
    if (const Json* ev = array(o, "edge_events")) {
      for (std::size_t i = 0; i < ev->size(); ++i) {
        Obj e(r_, (*ev)[i], child(o.ptr("edge_events"), i), {"at_s", "edge", "state"},
              {"at_s", "edge", "state"});
        EdgeEvent event;
        if (auto at = e.number("at_s", {0.0, false, kMaxDurationS, false})) {
          event.at = seconds_to_ms(*at);
          if (*at > horizon_s)
            r_.warning(e.ptr("at_s"), "comes after the incident's horizon (" +
                                          show_number(horizon_s) + " s), so it never happens");
        }
        event.edge = ref(e, "edge", p_.edges, "edge");
        if (auto st = e.one_of("state", "edge state", {"closed", "open"})) event.closed = *st == 0;
        q.edge_events.push_back(event);
      }
    }
    if (const Json* v = o.find("pedestrians")) pedestrians(*v, o.ptr("pedestrians"), q);
    if (const Json* cs = array(o, "commitments"))
      for (std::size_t i = 0; i < cs->size(); ++i)
        commitment((*cs)[i], child(o.ptr("commitments"), i), q);
    crowd_incident(o, q);
    fire_incident(o, q);
    flood_incident(o, q);
    if (o.has("primary_kpi")) {
      if (const Json* v = o.find("primary_kpi"); v->is_string() && v->get<std::string>().empty())
        q.primary_kpi.clear();
      else
        kpi(o, "primary_kpi", q.primary_kpi);
    }
  }

  void start(const Json& j, const std::string& ptr, IncidentClock& c) {
    Obj o(r_, j, ptr, {"date", "time", "weekday", "holiday"}, {"time"});
    if (!o.ok()) return;
    if (const Json* v = o.find("time"))
      if (auto t = read_clock_time(r_, *v, o.ptr("time"), false)) c.start_minute_of_day = *t;
    if (o.has("date") && o.has("weekday")) {
      r_.error(ptr, "give either \"date\" or \"weekday\", not both");
      return;
    }
    if (o.has("date")) {
      if (o.has("holiday"))
        r_.error(o.ptr("holiday"),
                 "\"holiday\" goes with \"weekday\"; with a \"date\" the calendar decides");
      auto d = read_date(r_, *o.find("date"), o.ptr("date"));
      if (!d) return;
      c.date = o.find("date")->get<std::string>();
      const std::int64_t day = days_from_civil(d->y, d->m, d->d);
      c.start_weekday = weekday_from_days(day);
      std::set<int> offsets;
      for (std::int64_t h : holidays_)
        if (h >= day && h - day <= kHolidayLookaheadDays) offsets.insert(static_cast<int>(h - day));
      c.holiday_days.assign(offsets.begin(), offsets.end());
    } else if (o.has("weekday")) {
      if (auto w = o.one_of("weekday", "weekday", kWeekdays)) c.start_weekday = *w;
      if (o.boolean("holiday").value_or(false)) c.holiday_days = {0};
    } else {
      r_.error(ptr, "missing required key \"date\" or \"weekday\"");
    }
  }

  // ------------------------------------------------------------ crowd complaints

  const Area& area_at(Index a) const { return s_.site.areas[static_cast<std::size_t>(a)]; }

  /// Members of a unit busy elsewhere for a while (escorting a delegation).
  void commitment(const Json& j, const std::string& ptr, Incident& q) {
    Obj o(r_, j, ptr, {"unit", "members", "from_s", "to_s"}, {"unit", "members", "from_s", "to_s"});
    if (!o.ok()) return;
    Commitment c;
    c.unit = ref(o, "unit", p_.units, "unit");
    if (auto v = o.integer("members", 1)) {
      c.members = static_cast<int>(*v);
      const Unit* u = c.unit != kNone ? &s_.units[static_cast<std::size_t>(c.unit)] : nullptr;
      if (u && u->members > 0 && *v > u->members)
        r_.error(o.ptr("members"), "must be at most the members of unit " + quote(u->id) + " (" +
                                       std::to_string(u->members) + ") (got " + std::to_string(*v) +
                                       ")");
    }
    const Range time{0.0, false, kMaxDurationS, false};
    const auto from = o.number("from_s", time);
    const auto to = o.number("to_s", time);
    if (from) c.from = seconds_to_ms(*from);
    if (to) c.to = seconds_to_ms(*to);
    if (from && to && !(*to > *from))
      r_.error(o.ptr("to_s"), "must be greater than from_s (" + show_number(*from) + ") (got " +
                                  show(*o.find("to_s")) + ")");
    // "note" is free text: the Obj has already reported a value that is not a string.
    if (const Json* v = o.find("note"); v && v->is_string()) c.note = v->get<std::string>();
    q.commitments.push_back(c);
  }

  /// The doors of one area as an id table, for references that must be a door of it.
  static IdTable door_table(const Area& a) {
    IdTable t;
    t.available = true;
    for (std::size_t k = 0; k < a.doors.size(); ++k)
      if (!a.doors[k].id.empty() && t.index.emplace(a.doors[k].id, static_cast<Index>(k)).second)
        t.ids.push_back(a.doors[k].id);
    return t;
  }

  /// A door of `area`; a door of another area is named as such.
  Index area_door(const Obj& o, const char* key, Index area) {
    const Json* v = o.find(key);
    if (!v || area == kNone) return kNone;
    const Area& a = area_at(area);
    if (v->is_string()) {
      const auto it = doors_.find(v->get<std::string>());
      if (it != doors_.end() && it->second.first != kNone && it->second.first != area) {
        r_.error(o.ptr(key), "door " + quote(it->first) + " is a door of area " +
                                 quote(area_at(it->second.first).id) + ", not of area " +
                                 quote(a.id));
        return kNone;
      }
    }
    return resolve(r_, door_table(a), *v, o.ptr(key), "door of area " + quote(a.id));
  }

  /// A measurement area that must lie in `area` (the gate area).
  Index measure_in(const Obj& o, const char* key, Index area) {
    const Index m = ref(o, key, measure_areas_, "measurement area");
    if (m == kNone || area == kNone) return m;
    const MeasureArea& ma = s_.site.measure_areas[static_cast<std::size_t>(m)];
    if (ma.area != kNone && ma.area != area)
      r_.error(o.ptr(key), "measurement area " + quote(ma.id) + " lies in area " +
                               quote(area_at(ma.area).id) + ", not in the gate area " +
                               quote(area_at(area).id));
    return m;
  }

  /// The tasks of a protocol as an id table (not available without the protocol).
  static IdTable task_table(const Protocol* pr) {
    IdTable t;
    if (!pr) return t;
    t.available = true;
    for (std::size_t k = 0; k < pr->tasks.size(); ++k)
      if (!pr->tasks[k].id.empty() &&
          t.index.emplace(pr->tasks[k].id, static_cast<Index>(k)).second)
        t.ids.push_back(pr->tasks[k].id);
    return t;
  }

  /// A head count: an integer, or a distribution whose every draw rounds to at least 1.
  std::optional<Distribution> head_count(const Obj& o, const char* key) {
    const Json* v = o.find(key);
    if (!v) return std::nullopt;
    if (v->is_number()) {
      auto n = r_.integer(*v, o.ptr(key), 1, kMaxGroupSize);
      return n ? std::optional(Distribution::constant_of(static_cast<double>(*n))) : std::nullopt;
    }
    auto d = read_distribution(r_, *v, o.ptr(key), Quantity::speed);
    if (!d) return std::nullopt;
    double lo = d->a, hi = d->a;  // constant
    switch (d->kind) {
      case DistKind::constant:
        break;
      case DistKind::uniform:
      case DistKind::triangular:
        hi = d->b;
        break;
      case DistKind::normal:
      case DistKind::lognormal:
        lo = d->lo > -1e300 ? d->lo : (d->kind == DistKind::normal ? -kInf : 0.0);
        hi = d->hi < 1e300 ? d->hi : kInf;
        break;
      case DistKind::exponential:
        lo = d->lo > -1e300 ? d->lo : 0.0;
        hi = kInf;
        break;
      case DistKind::empirical:
        lo = *std::min_element(d->values.begin(), d->values.end());
        hi = *std::max_element(d->values.begin(), d->values.end());
        break;
    }
    if (d->kind == DistKind::constant && (d->a != std::floor(d->a) || d->a > kMaxGroupSize)) {
      r_.error(o.ptr(key), "a constant head count must be an integer from 1 to " +
                               std::to_string(kMaxGroupSize) + " (got " + show_number(d->a) + ")");
      return std::nullopt;
    }
    if (!(lo >= 1)) {
      r_.error(o.ptr(key),
               "a head count must be at least 1 in every draw (this distribution "
               "goes down to " +
                   show_number(lo) + "; give \"min\" of at least 1)");
      return std::nullopt;
    }
    if (hi > kMaxGroupSize && hi < kInf) {
      r_.error(o.ptr(key), "a head count must be at most " + std::to_string(kMaxGroupSize) +
                               " in every draw (this distribution goes up to " + show_number(hi) +
                               ")");
      return std::nullopt;
    }
    return d;
  }

  /// `crowd` of an incident, and the rules that tie it to the incident's type.
  void crowd_incident(Obj& o, Incident& q) {
    const Json* v = o.find("crowd");
    const bool crowd_type = q.type == kCrowdType;
    if (v && !q.type.empty() && !crowd_type) {
      r_.error(o.ptr("crowd"),
               "\"crowd\" belongs to incidents of type \"crowd_complaint\" (this "
               "one is " +
                   quote(q.type) + ")");
      return;
    }
    if (!crowd_type) return;
    if (!v) {
      r_.error(o.ptr(),
               "an incident of type \"crowd_complaint\" needs \"crowd\" (its groups and "
               "the defended gate)");
      return;
    }
    // The gate's load needs contact forces: the incident walks with the social-force model.
    if (const Json* peds = o.find("pedestrians");
        peds && peds->is_object() && peds->contains("model") && peds->at("model") == "cfsm")
      r_.error(child(o.ptr("pedestrians"), "model"),
               "a \"crowd_complaint\" incident walks with the social-force model (the load on "
               "the gate needs contact forces): use \"social_force\" or leave \"model\" out");
    q.peds.model = peds::ModelKind::social_force;
    q.crowd.emplace();
    crowd(*v, o.ptr("crowd"), q);
  }

  void crowd(const Json& j, const std::string& ptr, Incident& q) {
    Obj o(r_, j, ptr, {"groups", "behaviour", "gate", "cordon", "dialogue", "street", "micro_dt_s"},
          {"groups", "gate"});
    if (!o.ok()) return;
    CrowdDef& c = *q.crowd;
    const Protocol* pr =
        q.protocol != kNone ? &s_.protocols[static_cast<std::size_t>(q.protocol)] : nullptr;
    const IdTable tasks = task_table(pr);
    if (const Json* v = o.find("gate")) gate(*v, o.ptr("gate"), c.gate, tasks, pr);
    if (const Json* v = o.find("behaviour")) behaviour(*v, o.ptr("behaviour"), c.behaviour);
    // Expected size of the crowd (each group's mean count), for the representatives.
    std::optional<std::int64_t> size = 0;
    if (const Json* gs = array(o, "groups")) {
      if (gs->empty()) {
        r_.error(o.ptr("groups"), "must list at least one group");
        size = std::nullopt;  // no crowd to limit the representatives of
      }
      (void)collect_ids(r_, gs, o.ptr("groups"));
      c.groups.resize(gs->size());
      for (std::size_t i = 0; i < gs->size(); ++i) {
        const auto n = crowd_group((*gs)[i], child(o.ptr("groups"), i), c.groups[i], c.gate);
        size = size && n ? std::optional(std::min(*size + *n, kMaxCrowd)) : std::nullopt;
      }
    } else {
      size = std::nullopt;
    }
    if (const Json* v = o.find("cordon")) {
      Obj co(r_, *v, o.ptr("cordon"), {"spacing_m", "crowd_per_defender"}, {});
      if (auto x = co.number("spacing_m", kPositive)) c.cordon_spacing_m = *x;
      if (auto x = co.integer("crowd_per_defender", 1))
        c.cordon_crowd_per_defender = static_cast<int>(*x);
    }
    if (const Json* v = o.find("dialogue")) dialogue(*v, o.ptr("dialogue"), c, tasks, pr, size);
    if (const Json* v = o.find("street")) {
      Obj so(r_, *v, o.ptr("street"), {"measure_area", "block_density_ppm2"}, {"measure_area"});
      c.street_measure_area = measure_in(so, "measure_area", c.gate.area);
      if (auto x = so.number("block_density_ppm2", kPositive)) c.block_density_ppm2 = *x;
    }
    if (auto x = o.number("micro_dt_s", {0.01, false, 0.1, false})) c.micro_dt_s = *x;
  }

  void gate(const Json& j, const std::string& ptr, CrowdGate& g, const IdTable& tasks,
            const Protocol* pr) {
    Obj o(r_, j, ptr,
          {"area", "door", "inside_area", "node", "closed_by_task", "capacity_npm",
           "defender_hold_n", "breach_after_s", "defender_units", "measure_area"},
          {"area", "door", "node"});
    if (!o.ok()) return;
    g.area = ref(o, "area", areas_, "area");
    if (g.area != kNone && area_at(g.area).fidelity != Fidelity::micro)
      r_.error(o.ptr("area"), "area " + quote(area_at(g.area).id) +
                                  " is a macro area: the gate area must be micro (the crowd at "
                                  "the gate is walked with the social-force model)");
    g.door = area_door(o, "door", g.area);
    Index to = kNone;  // where the gate leads, when it joins two touching areas
    if (g.door != kNone) {
      const AreaDoor& d = area_at(g.area).doors[static_cast<std::size_t>(g.door)];
      if (d.to_area == kNone)
        r_.error(o.ptr("door"), "gate " + quote(d.id) +
                                    " leads outside: the defended gate must lead into the "
                                    "compound, an area that touches area " +
                                    quote(area_at(g.area).id) + " (give the door \"to\")");
      else if (d.edge != kNone || d.to_door != kNone)
        r_.error(o.ptr("door"), "gate " + quote(d.id) + " leads to area " +
                                    quote(area_at(d.to_area).id) +
                                    " along an edge: the defended gate must join two areas "
                                    "that touch");
      else
        to = d.to_area;
    }
    if (o.has("inside_area")) {
      g.inside_area = ref(o, "inside_area", areas_, "area");
      if (g.inside_area != kNone && to != kNone && g.inside_area != to) {
        r_.error(o.ptr("inside_area"),
                 "must be the area gate " +
                     quote(area_at(g.area).doors[static_cast<std::size_t>(g.door)].id) +
                     " leads into, " + quote(area_at(to).id) + " (got " +
                     quote(area_at(g.inside_area).id) + ")");
        g.inside_area = to;
      }
    } else {
      g.inside_area = to;
    }
    if (g.inside_area != kNone && area_at(g.inside_area).fidelity != Fidelity::micro)
      r_.error(o.ptr(g.inside_area != to ? "inside_area" : "door"),
               "area " + quote(area_at(g.inside_area).id) +
                   ", inside the gate, is a macro area: it must be micro (the crowd comes "
                   "through the gate one by one)");
    g.node = ref(o, "node", p_.nodes, "node");
    if (o.has("closed_by_task")) {
      const std::string what = pr ? "task of protocol " + quote(pr->id) : std::string("task");
      g.closed_by_task =
          resolve(r_, tasks, *o.find("closed_by_task"), o.ptr("closed_by_task"), what);
    } else {
      r_.warning(ptr,
                 "the gate has no \"closed_by_task\": no protocol task closes it, so it "
                 "stays as the site leaves it");
    }
    if (auto x = o.number("capacity_npm", kPositive)) g.rule.capacity_npm = *x;
    if (auto x = o.number("defender_hold_n", kPositive)) g.rule.defender_hold_n = *x;
    if (auto x = o.number("breach_after_s", {0.0, false, kMaxDurationS, false}))
      g.rule.after_s = *x;
    if (const Json* us = array(o, "defender_units")) {
      std::map<Index, std::string> seen;
      for (std::size_t i = 0; i < us->size(); ++i) {
        const std::string uptr = child(o.ptr("defender_units"), i);
        const Index u = resolve(r_, p_.units, (*us)[i], uptr, "unit");
        if (u == kNone) continue;
        if (auto [it, fresh] = seen.emplace(u, uptr); !fresh)
          r_.error(uptr, "unit " + quote(s_.units[static_cast<std::size_t>(u)].id) +
                             " is already a defender (at " + it->second + ")");
        else
          g.defender_units.push_back(u);
      }
    }
    if (o.has("measure_area")) g.measure_area = measure_in(o, "measure_area", g.area);
  }

  void behaviour(const Json& j, const std::string& ptr, CrowdBehaviourDef& b) {
    Obj o(r_, j, ptr,
          {"legitimacy", "arrest_k", "threshold", "wait_loss_per_h", "gate_loss", "line_loss",
           "heavy_ratio", "dialogue_gain", "push_margin", "vision_m", "decision_interval_s",
           "push_speed_mps", "contagion_max", "disperse_s"},
          {});
    const Range unit{0.0, false, 1.0, false};
    AgitationParams& a = b.agitation;
    if (auto x = o.number("legitimacy", unit)) a.legitimacy = *x;
    if (auto x = o.number("arrest_k", kPositive)) a.k = *x;
    if (auto x = o.number("threshold", unit)) a.threshold = *x;
    if (auto x = o.number("wait_loss_per_h", kNonNegative)) a.wait_loss_per_h = *x;
    if (auto x = o.number("gate_loss", unit)) a.gate_loss = *x;
    if (auto x = o.number("line_loss", unit)) a.line_loss = *x;
    if (auto x = o.number("heavy_ratio", kNonNegative)) a.heavy_ratio = *x;
    if (auto x = o.number("dialogue_gain", unit)) a.dialogue_gain = *x;
    if (auto x = o.number("push_margin", unit)) a.push_margin = *x;
    if (auto x = o.number("vision_m", kPositive)) b.vision_m = *x;
    if (auto x = o.number("decision_interval_s", {0.0, true, kMaxDurationS, false}))
      b.decision_interval_s = *x;
    if (auto x = o.number("push_speed_mps", {0.0, true, 5.0, false})) b.push_speed_mps = *x;
    if (auto x = o.number("contagion_max", {0.0, true, 1.0, false})) b.contagion_max = *x;
    if (auto d = dist(o, "disperse_s", Quantity::delay)) b.disperse_s = *d;
  }

  /// The gate is a door of its area into its inside area (else its own error says so and
  /// the doors that coincide with it are not reported again).
  bool gate_leads_in(const CrowdGate& gate) const {
    if (gate.area == kNone || gate.door == kNone || gate.inside_area == kNone) return false;
    const AreaDoor& d = area_at(gate.area).doors[static_cast<std::size_t>(gate.door)];
    return d.to_area == gate.inside_area && d.edge == kNone;
  }

  /// One crowd group; returns its expected head count (mean, rounded) when it parsed.
  std::optional<std::int64_t> crowd_group(const Json& j, const std::string& ptr, CrowdGroup& g,
                                          const CrowdGate& gate) {
    Obj o(r_, j, ptr,
          {"id", "count", "arrive_s", "area", "door", "speed_mps", "radius_m", "mode", "march"},
          {"id", "count", "area"});
    if (!o.ok()) return std::nullopt;
    g.id = id_of(o);
    std::optional<std::int64_t> size;
    if (auto d = head_count(o, "count")) {
      g.count = *d;
      // A heavy tail may have an unbounded mean: any crowd that large is "above 10".
      const double mean = d->mean();
      size = std::isfinite(mean) && mean < static_cast<double>(kMaxCrowd)
                 ? std::max<std::int64_t>(1, std::llround(mean))
                 : kMaxCrowd;
    }
    if (auto d = dist(o, "arrive_s", Quantity::delay)) g.arrive_s = *d;
    g.area = ref(o, "area", areas_, "area");
    if (o.has("door") && g.area != kNone) {
      if (area_at(g.area).fidelity != Fidelity::micro)
        r_.error(o.ptr("door"), "area " + quote(area_at(g.area).id) +
                                    " is a macro area: people are counted into it, not walked "
                                    "in by a door (\"door\" is only for micro areas)");
      else
        g.door = area_door(o, "door", g.area);
    }
    // People who come straight to the gate walk in by a door of its area: name it, and it
    // must not be the gate itself (they would appear in its opening).
    if (g.area != kNone && g.area == gate.area) {
      if (!o.has("door"))
        r_.error(o.ptr("area"), "group " + quote(g.id) + " gathers in the gate area " +
                                    quote(area_at(g.area).id) +
                                    ": give the \"door\" they come in by");
      else if (g.door != kNone && g.door == gate.door && gate_leads_in(gate))
        r_.error(o.ptr("door"),
                 "people cannot come in by the gate they protest at: name "
                 "another door of " +
                     quote(area_at(g.area).id));
    }
    if (auto d = dist(o, "speed_mps", Quantity::speed)) g.speed_mps = *d;
    if (auto x = o.number("radius_m", {0.1, true, 0.5, false})) g.radius_m = *x;
    if (auto v = o.one_of("mode", "crowd mode", {"rally", "sit_in"})) g.sit_in = *v == 1;
    if (const Json* v = o.find("march")) {
      Obj m(r_, *v, o.ptr("march"), {"share", "after_s", "door", "cancel_on_dialogue"}, {"door"});
      if (!m.ok()) return size;
      if (g.area != kNone && g.area == gate.area) {
        r_.error(o.ptr("march"), "group " + quote(g.id) + " gathers in the gate area " +
                                     quote(area_at(g.area).id) +
                                     " already: it has nowhere to march");
        return size;
      }
      if (auto x = m.number("share", {0.0, false, 1.0, false})) g.march_share = *x;
      if (auto d = dist(m, "after_s", Quantity::delay)) g.march_after_s = *d;
      g.march_door = area_door(m, "door", gate.area);
      if (g.march_door != kNone && g.march_door == gate.door && gate_leads_in(gate))
        r_.error(m.ptr("door"),
                 "marchers come along the street, not through the gate: name "
                 "another door of the gate area");
      if (auto x = m.boolean("cancel_on_dialogue")) g.march_cancel_on_dialogue = *x;
    }
    return size;
  }

  void dialogue(const Json& j, const std::string& ptr, CrowdDef& c, const IdTable& tasks,
                const Protocol* pr, std::optional<std::int64_t> crowd_size) {
    Obj o(r_, j, ptr, {"task", "representatives", "duration_s"}, {"task"});
    if (!o.ok()) return;
    if (const Json* v = o.find("task")) {
      const std::string what = pr ? "task of protocol " + quote(pr->id) : std::string("task");
      c.dialogue_task = resolve(r_, tasks, *v, o.ptr("task"), what);
    }
    if (c.dialogue_task != kNone) {
      const TaskDef& t = pr->tasks[static_cast<std::size_t>(c.dialogue_task)];
      const bool has_rule = std::any_of(pr->rules.begin(), pr->rules.end(),
                                        [&](const Rule& rl) { return rl.role == t.owner; });
      if (t.owner != kNone && !has_rule)
        r_.warning(o.ptr("task"), "the owner of task " + quote(t.id) + ", role " +
                                      quote(role_id(t.owner)) + ", has no rule in protocol " +
                                      quote(pr->id) + ", so the dialogue never starts");
    }
    const int n = crowd_size ? static_cast<int>(std::min<std::int64_t>(*crowd_size, kMaxCrowd)) : 0;
    const int allowed = max_representatives(n);
    if (auto v = o.integer("representatives", 0)) {
      c.representatives = static_cast<int>(*v);
      if (crowd_size && *v > allowed)
        r_.error(o.ptr("representatives"), "a crowd of " + std::to_string(*crowd_size) +
                                               " may name at most " + std::to_string(allowed) +
                                               " representatives (got " + std::to_string(*v) +
                                               "): " + kRepresentativesRule);
    } else if (!o.has("representatives") && crowd_size) {
      c.representatives = std::min(c.representatives, allowed);  // the most the law allows
    }
    if (auto d = dist(o, "duration_s", Quantity::delay)) c.dialogue_s = *d;
  }

  // ------------------------------------------------------------ floods

  /// `flood` of an incident, and the rules that tie it to the incident's type.
  void flood_incident(Obj& o, Incident& q) {
    const Json* v = o.find("flood");
    const bool flood_type = q.type == kFloodType;
    if (v && !q.type.empty() && !flood_type) {
      r_.error(o.ptr("flood"), "\"flood\" belongs to incidents of type \"flood\" (this one is " +
                                   quote(q.type) + ")");
      return;
    }
    if (!flood_type) return;
    if (!v) {
      r_.error(o.ptr(),
               "an incident of type \"flood\" needs \"flood\" (its cells, links, the river "
               "and the rain)");
      return;
    }
    q.flood.emplace();
    flood(*v, o.ptr("flood"), q);
  }

  /// A time series of objects {"at_s": t, <value key>: v}, times ascending.
  template <class Value>
  flood::Series series(Obj& o, const char* key, Value&& value) {
    flood::Series s;
    const Json* v = array(o, key);
    if (!v) return s;
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string iptr = child(o.ptr(key), i);
      const auto at =
          r_.number((*v)[i].is_object() && (*v)[i].contains("at_s") ? (*v)[i].at("at_s") : Json(),
                    iptr + "/at_s", {0.0, false, kMaxDurationS, false});
      const auto x = value((*v)[i], iptr);
      if (!at || !x) continue;
      if (!s.points.empty() && *at <= s.points.back().first)
        r_.error(iptr + "/at_s", "times must increase (got " + show_number(*at) + " after " +
                                     show_number(s.points.back().first) + ")");
      else
        s.points.push_back({*at, *x});
    }
    return s;
  }

  /// Levels (m, any datum) and depths HQ Drill accepts: hostile numbers would stall the
  /// water model's time step.
  static constexpr Range kLevel{-1000.0, false, 10000.0, false};
  static constexpr Range kDepth{0.0, false, 100.0, false};

  void flood(const Json& j, const std::string& ptr, Incident& q) {
    Obj o(r_, j, ptr,
          {"cells", "links", "pumps", "river", "rain_mm_h", "typhoon", "wind", "works",
           "depth_limits_m", "entry_depth_m", "damage_depth_m", "access", "step_s", "max_dt_s",
           "assumption", "source", "note"},
          {"cells", "links", "typhoon"});
    if (!o.ok()) return;
    FloodDef& f = *q.flood;
    const Json* cells = array(o, "cells");
    const IdTable cell_ids = collect_ids(r_, cells, o.ptr("cells"));
    if (cells) {
      if (cells->empty()) r_.error(o.ptr("cells"), "must list at least one cell");
      f.cells.resize(cells->size());
      for (std::size_t i = 0; i < cells->size(); ++i)
        flood_cell((*cells)[i], child(o.ptr("cells"), i), f.cells[i]);
    }
    const Json* links = array(o, "links");
    const IdTable link_ids = collect_ids(r_, links, o.ptr("links"));
    if (links) {
      f.links.resize(links->size());
      for (std::size_t i = 0; i < links->size(); ++i)
        flood_link((*links)[i], child(o.ptr("links"), i), f.links[i], cell_ids);
    }
    const Protocol* pr =
        q.protocol != kNone ? &s_.protocols[static_cast<std::size_t>(q.protocol)] : nullptr;
    const IdTable tasks = task_table(pr);
    const std::string task_what = pr ? "task of protocol " + quote(pr->id) : std::string("task");
    if (const Json* ps = array(o, "pumps")) {
      (void)collect_ids(r_, ps, o.ptr("pumps"));
      f.pumps.resize(ps->size());
      for (std::size_t i = 0; i < ps->size(); ++i) {
        Obj p(r_, (*ps)[i], child(o.ptr("pumps"), i),
              {"id", "name", "name_en", "from", "to", "capacity_m3_h", "power", "fuel_h",
               "ready_task", "assumption", "source"},
              {"id", "from", "capacity_m3_h"});
        FloodPump& pump = f.pumps[i];
        if (auto x = p.str("id")) pump.id = *x;
        if (auto x = p.str("name")) pump.name = *x;
        if (auto x = p.str("name_en")) pump.name_en = *x;
        pump.from = ref(p, "from", cell_ids, "flood cell");
        pump.to = outside_or_cell(p, "to", cell_ids);
        if (pump.from != kNone &&
            f.cells[static_cast<std::size_t>(pump.from)].kind == FloodCellKind::boundary)
          r_.error(p.ptr("from"),
                   "a pump cannot draw from a boundary cell (the river never "
                   "runs dry)");
        if (pump.from != kNone && pump.from == pump.to)
          r_.error(p.ptr("to"), "a pump must move water to another cell or outside");
        if (auto x = p.number("capacity_m3_h", {0.0, true, 360000.0, false}))
          pump.capacity_m3s = *x / 3600.0;
        if (auto x = p.one_of("power", "pump power", {"grid", "engine"}))
          pump.power = *x == 0 ? PumpPower::grid : PumpPower::engine;
        if (auto x = p.number("fuel_h", kNonNegative)) pump.fuel_h = *x;
        if (pump.power == PumpPower::engine && !p.has("fuel_h"))
          r_.error(p.ptr(), "an engine pump needs \"fuel_h\" (hours it runs on a full tank)");
        if (const Json* t = p.find("ready_task"))
          pump.ready_task = resolve(r_, tasks, *t, p.ptr("ready_task"), task_what);
      }
    }
    if (const Json* v = o.find("river")) {
      Obj rv(r_, *v, o.ptr("river"),
             {"station", "alarm_levels_m", "gauge_to_site_m", "stage", "source", "assumption"},
             {"alarm_levels_m", "stage"});
      if (auto x = rv.str("station")) f.station = *x;
      if (auto x = rv.number("gauge_to_site_m", kLevel)) f.gauge_to_site_m = *x;
      if (const Json* a = rv.find("alarm_levels_m")) {
        Obj al(r_, *a, rv.ptr("alarm_levels_m"), {"I", "II", "III"}, {"I", "II", "III"});
        const char* k[] = {"I", "II", "III"};
        for (int i = 0; i < 3; ++i)
          if (auto x = al.number(k[i], kLevel)) f.alarm_levels_m[static_cast<std::size_t>(i)] = *x;
        if (al.ok() && !(f.alarm_levels_m[0] < f.alarm_levels_m[1] &&
                         f.alarm_levels_m[1] < f.alarm_levels_m[2]))
          r_.error(rv.ptr("alarm_levels_m"), "alarm levels must rise: I < II < III");
      }
      const auto levels = f.alarm_levels_m;
      f.stage_m = series(rv, "stage", [&](const Json& pj, const std::string& pp) {
        Obj pt(r_, pj, pp, {"at_s", "level_m", "alarm", "plus_m"}, {"at_s"});
        if (pt.has("level_m") == pt.has("alarm")) {
          r_.error(pp,
                   "give the stage as \"level_m\" or as \"alarm\" (\"I\", \"II\", \"III\") "
                   "with an optional \"plus_m\"");
          return std::optional<double>();
        }
        if (pt.has("level_m")) return pt.number("level_m", kLevel);
        const auto a = pt.one_of("alarm", "alarm level", {"I", "II", "III"});
        const double plus = pt.number("plus_m", {-100.0, false, 100.0, false}).value_or(0.0);
        if (!a) return std::optional<double>();
        return std::optional<double>(levels[static_cast<std::size_t>(*a)] + plus);
      });
      if (rv.ok() && f.stage_m.points.empty())
        r_.error(rv.ptr("stage"), "must list at least one point");
    }
    const bool has_boundary = std::any_of(f.cells.begin(), f.cells.end(), [](const FloodCell& c) {
      return c.kind == FloodCellKind::boundary;
    });
    if (has_boundary && !o.has("river"))
      r_.error(o.ptr("cells"), "a \"boundary\" cell follows the river stage: give \"river\"");
    f.rain_mm_h = series(o, "rain_mm_h", [&](const Json& pj, const std::string& pp) {
      Obj pt(r_, pj, pp, {"at_s", "mm_h"}, {"at_s", "mm_h"});
      return pt.number("mm_h", {0.0, false, 500.0, false});
    });
    if (const Json* v = o.find("typhoon")) {
      Obj ty(r_, *v, o.ptr("typhoon"),
             {"name", "forecast_s", "warning_s", "landfall_s", "peak_s", "recession_s", "source",
              "assumption"},
             {"warning_s"});
      TyphoonTimeline& t = f.typhoon;
      if (auto x = ty.str("name")) t.name = *x;
      const Range when{0.0, false, kMaxDurationS, false};
      auto at = [&](const char* key, SimTime& out) {
        if (auto x = ty.number(key, when)) out = seconds_to_ms(*x);
      };
      at("forecast_s", t.forecast);
      at("warning_s", t.warning);
      at("landfall_s", t.landfall);
      at("peak_s", t.peak);
      at("recession_s", t.recession);
      if (t.warning < t.forecast)
        r_.error(ty.ptr("warning_s"), "the warning cannot come before the forecast");
      if (t.landfall != kNever && t.landfall < t.warning)
        r_.error(ty.ptr("landfall_s"), "landfall cannot come before the warning");
      const SimTime horizon = q.horizon != kNever ? q.horizon : seconds_to_ms(horizon_s_);
      if (ty.has("warning_s") && t.warning >= horizon)
        r_.warning(ty.ptr("warning_s"), "the warning comes at or after the incident's horizon (" +
                                            show_number(ms_to_seconds(horizon)) +
                                            " s): nothing will happen");
    }
    if (const Json* ws = array(o, "wind")) {
      for (std::size_t i = 0; i < ws->size(); ++i) {
        Obj w(r_, (*ws)[i], child(o.ptr("wind"), i),
              {"at_s", "kind", "edge", "until_s", "cell", "rain_area_m2", "assumption", "note"},
              {"at_s", "kind"});
        WindEvent e;
        if (auto x = w.number("at_s", {0.0, false, kMaxDurationS, false})) e.at = seconds_to_ms(*x);
        const auto kind = w.one_of("kind", "wind event",
                                   {"power_cut", "power_restored", "tree_down", "window_broken"});
        if (kind) e.kind = static_cast<WindEventKind>(*kind);
        if (kind && *kind == 2) {
          e.edge = ref(w, "edge", p_.edges, "edge");
          if (!w.has("edge")) r_.error(w.ptr(), "a \"tree_down\" event needs \"edge\"");
          if (auto x = w.number("until_s", {0.0, false, kMaxDurationS, false})) {
            e.until = seconds_to_ms(*x);
            if (e.until <= e.at)
              r_.error(w.ptr("until_s"),
                       "the tree must be cleared after it falls (until_s > at_s)");
          }
        }
        if (kind && *kind == 3) {
          e.cell = ref(w, "cell", cell_ids, "flood cell");
          if (auto x = w.number("rain_area_m2", kPositive)) e.catchment_m2 = *x;
          if (!w.has("cell") || !w.has("rain_area_m2"))
            r_.error(w.ptr(), "a \"window_broken\" event needs \"cell\" and \"rain_area_m2\"");
        }
        f.wind.push_back(e);
      }
    }
    if (const Json* wk = array(o, "works")) {
      std::map<Index, std::string> seen;
      for (std::size_t i = 0; i < wk->size(); ++i) {
        const std::string wptr = child(o.ptr("works"), i);
        Obj w(r_, (*wk)[i], wptr,
              {"task", "kind", "amount", "unit", "per_person_hour", "link", "height_m", "cell",
               "fuel_h", "source", "assumption"},
              {"task", "kind", "amount", "per_person_hour"});
        FloodWork work;
        if (const Json* t = w.find("task")) {
          work.task = resolve(r_, tasks, *t, w.ptr("task"), task_what);
          if (work.task != kNone)
            if (auto [it, fresh] = seen.emplace(work.task, w.ptr("task")); !fresh)
              r_.error(w.ptr("task"), "task is already the work at " + it->second);
        }
        if (auto x = w.one_of(
                "kind", "work kind",
                {"sandbags", "records", "vehicles", "pumps", "generator", "power", "other"}))
          work.kind = static_cast<FloodWorkKind>(*x);
        if (auto x = w.number("amount", kPositive)) work.amount = *x;
        if (auto x = w.number("per_person_hour", kPositive)) work.per_person_hour = *x;
        if (work.kind == FloodWorkKind::sandbags) {
          work.link = ref(w, "link", link_ids, "flood link");
          if (auto x = w.number("height_m", kPositive)) work.height_m = *x;
          if (!w.has("link") || !w.has("height_m"))
            r_.error(wptr,
                     "a \"sandbags\" work needs \"link\" (the weir it raises) and "
                     "\"height_m\" (the wall when every bag is placed)");
          else if (work.link != kNone &&
                   f.links[static_cast<std::size_t>(work.link)].kind != FloodLinkKind::weir)
            r_.error(w.ptr("link"),
                     "sandbags raise a weir (a sill, a door, a gate), not an "
                     "orifice");
        }
        if (work.kind == FloodWorkKind::records) {
          work.cell = ref(w, "cell", cell_ids, "flood cell");
          if (!w.has("cell"))
            r_.error(wptr, "a \"records\" work needs \"cell\" (where the records are)");
          else if (work.cell != kNone && !f.cells[static_cast<std::size_t>(work.cell)].records)
            r_.error(w.ptr("cell"), "cell " +
                                        quote(f.cells[static_cast<std::size_t>(work.cell)].id) +
                                        " holds no \"records\"");
        }
        if (work.kind == FloodWorkKind::generator) {
          if (auto x = w.number("fuel_h", kPositive)) work.fuel_h = *x;
          if (!w.has("fuel_h"))
            r_.error(wptr, "a \"generator\" work needs \"fuel_h\" (hours on a full tank)");
        }
        if (const Distribution* d = work.task != kNone && pr
                                        ? &pr->tasks[static_cast<std::size_t>(work.task)].duration_s
                                        : nullptr;
            d && !(d->kind == DistKind::constant && d->mean() == 0.0))
          r_.warning(w.ptr("task"),
                     "the task's duration_s is not used: a work lasts its amount "
                     "over the people at it");
        f.works.push_back(work);
      }
    }
    if (const Json* v = o.find("depth_limits_m")) {
      Obj dl(r_, *v, o.ptr("depth_limits_m"), {"vehicle", "foot", "source", "assumption"}, {});
      if (auto x = dl.number("vehicle", kPositive)) f.vehicle_limit_m = *x;
      if (auto x = dl.number("foot", kPositive)) f.foot_limit_m = *x;
      if (dl.ok() && f.foot_limit_m < f.vehicle_limit_m)
        r_.error(o.ptr("depth_limits_m"),
                 "people cannot be stopped by shallower water than cars "
                 "(foot < vehicle)");
    }
    if (auto x = o.number("entry_depth_m", kPositive)) f.entry_depth_m = *x;
    if (auto x = o.number("damage_depth_m", kPositive)) f.damage_depth_m = *x;
    if (const Json* v = o.find("access")) {
      Obj ac(r_, *v, o.ptr("access"), {"from", "to"}, {"from", "to"});
      f.access_from = ref_list(ac, "from", p_.nodes, "node", [&](Index k) {
        return s_.site.nodes[static_cast<std::size_t>(k)].id;
      });
      f.access_to = ref(ac, "to", p_.nodes, "node");
    }
    if (auto x = o.number("step_s", {1.0, false, 3600.0, false})) f.step_s = *x;
    if (auto x = o.number("max_dt_s", {0.5, false, 600.0, false})) f.max_dt_s = *x;
  }

  Index outside_or_cell(Obj& o, const char* key, const IdTable& cells) {
    const Json* v = o.find(key);
    if (!v || (v->is_string() && *v == "outside")) return kNone;
    return resolve(r_, cells, *v, o.ptr(key), "flood cell (or \"outside\")");
  }

  void flood_cell(const Json& j, const std::string& ptr, FloodCell& c) {
    Obj o(r_, j, ptr,
          {"id", "name", "name_en", "kind", "area_m2", "ground_m", "initial_depth_m", "node",
           "area", "edges", "runoff", "catchment_m2", "records", "source", "assumption"},
          {"id", "kind", "ground_m"});
    c.id = id_of(o);
    if (auto x = o.str("name")) c.name = *x;
    if (auto x = o.str("name_en")) c.name_en = *x;
    if (auto x = o.one_of("kind", "flood cell kind",
                          {"street", "yard", "building", "basement", "boundary"}))
      c.kind = static_cast<FloodCellKind>(*x);
    if (auto x = o.number("ground_m", kLevel)) c.ground_m = *x;
    if (auto x = o.number("initial_depth_m", kDepth)) c.initial_depth_m = *x;
    if (o.has("node")) c.node = ref(o, "node", p_.nodes, "node");
    if (o.has("area")) c.area = ref(o, "area", areas_, "walkable area");
    if (auto x = o.number("area_m2", {0.1, false, 1e9, false}))
      c.area_m2 = *x;
    else if (!o.has("area_m2") && c.area != kNone)
      c.area_m2 = s_.site.areas[static_cast<std::size_t>(c.area)].area_m2;
    else if (!o.has("area_m2"))
      r_.error(ptr, "missing required key \"area_m2\" (or an \"area\" whose outline gives it)");
    if (o.has("edges"))
      c.edges = ref_list(o, "edges", p_.edges, "edge",
                         [&](Index k) { return s_.site.edges[static_cast<std::size_t>(k)].id; });
    if (auto x = o.number("runoff", {0.0, true, 1.0, true})) c.runoff_coeff = *x;
    if (auto x = o.number("catchment_m2", kNonNegative)) c.catchment_m2 = *x;
    if (o.has("runoff") && !o.has("catchment_m2")) c.catchment_m2 = c.area_m2;
    if (const Json* v = o.find("records")) {
      Obj rc(r_, *v, o.ptr("records"), {"amount", "unit", "damage_depth_m", "source", "assumption"},
             {"amount"});
      FloodRecords r;
      if (auto x = rc.number("amount", kPositive)) r.amount = *x;
      if (auto x = rc.str("unit")) r.unit = *x;
      if (auto x = rc.number("damage_depth_m", kPositive)) r.damage_depth_m = *x;
      if (rc.ok()) c.records = r;
      if (c.kind == FloodCellKind::boundary)
        r_.error(o.ptr("records"), "a boundary cell (the river) holds no records");
    }
  }

  void flood_link(const Json& j, const std::string& ptr, FloodLink& l, const IdTable& cells) {
    const bool orifice = j.is_object() && j.contains("kind") && j.at("kind") == "orifice";
    std::vector<std::string> required{"id", "kind", "from"};
    if (orifice) {
      required.push_back("invert_m");
      required.push_back("area_m2");
    } else {
      required.push_back("crest_m");
      required.push_back("length_m");
    }
    Obj o(r_, j, ptr,
          {"id", "kind", "from", "to", "crest_m", "length_m", "coeff", "invert_m", "area_m2", "cd",
           "barrier_m", "name", "name_en", "source", "assumption"},
          required);
    l.id = id_of(o);
    if (auto x = o.one_of("kind", "flood link kind", {"weir", "orifice"}))
      l.kind = static_cast<FloodLinkKind>(*x);
    l.from = ref(o, "from", cells, "flood cell");
    l.to = outside_or_cell(o, "to", cells);
    if (l.from != kNone && l.from == l.to) r_.error(o.ptr("to"), "a link must join two cells");
    if (auto x = o.number("crest_m", kLevel)) l.crest_m = *x;
    if (auto x = o.number("length_m", {0.0, true, 1e5, false})) l.length_m = *x;
    if (auto x = o.number("coeff", {0.0, true, 10.0, false})) l.coeff = *x;
    if (auto x = o.number("invert_m", kLevel)) l.invert_m = *x;
    if (auto x = o.number("area_m2", {0.0, true, 1e4, false})) l.area_m2 = *x;
    if (auto x = o.number("cd", {0.0, false, 1.0, true})) l.cd = *x;
    if (auto x = o.number("barrier_m", kDepth)) l.barrier_m = *x;
    if (orifice && o.has("barrier_m"))
      r_.error(o.ptr("barrier_m"), "a barrier sits on a weir (a sill, a door), not an orifice");
  }

  // ------------------------------------------------------------ fires

  /// `fire` of an incident, and the rules that tie it to the incident's type.
  void fire_incident(Obj& o, Incident& q) {
    const Json* v = o.find("fire");
    const bool fire_type = q.type == kFireType;
    if (v && !q.type.empty() && !fire_type) {
      r_.error(o.ptr("fire"), "\"fire\" belongs to incidents of type \"fire\" (this one is " +
                                  quote(q.type) + ")");
      return;
    }
    if (!fire_type) return;
    if (!v) {
      r_.error(o.ptr(),
               "an incident of type \"fire\" needs \"fire\" (its rooms, where it starts and "
               "what detects it)");
      return;
    }
    q.fire.emplace();
    fire(*v, o.ptr("fire"), q);
  }

  /// The perimeter of an area's outline (m), holes left out.
  static double outline_perimeter_m(const Area& a) {
    double p = 0;
    for (std::size_t k = 0; k < a.outline.size(); ++k)
      p += peds::norm(a.outline[(k + 1) % a.outline.size()] - a.outline[k]);
    return p;
  }

  /// A temperature that must be above the ambient (°C); reported with the ambient named.
  std::optional<double> above_ambient(Obj& o, const char* key, double ambient_c) {
    const auto x = o.number(key);
    if (!x) return std::nullopt;
    if (*x > ambient_c) return x;
    r_.error(o.ptr(key), "must be above the ambient temperature " + show_number(ambient_c) +
                             " °C (got " + show(*o.find(key)) + ")");
    return std::nullopt;
  }

  /// Distinct references of a list, in order; a repeat is named with its first place.
  template <class Name>
  std::vector<Index> ref_list(const Obj& o, const char* key, const IdTable& t,
                              const std::string& what, Name&& name) {
    std::vector<Index> out;
    const Json* v = o.find(key);
    if (!v || !r_.is_array(*v, o.ptr(key))) return out;
    std::map<Index, std::string> seen;
    for (std::size_t i = 0; i < v->size(); ++i) {
      const std::string iptr = child(o.ptr(key), i);
      const Index k = resolve(r_, t, (*v)[i], iptr, what);
      if (k == kNone) continue;
      if (auto [it, fresh] = seen.emplace(k, iptr); !fresh)
        r_.error(iptr,
                 what + " " + quote(name(k)) + " is listed twice (first at " + it->second + ")");
      else
        out.push_back(k);
    }
    return out;
  }

  void fire(const Json& j, const std::string& ptr, Incident& q) {
    Obj o(r_, j, ptr,
          {"rooms",
           "vents",
           "origin",
           "spread_delay_s",
           "knockdown_s",
           "flashover_c",
           "tenability",
           "records_lost_c",
           "ambient_c",
           "step_s",
           "detectors",
           "perceptible_kw",
           "smoke_perceptible_k",
           "occupants",
           "patrol",
           "alarm_task",
           "attack_tasks",
           "means",
           "fire_police",
           "growth_factor",
           "smoke_perceptible_od_per_m",
           "soot_yield",
           "records_shelf_m"},
          {"rooms", "origin"});
    if (!o.ok()) return;
    FireDef& f = *q.fire;
    if (auto x = o.number("ambient_c", {-50.0, false, 60.0, false})) f.ambient_c = *x;
    const double ambient = f.ambient_c;

    // Rooms first: everything else refers to them.
    const Json* rooms = array(o, "rooms");
    const IdTable room_ids = collect_ids(r_, rooms, o.ptr("rooms"));
    std::vector<char> no_load;  // per room: no fire load given (nothing burns)
    if (rooms) {
      if (rooms->empty()) r_.error(o.ptr("rooms"), "must list at least one room");
      f.rooms.resize(rooms->size());
      no_load.assign(rooms->size(), 0);
      std::map<Index, std::string> area_rooms;  // walkable area -> pointer of its fire room
      for (std::size_t i = 0; i < rooms->size(); ++i)
        no_load[i] = fire_room((*rooms)[i], child(o.ptr("rooms"), i), f.rooms[i], area_rooms);
    }
    auto room_id = [&](Index k) { return f.rooms[static_cast<std::size_t>(k)].id; };

    if (const Json* vs = array(o, "vents")) {
      (void)collect_ids(r_, vs, o.ptr("vents"));
      f.vents.resize(vs->size());
      for (std::size_t i = 0; i < vs->size(); ++i)
        fire_vent((*vs)[i], child(o.ptr("vents"), i), f.vents[i], f, room_ids, ambient);
    }

    f.origin = ref(o, "origin", room_ids, "fire room");
    if (f.origin != kNone && no_load[static_cast<std::size_t>(f.origin)])
      r_.error(o.ptr("origin"), "the origin room " + quote(room_id(f.origin)) +
                                    " has no fire_load_mj_m2: nothing would burn");

    const Range duration{0.0, true, kMaxDurationS, false};
    if (auto x = o.number("spread_delay_s", duration)) f.spread_delay_s = *x;
    if (auto x = o.number("knockdown_s", duration)) f.knockdown_s = *x;
    // A positive multiplier of the growth rate, read like a speed (positive values only).
    if (auto d = dist(o, "growth_factor", Quantity::speed)) f.growth_factor = *d;
    if (auto x = above_ambient(o, "flashover_c", ambient)) f.flashover_c = *x;
    if (auto x = above_ambient(o, "records_lost_c", ambient)) f.records_lost_c = *x;
    if (auto x = o.number("step_s", {0.1, false, 10.0, false})) f.step_s = *x;
    if (auto x = o.number("perceptible_kw", kPositive)) f.perceptible_kw = *x;
    if (auto x = o.number("smoke_perceptible_k", kPositive)) f.smoke_perceptible_k = *x;
    if (auto x = o.number("smoke_perceptible_od_per_m", kPositive))
      f.smoke_perceptible_od_per_m = *x;
    if (auto x = o.number("soot_yield", {0.0, true, 1.0, false})) f.soot_yield = *x;
    if (auto x = o.number("records_shelf_m", kPositive)) f.records_shelf_m = *x;
    if (const Json* v = o.find("tenability")) {
      Obj t(r_, *v, o.ptr("tenability"), {"min_layer_height_m", "max_upper_c"}, {});
      if (auto x = t.number("min_layer_height_m", kPositive)) f.tenability.min_layer_height_m = *x;
      if (auto x = above_ambient(t, "max_upper_c", ambient)) f.tenability.max_upper_layer_c = *x;
    }

    // What detects it.
    if (const Json* ds = array(o, "detectors")) {
      (void)collect_ids(r_, ds, o.ptr("detectors"));
      f.detectors.resize(ds->size());
      for (std::size_t i = 0; i < ds->size(); ++i)
        fire_detector((*ds)[i], child(o.ptr("detectors"), i), f.detectors[i], room_ids, ambient);
    }
    if (const Json* v = o.find("occupants")) {
      Obj oc(r_, *v, o.ptr("occupants"), {"tell", "notice_s"}, {"tell"});
      f.occupants_tell = ref(oc, "tell", p_.roles, "role");
      if (auto d = dist(oc, "notice_s", Quantity::delay)) f.occupant_notice_s = *d;
      if (oc.ok() && q.ped_groups.empty())
        r_.warning(o.ptr("occupants"),
                   "the incident has no pedestrian groups: there are no occupants to notice "
                   "the fire");
    }
    if (const Json* v = o.find("patrol")) {
      Obj pa(r_, *v, o.ptr("patrol"), {"unit", "rooms", "interval_s", "role", "notice_s"},
             {"unit", "rooms", "interval_s", "role"});
      FirePatrol patrol;
      patrol.unit = ref(pa, "unit", p_.units, "unit");
      patrol.rooms = ref_list(pa, "rooms", room_ids, "fire room", room_id);
      if (const Json* rs = pa.find("rooms"); rs && rs->is_array() && rs->empty())
        r_.error(pa.ptr("rooms"), "must list at least one room");
      if (auto x = pa.number("interval_s", {1.0, false, kMaxDurationS, false}))
        patrol.interval_s = *x;
      patrol.role = ref(pa, "role", p_.roles, "role");
      if (auto d = dist(pa, "notice_s", Quantity::delay)) patrol.notice_s = *d;
      if (pa.ok()) f.patrol = patrol;
    }
    const Json* ds = o.find("detectors");
    const bool detectors = ds && (!ds->is_array() || !ds->empty());
    if (!detectors && !o.has("patrol") && !o.has("occupants"))
      r_.error(ptr,
               "nothing detects this fire: give \"detectors\", a \"patrol\" or \"occupants\" "
               "who tell a role");

    // The response: alarm, attack, means.
    const Protocol* pr =
        q.protocol != kNone ? &s_.protocols[static_cast<std::size_t>(q.protocol)] : nullptr;
    const IdTable tasks = task_table(pr);
    const std::string task_what = pr ? "task of protocol " + quote(pr->id) : std::string("task");
    if (const Json* v = o.find("alarm_task"))
      f.alarm_task = resolve(r_, tasks, *v, o.ptr("alarm_task"), task_what);
    if (o.has("attack_tasks"))
      f.attack_tasks = ref_list(o, "attack_tasks", tasks, task_what,
                                [&](Index k) { return pr->tasks[static_cast<std::size_t>(k)].id; });
    if (const Json* ms = array(o, "means")) {
      (void)collect_ids(r_, ms, o.ptr("means"));
      f.means.resize(ms->size());
      for (std::size_t i = 0; i < ms->size(); ++i)
        fire_means((*ms)[i], child(o.ptr("means"), i), f.means[i], tasks, pr, f.attack_tasks);
    }
    if (o.has("fire_police")) f.fire_police = ref(o, "fire_police", p_.units, "unit");

    // Cross-checks.
    const Json* attack = o.find("attack_tasks");
    const Json* means = o.find("means");
    if (attack && attack->is_array() && !attack->empty() &&
        !(means && means->is_array() && !means->empty()))
      r_.error(o.ptr("attack_tasks"),
               "an attack needs something to fight the fire with: give at least one of "
               "\"means\"");
    const bool alarm =
        o.has("alarm_task") || std::any_of(f.detectors.begin(), f.detectors.end(),
                                           [](const FireDetector& d) { return d.sounds_alarm; });
    const auto waits = std::find_if(q.ped_groups.begin(), q.ped_groups.end(),
                                    [](const PedGroup& g) { return g.after_alarm; });
    if (!alarm && waits != q.ped_groups.end())
      r_.error(ptr,
               "nothing sounds the alarm (no \"alarm_task\" and no detector with "
               "\"sounds_alarm\"), so the occupants would never be warned: group " +
                   quote(waits->id) + " waits for the alarm to start moving");
  }

  /// One fire room; returns true when it has no fire load (nothing burns there).
  bool fire_room(const Json& j, const std::string& ptr, FireRoom& room,
                 std::map<Index, std::string>& area_rooms) {
    Obj o(r_, j, ptr,
          {"id", "name", "name_en", "node", "area", "height_m", "floor_area_m2", "perimeter_m",
           "floor_elevation_m", "lining", "fire_load_mj_m2", "growth", "peak_hrr_kw",
           "hrr_per_m2_kw", "records"},
          {"id", "node", "height_m"});
    if (!o.ok()) return false;  // its own error; the origin is not reported again
    room.id = id_of(o);
    if (auto v = o.str("name")) room.name = *v;
    if (auto v = o.str("name_en")) room.name_en = *v;
    room.node = ref(o, "node", p_.nodes, "node");
    if (o.has("area")) {
      room.area = ref(o, "area", areas_, "area");
      if (room.area != kNone) {
        auto [it, fresh] = area_rooms.emplace(room.area, o.ptr("area"));
        if (!fresh)
          r_.error(o.ptr("area"), "area " + quote(area_at(room.area).id) +
                                      " is already the area of another fire room (at " +
                                      it->second + "): one fire room per walkable area");
      }
    }
    if (auto x = o.number("height_m", kPositive)) room.height_m = *x;
    // Floor area and perimeter: given, or those of the walkable area.
    const Area* area = room.area != kNone ? &area_at(room.area) : nullptr;
    const auto from_area = [&](const char* key, double from, double& out) {
      if (o.has(key)) {
        if (auto x = o.number(key, kPositive)) out = *x;
      } else if (area) {
        out = from;  // 0 when the area's own geometry was refused (reported there)
      } else if (!o.has("area")) {
        r_.error(ptr, "missing required key " + quote(key) +
                          " (or give \"area\", a walkable area to take it from)");
      }
    };
    from_area("floor_area_m2", area ? area->area_m2 : 0.0, room.floor_area_m2);
    from_area("perimeter_m", area ? outline_perimeter_m(*area) : 0.0, room.perimeter_m);
    if (auto x = o.number("floor_elevation_m")) room.floor_elevation_m = *x;
    if (const Json* v = o.find("lining")) {
      Obj l(r_, *v, o.ptr("lining"), {"material", "thickness_m"}, {"material", "thickness_m"});
      const auto material = l.one_of("material", "lining material", kLinings);
      const auto thick = l.number("thickness_m", {0.0, true, 2.0, false});
      if (material && thick)
        room.lining = *material == 0 ? fire::concrete_lining(*thick) : fire::gypsum_lining(*thick);
    }
    if (auto x = o.number("records", kNonNegative)) room.records = *x;

    // What burns here.
    const auto load = o.number("fire_load_mj_m2", kNonNegative);
    if (load) room.fire_load_mj_per_m2 = *load;
    const bool burns = load && *load > 0;
    std::optional<fire::FireSpec> spec;
    if (const Json* g = o.find("growth")) spec = growth(*g, o.ptr("growth"));
    if (burns && !o.has("growth"))
      r_.error(ptr,
               "missing required key \"growth\" (how the fire grows: \"slow\", "
               "\"medium\", \"fast\", \"ultrafast\" or {\"curve\": ...}), needed with "
               "fire_load_mj_m2 > 0");
    const auto peak = o.number("peak_hrr_kw", kPositive);
    const auto per_m2 = o.number("hrr_per_m2_kw", kPositive);
    if (!o.has("fire_load_mj_m2") || (load && *load == 0)) {
      for (const char* key : {"growth", "peak_hrr_kw", "hrr_per_m2_kw"})
        if (o.has(key))
          r_.warning(o.ptr(key), "ignored: room " + quote(room.id) +
                                     " has no fire_load_mj_m2, so nothing burns there");
      return true;
    }
    if (peak && per_m2) r_.warning(o.ptr("hrr_per_m2_kw"), "ignored: peak_hrr_kw is given");
    if (!burns || !spec) return false;
    if (peak)
      spec->peak_hrr_kw = *peak;
    else if (per_m2)
      spec->peak_hrr_kw = *per_m2 * room.floor_area_m2;
    spec->fuel_energy_kj = *load * 1000.0 * room.floor_area_m2;
    room.fuel = std::move(*spec);
    return false;
  }

  /// "growth": a t-squared class or {"curve": [[t_s, kW], ...]}.
  std::optional<fire::FireSpec> growth(const Json& j, const std::string& ptr) {
    if (j.is_string()) {
      const auto c = r_.one_of(j, ptr, "growth class", kGrowthClasses);
      if (!c) return std::nullopt;
      return fire::tsquared_fire(
          fire::tsquared_alpha_kw_per_s2(static_cast<fire::GrowthClass>(*c)));
    }
    if (!j.is_object()) {
      r_.error(ptr,
               "expected a growth class (\"slow\", \"medium\", \"fast\", \"ultrafast\") or "
               "an object {\"curve\": [[t_s, kW], ...]}, got " +
                   type_name(j));
      return std::nullopt;
    }
    Obj o(r_, j, ptr, {"curve"}, {"curve"});
    const Json* c = array(o, "curve");
    if (!c) return std::nullopt;
    const std::string cptr = o.ptr("curve");
    if (c->empty()) {
      r_.error(cptr, "must list at least one point [t_s, kW]");
      return std::nullopt;
    }
    std::vector<fire::HrrPoint> points;
    bool ok = true;
    for (std::size_t i = 0; i < c->size(); ++i) {
      const std::string pptr = child(cptr, i);
      const Json& p = (*c)[i];
      if (!r_.is_array(p, pptr)) {
        ok = false;
        continue;
      }
      if (p.size() != 2) {
        r_.error(pptr, "a point of an HRR curve is [t_s, kW] (got " + std::to_string(p.size()) +
                           " numbers)");
        ok = false;
        continue;
      }
      const auto t = r_.number(p[0], child(pptr, 0), {0.0, false, kMaxDurationS, false});
      const auto q = r_.number(p[1], child(pptr, 1), kNonNegative);
      if (!t || !q) {
        ok = false;
        continue;
      }
      if (!points.empty() && !(*t > points.back().time_s)) {
        r_.error(child(pptr, 0), "times must be strictly ascending (previous point at " +
                                     show_number(points.back().time_s) + " s, got " + show(p[0]) +
                                     ")");
        ok = false;
        continue;
      }
      points.push_back({*t, *q});
    }
    if (!ok) return std::nullopt;
    if (std::none_of(points.begin(), points.end(),
                     [](const fire::HrrPoint& p) { return p.hrr_kw > 0; })) {
      r_.error(cptr, "the curve never rises above 0 kW: nothing would burn");
      return std::nullopt;
    }
    return fire::curve_fire(std::move(points));
  }

  void fire_vent(const Json& j, const std::string& ptr, FireVent& v, const FireDef& f,
                 const IdTable& rooms, double ambient) {
    Obj o(r_, j, ptr,
          {"id", "from", "to", "width_m", "sill_m", "soffit_m", "open", "leak_m2", "fails_after_s",
           "breaks_at_c"},
          {"id", "from", "to", "width_m", "soffit_m"});
    if (!o.ok()) return;
    v.id = id_of(o);
    v.from = ref(o, "from", rooms, "fire room");
    if (const Json* to = o.find("to"); to && !(to->is_string() && *to == "outside"))
      v.to = resolve(r_, rooms, *to, o.ptr("to"), "fire room (or \"outside\")");
    if (v.from != kNone && v.from == v.to)
      r_.error(o.ptr("to"), "the vent leads from room " +
                                quote(f.rooms[static_cast<std::size_t>(v.from)].id) +
                                " back into it (\"from\" and \"to\" must differ)");
    if (auto x = o.number("width_m", kPositive)) v.opening.width_m = *x;
    if (auto x = o.number("sill_m", kNonNegative)) v.opening.sill_m = *x;
    if (auto x = o.number("soffit_m", kPositive)) {
      const FireRoom* from = v.from != kNone ? &f.rooms[static_cast<std::size_t>(v.from)] : nullptr;
      if (!(*x > v.opening.sill_m))
        r_.error(o.ptr("soffit_m"), "the top of the opening must be above its sill (" +
                                        show_number(v.opening.sill_m) + " m) (got " +
                                        show(*o.find("soffit_m")) + ")");
      else if (from && from->height_m > 0 && *x > from->height_m)
        r_.error(o.ptr("soffit_m"), "the top of the opening is above the ceiling of room " +
                                        quote(from->id) + " (height_m " +
                                        show_number(from->height_m) + ") (got " +
                                        show(*o.find("soffit_m")) + ")");
      else
        v.opening.soffit_m = *x;
    }
    if (auto b = o.boolean("open")) v.open = *b;
    if (auto x = o.number("leak_m2", kNonNegative)) v.leak_m2 = *x;
    if (auto x = o.number("fails_after_s", {0.0, true, kMaxDurationS, false})) v.fails_after_s = *x;
    if (auto x = above_ambient(o, "breaks_at_c", ambient)) v.breaks_at_c = *x;
  }

  void fire_detector(const Json& j, const std::string& ptr, FireDetector& d, const IdTable& rooms,
                     double ambient) {
    Obj o(r_, j, ptr,
          {"id", "room", "kind", "rti", "activation_c", "radius_m", "role", "notice_s",
           "sounds_alarm"},
          {"id", "room", "kind", "role"});
    if (!o.ok()) return;
    d.id = id_of(o);
    d.room = ref(o, "room", rooms, "fire room");
    const auto kind = o.one_of("kind", "detector kind", kDetectorKinds);
    if (kind) d.kind = static_cast<DetectorKind>(*kind);
    // A smoke detector is a very sensitive heat detector (CFAST); heat and sprinkler
    // links state their own RTI and activation temperature.
    d.link = fire::smoke_detector_as_heat(ambient);
    if (kind && d.kind != DetectorKind::smoke)
      for (const char* key : {"rti", "activation_c"})
        if (!o.has(key))
          r_.error(ptr, "missing required key " + quote(key) + " (" +
                            (d.kind == DetectorKind::heat ? "a heat detector" : "a sprinkler") +
                            " states its response time index \"rti\", (m·s)^½, and its "
                            "\"activation_c\"; only smoke detectors have defaults)");
    if (auto x = o.number("rti", kPositive)) d.link.rti_sqrt_ms = *x;
    if (auto x = above_ambient(o, "activation_c", ambient)) d.link.activation_c = *x;
    if (auto x = o.number("radius_m", kNonNegative)) d.radius_m = *x;
    d.role = ref(o, "role", p_.roles, "role");
    if (auto x = dist(o, "notice_s", Quantity::delay)) d.notice_s = *x;
    if (auto b = o.boolean("sounds_alarm")) d.sounds_alarm = *b;
  }

  void fire_means(const Json& j, const std::string& ptr, FireMeans& m, const IdTable& tasks,
                  const Protocol* pr, const std::vector<Index>& attack_tasks) {
    Obj o(r_, j, ptr,
          {"id", "name", "name_en", "kind", "node", "units", "tasks", "count", "max_hrr_kw",
           "setup_s"},
          {"id", "kind", "max_hrr_kw"});
    if (!o.ok()) return;
    m.id = id_of(o);
    if (auto v = o.str("name")) m.name = *v;
    if (auto v = o.str("name_en")) m.name_en = *v;
    if (auto v = o.str("kind")) {
      m.kind = *v;
      if (v->empty())
        r_.error(o.ptr("kind"), "must not be empty (\"extinguisher\", \"hose\", \"engine\", ...)");
    }
    if (o.has("node")) m.node = ref(o, "node", p_.nodes, "node");
    m.units = ref_list(o, "units", p_.units, "unit",
                       [&](Index k) { return s_.units[static_cast<std::size_t>(k)].id; });
    if (!o.has("node") && m.units.empty() && !o.has("units"))
      r_.error(ptr, "a means with no \"node\" is carried: give the \"units\" that carry it");
    else if (!o.has("node") && o.has("units") && o.find("units")->is_array() &&
             o.find("units")->empty())
      r_.error(o.ptr("units"), "a means with no \"node\" is carried: list at least one unit");
    if (o.has("tasks")) {
      const std::string what = pr ? "task of protocol " + quote(pr->id) : std::string("task");
      m.tasks = ref_list(o, "tasks", tasks, what,
                         [&](Index k) { return pr->tasks[static_cast<std::size_t>(k)].id; });
      for (std::size_t i = 0; i < m.tasks.size(); ++i)
        if (m.tasks[i] != kNone &&
            std::find(attack_tasks.begin(), attack_tasks.end(), m.tasks[i]) == attack_tasks.end())
          r_.error(child(o.ptr("tasks"), i),
                   "task " + quote(pr->tasks[static_cast<std::size_t>(m.tasks[i])].id) +
                       " is not one of the fire's \"attack_tasks\": nobody would use this "
                       "means for it");
    }
    if (auto x = o.integer("count", 1)) m.count = static_cast<int>(*x);
    if (auto x = o.number("max_hrr_kw", kPositive)) m.max_hrr_kw = *x;
    if (auto d = dist(o, "setup_s", Quantity::delay)) m.setup_s = *d;
  }

  void target(const Json& j, const std::string& ptr, Target& t) {
    Obj o(r_, j, ptr, {"incident", "kpi", "max_s", "max", "min_fraction", "description", "weight"},
          {"kpi"});
    if (o.has("incident"))
      if (ref(o, "incident", p_.incidents, "incident") != kNone)
        t.incident = o.find("incident")->get<std::string>();
    kpi(o, "kpi", t.kpi);
    if (o.has("max_s") == o.has("max"))
      r_.error(ptr,
               "give the target's bound as \"max_s\" (a time KPI) or \"max\" (in the "
               "KPI's unit), exactly one");
    if (auto v = o.number("max_s", kNonNegative)) t.max_value = *v;
    if (auto v = o.number("max", kNonNegative)) t.max_value = *v;
    if (const std::string unit = kpi_unit(t.kpi); o.has("max_s") && !t.kpi.empty() && unit != "s")
      r_.error(o.ptr("max_s"),
               "KPI " + quote(t.kpi) +
                   (unit.empty() ? " is not a time" : " is in " + unit + ", not seconds") +
                   ": use \"max\"");
    if (auto v = o.number("min_fraction", {0.0, false, 1.0, false})) t.min_fraction = *v;
    if (auto v = o.str("description")) t.description = *v;
    if (auto v = o.number("weight", kPositive)) t.weight = *v;
  }
};

}  // namespace

void read_scenario(Reader& r, const Json& root, Parsed& p) {
  ScenarioReader(r, p).read(root);
}

}  // namespace hqdrill::io::detail
