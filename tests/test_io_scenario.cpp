// Scenario parsing and validation (docs/scenario-format.md): typed values, the exact text
// of each class of error with its JSON pointer, and survival of hostile input.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "hqdrill/io/diagnostics.hpp"
#include "hqdrill/io/scenario_io.hpp"
#include "schema_support.hpp"

using hqdrill::io::Diagnostic;
using hqdrill::io::LoadResult;
using hqdrill::io::parse_scenario;
using hqdrill::io::Severity;
using Json = nlohmann::ordered_json;

namespace {

const std::string kMinimalPath =
    std::string(HQDRILL_SOURCE_DIR) + "/tests/data/scenario_minimal.json";

const std::string& minimal_text() {
  static const std::string text = [] {
    std::ifstream in(kMinimalPath, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }();
  return text;
}

Json minimal() {
  return Json::parse(minimal_text());
}

/// The minimal scenario with one change applied, parsed.
LoadResult parse_with(const std::function<void(Json&)>& change) {
  Json j = minimal();
  change(j);
  return parse_scenario(j.dump());
}

/// "pointer: message" of each error, or of each warning.
std::vector<std::string> messages(const LoadResult& r, Severity s = Severity::error) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics.items)
    if (d.severity == s) out.push_back(d.pointer + ": " + d.message);
  return out;
}

using Lines = std::vector<std::string>;

/// The only error of a file, with the scenario withheld.
std::string only_error(const LoadResult& r) {
  const auto errors = messages(r);
  INFO("errors: " << Catch::Detail::stringify(errors));
  REQUIRE(errors.size() == 1);
  CHECK_FALSE(r.scenario);
  return errors.front();
}

/// The minimal scenario with a "close the gate" task for the guard on post, and a
/// command chain.
void add_task(Json& j) {
  j["protocols"][0]["tasks"] = Json::array(
      {{{"id", "close_gate"},
        {"name", "Đóng cổng"},
        {"owner", "guard_hq_post"},
        {"at", "hq_gate"},
        {"skills", {"first_aid"}},
        {"members", 1},
        {"duration_s", {{"dist", "triangular"}, {"min", 20}, {"mode", 40}, {"max", 90}}}}});
  j["protocols"][0]["rules"][0]["actions"].push_back({{"task", "close_gate"}});
  j["protocols"][0]["command"] = {"guard_hq_post", "head_of_guards", "police_squad_leader"};
  j["protocols"][0]["handover_s"] = {{"dist", "uniform"}, {"min", 30}, {"max", 120}};
}

}  // namespace

TEST_CASE("the minimal scenario parses into the expected typed values", "[io]") {
  const LoadResult r = hqdrill::io::load_scenario(kMinimalPath);
  INFO(Catch::Detail::stringify(messages(r))
       << Catch::Detail::stringify(messages(r, Severity::warning)));
  REQUIRE(r.diagnostics.items.empty());
  REQUIRE(r.scenario);
  const hqdrill::Scenario& s = *r.scenario;

  CHECK(s.name_en == "Minimal scenario: night alarm at the records room");
  REQUIRE(s.site.nodes.size() == 5);
  CHECK(s.site.nodes[3].id == "hq_records_room");
  CHECK(s.site.nodes[3].kind == hqdrill::NodeKind::room);
  CHECK(s.site.nodes[3].floor == 1);
  CHECK(s.site.nodes[3].elevation_m == 3.5);
  CHECK(s.site.nodes[4].site == "city");
  CHECK(s.site.nodes[0].floor == 0);  // default

  REQUIRE(s.site.edges.size() == 5);
  const hqdrill::Edge& e = s.site.edges[2];
  CHECK(e.from == 2);
  CHECK(e.to == 3);
  CHECK(e.length_m == 40);
  CHECK(e.modes == std::array<bool, 2>{true, false});  // default ["foot"]
  CHECK(e.speed_limit_mps[0] == 0.8);
  CHECK(e.door == hqdrill::DoorKind::door);
  CHECK_FALSE(e.closed_at_start);
  CHECK(s.site.edges[4].modes == std::array<bool, 2>{true, true});

  CHECK(s.mode_speed_mps[0].kind == hqdrill::DistKind::constant);
  CHECK(s.mode_speed_mps[0].a == 1.34);
  CHECK(s.mode_speed_mps[1].kind == hqdrill::DistKind::uniform);

  REQUIRE(s.units.size() == 2);
  const hqdrill::Unit& police = s.units[1];
  CHECK(police.mode == hqdrill::TravelMode::vehicle);
  CHECK(police.home == 4);
  CHECK(police.turnout_s.kind == hqdrill::DistKind::triangular);
  CHECK(police.turnout_s.c == 60);  // seconds stay seconds
  REQUIRE(police.callout_s);
  CHECK(police.callout_s->kind == hqdrill::DistKind::lognormal);
  CHECK(police.callout_s->a == Approx(std::log(600.0)));
  CHECK(police.callout_from == police.home);
  REQUIRE(police.shifts.size() == 3);
  CHECK(police.shifts[0].days == 0x1F);  // weekdays
  CHECK(police.shifts[1].days == 0xFF);  // all
  CHECK(police.shifts[1].from_min == 17 * 60);
  CHECK(police.shifts[1].to_min == 7 * 60);
  CHECK(police.shifts[1].post == hqdrill::kNone);  // the unit's home
  CHECK(police.shifts[2].days == 0xE0);            // weekend + holiday
  CHECK(s.units[0].turnout_s.a == 10);

  REQUIRE(s.posts.size() == 1);
  CHECK(s.posts[0].node == 1);
  CHECK(s.posts[0].around_the_clock);

  REQUIRE(s.roles.size() == 3);
  const hqdrill::Distribution& lead = s.roles[2].reaction_s;
  CHECK(lead.kind == hqdrill::DistKind::lognormal);
  CHECK(lead.a == Approx(std::log(30.0)));
  CHECK(lead.b == Approx(std::log(3.0) / 1.2815515655446004));

  // The bidirectional link is expanded right after its forward direction.
  REQUIRE(s.links.size() == 3);
  CHECK(s.links[0].id == "l_post_head");
  CHECK(s.links[1].id == "l_post_head~rev");
  CHECK(s.links[1].from_role == 1);
  CHECK(s.links[1].to_role == 0);
  CHECK(s.links[1].channel == hqdrill::Channel::radio);
  CHECK(s.links[2].failure_probability == 0.1);
  CHECK(s.links[2].retry_s.a == 30);
  CHECK(s.links[2].delay_s.kind == hqdrill::DistKind::normal);
  CHECK(s.links[2].delay_s.lo == 10);
  CHECK(s.links[0].max_attempts == 3);  // default

  REQUIRE(s.protocols.size() == 1);
  const hqdrill::Protocol& p = s.protocols[0];
  REQUIRE(p.rules.size() == 3);
  REQUIRE(p.rules[0].actions.size() == 3);
  CHECK(p.rules[0].actions[1].kind == hqdrill::ActionKind::notify);
  CHECK(p.rules[0].actions[1].role == 2);
  CHECK(p.rules[0].actions[2].kind == hqdrill::ActionKind::dispatch);
  CHECK(p.rules[0].actions[2].to_node == hqdrill::kNone);  // the incident's node
  CHECK(p.rules[0].actions[2].members == 1);
  CHECK(p.rules[1].actions[0].members == 0);  // all available
  CHECK(p.rules[2].actions[0].to_node == 0);

  REQUIRE(s.incidents.size() == 1);
  const hqdrill::Incident& inc = s.incidents[0];
  CHECK(inc.node == 3);
  CHECK(inc.clock.date == "2018-09-02");
  CHECK(inc.clock.start_weekday == 6);  // 2 September 2018 was a Sunday
  CHECK(inc.clock.start_minute_of_day == 120);
  CHECK(inc.clock.holiday_days == std::vector<int>{0, 1});
  CHECK(inc.detected_by == 0);
  CHECK(inc.detect_s.kind == hqdrill::DistKind::exponential);
  CHECK(inc.detect_s.a == 60);
  REQUIRE(inc.edge_events.size() == 1);
  CHECK(inc.edge_events[0].at == 300000);
  CHECK(inc.edge_events[0].edge == 3);
  CHECK(inc.edge_events[0].closed);
  CHECK(inc.primary_kpi == "all_on_scene_s");

  REQUIRE(s.targets.size() == 1);
  CHECK(s.targets[0].kpi == "on_scene_police_squad_s");
  CHECK(s.targets[0].max_value == 900);

  CHECK(s.run.seed == 20180101u);
  CHECK(s.run.runs == 50);
  CHECK(s.run.horizon == 7200000);
  CHECK(s.run.trace_sample == 5000);
}

TEST_CASE("objects with an assumption note are recorded by JSON pointer and id", "[io]") {
  const LoadResult r = hqdrill::io::load_scenario(kMinimalPath);
  REQUIRE(r.scenario);
  // The minimal scenario notes one assumption: the police squad leader's reaction.
  REQUIRE(r.scenario->assumptions.size() == 1);
  CHECK(r.scenario->assumptions[0].pointer == "/roles/2");
  CHECK(r.scenario->assumptions[0].id == "police_squad_leader");
}

TEST_CASE("optional sections take their documented defaults", "[io]") {
  const LoadResult r = parse_with([](Json& j) {
    j.erase("travel");
    j.erase("run");
    j.erase("targets");
    j.erase("calendar");
    j["incidents"][0]["start"] = {{"weekday", "tue"}, {"time", "23:59"}, {"holiday", true}};
  });
  REQUIRE(r.scenario);
  CHECK(r.scenario->mode_speed_mps[0].a == 1.34);
  CHECK(r.scenario->mode_speed_mps[1].a == 8.0);
  CHECK(r.scenario->run.seed == 1);
  CHECK(r.scenario->run.runs == 100);
  CHECK(r.scenario->run.horizon == 14400000);
  CHECK(r.scenario->targets.empty());
  const auto& clock = r.scenario->incidents[0].clock;
  CHECK(clock.start_weekday == 1);
  CHECK(clock.start_minute_of_day == 23 * 60 + 59);
  CHECK(clock.holiday_days == std::vector<int>{0});
}

TEST_CASE("holidays within 30 days of a dated start become day offsets", "[io]") {
  const LoadResult r = parse_with([](Json& j) {
    j["calendar"]["holidays"] = {"2018-08-31", "2018-09-05", "2018-10-02", "2018-10-03"};
    j["incidents"][0]["start"]["date"] = "2018-09-02";
  });
  REQUIRE(r.scenario);
  CHECK(r.scenario->incidents[0].clock.holiday_days == std::vector<int>{3, 30});
}

TEST_CASE("weekdays are computed from real calendar dates", "[io]") {
  const auto weekday = [](const char* date) {
    const LoadResult r = parse_with([&](Json& j) { j["incidents"][0]["start"]["date"] = date; });
    REQUIRE(r.scenario);
    return r.scenario->incidents[0].clock.start_weekday;
  };
  CHECK(weekday("1970-01-01") == 3);  // Thursday
  CHECK(weekday("2000-02-29") == 1);  // Tuesday
  CHECK(weekday("2024-12-31") == 1);  // Tuesday
  CHECK(weekday("1900-03-01") == 3);  // Thursday
  CHECK(weekday("0001-01-01") == 0);  // Monday (proleptic Gregorian)
}

TEST_CASE("an unknown node is an error at its pointer with a suggestion", "[io]") {
  CHECK(only_error(parse_with([](Json& j) { j["site"]["edges"][3]["to"] = "hq-yard"; })) ==
        "/site/edges/3/to: unknown node \"hq-yard\" (did you mean \"hq_yard\"?)");
  CHECK(only_error(parse_with([](Json& j) { j["forces"]["units"][0]["home"] = "nowhere"; })) ==
        "/forces/units/0/home: unknown node \"nowhere\"");
  CHECK(only_error(parse_with([](Json& j) {
          j["protocols"][0]["rules"][2]["actions"][0]["dispatch"]["to"] = "incdent";
        })) ==
        "/protocols/0/rules/2/actions/0/dispatch/to: unknown node \"incdent\" (did you "
        "mean \"incident\"?)");
  CHECK(only_error(parse_with([](Json& j) { j["roles"][0]["unit"] = "guard_hq"; })) ==
        "/roles/0/unit: unknown unit \"guard_hq\" (did you mean \"guards_hq\"?)");
  CHECK(only_error(parse_with([](Json& j) { j["incidents"][0]["protocol"] = "generic_alarm"; })) ==
        "/incidents/0/protocol: unknown protocol \"generic_alarm\" (did you mean "
        "\"generic-alarm\"?)");
  CHECK(only_error(parse_with(
            [](Json& j) { j["incidents"][0]["edge_events"][0]["edge"] = "e_gate_yrd"; })) ==
        "/incidents/0/edge_events/0/edge: unknown edge \"e_gate_yrd\" (did you mean "
        "\"e_gate_yard\"?)");
}

TEST_CASE("a duplicate id names where it first appeared", "[io]") {
  const LoadResult r = parse_with([](Json& j) {
    j["site"]["nodes"].push_back(
        {{"id", "hq_gate"}, {"kind", "gate"}, {"name", "Cổng phụ"}, {"x_m", 1}, {"y_m", 1}});
  });
  CHECK(only_error(r) == "/site/nodes/5/id: duplicate id \"hq_gate\" (first at /site/nodes/0/id)");
  CHECK(only_error(parse_with([](Json& j) { j["comms"]["links"][1]["id"] = "l_post_head"; })) ==
        "/comms/links/1/id: duplicate id \"l_post_head\" (first at /comms/links/0/id)");
  // An id refused for its spelling is reported once, not again at each reference to it.
  const LoadResult bad_id = parse_with([](Json& j) {
    j["site"]["nodes"][4]["id"] = "police station";
    j["site"]["edges"][4]["from"] = "police station";
    j["forces"]["units"][1]["home"] = "police station";
  });
  CHECK(only_error(bad_id) ==
        "/site/nodes/4/id: invalid id \"police station\" (use only letters A-Z a-z, digits and "
        "\"_\", \".\", \"-\")");
}

