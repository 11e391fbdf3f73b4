// `hqdrill report DIR` as a user meets it: both files written from a real results
// directory, numbers that trace back to summary.json and runs.csv, Vietnamese by default
// and English on request; a missing or inconsistent input exits 2 naming the file (and the
// JSON pointer or line) and writes nothing.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "cli_support.hpp"

namespace fs = std::filesystem;
using namespace hqdrill::test;

namespace {

const std::string kMinimal = kSrc + "/tests/data/scenario_minimal.json";

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

int count(const std::string& text, const std::string& part) {
  int n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

/// A results directory of the minimal scenario (20 runs).
std::string results(const Scratch& s) {
  const std::string dir = s / "results";
  const Run r = cli("run '" + kMinimal + "' --runs 20 --out '" + dir + "' -q", s);
  REQUIRE(r.code == 0);
  return dir;
}

}  // namespace

TEST_CASE(
    "the report of a results directory is written in Vietnamese, with every chart it "
    "announces, and its target shares are those of summary.json",
    "[report][cli]") {
  Scratch s("report-ok");
  const std::string dir = results(s);
  const Run r = cli("report '" + dir + "'", s);
  REQUIRE(r.code == 0);
  const std::string html = slurp(dir + "/report.html"), md = slurp(dir + "/report.md");
  REQUIRE(!html.empty());
  REQUIRE(!md.empty());
  CHECK(has(html, "<html lang=\"vi\">"));
  CHECK(has(html, "Báo cáo sau diễn tập và kế hoạch cải tiến"));
  for (const char* section : {"1. Tóm tắt", "2. Những việc làm tốt", "3. Những việc cần cải thiện",
                              "4. Khuyến nghị cho kế hoạch năm sau", "8. Chi tiết từng tình huống",
                              "9. Phương pháp và nguồn số liệu"}) {
    CHECK(has(html, section));
    CHECK(has(md, std::string("## ") + section));
  }
  // Announced charts = figures in the page; a targets chart, a site map, one histogram per
  // targeted KPI and the timelines of the median and the worst run.
  std::smatch m;
  REQUIRE(std::regex_search(html, m, std::regex("name=\"hqdrill-charts\" content=\"([0-9]+)\"")));
  CHECK(std::stoi(m[1]) == count(html, "<figure data-chart="));
  const auto summary = nlohmann::json::parse(slurp(dir + "/summary.json"));
  const auto& inc = summary["incidents"][0];
  const std::string id = inc["id"];
  CHECK(has(html, "data-chart=\"targets\""));
  CHECK(has(html, "data-chart=\"site\""));
  CHECK(has(html, "data-chart=\"timeline-" + id + "-median\""));
  CHECK(has(html, "data-chart=\"timeline-" + id + "-worst\""));
  for (const auto& t : inc["targets"]) {
    CHECK(has(html, "data-chart=\"hist-" + id + "-" + t["kpi"].get<std::string>() + "\""));
    // Section 8's row of the target ends "| LIMIT / REQUIRED | MET |": the share met as
    // summary.json has it, to 0.1 % with the decimal comma, after the share required.
    char buf[64];
    std::snprintf(buf, sizeof buf, "/ %.0f%% | %.1f%% |", 100.0 * t["min_fraction"].get<double>(),
                  100.0 * t["met_fraction"].get<double>());
    std::string row_end = buf;
    std::replace(row_end.begin(), row_end.end(), '.', ',');
    CHECK(has(md, row_end));
  }
  // No plan or sensitivity yet: the report says how to get them.
  CHECK(has(md, "hqdrill plan"));
  CHECK(has(md, "hqdrill sensitivity"));
  CHECK(has(md, "runs.csv"));
}

TEST_CASE("the report is in English with --lang en and the same for the same results",
          "[report][cli]") {
  Scratch s("report-en");
  const std::string dir = results(s);
  REQUIRE(cli("report '" + dir + "' --lang en --html '" + (s / "a.html") + "' --md '" +
                  (s / "a.md") + "' -q",
              s)
              .code == 0);
  REQUIRE(cli("report '" + dir + "' --lang en --html '" + (s / "b.html") + "' --md '" +
                  (s / "b.md") + "' -q",
              s)
              .code == 0);
  const std::string html = slurp(s / "a.html");
  CHECK(has(html, "<html lang=\"en\">"));
  CHECK(has(html, "After-action report and improvement plan"));
  CHECK(has(html, "4. Recommendations for next year"));
  CHECK(html == slurp(s / "b.html"));  // deterministic: no clock, no machine
  CHECK(slurp(s / "a.md") == slurp(s / "b.md"));
  CHECK(!fs::exists(dir + "/report.html"));  // --html and --md said where
}

TEST_CASE("a missing or inconsistent input exits 2, names the file and writes no report",
          "[report][cli]") {
  Scratch s("report-bad");
  const std::string dir = results(s);

  SECTION("not a results directory") {
    const Run r = cli("report '" + (s / "nowhere") + "'", s);
    CHECK(r.code == 2);
    CHECK(has(r.err, "not a results directory"));
  }
  SECTION("summary.json of another format") {
    auto j = nlohmann::json::parse(slurp(dir + "/summary.json"));
    j["schema"] = "hqdrill.summary/9";
    j["incidents"][0]["targets"][0].erase("max");
    std::ofstream(dir + "/summary.json") << j.dump();
    const Run r = cli("report '" + dir + "'", s);
    CHECK(r.code == 2);
    CHECK(has(r.err, "summary.json: /schema: \"hqdrill.summary/9\" is not \"hqdrill.summary/1\""));
  }
  SECTION("a target without its limit") {
    auto j = nlohmann::json::parse(slurp(dir + "/summary.json"));
    j["incidents"][0]["targets"][0].erase("max");
    std::ofstream(dir + "/summary.json") << j.dump();
    const Run r = cli("report '" + dir + "'", s);
    CHECK(r.code == 2);
    CHECK(has(r.err, "summary.json: /incidents/0/targets/0: missing \"max\""));
  }
  SECTION("runs.csv that does not give summary.json's shares") {
    // Every value of the first target's KPI pushed past any limit: the met share falls to 0.
    const auto j = nlohmann::json::parse(slurp(dir + "/summary.json"));
    const std::string kpi = j["incidents"][0]["targets"][0]["kpi"];
    std::ifstream in(dir + "/runs.csv");
    std::string line, out;
    while (std::getline(in, line)) {
      if (line.find("," + kpi + ",") != std::string::npos && line.back() != ',')
        line = line.substr(0, line.rfind(',') + 1) + "99999999";
      out += line + "\n";
    }
    in.close();
    std::ofstream(dir + "/runs.csv") << out;
    const Run r = cli("report '" + dir + "'", s);
    CHECK(r.code == 2);
    CHECK(has(r.err, "summary.json: /incidents/0/targets/0/met_fraction: "));
    CHECK(has(r.err, "but runs.csv gives 0.000000 (the two files are not from the same run)"));
  }
  SECTION("a garbled runs.csv line") {
    std::ofstream(dir + "/runs.csv", std::ios::app) << "x,y\n";
    const Run r = cli("report '" + dir + "'", s);
    CHECK(r.code == 2);
    CHECK(has(r.err, "runs.csv: line "));
    CHECK(has(r.err, ": expected 4 fields, found 2"));
  }
  SECTION("a truncated trace") {
    const auto j = nlohmann::json::parse(slurp(dir + "/summary.json"));
    const std::string trace =
        dir + "/traces/" + j["incidents"][0]["id"].get<std::string>() + "/run-" +
        std::to_string(j["incidents"][0]["traced_runs"]["median"].get<int>()) + ".jsonl";
    const std::string text = slurp(trace);
    std::ofstream(trace) << text.substr(0, text.size() / 2);
    const Run r = cli("report '" + dir + "'", s);
    CHECK(r.code == 2);
    CHECK(has(r.err, ".jsonl: line "));
  }
  SECTION("a plan file of another kind") {
    std::ofstream(s / "plan.json") << R"({"schema": "hqdrill.compare/1"})";
    const Run r = cli("report '" + dir + "' --plan '" + (s / "plan.json") + "'", s);
    CHECK(r.code == 2);
    CHECK(has(r.err, "plan.json: /schema: \"hqdrill.compare/1\" is not \"hqdrill.plan/1\""));
  }
  CHECK(!fs::exists(dir + "/report.html"));
  CHECK(!fs::exists(dir + "/report.md"));
}
