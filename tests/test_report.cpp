// The report's building blocks (tools/report): numbers in Vietnamese and English, chart
// axes, the histogram against a target, KPI names and the story of a hand-made trace.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "hqdrill/io/trace_io.hpp"
#include "report/charts.hpp"
#include "report/names.hpp"
#include "report/story.hpp"
#include "report/svg.hpp"
#include "report/text.hpp"

using namespace hqdrill::report;

namespace {

int count(const std::string& text, const std::string& part) {
  int n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

const Lang kVi{true}, kEn{false};

}  // namespace

TEST_CASE("numbers use the decimal comma and dot thousands in Vietnamese, the reverse in English",
          "[report]") {
  CHECK(num(1234.5, 1, kVi) == "1.234,5");
  CHECK(num(1234.5, 1, kEn) == "1,234.5");
  CHECK(num(-0.04, 1, kVi) == "0,0");  // no "-0" after rounding
  CHECK(num(-62.5, 1, kEn) == "−62.5");
  CHECK(pct(0.755, kVi, 1) == "75,5%");
  CHECK(pct(0.9, kEn) == "90%");
  CHECK(money_vnd(85e6, kVi) == "85 triệu đồng");
  CHECK(money_vnd(1.5e6, kEn) == "1.5 million VND");
  CHECK(money_vnd(600000, kVi) == "600.000 đồng");
}

TEST_CASE("durations read in seconds under 2 min, minutes under 2 h, hours above", "[report]") {
  CHECK(duration(45, kVi) == "45 giây");
  CHECK(duration(120, kVi) == "2,0 phút");
  CHECK(duration(270, kEn) == "4.5 min");
  CHECK(duration(41760, kEn) == "11.6 h");
  CHECK(duration(-62.5, kEn, true) == "−63 s");  // half away from zero
  CHECK(duration(119.6, kVi) == "2,0 phút");     // the unit follows the rounded value
  CHECK(pct(0.645, kEn) == "65%");
  CHECK(pct(0.795, kVi, 1) == "79,5%");
  CHECK(duration(30, kEn, true) == "+30 s");
  CHECK(kpi_value("records_lost_fraction", 0.041, kVi) == "4,1%");
  CHECK(kpi_value("records_lost_fraction", -0.041, kEn, true) == "−4.1 pp");
  CHECK(kpi_value("max_depth_yard_m", 0.92, kEn) == "0.92 m");
}

TEST_CASE("axis ticks step by 1, 2 or 5 times a power of ten", "[report]") {
  CHECK(nice_ticks(0, 7, 7) == std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7});
  CHECK(nice_ticks(0, 100, 4) == std::vector<double>{0, 50, 100});  // 100 / 4 = 25 -> 50
  CHECK(nice_max(62, 4) == 80);                                     // step 20
  CHECK(nice_max(3.2, 8) == 3.5);                                   // step 0.5
  CHECK(coord(12.04) == "12");
  CHECK(coord(-0.04) == "0");
}

TEST_CASE("a histogram bins the runs, colours those beyond the target and counts the missing",
          "[report]") {
  // 10 runs: 30..100 s in steps of 10 (8 runs) and 2 where it never happened; target 60 s
  // for 90 %: met in 4 of 10 runs (30, 40, 50, 60). Axis: max 100 s -> ticks of 20 s,
  // bins of 10 s closed on the right, (20,30] ... (90,100], one run each: a run exactly
  // at the target is drawn with those that met it.
  const std::vector<double> v{30, 40, 50, 60, 70, 80, 90, 100};
  const std::string svg = histogram_chart("x_s", "x", v, 2, HistogramTarget{60, 0.9, 0.4}, kEn);
  CHECK(count(svg, "class=\"bar ok\"") == 4);    // (20,30] ... (50,60]
  CHECK(count(svg, "class=\"bar late\"") == 4);  // (60,70] ... (90,100]
  CHECK(count(svg, "class=\"bar missing\"") == 1);
  CHECK(svg.find("Did not happen before the horizon: 2 runs") != std::string::npos);
  CHECK(svg.find("met 40.0% / required 90% · MISSED") != std::string::npos);
  CHECK(count(svg, "1 run (10.0%)") == 8);
}

TEST_CASE(
    "a bin holding runs on both sides of the target is drawn as both, and zeros that "
    "meet a zero target are green",
    "[report]") {
  // Axis to 60 s in ticks of 10, bins of 5. Target 53 s: 52 s met it, 54 s did not; both
  // fall in the bin (50, 55].
  const std::string both =
      histogram_chart("x_s", "x", {52, 54}, 0, HistogramTarget{53, 1, 0.5}, kEn);
  CHECK(count(both, "class=\"bar ok\"") == 1);
  CHECK(count(both, "class=\"bar late\"") == 1);
  CHECK(count(both, "2 runs (100.0%), meeting the target: 1") == 2);
  // Nobody got in (target 0 people) in 3 runs of 4; 2 got in in the last one.
  const std::string zero =
      histogram_chart("intruders_n", "x", {0, 0, 0, 2}, 0, HistogramTarget{0, 0.99, 0.75}, kEn);
  CHECK(count(zero, "class=\"bar ok\"") == 1);
  CHECK(count(zero, "class=\"bar late\"") == 1);
  CHECK(zero.find("3 runs (75.0%)") != std::string::npos);
  // A negative margin (ASET - RSET) is drawn left of 0, not folded into the first bin.
  const std::string negative =
      histogram_chart("aset_margin_s", "x", {-30, 40}, 0, std::nullopt, kEn);
  CHECK(negative.find("−35–−30 s: 1 run") != std::string::npos);
}

