// A progress bar on stderr for long commands, drawn only when stderr is a terminal.
#pragma once

#include <unistd.h>

#include <cstdio>

namespace hqdrill::cli {

class ProgressBar {
 public:
  /// `enabled` is typically "not --quiet"; the bar also stays off when stderr is not a tty.
  explicit ProgressBar(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)) {}

  void operator()(int done, int total) {
    if (!enabled_) return;
    const int pct = total ? static_cast<int>(static_cast<long long>(done) * 100 / total) : 100;
    if (pct == last_ && done != total) return;
    last_ = pct;
    const int width = 30, filled = pct * width / 100;
    std::fprintf(stderr, "\r[%.*s%*s] %3d%%  %d/%d runs", filled, "##############################",
                 width - filled, "", pct, done, total);
    if (done == total) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  int last_ = -1;
};

}  // namespace hqdrill::cli