TEST_CASE("an edge must have a positive length and two different ends", "[io]") {
  CHECK(only_error(parse_with([](Json& j) { j["site"]["edges"][0]["length_m"] = -5; })) ==
        "/site/edges/0/length_m: must be greater than 0 (got -5)");
  CHECK(only_error(parse_with([](Json& j) { j["site"]["edges"][0]["length_m"] = 0.0; })) ==
        "/site/edges/0/length_m: must be greater than 0 (got 0.0)");
  CHECK(only_error(parse_with([](Json& j) { j["site"]["edges"][0]["to"] = "hq_gate"; })) ==
        "/site/edges/0/to: the edge joins node \"hq_gate\" to itself (\"from\" and \"to\" must "
        "differ)");
  CHECK(only_error(parse_with([](Json& j) { j["site"]["edges"][3]["modes"] = Json::array(); })) ==
        "/site/edges/3/modes: must list at least one mode");
}

TEST_CASE("an unknown key is an error with a suggestion, free-text keys are allowed", "[io]") {
  CHECK(only_error(parse_with([](Json& j) { j["roles"][2]["reacton_s"] = 3; })) ==
        "/roles/2: unknown key \"reacton_s\" (did you mean \"reaction_s\"?)");
  CHECK(only_error(parse_with([](Json& j) { j["run"]["horizon"] = 3600; })) ==
        "/run: unknown key \"horizon\" (did you mean \"horizon_s\"?)");
  CHECK(only_error(parse_with([](Json& j) { j["comms"]["links"][0]["delay_s"]["mode"] = 4; })) ==
        "/comms/links/0/delay_s: key \"mode\" does not belong to a uniform distribution");
  const LoadResult ok = parse_with([](Json& j) {
    j["assumption"] = "a";
    j["site"]["edges"][2]["door"]["source"] = "b";
    j["roles"][1]["reaction_s"]["note"] = "c";
    j["protocols"][0]["rules"][0]["actions"][2]["dispatch"]["$comment"] = "d";
    j["incidents"][0]["start"]["note"] = "e";
  });
  CHECK(messages(ok).empty());
  CHECK(only_error(parse_with([](Json& j) { j["roles"][0]["note"] = 5; })) ==
        "/roles/0/note: expected a string, got number");
}

TEST_CASE("a missing required key is named at its object", "[io]") {
  CHECK(only_error(parse_with([](Json& j) { j["site"]["nodes"][0].erase("x_m"); })) ==
        "/site/nodes/0: missing required key \"x_m\"");
  CHECK(only_error(parse_with([](Json& j) { j.erase("protocols"); })) ==
        ": missing required key \"protocols\"");
}

TEST_CASE("a value of the wrong type names the expected and the actual type", "[io]") {
  CHECK(only_error(parse_with([](Json& j) { j["run"]["runs"] = "100"; })) ==
        "/run/runs: expected an integer, got string");
  CHECK(only_error(parse_with([](Json& j) { j["run"]["runs"] = 2.5; })) ==
        "/run/runs: expected an integer, got 2.5");
  CHECK(only_error(parse_with([](Json& j) { j["site"]["nodes"][1]["x_m"] = nullptr; })) ==
        "/site/nodes/1/x_m: expected a number, got null");
  CHECK(only_error(parse_with([](Json& j) { j["site"]["nodes"] = Json::object(); })) ==
        "/site/nodes: expected an array, got object");
  CHECK(only_error(parse_with([](Json& j) { j["comms"]["links"][0]["bidirectional"] = "yes"; })) ==
        "/comms/links/0/bidirectional: expected a boolean, got string");
  CHECK(only_error(parse_with([](Json& j) { j["roles"][0]["reaction_s"] = "5"; })) ==
        "/roles/0/reaction_s: expected a number or a distribution object, got string");
  CHECK(only_error(parse_with([](Json& j) { j["run"]["runs"] = 1e12; })) ==
        "/run/runs: must be at most 2147483647 (got 1000000000000.0)");
  const LoadResult root = parse_scenario("[1, 2]");
  CHECK(only_error(root) == ": expected an object, got array");
}

TEST_CASE("a bad distribution is reported at the offending key", "[io]") {
  const auto reaction = [](Json d) {
    return parse_with([&](Json& j) { j["roles"][1]["reaction_s"] = d; });
  };
  CHECK(only_error(reaction({{"dist", "triangular"}, {"min", 10}, {"mode", 5}, {"max", 60}})) ==
        "/roles/1/reaction_s/mode: must be at least min (10) (got 5)");
  CHECK(only_error(reaction({{"dist", "uniform"}, {"min", 10}, {"max", 10}})) ==
        "/roles/1/reaction_s/max: must be greater than min (10) (got 10)");
  CHECK(only_error(reaction({{"dist", "lognorm"}, {"median", 10}, {"p90", 20}})) ==
        "/roles/1/reaction_s/dist: unknown distribution \"lognorm\" (did you mean "
        "\"lognormal\"?)");
  CHECK(only_error(reaction({{"dist", "lognormal"}, {"median", 30}, {"p90", 20}})) ==
        "/roles/1/reaction_s/p90: must be greater than median (30) (got 20)");
  CHECK(only_error(reaction({{"dist", "lognormal"}, {"median", 30}, {"sigma", 1}})) ==
        "/roles/1/reaction_s: give either \"median\" and \"p90\" or \"mu\" and \"sigma\", not "
        "both");
  CHECK(only_error(reaction({{"dist", "normal"}, {"mean", 30}, {"sd", 5}})) ==
        "/roles/1/reaction_s: a normal delay needs \"min\" (at least 0) so it cannot go "
        "negative");
  CHECK(only_error(reaction({{"dist", "normal"}, {"mean", 30}, {"sd", 0}, {"min", 0}})) ==
        "/roles/1/reaction_s/sd: must be greater than 0 (got 0)");
  CHECK(only_error(reaction({{"dist", "normal"}, {"mean", 30}, {"sd", 1}, {"min", 40}})) ==
        "/roles/1/reaction_s: the bounds keep only 7.6e-22% of this normal distribution (at "
        "least 1% needed)");
  CHECK(only_error(reaction({{"dist", "uniform"}, {"min", -1}, {"max", 10}})) ==
        "/roles/1/reaction_s/min: must be at least 0 (got -1)");
  CHECK(only_error(reaction({{"dist", "exponential"}, {"mean", 5}, {"min", 10}})) ==
        "/roles/1/reaction_s/mean: must be greater than min (10) (got 5)");
  CHECK(only_error(reaction({{"dist", "empirical"}, {"values", Json::array()}})) ==
        "/roles/1/reaction_s/values: must have at least one value");
  CHECK(only_error(reaction({{"dist", "empirical"}, {"values", {1, 2}}, {"weights", {1}}})) ==
        "/roles/1/reaction_s/weights: must have as many entries as \"values\" (2) (got 1)");
  CHECK(only_error(reaction({{"dist", "empirical"}, {"values", {1, 2}}, {"weights", {0, 0}}})) ==
        "/roles/1/reaction_s/weights: must have a positive sum");
  CHECK(only_error(reaction({{"min", 1}})) == "/roles/1/reaction_s: missing required key \"dist\"");
  CHECK(only_error(reaction(-3)) == "/roles/1/reaction_s: must be at least 0 (got -3)");
  CHECK(only_error(parse_with([](Json& j) { j["travel"]["foot"]["speed_mps"] = 0; })) ==
        "/travel/foot/speed_mps: must be greater than 0 (got 0)");

  const LoadResult empirical =
      reaction({{"dist", "empirical"}, {"values", {30, 10, 20}}, {"interpolate", true}});
  REQUIRE(empirical.scenario);
  CHECK(empirical.scenario->roles[1].reaction_s.values == std::vector<double>{10, 20, 30});
}

TEST_CASE("clock times and dates must be real", "[io]") {
  const auto shift = [](const char* key, const char* value) {
    return parse_with([&](Json& j) { j["forces"]["units"][0]["shifts"][0][key] = value; });
  };
  CHECK(only_error(shift("from", "24:00")) ==
        "/forces/units/0/shifts/0/from: \"24:00\" is allowed only as an end time");
  CHECK(only_error(shift("to", "6:00")) ==
        "/forces/units/0/shifts/0/to: invalid time \"6:00\" (expected \"HH:MM\" from 00:00 to "
        "24:00)");
  CHECK(only_error(shift("from", "12:60")) ==
        "/forces/units/0/shifts/0/from: invalid time \"12:60\" (expected \"HH:MM\" from 00:00 to "
        "23:59)");
  CHECK(shift("to", "24:00").scenario->units[0].shifts[0].to_min == 1440);
  CHECK(
      only_error(parse_with([](Json& j) { j["incidents"][0]["start"]["date"] = "2018-02-29"; })) ==
      "/incidents/0/start/date: invalid date \"2018-02-29\" (expected a calendar date "
      "\"YYYY-MM-DD\")");
  CHECK(only_error(parse_with([](Json& j) { j["calendar"]["holidays"][1] = "2018-9-3"; })) ==
        "/calendar/holidays/1: invalid date \"2018-9-3\" (expected a calendar date "
        "\"YYYY-MM-DD\")");
  CHECK(parse_with([](Json& j) { j["incidents"][0]["start"]["date"] = "2016-02-29"; }).scenario);
}

TEST_CASE("days accept the day types and the shorthands, and suggest for a typo", "[io]") {
  CHECK(only_error(parse_with([](Json& j) {
          j["forces"]["units"][1]["shifts"][0]["days"] = {"mon", "tue", "mnn"};
        })) == "/forces/units/1/shifts/0/days/2: unknown day \"mnn\" (did you mean \"mon\"?)");
  const LoadResult r = parse_with([](Json& j) {
    j["forces"]["units"][1]["shifts"][0]["days"] = {"sat", "holiday", "weekdays"};
  });
  REQUIRE(r.scenario);
  CHECK(r.scenario->units[1].shifts[0].days == 0xBF);
}

TEST_CASE("a shift's headcount may not exceed the unit's members", "[io]") {
  CHECK(only_error(
            parse_with([](Json& j) { j["forces"]["units"][1]["shifts"][0]["headcount"] = 5; })) ==
        "/forces/units/1/shifts/0/headcount: must be at most the unit's members (4) (got 5)");
}

TEST_CASE("another schema version is refused with one clear message", "[io]") {
  const LoadResult r = parse_with([](Json& j) {
    j["schema"] = "hqdrill/2";
    j["new_section_of_v2"] = Json::object();
  });
  CHECK(only_error(r) ==
        "/schema: unsupported schema version \"hqdrill/2\" (this build reads "
        "hqdrill/1)");
  CHECK(only_error(parse_with([](Json& j) { j["schema"] = "hq-drill"; })) ==
        "/schema: unknown schema \"hq-drill\" (expected \"hqdrill/1\")");
}

TEST_CASE("protocol rules need comms links and one rule per role", "[io]") {
  CHECK(only_error(parse_with([](Json& j) {
          j["protocols"][0]["rules"][1]["actions"].push_back({{"notify", "police_squad_leader"}});
        })) ==
        "/protocols/0/rules/1/actions/1/notify: no comms link from role "
        "\"head_of_guards\" to role \"police_squad_leader\"");
  CHECK(only_error(parse_with(
            [](Json& j) { j["protocols"][0]["rules"][2]["role"] = "head_of_guards"; })) ==
        "/protocols/0/rules/2/role: role \"head_of_guards\" already has a rule in this "
        "protocol (at /protocols/0/rules/1/role)");
  CHECK(only_error(parse_with([](Json& j) {
          j["protocols"][0]["rules"][0]["actions"][0]["dispatch"] = Json::object();
        })) ==
        "/protocols/0/rules/0/actions/0: an action has only one of \"notify\", "
        "\"dispatch\" or \"task\"");
  CHECK(only_error(parse_with([](Json& j) {
          j["protocols"][0]["rules"][0]["actions"][0] = {{"note", "nothing"}};
        })) ==
        "/protocols/0/rules/0/actions/0: missing required key \"notify\", \"dispatch\" or "
        "\"task\"");
}

TEST_CASE("roles may have fallback units and answer times, links an acknowledgement", "[io]") {
  const LoadResult r = parse_with([](Json& j) {
    j["roles"][1]["fallback_units"] = {"police_squad"};
    j["roles"][1]["answer_s"] = 3;
    j["roles"][1]["on_call_answer_s"] = {{"dist", "uniform"}, {"min", 30}, {"max", 90}};
    j["comms"]["links"][0]["ack_s"] = 5;
  });
  REQUIRE(r.scenario);
  const hqdrill::Role& head = r.scenario->roles[1];
  CHECK(head.fallback_units == std::vector<hqdrill::Index>{1});
  CHECK(head.answer_s.a == 3);
  REQUIRE(head.on_call_answer_s);
  CHECK(head.on_call_answer_s->kind == hqdrill::DistKind::uniform);
  CHECK_FALSE(r.scenario->roles[0].on_call_answer_s);  // absent: the engine uses answer_s
  REQUIRE(r.scenario->links[1].ack_s);                 // the reverse link has it too
  CHECK(r.scenario->links[1].ack_s->a == 5);
  CHECK_FALSE(r.scenario->links[2].ack_s);

  CHECK(only_error(parse_with([](Json& j) { j["roles"][1]["fallback_units"] = {"guards_hq"}; })) ==
        "/roles/1/fallback_units/0: unit \"guards_hq\" already holds this role");
  CHECK(
      only_error(parse_with([](Json& j) { j["roles"][1]["fallback_units"] = {"polce_squad"}; })) ==
      "/roles/1/fallback_units/0: unknown unit \"polce_squad\" (did you mean \"police_squad\"?)");
}

