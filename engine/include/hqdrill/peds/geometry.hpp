// Walkable areas for the pedestrian model: polygons with holes, and doors and gates
// that lie on their boundary and open and close during a run. Plain values; the
// simulation owns the areas and their door states, routing reads them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hqdrill/peds/vec2.hpp"

namespace hqdrill::peds {

/// A closed ring of vertices (metres); the closing edge back[-1] -> [0] is implied.
/// Orientation does not matter (the even-odd rule is used).
using Ring = std::vector<Vec2>;

/// An outline with holes (walls, pillars, fenced-off obstacles).
struct Polygon {
  Ring outline;
  std::vector<Ring> holes;
};

/// Even-odd point-in-polygon over one ring. Points exactly on an edge may go either way.
bool contains(const Ring& ring, Vec2 p);
/// Inside the outline and in none of the holes (even-odd over all rings).
bool contains(const Polygon& poly, Vec2 p);
/// Floor area (m²): the outline's area minus the holes' (shoelace formula); assumes a
/// valid polygon (holes inside the outline, no crossings).
double area_m2(const Polygon& poly);

/// A door or gate: a span of one boundary edge that is a wall while closed and a
/// passage while open.
///
/// A door must lie on ONE edge of the outline or of a hole: both ends within the
/// validation tolerance of that edge (collinear, within its extent). It splits the edge
/// into up to three pieces: before the door, the door span, after the door. A door
/// across a vertex is not supported (put one door on each edge).
///
/// A door between two adjacent areas (they share an edge) need be listed in only one
/// of them: a FloorField built over several areas subtracts every open door span from
/// every area's walls.
struct Door {
  std::string name;
  Segment span;
  bool open = true;
};

/// One walkable area: outline, holes, doors on the boundary.
struct WalkableArea {
  std::string id;
  Ring outline;
  std::vector<Ring> holes;
  std::vector<Door> doors;
  /// Multiplies the desired speed of agents whose centre is in this area (stairs, ramps):
  /// 1 on the level. PedWorld applies it; routing ignores it.
  double speed_factor = 1.0;

  Polygon polygon() const { return {outline, holes}; }
  bool contains(Vec2 p) const;

  /// Boundary segments (outline and holes) that block movement: every edge, split at
  /// the ends of the doors lying on it, minus the spans of open doors. A closed door
  /// appears as its own segment, equal to its span.
  std::vector<Segment> walls() const;

  /// Index into `doors`, or -1.
  int door_index(std::string_view name) const;
  /// Opens or closes the named door; false if there is no door of that name.
  bool set_door_open(std::string_view name, bool open);
};

/// Default tolerance for "a door lies on an edge" (metres).
inline constexpr double kDoorTolerance_m = 1e-3;

/// Splits `edge` at the ends of the spans lying on it (both ends within tol_m of the
/// edge) and appends the pieces to `out`, leaving out the pieces inside any span with
/// `removed[k]` true. Used by walls() and by the floor field to cut open doors.
void cut_edge(const Segment& edge, const std::vector<Segment>& spans,
              const std::vector<bool>& removed, double tol_m, std::vector<Segment>& out);

/// Whether a door span lies on the segment `edge` within tol_m.
bool lies_on(const Segment& span, const Segment& edge, double tol_m);

/// Checks an area and returns one message per problem (empty when valid):
/// too few vertices, zero area, crossing edges (within and between rings, O(n²)),
/// a hole not inside the outline, a zero-length door, a door not on the boundary
/// (`door "g1" does not lie on the outline or a hole edge`), duplicate door names.
std::vector<std::string> validate(const WalkableArea& area, double tol_m = kDoorTolerance_m);

}  // namespace hqdrill::peds
