#include "report/svg.hpp"

#include <cmath>
#include <cstdio>

#include "report/text.hpp"

namespace hqdrill::report {

namespace {

double tick_step(double span, int approx) {
  if (!(span > 0) || approx < 1) return 1;
  const double raw = span / approx;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double r = raw / mag;
  return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
}

std::string tip_of(const std::string& tip) {
  return tip.empty() ? "" : "<title>" + esc(tip) + "</title>";
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int approx) {
  std::vector<double> out;
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo) return out;
  if (hi == lo) return {lo};
  const double step = tick_step(hi - lo, approx);
  const double start = std::ceil(lo / step - 1e-9) * step;
  // Counted, not accumulated: a step below the spacing of doubles near `start` (a span
  // of 1e-6 around 5e8) would otherwise never advance.
  const double n = std::floor((hi - start) / step + 1e-9) + 1;
  if (!(n >= 1) || n > 1000 || start + step == start) return {lo, hi};
  for (int i = 0; i < static_cast<int>(n); ++i) {
    const double v = start + i * step;
    out.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  }
  return out;
}

double nice_max(double hi, int approx) {
  if (!(hi > 0) || !std::isfinite(hi)) return 1;
  const double step = tick_step(hi, approx);
  return std::ceil(hi / step - 1e-9) * step;
}

std::string coord(double v) {
  if (!std::isfinite(v)) v = 0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s(buf);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

Svg::Svg(double width, double height, const std::string& label)
    : w_(width), h_(height), label_(label) {}

void Svg::line(double x1, double y1, double x2, double y2, const std::string& cls) {
  body_ += "<line x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) + "\" x2=\"" + coord(x2) +
           "\" y2=\"" + coord(y2) + "\" class=\"" + cls + "\"/>";
}

void Svg::rect(double x, double y, double w, double h, const std::string& cls,
               const std::string& tip) {
  if (w < 0) x += w, w = -w;
  if (h < 0) y += h, h = -h;
  body_ += "<rect x=\"" + coord(x) + "\" y=\"" + coord(y) + "\" width=\"" + coord(w) +
           "\" height=\"" + coord(h) + "\" class=\"" + cls + "\">" + tip_of(tip) + "</rect>";
}

void Svg::circle(double cx, double cy, double r, const std::string& cls, const std::string& tip) {
  body_ += "<circle cx=\"" + coord(cx) + "\" cy=\"" + coord(cy) + "\" r=\"" + coord(r) +
           "\" class=\"" + cls + "\">" + tip_of(tip) + "</circle>";
}

void Svg::text(double x, double y, const std::string& s, const std::string& cls,
               const char* anchor) {
  body_ += "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\" class=\"" + cls +
           "\" text-anchor=\"" + anchor + "\">" + esc(s) + "</text>";
}

void Svg::vtext(double x, double y, const std::string& s, const std::string& cls) {
  body_ += "<text transform=\"translate(" + coord(x) + " " + coord(y) + ") rotate(-90)\" class=\"" +
           cls + "\" text-anchor=\"middle\">" + esc(s) + "</text>";
}

namespace {
std::string points_attr(const std::vector<std::pair<double, double>>& pts) {
  std::string s;
  for (const auto& [x, y] : pts) s += (s.empty() ? "" : " ") + coord(x) + "," + coord(y);
  return s;
}
}  // namespace

void Svg::polyline(const std::vector<std::pair<double, double>>& pts, const std::string& cls) {
  body_ += "<polyline points=\"" + points_attr(pts) + "\" class=\"" + cls + "\"/>";
}

void Svg::polygon(const std::vector<std::pair<double, double>>& pts, const std::string& cls,
                  const std::string& tip) {
  body_ += "<polygon points=\"" + points_attr(pts) + "\" class=\"" + cls + "\">" + tip_of(tip) +
           "</polygon>";
}

std::string Svg::str() const {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " + coord(w_) +
         " " + coord(h_) + "\" width=\"" + coord(w_) + "\" height=\"" + coord(h_) +
         "\" role=\"img\" aria-label=\"" + esc(label_) + "\">" + body_ + "</svg>";
}

}  // namespace hqdrill::report