TEST_CASE("protocol tasks are started by their owner, who must have the skills", "[io]") {
  const LoadResult r = parse_with([](Json& j) {
    add_task(j);
    j["targets"][0]["kpi"] = "task_close_gate_done_s";
  });
  INFO(Catch::Detail::stringify(messages(r)));
  REQUIRE(r.scenario);
  const hqdrill::Protocol& p = r.scenario->protocols[0];
  REQUIRE(p.tasks.size() == 1);
  CHECK(p.tasks[0].owner == 0);
  CHECK(p.tasks[0].node == 0);
  CHECK(p.tasks[0].skills == std::vector<std::string>{"first_aid"});
  CHECK(p.tasks[0].duration_s.kind == hqdrill::DistKind::triangular);
  CHECK(p.rules[0].actions.back().kind == hqdrill::ActionKind::task);
  CHECK(p.rules[0].actions.back().task == 0);
  CHECK(p.command == std::vector<hqdrill::Index>{0, 1, 2});
  CHECK(p.handover_s.b == 120);

  CHECK(only_error(parse_with([](Json& j) {
          add_task(j);
          j["protocols"][0]["rules"][0]["actions"].erase(3);
        })) ==
        "/protocols/0/tasks/0: task \"close_gate\" is never started (no {\"task\": "
        "\"close_gate\"} action in the rule of role \"guard_hq_post\")");
  CHECK(messages(parse_with([](Json& j) {
          add_task(j);
          j["protocols"][0]["rules"][1]["actions"].push_back({{"task", "close_gate"}});
        })) == Lines{"/protocols/0/rules/1/actions/1/task: task \"close_gate\" is owned by role "
                     "\"guard_hq_post\", not by \"head_of_guards\""});
  CHECK(only_error(parse_with([](Json& j) {
          add_task(j);
          j["protocols"][0]["tasks"][0]["skills"] = {"first_aid", "gate"};
        })) ==
        "/protocols/0/tasks/0/skills/1: no unit holding role \"guard_hq_post\" has skill "
        "\"gate\" (holders: \"guards_hq\")");
  CHECK(only_error(parse_with([](Json& j) {
          add_task(j);
          j["protocols"][0]["rules"][0]["actions"][3]["task"] = "close_gte";
        })) ==
        "/protocols/0/rules/0/actions/3/task: unknown task \"close_gte\" (did you mean "
        "\"close_gate\"?)");
  CHECK(only_error(parse_with([](Json& j) {
          add_task(j);
          j["protocols"][0]["command"].push_back("guard_hq_post");
        })) ==
        "/protocols/0/command/3: role \"guard_hq_post\" is already in the command chain "
        "(at /protocols/0/command/0)");
}

TEST_CASE("a role the detecting role cannot reach through comms links is an error", "[io]") {
  const LoadResult r = parse_with([](Json& j) {
    j["comms"]["links"].erase(1);
    auto& actions = j["protocols"][0]["rules"][0]["actions"];
    actions.erase(1);
  });
  CHECK(messages(r) == Lines{"/protocols/0/rules/2/role: role \"police_squad_leader\" cannot be "
                             "reached from the detecting role \"guard_hq_post\" through any "
                             "comms link"});
  CHECK(messages(r, Severity::warning) ==
        Lines{"/roles/2: role \"police_squad_leader\" is reached by no comms link and detects no "
              "incident"});
}

TEST_CASE("an incident node no dispatched unit can reach over open edges is an error", "[io]") {
  const LoadResult r = parse_with([](Json& j) { j["site"]["edges"][2]["door"]["locked"] = true; });
  CHECK(only_error(r) ==
        "/incidents/0/node: incident node \"hq_records_room\" cannot be reached "
        "by any dispatched unit over the edges open at the start (dispatched: "
        "\"guards_hq\" on foot)");
  // A unit that cannot get there while another can is a warning.
  const LoadResult w = parse_with(
      [](Json& j) { j["protocols"][0]["rules"][2]["actions"][0]["dispatch"]["to"] = "incident"; });
  CHECK(messages(w).empty());
  CHECK(messages(w, Severity::warning) ==
        Lines{"/protocols/0/rules/2/actions/0: unit \"police_squad\" by vehicle cannot reach "
              "incident node \"hq_records_room\" over the edges open at the start"});
}

TEST_CASE("a node no unit can reach at all is a warning", "[io]") {
  const LoadResult r = parse_with([](Json& j) {
    j["site"]["nodes"].push_back(
        {{"id", "hydrant_1"}, {"kind", "hydrant"}, {"name", "Trụ nước"}, {"x_m", 5}, {"y_m", 5}});
  });
  CHECK(messages(r).empty());
  CHECK(messages(r, Severity::warning) ==
        Lines{"/site/nodes/5: no unit can reach node \"hydrant_1\" over any edge"});
}

TEST_CASE("a 24/24 post with a gap in its roster yields a warning naming the gap", "[io]") {
  // No night shift starts on Sunday: Sunday evening is short, and so is the morning
  // after it, a Monday or (a holiday may follow any weekday) a holiday.
  const LoadResult r = parse_with([](Json& j) {
    auto& shifts = j["forces"]["units"][0]["shifts"];
    shifts[2]["days"] = {"mon", "tue", "wed", "thu", "fri", "sat", "holiday"};
  });
  REQUIRE(r.scenario);  // a warning, not an error
  CHECK(messages(r, Severity::warning) ==
        Lines{"/forces/posts/0: post \"hq_guard_booth\" is declared 24/24 but has 0 of 1 on duty "
              "on mon, holiday 00:00–06:00",
              "/forces/posts/0: post \"hq_guard_booth\" is declared 24/24 but has 0 of 1 on duty "
              "on sun 22:00–24:00"});
  CHECK(hqdrill::io::format("s.json", r.diagnostics.items[0]) ==
        "s.json: /forces/posts/0: warning: post \"hq_guard_booth\" is declared 24/24 but has 0 of "
        "1 on duty on mon, holiday 00:00–06:00");

  // On-call members are off site; min_headcount counts people.
  const LoadResult two = parse_with([](Json& j) {
    j["forces"]["posts"][0]["min_headcount"] = 2;
    j["forces"]["units"][0]["shifts"][1]["headcount"] = 2;
    j["forces"]["units"][0]["shifts"][1]["to"] = "24:00";
    j["forces"]["units"][0]["shifts"][2]["from"] = "00:00";
    j["forces"]["units"][0]["shifts"][2]["headcount"] = 2;
    j["forces"]["units"][0]["shifts"][0]["on_call"] = true;
  });
  CHECK(messages(two, Severity::warning) ==
        Lines{"/forces/posts/0: post \"hq_guard_booth\" is declared 24/24 but has 0 of 2 on duty "
              "on mon, tue, wed, thu, fri, sat, sun, holiday 06:00–14:00"});
}

TEST_CASE("all errors of a file are reported at once, in document order", "[io]") {
  const LoadResult r = parse_with([](Json& j) {
    j["run"]["runs"] = 0;
    j["roles"][2]["reacton_s"] = 3;
    j["site"]["edges"][3]["to"] = "hq-yard";
  });
  CHECK(messages(r) == Lines{"/site/edges/3/to: unknown node \"hq-yard\" (did you mean "
                             "\"hq_yard\"?)",
                             "/roles/2: unknown key \"reacton_s\" (did you mean \"reaction_s\"?)",
                             "/run/runs: must be at least 1 (got 0)"});
  CHECK_FALSE(r.scenario);
}

TEST_CASE("every truncated prefix of a valid scenario yields an error and no crash", "[io]") {
  const std::string& text = minimal_text();
  const std::size_t end = text.find_last_not_of(" \n\r\t") + 1;  // shorter is invalid JSON
  for (std::size_t n = 0; n < end; ++n) {
    const LoadResult r = parse_scenario(text.substr(0, n));
    if (!r.diagnostics.has_errors() || r.scenario) FAIL("prefix of " << n << " bytes accepted");
  }
  CHECK(only_error(parse_scenario("")) ==
        ": invalid JSON at line 1, column 1 (byte 0): syntax error while parsing value - "
        "unexpected end of input; expected '[', '{', or a literal");
}

TEST_CASE("random bytes and deep nesting yield an error and no crash", "[io]") {
  std::mt19937 gen(20180902);  // the engine of std::mt19937 is specified: same bytes everywhere
  for (int i = 0; i < 300; ++i) {
    std::string bytes(gen() % 2000, '\0');
    for (char& c : bytes) c = static_cast<char>(gen() & 0xFF);
    const LoadResult r = parse_scenario(bytes);
    if (!r.diagnostics.has_errors() || r.scenario) FAIL("random input " << i << " accepted");
  }
  // Bytes of the valid file flipped at random: anything may come out, but never a crash.
  const std::string& text = minimal_text();
  for (int i = 0; i < 300; ++i) {
    std::string mutated = text;
    for (int k = 0; k < 3; ++k) mutated[gen() % mutated.size()] = static_cast<char>(gen() & 0xFF);
    const LoadResult r = parse_scenario(mutated);
    CHECK((r.diagnostics.has_errors() != r.scenario.has_value()));
  }
  CHECK(only_error(parse_scenario(std::string(100000, '['))) ==
        ": invalid JSON: nested deeper than 256 levels (byte 256)");
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  CHECK(parse_scenario(objects).diagnostics.has_errors());
  CHECK(only_error(parse_scenario("{\"schema\": 1e999}")) ==
        ": invalid JSON: number overflow parsing '1e999'");
  CHECK(only_error(parse_scenario("{\"name\": \"\xff\"}")).rfind(": invalid JSON at line 1", 0) ==
        0);
  const std::string bad_utf8 = only_error(parse_scenario("{\"name\": \"\xff\"}"));
  CHECK(bad_utf8.find('\xff') == std::string::npos);  // messages stay valid UTF-8
}

TEST_CASE("any value replaced by a value of another type never crashes", "[io]") {
  Json base = minimal();  // with every optional feature, so each is fuzzed too
  add_task(base);
  base["roles"][1]["fallback_units"] = {"police_squad"};
  base["roles"][1]["on_call_answer_s"] = {{"dist", "empirical"}, {"values", {30, 60}}};
  base["comms"]["links"][0]["ack_s"] = 5;
  REQUIRE(parse_scenario(base.dump()).scenario);
  std::vector<Json::json_pointer> pointers;
  std::function<void(const Json&, const Json::json_pointer&)> walk =
      [&](const Json& j, const Json::json_pointer& p) {
        if (!p.empty()) pointers.push_back(p);
        if (j.is_object())
          for (const auto& [k, v] : j.items()) walk(v, p / k);
        else if (j.is_array())
          for (std::size_t i = 0; i < j.size(); ++i) walk(j[i], p / i);
      };
  walk(base, Json::json_pointer());
  REQUIRE(pointers.size() > 200);
  const std::vector<Json> replacements{nullptr, -1, 1e308, "x", Json::array(), Json::object()};
  for (const auto& p : pointers)
    for (const Json& value : replacements) {
      Json j = base;
      j[p] = value;
      const LoadResult r = parse_scenario(j.dump());
      CHECK((r.diagnostics.has_errors() != r.scenario.has_value()));
      for (const Diagnostic& d : r.diagnostics.items)
        if (d.message.empty() || (!d.pointer.empty() && d.pointer[0] != '/'))
          FAIL("bad diagnostic at " << p.to_string() << ": " << d.pointer << ": " << d.message);
    }
}

TEST_CASE("an unreadable file is an error at the document with the OS reason", "[io]") {
  const LoadResult r = hqdrill::io::load_scenario("/nonexistent/dir/scenario.json");
  CHECK(only_error(r) == ": cannot open the file: No such file or directory");
  const LoadResult dir = hqdrill::io::load_scenario(HQDRILL_SOURCE_DIR);
  CHECK(only_error(dir) == ": cannot read the file: Is a directory");
}

TEST_CASE("diagnostics format as file, pointer and message", "[io]") {
  using hqdrill::io::format;
  CHECK(format("site.json", {Severity::error, "/site/edges/3/to", "unknown node \"gate-2\""}) ==
        "site.json: /site/edges/3/to: unknown node \"gate-2\"");
  CHECK(format("site.json", {Severity::warning, "/roles/1", "unused"}) ==
        "site.json: /roles/1: warning: unused");
  CHECK(format("site.json", {Severity::error, "", "invalid JSON"}) == "site.json: invalid JSON");
}

TEST_CASE("suggestions come from the edit distance within a third of the word", "[io]") {
  using hqdrill::io::did_you_mean;
  using hqdrill::io::levenshtein;
  CHECK(levenshtein("kitten", "sitting") == 3);
  CHECK(levenshtein("", "abc") == 3);
  CHECK(levenshtein("gate-2", "gate_2") == 1);
  CHECK(did_you_mean("gate-2", {"hq_gate", "gate_2", "gate_3"}) == "gate_2");
  CHECK(did_you_mean("reacton_s", {"id", "name", "reaction_s"}) == "reaction_s");
  CHECK(did_you_mean("police", {"hq_guard_booth", "hq_gate"}).empty());
  CHECK(did_you_mean("ab", {"xy"}) == "xy");  // two edits are always allowed
  CHECK(did_you_mean(std::string(1000, 'a'), {std::string(1000, 'a') + "b"}).empty());
}

TEST_CASE("a target must name a KPI its incident measures", "[io]") {
  // notified_<role>_s exists for every role somewhere, but the minimal incident's
  // protocol does not involve this made-up unit: the target would be silently ignored.
  const auto other_incident = parse_with([](Json& j) {
    j["forces"]["units"].push_back(j["forces"]["units"][0]);
    j["forces"]["units"].back()["id"] = "spare_unit";
    j["targets"][0]["kpi"] = "on_scene_spare_unit_s";
  });
  CHECK(only_error(other_incident) ==
        "/targets/0/kpi: KPI \"on_scene_spare_unit_s\" is not measured in incident "
        "\"night-alarm-records\"");
  const auto anywhere = parse_with([](Json& j) {
    j["forces"]["units"].push_back(j["forces"]["units"][0]);
    j["forces"]["units"].back()["id"] = "spare_unit";
    j["targets"][0].erase("incident");
    j["targets"][0]["kpi"] = "on_scene_spare_unit_s";
  });
  CHECK(only_error(anywhere) ==
        "/targets/0/kpi: KPI \"on_scene_spare_unit_s\" is not measured in any incident");
}

// ---------------------------------------------------------------- walkable areas

namespace {

/// The minimal scenario with two walkable areas round the records room: the room
/// (8 m x 6 m) opens through a 1 m door into a hall (10 m x 6 m) that touches it, whose
/// 2 m door leads outside; ten staff in the room leave when the alarm sounds.
void add_areas(Json& j) {
  j["site"]["areas"] = Json::parse(R"([
    {"id": "records", "node": "hq_records_room", "kind": "room", "name": "Phòng lưu trữ",
     "outline": [[50, 27], [58, 27], [58, 33], [50, 33]],
     "doors": [{"id": "records_door", "a": [50, 29.5], "b": [50, 30.5], "to": "hall"}]},
    {"id": "hall", "node": "hq_yard", "kind": "hall", "fidelity": "micro",
     "outline": [[40, 27], [50, 27], [50, 33], [40, 33]],
     "holes": [[[44, 29], [45, 29], [45, 30], [44, 30]]],
     "doors": [{"id": "hall_exit", "a": [40, 29], "b": [40, 31], "kind": "gate"}]}
  ])");
  j["incidents"][0]["pedestrians"] = Json::parse(R"({
    "groups": [{"id": "staff", "area": "records", "count": 10,
                "pre_movement_s": {"dist": "lognormal", "median": 60, "p90": 120}}],
    "door_events": [{"at_s": 600, "door": "hall_exit", "state": "closed"}]
  })");
}

}  // namespace

