// `hqdrill compare` and `hqdrill plan` as a user meets them: bad options files exit 2
// naming the file and the JSON pointer, nothing is written, and the JSON formats
// "hqdrill.compare/1" and "hqdrill.plan/1".
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_support.hpp"

namespace fs = std::filesystem;
using namespace hqdrill::test;

namespace {

const std::string kMinimal = kSrc + "/tests/data/scenario_minimal.json";
const std::string kOptions = kSrc + "/tests/data/options_minimal.json";

std::string write(const Scratch& s, const std::string& name, const std::string& text) {
  const std::string path = s / name;
  std::ofstream(path) << text;
  return path;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a bad options file exits 2, names the file and the JSON pointer, and writes nothing",
          "[plan][cli]") {
  Scratch s("plan-bad");
  const std::string bad = write(s, "bad.json", R"({
  "schema": "hqdrill.options/1",
  "options": [
    {"id": "radio", "name": "x", "cost": {},
     "changes": [{"kind": "add_link", "id": "l_new", "from": "guard_hq_postt",
                  "to": "police_squad_leader", "channel": "radio", "delay_s": 5}]},
    {"id": "train", "name": "y", "owner": "head_of_guardz", "cost": {"hours": -1},
     "changes": [{"kind": "train_rol", "role": "head_of_guards"},
                 {"kind": "train_role", "role": "head_of_guards", "reaction_factr": 0.5},
                 {"kind": "upgrade_link", "link": "l_post_polic", "delay_factor": 0.5},
                 {"kind": "add_members", "unit": "guards_hq", "shifts": ["Ca 4"], "add": 1}]}
  ]
})");
  const std::string json = s / "out.json";
  for (const std::string& cmd :
       {"plan '" + kMinimal + "' --options '" + bad + "' --runs 2 --json '" + json + "'",
        "compare '" + kMinimal + "' --options '" + bad + "' --with radio --runs 2 --json '" + json +
            "'"}) {
    INFO(cmd);
    const Run r = cli(cmd, s);
    CHECK(r.code == 2);
    CHECK(has(r.err, bad + ": /options/0/cost: a cost needs at least one of"));
    CHECK(has(r.err, bad + ": /options/0/changes/0/from: unknown role \"guard_hq_postt\" (did "
                           "you mean \"guard_hq_post\"?)"));
    CHECK(has(r.err, bad + ": /options/1/cost/hours: "));
    CHECK(has(r.err, bad + ": /options/1/owner: unknown role \"head_of_guardz\" (did you mean "
                           "\"head_of_guards\"?)"));
    CHECK(has(r.err, bad + ": /options/1/changes/0/kind: unknown change kind \"train_rol\" (did "
                           "you mean \"train_role\"?)"));
    CHECK(has(r.err, bad + ": /options/1/changes/1: unknown key \"reaction_factr\" (did you mean "
                           "\"reaction_factor\"?)"));
    CHECK(has(r.err, bad + ": /options/1/changes/2/link: unknown link \"l_post_polic\" (did you "
                           "mean \"l_post_police\"?)"));
    CHECK(has(r.err, bad + ": /options/1/changes/3/shifts/0: unit \"guards_hq\" has no shift "
                           "\"Ca 4\""));
    CHECK(r.out.empty());
    CHECK_FALSE(fs::exists(json));
  }
  const std::string garbled = write(s, "garbled.json", "{\"schema\": \"hqdrill.options/1\", ");
  const Run g = cli("plan '" + kMinimal + "' --options '" + garbled + "'", s);
  CHECK(g.code == 2);
  CHECK(has(g.err, garbled + ": invalid JSON"));
  const Run missing = cli("plan '" + kMinimal + "' --options '" + (s / "none.json") + "'", s);
  CHECK(missing.code == 2);
  CHECK(has(missing.err, s / "none.json" + ": cannot open the file"));
}

TEST_CASE("compare and plan refuse bad usage with exit 2", "[compare][plan][cli]") {
  Scratch s("plan-usage");
  const Run unknown =
      cli("compare '" + kMinimal + "' --options '" + kOptions + "' --with radio_polise", s);
  CHECK(unknown.code == 2);
  CHECK(has(unknown.err, "has no option \"radio_polise\" (did you mean \"radio_police\"?)"));
  CHECK(cli("compare '" + kMinimal + "'", s).code == 2);
  CHECK(cli("compare '" + kMinimal + "' '" + kMinimal + "' --options '" + kOptions +
                "' --with radio_police",
            s)
            .code == 2);
  const Run budget =
      cli("plan '" + kMinimal + "' --options '" + kOptions + "' --budget dollars=5", s);
  CHECK(budget.code == 2);
  CHECK(has(budget.err, "--budget \"dollars=5\""));
}

TEST_CASE("compare of a scenario with itself writes hqdrill.compare/1 with zero differences",
          "[compare][cli]") {
  Scratch s("compare-self");
  const std::string json = s / "cmp.json";
  const Run r = cli(
      "compare '" + kMinimal + "' '" + kMinimal + "' --runs 20 --threads 2 --json '" + json + "'",
      s);
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "20 paired runs"));
  const auto j = nlohmann::json::parse(slurp(json));
  CHECK(j["schema"] == "hqdrill.compare/1");
  REQUIRE(j["incidents"].size() == 1);
  CHECK(j["incidents"][0]["common_random_numbers"] == true);
  REQUIRE(j["incidents"][0]["kpis"].size() >= 3);
  for (const auto& k : j["incidents"][0]["kpis"]) {
    INFO(k["kpi"]);
    CHECK(k["mean_diff"] == 0.0);
    CHECK(k["ci95_low"] == 0.0);
    CHECK(k["ci95_high"] == 0.0);
    CHECK(k["significant"] == false);
  }
}

