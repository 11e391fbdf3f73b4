// Panels around the map: layout, the side panel (incident, clock, KPIs with targets, the
// followed unit, the event log, the legend), the timeline with its marks, the flood gauge,
// the help overlay; and the vi/en strings they use.
#pragma once

#include <SFML/Graphics.hpp>
#include <map>
#include <memory>
#include <string>

#include "render.hpp"
#include "replay.hpp"

namespace hqdrill::viewer {

/// Where things go in a pane of a window (a pane is the whole window, or one half in
/// compare mode). Panel width P = clamp(0.3 * pane width, 240, 420) px on the right; the
/// timeline is the bottom kTimelineH px of the window (shared in compare mode); the map is
/// the rest: rect (pane.x, 0, pane.w - P, H - kTimelineH).
inline constexpr float kTimelineH = 64.f;
struct Layout {
  Rect map, panel, timeline;
};
Layout layout(float pane_x, float pane_w, float window_h, float window_w);

enum class Lang { vi, en };
/// The UI string for key in the language asked for (keys are the English text).
const char* tr(Lang lang, const char* key);

struct PanelState {
  Lang lang = Lang::vi;
  double speed = 1;
  bool playing = false;
  int follow = -1;
  bool compact = false;  ///< compare mode: fewer lines
};

class Ui {
 public:
  explicit Ui(const sf::Font& font) : font_(font) {}
  void panel(sf::RenderTarget& target, const Replay& r, double t_s, const Rect& rect,
             const PanelState& st);
  /// The timeline of one or two replays (marks of the first above, of the second below).
  void timeline(sf::RenderTarget& target, const Replay& a, const Replay* b, double t_s,
                double end_s, const Rect& rect, const PanelState& st);
  /// River stage against the alarm levels, in the map's top left corner (flood traces).
  void flood_gauge(sf::RenderTarget& target, const Replay& r, double t_s, const Rect& map,
                   Lang lang);
  void help(sf::RenderTarget& target, Lang lang);
  /// A one-line message at the top of the map (e.g. which file), small.
  void banner(sf::RenderTarget& target, const std::string& utf8, const Rect& map);
  /// Time under pixel x of the timeline (clamped).
  static double time_at(const Rect& timeline, double end_s, float x);

 private:
  /// Draws one line of text; returns the line height.
  float text(sf::RenderTarget& target, const std::string& utf8, float x, float y, unsigned size,
             sf::Color c);
  void panel_body(sf::RenderTarget& target, const Replay& r, double t_s, const Rect& rect,
                  const PanelState& st, bool with_clock);
  struct PanelCache {
    std::unique_ptr<sf::RenderTexture> tex;
    std::string key;  ///< what the texture shows
  };
  const sf::Font& font_;
  std::map<int, PanelCache> caches_;  ///< per pane (panel x)
};

/// One line of the event log for e, in the language asked for.
std::string describe(const Replay& r, const EventV& e, Lang lang);
/// "mm:ss" (or "h:mm:ss").
std::string clock_text(double t_s);

}  // namespace hqdrill::viewer