TEST_CASE("walkable areas parse with their doors, connections and floor areas", "[io][peds]") {
  const LoadResult r = parse_with([](Json& j) {
    add_areas(j);
    j["targets"].push_back({{"kpi", "peds_out_staff_s"}, {"max_s", 300}});
  });
  INFO(Catch::Detail::stringify(messages(r)));
  REQUIRE(r.scenario);
  const hqdrill::Scenario& s = *r.scenario;
  REQUIRE(s.site.areas.size() == 2);
  const hqdrill::Area& room = s.site.areas[0];
  CHECK(room.area_m2 == Approx(48.0));  // 8 x 6
  CHECK(room.fidelity == hqdrill::Fidelity::micro);
  REQUIRE(room.doors.size() == 1);
  CHECK(room.doors[0].to_area == 1);
  CHECK(room.doors[0].to_door == hqdrill::kNone);
  const hqdrill::Area& hall = s.site.areas[1];
  CHECK(hall.area_m2 == Approx(59.0));  // 10 x 6 minus the 1 m² pillar
  CHECK(hall.kind == hqdrill::AreaKind::hall);
  CHECK(hall.doors[0].to_area == hqdrill::kNone);  // outside by default
  CHECK(hall.doors[0].kind == hqdrill::DoorKind::gate);
  const hqdrill::Incident& inc = s.incidents[0];
  REQUIRE(inc.ped_groups.size() == 1);
  CHECK(inc.ped_groups[0].count == 10);
  CHECK(inc.ped_groups[0].after_alarm);
  REQUIRE(inc.door_events.size() == 1);
  CHECK(inc.door_events[0].at == 600000);
  CHECK(inc.door_events[0].area == 1);
  CHECK(inc.door_events[0].door == 0);
  CHECK(inc.door_events[0].closed);
}

TEST_CASE("bad walkable areas are reported at their pointers", "[io][peds]") {
  SECTION("a door off the boundary") {
    const LoadResult r = parse_with([](Json& j) {
      add_areas(j);
      j["site"]["areas"][1]["doors"][0]["a"] = {41, 29};
    });
    CHECK(only_error(r) ==
          "/site/areas/1: area \"hall\": door \"hall_exit\" does not lie on the outline or a hole "
          "edge");
  }
  SECTION("a door into an area it does not touch") {
    const LoadResult r = parse_with([](Json& j) {
      add_areas(j);
      j["site"]["areas"][0]["doors"][0]["a"] = {58, 29.5};
      j["site"]["areas"][0]["doors"][0]["b"] = {58, 30.5};
    });
    CHECK(only_error(r) ==
          "/site/areas/0/doors/0: door \"records_door\" leads into area \"hall\" but does not "
          "lie on its boundary (areas that are apart are joined with \"edge\" and \"to_door\")");
  }
  SECTION("an unknown area to lead into") {
    const LoadResult r = parse_with([](Json& j) {
      add_areas(j);
      j["site"]["areas"][0]["doors"][0]["to"] = "hal";
    });
    CHECK(only_error(r) ==
          "/site/areas/0/doors/0/to: unknown area (or \"outside\") \"hal\" (did you mean "
          "\"hall\"?)");
  }
  SECTION("areas apart need an edge that joins their nodes") {
    const LoadResult r = parse_with([](Json& j) {
      add_areas(j);
      j["site"]["areas"][0]["doors"][0]["to_door"] = "hall_exit";
      j["site"]["areas"][0]["doors"][0]["edge"] = "e_gate_booth";
    });
    CHECK(only_error(r) ==
          "/site/areas/0/doors/0/edge: edge \"e_gate_booth\" does not join the nodes of areas "
          "\"records\" and \"hall\" (\"hq_records_room\", \"hq_yard\")");
  }
  SECTION("a door id used twice") {
    const LoadResult r = parse_with([](Json& j) {
      add_areas(j);
      j["site"]["areas"][0]["doors"][0]["id"] = "hall_exit";
    });
    CHECK(only_error(r) ==
          "/site/areas/1/doors/0/id: duplicate door id \"hall_exit\" (door ids are unique "
          "over all areas)");
  }
  SECTION("more people than can stand in the area") {
    const LoadResult r = parse_with([](Json& j) {
      add_areas(j);
      j["incidents"][0]["pedestrians"]["groups"][0]["count"] = 300;
    });
    CHECK(only_error(r) ==
          "/incidents/0/pedestrians/groups/0/count: 300 people in area \"records\" (48 m²) is "
          "6.25 /m², above the jam density 5.4 /m² (Weidmann 1993)");
  }
  SECTION("a door event naming an unknown door") {
    const LoadResult r = parse_with([](Json& j) {
      add_areas(j);
      j["incidents"][0]["pedestrians"]["door_events"][0]["door"] = "hall_exti";
    });
    CHECK(only_error(r) ==
          "/incidents/0/pedestrians/door_events/0/door: unknown door \"hall_exti\" (did you "
          "mean \"hall_exit\"?)");
  }
  SECTION("a point is two numbers") {
    const LoadResult r = parse_with([](Json& j) {
      add_areas(j);
      j["site"]["areas"][0]["outline"][1] = {58, 27, 3};
    });
    CHECK(only_error(r) == "/site/areas/0/outline/1: a point is [x, y] in metres (got 3 numbers)");
  }
  SECTION("a door between touching areas listed in both") {
    const LoadResult r = parse_with([](Json& j) {
      add_areas(j);
      j["site"]["areas"][1]["doors"].push_back(
          {{"id", "hall_records"}, {"a", {50, 29.5}}, {"b", {50, 30.5}}, {"to", "records"}});
    });
    CHECK(only_error(r) ==
          "/site/areas/1/doors/1: door \"hall_records\" is door \"records_door\" of area "
          "\"records\" again: list a door between touching areas in one of them only");
  }
  SECTION("a door into a macro area no wider than its boundary layers") {
    const LoadResult r = parse_with([](Json& j) {
      add_areas(j);
      j["site"]["areas"][1]["fidelity"] = "macro";
      j["site"]["areas"][0]["doors"][0]["a"] = {50, 29.9};
      j["site"]["areas"][0]["doors"][0]["b"] = {50, 30.1};
    });
    CHECK(only_error(r) ==
          "/site/areas/0/doors/0: door \"records_door\" leads into a macro area and must be wider "
          "than 0.3 m (the SFPE boundary layers, 0.15 m each side, leave it no effective width)");
  }
  SECTION("a group in an area with no way outside is warned about") {
    const LoadResult r = parse_with([](Json& j) {
      add_areas(j);
      j["site"]["areas"][1]["doors"] = Json::array();
      j["incidents"][0]["pedestrians"].erase("door_events");  // they name the removed door
    });
    REQUIRE(r.scenario);
    CHECK(messages(r, Severity::warning) ==
          Lines{"/incidents/0/pedestrians/groups/0/area: area \"records\" has no way outside "
                "through doors: this group can never get out (no door \"to\": \"outside\" is "
                "reachable)"});
  }
  SECTION("a KPI of a group that does not exist") {
    const LoadResult r = parse_with([](Json& j) {
      add_areas(j);
      j["targets"].push_back({{"kpi", "peds_out_staf_s"}, {"max_s", 300}});
    });
    CHECK(only_error(r) ==
          "/targets/1/kpi: unknown KPI \"peds_out_staf_s\" (did you mean \"peds_out_staff_s\"?)");
  }
}

TEST_CASE("measurement areas and lines make KPIs, and targets on them take \"max\"", "[io][peds]") {
  auto with_measures = [](Json& j) {
    add_areas(j);
    j["site"]["measurements"] = Json::parse(R"({
      "areas": [{"id": "at_door", "area": "hall", "polygon": [[40, 28], [42, 28], [42, 32], [40, 32]]}],
      "lines": [{"id": "exit_line", "area": "hall", "a": [41, 31], "b": [41, 29], "pressure": true}]})");
  };
  SECTION("parsed, with a target in people per m²") {
    const LoadResult r = parse_with([&](Json& j) {
      with_measures(j);
      j["targets"].push_back({{"kpi", "peak_density_at_door_ppm2"}, {"max", 4}});
      j["targets"].push_back({{"kpi", "peak_pressure_exit_line_npm"}, {"max", 1000}});
    });
    INFO(Catch::Detail::stringify(messages(r)));
    REQUIRE(r.scenario);
    REQUIRE(r.scenario->site.measure_areas.size() == 1);
    CHECK(r.scenario->site.measure_areas[0].area_m2 == Approx(8.0));
    REQUIRE(r.scenario->site.measure_lines.size() == 1);
    CHECK(r.scenario->site.measure_lines[0].pressure);
    CHECK(r.scenario->targets.back().max_value == 1000);
  }
  SECTION("a time bound on a density is refused") {
    const LoadResult r = parse_with([&](Json& j) {
      with_measures(j);
      j["targets"].push_back({{"kpi", "peak_density_at_door_ppm2"}, {"max_s", 4}});
    });
    CHECK(only_error(r) ==
          "/targets/1/max_s: KPI \"peak_density_at_door_ppm2\" is in /m², not seconds: use "
          "\"max\"");
  }
  SECTION("a target needs exactly one bound") {
    const LoadResult r = parse_with([&](Json& j) { j["targets"][0].erase("max_s"); });
    CHECK(only_error(r) ==
          "/targets/0: give the target's bound as \"max_s\" (a time KPI) or \"max\" (in the "
          "KPI's unit), exactly one");
  }
  SECTION("a line without length") {
    const LoadResult r = parse_with([&](Json& j) {
      with_measures(j);
      j["site"]["measurements"]["lines"][0]["b"] = {41, 31};
    });
    CHECK(only_error(r) == "/site/measurements/lines/0/b: the line has no length");
  }
}

namespace {

/// The minimal scenario turned into a crowd complaint: a micro area in front of the main
/// gate (20 m x 10 m) whose 4 m gate leads into the yard behind it (micro), a macro area
/// in front of the reception office where a group gathers before it marches to the gate,
/// two measurement areas in front of the gate, and tasks to close the gate and receive
/// the citizens' representatives.
void add_crowd(Json& j) {
  j["site"]["areas"] = Json::parse(R"([
    {"id": "gate_front", "node": "hq_gate", "kind": "street",
     "outline": [[-10, -10], [10, -10], [10, 0], [-10, 0]],
     "doors": [{"id": "gate_main", "a": [-2, 0], "b": [2, 0], "kind": "gate", "to": "gate_yard"},
               {"id": "gf_east", "a": [10, -6], "b": [10, -4]}]},
    {"id": "gate_yard", "node": "hq_yard", "kind": "yard",
     "outline": [[-10, 0], [10, 0], [10, 10], [-10, 10]]},
    {"id": "rcp_front", "node": "hq_guard_booth", "kind": "waiting", "fidelity": "macro",
     "outline": [[20, -10], [40, -10], [40, 0], [20, 0]],
     "doors": [{"id": "rcp_out", "a": [20, -6], "b": [20, -4]}]}
  ])");
  j["site"]["measurements"] = Json::parse(R"({"areas": [
    {"id": "m_gate_front", "area": "gate_front", "polygon": [[-4, -3], [4, -3], [4, 0], [-4, 0]]},
    {"id": "m_street", "area": "gate_front", "polygon": [[-10, -10], [10, -10], [10, -8], [-10, -8]]}
  ]})");
  j["forces"]["units"][1]["reinforcement"] = true;
  Json& pr = j["protocols"][0];
  pr["incident_type"] = "crowd_complaint";
  pr["tasks"] = Json::parse(R"([
    {"id": "close_main_gate", "name": "Đóng cổng chính", "owner": "guard_hq_post", "at": "hq_gate"},
    {"id": "receive_citizens", "name": "Tiếp đại diện", "owner": "head_of_guards", "at": "hq_gate",
     "duration_s": 60}
  ])");
  pr["rules"][0]["actions"].push_back({{"task", "close_main_gate"}});
  pr["rules"][1]["actions"].push_back({{"task", "receive_citizens"}});
  Json& inc = j["incidents"][0];
  inc["type"] = "crowd_complaint";
  inc["commitments"] = Json::parse(
      R"([{"unit": "police_squad", "members": 2, "from_s": 0, "to_s": 3600, "note": "escort khách A"}])");
  inc["crowd"] = Json::parse(R"({
    "groups": [
      {"id": "dan_xa_A", "count": 200, "arrive_s": {"dist": "uniform", "min": 0, "max": 1200},
       "area": "rcp_front", "speed_mps": {"dist": "normal", "mean": 1.2, "sd": 0.2, "min": 0.5},
       "march": {"share": 0.4, "after_s": {"dist": "lognormal", "median": 2400, "p90": 4800},
                 "door": "gf_east"}},
      {"id": "dan_xa_B", "count": {"dist": "uniform", "min": 20, "max": 40}, "area": "gate_front",
       "door": "gf_east", "mode": "sit_in", "radius_m": 0.3}],
    "behaviour": {"legitimacy": 0.9, "arrest_k": 2.3, "threshold": 0.1, "gate_loss": 0.05,
                  "push_speed_mps": 2.5, "disperse_s": 900, "source": "Epstein 2002 for k and T",
                  "assumption": "the rest"},
    "gate": {"area": "gate_front", "door": "gate_main", "node": "hq_gate",
             "closed_by_task": "close_main_gate", "capacity_npm": 3000, "breach_after_s": 5,
             "defender_units": ["police_squad", "guards_hq"], "measure_area": "m_gate_front",
             "assumption": "BS 6180 crowd level for a gate"},
    "cordon": {"spacing_m": 1.5, "crowd_per_defender": 8},
    "dialogue": {"task": "receive_citizens", "representatives": 5, "duration_s": 1200},
    "street": {"measure_area": "m_street", "block_density_ppm2": 1.5},
    "micro_dt_s": 0.04})");
}

