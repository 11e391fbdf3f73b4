// The JSON Schema (scenarios/schema/hqdrill-1.schema.json, for editors) and the C++
// validator (the authority) agree on the shipped scenarios and on a few bad files.
// The schema side runs Python's jsonschema; without it these tests warn and skip.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "hqdrill/io/scenario_io.hpp"
#include "schema_support.hpp"

namespace fs = std::filesystem;
using hqdrill::test::have_jsonschema;
using hqdrill::test::schema_accepts;

namespace {

const std::string kSource = HQDRILL_SOURCE_DIR;

std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> files;
  const fs::path dir = fs::path(kSource) / "scenarios";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".json" &&
        !entry.path().filename().string().starts_with("options-"))  // hqdrill.options/1
      files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  files.push_back(kSource + "/tests/data/scenario_minimal.json");
  files.push_back(kSource + "/tests/data/scenario_fire.json");
  return files;
}

std::string errors_of(const hqdrill::io::LoadResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics.items)
    if (d.severity == hqdrill::io::Severity::error) out += d.pointer + ": " + d.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("every shipped scenario passes both the C++ validator and the JSON Schema", "[schema]") {
  const auto files = shipped_scenarios();
  for (const auto& file : files) {
    INFO(file);
    const auto r = hqdrill::io::load_scenario(file);
    INFO(errors_of(r));
    CHECK(r.scenario.has_value());
  }
  if (!have_jsonschema()) {
    WARN("python3 with jsonschema not found: schema side skipped");
    return;
  }
  for (const auto& file : files) {
    INFO(file);
    CHECK(schema_accepts(file));
  }
}

TEST_CASE("the C++ validator and the JSON Schema both reject the bad fixtures", "[schema]") {
  struct Bad {
    const char* file;
    const char* error;  ///< the C++ validator's only error
  };
  const std::vector<Bad> bad{
      {"scenario_bad_wrong_type.json", "/run/runs: expected an integer, got string"},
      {"scenario_bad_unknown_key.json",
       "/roles/2: unknown key \"reacton_s\" (did you mean \"reaction_s\"?)"},
      {"scenario_bad_missing_key.json", "/site/edges/0: missing required key \"length_m\""},
      {"scenario_bad_enum.json",
       "/comms/links/0/channel: unknown channel \"radios\" (did you mean \"radio\"?)"},
  };
  const bool python = have_jsonschema();
  if (!python) WARN("python3 with jsonschema not found: schema side skipped");
  for (const Bad& b : bad) {
    const std::string file = kSource + "/tests/data/" + b.file;
    INFO(file);
    const auto r = hqdrill::io::load_scenario(file);
    CHECK_FALSE(r.scenario.has_value());
    CHECK(errors_of(r) == std::string(b.error) + "\n");
    if (python) CHECK_FALSE(schema_accepts(file, true));
  }
}
