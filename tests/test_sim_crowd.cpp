// Pedestrians in a replication (hqdrill/sim/crowd.hpp): occupants of walkable areas
// leave through open doors, reroute when a door closes, walk the site-graph edge
// between areas that are apart, start after the alarm, and do it the same way for the
// same seed. Scenarios are the tests' minimal scenario with areas added.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "hqdrill/io/scenario_io.hpp"
#include "hqdrill/sim/replication.hpp"

using Json = nlohmann::ordered_json;
using namespace hqdrill;

namespace {

Json minimal() {
  std::ifstream in(std::string(HQDRILL_SOURCE_DIR) + "/tests/data/scenario_minimal.json");
  std::ostringstream s;
  s << in.rdbuf();
  Json j = Json::parse(s.str());
  j["incidents"][0].erase("edge_events");
  j["incidents"][0]["detection"]["delay_s"] = 100;  // the alarm at 100 s
  j.erase("targets");
  return j;
}

/// A 10 m x 10 m room at the records room node with the given doors (each [x0,y0,x1,y1]
/// on the outline, to the outside) and `n` people leaving from the start.
Json room_scenario(int n, const std::vector<std::array<double, 4>>& doors) {
  Json j = minimal();
  Json ds = Json::array();
  for (std::size_t k = 0; k < doors.size(); ++k)
    ds.push_back({{"id", "d" + std::to_string(k)},
                  {"a", {doors[k][0], doors[k][1]}},
                  {"b", {doors[k][2], doors[k][3]}}});
  j["site"]["areas"] = Json::array({{{"id", "room"},
                                     {"node", "hq_records_room"},
                                     {"outline", {{0, 0}, {10, 0}, {10, 10}, {0, 10}}},
                                     {"doors", ds}}});
  j["incidents"][0]["pedestrians"] = {
      {"groups",
       {{{"id", "staff"}, {"area", "room"}, {"count", n}, {"pre_movement_from", "start"}}}}};
  return j;
}

Scenario parse(const Json& j) {
  io::LoadResult r = io::parse_scenario(j.dump());
  for (const auto& d : r.diagnostics.items) UNSCOPED_INFO(d.pointer + ": " + d.message);
  REQUIRE(r.scenario);
  return *r.scenario;
}

std::optional<double> kpi(const Scenario& s, const RunRecord& r, const std::string& name) {
  const auto names = kpi_names(s, 0);
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return r.kpis[k];
  FAIL("no KPI " << name);
  return std::nullopt;
}

}  // namespace

TEST_CASE("occupants of a room all leave through its door", "[sim][peds]") {
  const Scenario s = parse(room_scenario(20, {{0, 4.5, 0, 5.5}}));
  const RunRecord r = run_replication(s, 0, 7, 0, true);
  const auto out = kpi(s, r, "peds_out_s");
  REQUIRE(out);
  // Lower bound: 20 people through a 1 m door at no more than 2.5 p/s (above any
  // measured bottleneck flow: Seyfried et al. 2009 report about 1.9 p/(s m) at 1 m) is
  // 8 s. Upper bound: the SFPE hydraulic time 20 / (1.316 x 0.7) = 21.7 s plus the
  // walk of the farthest person (about 14 m at 1.34 m/s = 10.5 s), doubled for slack.
  CHECK(*out >= 8.0);
  CHECK(*out <= 65.0);
  CHECK(kpi(s, r, "peds_out_staff_s") == out);
  REQUIRE(r.trace.people.size() == 20);
  for (const PersonRecord& p : r.trace.people) {
    CHECK(p.appears == 0);
    CHECK(p.out != kNever);
    CHECK(p.path_m > 0);
  }
  CHECK_FALSE(r.trace.ped_frames.empty());
}

TEST_CASE("the same seed gives the same people, the same exits and the same times", "[sim][peds]") {
  const Scenario s = parse(room_scenario(30, {{0, 4.5, 0, 5.5}, {10, 4, 10, 6}}));
  const RunRecord a = run_replication(s, 0, 11, 3, true);
  const RunRecord b = run_replication(s, 0, 11, 3, true);
  REQUIRE(a.trace.people.size() == b.trace.people.size());
  for (std::size_t i = 0; i < a.trace.people.size(); ++i) {
    CHECK(a.trace.people[i].out == b.trace.people[i].out);
    CHECK(a.trace.people[i].path_m == b.trace.people[i].path_m);
  }
  CHECK(a.kpis == b.kpis);
  const RunRecord c = run_replication(s, 0, 11, 4, false);
  CHECK(c.kpis != a.kpis);  // another replication draws other places and speeds
}