/// The crowd scenario with one change applied, parsed.
LoadResult crowd_with(const std::function<void(Json&)>& change) {
  return parse_with([&](Json& j) {
    add_crowd(j);
    change(j);
  });
}

Json& crowd_of(Json& j) {
  return j["incidents"][0]["crowd"];
}

/// True when `line` is among the errors (or warnings) of r; prints them otherwise.
bool reports(const LoadResult& r, const std::string& line, Severity s = Severity::error) {
  const auto all = messages(r, s);
  INFO("reported: " << Catch::Detail::stringify(all));
  const bool found = std::find(all.begin(), all.end(), line) != all.end();
  CHECK(found);
  return found;
}

}  // namespace

TEST_CASE("a crowd complaint parses with its groups, behaviour, gate and dialogue", "[io]") {
  const LoadResult r = crowd_with([](Json&) {});
  INFO(Catch::Detail::stringify(messages(r))
       << Catch::Detail::stringify(messages(r, Severity::warning)));
  REQUIRE(r.diagnostics.items.empty());
  REQUIRE(r.scenario);
  const hqdrill::Scenario& s = *r.scenario;
  CHECK(s.units[1].reinforcement);
  CHECK_FALSE(s.units[0].reinforcement);  // default
  const hqdrill::Incident& inc = s.incidents[0];
  CHECK(inc.type == "crowd_complaint");
  CHECK(inc.peds.model == hqdrill::peds::ModelKind::social_force);
  REQUIRE(inc.commitments.size() == 1);
  CHECK(inc.commitments[0].unit == 1);
  CHECK(inc.commitments[0].members == 2);
  CHECK(inc.commitments[0].from == 0);
  CHECK(inc.commitments[0].to == 3600000);
  CHECK(inc.commitments[0].note == "escort khách A");

  REQUIRE(inc.crowd);
  const hqdrill::CrowdDef& c = *inc.crowd;
  REQUIRE(c.groups.size() == 2);
  const hqdrill::CrowdGroup& a = c.groups[0];
  CHECK(a.id == "dan_xa_A");
  CHECK(a.count.kind == hqdrill::DistKind::constant);
  CHECK(a.count.a == 200);
  CHECK(a.arrive_s.kind == hqdrill::DistKind::uniform);
  CHECK(a.arrive_s.b == 1200);
  CHECK(a.area == 2);
  CHECK(a.door == hqdrill::kNone);
  CHECK(a.speed_mps.kind == hqdrill::DistKind::normal);
  CHECK(a.speed_mps.lo == 0.5);
  CHECK(a.radius_m == 0.25);  // default
  CHECK_FALSE(a.sit_in);      // "rally" by default
  CHECK(a.march_share == 0.4);
  CHECK(a.march_after_s.kind == hqdrill::DistKind::lognormal);
  CHECK(a.march_after_s.a == Approx(std::log(2400.0)));
  CHECK(a.march_door == 1);  // gf_east, the second door of the gate area
  CHECK(a.march_cancel_on_dialogue);
  const hqdrill::CrowdGroup& b = c.groups[1];
  CHECK(b.count.kind == hqdrill::DistKind::uniform);
  CHECK(b.area == 0);
  CHECK(b.door == 1);
  CHECK(b.sit_in);
  CHECK(b.radius_m == 0.3);
  CHECK(b.speed_mps.a == 1.2);  // default
  CHECK(b.march_share == 0);
  CHECK(b.march_door == hqdrill::kNone);

  const hqdrill::AgitationParams& ag = c.behaviour.agitation;
  CHECK(ag.legitimacy == 0.9);
  CHECK(ag.k == 2.3);
  CHECK(ag.threshold == 0.1);
  CHECK(ag.gate_loss == 0.05);
  CHECK(ag.line_loss == 0.03);  // default
  CHECK(c.behaviour.push_speed_mps == 2.5);
  CHECK(c.behaviour.vision_m == 10);  // default
  CHECK(c.behaviour.disperse_s.a == 900);

  const hqdrill::CrowdGate& g = c.gate;
  CHECK(g.area == 0);
  CHECK(g.door == 0);
  CHECK(g.inside_area == 1);  // where the gate leads
  CHECK(g.node == 0);
  CHECK(g.closed_by_task == 0);
  CHECK(g.rule.capacity_npm == 3000);
  CHECK(g.rule.defender_hold_n == 320);  // default
  CHECK(g.rule.after_s == 5);
  CHECK(g.defender_units == std::vector<hqdrill::Index>{1, 0});
  CHECK(g.measure_area == 0);

  CHECK(c.cordon_spacing_m == 1.5);
  CHECK(c.cordon_crowd_per_defender == 8);
  CHECK(c.dialogue_task == 1);
  CHECK(c.representatives == 5);
  CHECK(c.dialogue_s.a == 1200);
  CHECK(c.street_measure_area == 1);
  CHECK(c.block_density_ppm2 == 1.5);
  CHECK(c.micro_dt_s == 0.04);
}

TEST_CASE("a crowd needs the crowd_complaint type, and that type needs a crowd", "[io]") {
  CHECK(only_error(crowd_with([](Json& j) {
          j["incidents"][0]["type"] = "generic";
          j["protocols"][0]["incident_type"] = "generic";
        })) ==
        "/incidents/0/crowd: \"crowd\" belongs to incidents of type \"crowd_complaint\" "
        "(this one is \"generic\")");
  CHECK(only_error(crowd_with([](Json& j) { j["incidents"][0].erase("crowd"); })) ==
        "/incidents/0: an incident of type \"crowd_complaint\" needs \"crowd\" (its groups and "
        "the defended gate)");
  CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["groups"] = Json::array(); })) ==
        "/incidents/0/crowd/groups: must list at least one group");
  CHECK(only_error(crowd_with([](Json& j) { crowd_of(j).erase("gate"); })) ==
        "/incidents/0/crowd: missing required key \"gate\"");
  CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["gates"] = Json::array(); })) ==
        "/incidents/0/crowd: unknown key \"gates\" (did you mean \"gate\"?)");
}

TEST_CASE("the gate of a crowd complaint is walked with the social-force model", "[io]") {
  SECTION("an explicit cfsm is refused") {
    const LoadResult r = crowd_with([](Json& j) {
      j["incidents"][0]["pedestrians"] = Json::parse(
          R"({"groups": [{"id": "staff", "area": "gate_yard", "count": 5}], "model": "cfsm"})");
    });
    CHECK(only_error(r) ==
          "/incidents/0/pedestrians/model: a \"crowd_complaint\" incident walks with the "
          "social-force model (the load on the gate needs contact forces): use \"social_force\" "
          "or leave \"model\" out");
  }
  SECTION("the gate area must be micro") {
    const LoadResult r = crowd_with([](Json& j) {
      j["site"]["areas"][0]["fidelity"] = "macro";
      crowd_of(j)["groups"][1].erase("door");
    });
    CHECK(reports(r,
                  "/incidents/0/crowd/gate/area: area \"gate_front\" is a macro area: the gate "
                  "area must be micro (the crowd at the gate is walked with the social-force "
                  "model)"));
  }
  SECTION("the area inside the gate must be micro") {
    const LoadResult r = crowd_with([](Json& j) { j["site"]["areas"][1]["fidelity"] = "macro"; });
    CHECK(only_error(r) ==
          "/incidents/0/crowd/gate/door: area \"gate_yard\", inside the gate, is a macro area: it "
          "must be micro (the crowd comes through the gate one by one)");
  }
  SECTION("inside_area must be where the gate leads") {
    const LoadResult r =
        crowd_with([](Json& j) { crowd_of(j)["gate"]["inside_area"] = "rcp_front"; });
    CHECK(only_error(r) ==
          "/incidents/0/crowd/gate/inside_area: must be the area gate "
          "\"gate_main\" leads into, \"gate_yard\" (got \"rcp_front\")");
    const LoadResult same =
        crowd_with([](Json& j) { crowd_of(j)["gate"]["inside_area"] = "gate_yard"; });
    REQUIRE(same.scenario);
    CHECK(same.scenario->incidents[0].crowd->gate.inside_area == 1);
  }
  SECTION("the gate must lead into an area that touches") {
    CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["gate"]["door"] = "gf_east"; })) ==
          "/incidents/0/crowd/gate/door: gate \"gf_east\" leads outside: the defended gate must "
          "lead into the compound, an area that touches area \"gate_front\" (give the door "
          "\"to\")");
    CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["gate"]["door"] = "gate_mian"; })) ==
          "/incidents/0/crowd/gate/door: unknown door of area \"gate_front\" \"gate_mian\" (did "
          "you mean \"gate_main\"?)");
    CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["gate"]["door"] = "rcp_out"; })) ==
          "/incidents/0/crowd/gate/door: door \"rcp_out\" is a door of area \"rcp_front\", not of "
          "area \"gate_front\"");
  }
  SECTION("gate references: area, task, units, measurement area") {
    CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["gate"]["area"] = "gate_fron"; })) ==
          "/incidents/0/crowd/gate/area: unknown area \"gate_fron\" (did you mean "
          "\"gate_front\"?)");
    CHECK(only_error(crowd_with(
              [](Json& j) { crowd_of(j)["gate"]["closed_by_task"] = "close_main_gat"; })) ==
          "/incidents/0/crowd/gate/closed_by_task: unknown task of protocol "
          "\"generic-alarm\" \"close_main_gat\" (did you mean \"close_main_gate\"?)");
    CHECK(only_error(crowd_with([](Json& j) {
            crowd_of(j)["gate"]["defender_units"] = {"police_squad", "police_squad"};
          })) ==
          "/incidents/0/crowd/gate/defender_units/1: unit \"police_squad\" is already a "
          "defender (at /incidents/0/crowd/gate/defender_units/0)");
    CHECK(only_error(crowd_with([](Json& j) {
            j["site"]["measurements"]["areas"][1]["area"] = "gate_yard";
            j["site"]["measurements"]["areas"][1]["polygon"] = {{-2, 2}, {2, 2}, {2, 4}, {-2, 4}};
          })) ==
          "/incidents/0/crowd/street/measure_area: measurement area \"m_street\" lies in "
          "area \"gate_yard\", not in the gate area \"gate_front\"");
    CHECK(only_error(
              crowd_with([](Json& j) { crowd_of(j)["gate"]["measure_area"] = "m_gate_fron"; })) ==
          "/incidents/0/crowd/gate/measure_area: unknown measurement area \"m_gate_fron\" (did "
          "you mean \"m_gate_front\"?)");
    CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["gate"]["capacity_npm"] = 0; })) ==
          "/incidents/0/crowd/gate/capacity_npm: must be greater than 0 (got 0)");
  }
  SECTION("a gate no task closes is a warning") {
    const LoadResult r = crowd_with([](Json& j) { crowd_of(j)["gate"].erase("closed_by_task"); });
    REQUIRE(r.scenario);
    CHECK(messages(r, Severity::warning) ==
          Lines{"/incidents/0/crowd/gate: the gate has no \"closed_by_task\": no protocol task "
                "closes it, so it stays as the site leaves it"});
    CHECK(r.scenario->incidents[0].crowd->gate.closed_by_task == hqdrill::kNone);
  }
}

TEST_CASE("crowd groups are checked at their pointers", "[io]") {
  const auto group_error = [](std::size_t g, const char* key, Json value) {
    return only_error(crowd_with([&](Json& j) { crowd_of(j)["groups"][g][key] = value; }));
  };
  CHECK(group_error(1, "id", "dan_xa_A") ==
        "/incidents/0/crowd/groups/1/id: duplicate id \"dan_xa_A\" (first at "
        "/incidents/0/crowd/groups/0/id)");
  CHECK(group_error(0, "area", "rcp_fron") ==
        "/incidents/0/crowd/groups/0/area: unknown area \"rcp_fron\" (did you mean "
        "\"rcp_front\"?)");
  CHECK(group_error(0, "door", "rcp_out") ==
        "/incidents/0/crowd/groups/0/door: area \"rcp_front\" is a macro area: people are "
        "counted into it, not walked in by a door (\"door\" is only for micro areas)");
  CHECK(group_error(1, "door", "gf_eats") ==
        "/incidents/0/crowd/groups/1/door: unknown door of area \"gate_front\" \"gf_eats\" (did "
        "you mean \"gf_east\"?)");
  CHECK(group_error(1, "door", "rcp_out") ==
        "/incidents/0/crowd/groups/1/door: door \"rcp_out\" is a door of area \"rcp_front\", not "
        "of area \"gate_front\"");
  // People who come straight to the gate need a door of its area, and not the gate.
  CHECK(group_error(1, "door", "gate_main") ==
        "/incidents/0/crowd/groups/1/door: people cannot come in by the gate they protest at: "
        "name another door of \"gate_front\"");
  CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["groups"][1].erase("door"); })) ==
        "/incidents/0/crowd/groups/1/area: group \"dan_xa_B\" gathers in the gate area "
        "\"gate_front\": give the \"door\" they come in by");
  CHECK(only_error(
            crowd_with([](Json& j) { crowd_of(j)["groups"][0]["march"]["door"] = "gate_main"; })) ==
        "/incidents/0/crowd/groups/0/march/door: marchers come along the street, not through "
        "the gate: name another door of the gate area");
  CHECK(group_error(0, "count", 0) ==
        "/incidents/0/crowd/groups/0/count: must be at least 1 (got 0)");
  CHECK(group_error(0, "count", 2.5) ==
        "/incidents/0/crowd/groups/0/count: expected an integer, got 2.5");
  CHECK(group_error(0, "count", 100001) ==
        "/incidents/0/crowd/groups/0/count: must be at most 100000 (got 100001)");
  CHECK(group_error(0, "count", {{"dist", "uniform"}, {"min", 0.5}, {"max", 3}}) ==
        "/incidents/0/crowd/groups/0/count: a head count must be at least 1 in every draw (this "
        "distribution goes down to 0.5; give \"min\" of at least 1)");
  CHECK(group_error(0, "count", {{"dist", "constant"}, {"value", 7.5}}) ==
        "/incidents/0/crowd/groups/0/count: a constant head count must be an integer from 1 to "
        "100000 (got 7.5)");
  CHECK(group_error(0, "radius_m", 0.1) ==
        "/incidents/0/crowd/groups/0/radius_m: must be greater than 0.1 (got 0.1)");
  CHECK(group_error(0, "mode", "sitin") ==
        "/incidents/0/crowd/groups/0/mode: unknown crowd mode \"sitin\" (did you mean "
        "\"sit_in\"?)");
  CHECK(only_error(
            crowd_with([](Json& j) { crowd_of(j)["groups"][0]["march"]["door"] = "rcp_out"; })) ==
        "/incidents/0/crowd/groups/0/march/door: door \"rcp_out\" is a door of area "
        "\"rcp_front\", not of area \"gate_front\"");
  CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["groups"][0]["march"].erase("door"); })) ==
        "/incidents/0/crowd/groups/0/march: missing required key \"door\"");
  CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["groups"][0]["march"]["share"] = 1.5; })) ==
        "/incidents/0/crowd/groups/0/march/share: must be at most 1 (got 1.5)");
  CHECK(only_error(crowd_with([](Json& j) {
          crowd_of(j)["groups"][1]["march"] = {{"share", 0.5}, {"door", "gf_east"}};
        })) ==
        "/incidents/0/crowd/groups/1/march: group \"dan_xa_B\" gathers in the gate area "
        "\"gate_front\" already: it has nowhere to march");
}

