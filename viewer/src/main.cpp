// hqdrill-viewer: replays traces of `hqdrill run` (docs/trace-format.md).
//
//   hqdrill-viewer TRACE | RESULTS_DIR [--run K] [--incident ID]
//   hqdrill-viewer --compare A B            (A, B: traces or results directories)
//   ... --screenshot OUT.png --at SECONDS [--size WxH]   (off-screen, then exit)
//   ... --frames DIR --fps F [--speed X] [--size WxH]    (PNG sequence of the whole replay)
//   options: --lang vi|en, --partial (replay a truncated trace), --all (fit the whole map)
//
// Exit codes as the CLI: 0 done, 1 rendering failed, 2 bad input or usage.
// The loop is input, advance playback time, draw (STYLE.md habit 15); it never simulates.
#include <SFML/Graphics.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "render.hpp"
#include "replay.hpp"
#include "ui.hpp"

namespace hv = hqdrill::viewer;
namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage =
    "usage: hqdrill-viewer TRACE.jsonl | RESULTS_DIR [--run K] [--incident ID]\n"
    "       hqdrill-viewer --compare A B   (A, B: trace files or results directories)\n"
    "options:\n"
    "  --screenshot OUT.png --at SECONDS   render one frame off-screen and exit\n"
    "  --frames DIR --fps F [--speed X]    write DIR/frame-00000.png... for the whole replay\n"
    "  --size WxH                          window or image size (default 1280x800)\n"
    "  --lang vi|en                        interface language (default vi; L toggles)\n"
    "  --all                               fit the whole map, not only the incident's site\n"
    "  --zoom Z [--centre NODE]            start zoomed Z times on the incident's node (or NODE)\n"
    "  --partial                           replay a truncated trace up to its last whole line\n";

struct Options {
  std::vector<std::string> paths;
  bool compare = false;
  std::optional<int> run;
  std::string incident, centre;
  std::string screenshot, frames_dir;
  std::optional<double> at;
  double fps = 10, speed = 1, zoom = 1;
  unsigned width = 1280, height = 800;
  hv::Lang lang = hv::Lang::vi;
  bool partial = false, fit_all = false;
};

[[noreturn]] void usage_error(const std::string& msg) {
  std::cerr << "hqdrill-viewer: " << msg << "\n" << kUsage;
  std::exit(2);
}

double parse_number(const std::string& opt, const std::string& v) {
  double x = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || !std::isfinite(x))
    usage_error(opt + ": not a number: \"" + v + "\"");
  return x;
}

Options parse_args(int argc, char** argv) {
  Options o;
  std::vector<std::string> a(argv + 1, argv + argc);
  auto value = [&](std::size_t& i) -> const std::string& {
    if (i + 1 >= a.size()) usage_error(a[i] + " needs a value");
    return a[++i];
  };
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string& s = a[i];
    if (s == "-h" || s == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (s == "--compare") {
      o.compare = true;
    } else if (s == "--run") {
      const double k = parse_number(s, value(i));
      if (k < 0 || k != std::floor(k) || k > 1e9) usage_error("--run: not a run number");
      o.run = static_cast<int>(k);
    } else if (s == "--incident") {
      o.incident = value(i);
    } else if (s == "--screenshot") {
      o.screenshot = value(i);
    } else if (s == "--at") {
      o.at = parse_number(s, value(i));
    } else if (s == "--frames") {
      o.frames_dir = value(i);
    } else if (s == "--fps") {
      o.fps = parse_number(s, value(i));
      if (o.fps <= 0 || o.fps > 240) usage_error("--fps: between 0 and 240");
    } else if (s == "--speed") {
      o.speed = parse_number(s, value(i));
      if (o.speed <= 0 || o.speed > 1e5) usage_error("--speed: a positive factor");
    } else if (s == "--size") {
      const std::string& v = value(i);
      unsigned w = 0, h = 0;
      char x = 0, extra = 0;
      if (std::sscanf(v.c_str(), "%u%c%u%c", &w, &x, &h, &extra) != 3 || x != 'x' || w < 320 ||
          h < 240 || w > 8192 || h > 8192)
        usage_error("--size: WxH, e.g. 1280x800 (320x240 to 8192x8192)");
      o.width = w;
      o.height = h;
    } else if (s == "--lang") {
      const std::string& v = value(i);
      if (v != "vi" && v != "en") usage_error("--lang: vi or en");
      o.lang = v == "en" ? hv::Lang::en : hv::Lang::vi;
    } else if (s == "--zoom") {
      o.zoom = parse_number(s, value(i));
      if (o.zoom < 0.01 || o.zoom > 1000) usage_error("--zoom: between 0.01 and 1000");
    } else if (s == "--centre") {
      o.centre = value(i);
    } else if (s == "--partial") {
      o.partial = true;
    } else if (s == "--all") {
      o.fit_all = true;
    } else if (!s.empty() && s[0] == '-') {
      usage_error("unknown option " + s);
    } else {
      o.paths.push_back(s);
    }
  }
  if (o.paths.size() != (o.compare ? 2u : 1u))
    usage_error(o.compare ? "--compare needs two traces or results directories"
                          : "give one trace or results directory");
  if (!o.screenshot.empty() && !o.at) usage_error("--screenshot needs --at SECONDS");
  if (!o.screenshot.empty() && !o.frames_dir.empty())
    usage_error("--screenshot and --frames cannot be used together");
  return o;
}

