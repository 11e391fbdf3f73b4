// The viewer's replay model, without SFML drawing: what it shows at a time t of a trace.
#include <catch2/catch.hpp>
#include <string>

#include "hqdrill/io/trace_io.hpp"
#include "replay.hpp"

using namespace hqdrill::viewer;

namespace {

const std::string kHeader =
    R"({"schema":"hqdrill.trace/1","incident":{"id":"t1","node":"g1"},"run":3,"label":"worst",)"
    R"("sample_s":10,"site":{"nodes":[{"id":"g1","kind":"gate","x_m":0,"y_m":0},)"
    R"({"id":"y","kind":"yard","x_m":0,"y_m":40}],"edges":[{"id":"e1","from":"g1","to":"y",)"
    R"("closed":true,"door":"gate"}],"areas":[{"id":"a","node":"y","outline":[[0,0],[1,0],[1,1]],)"
    R"("doors":[{"id":"d","a":[0,0],"b":[1,0],"kind":"gate","locked":false}]}]},)"
    R"("roles":[{"id":"boss","unit":"u"}],"units":[{"id":"u","kind":"police"}],)"
    R"("movers":[{"id":0,"unit":"u"},{"id":1,"unit":"u"}],"kpis":{"notified_boss_s":6,"x_s":null}})"
    "\n";

std::string lines(const std::string& body) {
  return kHeader + body + R"({"t_s":99,"type":"end"})" + "\n";
}

Replay load(const std::string& body) {
  LoadResult lr = load_trace_text(lines(body), "t.jsonl");
  INFO((lr.errors.empty() ? std::string() : lr.errors.front()));
  REQUIRE(lr.replay);
  return std::move(*lr.replay);
}

}  // namespace

TEST_CASE("a unit between two position samples is drawn on the straight line between them") {
  const Replay r = load(R"({"t_s":0,"type":"positions","movers":[[0,0,0],[1,5,5]]})"
                        "\n"
                        R"({"t_s":10,"type":"positions","movers":[[0,10,20]]})"
                        "\n");
  const auto at = r.movers_at(2.5);
  REQUIRE(at.size() == 2);
  CHECK(at[0].x == Approx(2.5));
  CHECK(at[0].y == Approx(5));
  CHECK(at[1].x == Approx(5));  // not in the next sample: stays where it was
  CHECK(r.movers_at(-1).empty());
  CHECK(r.movers_at(50)[0].x == Approx(10));
}

TEST_CASE("frame lookup takes the last frame at or before t") {
  const std::vector<double> t = {0, 1, 1, 5};
  CHECK(Replay::frame_at(t, -0.1) == -1);
  CHECK(Replay::frame_at(t, 0) == 0);
  CHECK(Replay::frame_at(t, 1) == 2);
  CHECK(Replay::frame_at(t, 4.9) == 2);
  CHECK(Replay::frame_at(t, 1e9) == 3);
}

TEST_CASE("a gate closed at the start is locked until its edge_opened event") {
  const Replay r = load(R"({"t_s":8,"type":"edge_opened","edge":"e1"})"
                        "\n"
                        R"({"t_s":9,"type":"door_closed","area":"a","door":"d"})"
                        "\n");
  CHECK(r.edge_closed[0].at(7.99));
  CHECK_FALSE(r.edge_closed[0].at(8));
  CHECK_FALSE(r.door_locked[0][0].at(8.5));
  CHECK(r.door_locked[0][0].at(9));
}

TEST_CASE("a message's delay counts from its first attempt, and a target makes it late") {
  Replay r =
      load(R"({"t_s":1,"type":"message_sent","link":"l","from":"x","to":"boss","attempt":1})"
           "\n"
           R"({"t_s":2,"type":"message_failed","link":"l","from":"x","to":"boss","attempt":1})"
           "\n"
           R"({"t_s":4,"type":"message_sent","link":"l","from":"x","to":"boss","attempt":2})"
           "\n"
           R"({"t_s":7.5,"type":"message_received","link":"l","from":"x","to":"boss","attempt":2})"
           "\n"
           R"({"t_s":7.5,"type":"role_alerted","role":"boss","from":"x"})"
           "\n");
  REQUIRE(r.events.size() == 5);
  CHECK(r.events[3].delay_s == Approx(6.5));
  ResultsInfo info;
  info.target_max_s["notified_boss_s"] = 6;
  info.findings.push_back({7.5, "late_notification", "boss", "muộn", "late"});
  apply_results(r, info);
  CHECK(r.events[3].late);
  CHECK(r.events[3].late_role == "boss");
  CHECK(r.events[3].late_by_s == Approx(1.5));
  CHECK(r.events[4].late);
  CHECK_FALSE(r.events[0].late);
  REQUIRE(r.kpis.size() == 2);
  CHECK(r.kpis[0].name == "notified_boss_s");
  CHECK(r.kpis[0].met());  // this run's KPI (6 s) is within its target
  CHECK_FALSE(r.kpis[1].value);
  CHECK(r.next_mark_after(7) == Approx(7.5));
  CHECK(r.events_until(4) == 3);
}

TEST_CASE("unknown line types and fields are ignored") {
  const Replay r = load(R"({"t_s":1,"type":"from_the_future","x":[1,2]})"
                        "\n"
                        R"({"t_s":2,"type":"detected","role":"boss","colour":"red"})"
                        "\n");
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].type == "detected");
}