TEST_CASE("representatives are limited by Law 42/2013 Điều 29", "[io]") {
  const std::string rule =
      "Luật Tiếp công dân 2013, Điều 29: 5–10 người cử 1–2 đại diện, trên 10 người không quá 5 "
      "(Law 42/2013/QH13 Art. 29)";
  SECTION("6 for a crowd of 500 is too many") {
    const LoadResult r = crowd_with([](Json& j) {
      crowd_of(j)["groups"][0]["count"] = 470;
      crowd_of(j)["groups"][1]["count"] = {{"dist", "uniform"}, {"min", 20}, {"max", 40}};  // 30
      crowd_of(j)["dialogue"]["representatives"] = 6;
    });
    CHECK(only_error(r) ==
          "/incidents/0/crowd/dialogue/representatives: a crowd of 500 may name "
          "at most 5 representatives (got 6): " +
              rule);
  }
  SECTION("3 for a crowd of 8 is too many") {
    const LoadResult r = crowd_with([](Json& j) {
      crowd_of(j)["groups"][0]["count"] = 5;
      crowd_of(j)["groups"][1]["count"] = 3;
      crowd_of(j)["dialogue"]["representatives"] = 3;
    });
    CHECK(only_error(r) ==
          "/incidents/0/crowd/dialogue/representatives: a crowd of 8 may name "
          "at most 2 representatives (got 3): " +
              rule);
  }
  SECTION("2 for a crowd of 8, and 0 for 4, are allowed") {
    const LoadResult r = crowd_with([](Json& j) {
      crowd_of(j)["groups"][0]["count"] = 5;
      crowd_of(j)["groups"][1]["count"] = 3;
      crowd_of(j)["dialogue"]["representatives"] = 2;
    });
    CHECK(r.scenario);
    const LoadResult four = crowd_with([](Json& j) {
      crowd_of(j)["groups"][0]["count"] = 2;
      crowd_of(j)["groups"][1]["count"] = 2;
      crowd_of(j)["dialogue"]["representatives"] = 0;
    });
    CHECK(four.scenario);
  }
  SECTION("left out, they are the most the law allows, at most 5") {
    const LoadResult r = crowd_with([](Json& j) {
      crowd_of(j)["groups"][0]["count"] = 5;
      crowd_of(j)["groups"][1]["count"] = 3;
      crowd_of(j)["dialogue"].erase("representatives");
    });
    REQUIRE(r.scenario);
    CHECK(r.scenario->incidents[0].crowd->representatives == 2);
  }
  SECTION("the dialogue's task is a task of the protocol") {
    CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["dialogue"]["task"] = "receive"; })) ==
          "/incidents/0/crowd/dialogue/task: unknown task of protocol \"generic-alarm\" "
          "\"receive\"");
    CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["dialogue"].erase("task"); })) ==
          "/incidents/0/crowd/dialogue: missing required key \"task\"");
  }
  SECTION("a dialogue task whose owner has no rule is warned about") {
    const LoadResult r = crowd_with([](Json& j) {
      j["protocols"][0]["rules"].erase(1);  // head_of_guards
    });
    CHECK(reports(r,
                  "/incidents/0/crowd/dialogue/task: the owner of task \"receive_citizens\", role "
                  "\"head_of_guards\", has no rule in protocol \"generic-alarm\", so the dialogue "
                  "never starts",
                  Severity::warning));
  }
}

TEST_CASE("commitments and crowd behaviour are checked at their pointers", "[io]") {
  const auto commitment_error = [](const char* key, Json value) {
    return only_error(
        crowd_with([&](Json& j) { j["incidents"][0]["commitments"][0][key] = value; }));
  };
  CHECK(commitment_error("unit", "police_squd") ==
        "/incidents/0/commitments/0/unit: unknown unit \"police_squd\" (did you mean "
        "\"police_squad\"?)");
  CHECK(commitment_error("members", 5) ==
        "/incidents/0/commitments/0/members: must be at most the members of unit "
        "\"police_squad\" (4) (got 5)");
  CHECK(commitment_error("members", 0) ==
        "/incidents/0/commitments/0/members: must be at least 1 (got 0)");
  CHECK(commitment_error("from_s", -1) ==
        "/incidents/0/commitments/0/from_s: must be at least 0 (got -1)");
  CHECK(commitment_error("to_s", 0) ==
        "/incidents/0/commitments/0/to_s: must be greater than from_s (0) (got 0)");
  // Commitments belong to any incident type.
  const LoadResult generic = parse_with([](Json& j) {
    j["incidents"][0]["commitments"] = {
        {{"unit", "guards_hq"}, {"members", 1}, {"from_s", 60}, {"to_s", 120}}};
  });
  REQUIRE(generic.scenario);
  CHECK(generic.scenario->incidents[0].commitments[0].from == 60000);

  const auto behaviour_error = [](const char* key, Json value) {
    return only_error(crowd_with([&](Json& j) { crowd_of(j)["behaviour"][key] = value; }));
  };
  CHECK(behaviour_error("legitimacy", 1.2) ==
        "/incidents/0/crowd/behaviour/legitimacy: must be at most 1 (got 1.2)");
  CHECK(behaviour_error("threshold", -0.1) ==
        "/incidents/0/crowd/behaviour/threshold: must be at least 0 (got -0.1)");
  CHECK(behaviour_error("arrest_k", 0) ==
        "/incidents/0/crowd/behaviour/arrest_k: must be greater than 0 (got 0)");
  CHECK(behaviour_error("wait_loss_per_h", -0.01) ==
        "/incidents/0/crowd/behaviour/wait_loss_per_h: must be at least 0 (got -0.01)");
  CHECK(behaviour_error("vision_m", 0) ==
        "/incidents/0/crowd/behaviour/vision_m: must be greater than 0 (got 0)");
  CHECK(behaviour_error("decision_interval_s", 0) ==
        "/incidents/0/crowd/behaviour/decision_interval_s: must be greater than 0 (got 0)");
  CHECK(behaviour_error("push_speed_mps", 6) ==
        "/incidents/0/crowd/behaviour/push_speed_mps: must be at most 5 (got 6)");
  CHECK(behaviour_error("legitimcy", 0.9) ==
        "/incidents/0/crowd/behaviour: unknown key \"legitimcy\" (did you mean \"legitimacy\"?)");
  CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["micro_dt_s"] = 0.2; })) ==
        "/incidents/0/crowd/micro_dt_s: must be at most 0.1 (got 0.2)");
  CHECK(only_error(crowd_with([](Json& j) { crowd_of(j)["cordon"]["crowd_per_defender"] = 0; })) ==
        "/incidents/0/crowd/cordon/crowd_per_defender: must be at least 1 (got 0)");
  CHECK(only_error(crowd_with([](Json& j) { j["forces"]["units"][0]["reinforcement"] = "yes"; })) ==
        "/forces/units/0/reinforcement: expected a boolean, got string");
}

// ---------------------------------------------------------------- fires