TEST_CASE("closing the near door sends the people to the far one", "[sim][peds]") {
  // One door on each side of the room; the people start in the west half. With the
  // west door closed from the start they must cross the room to the east door.
  Json j = room_scenario(10, {{0, 4.5, 0, 5.5}, {10, 4.5, 10, 5.5}});
  j["site"]["areas"][0]["outline"] = {{0, 0}, {30, 0}, {30, 10}, {0, 10}};
  j["site"]["areas"][0]["doors"][1]["a"] = {30, 4.5};
  j["site"]["areas"][0]["doors"][1]["b"] = {30, 5.5};
  j["site"]["areas"] = Json::array({j["site"]["areas"][0],
                                    {{"id", "west"},
                                     {"node", "hq_yard"},
                                     {"outline", {{-5, 0}, {0, 0}, {0, 10}, {-5, 10}}},
                                     {"doors", Json::array()}}});
  j["site"]["areas"][0]["doors"][0]["to"] = "west";  // the west door leads nowhere...
  j["site"]["areas"][1]["doors"] = {{{"id", "west_exit"}, {"a", {-5, 4}}, {"b", {-5, 6}}}};
  const Scenario open_s = parse(j);
  const RunRecord open_r = run_replication(open_s, 0, 5, 0, false);
  j["incidents"][0]["pedestrians"]["door_events"] = {
      {{"at_s", 0}, {"door", "west_exit"}, {"state", "closed"}}};
  const Scenario closed_s = parse(j);
  const RunRecord closed_r = run_replication(closed_s, 0, 5, 0, true);
  for (const PersonRecord& p : closed_r.trace.people) CHECK(p.exit_door == 1);  // east door
  // Closed mid-run, 10 s in: those who reached the west exit by then used it, the rest
  // turn round and leave by the east door.
  j["incidents"][0]["pedestrians"]["door_events"][0]["at_s"] = 10;
  const Scenario mid_s = parse(j);
  const RunRecord mid_r = run_replication(mid_s, 0, 5, 0, true);
  int west = 0, east = 0;
  for (const PersonRecord& p : mid_r.trace.people) {
    REQUIRE(p.out != kNever);
    if (p.exit_area == 1) {
      ++west;
      CHECK(p.out <= 10000);
    } else {
      ++east;
    }
  }
  CHECK(west > 0);
  CHECK(east > 0);
  const auto t_open = kpi(open_s, open_r, "peds_out_s");
  const auto t_closed = kpi(closed_s, closed_r, "peds_out_s");
  REQUIRE(t_open);
  REQUIRE(t_closed);
  // People start anywhere in the 30 m room; with the west route shut the westmost walk
  // about 30 m to the east door: at least 25 m / (1.3 x 1.34 m/s) = 14 s.
  CHECK(*t_closed >= 14.0);
  CHECK(*t_closed > *t_open);
}

TEST_CASE("people walk the site-graph edge between two areas that are apart", "[sim][peds]") {
  // The records room (node hq_records_room) opens onto an edge of 40 m to the yard
  // (node hq_yard), whose area has the door out.
  Json j = room_scenario(5, {});
  j["site"]["areas"][0]["doors"] = {{{"id", "room_door"},
                                     {"a", {10, 4.5}},
                                     {"b", {10, 5.5}},
                                     {"to", "yard"},
                                     {"to_door", "yard_in"},
                                     {"edge", "e_yard_records"}}};
  j["site"]["areas"].push_back({{"id", "yard"},
                                {"node", "hq_yard"},
                                {"outline", {{100, 0}, {110, 0}, {110, 10}, {100, 10}}},
                                {"doors",
                                 {{{"id", "yard_in"}, {"a", {100, 4}}, {"b", {100, 6}}},
                                  {{"id", "yard_out"}, {"a", {110, 4}}, {"b", {110, 6}}}}}});
  const Scenario s = parse(j);
  const RunRecord r = run_replication(s, 0, 3, 0, true);
  const auto out = kpi(s, r, "peds_out_s");
  REQUIRE(out);
  // The edge is 40 m with a foot speed limit of 0.8 m/s (it includes a flight of
  // stairs, see the minimal scenario): 50 s at least; then 10 m across the yard.
  CHECK(*out >= 40.0 / 0.8 + 10.0 / (1.34 * 1.3));
  for (const PersonRecord& p : r.trace.people) CHECK(p.path_m >= 40.0 + 9.0);
}

