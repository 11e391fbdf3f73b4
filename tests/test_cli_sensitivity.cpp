// `hqdrill sensitivity` as a user meets it: which incident it takes, the errors that exit
// 2 naming the file, and the JSON it writes. (Kept apart from test_cli.cpp, same style.)
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_support.hpp"

namespace fs = std::filesystem;
using namespace hqdrill::test;

TEST_CASE("sensitivity --crowd on an incident with no crowd exits 2 and names the file",
          "[cli][sensitivity]") {
  Scratch s("sens-generic");
  const std::string hq = kSrc + "/scenarios/quang-ngai-hq.json";
  const Run r = cli("sensitivity '" + hq + "' --crowd --incident a-hq-gate-mon-0800 --runs 1", s);
  CHECK(r.code == 2);
  CHECK(r.err.find(hq + ": incident \"a-hq-gate-mon-0800\" is of type \"generic\"") !=
        std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("sensitivity --crowd with an unknown incident or a scenario without a crowd exits 2",
          "[cli][sensitivity]") {
  Scratch s("sens-missing");
  const std::string hq = kSrc + "/scenarios/quang-ngai-hq.json";
  const Run unknown = cli("sensitivity '" + hq + "' --crowd --incident no-such-incident", s);
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find(hq + ": no incident \"no-such-incident\"") != std::string::npos);

  const std::string minimal = kSrc + "/tests/data/scenario_minimal.json";
  const Run none = cli("sensitivity '" + minimal + "' --crowd", s);
  CHECK(none.code == 2);
  CHECK(none.err.find(minimal + ": no crowd_complaint incident") != std::string::npos);

  CHECK(cli("sensitivity '" + hq + "' --runs 0", s).code == 2);
}

TEST_CASE("sensitivity --crowd prints the tornado table and writes hqdrill.sensitivity/1 JSON",
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
  const Run r = cli(
      "sensitivity '" + scenario + "' --crowd --runs 1 --seed 3 --threads 2 --json '" + json + "'",
      s);
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

// ---------------------------------------------------------------- every assumption

TEST_CASE("sensitivity with an unknown --incident or --group exits 2 and says what exists",
          "[cli][sensitivity]") {
  Scratch s("sens-bad");
  const std::string minimal = kSrc + "/tests/data/scenario_minimal.json";
  const Run inc = cli("sensitivity '" + minimal + "' --incident nowhere --runs 1", s);
  CHECK(inc.code == 2);
  CHECK(inc.err.find(minimal + ": no incident \"nowhere\" (incidents: ") != std::string::npos);
  CHECK(inc.out.empty());
  const Run group = cli("sensitivity '" + minimal + "' --group weather --runs 1", s);
  CHECK(group.code == 2);
  CHECK(group.err.find("unknown group \"weather\" (groups: role, link, unit, task, travel, "
                       "crowd, fire, flood)") != std::string::npos);
  CHECK(group.out.empty());
}

TEST_CASE("sensitivity writes hqdrill.sensitivity/2 JSON, identical with 1 and 2 threads",
          "[cli][sensitivity]") {
  Scratch s("sens-all");
  const std::string minimal = kSrc + "/tests/data/scenario_minimal.json";
  const std::string one = s / "one.json", two = s / "two.json";
  const Run r1 =
      cli("sensitivity '" + minimal + "' --runs 3 --seed 5 --threads 1 --json '" + one + "'", s);
  INFO(r1.err);
  REQUIRE(r1.code == 0);
  CHECK(r1.out.find("Độ nhạy") < r1.out.find("Sensitivity"));  // Vietnamese first
  const Run r2 =
      cli("sensitivity '" + minimal + "' --runs 3 --seed 5 --threads 2 -q --json '" + two + "'", s);
  REQUIRE(r2.code == 0);
  CHECK(r2.out.empty());
  CHECK(slurp(one) == slurp(two));

  const auto j = nlohmann::json::parse(slurp(one));
  CHECK(j["schema"] == "hqdrill.sensitivity/2");
  CHECK(j["measure"] == "objective");
  CHECK(j["runs"] == 3);
  CHECK(j["seed"] == 5);
  REQUIRE(j["incidents"].size() >= 1);
  CHECK(j["base"].contains("objective"));
  const std::string first = j["incidents"][0];
  CHECK(j["base"]["per_incident"].contains(first));
  CHECK(j["base"]["primary"][first].contains("kpi"));
  REQUIRE(!j["rows"].empty());
  int rank = 0;
  double last = 1e300;
  for (const auto& row : j["rows"]) {
    CHECK(row["rank"] == ++rank);
    for (const char* key :
         {"param", "group", "what", "label_vi", "label_en", "unit", "base", "low", "high", "source",
          "objective_low", "objective_high", "swing", "incidents"})
      CHECK(row.contains(key));
    CHECK(row["swing"].get<double>() <= last);
    last = row["swing"].get<double>();
    // The file notes the police squad leader (only): its rows say "assumption".
    if (row["param"] == "role.police_squad_leader.reaction_s.scale")
      CHECK(row["source"] == "assumption");
    if (row["param"] == "role.guard_hq_post.reaction_s.scale")
      CHECK(row["source"] == "scenario value (no assumption note)");
  }
}
