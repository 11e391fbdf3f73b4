// A minimal SVG writer for the report's inline charts: deterministic coordinates (one
// decimal), escaped text, classes styled by the report's stylesheet, <title> tooltips.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace hqdrill::report {

/// Linear map from data [d0, d1] to pixels [r0, r1] (r1 < r0 for a y axis).
struct Scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const {
    return d1 == d0 ? r0 : r0 + (v - d0) * (r1 - r0) / (d1 - d0);
  }
};

/// About `approx` round tick values (1, 2, 5 × 10^k steps) covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int approx);
/// The upper end of [0, hi] rounded up to the next tick step of nice_ticks.
double nice_max(double hi, int approx);

class Svg {
 public:
  /// `label` is read by screen readers (aria-label) and shown nowhere else.
  Svg(double width, double height, const std::string& label);

  void line(double x1, double y1, double x2, double y2, const std::string& cls);
  void rect(double x, double y, double w, double h, const std::string& cls,
            const std::string& tip = "");
  void circle(double cx, double cy, double r, const std::string& cls, const std::string& tip = "");
  /// anchor: "start", "middle" or "end".
  void text(double x, double y, const std::string& s, const std::string& cls,
            const char* anchor = "start");
  void polyline(const std::vector<std::pair<double, double>>& pts, const std::string& cls);
  void polygon(const std::vector<std::pair<double, double>>& pts, const std::string& cls,
               const std::string& tip = "");
  /// Vertical text (rotated -90° about its anchor point).
  void vtext(double x, double y, const std::string& s, const std::string& cls);

  std::string str() const;
  double width() const { return w_; }
  double height() const { return h_; }

 private:
  double w_, h_;
  std::string label_, body_;
};

/// One decimal, no trailing ".0", no "-0".
std::string coord(double v);

}  // namespace hqdrill::report
