// `hqdrill sensitivity` as a user meets it: which incident it takes, the errors that exit
// 2 naming the file, and the JSON it writes. (Kept apart from test_cli.cpp, same style.)
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_support.hpp"

namespace fs = std::filesystem;
using namespace hqdrill::test;

TEST_CASE("sensitivity on an incident with no crowd exits 2 and names the file",
          "[cli][sensitivity]") {
  Scratch s("sens-generic");
  const std::string hq = kSrc + "/scenarios/quang-ngai-hq.json";
  const Run r = cli("sensitivity '" + hq + "' --incident a-hq-gate-mon-0800 --runs 1", s);
  CHECK(r.code == 2);
  CHECK(r.err.find(hq + ": incident \"a-hq-gate-mon-0800\" is of type \"generic\"") !=
        std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("sensitivity with an unknown incident or a scenario without a crowd exits 2",
          "[cli][sensitivity]") {
  Scratch s("sens-missing");
  const std::string hq = kSrc + "/scenarios/quang-ngai-hq.json";
  const Run unknown = cli("sensitivity '" + hq + "' --incident no-such-incident", s);
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find(hq + ": no incident \"no-such-incident\"") != std::string::npos);

  const std::string minimal = kSrc + "/tests/data/scenario_minimal.json";
  const Run none = cli("sensitivity '" + minimal + "'", s);
  CHECK(none.code == 2);
  CHECK(none.err.find(minimal + ": no crowd_complaint incident") != std::string::npos);

  CHECK(cli("sensitivity '" + hq + "' --runs 0", s).code == 2);
}

TEST_CASE("sensitivity prints the tornado table and writes hqdrill.sensitivity/1 JSON",
          "[cli][sensitivity]") {
  Scratch s("sens-json");
  // crowd-50 over 40 min and one run per variant: the table's shape in a few seconds.
  std::string text = slurp(kSrc + "/scenarios/crowd-50-weekday.json");
  const auto p = text.find("\"horizon_s\": 7200");
  REQUIRE(p != std::string::npos);
  text.replace(p, std::string("\"horizon_s\": 7200").size(), "\"horizon_s\": 2400");
  const std::string scenario = s / "crowd-50-short.json";
  std::ofstream(scenario, std::ios::binary) << text;

  const std::string json = s / "sens.json";
  const Run r =
      cli("sensitivity '" + scenario + "' --runs 1 --seed 3 --threads 2 --json '" + json + "'", s);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Độ nhạy") < r.out.find("sensitivity"));  // Vietnamese first
  CHECK(r.out.find("crowd-50-tue-0800") != std::string::npos);
  CHECK(r.out.find("legitimacy") != std::string::npos);
  CHECK(r.out.find(" → ") != std::string::npos);

  const auto j = nlohmann::json::parse(slurp(json));
  CHECK(j["schema"] == "hqdrill.sensitivity/1");
  CHECK(j["incident"] == "crowd-50-tue-0800");
  CHECK(j["runs"] == 1);
  CHECK(j["seed"] == 3);
  REQUIRE(j["kpis"].size() == 6);
  CHECK(j["kpis"][0]["name"] == "peak_active_fraction");
  CHECK(j["base"].contains("street_blocked_s"));
  REQUIRE(j["rows"].size() == 18);  // the 18 parameters of sensitivity.hpp
  for (const auto& row : j["rows"]) {
    CHECK(row["low"].get<double>() < row["high"].get<double>());
    CHECK(row["at_low"].size() == 6);
    CHECK(row["at_high"].size() == 6);
  }
  CHECK(j["rows"][0]["rank"] == 1);
  // Written through a temporary name: nothing else is left in the directory.
  int files = 0;
  for (const auto& e : fs::directory_iterator(s.dir)) files += e.path().extension() != ".txt";
  CHECK(files == 2);  // the scenario and the JSON
}
