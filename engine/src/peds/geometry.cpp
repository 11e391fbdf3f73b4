#include "hqdrill/peds/geometry.hpp"

#include <algorithm>
#include <cmath>

namespace hqdrill::peds {

namespace {

double ring_area2(const Ring& r) {
  double a = 0;
  for (std::size_t i = 0; i < r.size(); ++i) a += cross(r[i], r[(i + 1) % r.size()]);
  return a;
}

Segment edge_of(const Ring& r, std::size_t i) {
  return {r[i], r[(i + 1) % r.size()]};
}

double orient(Vec2 a, Vec2 b, Vec2 c) {
  return cross(b - a, c - a);
}

bool on_segment(Vec2 a, Vec2 b, Vec2 p) {
  return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y &&
         p.y <= std::max(a.y, b.y);
}

// Closed-segment intersection, touching included (exact orientation signs).
bool intersects(const Segment& s, const Segment& t) {
  const double d1 = orient(t.a, t.b, s.a), d2 = orient(t.a, t.b, s.b);
  const double d3 = orient(s.a, s.b, t.a), d4 = orient(s.a, s.b, t.b);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
    return true;
  return (d1 == 0 && on_segment(t.a, t.b, s.a)) || (d2 == 0 && on_segment(t.a, t.b, s.b)) ||
         (d3 == 0 && on_segment(s.a, s.b, t.a)) || (d4 == 0 && on_segment(s.a, s.b, t.b));
}

std::string ring_name(std::size_t r) {
  return r == 0 ? std::string("outline") : "hole " + std::to_string(r - 1);
}

}  // namespace

bool contains(const Ring& ring, Vec2 p) {
  bool in = false;
  const std::size_t n = ring.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    const Vec2 a = ring[i], b = ring[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) in = !in;
  }
  return in;
}

bool contains(const Polygon& poly, Vec2 p) {
  if (!contains(poly.outline, p)) return false;
  return std::none_of(poly.holes.begin(), poly.holes.end(),
                      [p](const Ring& h) { return contains(h, p); });
}

bool WalkableArea::contains(Vec2 p) const {
  if (!peds::contains(outline, p)) return false;
  return std::none_of(holes.begin(), holes.end(),
                      [p](const Ring& h) { return peds::contains(h, p); });
}

bool lies_on(const Segment& span, const Segment& edge, double tol_m) {
  return norm(closest_point(edge, span.a) - span.a) <= tol_m &&
         norm(closest_point(edge, span.b) - span.b) <= tol_m;
}

void cut_edge(const Segment& edge, const std::vector<Segment>& spans,
              const std::vector<bool>& removed, double tol_m, std::vector<Segment>& out) {
  const Vec2 d = edge.b - edge.a;
  const double len2 = dot(d, d);
  if (len2 <= 0) return;
  auto param = [&](Vec2 p) { return std::clamp(dot(p - edge.a, d) / len2, 0.0, 1.0); };
  std::vector<double> cuts{0.0, 1.0};
  struct Interval {
    double t0, t1;
  };
  std::vector<Interval> gone;
  for (std::size_t k = 0; k < spans.size(); ++k) {
    if (!lies_on(spans[k], edge, tol_m)) continue;
    double t0 = param(spans[k].a), t1 = param(spans[k].b);
    if (t0 > t1) std::swap(t0, t1);
    cuts.push_back(t0);
    cuts.push_back(t1);
    if (removed[k]) gone.push_back({t0, t1});
  }
  std::sort(cuts.begin(), cuts.end());
  const double eps = 1e-12;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const double t0 = cuts[i], t1 = cuts[i + 1];
    if (t1 - t0 <= eps) continue;
    const double tm = 0.5 * (t0 + t1);
    const bool cut = std::any_of(gone.begin(), gone.end(),
                                 [tm](const Interval& g) { return g.t0 < tm && tm < g.t1; });
    if (!cut) out.push_back({edge.a + t0 * d, edge.a + t1 * d});
  }
}