TEST_CASE("occupants start after the alarm plus their pre-movement time", "[sim][peds]") {
  Json j = room_scenario(5, {{0, 4.5, 0, 5.5}});
  j["incidents"][0]["pedestrians"]["groups"][0].erase("pre_movement_from");  // default: alarm
  j["incidents"][0]["pedestrians"]["groups"][0]["pre_movement_s"] = 30;
  const Scenario s = parse(j);
  const RunRecord r = run_replication(s, 0, 1, 0, true);
  for (const PersonRecord& p : r.trace.people) {
    CHECK(p.appears == 100000);  // detection at 100 s is the alarm
    CHECK(p.starts == 130000);
    CHECK(p.out > 130000);
  }
}

TEST_CASE("with every door closed nobody gets out and the run still ends", "[sim][peds]") {
  Json j = room_scenario(5, {{0, 4.5, 0, 5.5}});
  j["site"]["areas"][0]["doors"][0]["locked"] = true;
  const Scenario s = parse(j);
  const RunRecord r = run_replication(s, 0, 1, 0, true);
  CHECK_FALSE(kpi(s, r, "peds_out_s"));
  for (const PersonRecord& p : r.trace.people) CHECK(p.out == kNever);
}

TEST_CASE("measurement areas and lines count the people, their density and their flow",
          "[sim][peds]") {
  // Room (10 m x 10 m, 30 people) -> 1 m door -> corridor 2 m x 6 m -> exit. The line
  // across the corridor is passed by everyone once (positive: the left of a -> b, here
  // +x); the room's density in the first second is 30 / 100 m² (nobody is out yet:
  // the nearest person is at least 0.2 m from the door and needs > 1 s to reach the end of the
  // corridor).
  Json j = room_scenario(30, {});
  j["site"]["areas"][0]["doors"] = {
      {{"id", "room_door"}, {"a", {10, 4.5}}, {"b", {10, 5.5}}, {"to", "corridor"}}};
  j["site"]["areas"].push_back({{"id", "corridor"},
                                {"node", "hq_yard"},
                                {"outline", {{10, 4}, {16, 4}, {16, 6}, {10, 6}}},
                                {"doors", {{{"id", "out"}, {"a", {16, 4}}, {"b", {16, 6}}}}}});
  j["site"]["measurements"] = {
      {"areas",
       {{{"id", "room_m"}, {"area", "room"}, {"polygon", {{0, 0}, {10, 0}, {10, 10}, {0, 10}}}}}},
      {"lines",
       {{{"id", "corridor_line"},
         {"area", "corridor"},
         {"a", {13, 6}},
         {"b", {13, 4}},
         {"pressure", true}}}}};
  j["targets"] = {{{"kpi", "peak_density_room_m_ppm2"}, {"max", 2.0}}};
  j["incidents"][0]["pedestrians"]["model"] = "social_force";  // pressure needs contact forces
  const Scenario s = parse(j);
  const RunRecord r = run_replication(s, 0, 9, 0, false);
  const auto density = kpi(s, r, "peak_density_room_m_ppm2");
  REQUIRE(density);
  CHECK(*density <= 0.30 + 1e-12);
  CHECK(*density >= 0.29);
  CHECK(kpi(s, r, "passed_corridor_line_n") == 30.0);
  const auto flow = kpi(s, r, "peak_flow_corridor_line_pps");
  REQUIRE(flow);
  CHECK(*flow > 0.5);   // 30 people pass within a minute
  CHECK(*flow <= 3.5);  // and no faster than HFV pushes through a 1 m door (test_peds_fd)
  CHECK(kpi(s, r, "peak_pressure_corridor_line_npm"));  // measured (open line: bodies on it)
}

