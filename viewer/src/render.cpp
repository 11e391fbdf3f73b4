#include "render.hpp"

#include <algorithm>
#include <cmath>

namespace hqdrill::viewer {

namespace {

sf::Vector2f centroid(const std::vector<sf::Vector2f>& p) {
  sf::Vector2f c;
  for (const auto& v : p) c += v;
  return p.empty() ? c : c / static_cast<float>(p.size());
}

std::vector<sf::Vector2f> to_px(const Camera& cam, const Ring& r) {
  std::vector<sf::Vector2f> out;
  out.reserve(r.size());
  for (const Vec2& v : r) out.push_back(cam.to_px(v.x, v.y));
  return out;
}

float cross(sf::Vector2f o, sf::Vector2f a, sf::Vector2f b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

bool inside_triangle(sf::Vector2f p, sf::Vector2f a, sf::Vector2f b, sf::Vector2f c) {
  const float d1 = cross(a, b, p), d2 = cross(b, c, p), d3 = cross(c, a, p);
  const bool neg = d1 < 0 || d2 < 0 || d3<0, pos = d1> 0 || d2 > 0 || d3 > 0;
  return !(neg && pos);
}

void disc(sf::RenderTarget& target, sf::Vector2f c, float r, sf::Color fill, sf::Color outline,
          float outline_px) {
  sf::CircleShape s(r, 24);
  s.setOrigin(r, r);
  s.setPosition(c);
  s.setFillColor(fill);
  s.setOutlineColor(outline);
  s.setOutlineThickness(outline_px);
  target.draw(s);
}

sf::Color lerp(sf::Color a, sf::Color b, double f) {
  f = std::clamp(f, 0.0, 1.0);
  auto m = [f](sf::Uint8 x, sf::Uint8 y) {
    return static_cast<sf::Uint8>(std::lround(x + (y - x) * f));
  };
  return {m(a.r, b.r), m(a.g, b.g), m(a.b, b.b), m(a.a, b.a)};
}

}  // namespace

Bounds site_bounds(const Replay& r, bool site_only) {
  std::string site;
  if (site_only) {
    const int n = r.node_index(r.incident_node);
    if (n >= 0) site = r.nodes[n].site;
  }
  bool any = false;
  Bounds b{1e300, 1e300, -1e300, -1e300};
  auto add = [&](Vec2 v) {
    b.minx = std::min(b.minx, v.x);
    b.maxx = std::max(b.maxx, v.x);
    b.miny = std::min(b.miny, v.y);
    b.maxy = std::max(b.maxy, v.y);
    any = true;
  };
  auto in_site = [&](int node) {
    return site.empty() || (node >= 0 && r.nodes[node].site == site);
  };
  for (std::size_t i = 0; i < r.nodes.size(); ++i)
    if (in_site(static_cast<int>(i))) add(r.nodes[i].pos);
  // Outlines of the site's areas and cells, and of those whose centre lies within 30 m of
  // the site's nodes (the pavement in front of a gate belongs to the street).
  const Bounds nb = b;
  auto near = [&](const Ring& ring) {
    if (ring.empty() || !any) return false;
    Vec2 c;
    for (const Vec2& v : ring) c = {c.x + v.x, c.y + v.y};
    c = {c.x / static_cast<double>(ring.size()), c.y / static_cast<double>(ring.size())};
    return c.x >= nb.minx - 30 && c.x <= nb.maxx + 30 && c.y >= nb.miny - 30 && c.y <= nb.maxy + 30;
  };
  for (const AreaV& a : r.areas)
    if (in_site(a.node) || near(a.outline))
      for (const Vec2& v : a.outline) add(v);
  for (const FloodCellV& c : r.flood_cells)
    if (in_site(c.node) || near(c.outline))
      for (const Vec2& v : c.outline) add(v);
  if (!any) return {0, 0, 1, 1};
  return b;
}

Camera fit(const Bounds& b, const Rect& rect) {
  const double bw = std::max(b.maxx - b.minx, 1.0), bh = std::max(b.maxy - b.miny, 1.0);
  const double w = std::max(rect.w - 2 * kMapMargin, 1.f),
               h = std::max(rect.h - 2 * kMapMargin, 1.f);
  Camera c;
  c.s = std::min(w / bw, h / bh);
  c.minx = b.minx;
  c.maxy = b.maxy;
  c.ox = rect.x + kMapMargin + (w - bw * c.s) / 2;
  c.oy = rect.y + kMapMargin + (h - bh * c.s) / 2;
  return c;
}

sf::Color force_colour(const std::string& kind) {
  auto has = [&](const char* s) { return kind.find(s) != std::string::npos; };
  if (has("fire")) return {220, 40, 30};
  if (has("police")) return {30, 70, 200};
  if (has("guard")) return {0, 140, 140};
  if (has("flood")) return {0, 170, 230};
  if (has("defence") || has("militia")) return {90, 140, 40};
  if (has("leader") || has("official")) return {140, 60, 170};
  if (has("medical") || has("ambulance")) return {240, 240, 240};
  return {230, 140, 0};
}

sf::Color ped_colour(int state) {
  switch (state) {
    case kGather:
      return {230, 150, 0};
    case kBlock:
      return {200, 90, 0};
    case kPush:
      return {200, 0, 0};
    case kSitIn:
      return {150, 0, 150};
    case kEnter:
      return {255, 0, 120};
    case kRepresentative:
      return {0, 120, 255};
    case kLeaving:
      return {90, 90, 90};
    default:
      return {20, 20, 20};
  }
}

sf::Color depth_colour(double depth_m) {
  if (depth_m <= 0.005) return sf::Color::Transparent;
  return lerp({150, 200, 255, 60}, {10, 40, 150, 220}, depth_m / 1.5);
}

sf::Color density_colour(double ppm2) {
  if (ppm2 <= 0.05) return sf::Color::Transparent;
  if (ppm2 < 2) return lerp({255, 240, 100, 40}, {255, 160, 0, 120}, ppm2 / 2);
  return lerp({255, 160, 0, 120}, {220, 0, 0, 190}, (ppm2 - 2) / 4);
}

void add_segment(sf::VertexArray& q, sf::Vector2f a, sf::Vector2f b, float width, sf::Color c) {
  sf::Vector2f d = b - a;
  const float len = std::sqrt(d.x * d.x + d.y * d.y);
  if (len < 1e-3f) return;
  const sf::Vector2f n(-d.y / len * width / 2, d.x / len * width / 2);
  q.append({a + n, c});
  q.append({b + n, c});
  q.append({b - n, c});
  q.append({a - n, c});
}

void add_polygon(sf::VertexArray& tris, const std::vector<sf::Vector2f>& poly, sf::Color c) {
  const std::size_t n = poly.size();
  if (n < 3) return;
  if (n > 256) {  // ear clipping is O(n^3): a fan from the centroid for huge outlines
    const sf::Vector2f mid = centroid(poly);
    for (std::size_t i = 0; i < n; ++i) {
      tris.append({mid, c});
      tris.append({poly[i], c});
      tris.append({poly[(i + 1) % n], c});
    }
    return;
  }
  // Ear clipping (O(n^3) at worst, outlines have a handful of points); either orientation.
  double area2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& a = poly[i];
    const auto& b = poly[(i + 1) % n];
    area2 += static_cast<double>(a.x) * b.y - static_cast<double>(b.x) * a.y;
  }
  const float sign = area2 >= 0 ? 1.f : -1.f;
  std::vector<std::size_t> idx(n);
  for (std::size_t i = 0; i < n; ++i) idx[i] = i;
  std::size_t guard = 0;
  while (idx.size() > 3 && guard++ < 4 * n * n) {
    bool clipped = false;
    for (std::size_t k = 0; k < idx.size(); ++k) {
      const std::size_t ia = idx[(k + idx.size() - 1) % idx.size()], ib = idx[k],
                        ic = idx[(k + 1) % idx.size()];
      if (sign * cross(poly[ia], poly[ib], poly[ic]) <= 0) continue;
      bool ear = true;
      for (std::size_t m : idx)
        if (m != ia && m != ib && m != ic &&
            inside_triangle(poly[m], poly[ia], poly[ib], poly[ic])) {
          ear = false;
          break;
        }
      if (!ear) continue;
      tris.append({poly[ia], c});
      tris.append({poly[ib], c});
      tris.append({poly[ic], c});
      idx.erase(idx.begin() + static_cast<std::ptrdiff_t>(k));
      clipped = true;
      break;
    }
    if (!clipped) break;  // degenerate outline: draw what was clipped
  }
  if (idx.size() == 3) {
    tris.append({poly[idx[0]], c});
    tris.append({poly[idx[1]], c});
    tris.append({poly[idx[2]], c});
  }
}

void MapRenderer::label(sf::RenderTarget& target, const std::string& utf8, sf::Vector2f at,
                        unsigned size, sf::Color colour, bool centre) {
  sf::Text text(sf::String::fromUtf8(utf8.begin(), utf8.end()), font_, size);
  text.setFillColor(colour);
  text.setOutlineColor(sf::Color(255, 255, 255, 200));
  text.setOutlineThickness(1.5f);
  const sf::FloatRect b = text.getLocalBounds();
  text.setPosition(std::round(centre ? at.x - b.width / 2 : at.x), std::round(at.y));
  target.draw(text);
}

int MapRenderer::mover_at(const Replay& r, double t_s, const Camera& cam, sf::Vector2f p) {
  int best = -1;
  float best_d = (kUnitRadius + 4) * (kUnitRadius + 4);
  for (const MoverSample& m : r.movers_at(t_s)) {
    const sf::Vector2f q = cam.to_px(m.x, m.y) - p;
    const float d = q.x * q.x + q.y * q.y;
    if (d <= best_d) {
      best_d = d;
      best = m.mover;
    }
  }
  return best;
}

void MapRenderer::draw(sf::RenderTarget& target, const Replay& r, double t, const Rect& rect,
                       const Camera& cam, const MapOptions& opt) {
  // Clip to the map rectangle with a view whose viewport is that rectangle.
  const sf::Vector2f ts(target.getSize());
  sf::View clip(sf::FloatRect(rect.x, rect.y, rect.w, rect.h));
  clip.setViewport(sf::FloatRect(rect.x / ts.x, rect.y / ts.y, rect.w / ts.x, rect.h / ts.y));
  const sf::View old = target.getView();
  target.setView(clip);
  sf::RectangleShape bg({rect.w, rect.h});
  bg.setPosition(rect.x, rect.y);
  bg.setFillColor(kBackground);
  target.draw(bg);

  const float px_per_m = static_cast<float>(cam.s);

  // 1. Walkable areas: fill, holes, outlines.
  fill_.clear();
  lines_.clear();
  for (const AreaV& a : r.areas) {
    const auto poly = to_px(cam, a.outline);
    add_polygon(fill_, poly, a.fidelity == "macro" ? sf::Color(250, 246, 230) : sf::Color::White);
  }
  for (const AreaV& a : r.areas)
    for (const Ring& h : a.holes) add_polygon(fill_, to_px(cam, h), kBackground);
  // 2. Flood cells: water depth shading.
  const int ff = Replay::frame_at(r.flood_t, t);
  for (std::size_t c = 0; c < r.flood_cells.size(); ++c) {
    const FloodCellV& cell = r.flood_cells[c];
    const double d = ff >= 0 ? r.flood[ff].depth_m[c] : 0.0;
    const sf::Color col = depth_colour(d);
    if (!cell.outline.empty()) {
      add_polygon(fill_, to_px(cam, cell.outline), col);
    }
  }
  // 3. Macro areas' crowd density (people / m²) and fire rooms' smoke and heat.
  const int pf = r.ped_frame_at(t);
  if (pf >= 0 && opt.density)
    for (const auto& [id, count] : r.peds.area_counts[pf]) {
      const int ai = r.area_index(id);
      if (ai < 0 || r.areas[ai].fidelity != "macro" || r.areas[ai].area_m2 <= 0) continue;
      add_polygon(fill_, to_px(cam, r.areas[ai].outline),
                  density_colour(count / r.areas[ai].area_m2));
    }
  const int fr = Replay::frame_at(r.fire_t, t);
  for (std::size_t k = 0; fr >= 0 && k < r.fire_rooms.size(); ++k) {
    const FireRoomV& room = r.fire_rooms[k];
    const FireRoomSample& s = r.fire[fr][k];
    if (room.area < 0) continue;
    const auto poly = to_px(cam, r.areas[room.area].outline);
    const double smoke = std::clamp(1.0 - s.layer_m / room.height_m, 0.0, 1.0);
    if (s.state != "cold" && smoke > 0.02)
      add_polygon(fill_, poly, sf::Color(90, 90, 90, static_cast<sf::Uint8>(40 + 150 * smoke)));
    if (s.hrr_kw > 1)
      add_polygon(fill_, poly,
                  lerp({255, 200, 0, 90}, {230, 20, 0, 200}, std::log10(s.hrr_kw) / 4.0));
  }
  target.draw(fill_);

  for (const AreaV& a : r.areas) {
    const auto poly = to_px(cam, a.outline);
    for (std::size_t i = 0; i < poly.size(); ++i)
      add_segment(lines_, poly[i], poly[(i + 1) % poly.size()], 1.5f, sf::Color(110, 110, 110));
  }
  // Edges: width from the path's width, at least 2 px; closed ones red.
  for (std::size_t e = 0; e < r.edges.size(); ++e) {
    const EdgeV& ed = r.edges[e];
    if (ed.from < 0 || ed.to < 0) continue;
    const bool closed = r.edge_closed[e].at(t);
    const float w = std::clamp(static_cast<float>(ed.width_m) * px_per_m * 0.5f, 2.f, 8.f);
    add_segment(lines_, cam.to_px(r.nodes[ed.from].pos.x, r.nodes[ed.from].pos.y),
                cam.to_px(r.nodes[ed.to].pos.x, r.nodes[ed.to].pos.y), w,
                closed ? sf::Color(200, 30, 30, 160) : sf::Color(160, 160, 170, 170));
  }
  // Flood barriers between cells, coloured by state.
  for (std::size_t b = 0; b < r.barriers.size(); ++b) {
    const BarrierV& bar = r.barriers[b];
    auto cell_pos = [&](int c) -> std::optional<sf::Vector2f> {
      if (c < 0) return {};
      const FloodCellV& cell = r.flood_cells[c];
      if (!cell.outline.empty()) return centroid(to_px(cam, cell.outline));
      if (cell.node >= 0) return cam.to_px(r.nodes[cell.node].pos.x, r.nodes[cell.node].pos.y);
      return {};
    };
    const auto a = cell_pos(bar.from), bb = cell_pos(bar.to);
    if (!a || !bb) continue;
    const std::string st = ff >= 0 ? r.flood[ff].barriers[b] : "none";
    const sf::Color c = st == "up"           ? sf::Color(40, 170, 60)
                        : st == "building"   ? sf::Color(230, 180, 0)
                        : st == "overtopped" ? sf::Color(200, 0, 0)
                                             : sf::Color(120, 120, 120);
    add_segment(lines_, *a, *bb, 4.f, c);
  }
  target.draw(lines_);

  // Flood cells without an outline: a disc at their node, sqrt(area) across but at most
  // 30 m (a street cell stands for a whole neighbourhood's catchment and would cover the
  // site).
  for (std::size_t c = 0; c < r.flood_cells.size(); ++c) {
    const FloodCellV& cell = r.flood_cells[c];
    if (!cell.outline.empty() || cell.node < 0) continue;
    const double d = ff >= 0 ? r.flood[ff].depth_m[c] : 0.0;
    const float across_m = std::min(30.f, static_cast<float>(std::sqrt(cell.area_m2)));
    const float rad = std::max(4.f, across_m * px_per_m / 2);
    disc(target, cam.to_px(r.nodes[cell.node].pos.x, r.nodes[cell.node].pos.y), rad,
         depth_colour(d), sf::Color(60, 110, 200, 150), 1.f);
  }
  // Fire rooms without an area: a disc at their node.
  for (std::size_t k = 0; fr >= 0 && k < r.fire_rooms.size(); ++k) {
    const FireRoomV& room = r.fire_rooms[k];
    const FireRoomSample& s = r.fire[fr][k];
    if (room.area >= 0 || room.node < 0 || s.state == "cold") continue;
    const sf::Color c = s.hrr_kw > 1 ? lerp({255, 200, 0}, {230, 20, 0}, std::log10(s.hrr_kw) / 4)
                                     : sf::Color(90, 90, 90, 160);
    disc(target, cam.to_px(r.nodes[room.node].pos.x, r.nodes[room.node].pos.y), 10, c,
         sf::Color::Black, 1);
  }

  // 4. Doors and gates of areas (locked red, open green), then gate nodes.
  lines_.clear();
  for (std::size_t a = 0; a < r.areas.size(); ++a)
    for (std::size_t d = 0; d < r.areas[a].doors.size(); ++d) {
      const DoorV& door = r.areas[a].doors[d];
      bool locked = r.door_locked[a][d].at(t);
      if (door.edge >= 0) locked = locked || r.edge_closed[door.edge].at(t);
      add_segment(lines_, cam.to_px(door.a.x, door.a.y), cam.to_px(door.b.x, door.b.y),
                  door.gate ? 5.f : 3.f, locked ? kLockedColour : kOpenColour);
    }
  target.draw(lines_);
  for (std::size_t n = 0; n < r.nodes.size(); ++n) {
    const NodeV& node = r.nodes[n];
    const sf::Vector2f p = cam.to_px(node.pos.x, node.pos.y);
    if (!rect.contains(p.x, p.y)) continue;
    if (node.kind == "gate") {
      bool locked = false;
      for (std::size_t e = 0; e < r.edges.size(); ++e)
        if ((r.edges[e].from == static_cast<int>(n) || r.edges[e].to == static_cast<int>(n)) &&
            r.edge_closed[e].at(t))
          locked = true;
      sf::RectangleShape sq({kGateSide, kGateSide});
      sq.setOrigin(kGateSide / 2, kGateSide / 2);
      sq.setPosition(p);
      sq.setFillColor(locked ? kLockedColour : kOpenColour);
      sq.setOutlineColor(sf::Color::Black);
      sq.setOutlineThickness(1);
      target.draw(sq);
    } else if (node.kind == "building" || node.kind == "hall" || node.kind == "station") {
      sf::RectangleShape sq({10, 10});
      sq.setOrigin(5, 5);
      sq.setPosition(p);
      sq.setFillColor(sf::Color(120, 100, 80));
      target.draw(sq);
    } else {
      disc(target, p, 2.5f, sf::Color(90, 90, 100), sf::Color::Transparent, 0);
    }
  }

  // 5. Pedestrians: density heat map (2 m grid) under one quad per person. Both are rebuilt
  // only when the frame or the camera changes: at normal speeds a frame (1 s) is shown for
  // many draws.
  const PedCacheKey key{&r, pf, cam.s, cam.ox, cam.oy, rect.x, rect.y, rect.w, rect.h, opt.density};
  const bool rebuild = !(key == ped_key_);
  ped_key_ = key;
  if (rebuild) {
    peds_.clear();
    heat_visible_ = false;
  }
  if (pf >= 0 && rebuild) {
    const std::size_t lo = r.peds.offset[pf], hi = r.peds.offset[pf + 1];
    if (opt.density && hi > lo) {
      constexpr double kCell = 2.0;
      const Vec2 w0 = cam.to_world({rect.x, rect.y + rect.h});
      const Vec2 w1 = cam.to_world({rect.x + rect.w, rect.y});
      const int nx = static_cast<int>(std::ceil((w1.x - w0.x) / kCell)) + 1;
      const int ny = static_cast<int>(std::ceil((w1.y - w0.y) / kCell)) + 1;
      // One texel per cell, drawn as one textured quad (under llvmpipe the cost follows
      // vertex count).
      if (nx > 0 && ny > 0 && nx <= 4096 && ny <= 4096) {
        grid_.assign(static_cast<std::size_t>(nx) * ny, 0.f);
        int gx0 = nx, gx1 = -1, gy0 = ny, gy1 = -1;
        for (std::size_t i = lo; i < hi; ++i) {
          const int gx = static_cast<int>(std::floor((r.peds.x[i] - w0.x) / kCell));
          const int gy = static_cast<int>(std::floor((r.peds.y[i] - w0.y) / kCell));
          if (gx >= 0 && gy >= 0 && gx < nx && gy < ny) {
            grid_[gy * nx + gx] += 1;
            gx0 = std::min(gx0, gx);
            gx1 = std::max(gx1, gx);
            gy0 = std::min(gy0, gy);
            gy1 = std::max(gy1, gy);
          }
        }
        // Cells with people: columns gx0..gx1, rows gy0..gy1 (y up).
        const sf::IntRect used(gx0, gy0, std::max(0, gx1 - gx0 + 1), std::max(0, gy1 - gy0 + 1));
        texels_.assign(static_cast<std::size_t>(nx) * ny * 4, 0);
        for (int gy = 0; gy < ny; ++gy)
          for (int gx = 0; gx < nx; ++gx) {
            const float n = grid_[gy * nx + gx];
            if (n <= 0) continue;
            const sf::Color c = density_colour(n / (kCell * kCell));
            const std::size_t k = (static_cast<std::size_t>(ny - 1 - gy) * nx + gx) * 4;
            texels_[k] = c.r;
            texels_[k + 1] = c.g;
            texels_[k + 2] = c.b;
            texels_[k + 3] = c.a;
          }
        const sf::Vector2u size(static_cast<unsigned>(nx), static_cast<unsigned>(ny));
        if (heat_tex_.getSize() != size) (void)heat_tex_.create(size.x, size.y);
        if (heat_tex_.getSize() == size && used.width > 0) {
          heat_tex_.update(texels_.data());
          // Only the rows and columns with people: less to fill.
          heat_sprite_.setTexture(heat_tex_);
          heat_sprite_.setTextureRect(sf::IntRect(used.left, ny - 1 - used.top - (used.height - 1),
                                                  used.width, used.height));
          heat_sprite_.setPosition(
              cam.to_px(w0.x + used.left * kCell, w0.y + (used.top + used.height) * kCell));
          heat_sprite_.setScale(static_cast<float>(kCell * cam.s),
                                static_cast<float>(kCell * cam.s));
          heat_visible_ = true;
        }
      }
    }
    const float half = std::clamp(0.22f * px_per_m, 1.f, 5.f);  // 0.44 m across, 2..10 px
    peds_.resize((hi - lo) * 4);
    std::size_t v = 0;
    for (std::size_t i = lo; i < hi; ++i) {
      const sf::Vector2f p = cam.to_px(r.peds.x[i], r.peds.y[i]);
      const sf::Color c = ped_colour(r.peds.state[i]);
      peds_[v++] = sf::Vertex({p.x - half, p.y - half}, c);
      peds_[v++] = sf::Vertex({p.x + half, p.y - half}, c);
      peds_[v++] = sf::Vertex({p.x + half, p.y + half}, c);
      peds_[v++] = sf::Vertex({p.x - half, p.y + half}, c);
    }
  }
  if (heat_visible_) target.draw(heat_sprite_);
  target.draw(peds_);

  // 6. Labels: areas and named nodes (buildings, gates, stations, rooms, yards).
  if (opt.labels) {
    for (std::size_t ai = 0; ai < r.areas.size(); ++ai) {
      const AreaV& a = r.areas[ai];
      bool flood_cell = false;  // a flood cell names the area with its depth instead
      for (const FloodCellV& c : r.flood_cells)
        flood_cell = flood_cell || c.area == static_cast<int>(ai);
      if (a.outline.empty() || flood_cell) continue;
      const sf::Vector2f c = centroid(to_px(cam, a.outline));
      if (rect.contains(c.x, c.y)) label(target, a.label(opt.english), c, 11, {70, 70, 70});
    }
    for (const NodeV& n : r.nodes) {
      if (n.kind != "gate" && n.kind != "building" && n.kind != "station" && n.kind != "hall" &&
          n.kind != "yard")
        continue;
      const sf::Vector2f p = cam.to_px(n.pos.x, n.pos.y);
      if (rect.contains(p.x, p.y))
        label(target, n.label(opt.english), p + sf::Vector2f(0, 8), 12, {30, 30, 30});
    }
    for (std::size_t c = 0; c < r.flood_cells.size(); ++c) {
      const FloodCellV& cell = r.flood_cells[c];
      sf::Vector2f p;
      if (!cell.outline.empty())
        p = centroid(to_px(cam, cell.outline));
      else if (cell.node >= 0)
        p = cam.to_px(r.nodes[cell.node].pos.x, r.nodes[cell.node].pos.y);
      else
        continue;
      char buf[32];
      std::snprintf(buf, sizeof buf, " %.2f m", ff >= 0 ? r.flood[ff].depth_m[c] : 0.0);
      label(target, cell.label(opt.english) + buf, p - sf::Vector2f(0, 16), 11, {10, 40, 140});
    }
    for (std::size_t k = 0; fr >= 0 && k < r.fire_rooms.size(); ++k) {
      const FireRoomSample& s = r.fire[fr][k];
      if (s.state == "cold") continue;
      const FireRoomV& room = r.fire_rooms[k];
      sf::Vector2f p;
      if (room.area >= 0)
        p = centroid(to_px(cam, r.areas[room.area].outline));
      else if (room.node >= 0)
        p = cam.to_px(r.nodes[room.node].pos.x, r.nodes[room.node].pos.y);
      else
        continue;
      char buf[96];
      std::snprintf(buf, sizeof buf, "%.0f kW  %.0f °C  %.1f m  %s", s.hrr_kw, s.upper_c, s.layer_m,
                    s.state.c_str());
      label(target, buf, p + sf::Vector2f(0, 12), 11, {150, 0, 0});
    }
  }

  // 7. Units: a disc in the force colour, outlined white (the followed one yellow), and the
  // role it acts for.
  for (const MoverSample& m : r.movers_at(t)) {
    const MoverV& mv = r.movers[m.mover];
    const sf::Vector2f p = cam.to_px(m.x, m.y);
    const std::string kind = mv.unit >= 0 ? r.units[mv.unit].kind : "";
    const bool followed = m.mover == opt.follow;
    disc(target, p, kUnitRadius, force_colour(kind),
         followed ? sf::Color(255, 220, 0) : sf::Color::White, followed ? 3.f : 2.f);
    if (opt.labels && mv.unit >= 0) {
      const int role = r.role_of_unit(mv.unit);
      const std::string text =
          role >= 0 ? r.roles[role].label(opt.english) : r.units[mv.unit].label(opt.english);
      label(target, text, p + sf::Vector2f(kUnitRadius + 3, -8), 11, force_colour(kind), false);
    }
  }
  target.setView(old);
}

}  // namespace hqdrill::viewer