TEST_CASE("axis ticks stay finite for spans far below the spacing of doubles", "[report]") {
  CHECK(nice_ticks(5e8, 5e8 + 1e-6, 6).size() <= 1000);
  CHECK(nice_ticks(0, 1e300, 8).size() <= 10);
  CHECK(nice_ticks(3, 3, 8) == std::vector<double>{3});
}

TEST_CASE("KPIs are named by the roles, units and tasks of the trace header", "[report]") {
  const auto h = nlohmann::json::parse(R"({
    "roles": [{"id": "boss", "name": "Lãnh đạo", "name_en": "Leader"}],
    "units": [{"id": "squad", "name": "Tổ công an", "name_en": ""}],
    "tasks": [{"id": "close_gate", "name": "Đóng cổng", "name_en": "Close the gate"}]})");
  const Names n = Names::from_header(h);
  CHECK(kpi_label("notified_boss_s", n, true) == "Lãnh đạo được báo");
  CHECK(kpi_label("notified_boss_s", n, false) == "Leader told");
  CHECK(kpi_label("on_scene_squad_s", n, false) == "Tổ công an on scene");  // no English name
  CHECK(kpi_label("task_close_gate_done_s", n, false) == "Done: Close the gate");
  CHECK(kpi_label("notified_nobody_s", n, false) == "nobody told");
  CHECK(kpi_label("unknown_metric", n, true) == "unknown_metric");
}

TEST_CASE("the story of a run has a lane per role, unit trip and task, in time order", "[report]") {
  const std::string trace =
      R"({"schema":"hqdrill.trace/1","run":7,"label":"worst","site":{"nodes":[],"edges":[],"areas":[]},)"
      R"("roles":[{"id":"guard","name":"Bảo vệ","name_en":"Guard"}],)"
      R"("units":[{"id":"squad","name":"Tổ","name_en":"Squad"}],)"
      R"("tasks":[{"id":"gate","name":"Cổng","name_en":"Gate"}],"movers":[],"kpis":{}})"
      "\n"
      R"({"t_s":0,"type":"incident_started","node":"g"})"
      "\n"
      R"({"t_s":10,"type":"role_alerted","role":"guard"})"
      "\n"
      R"({"t_s":25,"type":"role_acting","role":"guard","unit":"squad"})"
      "\n"
      R"({"t_s":25,"type":"task_assigned","task":"gate","unit":"squad","role":"guard"})"
      "\n"
      R"({"t_s":26,"type":"unit_departed","unit":"squad","mover":0,"node":"a","members":1})"
      "\n"
      R"({"t_s":60,"type":"unit_arrived","unit":"squad","mover":0,"node":"g","members":1})"
      "\n"
      R"({"t_s":60,"type":"task_started","task":"gate","unit":"squad"})"
      "\n"
      R"({"t_s":90,"type":"task_done","task":"gate","unit":"squad"})"
      "\n"
      R"({"t_s":90,"type":"end"})"
      "\n";
  const auto read = hqdrill::io::read_trace(trace);
  REQUIRE(read.ok);
  const Story s = build_story(read, false);
  CHECK(s.run == 7);
  CHECK(s.label == "worst");
  CHECK(s.end_s == 90);
  REQUIRE(s.lanes.size() == 4);  // incident, Guard, Squad, Gate
  CHECK(s.lanes[1].label == "Guard");
  REQUIRE(s.lanes[1].items.size() == 2);
  CHECK(s.lanes[1].items[1].kind == StoryItem::Kind::wait);  // told 10 s, acting 25 s
  CHECK(s.lanes[1].items[1].t0 == 10);
  CHECK(s.lanes[1].items[1].t1 == 25);
  CHECK(s.lanes[2].label == "Squad");
  REQUIRE(s.lanes[2].items.size() == 1);
  CHECK(s.lanes[2].items[0].t0 == 26);  // the trip
  CHECK(s.lanes[2].items[0].t1 == 60);
  CHECK(s.lanes[3].label == "Gate");
  REQUIRE(s.lanes[3].items.size() == 2);  // waiting for people 25..60, working 60..90
  CHECK(s.lanes[3].items[0].kind == StoryItem::Kind::wait);
  CHECK(s.lanes[3].items[1].t0 == 60);
  CHECK(s.lanes[3].items[1].t1 == 90);
}
