#include "report/charts.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "hqdrill/scenario.hpp"
#include "report/svg.hpp"

namespace hqdrill::report {

namespace {

using nlohmann::json;

constexpr double kWidth = 720;

/// Axis number: integers without decimals, else one decimal.
std::string tick_label(double v, const Lang& lang) {
  return num(v, std::fabs(v - std::round(v)) < 1e-9 ? 0 : (std::fabs(v) < 0.1 ? 2 : 1), lang);
}

void x_axis(Svg& g, const Scale& x, double y, const std::vector<double>& ticks,
            const std::string& title, const Lang& lang) {
  g.line(x.r0, y, x.r1, y, "axis");
  for (const double t : ticks) {
    g.line(x(t), y, x(t), y + 4, "axis");
    g.text(x(t), y + 16, tick_label(t, lang), "tick", "middle");
  }
  if (!title.empty()) g.text((x.r0 + x.r1) / 2, y + 32, title, "axis-title", "middle");
}

void y_axis(Svg& g, const Scale& y, double x, double x_end, const std::vector<double>& ticks,
            const std::string& title, const Lang& lang, bool percent = false) {
  for (const double t : ticks) {
    g.line(x, y(t), x_end, y(t), "grid");
    g.text(x - 5, y(t) + 4, percent ? pct(t, lang) : tick_label(t, lang), "tick", "end");
  }
  g.line(x, y.r0, x, y.r1, "axis");
  if (!title.empty()) g.vtext(x - 38, (y.r0 + y.r1) / 2, title, "axis-title");
}

/// Cuts `s` to at most `n` characters (UTF-8 aware), with an ellipsis.
std::string clip(const std::string& s, std::size_t n) {
  std::size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == n) break;
      ++chars;
    }
  }
  return i < s.size() ? s.substr(0, i) + "…" : s;
}

/// The 0-100 % grid and ticks of a chart of horizontal share bars (targets, findings).
void share_grid(Svg& g, const Scale& x, double top, double H, const Lang& lang) {
  for (const double t : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    g.line(x(t), top - 4, x(t), H - 36, "grid");
    g.text(x(t), H - 22, pct(t, lang), "tick", "middle");
  }
}

}  // namespace

AxisUnit axis_unit_for(const std::string& kpi, double max_value, const Lang& lang) {
  const std::string unit = kpi_unit(kpi);
  if (unit == "s") {
    if (max_value < 180) return {1, lang.vi ? "giây" : "s"};
    if (max_value < 3 * 3600) return {60, lang.vi ? "phút" : "min"};
    return {3600, lang.vi ? "giờ" : "h"};
  }
  if (unit == "share") return {0.01, "%"};
  if (unit == "people") return {1, lang.vi ? "người" : "people"};
  return {1, unit};
}