TEST_CASE("pedestrian frames hold positions and crowd states, read fast or not") {
  const Replay r = load(
      R"({"t_s":1,"type":"peds","id":[4,7],"x":[1.25,-2.5],"y":[3,4e0],)"
      R"("state":["push","gather"],"areas":{"a":2},"on_edges":1,"out":0})"
      "\n"
      // Escaped strings make the fast scanner give up: nlohmann reads it instead.
      R"({"t_s":2,"type":"peds","id":[4],"x":[0.5],"y":[0.25],"state":["sit\u005fin"],"areas":{}})"
      "\n");
  REQUIRE(r.peds.t_s.size() == 2);
  CHECK(r.ped_frame_at(1.5) == 0);
  CHECK(r.peds.offset[1] == 2);
  CHECK(r.peds.x[1] == Approx(-2.5));
  CHECK(r.peds.y[1] == Approx(4));
  CHECK(r.peds.id[1] == 7);
  CHECK(r.peds.state[0] == kPush);
  CHECK(r.peds.state[1] == kGather);
  CHECK(r.peds.area_counts[0].at("a") == 2);
  CHECK(r.peds.on_edges[0] == 1);
  CHECK(r.peds.x[2] == Approx(0.5));
  CHECK(r.peds.state[2] == kSitIn);
  CHECK(r.has_ped_states);
}

TEST_CASE("flood frames give each cell's depth and each barrier's state") {
  const std::string flood =
      R"(,"flood":{"cells":[{"id":"c1","node":"y","outline":[]},{"id":"c2"}],)"
      R"("barriers":[{"id":"b","from":"c1","to":"c2","crest_m":1}],"alarm_levels_m":{"I":3}}})";
  std::string h = kHeader;
  h.replace(h.rfind("}}"), 2, "}" + flood);
  LoadResult lr = load_trace_text(
      h + R"({"t_s":5,"type":"flood","depth_m":[0.4],"stage_m":3.5,"barriers":["up"]})" + "\n" +
          R"({"t_s":6,"type":"water_entered","cell":"c1"})" + "\n" + R"({"t_s":9,"type":"end"})" +
          "\n",
      "f.jsonl");
  REQUIRE(lr.replay);
  const Replay& r = *lr.replay;
  REQUIRE(r.flood_cells.size() == 2);
  CHECK(r.flood_cells[0].node == 1);
  CHECK(r.barriers[0].to == 1);
  CHECK(r.alarm_levels_m.at("I") == 3);
  REQUIRE(r.flood.size() == 1);
  CHECK(r.flood[0].depth_m == std::vector<float>{0.4f, 0.f});  // missing cells: dry
  CHECK(r.flood[0].barriers[0] == "up");
  CHECK(r.events.back().cell == "c1");
}

TEST_CASE("a truncated, garbled or newer trace is refused with the line and the reason") {
  const std::string good = lines(R"({"t_s":1,"type":"detected","role":"boss"})"
                                 "\n");
  auto first_error = [](const std::string& text, bool partial = false) {
    LoadResult lr = load_trace_text(text, "f.jsonl", partial);
    return lr.replay ? std::string("loaded") : lr.errors.at(0);
  };
  CHECK(first_error(good.substr(0, good.size() - 10)) ==
        "f.jsonl: line 3: the trace is truncated (last line incomplete)");
  CHECK(first_error(good.substr(0, good.rfind("{\"t_s\":99"))).find("no \"end\" line") !=
        std::string::npos);
  CHECK(first_error(good.substr(0, good.rfind("{\"t_s\":99")), true) == "loaded");
  CHECK(first_error(kHeader + "{\"t_s\":1,]\n") == "f.jsonl: line 2: not a JSON object");
  CHECK(first_error("") == "f.jsonl: line 1: the trace is empty");
  std::string newer = good;
  newer.replace(newer.find("trace/1"), 7, "trace/2");
  CHECK(first_error(newer).find("is newer or older than this build reads") != std::string::npos);
  CHECK(first_error(lines(R"({"t_s":-1,"type":"detected"})"
                          "\n")) == "f.jsonl: line 2: t_s out of range");
}

TEST_CASE("read_trace accepts exactly the JSON objects that json::parse accepts") {
  using hqdrill::io::read_trace;
  auto valid = [](const std::string& line) {
    const auto r = read_trace("{\"schema\":\"hqdrill.trace/1\"}\n" + line + "\n");
    for (const auto& d : r.diagnostics.items)
      if (d.message == "not a JSON object") return false;
    return true;
  };
  CHECK(valid(R"({"t_s":1,"type":"x","s":"\ud83d\ude00 é \n"})"));
  CHECK(valid(R"({"t_s":1e-999,"type":"x"})"));  // underflow: 0, as json::parse
  CHECK_FALSE(valid(R"({"t_s":1e999,"type":"x"})"));
  CHECK_FALSE(valid(R"({"a":"\ud800"})"));     // a lone high surrogate
  CHECK_FALSE(valid("{\"a\":\"\xc0\xaf\"}"));  // overlong UTF-8
  CHECK_FALSE(valid(R"({"a":01})"));
  CHECK_FALSE(valid(R"({"a":1.})"));
  CHECK_FALSE(valid(R"({"a":[1,]})"));
  CHECK_FALSE(valid(R"({"a":1,})"));
  CHECK_FALSE(valid(R"([{"a":1}])"));
  CHECK_FALSE(valid("{\"a\":\"tab\there\"}"));
  const auto r = read_trace(
      "{\"schema\":\"hqdrill.trace/1\"}\n {\"t_s\" : 2.5 , \"t_s\":3, \"type\" : \"q\\u0041\" } "
      "\n");
  REQUIRE(r.lines.size() == 1);
  CHECK(r.lines[0].t_s == 3);  // a repeated key: the last one, as json::parse
  CHECK(r.lines[0].type == "qA");
}
