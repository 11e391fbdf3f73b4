// The event queue orders by (time, sequence): equal times come out in scheduling order
// (STYLE.md habit 3; the SimGrid timer-queue pitfall).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "hqdrill/core/event_queue.hpp"
#include "hqdrill/core/rng.hpp"

using hqdrill::EventQueue;
using hqdrill::SimTime;

TEST_CASE("events at the same time come out in the order they were scheduled",
          "[core][event_queue]") {
  EventQueue<int> q;
  for (int i = 0; i < 20; ++i) q.push(100, i);
  for (int i = 0; i < 20; ++i) {
    const auto e = q.pop();
    CHECK(e.payload == i);
    CHECK(e.time == 100);
  }
  CHECK(q.empty());
}

TEST_CASE("earlier events come out first and now() advances to each popped time",
          "[core][event_queue]") {
  EventQueue<char> q;
  CHECK(q.now() == 0);
  CHECK(q.next_time() == hqdrill::kNever);
  q.push(300, 'c');
  q.push(100, 'a');
  q.push(200, 'b');
  CHECK(q.size() == 3);
  CHECK(q.next_time() == 100);
  CHECK(q.now() == 0);  // scheduling does not move the clock

  auto e = q.pop();
  CHECK(e.payload == 'a');
  CHECK(q.now() == 100);
  e = q.pop();
  CHECK(e.payload == 'b');
  CHECK(q.now() == 200);
  q.push(200, 'd');  // at the current time: after everything already due then
  e = q.pop();
  CHECK(e.payload == 'd');
  CHECK(q.now() == 200);
  e = q.pop();
  CHECK(e.payload == 'c');
  CHECK(q.now() == 300);
}

TEST_CASE("push returns consecutive sequence numbers from zero", "[core][event_queue]") {
  EventQueue<int> q;
  CHECK(q.push(5, 0) == 0);
  CHECK(q.push(1, 0) == 1);
  CHECK(q.push(5, 0) == 2);
}

TEST_CASE("interleaved pushes and pops match a stable sort of all pushes by time",
          "[core][event_queue]") {
  // Every push is at or after now(), so the pops must form one sequence increasing in
  // (time, push order): exactly std::stable_sort by time of the pushes in push order.
  struct Pushed {
    SimTime time;
    int id;
  };
  hqdrill::Pcg32 rng = hqdrill::make_stream(11, 0, 0, "event_queue");
  EventQueue<int> q;
  std::vector<Pushed> pushed;
  std::vector<int> popped;
  int next_id = 0;
  for (int step = 0; step < 20000; ++step) {
    if (q.empty() || rng.next_below(3) != 0) {
      // Few distinct offsets, so many events share a millisecond.
      const SimTime t = q.now() + static_cast<SimTime>(rng.next_below(8)) * 250;
      pushed.push_back({t, next_id});
      q.push(t, next_id++);
    } else {
      popped.push_back(q.pop().payload);
    }
  }
  while (!q.empty()) popped.push_back(q.pop().payload);

  std::stable_sort(pushed.begin(), pushed.end(),
                   [](const Pushed& x, const Pushed& y) { return x.time < y.time; });
  std::vector<int> expected;
  for (const auto& p : pushed) expected.push_back(p.id);
  REQUIRE(popped.size() == expected.size());
  CHECK(popped == expected);
  CHECK(pushed.size() > 10000);
}

TEST_CASE("converting seconds to milliseconds is defined for any double", "[core]") {
  CHECK(hqdrill::seconds_to_ms(1.2345) == 1235);  // rounded to the nearest millisecond
  CHECK(hqdrill::seconds_to_ms(-5.0) == 0);
  CHECK(hqdrill::seconds_to_ms(std::nan("")) == 0);
  CHECK(hqdrill::seconds_to_ms(1e300) == 30000000000000000LL);  // clamped, no overflow
  CHECK(hqdrill::seconds_to_ms(1e300) < hqdrill::kNever / 100);
}
