// Drawing a replay at a time t: the map (site, hazards, people, units) and the camera that
// places it on screen.
//
// The map transform (documented so tests can compute pixels by hand):
//   bounds  = bounding box of every node position, area outline point and flood cell
//             outline point; with "site" fit (the default; F or --all switch to all) and an
//             incident node with a `site`: only the nodes of that site, and the areas and
//             cells whose node is in it or whose outline's centre is within 30 m of the
//             bounding box of those nodes;
//   rect    = the map rectangle of the window (see layout() in ui.hpp), margin m = 24 px;
//   s       = min((rect.w - 2m) / (maxx - minx), (rect.h - 2m) / (maxy - miny))  [px per m]
//             (a side of zero width counts as 1 m);
//   ox      = rect.x + m + ((rect.w - 2m) - (maxx - minx) s) / 2
//   oy      = rect.y + m + ((rect.h - 2m) - (maxy - miny) s) / 2
//   pixel   = (ox + (x - minx) s,  oy + (maxy - y) s)        (north up: y grows upwards)
// Zooming by f about a pixel c keeps c fixed: s' = f s, o' = c - (c - o) f; panning adds
// to o. A unit is a disc of radius 7 px filled with its force colour (force_colour) and
// centred on its pixel; a gate node is a 14 px square, kLockedColour when locked.
#pragma once

#include <SFML/Graphics.hpp>
#include <string>

#include "replay.hpp"

namespace hqdrill::viewer {

inline const sf::Color kLockedColour{200, 30, 30};
inline const sf::Color kOpenColour{40, 170, 60};
inline const sf::Color kBackground{236, 236, 228};
inline constexpr float kMapMargin = 24.f;
inline constexpr float kUnitRadius = 7.f;
inline constexpr float kGateSide = 14.f;

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  bool contains(float px, float py) const { return px >= x && py >= y && px < x + w && py < y + h; }
};

struct Bounds {
  double minx = 0, miny = 0, maxx = 1, maxy = 1;
};
/// The bounds of the site as in the header comment (`site_only`: the incident's site).
Bounds site_bounds(const Replay& r, bool site_only);

struct Camera {
  double s = 1, ox = 0, oy = 0, minx = 0, maxy = 0;
  sf::Vector2f to_px(double x, double y) const {
    return {static_cast<float>(ox + (x - minx) * s), static_cast<float>(oy + (maxy - y) * s)};
  }
  Vec2 to_world(sf::Vector2f p) const { return {minx + (p.x - ox) / s, maxy - (p.y - oy) / s}; }
  void zoom(float f, sf::Vector2f c) {
    s *= f;
    ox = c.x - (c.x - ox) * f;
    oy = c.y - (c.y - oy) * f;
  }
  void pan(sf::Vector2f d) {
    ox += d.x;
    oy += d.y;
  }
  /// Put world point w at pixel c without changing the scale.
  void centre_on(Vec2 w, sf::Vector2f c) {
    ox = c.x - (w.x - minx) * s;
    oy = c.y - (maxy - w.y) * s;
  }
};
Camera fit(const Bounds& b, const Rect& rect);

/// Colour of a unit's force, from its kind (police blue, guards teal, fire red...).
sf::Color force_colour(const std::string& unit_kind);
sf::Color ped_colour(int state);
/// Water depth 0..1.5 m: transparent light blue to opaque dark blue.
sf::Color depth_colour(double depth_m);
/// Crowd density, people per m², 0..6: transparent yellow to red.
sf::Color density_colour(double ppm2);

struct MapOptions {
  bool english = false;
  bool labels = true;
  bool density = true;
  int follow = -1;  ///< mover followed (highlighted)
};

/// Draws the map of `r` at time t into `rect` of target with camera `cam`.
/// Reuses its vertex arrays between frames (one array for all pedestrians).
class MapRenderer {
 public:
  explicit MapRenderer(const sf::Font& font) : font_(font) {}
  void draw(sf::RenderTarget& target, const Replay& r, double t_s, const Rect& rect,
            const Camera& cam, const MapOptions& opt);
  /// The mover whose marker is under pixel p at time t, or -1.
  static int mover_at(const Replay& r, double t_s, const Camera& cam, sf::Vector2f p);

 private:
  void label(sf::RenderTarget& target, const std::string& utf8, sf::Vector2f at, unsigned size,
             sf::Color colour, bool centre = true);
  const sf::Font& font_;
  sf::VertexArray fill_{sf::Triangles};
  sf::VertexArray lines_{sf::Quads};
  sf::Texture heat_tex_;
  sf::Sprite heat_sprite_;
  bool heat_visible_ = false;
  std::vector<sf::Uint8> texels_;
  /// What peds_ and the heat map were built for.
  struct PedCacheKey {
    const Replay* replay = nullptr;
    int frame = -2;
    double s = 0, ox = 0, oy = 0;
    float x = 0, y = 0, w = 0, h = 0;
    bool density = false;
    bool operator==(const PedCacheKey&) const = default;
  };
  PedCacheKey ped_key_;
  sf::VertexArray peds_{sf::Quads};
  std::vector<float> grid_;
};

/// Appends a segment of `width` pixels as a quad.
void add_segment(sf::VertexArray& quads, sf::Vector2f a, sf::Vector2f b, float width, sf::Color c);
/// Appends a polygon (any simple polygon, by ear clipping) as triangles.
void add_polygon(sf::VertexArray& tris, const std::vector<sf::Vector2f>& poly, sf::Color c);

}  // namespace hqdrill::viewer