std::string histogram_chart(const std::string& kpi, const std::string& title,
                            const std::vector<double>& present, int missing,
                            const std::optional<HistogramTarget>& target, const Lang& lang) {
  const double H = 230, left = 56, right = kWidth - 20, top = 28, bottom = H - 44;
  Svg g(kWidth, H, title);
  double lo_v = 0, hi_v = 0;  // the axis starts at 0 unless a value is negative
  for (const double v : present) lo_v = std::min(lo_v, v), hi_v = std::max(hi_v, v);
  if (target) hi_v = std::max(hi_v, target->max);
  const AxisUnit u = axis_unit_for(kpi, std::max(std::fabs(lo_v), hi_v), lang);
  double lo_d = lo_v / u.factor, hi_d = hi_v / u.factor;
  // All zero (no records lost, nobody in): an axis to 10 % or to 1, not to nothing.
  if (!(hi_d > lo_d)) hi_d = lo_d + (u.name == "%" ? 10 : 1);
  const std::vector<double> guide = nice_ticks(lo_d, hi_d, 8);
  const double tick = guide.size() > 1 ? guide[1] - guide[0] : (hi_d - lo_d) / 8;
  // Bins are closed on the right: a negative minimum on a tick needs the bin left of it.
  const double min_d = lo_d;
  lo_d = std::floor(lo_d / tick + 1e-9) * tick;
  if (min_d < 0 && lo_d >= min_d - 1e-12 * tick) lo_d -= tick;
  hi_d = std::ceil(hi_d / tick - 1e-9) * tick;
  const std::vector<double> ticks = nice_ticks(lo_d, hi_d, 8);
  const double step = tick / 2;
  const int bins = static_cast<int>(std::clamp(std::ceil((hi_d - lo_d) / step - 1e-9), 1.0, 400.0));
  // Runs per bin, split into those that met the target and those that did not, so a bin
  // holding both is drawn as both; bins are closed on the right.
  std::vector<int> ok(static_cast<std::size_t>(bins), 0), late(ok);
  for (const double v : present) {
    const double at = std::ceil((v / u.factor - lo_d) / step - 1e-9) - 1;
    const auto b = static_cast<std::size_t>(std::clamp(at, 0.0, bins - 1.0));
    (!target || v <= target->max + 1e-9 ? ok : late)[b]++;
  }
  const double miss_w = missing > 0 ? 54 : 0;
  const Scale x{lo_d, lo_d + bins * step, left, right - miss_w};
  int peak = missing;
  for (int b = 0; b < bins; ++b)
    peak = std::max(peak, ok[static_cast<std::size_t>(b)] + late[static_cast<std::size_t>(b)]);
  const Scale y{0, nice_max(std::max(1, peak), 4), bottom, top};
  y_axis(g, y, left, right - miss_w, nice_ticks(0, y.d1, 4), lang.t("số lượt chạy", "runs"), lang);
  const int total = static_cast<int>(present.size()) + missing;
  const auto runs = [&lang](int n) {
    return std::to_string(n) + (lang.vi ? " lượt chạy" : n == 1 ? " run" : " runs");
  };
  for (int b = 0; b < bins; ++b) {
    const int n_ok = ok[static_cast<std::size_t>(b)], n_late = late[static_cast<std::size_t>(b)];
    if (n_ok + n_late == 0) continue;
    const double lo = lo_d + b * step, hi = lo + step;
    std::string tip = tick_label(lo, lang) + "–" + tick_label(hi, lang) + " " + u.name + ": " +
                      runs(n_ok + n_late) + " (" +
                      pct(static_cast<double>(n_ok + n_late) / total, lang, 1) + ")";
    if (target && n_ok > 0 && n_late > 0)
      tip += lang.t(", đạt mục tiêu: ", ", meeting the target: ") + std::to_string(n_ok);
    if (n_ok > 0) g.rect(x(lo) + 0.5, y(n_ok), x(hi) - x(lo) - 1, y(0) - y(n_ok), "bar ok", tip);
    if (n_late > 0)
      g.rect(x(lo) + 0.5, y(n_ok + n_late), x(hi) - x(lo) - 1, y(n_ok) - y(n_ok + n_late),
             "bar late", tip);
  }
  if (missing > 0) {
    const double x0 = right - miss_w + 8;
    g.rect(
        x0, y(missing), miss_w - 8, y(0) - y(missing), "bar missing",
        lang.t("Không xảy ra trong thời gian mô phỏng: ", "Did not happen before the horizon: ") +
            runs(missing));
    g.text(x0 + (miss_w - 8) / 2, bottom + 16, lang.t("không xảy ra", "never"), "tick", "middle");
  }
  x_axis(g, x, bottom, ticks, u.name, lang);
  if (target) {
    const double tx = x(target->max / u.factor);
    g.line(tx, top - 8, tx, bottom, "target");
    const bool met = target->met_fraction + 1e-12 >= target->min_fraction;
    const std::string label = lang.t("mục tiêu ", "target ") +
                              tick_label(target->max / u.factor, lang) + " " + u.name + " · " +
                              lang.t("đạt ", "met ") + pct(target->met_fraction, lang, 1) + " / " +
                              lang.t("yêu cầu ", "required ") + pct(target->min_fraction, lang) +
                              (met ? "" : lang.t(" · CHƯA ĐẠT", " · MISSED"));
    const bool right_side = tx < (left + right) / 2;
    g.text(right_side ? tx + 5 : tx - 5, top - 12, label, met ? "note ok" : "note late",
           right_side ? "start" : "end");
  }
  return g.str();
}