/// A font with Vietnamese glyphs: $HQDRILL_FONT, else DejaVu Sans or other common fonts.
std::optional<std::string> find_font() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("HQDRILL_FONT")) candidates.push_back(env);
  for (const char* p :
       {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSans.ttf"})
    candidates.push_back(p);
  std::error_code ec;
  for (const std::string& c : candidates)
    if (fs::is_regular_file(c, ec)) return c;
  return {};
}

struct App {
  std::vector<hv::Replay> replays;
  std::vector<hv::Camera> cams;
  std::vector<hv::MapRenderer> maps;
  hv::Ui ui;
  hv::PanelState st;
  double t = 0, end_s = 0;
  bool help = false, labels = true, density = true, fit_all = false;
  double zoom = 1;     ///< --zoom: applied about the incident node after each fit
  std::string centre;  ///< --centre: that node instead of the incident's
  int follow_pane = 0;
  sf::Vector2u size;

  App(std::vector<hv::Replay> rs, const sf::Font& font) : replays(std::move(rs)), ui(font) {
    for (const auto& r : replays) {
      end_s = std::max(end_s, r.end_s);
      maps.emplace_back(font);
    }
    cams.resize(replays.size());
    st.compact = replays.size() > 1;
  }
  float pane_w() const { return static_cast<float>(size.x) / static_cast<float>(replays.size()); }
  hv::Layout pane_layout(std::size_t i) const {
    return hv::layout(pane_w() * static_cast<float>(i), pane_w(), static_cast<float>(size.y),
                      static_cast<float>(size.x));
  }
  hv::Rect timeline() const { return pane_layout(0).timeline; }
  void refit(sf::Vector2u s) {
    size = s;
    for (std::size_t i = 0; i < replays.size(); ++i) {
      const hv::Rect m = pane_layout(i).map;
      cams[i] = hv::fit(hv::site_bounds(replays[i], !fit_all), m);
      const int n = replays[i].node_index(centre.empty() ? replays[i].incident_node : centre);
      if ((zoom != 1 || !centre.empty()) && n >= 0) {
        cams[i].zoom(static_cast<float>(zoom), {m.x + m.w / 2, m.y + m.h / 2});
        cams[i].centre_on(replays[i].nodes[n].pos, {m.x + m.w / 2, m.y + m.h / 2});
      }
    }
  }
  double step_s() const {
    const double s = replays[0].sample_s;
    return s > 0 ? s : 1.0;
  }
  void draw(sf::RenderTarget& target) {
    target.clear(hv::kBackground);
    for (std::size_t i = 0; i < replays.size(); ++i) {
      const hv::Layout l = pane_layout(i);
      hv::MapOptions mo;
      mo.english = st.lang == hv::Lang::en;
      mo.labels = labels;
      mo.density = density;
      mo.follow = static_cast<int>(i) == follow_pane ? st.follow : -1;
      maps[i].draw(target, replays[i], t, l.map, cams[i], mo);
      ui.flood_gauge(target, replays[i], t, l.map, st.lang);
      ui.banner(target, fs::path(replays[i].file).filename().string(), l.map);
      hv::PanelState ps = st;
      ps.follow = mo.follow;
      ui.panel(target, replays[i], t, l.panel, ps);
    }
    ui.timeline(target, replays[0], replays.size() > 1 ? &replays[1] : nullptr, t, end_s,
                timeline(), st);
    if (help) ui.help(target, st.lang);
  }
  /// Keep the followed unit in the middle of its map.
  void track() {
    if (st.follow < 0) return;
    for (const auto& m : replays[follow_pane].movers_at(t))
      if (m.mover == st.follow) {
        const hv::Rect r = pane_layout(follow_pane).map;
        cams[follow_pane].centre_on({m.x, m.y}, {r.x + r.w / 2, r.y + r.h / 2});
      }
  }
};

int run_headless(App& app, const Options& o) {
  sf::RenderTexture rt;
  if (!rt.create(o.width, o.height)) {
    std::cerr << "hqdrill-viewer: cannot create an off-screen " << o.width << "x" << o.height
              << " image (is there an X display? try xvfb-run)\n";
    return 1;
  }
  app.refit({o.width, o.height});
  auto save = [&](const std::string& path) {
    app.draw(rt);
    rt.display();
    if (!rt.getTexture().copyToImage().saveToFile(path)) {
      std::cerr << "hqdrill-viewer: cannot write " << path << "\n";
      return false;
    }
    return true;
  };
  if (!o.screenshot.empty()) {
    app.t = std::clamp(*o.at, 0.0, app.end_s);
    return save(o.screenshot) ? 0 : 1;
  }
  std::error_code ec;
  fs::create_directories(o.frames_dir, ec);
  if (ec) {
    std::cerr << "hqdrill-viewer: cannot create " << o.frames_dir << ": " << ec.message() << "\n";
    return 2;
  }
  const double dt = o.speed / o.fps;
  const long long n = static_cast<long long>(std::floor(app.end_s / dt)) + 1;
  if (n > 200000) {
    std::cerr << "hqdrill-viewer: " << n << " frames is too many; raise --speed or lower --fps\n";
    return 2;
  }
  for (long long k = 0; k < n; ++k) {
    app.t = std::min(app.end_s, static_cast<double>(k) * dt);
    app.track();
    char name[32];
    std::snprintf(name, sizeof name, "frame-%05lld.png", k);
    if (!save((fs::path(o.frames_dir) / name).string())) return 1;
  }
  std::cout << "wrote " << n << " frames to " << o.frames_dir << "\n";
  return 0;
}

int run_window(App& app, const Options& o) {
  sf::RenderWindow window(sf::VideoMode(o.width, o.height), "HQ Drill – replay", sf::Style::Default,
                          sf::ContextSettings(0, 0, 4));
  window.setVerticalSyncEnabled(true);
  app.refit(window.getSize());
  sf::Clock clock;
  bool dragging = false, scrubbing = false;
  int drag_pane = 0;
  sf::Vector2f last_mouse;
  while (window.isOpen()) {
    // 1. Input.
    sf::Event ev;
    while (window.pollEvent(ev)) {
      switch (ev.type) {
        case sf::Event::Closed:
          window.close();
          break;
        case sf::Event::Resized:
          window.setView(sf::View(sf::FloatRect(0, 0, static_cast<float>(ev.size.width),
                                                static_cast<float>(ev.size.height))));
          app.refit({ev.size.width, ev.size.height});
          break;
        case sf::Event::KeyPressed: {
          const bool shift = ev.key.shift;
          switch (ev.key.code) {
            case sf::Keyboard::Space:
              app.st.playing = !app.st.playing;
              break;
            case sf::Keyboard::Add:
            case sf::Keyboard::Equal:
            case sf::Keyboard::Up:
              app.st.speed = std::min(256.0, app.st.speed * 2);
              break;
            case sf::Keyboard::Subtract:
            case sf::Keyboard::Hyphen:
            case sf::Keyboard::Down:
              app.st.speed = std::max(1.0, app.st.speed / 2);
              break;
            case sf::Keyboard::Right:
              app.t = std::min(app.end_s, app.t + app.step_s() * (shift ? 10 : 1));
              break;
            case sf::Keyboard::Left:
              app.t = std::max(0.0, app.t - app.step_s() * (shift ? 10 : 1));
              break;
            case sf::Keyboard::N: {
              std::optional<double> next;
              for (const auto& r : app.replays)
                if (auto m = r.next_mark_after(app.t); m && (!next || *m < *next)) next = m;
              if (next) app.t = *next;
              break;
            }
            case sf::Keyboard::P: {
              std::optional<double> prev;
              for (const auto& r : app.replays)
                if (auto m = r.prev_mark_before(app.t); m && (!prev || *m > *prev)) prev = m;
              app.t = prev.value_or(0.0);
              break;
            }
            case sf::Keyboard::Home:
              app.t = 0;
              break;
            case sf::Keyboard::End:
              app.t = app.end_s;
              break;
            case sf::Keyboard::L:
              app.st.lang = app.st.lang == hv::Lang::vi ? hv::Lang::en : hv::Lang::vi;
              break;
            case sf::Keyboard::H:
              app.help = !app.help;
              break;
            case sf::Keyboard::D:
              app.density = !app.density;
              break;
            case sf::Keyboard::B:
              app.labels = !app.labels;
              break;
            case sf::Keyboard::F:
              app.fit_all = !app.fit_all;
              app.refit(window.getSize());
              break;
            case sf::Keyboard::S: {  // the window as it is, to hqdrill-viewer-<t>.png
              sf::Texture shot;
              if (shot.create(window.getSize().x, window.getSize().y)) {
                shot.update(window);
                const std::string name =
                    "hqdrill-viewer-" + std::to_string(std::lround(app.t)) + ".png";
                if (shot.copyToImage().saveToFile(name)) std::cout << "saved " << name << std::endl;
              }
              break;
            }
            case sf::Keyboard::Escape:
              app.st.follow = -1;
              break;
            case sf::Keyboard::Q:
              window.close();
              break;
            default:
              break;
          }
          break;
        }
        case sf::Event::MouseWheelScrolled: {
          const sf::Vector2f p(static_cast<float>(ev.mouseWheelScroll.x),
                               static_cast<float>(ev.mouseWheelScroll.y));
          for (std::size_t i = 0; i < app.replays.size(); ++i)
            if (app.pane_layout(i).map.contains(p.x, p.y))
              app.cams[i].zoom(std::pow(1.2f, ev.mouseWheelScroll.delta), p);
          break;
        }
        case sf::Event::MouseButtonPressed: {
          if (ev.mouseButton.button != sf::Mouse::Left) break;
          const sf::Vector2f p(static_cast<float>(ev.mouseButton.x),
                               static_cast<float>(ev.mouseButton.y));
          last_mouse = p;
          const hv::Rect tl = app.timeline();
          if (tl.contains(p.x, p.y)) {
            scrubbing = true;
            app.t = hv::Ui::time_at(tl, app.end_s, p.x);
            break;
          }
          for (std::size_t i = 0; i < app.replays.size(); ++i) {
            if (!app.pane_layout(i).map.contains(p.x, p.y)) continue;
            const int m = hv::MapRenderer::mover_at(app.replays[i], app.t, app.cams[i], p);
            if (m >= 0) {
              app.st.follow = m;
              app.follow_pane = static_cast<int>(i);
            } else {
              dragging = true;
              drag_pane = static_cast<int>(i);
            }
          }
          break;
        }
        case sf::Event::MouseButtonReleased:
          dragging = scrubbing = false;
          break;
        case sf::Event::MouseMoved: {
          const sf::Vector2f p(static_cast<float>(ev.mouseMove.x),
                               static_cast<float>(ev.mouseMove.y));
          if (scrubbing) app.t = hv::Ui::time_at(app.timeline(), app.end_s, p.x);
          if (dragging) {
            app.cams[drag_pane].pan(p - last_mouse);
            if (drag_pane == app.follow_pane) app.st.follow = -1;  // panning stops following
          }
          last_mouse = p;
          break;
        }
        default:
          break;
      }
    }
    // 2. Advance playback time.
    const double dt = clock.restart().asSeconds();
    if (app.st.playing) {
      app.t += dt * app.st.speed;
      if (app.t >= app.end_s) {
        app.t = app.end_s;
        app.st.playing = false;
      }
    }
    app.track();
    // 3. Draw.
    app.draw(window);
    window.display();
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_args(argc, argv);

  std::vector<hv::Replay> replays;
  for (const std::string& p : o.paths) {
    hv::TraceChoice c = hv::choose_trace(p, o.run, o.incident);
    if (!c.error.empty()) {
      std::cerr << "hqdrill-viewer: " << c.error << "\n";
      return 2;
    }
    hv::LoadResult lr = hv::load_trace_file(c.trace_path, o.partial);
    for (const std::string& w : lr.warnings) std::cerr << "hqdrill-viewer: warning: " << w << "\n";
    if (!lr.replay) {
      for (const std::string& e : lr.errors) std::cerr << "hqdrill-viewer: " << e << "\n";
      if (lr.errors.size() == 1 && lr.errors[0].find("last line incomplete") != std::string::npos)
        std::cerr << "hqdrill-viewer: pass --partial to replay it up to its last whole line\n";
      return 2;
    }
    hv::apply_results(*lr.replay, c.results);
    replays.push_back(std::move(*lr.replay));
  }

  const auto font_path = find_font();
  sf::Font font;
  if (!font_path || !font.loadFromFile(*font_path)) {
    std::cerr << "hqdrill-viewer: no usable font with Vietnamese glyphs found (looked for "
                 "$HQDRILL_FONT and /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf); install "
                 "fonts-dejavu-core or set HQDRILL_FONT to a .ttf file\n";
    return 2;
  }

  App app(std::move(replays), font);
  app.st.lang = o.lang;
  app.fit_all = o.fit_all;
  app.zoom = o.zoom;
  app.centre = o.centre;
  if (!o.screenshot.empty() || !o.frames_dir.empty()) {
    app.st.speed = o.speed;
    return run_headless(app, o);
  }
  return run_window(app, o);
}