TEST_CASE("compare with options shows the faster radio in the police KPIs", "[compare][cli]") {
  Scratch s("compare-options");
  const std::string json = s / "cmp.json";
  const Run r = cli("compare '" + kMinimal + "' --options '" + kOptions +
                        "' --with radio_police --runs 40 --json '" + json + "'",
                    s);
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(slurp(json));
  int seen = 0;
  for (const auto& k : j["incidents"][0]["kpis"]) {
    INFO(k["kpi"]);
    if (k["kpi"] == "notified_police_squad_leader_s") {
      ++seen;
      CHECK(k["significant"] == true);
      CHECK(k["ci95_high"].get<double>() < 0);
      CHECK(k["sign_test_p"].get<double>() < 0.05);
    }
    if (k["kpi"] == "detect_s" || k["kpi"] == "notified_head_of_guards_s") {
      ++seen;
      CHECK(k["significant"] == false);
      CHECK(k["mean_diff"] == 0.0);
    }
  }
  CHECK(seen == 3);  // the KPIs checked exist (no vacuous pass if a name changes)
}

TEST_CASE("plan writes hqdrill.plan/1 with the baseline, the best plan and the Pareto front",
          "[plan][cli]") {
  Scratch s("plan-json");
  const std::string json1 = s / "p1.json", json2 = s / "p2.json";
  // A tight target makes the options matter.
  auto sc = nlohmann::json::parse(slurp(kMinimal));
  sc["targets"][0]["max_s"] = 330;
  const std::string tight = write(s, "tight.json", sc.dump());
  const std::string base =
      "plan '" + tight + "' --options '" + kOptions + "' --runs 30 --budget money_vnd=20000000";
  const Run r = cli(base + " --threads 1 --json '" + json1 + "'", s);
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "exhaustive search, 4 combinations evaluated"));
  CHECK(has(r.out, "Pareto front (money_vnd against objective)"));
  const auto j = nlohmann::json::parse(slurp(json1));
  CHECK(j["schema"] == "hqdrill.plan/1");
  CHECK(j["method"] == "exhaustive");
  CHECK(j["evaluated"].size() == 4);
  CHECK(j["best"]["objective"].get<double>() < j["baseline"]["objective"].get<double>());
  // Front: train_police alone costs no money and already helps; then both.
  REQUIRE(j["pareto_front"].size() == 2);
  CHECK(j["pareto_front"][0]["cost"]["money_vnd"] == 0);
  CHECK(j["pareto_front"][0]["options"] == nlohmann::json::array({"train_police"}));
  CHECK(j["pareto_front"][1]["options"] == j["best"]["options"]);
  // Recommendations: the best plan against the baseline, as a whole and option by option,
  // with the names `hqdrill report` reads.
  CHECK(has(r.out, "Khuyến nghị / Recommendations"));
  const auto& rec = j["recommendations"];
  CHECK(rec["plan"] == j["best"]["options"]);
  const double base_j = j["baseline"]["objective"], best_j = j["best"]["objective"];
  CHECK(rec["objective_base"].get<double>() == Approx(base_j));
  CHECK(rec["objective_plan"].get<double>() == Approx(best_j));
  CHECK(rec["objective_diff"].get<double>() == Approx(best_j - base_j));
  REQUIRE(rec["objective_ci95"].size() == 2);
  CHECK(rec["objective_ci95"][0].get<double>() <= rec["objective_diff"].get<double>());
  CHECK(rec["objective_diff"].get<double>() <= rec["objective_ci95"][1].get<double>());
  REQUIRE(rec["items"].size() == 2);
  const auto& radio = rec["items"][0];
  CHECK(radio["option"] == "radio_police");
  CHECK(radio["name_en"] == "Radio between the guard post and the police squad");
  CHECK(radio["owner"] == "guard_hq_post");  // derived: the upgraded link's sender
  CHECK(radio["owner_given"] == false);
  CHECK(radio["cost"]["money_vnd"] == 10000000);
  CHECK(rec["items"][1]["owner"] == "police_squad_leader");  // train_role: the role
  for (const auto* item : {&radio, &rec["items"][1], &rec["whole"]}) {
    for (const char* key : {"objective_diff", "objective_ci95", "effects"}) {
      INFO(key);
      CHECK(item->contains(key));
    }
    REQUIRE((*item)["effects"].size() == 1);  // the one target
    const auto& e = (*item)["effects"][0];
    CHECK(e["incident"] == "night-alarm-records");
    CHECK(e["kpi"] == "on_scene_police_squad_s");
    CHECK(e["unit"] == "s");
    CHECK(e["target_max"] == 330);
    CHECK(e["min_fraction"] == 0.9);
    for (const char* key :
         {"met_base", "met_with", "mean_diff", "ci95", "sign_test_p", "significant"}) {
      INFO(key);
      CHECK(e.contains(key));
    }
  }
  CHECK(rec["whole"]["option"] == "plan");
  CHECK(rec["whole"]["effects"][0]["significant"] == true);
  CHECK(rec["whole"]["effects"][0]["mean_diff"].get<double>() < 0);
  // The same whatever the thread count.
  REQUIRE(cli(base + " --threads 2 -q --json '" + json2 + "'", s).code == 0);
  CHECK(slurp(json1) == slurp(json2));
}
