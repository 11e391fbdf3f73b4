// Tests of hqdrill-viewer run as a program, as a user would (registered in
// viewer/CMakeLists.txt): each case writes a small hand-made trace (JSON Lines), runs the
// viewer, and checks its exit code, its message on stderr or pixels of its screenshot.
//
// usage: hqdrill_viewer_check CASE VIEWER XVFB_RUN|- WORKDIR
//
// Expected pixels are computed here by hand from the map transform documented in
// viewer/src/render.hpp and the layout in viewer/src/ui.hpp, not by calling the viewer's
// code, so a change of either shows up as a failing test.
#include <sys/wait.h>
#include <SFML/Graphics/Image.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

std::string g_viewer, g_xvfb, g_dir;
int g_failures = 0;

void check(bool ok, const std::string& what) {
  std::cout << (ok ? "ok:   " : "FAIL: ") << what << "\n";
  if (!ok) ++g_failures;
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Run {
  int code = -1;
  std::string err;
};

/// Runs the viewer with args (under xvfb-run when given); stderr is captured.
Run viewer(const std::string& args, bool display) {
  const fs::path err = fs::path(g_dir) / "stderr.txt";
  std::string cmd;
  if (display && g_xvfb != "-") cmd = g_xvfb + " -a -s '-screen 0 1280x800x24' ";
  cmd += g_viewer + " " + args + " 2>" + err.string() + " >/dev/null";
  const int st = std::system(cmd.c_str());
  Run r;
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  r.err = read(err);
  std::cout << "  $ " << cmd << "\n  -> exit " << r.code << (r.err.empty() ? "" : ", stderr: ")
            << r.err;
  if (!r.err.empty() && r.err.back() != '\n') std::cout << "\n";
  return r;
}

// The hand-made site: a street node, a locked main gate, a yard (a walkable area with a
// locked gate door) and a building. Bounds: x -20..40, y -20..60 (60 m x 80 m).
const char* kHeader =
    R"({"schema":"hqdrill.trace/1","scenario":"test","incident":{"id":"t1","type":"generic",)"
    R"("name":"Sự cố thử","name_en":"Test incident","node":"g1","start":{"weekday":"mon",)"
    R"("time":"08:00","holiday":false}},"run":3,"seed":1,"label":"worst","horizon_s":60,)"
    R"("sample_s":10,"site":{"nodes":[)"
    R"({"id":"st","kind":"street","name":"Đường","name_en":"Street","site":"hq","x_m":0,"y_m":-20,"floor":0},)"
    R"({"id":"g1","kind":"gate","name":"Cổng chính","name_en":"Main gate","site":"hq","x_m":0,"y_m":0,"floor":0},)"
    R"({"id":"yard","kind":"yard","name":"Sân trước","name_en":"Front yard","site":"hq","x_m":0,"y_m":40,"floor":0},)"
    R"({"id":"bld","kind":"building","name":"Nhà chính","name_en":"Main building","site":"hq","x_m":40,"y_m":60,"floor":0}],)"
    R"("edges":[{"id":"e_gate","from":"st","to":"g1","length_m":20,"width_m":6,"modes":["foot"],"closed":true,"door":"gate"},)"
    R"({"id":"e_yard","from":"g1","to":"yard","length_m":40,"width_m":6,"modes":["foot"],"closed":false},)"
    R"({"id":"e_bld","from":"yard","to":"bld","length_m":45,"width_m":4,"modes":["foot"],"closed":false}],)"
    R"("areas":[{"id":"yard_area","name":"Sân","name_en":"Yard","node":"yard","kind":"yard","fidelity":"micro",)"
    R"("area_m2":1600,"outline":[[-20,20],[20,20],[20,60],[-20,60]],"holes":[],)"
    R"("doors":[{"id":"d1","a":[-5,20],"b":[5,20],"kind":"gate","locked":true,"to":"outside"}]}]},)"
    R"("roles":[{"id":"police_squad_leader","name":"Tiểu đội trưởng","name_en":"Squad leader","unit":"police_squad"}],)"
    R"("units":[{"id":"police_squad","kind":"police","name":"Tiểu đội CSBVMT","name_en":"Police squad","mode":"foot","members":6},)"
    R"({"id":"guards","kind":"guard","name":"Bảo vệ","name_en":"Guards","mode":"foot","members":3}],)"
    R"("movers":[{"id":0,"unit":"police_squad","members":6,"origin":"st","destination":"bld","appears_s":0}],)"
    R"("tasks":[],"groups":[],"kpis":{"notified_police_squad_leader_s":4.0,"all_on_scene_s":null})"
    R"(%FLOOD%})";

const char* kFlood =
    R"(,"flood":{"cells":[{"id":"c_yard","name":"Sân","name_en":"Yard","kind":"yard","ground_m":5.0,)"
    R"("area_m2":1600,"area":"yard_area","node":"yard","outline":[[-20,20],[20,20],[20,60],[-20,60]]},)"
    R"({"id":"c_bld","name":"Nhà","name_en":"Building","kind":"building","ground_m":5.3,"area_m2":400,"node":"bld","outline":[]}],)"
    R"("barriers":[{"id":"b1","from":"c_yard","to":"c_bld","crest_m":5.6}],"alarm_levels_m":{"I":4.0,"II":5.0,"III":6.0}})";

std::string header(bool flood) {
  std::string h = kHeader;
  h.replace(h.find("%FLOOD%"), 7, flood ? kFlood : "");
  return h + "\n";
}

// The mover goes from (0,-20) at t=0 to (20,40) at t=10; at t=5 it is at (10,10).
// The gate (edge e_gate) and the yard's gate door d1 open at t=8.
std::string body(bool flood) {
  std::string b =
      R"({"t_s":0,"type":"incident_started","node":"g1"})"
      "\n"
      R"({"t_s":0,"type":"positions","movers":[[0,0,-20]]})"
      "\n"
      R"({"t_s":2,"type":"message_sent","link":"l1","channel":"radio","from":"police_squad_leader","to":"police_squad_leader","attempt":1})"
      "\n"
      R"({"t_s":6,"type":"message_received","link":"l1","channel":"radio","from":"police_squad_leader","to":"police_squad_leader","attempt":1})"
      "\n"
      R"({"t_s":8,"type":"edge_opened","edge":"e_gate"})"
      "\n"
      R"({"t_s":8,"type":"door_opened","area":"yard_area","door":"d1","node":"yard"})"
      "\n"
      R"({"t_s":9,"type":"some_future_line","whatever":[1,2,3]})"
      "\n"
      R"({"t_s":10,"type":"positions","movers":[[0,20,40]]})"
      "\n";
  if (flood)
    b += R"({"t_s":10,"type":"flood","depth_m":[1.5,0.2],"stage_m":5.5,"barriers":["overtopped"]})"
         "\n";
  b += R"({"t_s":20,"type":"end"})"
       "\n";
  return b;
}

std::string good_trace(bool flood = false) {
  return header(flood) + body(flood);
}

/// The documented transform for a WxH single-pane image of the test site.
struct Px {
  double s, ox, oy;
  int x(double wx) const { return static_cast<int>(std::lround(ox + (wx - -20.0) * s)); }
  int y(double wy) const { return static_cast<int>(std::lround(oy + (60.0 - wy) * s)); }
};
Px transform(double W, double H, double pane_x = 0, double pane_w = -1) {
  if (pane_w < 0) pane_w = W;
  const double P = std::min(420.0, std::max(240.0, std::round(0.3 * pane_w)));  // panel width
  const double map_w = pane_w - P, map_h = H - 64, m = 24;
  const double bw = 60, bh = 80;
  const double w = map_w - 2 * m, h = map_h - 2 * m;
  const double s = std::min(w / bw, h / bh);
  return {s, pane_x + m + (w - bw * s) / 2, m + (h - bh * s) / 2};
}

/// Is colour c (within tol per channel) found within r pixels of (x, y)?
bool colour_near(const sf::Image& img, int x, int y, sf::Color c, int r = 2, int tol = 6) {
  for (int dy = -r; dy <= r; ++dy)
    for (int dx = -r; dx <= r; ++dx) {
      const int px = x + dx, py = y + dy;
      if (px < 0 || py < 0 || px >= static_cast<int>(img.getSize().x) ||
          py >= static_cast<int>(img.getSize().y))
        continue;
      const sf::Color p = img.getPixel(static_cast<unsigned>(px), static_cast<unsigned>(py));
      if (std::abs(p.r - c.r) <= tol && std::abs(p.g - c.g) <= tol && std::abs(p.b - c.b) <= tol)
        return true;
    }
  return false;
}

std::string describe(const sf::Image& img, int x, int y) {
  const sf::Color p = img.getPixel(static_cast<unsigned>(x), static_cast<unsigned>(y));
  return "(" + std::to_string(x) + "," + std::to_string(y) + ") is rgb(" + std::to_string(p.r) +
         "," + std::to_string(p.g) + "," + std::to_string(p.b) + ")";
}

const sf::Color kPolice{30, 70, 200};  // force_colour("police")
const sf::Color kLocked{200, 30, 30};  // kLockedColour
const sf::Color kOpen{40, 170, 60};    // kOpenColour

bool screenshot(const fs::path& trace, double at, const fs::path& png, sf::Image& img,
                const std::string& extra = "") {
  const Run r = viewer(trace.string() + " --screenshot " + png.string() + " --at " +
                           std::to_string(at) + " --size 800x600" + extra,
                       true);
  check(r.code == 0, "the screenshot exits 0");
  const bool ok = r.code == 0 && img.loadFromFile(png.string());
  check(ok, "the screenshot is a readable PNG");
  if (ok) check(img.getSize() == sf::Vector2u(800, 600), "the screenshot is 800x600");
  return ok;
}

void expect_exit_2(const std::string& trace_text, const std::string& needle) {
  const fs::path p = fs::path(g_dir) / "trace.jsonl";
  write(p, trace_text);
  const Run r = viewer(
      p.string() + " --screenshot " + (fs::path(g_dir) / "x.png").string() + " --at 1", false);
  check(r.code == 2, "the viewer exits 2");
  check(r.err.find(needle) != std::string::npos, "stderr says \"" + needle + "\"");
  check(r.err.find(p.string()) != std::string::npos, "stderr names the file");
  check(!fs::exists(fs::path(g_dir) / "x.png"), "no image is written");
}

const std::map<std::string, std::function<void()>> kCases = {
    {"truncated_trace_exits_2",
     [] {
       // Cut in the middle of the last position line: no "end" line, last line incomplete.
       const std::string t = good_trace();
       expect_exit_2(t.substr(0, t.find(R"({"t_s":10,"type":"positions")") + 25), "truncated");
       // Cut cleanly after a whole line: still refused (no "end" line)...
       const std::string clean = t.substr(0, t.find(R"({"t_s":20,"type":"end"})"));
       expect_exit_2(clean, "truncated");
       // ...unless --partial is given.
       const fs::path p = fs::path(g_dir) / "clean.jsonl";
       write(p, clean);
       sf::Image img;
       if (g_xvfb != "-") screenshot(p, 5, fs::path(g_dir) / "partial.png", img, " --partial");
     }},
    {"garbled_trace_exits_2",
     [] {
       std::string t = good_trace();
       const auto at = t.find(R"({"t_s":2,)");
       t.replace(at, 10, "{\"t_s\":2,,]] garbage ");
       expect_exit_2(t, "line 4: not a JSON object");
     }},
    {"empty_trace_exits_2",
     [] {
       expect_exit_2("", "empty");
       expect_exit_2("\n\n", "empty");
       expect_exit_2("[1,2,3]\n", "not a JSON object");
     }},
    {"newer_schema_exits_2_and_says_so",
     [] {
       std::string t = good_trace();
       t.replace(t.find("hqdrill.trace/1"), 15, "hqdrill.trace/2");
       expect_exit_2(t, "newer");
     }},
    {"hostile_values_exit_2",
     [] {
       // A line without a numeric t_s, then time going backwards.
       std::string t = header(false) + R"({"t_s":"soon","type":"positions"})" + "\n" +
                       R"({"t_s":20,"type":"end"})" + "\n";
       expect_exit_2(t, "numeric \"t_s\"");
       t = header(false) + R"({"t_s":9,"type":"detected"})" + "\n" +
           R"({"t_s":3,"type":"detected"})" + "\n" + R"({"t_s":20,"type":"end"})" + "\n";
       expect_exit_2(t, "back in time");
       t = header(false) + R"({"t_s":-4,"type":"detected"})" + "\n" + R"({"t_s":20,"type":"end"})" +
           "\n";
       expect_exit_2(t, "t_s out of range");
     }},
    {"missing_file_exits_2",
     [] {
       const Run r = viewer((fs::path(g_dir) / "nope.jsonl").string(), false);
       check(r.code == 2, "the viewer exits 2");
       check(r.err.find("no such file") != std::string::npos, "stderr says no such file");
       const Run u = viewer("--size 10x10 a.jsonl", false);
       check(u.code == 2 && u.err.find("--size") != std::string::npos, "a bad --size exits 2");
     }},
    {"screenshot_shows_unit_and_locked_gate",
     [] {
       const fs::path p = fs::path(g_dir) / "trace.jsonl";
       write(p, good_trace());
       sf::Image img;
       if (!screenshot(p, 5, fs::path(g_dir) / "t5.png", img)) return;
       const Px T = transform(800, 600);
       // The police squad halfway between its samples: (10, 10) m.
       check(
           colour_near(img, T.x(10), T.y(10), kPolice),
           "police squad marker at its interpolated position: " + describe(img, T.x(10), T.y(10)));
       check(!colour_near(img, T.x(0), T.y(-20), kPolice, 3),
             "no police marker left at its t=0 position");
       check(colour_near(img, T.x(0), T.y(0), kLocked, 1, 2),
             "the main gate is drawn locked: " + describe(img, T.x(0), T.y(0)));
       check(colour_near(img, T.x(0), T.y(20), kLocked, 1, 2),
             "the yard's gate door is drawn locked: " + describe(img, T.x(0), T.y(20)));
     }},
    {"gate_drawn_open_after_it_opens",
     [] {
       const fs::path p = fs::path(g_dir) / "trace.jsonl";
       write(p, good_trace());
       sf::Image img;
       if (!screenshot(p, 9, fs::path(g_dir) / "t9.png", img)) return;
       const Px T = transform(800, 600);
       check(colour_near(img, T.x(0), T.y(0), kOpen, 1, 2),
             "the main gate is drawn open at 9 s: " + describe(img, T.x(0), T.y(0)));
       check(colour_near(img, T.x(0), T.y(20), kOpen, 1, 2),
             "the yard's gate door is drawn open at 9 s: " + describe(img, T.x(0), T.y(20)));
       check(colour_near(img, T.x(18), T.y(34), kPolice),
             "police squad at (18, 34) m at 9 s: " + describe(img, T.x(18), T.y(34)));
     }},
    {"flood_depth_is_shaded",
     [] {
       const fs::path p = fs::path(g_dir) / "flood.jsonl";
       write(p, good_trace(true));
       sf::Image dry, wet;
       if (!screenshot(p, 5, fs::path(g_dir) / "dry.png", dry)) return;
       if (!screenshot(p, 12, fs::path(g_dir) / "wet.png", wet)) return;
       const Px T = transform(800, 600);
       // A point of the yard away from labels, edges and the gauge: (10, 25) m.
       const int x = T.x(10), y = T.y(25);
       const sf::Color d = dry.getPixel(x, y), w = wet.getPixel(x, y);
       check(d.r > 200 && d.g > 200 && d.b > 200,
             "the dry yard is white before the flood frame: " + describe(dry, x, y));
       check(w.b > w.r + 60 && w.b > w.g + 40,
             "1.5 m of water in the yard is dark blue: " + describe(wet, x, y));
     }},
    {"compare_mode_renders_both",
     [] {
       const fs::path a = fs::path(g_dir) / "a.jsonl", b = fs::path(g_dir) / "b.jsonl";
       write(a, good_trace());
       std::string tb = good_trace();  // B: the squad goes the other way (x mirrored)
       tb.replace(tb.find("[[0,20,40]]"), 11, "[[0,-20,40]]");
       write(b, tb);
       const fs::path png = fs::path(g_dir) / "cmp.png";
       const Run r = viewer("--compare " + a.string() + " " + b.string() + " --screenshot " +
                                png.string() + " --at 5 --size 1600x600",
                            true);
       check(r.code == 0, "compare screenshot exits 0");
       sf::Image img;
       if (r.code != 0 || !img.loadFromFile(png.string())) return check(false, "readable PNG");
       const Px A = transform(1600, 600, 0, 800), B = transform(1600, 600, 800, 800);
       check(colour_near(img, A.x(10), A.y(10), kPolice), "A: squad at (10, 10) m at 5 s");
       check(colour_near(img, B.x(-10), B.y(10), kPolice), "B: squad at (-10, 10) m at 5 s");
     }},
    {"frames_cover_the_whole_replay",
     [] {
       // 10 s of replay at 5 s per frame (--fps 1 --speed 5): frames at 0, 5 and 10 s.
       const fs::path p = fs::path(g_dir) / "trace.jsonl", out = fs::path(g_dir) / "frames";
       write(p, good_trace());
       const Run r = viewer(
           p.string() + " --frames " + out.string() + " --fps 1 --speed 5 --size 800x600", true);
       check(r.code == 0, "--frames exits 0");
       check(fs::exists(out / "frame-00002.png") && !fs::exists(out / "frame-00003.png"),
             "three frames written");
       sf::Image img;
       const Px T = transform(800, 600);
       check(img.loadFromFile((out / "frame-00001.png").string()) &&
                 colour_near(img, T.x(10), T.y(10), kPolice),
             "frame 1 shows the squad at 5 s");
     }},
    {"hostile_header_renders",
     [] {
       // Wrong types and absurd values in the header and lines: drawn as far as they make
       // sense, never a crash.
       const std::string t =
           R"({"schema":"hqdrill.trace/1","incident":7,"site":{"nodes":[{"id":1,"x_m":"a"},)"
           R"({"id":"n","x_m":1e300,"y_m":-1e300},{"id":"m","x_m":5,"y_m":5,"kind":"gate"}],)"
           R"("edges":[{"from":"zz","to":"n"}],"areas":[{"outline":[[0,0],[1],"x",[1e9,1e9]],)"
           R"("doors":[{"a":"no"}]}]},"movers":[{"unit":4}],"units":"none","kpis":[1,2],)"
           R"("fire":{"rooms":[{"area":"q"}]},"flood":{"cells":[{"outline":[[0,0]]}],"barriers":[{}]}})"
           "\n"
           R"({"t_s":1,"type":"positions","movers":[[99,1,1],[0,"x",2],[-1,0,0],[0,1e308,1]]})"
           "\n"
           R"({"t_s":2,"type":"peds","id":[1,2],"x":[1,"q",3],"y":[1],"state":[5]})"
           "\n"
           R"({"t_s":3,"type":"fire","rooms":[[1e300,2],"x"]})"
           "\n"
           R"({"t_s":3,"type":"flood","depth_m":[-5,"x",9,9,9],"barriers":[3]})"
           "\n"
           R"({"t_s":4,"type":"door_closed","area":"nope","door":5})"
           "\n"
           R"({"t_s":5,"type":"end"})"
           "\n";
       const fs::path p = fs::path(g_dir) / "hostile.jsonl";
       write(p, t);
       sf::Image img;
       screenshot(p, 3, fs::path(g_dir) / "hostile.png", img);
     }},
    {"results_dir_opens_worst_run",
     [] {
       // A results directory: summary.json names run 3 as the worst; a target on the
       // notification KPI (4 s, missed: told at 6 s) makes the message late.
       const fs::path dir = fs::path(g_dir) / "results";
       write(dir / "traces" / "t1" / "run-3.jsonl", good_trace());
       write(dir / "summary.json",
             R"({"schema":"hqdrill.summary/1","incidents":[{"id":"t1","targets":[)"
             R"({"kpi":"notified_police_squad_leader_s","max":3,"min_fraction":0.9}],)"
             R"("traced_runs":{"median":1,"worst":3}}]})");
       write(dir / "findings.json",
             R"({"schema":"hqdrill.findings/1","findings":[{"rank":1,"kind":"late_notification",)"
             R"("incident":"t1","subject":"police_squad_leader","text_vi":"muộn","text_en":"late",)"
             R"("evidence":[{"run":3,"t_s":6.0,"event":"told at 6 s"}]}]})");
       sf::Image img;
       if (!screenshot(dir, 7, fs::path(g_dir) / "res.png", img, " --lang en")) return;
       const Px T = transform(800, 600);
       check(colour_near(img, T.x(14), T.y(22), kPolice), "worst run replayed: squad at 7 s");
       // The trace file itself, inside the results directory: same targets (the late
       // message's red is in the event log).
       sf::Image direct;
       if (!screenshot(dir / "traces" / "t1" / "run-3.jsonl", 7, fs::path(g_dir) / "file.png",
                       direct, " --lang en"))
         return;
       check(direct.getSize() == img.getSize(), "same size");
       bool same = true;
       for (unsigned y = 0; y < img.getSize().y && same; ++y)
         for (unsigned x = 0; x < img.getSize().x && same; ++x)
           same = img.getPixel(x, y) == direct.getPixel(x, y);
       check(same, "the trace file inside the results directory looks the same as the directory");
       // --run of a trace that is not there: exit 2, naming it.
       const Run r = viewer(dir.string() + " --run 9", false);
       check(r.code == 2 && r.err.find("run 9") != std::string::npos, "a missing --run exits 2");
     }},
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5 || !kCases.count(argv[1])) {
    std::cerr << "usage: hqdrill_viewer_check CASE VIEWER XVFB_RUN|- WORKDIR\ncases:";
    for (const auto& [name, f] : kCases) std::cerr << " " << name;
    std::cerr << "\n";
    return 2;
  }
  g_viewer = argv[2];
  g_xvfb = argv[3];
  g_dir = argv[4];
  fs::remove_all(g_dir);
  fs::create_directories(g_dir);
  kCases.at(argv[1])();
  std::cout << (g_failures ? "FAILED: " : "passed: ") << argv[1] << "\n";
  return g_failures ? 1 : 0;
}
