// Flood incidents end to end (issue #7): the water of a shipped typhoon scenario, sandbag
// barriers that hold or fail, edges that close and reopen with the water, works whose
// length is work over workforce, and the holiday-eve storm against the weekday one.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hqdrill/io/options_io.hpp"
#include "hqdrill/io/scenario_io.hpp"
#include "hqdrill/plan/options.hpp"
#include "hqdrill/sim/experiment.hpp"
#include "hqdrill/sim/flood_incident.hpp"
#include "hqdrill/sim/replication.hpp"
#include "shipped_support.hpp"

using namespace hqdrill;
using hqdrill::test::load_shipped;

namespace {

Index find_index(const auto& items, const std::string& id) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].id == id) return static_cast<Index>(i);
  FAIL("no " << id);
  return kNone;
}

/// The weekday typhoon with no works: the water alone, a fixed barrier on the front door.
BarrierState front_door_after_flood(double barrier_m, double& peak_yard_level_m) {
  Scenario s = load_shipped("scenarios/typhoon-bd3-weekday.json");
  FloodDef& f = *s.incidents[0].flood;
  f.works.clear();
  const Index door = find_index(f.links, "front_door");
  f.links[static_cast<std::size_t>(door)].barrier_m = barrier_m;
  FloodIncident w(s, 0);
  FloodChanges ch;
  for (SimTime t = w.step_ms(); t <= horizon_of(s, 0); t += w.step_ms()) w.advance(t, ch);
  const Index yard = find_index(f.cells, "yard");
  peak_yard_level_m = f.cells[static_cast<std::size_t>(yard)].ground_m + w.max_depth_m(yard);
  CHECK(std::abs(w.volume_residual_m3()) < 1e-6);
  return w.barrier(door);
}

double kpi(const Scenario& s, const RunRecord& r, const std::string& name) {
  const auto names = kpi_names(s, 0);
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) {
      REQUIRE(r.kpis[k].has_value());
      return *r.kpis[k];
    }
  FAIL("no KPI " << name);
  return 0;
}

/// Per run of `runs` of a shipped one-incident scenario: the KPI `name` (nullopt where it
/// did not happen).
std::vector<std::optional<double>> kpi_per_run(const char* file, const std::string& name, int runs,
                                               double* warning_s = nullptr) {
  const Scenario s = load_shipped(file);
  if (warning_s) *warning_s = ms_to_seconds(s.incidents[0].flood->typhoon.warning);
  ExperimentOptions opt;
  opt.runs = runs;
  opt.seed = s.run.seed;
  opt.threads = 2;
  const auto res = run_experiment(s, opt);
  const auto& names = res.incidents[0].kpi_names;
  const auto k =
      static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  REQUIRE(k < names.size());
  std::vector<std::optional<double>> out;
  for (const auto& run : res.incidents[0].values) out.push_back(run[k]);
  return out;
}

}  // namespace

TEST_CASE("a sandbag barrier lower than the peak water fails, one higher holds", "[flood][sim]") {
  // The door's sill is at 7.15 m; the yard peaks at about 7.52 m (river 7.6 m over the
  // bank at 7.0 m, the town overflow at 6.9 m). A 0.25 m wall (crest 7.40 m) is
  // overtopped; a 0.6 m wall (crest 7.75 m) is not.
  double peak_low = 0, peak_high = 0;
  CHECK(front_door_after_flood(0.25, peak_low) == BarrierState::overtopped);
  CHECK(front_door_after_flood(0.6, peak_high) == BarrierState::up);
  CHECK(peak_high > 7.15 + 0.25);
  CHECK(peak_high < 7.15 + 0.6);
}