std::string targets_chart(const std::vector<TargetBar>& bars, const Lang& lang) {
  const double row = 22, label_w = 400, left = label_w + 10, right = kWidth - 50, top = 24;
  const double H = top + row * static_cast<double>(bars.size()) + 40;
  Svg g(kWidth, H, lang.t("Tỷ lệ lần chạy đạt từng mục tiêu", "Share of runs meeting each target"));
  const Scale x{0, 1, left, right};
  share_grid(g, x, top, H, lang);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const TargetBar& b = bars[i];
    const double yy = top + row * static_cast<double>(i);
    const bool ok = b.met + 1e-12 >= b.required;
    g.text(label_w, yy + 14, clip(b.label, 56), "label", "end");
    g.rect(x(0), yy + 3, x(b.met) - x(0), row - 7, ok ? "bar ok" : "bar late",
           b.label + ": " + pct(b.met, lang, 1) + " / " + pct(b.required, lang));
    g.line(x(b.required), yy + 1, x(b.required), yy + row - 2, "required");
    g.text(x(b.met) + 4, yy + 14, pct(b.met, lang), "tick", "start");
  }
  g.text(8, 14,
         lang.t("Thanh: tỷ lệ lần chạy đạt; vạch đen: tỷ lệ yêu cầu",
                "Bar: share of runs meeting the target; black tick: share required"),
         "note", "start");
  return g.str();
}

std::string findings_chart(const std::vector<FindingBar>& bars, const Lang& lang) {
  const double row = 22, label_w = 400, left = label_w + 10, right = kWidth - 110, top = 24;
  const double H = top + row * static_cast<double>(bars.size()) + 40;
  Svg g(kWidth, H,
        lang.t("Tần suất các điểm yếu phối hợp", "How often each coordination gap happened"));
  const Scale x{0, 1, left, right};
  share_grid(g, x, top, H, lang);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const FindingBar& b = bars[i];
    const double yy = top + row * static_cast<double>(i);
    g.text(label_w, yy + 14, clip(b.label, 56), "label", "end");
    g.rect(x(0), yy + 3, x(b.frequency) - x(0), row - 7, "bar late",
           b.label + ": " + pct(b.frequency, lang, 1));
    g.text(x(b.frequency) + 4, yy + 14,
           pct(b.frequency, lang) + (b.cost_s > 0 ? " · " + duration(b.cost_s, lang) : ""), "tick",
           "start");
  }
  g.text(8, 14,
         lang.t("Thanh: tỷ lệ lượt chạy có điểm yếu; số: thời gian mất trung bình",
                "Bar: share of runs with the gap; figure: time lost on average"),
         "note", "start");
  return g.str();
}

