// 2-D vectors for pedestrian dynamics (metres, m/s). Plain values, inline, so the hot
// loops of the microscopic model stay simple for the compiler.
#pragma once

#include <cmath>

namespace hqdrill::peds {

struct Vec2 {
  double x = 0, y = 0;
};

inline Vec2 operator+(Vec2 a, Vec2 b) {
  return {a.x + b.x, a.y + b.y};
}
inline Vec2 operator-(Vec2 a, Vec2 b) {
  return {a.x - b.x, a.y - b.y};
}
inline Vec2 operator*(double s, Vec2 a) {
  return {s * a.x, s * a.y};
}
inline Vec2 operator*(Vec2 a, double s) {
  return {s * a.x, s * a.y};
}
inline Vec2& operator+=(Vec2& a, Vec2 b) {
  a.x += b.x;
  a.y += b.y;
  return a;
}
inline double dot(Vec2 a, Vec2 b) {
  return a.x * b.x + a.y * b.y;
}
inline double cross(Vec2 a, Vec2 b) {
  return a.x * b.y - a.y * b.x;
}
inline double norm(Vec2 a) {
  return std::sqrt(dot(a, a));
}
/// Unit vector, or zero for a (near) zero vector: never NaN.
inline Vec2 normalized(Vec2 a) {
  const double n = norm(a);
  return n > 1e-12 ? Vec2{a.x / n, a.y / n} : Vec2{0, 0};
}

/// A wall, door or measurement line from a to b.
struct Segment {
  Vec2 a, b;
};

/// The point of segment s closest to p.
inline Vec2 closest_point(const Segment& s, Vec2 p) {
  const Vec2 d = s.b - s.a;
  const double len2 = dot(d, d);
  double t = len2 > 0 ? dot(p - s.a, d) / len2 : 0.0;
  t = t < 0 ? 0 : (t > 1 ? 1 : t);
  return s.a + t * d;
}

}  // namespace hqdrill::peds
