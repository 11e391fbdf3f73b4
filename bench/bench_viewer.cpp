// Viewer benchmarks (issue #8), run by hand under Xvfb (see BENCHMARKS.md):
//   xvfb-run -a -s '-screen 0 1280x800x24' build/bench/hqdrill_bench_viewer [load|frame|all]
//
// load:  parse a synthetic 2-hour trace with 1,000 pedestrians walking the whole time
//        (a peds frame every second, the trace's densest case: 7,200 frames) and 10 units
//        sampled every 5 s; time of load_trace_text (read_trace + replay model), median of 3.
//        Target < 1 s.
// frame: draw the full viewer frame (map, 10,000 pedestrians in one vertex array with the
//        density map, panel, timeline) into a 1280x800 window and display it, 300 frames
//        over 100 different pedestrian frames; median and p95 of the frame time.
//        Target median <= 16 ms.
#include <SFML/Graphics.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "hqdrill/io/trace_io.hpp"
#include "render.hpp"
#include "replay.hpp"
#include "ui.hpp"

namespace hv = hqdrill::viewer;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}
double pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0
                   : v[std::min(v.size() - 1,
                                static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

/// A synthetic trace: a 100 m x 100 m yard, `peds` people walking on circles, a peds frame
/// every `frame_s` for `duration_s`, 10 units sampled every 5 s.
std::string synthetic_trace(int peds, double duration_s, double frame_s) {
  std::string s =
      R"({"schema":"hqdrill.trace/1","scenario":"bench","incident":{"id":"b","type":"generic",)"
      R"("name":"Thử","name_en":"Bench","node":"yard","start":{"weekday":"mon","time":"08:00","holiday":false}},)"
      R"("run":0,"seed":1,"label":"requested","horizon_s":7200,"sample_s":5,"site":{"nodes":[)"
      R"({"id":"yard","kind":"yard","name":"Sân","name_en":"Yard","site":"hq","x_m":0,"y_m":0,"floor":0},)"
      R"({"id":"gate","kind":"gate","name":"Cổng","name_en":"Gate","site":"hq","x_m":0,"y_m":-50,"floor":0}],)"
      R"("edges":[{"id":"e","from":"yard","to":"gate","length_m":50,"width_m":6,"modes":["foot"],"closed":false,"door":"gate"}],)"
      R"("areas":[{"id":"a","name":"Sân","name_en":"Yard","node":"yard","kind":"yard","fidelity":"micro","area_m2":10000,)"
      R"("outline":[[-50,-50],[50,-50],[50,50],[-50,50]],"holes":[],"doors":[]}]},"roles":[],)"
      R"("units":[{"id":"u","kind":"police","name":"CA","name_en":"Police","mode":"foot","members":2}],"movers":[)";
  for (int m = 0; m < 10; ++m)
    s += std::string(m ? "," : "") + R"({"id":)" + std::to_string(m) +
         R"(,"unit":"u","members":2,"origin":"gate","destination":"yard","appears_s":0})";
  s += R"(],"tasks":[],"groups":[],"kpis":{}})"
       "\n";
  char buf[64];
  const long frames = std::lround(duration_s / frame_s);
  long next_pos = 0;
  for (long f = 0; f <= frames; ++f) {
    const double t = static_cast<double>(f) * frame_s;
    for (; static_cast<double>(next_pos) * 5.0 <= t; ++next_pos) {
      s += R"({"t_s":)" + std::to_string(next_pos * 5) + R"(,"type":"positions","movers":[)";
      for (int m = 0; m < 10; ++m) {
        std::snprintf(buf, sizeof buf, "%s[%d,%.2f,%.2f]", m ? "," : "", m,
                      40 * std::cos(0.01 * static_cast<double>(next_pos) + m), -40.0 + m);
        s += buf;
      }
      s += "]}\n";
    }
    std::snprintf(buf, sizeof buf, R"({"t_s":%.1f,"type":"peds","id":[)", t);
    s += buf;
    for (int i = 0; i < peds; ++i) s += (i ? "," : "") + std::to_string(i);
    s += R"(],"x":[)";
    std::string ys;
    for (int i = 0; i < peds; ++i) {
      const double r = 5 + 40.0 * (i % 97) / 97.0, a = 0.02 * t + i * 0.37;
      std::snprintf(buf, sizeof buf, "%s%.2f", i ? "," : "", r * std::cos(a));
      s += buf;
      std::snprintf(buf, sizeof buf, "%s%.2f", i ? "," : "", r * std::sin(a));
      ys += buf;
    }
    s += R"(],"y":[)" + ys + R"(],"areas":{"a":)" + std::to_string(peds) +
         R"(},"on_edges":0,"out":0})"
         "\n";
  }
  std::snprintf(buf, sizeof buf, R"({"t_s":%.1f,"type":"end"})", duration_s);
  return s + buf + "\n";
}

int bench_load_one(const char* what, double frame_s) {
  const std::string text = synthetic_trace(1000, 7200, frame_s);
  const auto t0 = Clock::now();
  const auto tr = hqdrill::io::read_trace(text);
  const double rt_ms = ms_since(t0);
  std::vector<double> ms;
  std::size_t frames = 0;
  for (int k = 0; k < 3; ++k) {
    const auto t1 = Clock::now();
    hv::LoadResult lr = hv::load_trace_text(text, "synthetic");
    ms.push_back(ms_since(t1));
    if (!lr.replay) {
      for (const auto& e : lr.errors) std::cerr << e << "\n";
      return 1;
    }
    frames = lr.replay->peds.t_s.size();
  }
  std::printf(
      "load (%s): 2 h, 1000 pedestrians, %zu peds frames, %.1f MB: median %.0f ms "
      "(runs:",
      what, frames, static_cast<double>(text.size()) / 1e6, median(ms));
  for (double v : ms) std::printf(" %.0f", v);
  std::printf("; read_trace alone %.0f ms, %zu lines) target < 1000 ms\n", rt_ms, tr.lines.size());
  return 0;
}

int bench_load() {
  // Densest case: everyone walking for two hours, a frame every second.
  int rc = bench_load_one("a frame every 1 s", 1.0);
  // As the shipped 200-person crowd incident writes (1,776 frames in 2 h), with 1,000.
  rc |= bench_load_one("a frame every 4 s", 4.0);
  return rc;
}

int bench_frame() {
  hv::LoadResult lr = hv::load_trace_text(synthetic_trace(10000, 99, 1.0), "synthetic");
  if (!lr.replay) return 1;
  const hv::Replay& r = *lr.replay;
  sf::Font font;
  if (!font.loadFromFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")) return 1;
  sf::RenderWindow window(sf::VideoMode(1280, 800), "bench", sf::Style::Default);
  window.setVerticalSyncEnabled(false);
  hv::MapRenderer map(font);
  hv::Ui ui(font);
  const hv::Layout l = hv::layout(0, 1280, 800, 1280);
  const hv::Camera cam = hv::fit(hv::site_bounds(r, true), l.map);
  hv::PanelState st;
  st.playing = true;
  // Variants: the full frame, and parts of it, to see where the time goes.
  struct Variant {
    const char* name;
    bool density, panels;
  };
  for (const Variant v : {Variant{"full frame (map, density map, panel, timeline)", true, true},
                          Variant{"map without density map, no panels", false, false},
                          Variant{"map with density map, no panels", true, false}}) {
    std::vector<double> ms;
    hv::MapOptions mo;
    mo.density = v.density;
    for (int k = 0; k < 320; ++k) {
      sf::Event ev;
      while (window.pollEvent(ev)) {
      }
      const double t = static_cast<double>(k % 100);
      const auto t0 = Clock::now();
      window.clear(hv::kBackground);
      map.draw(window, r, t, l.map, cam, mo);
      if (v.panels) {
        ui.panel(window, r, t, l.panel, st);
        ui.timeline(window, r, nullptr, t, r.end_s, {0, 800 - hv::kTimelineH, 1280, hv::kTimelineH},
                    st);
      }
      window.display();
      if (k >= 20) ms.push_back(ms_since(t0));  // the first frames warm caches and glyphs
    }
    std::printf(
        "frame: 1280x800, 10000 pedestrians, %s, %zu frames: median %.1f ms, p95 %.1f ms, "
        "min %.1f ms\n",
        v.name, ms.size(), median(ms), pct(ms, 0.95), pct(ms, 0));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "all";
  int rc = 0;
  if (what == "load" || what == "all") rc |= bench_load();
  if (what == "frame" || what == "all") rc |= bench_frame();
  return rc;
}