std::string timeline_chart(const Story& story, const std::vector<Deadline>& deadlines,
                           double x_max_s, const Lang& lang) {
  const double row = 20, label_w = 250, left = label_w + 8, right = kWidth - 16, top = 24;
  const double legend = 15.0 * static_cast<double>(deadlines.size());
  const double H = top + row * static_cast<double>(story.lanes.size()) + 44 + legend;
  Svg g(kWidth, H, lang.t("Diễn biến lượt chạy ", "Timeline of run ") + std::to_string(story.run));
  const AxisUnit u = axis_unit_for("x_s", x_max_s, lang);
  const double top_value = nice_max(std::max(x_max_s / u.factor, 1e-9), 8);
  const Scale x{0, top_value, left, right};
  const double bottom = top + row * static_cast<double>(story.lanes.size());
  for (const double t : nice_ticks(0, top_value, 8)) g.line(x(t), top - 4, x(t), bottom, "grid");
  x_axis(g, x, bottom, nice_ticks(0, top_value, 8), u.name, lang);
  for (std::size_t i = 0; i < story.lanes.size(); ++i) {
    const StoryLane& l = story.lanes[i];
    const double yy = top + row * static_cast<double>(i);
    if (i % 2 == 1) g.rect(left, yy, right - left, row, "band");
    g.text(label_w, yy + 14, clip(l.label, 34), "label", "end");
    for (const StoryItem& it : l.items) {
      const double x0 = x(it.t0 / u.factor), x1 = x(it.t1 / u.factor);
      switch (it.kind) {
        case StoryItem::Kind::bar:
          g.rect(x0, yy + 5, std::max(2.0, x1 - x0), row - 10,
                 l.kind == StoryLane::Kind::unit ? "trip" : "work", it.tip);
          break;
        case StoryItem::Kind::wait:
          g.rect(x0, yy + 8, std::max(1.0, x1 - x0), row - 16, "wait", it.tip);
          break;
        case StoryItem::Kind::alarm:
          g.polygon({{x0, yy + 3}, {x0 + 6, yy + row - 4}, {x0 - 6, yy + row - 4}}, "alarm",
                    it.tip);
          break;
        case StoryItem::Kind::point:
          g.circle(x0, yy + row / 2, 4, "event", it.tip);
          break;
      }
    }
  }
  // Deadlines: numbered dashes, named in a legend under the axis.
  for (std::size_t k = 0; k < deadlines.size(); ++k) {
    const std::string mark = std::to_string(k + 1);
    const double tx = x(deadlines[k].t_s / u.factor);
    const double ly = bottom + 52 + 15.0 * static_cast<double>(k);
    g.text(left, ly, mark + ". " + deadlines[k].label, "note late", "start");
    if (tx > right + 0.5) continue;
    g.line(tx, top - 4, tx, bottom, "target");
    g.text(tx, top - 8 - 9.0 * static_cast<double>(k % 2), mark, "note late", "middle");
  }
  return g.str();
}

std::string pareto_chart(const std::vector<ParetoPoint>& points, const std::string& cost_axis,
                         bool money, const Lang& lang) {
  const double H = 320, left = 64, right = kWidth - 24, top = 20, bottom = H - 50;
  Svg g(kWidth, H,
        lang.t("Biên Pareto: chi phí và mức không đạt mục tiêu",
               "Pareto front: cost against target shortfall"));
  double cmax = 0, omax = 0, omin = 1e300;
  for (const ParetoPoint& p : points) {
    cmax = std::max(cmax, p.cost);
    omax = std::max(omax, p.objective);
    omin = std::min(omin, p.objective);
  }
  const double f = money ? 1e6 : 1;
  const Scale x{0, nice_max(std::max(cmax / f, 1e-9), 6), left, right};
  const double pad = std::max(0.05, 0.1 * (omax - omin));
  const double y0 = std::max(0.0, std::floor((omin - pad) * 10) / 10);
  const Scale y{y0, std::ceil((omax + pad) * 10) / 10, bottom, top};
  y_axis(g, y, left, right, nice_ticks(y.d0, y.d1, 5), lang.t("mức không đạt (J)", "shortfall (J)"),
         lang);
  x_axis(g, x, bottom, nice_ticks(0, x.d1, 6),
         money ? lang.t("chi phí, triệu đồng", "cost, million VND") : cost_axis, lang);
  std::vector<std::pair<double, double>> front;
  for (const ParetoPoint& p : points)
    if (p.front) front.emplace_back(x(p.cost / f), y(p.objective));
  std::sort(front.begin(), front.end());
  if (front.size() > 1) g.polyline(front, "front");
  for (const ParetoPoint& p : points) {
    const std::string tip =
        p.label + ": J = " + num(p.objective, 3, lang) + ", " +
        (money ? money_vnd(p.cost, lang) : num(p.cost, 0, lang) + " " + cost_axis);
    const double px = x(p.cost / f), py = y(p.objective);
    g.circle(px, py,
             p.best    ? 7
             : p.front ? 5
                       : 3.5,
             p.best    ? "pt best"
             : p.front ? "pt front"
                       : "pt",
             tip);
    if (p.front || p.baseline) {
      const bool flip = px > right - 180;
      g.text(flip ? px - 8 : px + 8, py - 6,
             clip(p.baseline ? lang.t("hiện trạng", "as is") : p.label, 34), "label small",
             flip ? "end" : "start");
    }
  }
  return g.str();
}