TEST_CASE("an edge deeper than its threshold is closed to vehicles and reopens as the water falls",
          "[flood][sim]") {
  const Scenario s = load_shipped("scenarios/typhoon-bd3-weekday.json");
  const RunRecord r = run_replication(s, 0, s.run.seed, 0, true);
  const Index gate = find_index(s.site.edges, "e_gate_main");
  const Index street = find_index(s.incidents[0].flood->cells, "street_front");
  std::vector<std::pair<SimTime, int>> changes;
  for (const TraceEvent& e : r.trace.events)
    if (e.kind == TraceKind::edge_flooded && e.edge == gate) changes.push_back({e.t, e.count});
  // Street depth 0.3 m (vehicle limit), then 0.5 m (foot), then back below each.
  REQUIRE(changes.size() == 4);
  CHECK(changes[0].second == 1);
  CHECK(changes[1].second == 2);
  CHECK(changes[2].second == 1);
  CHECK(changes[3].second == 0);
  // Each change happens at the coupling step where the street's depth crossed the limit.
  auto depth_at = [&](SimTime t) {
    for (const FloodFrame& fr : r.trace.flood_frames)
      if (fr.t >= t) return static_cast<double>(fr.depth_m[static_cast<std::size_t>(street)]);
    return -1.0;
  };
  CHECK(depth_at(changes[0].first) >= 0.3);
  CHECK(depth_at(changes[0].first - 120000) < 0.3);
  CHECK(depth_at(changes[3].first) < 0.3);
  // While closed to vehicles nobody can drive from the stations to the gate.
  CHECK(kpi(s, r, "site_isolated_s") >= ms_to_seconds(changes[3].first - changes[0].first) - 60);
}

TEST_CASE("a sandbag work takes its bags over the people placing them", "[flood][sim]") {
  // Weekday afternoon: six of the ten team members on duty go together to the front
  // door; 360 bags at 12 bags per person-hour (NDSU) take 360 / (6 x 12) = 5 h.
  const Scenario s = load_shipped("scenarios/typhoon-bd3-weekday.json");
  const RunRecord r = run_replication(s, 0, s.run.seed, 3, true);
  const Protocol& p = s.protocols[static_cast<std::size_t>(s.incidents[0].protocol)];
  const Index task = find_index(p.tasks, "sandbag_front_door");
  SimTime started = kNever, done = kNever;
  for (const TraceEvent& e : r.trace.events) {
    if (e.task != task) continue;
    if (e.kind == TraceKind::task_started) started = e.t;
    if (e.kind == TraceKind::task_done) done = e.t;
  }
  REQUIRE(started != kNever);
  REQUIRE(done != kNever);
  CHECK(std::abs(ms_to_seconds(done - started) - 5 * 3600.0) <= 1.0);
}

TEST_CASE("the holiday-eve typhoon finishes its preparations later than the weekday one",
          "[flood][sim]") {
  // Same storm, same plan: on a weekday afternoon ten of the team are on duty and the
  // warning is read in 15 min (median); on the holiday eve nobody is, they are called in,
  // and the dispatch is read hours later. Compared from the warning, 40 runs each.
  auto mean_after_warning = [](const char* file) {
    double warning_s = 0, sum = 0;
    int n = 0;
    for (const auto& v : kpi_per_run(file, "barriers_complete_s", 40, &warning_s))
      if (v) {
        sum += *v - warning_s;
        ++n;
      }
    REQUIRE(n > 30);
    return sum / n;
  };
  const double weekday = mean_after_warning("scenarios/typhoon-bd3-weekday.json");
  const double night = mean_after_warning("scenarios/typhoon-bd3-night-before-holiday.json");
  INFO("barriers complete after the warning: weekday " << weekday << " s, holiday eve " << night
                                                       << " s");
  CHECK(night > weekday + 3600);
}

TEST_CASE("sandbags kept at the archive's door keep its records dry on the holiday eve",
          "[flood][sim]") {
  // The baseline loses records in the runs where the front door's wall is overtopped
  // before it is finished; a 0.5 m wall kept at the archive's door holds (crest 7.67 m
  // against the building's 7.5 m).
  auto lost = [](const char* file) {
    double sum = 0;
    for (const auto& v : kpi_per_run(file, "records_lost_fraction", 200)) sum += v.value_or(0);
    return sum / 200;
  };
  const double base = lost("scenarios/typhoon-bd3-night-before-holiday.json");
  const double bags = lost("scenarios/typhoon-bd3-night-before-holiday-records-sandbags.json");
  INFO("records lost: baseline " << base << ", sandbags " << bags);
  CHECK(base > 0.005);
  CHECK(bags == 0.0);
}

