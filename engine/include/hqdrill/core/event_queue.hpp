// One event queue per world, ordered by (time, sequence). Events at the same
// millisecond come out in the order they were scheduled, never in heap order
// (the SimGrid pitfall in STYLE.md). Cancellation is by generation token in the
// payload, checked by the handler, never by searching the heap.
#pragma once

#include <cassert>
#include <cstdint>
#include <utility>
#include <vector>

#include "hqdrill/core/time.hpp"

namespace hqdrill {

template <class Payload>
class EventQueue {
 public:
  struct Entry {
    SimTime time;
    std::uint64_t seq;
    Payload payload;
  };

  /// Schedules `p` at `time`; returns the sequence number given to it.
  std::uint64_t push(SimTime time, Payload p) {
    assert(time >= now_ && "events cannot be scheduled in the past");
    const std::uint64_t seq = next_seq_++;
    heap_.push_back(Entry{time, seq, std::move(p)});
    sift_up(heap_.size() - 1);
    return seq;
  }

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  SimTime now() const { return now_; }
  SimTime next_time() const { return heap_.empty() ? kNever : heap_.front().time; }

  /// Removes and returns the earliest entry, advancing now() to its time.
  Entry pop() {
    assert(!heap_.empty());
    Entry top = std::move(heap_.front());
    heap_.front() = std::move(heap_.back());
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    now_ = top.time;
    return top;
  }

 private:
  static bool before(const Entry& x, const Entry& y) {
    return x.time != y.time ? x.time < y.time : x.seq < y.seq;
  }
  void sift_up(std::size_t i) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!before(heap_[i], heap_[parent])) break;
      std::swap(heap_[i], heap_[parent]);
      i = parent;
    }
  }
  void sift_down(std::size_t i) {
    const std::size_t n = heap_.size();
    for (;;) {
      const std::size_t l = 2 * i + 1, r = l + 1;
      std::size_t m = i;
      if (l < n && before(heap_[l], heap_[m])) m = l;
      if (r < n && before(heap_[r], heap_[m])) m = r;
      if (m == i) return;
      std::swap(heap_[i], heap_[m]);
      i = m;
    }
  }

  std::vector<Entry> heap_;
  std::uint64_t next_seq_ = 0;
  SimTime now_ = 0;
};

}  // namespace hqdrill