TEST_CASE("pressure is measured only by the social-force model", "[sim][peds]") {
  Json j = room_scenario(10, {{0, 4.5, 0, 5.5}});
  j["site"]["measurements"] = {{"lines",
                                {{{"id", "door_line"},
                                  {"area", "room"},
                                  {"a", {0.3, 6}},
                                  {"b", {0.3, 4}},
                                  {"pressure", true}}}}};
  const Scenario cfsm = parse(j);  // the default walking model
  CHECK_FALSE(kpi(cfsm, run_replication(cfsm, 0, 1, 0, false), "peak_pressure_door_line_npm"));
  j["incidents"][0]["pedestrians"]["model"] = "social_force";
  const Scenario sf = parse(j);
  CHECK(kpi(sf, run_replication(sf, 0, 1, 0, false), "peak_pressure_door_line_npm"));
}

TEST_CASE("a macro room empties through its door at the SFPE flow", "[sim][peds]") {
  // 100 people ready at once in a 10 m x 10 m macro room with a 1 m door: the door
  // passes Fs_max * W_eff = 1.316 p/(s m) x (1.0 - 2 x 0.15) m = 0.921 p/s (SFPE
  // Handbook, hydraulic model), so the last is out after 100 / 0.921 = 108.6 s, plus
  // at most the first person's walk to the door (under 10 s at 1.34 m/s for the
  // nearest of 100 people in the room).
  Json j = room_scenario(100, {{0, 4.5, 0, 5.5}});
  j["site"]["areas"][0]["fidelity"] = "macro";
  const Scenario s = parse(j);
  const RunRecord r = run_replication(s, 0, 2, 0, true);
  const auto out = kpi(s, r, "peds_out_s");
  REQUIRE(out);
  CHECK(*out >= 108.0);
  CHECK(*out <= 108.6 + 10.0);
  for (const PersonRecord& p : r.trace.people) CHECK(p.out != kNever);
}

TEST_CASE("people pass from a micro room into a macro corridor and out", "[sim][peds]") {
  // Room (micro, 10 m x 10 m, 40 people) -> 1 m door -> corridor (macro, 20 m x 2 m)
  // -> 2 m door out. Everyone gets out, through the corridor, in order, and the same
  // seed gives the same times.
  Json j = room_scenario(40, {});
  j["site"]["areas"][0]["doors"] = {
      {{"id", "room_door"}, {"a", {10, 4.5}}, {"b", {10, 5.5}}, {"to", "corridor"}}};
  j["site"]["areas"].push_back({{"id", "corridor"},
                                {"node", "hq_yard"},
                                {"fidelity", "macro"},
                                {"outline", {{10, 4}, {30, 4}, {30, 6}, {10, 6}}},
                                {"doors", {{{"id", "out"}, {"a", {30, 4}}, {"b", {30, 6}}}}}});
  const Scenario s = parse(j);
  const RunRecord a = run_replication(s, 0, 4, 0, true);
  const RunRecord b = run_replication(s, 0, 4, 0, true);
  const auto out = kpi(s, a, "peds_out_s");
  REQUIRE(out);
  CHECK(a.kpis == b.kpis);
  // The corridor's 2 m door (SFPE 1.316 x 1.7 = 2.2 p/s) is wider than the room's 1 m
  // door, so the room's door sets the pace: at least 40 people / 2 p/s (CFSM, at most
  // about 1.8 p/s through 1 m: test_peds_fd) = 20 s, plus the 20 m corridor.
  CHECK(*out >= 20.0 + 20.0 / (1.34 * 1.3));
  for (const PersonRecord& p : a.trace.people) {
    CHECK(p.out != kNever);
    CHECK(p.path_m >= 20.0);  // walked the corridor (as a macro link: its 20 m walk)
  }
}

TEST_CASE("a locked door opened later lets the people out", "[sim][peds]") {
  // Nobody can move while the only door is locked; the door event at 30 s must wake the
  // pedestrians (review finding: it did not).
  Json j = room_scenario(10, {{0, 4.5, 0, 5.5}});
  j["site"]["areas"][0]["doors"][0]["locked"] = true;
  j["incidents"][0]["pedestrians"]["door_events"] = {
      {{"at_s", 30}, {"door", "d0"}, {"state", "open"}}};
  const Scenario s = parse(j);
  const RunRecord r = run_replication(s, 0, 1, 0, true);
  const auto out = kpi(s, r, "peds_out_s");
  REQUIRE(out);
  CHECK(*out > 30.0);
  CHECK(*out < 30.0 + 40.0);  // 10 people, at most 14 m from the door
  for (const PersonRecord& p : r.trace.people) CHECK(p.out > 30000);
}