TEST_CASE("a bad flood definition is refused with its JSON pointer", "[flood][io]") {
  std::ifstream in(std::string(HQDRILL_SOURCE_DIR) + "/scenarios/typhoon-bd3-weekday.json");
  const nlohmann::json good = nlohmann::json::parse(in);
  struct Bad {
    const char* pointer;  ///< into the incident's flood
    nlohmann::json value;
    const char* error;
  };
  const std::vector<Bad> bad{
      {"/links/0/to", "stret_front",
       "/incidents/0/flood/links/0/to: unknown flood cell (or \"outside\") \"stret_front\" (did "
       "you mean \"street_front\"?)"},
      {"/river/stage/2/at_s", 10, "/incidents/0/flood/river/stage/2/at_s: times must increase"},
      {"/works/1/link", "outfall", "/incidents/0/flood/works/1/link: sandbags raise a weir"},
      {"/river/alarm_levels_m/II", 7, "/incidents/0/flood/river/alarm_levels_m: alarm levels"},
      {"/depth_limits_m/vehicle", 0.6, "/incidents/0/flood/depth_limits_m: people cannot"},
      // Hostile numbers that would stall the water model's step are refused.
      {"/cells/1/area_m2", 1e-9, "/incidents/0/flood/cells/1/area_m2: must be at least 0.1"},
      {"/river/stage/0/level_m", 1e300, "/incidents/0/flood/river/stage/0/level_m: must be"},
      {"/wind/2/until_s", 0, "/incidents/0/flood/wind/2/until_s: the tree must be cleared"},
      {"/pumps/0/from", "river", "/incidents/0/flood/pumps/0/from: a pump cannot draw"},
  };
  for (const Bad& b : bad) {
    nlohmann::json j = good;
    j["incidents"][0]["flood"][nlohmann::json::json_pointer(b.pointer)] = b.value;
    const auto r = io::parse_scenario(j.dump());
    INFO(b.pointer);
    CHECK_FALSE(r.scenario.has_value());
    std::string all;
    for (const auto& d : r.diagnostics.items) all += d.pointer + ": " + d.message + "\n";
    INFO(all);
    CHECK(all.find(b.error) != std::string::npos);
  }
}

TEST_CASE("a street already too deep at the start is closed from the first moment",
          "[flood][sim]") {
  Scenario s = load_shipped("scenarios/typhoon-bd3-weekday.json");
  FloodDef& f = *s.incidents[0].flood;
  f.cells[static_cast<std::size_t>(find_index(f.cells, "street_front"))].initial_depth_m = 0.6;
  const RunRecord r = run_replication(s, 0, s.run.seed, 0, true);
  const Index gate = find_index(s.site.edges, "e_gate_main");
  const TraceEvent* first = nullptr;
  for (const TraceEvent& e : r.trace.events)
    if (e.kind == TraceKind::edge_flooded && e.edge == gate) {
      first = &e;
      break;
    }
  REQUIRE(first != nullptr);
  CHECK(first->t == 0);
  CHECK(first->count == 2);  // 0.6 m: deeper than the 0.5 m foot limit
}

TEST_CASE("flood plan options keep sandbags at a door and set a pump in a cell", "[flood][plan]") {
  const Scenario s = load_shipped("scenarios/typhoon-bd3-night-before-holiday.json");
  auto o =
      io::load_options(std::string(HQDRILL_SOURCE_DIR) + "/scenarios/options-flood-2018.json", s);
  for (const auto& d : o.diagnostics.items) INFO(d.pointer << ": " << d.message);
  REQUIRE(o.options);
  REQUIRE(o.options->size() == 3);
  const auto& opts = *o.options;
  const Scenario both = plan::with_options(s, opts, 0b011);  // archive_sandbags, archive_pump
  const FloodDef& f = *both.incidents[0].flood;
  CHECK(f.links[static_cast<std::size_t>(find_index(f.links, "records_door"))].barrier_m == 0.5);
  REQUIRE(f.pumps.size() == s.incidents[0].flood->pumps.size() + 1);
  CHECK(f.pumps.back().from == find_index(f.cells, "hq_records"));
  CHECK(f.pumps.back().to == kNone);
  CHECK(f.pumps.back().capacity_m3s == Approx(35.0 / 3600));
  for (const auto& opt : opts) CHECK(plan::may_affect(s, opt, 0));
  // The default scenario's fire incident cannot see them.
  const Scenario d = load_shipped("scenarios/quang-ngai-hq.json");
  auto od =
      io::load_options(std::string(HQDRILL_SOURCE_DIR) + "/scenarios/options-flood-2018.json", d);
  REQUIRE(od.options);
  for (std::size_t i = 0; i < d.incidents.size(); ++i)
    CHECK(plan::may_affect(d, (*od.options)[0], static_cast<Index>(i)) ==
          d.incidents[i].flood.has_value());
}