std::vector<Segment> WalkableArea::walls() const {
  std::vector<Segment> spans;
  std::vector<bool> open;
  for (const Door& door : doors) {
    spans.push_back(door.span);
    open.push_back(door.open);
  }
  std::vector<Segment> out;
  auto ring_walls = [&](const Ring& r) {
    for (std::size_t i = 0; i < r.size(); ++i)
      cut_edge(edge_of(r, i), spans, open, kDoorTolerance_m, out);
  };
  ring_walls(outline);
  for (const Ring& h : holes) ring_walls(h);
  return out;
}

int WalkableArea::door_index(std::string_view name) const {
  for (std::size_t i = 0; i < doors.size(); ++i)
    if (doors[i].name == name) return static_cast<int>(i);
  return -1;
}

bool WalkableArea::set_door_open(std::string_view name, bool open) {
  const int i = door_index(name);
  if (i < 0) return false;
  doors[static_cast<std::size_t>(i)].open = open;
  return true;
}

std::vector<std::string> validate(const WalkableArea& area, double tol_m) {
  std::vector<std::string> errors;
  const std::string where = "area \"" + area.id + "\": ";
  if (area.id.empty()) errors.push_back("area without an id");
  std::vector<const Ring*> rings{&area.outline};
  for (const Ring& h : area.holes) rings.push_back(&h);

  bool rings_ok = true;
  for (std::size_t r = 0; r < rings.size(); ++r) {
    if (rings[r]->size() < 3) {
      errors.push_back(where + ring_name(r) + " has fewer than 3 vertices");
      rings_ok = false;
    } else if (std::abs(ring_area2(*rings[r])) <= 1e-12) {
      errors.push_back(where + ring_name(r) + " has zero area");
      rings_ok = false;
    }
  }
  if (!rings_ok) return errors;

  // Crossing edges: within a ring (edges not sharing a vertex) and between rings.
  for (std::size_t r = 0; r < rings.size(); ++r) {
    const Ring& R = *rings[r];
    const std::size_t n = R.size();
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 2; j < n; ++j) {
        if (i == 0 && j == n - 1) continue;  // adjacent through the closing edge
        if (intersects(edge_of(R, i), edge_of(R, j)))
          errors.push_back(where + ring_name(r) + " edges " + std::to_string(i) + " and " +
                           std::to_string(j) + " cross");
      }
    for (std::size_t q = r + 1; q < rings.size(); ++q) {
      const Ring& Q = *rings[q];
      bool crossed = false;
      for (std::size_t i = 0; i < n && !crossed; ++i)
        for (std::size_t j = 0; j < Q.size() && !crossed; ++j)
          crossed = intersects(edge_of(R, i), edge_of(Q, j));
      if (crossed) errors.push_back(where + ring_name(r) + " and " + ring_name(q) + " cross");
    }
  }
  for (std::size_t h = 0; h < area.holes.size(); ++h) {
    if (!contains(area.outline, area.holes[h][0]))
      errors.push_back(where + "hole " + std::to_string(h) + " is not inside the outline");
    for (std::size_t g = 0; g < area.holes.size(); ++g)
      if (g != h && contains(area.holes[g], area.holes[h][0]))
        errors.push_back(where + "hole " + std::to_string(h) + " is inside hole " +
                         std::to_string(g));
  }

  for (std::size_t k = 0; k < area.doors.size(); ++k) {
    const Door& door = area.doors[k];
    const std::string name = "door \"" + door.name + "\"";
    for (std::size_t m = 0; m < k; ++m)
      if (area.doors[m].name == door.name) errors.push_back(where + "duplicate " + name);
    if (norm(door.span.b - door.span.a) <= tol_m) {
      errors.push_back(where + name + " has zero length");
      continue;
    }
    bool on = false;
    for (const Ring* R : rings)
      for (std::size_t i = 0; i < R->size() && !on; ++i)
        on = lies_on(door.span, edge_of(*R, i), tol_m);
    if (!on) errors.push_back(where + name + " does not lie on the outline or a hole edge");
  }
  return errors;
}

double area_m2(const Polygon& poly) {
  double a = std::abs(ring_area2(poly.outline));
  for (const Ring& h : poly.holes) a -= std::abs(ring_area2(h));
  return 0.5 * a;
}

}  // namespace hqdrill::peds