namespace {

const std::string kFirePath = std::string(HQDRILL_SOURCE_DIR) + "/tests/data/scenario_fire.json";

/// tests/data/scenario_fire.json: the minimal scenario plus a corridor, the walkable
/// areas of the records room and the corridor, a "fire-response" protocol and a second
/// incident, a fire in the records room (incident 1).
Json fire_scenario() {
  std::ifstream in(kFirePath, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return Json::parse(s.str());
}

/// The fire scenario with one change applied, parsed.
LoadResult fire_with(const std::function<void(Json&)>& change) {
  Json j = fire_scenario();
  change(j);
  return parse_scenario(j.dump());
}

Json& fire_of(Json& j) {
  return j["incidents"][1]["fire"];
}

/// The only error of the fire scenario with one change applied.
std::string fire_error(const std::function<void(Json&)>& change) {
  return only_error(fire_with(change));
}

}  // namespace

TEST_CASE("a fire scenario parses into rooms, vents, detectors, patrol and means", "[io][fire]") {
  const LoadResult r = hqdrill::io::load_scenario(kFirePath);
  INFO(Catch::Detail::stringify(messages(r))
       << Catch::Detail::stringify(messages(r, Severity::warning)));
  REQUIRE(r.diagnostics.items.empty());
  REQUIRE(r.scenario);
  const hqdrill::Scenario& s = *r.scenario;
  REQUIRE(s.incidents.size() == 2);
  CHECK_FALSE(s.incidents[0].fire);  // the generic incident
  const hqdrill::Incident& inc = s.incidents[1];
  CHECK(inc.type == "fire");
  CHECK(inc.detected_by == hqdrill::kNone);  // detected by the fire model
  CHECK(inc.protocol == 1);
  REQUIRE(inc.fire);
  const hqdrill::FireDef& f = *inc.fire;

  REQUIRE(f.rooms.size() == 2);
  const hqdrill::FireRoom& rec = f.rooms[0];
  CHECK(rec.id == "records");
  CHECK(rec.name == "Phòng lưu trữ");
  CHECK(rec.name_en == "Records room");
  CHECK(rec.node == 3);  // hq_records_room
  CHECK(rec.area == 0);  // records_area
  CHECK(rec.height_m == 3.3);
  // Floor area and perimeter from the walkable area records_area: its outline is 9 m x
  // 6 m = 54 m² less a 0.5 m x 0.5 m pillar (0.25 m²) = 53.75 m²; the perimeter is the
  // outline's, 2 x (9 + 6) = 30 m (the pillar is not a wall of the room).
  CHECK(rec.floor_area_m2 == Approx(53.75));
  CHECK(rec.perimeter_m == Approx(30.0));
  CHECK(rec.floor_elevation_m == 0);  // default
  CHECK(rec.lining.conductivity_kw_per_mk ==
        hqdrill::fire::concrete_lining(0.2).conductivity_kw_per_mk);
  CHECK(rec.lining.thickness_m == 0.2);
  CHECK(rec.fire_load_mj_per_m2 == 1500);
  CHECK(rec.records == 400);
  REQUIRE(rec.fuel);
  // "medium": t_g = 300 s, alpha = 1055 / 300² kW/s² (NFPA 72).
  CHECK(rec.fuel->alpha_kw_per_s2 == Approx(1055.0 / (300.0 * 300.0)));
  CHECK(rec.fuel->curve.empty());
  // Fire load: 1500 MJ/m² x 1000 kJ/MJ x 53.75 m² = 80 625 000 kJ.
  CHECK(rec.fuel->fuel_energy_kj == Approx(80625000.0));
  // Peak from hrr_per_m2_kw: 250 kW/m² x 53.75 m² = 13 437.5 kW.
  CHECK(rec.fuel->peak_hrr_kw == Approx(13437.5));
  CHECK(std::isinf(rec.fuel->ventilation_limit_kw));  // the engine's, from the vents

  const hqdrill::FireRoom& cor = f.rooms[1];
  CHECK(cor.id == "corridor_g");
  CHECK(cor.node == 5);  // hq_corridor_1
  CHECK(cor.area == 1);
  CHECK(cor.floor_area_m2 == 20);  // given, not the area's
  CHECK(cor.perimeter_m == 24);
  CHECK(cor.floor_elevation_m == 0.5);
  CHECK(cor.lining.conductivity_kw_per_mk ==
        hqdrill::fire::gypsum_lining(0.0125).conductivity_kw_per_mk);
  CHECK(cor.lining.thickness_m == 0.0125);
  CHECK_FALSE(cor.fuel);  // no fire load: nothing burns
  CHECK(cor.fire_load_mj_per_m2 == 0);
  CHECK(cor.records == 0);

  REQUIRE(f.vents.size() == 3);
  const hqdrill::FireVent& door = f.vents[0];
  CHECK(door.id == "records_door");
  CHECK(door.from == 0);
  CHECK(door.to == 1);
  CHECK(door.opening.width_m == 1.0);
  CHECK(door.opening.sill_m == 0);  // default
  CHECK(door.opening.soffit_m == 2.1);
  CHECK_FALSE(door.open);
  CHECK(door.leak_m2 == 0.02);
  CHECK(door.fails_after_s == 1800);
  CHECK(std::isinf(door.breaks_at_c));
  const hqdrill::FireVent& window = f.vents[1];
  CHECK(window.to == hqdrill::kNone);  // outside
  CHECK(window.opening.sill_m == 1.0);
  CHECK(window.breaks_at_c == 450);
  CHECK(std::isinf(window.fails_after_s));
  CHECK(f.vents[2].open);  // default
  CHECK(f.vents[2].leak_m2 == 0);

  CHECK(f.origin == 0);
  CHECK(f.spread_delay_s == 90);
  CHECK(f.knockdown_s == 45);
  CHECK(f.flashover_c == 550);
  CHECK(f.tenability.min_layer_height_m == 1.6);
  CHECK(f.tenability.max_upper_layer_c == 180);
  CHECK(f.records_lost_c == 220);
  CHECK(f.ambient_c == 28);
  CHECK(f.step_s == 0.5);
  CHECK(f.perceptible_kw == 30);
  CHECK(f.smoke_perceptible_k == 4);

  REQUIRE(f.detectors.size() == 2);
  const hqdrill::FireDetector& smoke = f.detectors[0];
  CHECK(smoke.id == "records_smoke");
  CHECK(smoke.room == 0);
  CHECK(smoke.kind == hqdrill::DetectorKind::smoke);
  // CFAST's smoke detector as a heat detector: RTI 5, ambient (28 °C here) + 5 K.
  CHECK(smoke.link.rti_sqrt_ms == 5);
  CHECK(smoke.link.activation_c == 33);
  CHECK(smoke.radius_m == 2);  // default
  CHECK(smoke.role == 0);      // guard_hq_post
  CHECK(smoke.notice_s.kind == hqdrill::DistKind::uniform);
  CHECK_FALSE(smoke.sounds_alarm);
  const hqdrill::FireDetector& heat = f.detectors[1];
  CHECK(heat.kind == hqdrill::DetectorKind::heat);
  CHECK(heat.room == 1);
  CHECK(heat.link.rti_sqrt_ms == 50);
  CHECK(heat.link.activation_c == 68);
  CHECK(heat.radius_m == 3);
  CHECK(heat.sounds_alarm);
  CHECK(heat.notice_s.kind == hqdrill::DistKind::constant);
  CHECK(heat.notice_s.a == 0);  // default

  CHECK(f.occupants_tell == 0);
  CHECK(f.occupant_notice_s.a == 20);
  REQUIRE(f.patrol);
  CHECK(f.patrol->unit == 0);
  CHECK(f.patrol->rooms == std::vector<hqdrill::Index>{1, 0});
  CHECK(f.patrol->interval_s == 3600);
  CHECK(f.patrol->role == 0);
  CHECK(f.patrol->notice_s.a == 5);

  CHECK(f.alarm_task == 0);  // sound_alarm, task 0 of fire-response
  CHECK(f.attack_tasks == std::vector<hqdrill::Index>{1});
  REQUIRE(f.means.size() == 2);
  const hqdrill::FireMeans& ext = f.means[0];
  CHECK(ext.id == "ext_corridor");
  CHECK(ext.name_en == "Extinguishers");
  CHECK(ext.kind == "extinguisher");
  CHECK(ext.node == 5);
  CHECK(ext.units.empty());
  CHECK(ext.count == 2);
  CHECK(ext.max_hrr_kw == 300);
  CHECK(ext.setup_s.kind == hqdrill::DistKind::uniform);
  const hqdrill::FireMeans& hose = f.means[1];
  CHECK(hose.node == hqdrill::kNone);  // carried
  CHECK(hose.units == std::vector<hqdrill::Index>{1});
  CHECK(hose.count == 1);  // default
  CHECK(hose.setup_s.a == 0);
  CHECK(f.fire_police == 1);

  // Traffic windows: weekdays 07:00-08:30 x 0.6, every day 22:00-05:00 x 1.2.
  REQUIRE(s.traffic.size() == 2);
  CHECK(s.traffic[0].days == 0x1F);
  CHECK(s.traffic[0].from_min == 420);
  CHECK(s.traffic[0].to_min == 510);
  CHECK(s.traffic[0].factor == 0.6);
  CHECK(s.traffic[1].days == 0xFF);
  CHECK(s.traffic[1].from_min == 1320);
  CHECK(s.traffic[1].to_min == 300);
  CHECK(s.traffic[1].factor == 1.2);
}

TEST_CASE("a fire scenario takes the documented defaults", "[io][fire]") {
  const LoadResult r = fire_with([](Json& j) {
    Json& f = fire_of(j);
    for (const char* key :
         {"spread_delay_s", "knockdown_s", "flashover_c", "tenability", "records_lost_c",
          "ambient_c", "step_s", "perceptible_kw", "smoke_perceptible_k"})
      f.erase(key);
    f["rooms"][0].erase("lining");
    f["rooms"][0].erase("hrr_per_m2_kw");
    f["rooms"][1].erase("floor_area_m2");
    f["rooms"][1].erase("perimeter_m");
    f["detectors"][1].erase("radius_m");
    j["travel"]["vehicle"].erase("traffic");
  });
  INFO(Catch::Detail::stringify(messages(r)));
  REQUIRE(r.scenario);
  const hqdrill::FireDef& f = *r.scenario->incidents[1].fire;
  CHECK(f.spread_delay_s == 60);
  CHECK(f.knockdown_s == 60);
  CHECK(f.flashover_c == 600);
  CHECK(f.tenability.min_layer_height_m == 1.8);
  CHECK(f.tenability.max_upper_layer_c == 200);
  CHECK(f.records_lost_c == 250);
  CHECK(f.ambient_c == hqdrill::fire::kAmbientC);
  CHECK(f.step_s == 1.0);
  CHECK(f.perceptible_kw == 25);
  CHECK(f.smoke_perceptible_k == 5);
  // The smoke detector follows the ambient: 30 °C + 5 K.
  CHECK(f.detectors[0].link.activation_c == 35);
  CHECK(f.detectors[1].radius_m == 2);
  CHECK(f.rooms[0].lining.thickness_m == 0.2);
  CHECK(f.rooms[0].lining.conductivity_kw_per_mk ==
        hqdrill::fire::concrete_lining(0.2).conductivity_kw_per_mk);
  CHECK(std::isinf(f.rooms[0].fuel->peak_hrr_kw));  // capped by ventilation only
  // corridor_area is 10 m x 2 m: 20 m², perimeter 2 x (10 + 2) = 24 m.
  CHECK(f.rooms[1].floor_area_m2 == Approx(20.0));
  CHECK(f.rooms[1].perimeter_m == Approx(24.0));
  CHECK(r.scenario->traffic.empty());
}

TEST_CASE("a fire scenario reads growth curves and explicit peaks", "[io][fire]") {
  const LoadResult r = fire_with([](Json& j) {
    Json& room = fire_of(j)["rooms"][0];
    room["growth"] = Json::parse(R"({"curve": [[0, 0], [120, 400], [600, 2500]],
                                     "source": "furniture calorimeter test"})");
    room["peak_hrr_kw"] = 2000;
    room.erase("hrr_per_m2_kw");
  });
  REQUIRE(r.scenario);
  const hqdrill::FireRoom& room = r.scenario->incidents[1].fire->rooms[0];
  REQUIRE(room.fuel);
  REQUIRE(room.fuel->curve.size() == 3);
  CHECK(room.fuel->curve[1].time_s == 120);
  CHECK(room.fuel->curve[1].hrr_kw == 400);
  CHECK(room.fuel->peak_hrr_kw == 2000);
  for (const auto& [growth, tg] : std::vector<std::pair<std::string, double>>{
           {"slow", 600}, {"fast", 150}, {"ultrafast", 75}}) {
    const LoadResult g = fire_with([&](Json& j) { fire_of(j)["rooms"][0]["growth"] = growth; });
    REQUIRE(g.scenario);
    CHECK(g.scenario->incidents[1].fire->rooms[0].fuel->alpha_kw_per_s2 ==
          Approx(1055.0 / (tg * tg)));
  }
}

TEST_CASE("a fire scenario's references are checked at their pointers", "[io][fire]") {
  SECTION("unknown room in a vent") {
    CHECK(fire_error([](Json& j) { fire_of(j)["vents"][0]["to"] = "corridor"; }) ==
          "/incidents/1/fire/vents/0/to: unknown fire room (or \"outside\") \"corridor\" (did "
          "you mean \"corridor_g\"?)");
    CHECK(fire_error([](Json& j) { fire_of(j)["vents"][0]["from"] = "record"; }) ==
          "/incidents/1/fire/vents/0/from: unknown fire room \"record\" (did you mean "
          "\"records\"?)");
    CHECK(fire_error([](Json& j) { fire_of(j)["vents"][0]["to"] = "records"; }) ==
          "/incidents/1/fire/vents/0/to: the vent leads from room \"records\" back into it "
          "(\"from\" and \"to\" must differ)");
  }
  SECTION("origin without fuel") {
    CHECK(fire_error([](Json& j) { fire_of(j)["origin"] = "corridor_g"; }) ==
          "/incidents/1/fire/origin: the origin room \"corridor_g\" has no fire_load_mj_m2: "
          "nothing would burn");
    CHECK(fire_error([](Json& j) { fire_of(j)["origin"] = "record"; }) ==
          "/incidents/1/fire/origin: unknown fire room \"record\" (did you mean \"records\"?)");
  }
  SECTION("a room's references and its walkable area") {
    CHECK(fire_error([](Json& j) { fire_of(j)["rooms"][1]["area"] = "records_area"; }) ==
          "/incidents/1/fire/rooms/1/area: area \"records_area\" is already the area of "
          "another fire room (at /incidents/1/fire/rooms/0/area): one fire room per walkable "
          "area");
    CHECK(fire_error([](Json& j) { fire_of(j)["rooms"][0]["node"] = "hq_records_rom"; }) ==
          "/incidents/1/fire/rooms/0/node: unknown node \"hq_records_rom\" (did you mean "
          "\"hq_records_room\"?)");
    CHECK(fire_error([](Json& j) { fire_of(j)["vents"][1]["id"] = "records_door"; }) ==
          "/incidents/1/fire/vents/1/id: duplicate id \"records_door\" (first at "
          "/incidents/1/fire/vents/0/id)");
    CHECK(fire_error([](Json& j) {
            Json& room = fire_of(j)["rooms"][1];
            room.erase("area");
            room.erase("perimeter_m");
          }) ==
          "/incidents/1/fire/rooms/1: missing required key \"perimeter_m\" (or give \"area\", "
          "a walkable area to take it from)");
  }
  SECTION("detectors, patrol, means and the fire police") {
    CHECK(fire_error([](Json& j) { fire_of(j)["detectors"][0]["role"] = "guard_post"; }) ==
          "/incidents/1/fire/detectors/0/role: unknown role \"guard_post\" (did you mean "
          "\"guard_hq_post\"?)");
    CHECK(fire_error([](Json& j) { fire_of(j)["detectors"][0]["kind"] = "smok"; }) ==
          "/incidents/1/fire/detectors/0/kind: unknown detector kind \"smok\" (did you mean "
          "\"smoke\"?)");
    CHECK(fire_error([](Json& j) {
            fire_of(j)["patrol"]["rooms"] = {"records", "records"};
          }) ==
          "/incidents/1/fire/patrol/rooms/1: fire room \"records\" is listed twice (first at "
          "/incidents/1/fire/patrol/rooms/0)");
    CHECK(fire_error([](Json& j) { fire_of(j)["patrol"]["rooms"] = Json::array(); }) ==
          "/incidents/1/fire/patrol/rooms: must list at least one room");
    CHECK(fire_error([](Json& j) { fire_of(j)["means"][1]["units"] = {"police"}; }) ==
          "/incidents/1/fire/means/1/units/0: unknown unit \"police\"");
    CHECK(fire_error([](Json& j) { fire_of(j)["means"][1].erase("units"); }) ==
          "/incidents/1/fire/means/1: a means with no \"node\" is carried: give the \"units\" "
          "that carry it");
    CHECK(fire_error([](Json& j) { fire_of(j)["fire_police"] = "police_squd"; }) ==
          "/incidents/1/fire/fire_police: unknown unit \"police_squd\" (did you mean "
          "\"police_squad\"?)");
  }
}

TEST_CASE("a fire scenario's rooms, vents and detectors are checked against physics",
          "[io][fire]") {
  SECTION("heat detector without rti") {
    CHECK(fire_error([](Json& j) { fire_of(j)["detectors"][1].erase("rti"); }) ==
          "/incidents/1/fire/detectors/1: missing required key \"rti\" (a heat detector "
          "states its response time index \"rti\", (m·s)^½, and its \"activation_c\"; only "
          "smoke detectors have defaults)");
    CHECK(fire_error([](Json& j) {
            fire_of(j)["detectors"][1]["kind"] = "sprinkler";
            fire_of(j)["detectors"][1].erase("activation_c");
          }) ==
          "/incidents/1/fire/detectors/1: missing required key \"activation_c\" (a sprinkler "
          "states its response time index \"rti\", (m·s)^½, and its \"activation_c\"; only "
          "smoke detectors have defaults)");
    CHECK(fire_error([](Json& j) { fire_of(j)["detectors"][1]["activation_c"] = 20; }) ==
          "/incidents/1/fire/detectors/1/activation_c: must be above the ambient temperature "
          "28 °C (got 20)");
    CHECK(fire_error([](Json& j) { fire_of(j)["detectors"][1]["rti"] = 0; }) ==
          "/incidents/1/fire/detectors/1/rti: must be greater than 0 (got 0)");
  }
  SECTION("soffit above room height") {
    CHECK(fire_error([](Json& j) { fire_of(j)["vents"][0]["soffit_m"] = 3.5; }) ==
          "/incidents/1/fire/vents/0/soffit_m: the top of the opening is above the ceiling of "
          "room \"records\" (height_m 3.3) (got 3.5)");
    CHECK(fire_error([](Json& j) { fire_of(j)["vents"][1]["soffit_m"] = 0.9; }) ==
          "/incidents/1/fire/vents/1/soffit_m: the top of the opening must be above its sill "
          "(1 m) (got 0.9)");
    CHECK(fire_error([](Json& j) { fire_of(j)["vents"][0]["width_m"] = 0; }) ==
          "/incidents/1/fire/vents/0/width_m: must be greater than 0 (got 0)");
    CHECK(fire_error([](Json& j) { fire_of(j)["vents"][1]["breaks_at_c"] = 28; }) ==
          "/incidents/1/fire/vents/1/breaks_at_c: must be above the ambient temperature 28 °C "
          "(got 28)");
  }
  SECTION("fuel: growth, curves, loads") {
    CHECK(fire_error([](Json& j) { fire_of(j)["rooms"][0].erase("growth"); }) ==
          "/incidents/1/fire/rooms/0: missing required key \"growth\" (how the fire grows: "
          "\"slow\", \"medium\", \"fast\", \"ultrafast\" or {\"curve\": ...}), needed with "
          "fire_load_mj_m2 > 0");
    CHECK(fire_error([](Json& j) { fire_of(j)["rooms"][0]["growth"] = "quick"; }) ==
          "/incidents/1/fire/rooms/0/growth: unknown growth class \"quick\" (expected "
          "\"slow\", \"medium\", \"fast\" or \"ultrafast\")");
    CHECK(fire_error([](Json& j) {
            fire_of(j)["rooms"][0]["growth"] = {{"curve", {{0, 0}, {60, 100}, {60, 200}}}};
          }) ==
          "/incidents/1/fire/rooms/0/growth/curve/2/0: times must be strictly ascending "
          "(previous point at 60 s, got 60)");
    CHECK(fire_error([](Json& j) {
            fire_of(j)["rooms"][0]["growth"] = {{"curve", {{0, 0}, {60, -1}}}};
          }) == "/incidents/1/fire/rooms/0/growth/curve/1/1: must be at least 0 (got -1)");
    CHECK(fire_error([](Json& j) {
            fire_of(j)["rooms"][0]["growth"] = {{"curve", {{0, 0}, {60, 0}}}};
          }) ==
          "/incidents/1/fire/rooms/0/growth/curve: the curve never rises above 0 kW: nothing "
          "would burn");
    CHECK(fire_error([](Json& j) { fire_of(j)["rooms"][0]["fire_load_mj_m2"] = -1; }) ==
          "/incidents/1/fire/rooms/0/fire_load_mj_m2: must be at least 0 (got -1)");
    CHECK(fire_error([](Json& j) { fire_of(j)["rooms"][0]["height_m"] = 0; }) ==
          "/incidents/1/fire/rooms/0/height_m: must be greater than 0 (got 0)");
    CHECK(fire_error([](Json& j) { fire_of(j)["rooms"][0]["lining"]["material"] = "wood"; }) ==
          "/incidents/1/fire/rooms/0/lining/material: unknown lining material \"wood\" "
          "(expected \"concrete\" or \"gypsum\")");
    CHECK(fire_error([](Json& j) { fire_of(j)["step_s"] = 20; }) ==
          "/incidents/1/fire/step_s: must be at most 10 (got 20)");
    CHECK(fire_error([](Json& j) { fire_of(j)["flashover_c"] = 20; }) ==
          "/incidents/1/fire/flashover_c: must be above the ambient temperature 28 °C (got 20)");
  }
  SECTION("growth and peaks of a room without fire load are ignored with a warning") {
    const LoadResult r = fire_with([](Json& j) {
      fire_of(j)["rooms"][1]["growth"] = "fast";
      fire_of(j)["rooms"][1]["fire_load_mj_m2"] = 0;
    });
    REQUIRE(r.scenario);
    CHECK_FALSE(r.scenario->incidents[1].fire->rooms[1].fuel);
    CHECK(messages(r, Severity::warning) ==
          Lines{"/incidents/1/fire/rooms/1/growth: ignored: room \"corridor_g\" has no "
                "fire_load_mj_m2, so nothing burns there"});
  }
}

