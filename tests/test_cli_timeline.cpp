// `hqdrill timeline`: a traced flood run told as a timeline; bad traces exit 2.
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "cli_support.hpp"

using namespace hqdrill::test;

TEST_CASE("the timeline of a traced typhoon run tells the storm, the works and the water",
          "[cli][flood]") {
  Scratch s("timeline");
  const Run run = cli("run '" + kSrc + "/scenarios/typhoon-bd3-weekday.json' --runs 4 -q --out '" +
                          (s / "res") + "'",
                      s);
  REQUIRE(run.code == 0);
  // The median and worst runs of 4 are traced; run 0's trace is asked for explicitly.
  const Run again = cli(
      "run '" + kSrc + "/scenarios/typhoon-bd3-weekday.json' --runs 4 -q --trace-run 0 --out '" +
          (s / "res0") + "'",
      s);
  REQUIRE(again.code == 0);
  const std::string trace = s / "res0/traces/i-typhoon-bd3-weekday/run-0.jsonl";
  const Run vi = cli("timeline '" + trace + "'", s);
  REQUIRE(vi.code == 0);
  // Forecast Monday 08:00; the warning 6 h later (Monday 14:00).
  CHECK(vi.out.find("T2 08:00  (+  0.00 h)  Bão: dự báo") != std::string::npos);
  CHECK(vi.out.find("T2 14:00  (+  6.00 h)  Bão: cảnh báo") != std::string::npos);
  CHECK(vi.out.find("Xong: Đắp bao cát chắn cửa chính nhà làm việc") != std::string::npos);
  CHECK(vi.out.find("Đường ngập: e_gate_main → xe không qua được") != std::string::npos);
  const Run en = cli("timeline --lang en '" + trace + "'", s);
  REQUIRE(en.code == 0);
  CHECK(en.out.find("Tue 20:00  (+ 36.00 h)  Storm: landfall") != std::string::npos);

  // Not a trace, a truncated one.
  std::ofstream(s / "bad.jsonl") << "{\"schema\": \"hqdrill.trace/9\"}\n";
  const Run bad = cli("timeline '" + (s / "bad.jsonl") + "'", s);
  CHECK(bad.code == 2);
  CHECK(bad.err.find("newer or older") != std::string::npos);
  CHECK(cli("timeline '" + (s / "missing.jsonl") + "'", s).code == 2);
}
