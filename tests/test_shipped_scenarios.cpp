// Every shipped scenario validates and runs headless (STYLE.md habit 12), and the
// shipped plan variants show the effect they were written to show.
#include <catch2/catch.hpp>
#include <filesystem>

#include "hqdrill/analysis/findings.hpp"
#include "hqdrill/analysis/summary.hpp"
#include "hqdrill/io/scenario_io.hpp"
#include "hqdrill/sim/experiment.hpp"

using namespace hqdrill;
namespace fs = std::filesystem;

namespace {

Scenario load(const std::string& rel) {
  const std::string path = std::string(HQDRILL_SOURCE_DIR) + "/" + rel;
  auto r = io::load_scenario(path);
  for (const auto& d : r.diagnostics.items) INFO(io::format(path, d));
  REQUIRE(r.scenario);
  return std::move(*r.scenario);
}

struct Outcome {
  ExperimentResults results;
  std::vector<IncidentSummary> sums;
  std::vector<Finding> findings;
};

Outcome run(const Scenario& s, int runs) {
  Outcome o;
  o.results = run_experiment(s, ExperimentOptions{runs, s.run.seed, 2, nullptr});
  o.sums = summarize(s, o.results);
  o.findings = detect_findings(s, o.results, o.sums);
  return o;
}

const KpiSummary& kpi_of(const Outcome& o, const Scenario& s, const std::string& incident,
                         const std::string& kpi) {
  for (const auto& sum : o.sums) {
    if (s.incidents[sum.incident].id != incident) continue;
    for (std::size_t k = 0; k < sum.kpi_names.size(); ++k)
      if (sum.kpi_names[k] == kpi) return sum.kpis[k];
  }
  FAIL("no KPI " << kpi << " in " << incident);
  static KpiSummary none;
  return none;
}

/// The scenario with only incident `id` (and the targets that apply to it), so a test
/// about one incident does not pay for the others' pedestrians.
Scenario only_incident(Scenario s, const std::string& id) {
  std::erase_if(s.incidents, [&](const Incident& i) { return i.id != id; });
  std::erase_if(s.targets,
                [&](const Target& t) { return !t.incident.empty() && t.incident != id; });
  REQUIRE(s.incidents.size() == 1);
  return s;
}

double late_frequency(const Outcome& o, const std::string& incident, const std::string& role) {
  for (const auto& f : o.findings)
    if (f.kind == FindingKind::late_notification && f.incident == incident && f.subject == role)
      return f.frequency;
  return 0.0;
}

}  // namespace

TEST_CASE("every shipped scenario validates and runs headless", "[scenarios]") {
  int n = 0;
  for (const auto& e : fs::directory_iterator(std::string(HQDRILL_SOURCE_DIR) + "/scenarios")) {
    if (e.path().extension() != ".json") continue;
    ++n;
    const std::string rel = "scenarios/" + e.path().filename().string();
    INFO(rel);
    const Scenario s = load(rel);
    const Outcome o = run(s, 20);
    REQUIRE(o.sums.size() == s.incidents.size());
    for (const auto& sum : o.sums) {
      INFO(s.incidents[sum.incident].id);
      // Detection happens in every run of every shipped incident.
      CHECK(sum.kpis.front().present == 20);
    }
  }
  CHECK(n >= 2);
}

TEST_CASE(
    "a direct radio link from the reception guard to the police squad closes the "
    "report's gap",
    "[scenarios]") {
  // The 2017 report: coordination during crowd complaints was "sometimes confused, not
  // tight". In the baseline the reception guard reaches the police squad only by relay;
  // the variant adds a direct radio link. Same seed and runs: paired comparison.
  const std::string inc = "c-rcp-gate-tue-0900";
  const Scenario base = only_incident(load("scenarios/quang-ngai-hq.json"), inc);
  const Scenario radio = only_incident(load("scenarios/quang-ngai-hq-radio-rcp-police.json"), inc);
  const Outcome b = run(base, 400), v = run(radio, 400);
  const auto& kb = kpi_of(b, base, inc, "notified_police_squad_leader_s");
  const auto& kv = kpi_of(v, radio, inc, "notified_police_squad_leader_s");
  INFO("baseline mean " << kb.mean << " s, variant mean " << kv.mean << " s");
  CHECK(kv.ci95_high < kb.ci95_low);  // the intervals do not overlap
  const double late_b = late_frequency(b, inc, "police_squad_leader");
  const double late_v = late_frequency(v, inc, "police_squad_leader");
  INFO("late notification of the squad leader: baseline " << late_b << ", variant " << late_v);
  CHECK(late_b - late_v >= 0.10);
}