std::string tornado_chart(const std::vector<TornadoRow>& rows, double base, const Lang& lang) {
  const double row = 22, label_w = 330, left = label_w + 10, right = kWidth - 20, top = 30;
  const double H = top + row * static_cast<double>(rows.size()) + 62;
  Svg g(kWidth, H,
        lang.t("Biểu đồ lốc xoáy: độ nhạy của mức không đạt mục tiêu",
               "Tornado chart: sensitivity of the target shortfall"));
  double lo = base, hi = base;
  for (const TornadoRow& r : rows) {
    lo = std::min({lo, r.low, r.high});
    hi = std::max({hi, r.low, r.high});
  }
  const double span = std::max(hi - lo, 1e-6);
  const Scale x{lo - 0.05 * span, hi + 0.05 * span, left, right};
  const double bottom = top + row * static_cast<double>(rows.size());
  for (const double t : nice_ticks(x.d0, x.d1, 6)) g.line(x(t), top - 4, x(t), bottom, "grid");
  x_axis(g, x, bottom, nice_ticks(x.d0, x.d1, 6), lang.t("mức không đạt (J)", "shortfall (J)"),
         lang);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const TornadoRow& r = rows[i];
    const double yy = top + row * static_cast<double>(i);
    g.text(label_w, yy + 15, clip(r.label, 46), "label", "end");
    g.rect(x(base), yy + 4, x(r.low) - x(base), row - 8, "bar low",
           r.label + lang.t(" — giá trị thấp: J = ", " — low value: J = ") + num(r.low, 3, lang));
    g.rect(x(base), yy + 4, x(r.high) - x(base), row - 8, "bar high",
           r.label + lang.t(" — giá trị cao: J = ", " — high value: J = ") + num(r.high, 3, lang));
  }
  g.line(x(base), top - 8, x(base), bottom, "base");
  g.text(x(base), top - 12, lang.t("hiện trạng J = ", "base J = ") + num(base, 3, lang), "note",
         "middle");
  g.rect(left, H - 14, 10, 10, "bar low");
  g.text(left + 14, H - 5, lang.t("giá trị thấp", "low value"), "tick", "start");
  g.rect(left + 120, H - 14, 10, 10, "bar high");
  g.text(left + 134, H - 5, lang.t("giá trị cao", "high value"), "tick", "start");
  return g.str();
}

std::string forest_chart(const std::vector<EffectRow>& rows, const std::string& unit,
                         const Lang& lang) {
  const double row = 22, label_w = 360, left = label_w + 10, right = kWidth - 20, top = 24;
  const double H = top + row * static_cast<double>(rows.size()) + 44;
  Svg g(kWidth, H,
        lang.t("Hiệu quả của kế hoạch, khoảng tin cậy 95%",
               "Effects of the plan with 95% intervals"));
  double lo = 0, hi = 0;
  for (const EffectRow& r : rows) {
    lo = std::min({lo, r.lo, r.diff});
    hi = std::max({hi, r.hi, r.diff});
  }
  const double span = std::max(hi - lo, 1e-6);
  const Scale x{lo - 0.05 * span, hi + 0.05 * span, left, right};
  const double bottom = top + row * static_cast<double>(rows.size());
  x_axis(g, x, bottom, nice_ticks(x.d0, x.d1, 6), unit, lang);
  g.line(x(0), top - 6, x(0), bottom, "base");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const EffectRow& r = rows[i];
    const double yy = top + row * static_cast<double>(i) + row / 2;
    g.text(label_w, yy + 4, clip(r.label, 50), "label", "end");
    // Every target is "at most": a significant rise is a worsening, drawn red.
    const bool worse = r.significant && r.diff > 0;
    g.line(x(r.lo), yy, x(r.hi), yy, worse ? "ci worse" : r.significant ? "ci sig" : "ci");
    g.circle(x(r.diff), yy, 4,
             worse           ? "pt worse"
             : r.significant ? "pt best"
                             : "pt",
             r.label + ": " + num(r.diff, 1, lang) + " [" + num(r.lo, 1, lang) + "; " +
                 num(r.hi, 1, lang) + "] " + unit);
  }
  const bool near_right = x(0) > right - 150;
  g.text(near_right ? right : x(0), top - 10,
         lang.t("0 = không đổi; âm = sớm hơn / ít hơn", "0 = no change; negative = sooner / less"),
         "note", near_right ? "end" : "middle");
  return g.str();
}