TEST_CASE("a fire scenario ties the fire to its incident type, protocol and occupants",
          "[io][fire]") {
  SECTION("\"fire\" on a generic incident") {
    CHECK(fire_error([](Json& j) { j["incidents"][0]["fire"] = fire_of(j); }) ==
          "/incidents/0/fire: \"fire\" belongs to incidents of type \"fire\" (this one is "
          "\"generic\")");
  }
  SECTION("a fire incident without \"fire\"") {
    CHECK(fire_error([](Json& j) { j["incidents"][1].erase("fire"); }) ==
          "/incidents/1: an incident of type \"fire\" needs \"fire\" (its rooms, where it starts "
          "and what detects it)");
  }
  SECTION("a fire incident is detected by its fire model, not by \"detection\"") {
    CHECK(fire_error([](Json& j) {
            j["incidents"][1]["detection"] = {{"role", "guard_hq_post"}, {"delay_s", 60}};
          }) ==
          "/incidents/1/detection: a \"fire\" incident is detected by its fire model: its "
          "\"detectors\", \"patrol\" and \"occupants\" (in \"fire\"); remove \"detection\"");
    // Other types still need "detection".
    CHECK(fire_error([](Json& j) { j["incidents"][0].erase("detection"); }) ==
          "/incidents/0: missing required key \"detection\"");
  }
  SECTION("something must detect it") {
    CHECK(fire_error([](Json& j) {
            fire_of(j).erase("detectors");
            fire_of(j).erase("patrol");
            fire_of(j).erase("occupants");
          }) ==
          "/incidents/1/fire: nothing detects this fire: give \"detectors\", a \"patrol\" or "
          "\"occupants\" who tell a role");
  }
  SECTION("attack task not in the protocol") {
    CHECK(fire_error([](Json& j) { fire_of(j)["attack_tasks"] = {"first_atack"}; }) ==
          "/incidents/1/fire/attack_tasks/0: unknown task of protocol \"fire-response\" "
          "\"first_atack\" (did you mean \"first_attack\"?)");
    CHECK(fire_error([](Json& j) { fire_of(j)["alarm_task"] = "close_gate"; }) ==
          "/incidents/1/fire/alarm_task: unknown task of protocol \"fire-response\" "
          "\"close_gate\"");
    CHECK(fire_error([](Json& j) {
            fire_of(j)["attack_tasks"] = {"first_attack", "first_attack"};
          }) ==
          "/incidents/1/fire/attack_tasks/1: task of protocol \"fire-response\" "
          "\"first_attack\" is listed twice (first at /incidents/1/fire/attack_tasks/0)");
  }
  SECTION("an attack needs means") {
    CHECK(fire_error([](Json& j) { fire_of(j).erase("means"); }) ==
          "/incidents/1/fire/attack_tasks: an attack needs something to fight the fire with: "
          "give at least one of \"means\"");
    // Means only the police carry, for an attack by the guards, are allowed.
    const LoadResult police_only = fire_with([](Json& j) { fire_of(j)["means"].erase(0); });
    INFO(Catch::Detail::stringify(messages(police_only)));
    CHECK(police_only.scenario);
  }
  SECTION("alarm missing with pedestrians") {
    const auto no_alarm = [](Json& j) {
      fire_of(j).erase("alarm_task");
      fire_of(j)["detectors"][1]["sounds_alarm"] = false;
    };
    CHECK(fire_error(no_alarm) ==
          "/incidents/1/fire: nothing sounds the alarm (no \"alarm_task\" and no detector with "
          "\"sounds_alarm\"), so the occupants would never be warned: group \"archivists\" waits "
          "for the alarm to start moving");
    // A detector that sounds the alarm is enough, and so are people who move on their own.
    CHECK(fire_with([](Json& j) { fire_of(j).erase("alarm_task"); }).scenario);
    CHECK(fire_with([&](Json& j) {
            no_alarm(j);
            j["incidents"][1]["pedestrians"]["groups"][0]["pre_movement_from"] = "start";
          }).scenario);
  }
  SECTION("a fire protocol is for fire incidents") {
    CHECK(reports(fire_with([](Json& j) { j["incidents"][1]["protocol"] = "generic-alarm"; }),
                  "/incidents/1/protocol: protocol \"generic-alarm\" is for incident type "
                  "\"generic\", not \"fire\""));
  }
  SECTION("occupants without pedestrians are a warning") {
    const LoadResult r = fire_with([](Json& j) { j["incidents"][1].erase("pedestrians"); });
    REQUIRE(r.scenario);
    CHECK(messages(r, Severity::warning) ==
          Lines{"/incidents/1/fire/occupants: the incident has no pedestrian groups: there are "
                "no occupants to notice the fire"});
  }
  SECTION("the roles the fire model tells must reach the protocol's roles") {
    const LoadResult r = fire_with([](Json& j) {
      fire_of(j).erase("occupants");
      fire_of(j).erase("patrol");
      fire_of(j)["detectors"][0]["role"] = "police_squad_leader";
      fire_of(j)["detectors"][1]["role"] = "police_squad_leader";
    });
    CHECK(reports(r,
                  "/protocols/1/rules/0/role: role \"guard_hq_post\" cannot be reached from the "
                  "detecting role \"police_squad_leader\" through any comms link"));
  }
}

TEST_CASE("a fire scenario's KPIs can be named in targets", "[io][fire]") {
  CHECK(fire_error([](Json& j) {
          j["targets"].push_back({{"kpi", "aset_recrods_s"}, {"max_s", 600}});
        }) == "/targets/1/kpi: unknown KPI \"aset_recrods_s\" (did you mean \"aset_records_s\"?)");
  CHECK(fire_error([](Json& j) {
          j["targets"].push_back({{"kpi", "peak_hrr_kw"}, {"max_s", 600}});
        }) == "/targets/1/max_s: KPI \"peak_hrr_kw\" is in kW, not seconds: use \"max\"");
  CHECK(fire_error([](Json& j) {
          j["targets"].push_back({{"kpi", "rooms_involved"}, {"max_s", 2}});
        }) == "/targets/1/max_s: KPI \"rooms_involved\" is not a time: use \"max\"");
}

TEST_CASE("traffic windows in a scenario are checked like shifts", "[io]") {
  const auto traffic = [](Json& j) -> Json& { return j["travel"]["vehicle"]["traffic"]; };
  CHECK(fire_error([&](Json& j) { traffic(j)[0]["factor"] = 0; }) ==
        "/travel/vehicle/traffic/0/factor: must be greater than 0 (got 0)");
  CHECK(fire_error([&](Json& j) { traffic(j)[0]["factor"] = 2.5; }) ==
        "/travel/vehicle/traffic/0/factor: must be at most 2 (got 2.5)");
  CHECK(fire_error([&](Json& j) { traffic(j)[0]["days"] = {"weekday"}; }) ==
        "/travel/vehicle/traffic/0/days/0: unknown day \"weekday\" (did you mean \"weekdays\"?)");
  CHECK(fire_error([&](Json& j) { traffic(j)[0]["from"] = "7:00"; }) ==
        "/travel/vehicle/traffic/0/from: invalid time \"7:00\" (expected \"HH:MM\" from 00:00 to "
        "23:59)");
  CHECK(fire_error([&](Json& j) { traffic(j)[1]["to"] = "07:30"; }) ==
        "/travel/vehicle/traffic/1: overlaps the traffic window at /travel/vehicle/traffic/0 on "
        "a day type they share (give each time of day one factor)");
  CHECK(fire_error([&](Json& j) { j["travel"]["foot"]["traffic"] = traffic(j); }) ==
        "/travel/foot: unknown key \"traffic\"");
  // Windows on different day types may share a clock time.
  const LoadResult apart = fire_with([&](Json& j) {
    traffic(j)[1]["days"] = {"weekend", "holiday"};
    traffic(j)[1]["from"] = "07:00";
    traffic(j)[1]["to"] = "09:00";
  });
  REQUIRE(apart.scenario);
  CHECK(apart.scenario->traffic[1].days == 0xE0);
}

TEST_CASE("the fire scenario also passes the JSON Schema, which rejects a misplaced fire",
          "[schema][fire]") {
  if (!hqdrill::test::have_jsonschema()) {
    WARN("python3 with jsonschema not found: schema side skipped");
    return;
  }
  const auto accepts = [](const std::string& file, bool quiet) {
    return hqdrill::test::schema_accepts(file, quiet);
  };
  CHECK(accepts(kFirePath, false));
  // Each change is refused by the C++ validator; the schema must refuse it too.
  const std::vector<std::pair<const char*, std::function<void(Json&)>>> bad{
      {"fire on a generic incident", [](Json& j) { j["incidents"][0]["fire"] = fire_of(j); }},
      {"fire incident without fire", [](Json& j) { j["incidents"][1].erase("fire"); }},
      {"fire incident with detection",
       [](Json& j) {
         j["incidents"][1]["detection"] = {{"role", "guard_hq_post"}};
       }},
      {"heat detector without rti", [](Json& j) { fire_of(j)["detectors"][1].erase("rti"); }},
      {"unknown growth class", [](Json& j) { fire_of(j)["rooms"][0]["growth"] = "quick"; }},
      {"fire load without growth", [](Json& j) { fire_of(j)["rooms"][0].erase("growth"); }},
      {"room without floor area or area", [](Json& j) { fire_of(j)["rooms"][0].erase("area"); }},
      {"traffic factor above 2",
       [](Json& j) { j["travel"]["vehicle"]["traffic"][0]["factor"] = 3; }},
  };
  const std::string tmp =
      (std::filesystem::temp_directory_path() / "hqdrill-fire-schema-check.json").string();
  for (const auto& [what, change] : bad) {
    INFO(what);
    Json j = fire_scenario();
    change(j);
    CHECK(parse_scenario(j.dump()).diagnostics.has_errors());
    std::ofstream(tmp) << j.dump();
    CHECK_FALSE(accepts(tmp, true));
  }
  std::filesystem::remove(tmp);
}

TEST_CASE("any value of a fire scenario's fire replaced or removed never crashes", "[io][fire]") {
  const Json base = fire_scenario();
  std::vector<Json::json_pointer> pointers;
  std::function<void(const Json&, const Json::json_pointer&)> walk =
      [&](const Json& j, const Json::json_pointer& p) {
        pointers.push_back(p);
        if (j.is_object())
          for (const auto& [k, v] : j.items()) walk(v, p / k);
        else if (j.is_array())
          for (std::size_t i = 0; i < j.size(); ++i) walk(j[i], p / i);
      };
  for (const char* root : {"/incidents/1", "/travel", "/protocols/1"})
    walk(base[Json::json_pointer(root)], Json::json_pointer(root));
  REQUIRE(pointers.size() > 150);
  const std::vector<Json> replacements{nullptr, -1, 0, 1e308, "x", Json::array(), Json::object()};
  const auto check = [](const Json& j, const std::string& what) {
    const LoadResult r = parse_scenario(j.dump());
    CHECK((r.diagnostics.has_errors() != r.scenario.has_value()));
    for (const Diagnostic& d : r.diagnostics.items)
      if (d.message.empty() || (!d.pointer.empty() && d.pointer[0] != '/'))
        FAIL("bad diagnostic after " << what << ": " << d.pointer << ": " << d.message);
  };
  for (const auto& p : pointers) {
    for (const Json& value : replacements) {
      Json j = base;
      j[p] = value;
      check(j, "replacing " + p.to_string());
    }
    Json j = base;
    j[p.parent_pointer()].is_object() ? void(j[p.parent_pointer()].erase(p.back()))
                                      : void(j[p.parent_pointer()].erase(std::stoul(p.back())));
    check(j, "removing " + p.to_string());
  }
}