std::string site_map(const json& site, const Lang& lang) {
  // Panels: the compounds (every site but "city") drawn to one metric scale, then the
  // city as a schematic of roads and stations.
  struct Box {
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    void add(double x, double y) {
      x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
    }
    bool empty() const { return x1 < x0; }
  };
  std::map<std::string, json> nodes;
  std::map<std::string, Box> boxes;
  std::vector<std::string> order;
  if (site.contains("nodes") && site["nodes"].is_array())
    for (const json& n : site["nodes"]) {
      if (!n.is_object() || !n.contains("id") || !n["id"].is_string()) continue;
      if (!n.contains("x_m") || !n["x_m"].is_number() || !n.contains("y_m") ||
          !n["y_m"].is_number())
        continue;
      const std::string id = n["id"].get<std::string>();
      const std::string where = n.contains("site") && n["site"].is_string()
                                    ? n["site"].get<std::string>()
                                    : std::string("site");
      nodes[id] = n;
      if (!boxes.count(where)) order.push_back(where);
      boxes[where].add(n["x_m"].get<double>(), n["y_m"].get<double>());
    }
  // Areas widen their site's box.
  if (site.contains("areas") && site["areas"].is_array())
    for (const json& a : site["areas"]) {
      const std::string nid =
          a.contains("node") && a["node"].is_string() ? a["node"].get<std::string>() : "";
      const auto it = nodes.find(nid);
      if (it == nodes.end() || !a.contains("outline") || !a["outline"].is_array()) continue;
      const std::string where = it->second.value("site", std::string("site"));
      for (const json& p : a["outline"])
        if (p.is_array() && p.size() == 2 && p[0].is_number() && p[1].is_number())
          boxes[where].add(p[0].get<double>(), p[1].get<double>());
    }
  std::stable_partition(order.begin(), order.end(),
                        [](const std::string& s) { return s != "city"; });
  const double H = 480, gap = 16;
  Svg g(kWidth, H, lang.t("Sơ đồ khu vực", "Site map"));
  if (order.empty()) {
    g.text(kWidth / 2, H / 2, lang.t("(vết không có sơ đồ)", "(no site in the trace)"), "note",
           "middle");
    return g.str();
  }
  // Panel widths: the city a fixed 200 px, the compounds at least 170 px each and the
  // rest shared by their extents (east-west).
  const bool has_city = boxes.count("city") > 0;
  const double city_w = has_city ? 200 : 0, min_w = 170;
  const double avail = kWidth - city_w - gap * static_cast<double>(order.size() + 1);
  const double compounds = static_cast<double>(order.size()) - (has_city ? 1 : 0);
  double total = 0;
  std::map<std::string, double> extent;
  for (const std::string& s : order)
    if (s != "city") total += extent[s] = std::max(20.0, boxes[s].x1 - boxes[s].x0 + 20);
  const double spare = std::max(0.0, avail - min_w * compounds);
  double px = gap;
  for (const std::string& s : order) {
    const Box& b = boxes[s];
    const double w = s == "city" ? city_w : min_w + spare * extent[s] / std::max(total, 1e-9);
    const double bw = std::max(b.x1 - b.x0, 1.0), bh = std::max(b.y1 - b.y0, 1.0);
    const double scale = std::min((w - 10) / bw, (H - 60) / bh);
    const double ox = px + (w - bw * scale) / 2, oy = 30 + (H - 60 - bh * scale) / 2;
    auto X = [&](double xm) { return ox + (xm - b.x0) * scale; };
    auto Y = [&](double ym) { return oy + (b.y1 - ym) * scale; };  // north up
    g.rect(px, 22, w, H - 30, "panel");
    static const std::map<std::string, std::pair<const char*, const char*>> kSite{
        {"hq", {"Trụ sở HĐND-UBND tỉnh", "Provincial HQ"}},
        {"reception", {"Trụ sở Tiếp công dân", "Citizen Reception office"}},
        {"city", {"Thành phố (sơ đồ)", "City (schematic)"}}};
    const auto named = kSite.find(s);
    g.text(px + 4, 16,
           named != kSite.end() ? (lang.vi ? named->second.first : named->second.second) : s,
           "label", "start");
    if (s != "city" && site.contains("areas") && site["areas"].is_array())
      for (const json& a : site["areas"]) {
        const std::string nid =
            a.contains("node") && a["node"].is_string() ? a["node"].get<std::string>() : "";
        const auto it = nodes.find(nid);
        if (it == nodes.end() || it->second.value("site", std::string("site")) != s) continue;
        std::vector<std::pair<double, double>> pts;
        if (a.contains("outline") && a["outline"].is_array())
          for (const json& p : a["outline"])
            if (p.is_array() && p.size() == 2 && p[0].is_number() && p[1].is_number())
              pts.emplace_back(X(p[0].get<double>()), Y(p[1].get<double>()));
        const std::string name =
            lang.vi ? a.value("name", std::string()) : a.value("name_en", std::string());
        if (pts.size() >= 3) g.polygon(pts, "area", name);
      }
    if (site.contains("edges") && site["edges"].is_array())
      for (const json& e : site["edges"]) {
        const auto a = nodes.find(e.value("from", std::string()));
        const auto c = nodes.find(e.value("to", std::string()));
        if (a == nodes.end() || c == nodes.end()) continue;
        if (a->second.value("site", std::string("site")) != s ||
            c->second.value("site", std::string("site")) != s)
          continue;
        g.line(X(a->second["x_m"].get<double>()), Y(a->second["y_m"].get<double>()),
               X(c->second["x_m"].get<double>()), Y(c->second["y_m"].get<double>()), "edge");
      }
    // Labels of gates, posts, stations and buildings, each where it overlaps no other
    // (above right, below right, then to the left); a name that fits nowhere stays in the
    // point's tooltip.
    struct Rect {
      double x0, y0, x1, y1;
    };
    std::vector<Rect> placed;
    for (const auto& [id, n] : nodes) {
      if (n.value("site", std::string("site")) != s || n.value("floor", 0) != 0) continue;
      const std::string kind = n.value("kind", std::string());
      const std::string name = lang.vi ? n.value("name", id) : n.value("name_en", id);
      const double nx = X(n["x_m"].get<double>()), ny = Y(n["y_m"].get<double>());
      const bool key =
          kind == "gate" || kind == "guard_post" || kind == "station" || kind == "building";
      g.circle(nx, ny, key ? 4 : 2.5, key ? "node key" : "node", name);
      if (!key) continue;
      const std::string text = clip(name, 26);
      const double tw = 5.2 * static_cast<double>(std::min<std::size_t>(27, text.size() * 2 / 3));
      for (const auto& [dx, dy, left] :
           {std::tuple{5.0, -4.0, false}, std::tuple{5.0, 12.0, false},
            std::tuple{-5.0, -4.0, true}, std::tuple{-5.0, 12.0, true}}) {
        const double x0 = left ? nx + dx - tw : nx + dx, y0 = ny + dy - 10;
        const Rect r{x0, y0, x0 + tw, y0 + 12};
        const bool inside = r.x0 >= 2 && r.x1 <= kWidth - 2;
        bool clear = inside;
        for (const Rect& o : placed)
          clear = clear && (r.x1 < o.x0 || o.x1 < r.x0 || r.y1 < o.y0 || o.y1 < r.y0);
        if (!clear) continue;
        placed.push_back(r);
        g.text(nx + dx, ny + dy, text, "label small", left ? "end" : "start");
        break;
      }
    }
    px += w + gap;
  }
  g.text(gap, H - 4,
         lang.t("Tọa độ và kích thước là giả định của kịch bản (xem scenarios/README.md); rê chuột "
                "lên điểm để xem tên.",
                "Coordinates and sizes are the scenario's assumptions (see scenarios/README.md); "
                "hover a point for its name."),
         "note", "start");
  return g.str();
}

}  // namespace hqdrill::report
