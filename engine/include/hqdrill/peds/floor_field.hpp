// A static floor field: distance to the nearest goal (an exit line or a point) over
// the walkable cells of one or more areas, on a square grid, by the Fast Marching
// Method. Agents walk down its gradient. Rebuild after a door opens or closes.
//
// Fast Marching: J. A. Sethian, "A fast marching level set method for monotonically
// advancing fronts", PNAS 93(4):1591-1595, 1996; first-order upwind update of
// |grad T| = f, accepted in increasing T order with a binary heap.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "hqdrill/peds/geometry.hpp"
#include "hqdrill/peds/vec2.hpp"

namespace hqdrill::peds {

struct FloorFieldOptions {
  double cell_m = 0.25;  ///< grid spacing h, metres
  /// Wall penalty (off by default): a cell whose centre is closer than agent_radius_m to
  /// a wall has slowness 1 + wall_penalty instead of 1, so the field keeps agents off
  /// walls and corners. With a penalty, distance() is a cost in "penalised metres",
  /// not metres.
  double agent_radius_m = 0.0;
  double wall_penalty = 0.0;
};

/// Distance-to-goal field over a grid covering the areas' outlines.
///
/// Cells: walkable when the centre lies inside some area (outline minus holes).
/// Walls (every area's walls() with every open door span of every area cut out) block
/// the grid LINKS they cross, not whole cells, so a thin interior wall on a cell
/// boundary stops the front without losing a row of cells; links that run exactly
/// along a wall are not blocked.
/// Goals: segments (exits); a point goal is a segment with a == b. Cells whose centre is
/// within 1.5 h of a goal and sees it (no wall between) get the exact Euclidean
/// distance as the initial front.
/// Accuracy: first-order FMM is exact for plane fronts (a straight exit line) and has
/// an O(h) error near point sources and corners; the tests hold it within one cell
/// for a straight exit and within two cells around a wall end.
/// Resolution: a wall is resolved to the grid links it crosses; a query point less
/// than half a cell from a wall that runs through its cell may read the far side's
/// value (keep walls on cell boundaries, or agents a radius away from walls).
class FloorField {
 public:
  FloorField(std::span<const WalkableArea> areas, std::vector<Segment> goals,
             FloorFieldOptions options = {});

  /// Recomputes walls and distances from the areas' current door states (same grid,
  /// same goals). Call after a door opens or closes. 10-20 ms for a 60 m x 40 m
  /// area at 0.25 m cells (measured; see floor_field.cpp).
  void rebuild(std::span<const WalkableArea> areas);

  /// Adds a per-cell slowness (row-major, nx() x ny(), each >= 0; empty: none) to the
  /// static one (1, or 1 + wall penalty) and re-marches, so distance() becomes a travel
  /// time in free-walking metres: a "quickest path" field when the extra slowness comes
  /// from the local density (Kretz, Grosse, Hengst, Kautzsch, Pohlmann and Vortisch,
  /// "Quickest paths in simulations of pedestrians", Advances in Complex Systems 14(5)
  /// (2011) 733-759; PedWorldOptions::congestion_interval_s). Kept over rebuild(). Costs
  /// one march and one gradient pass (no wall work).
  void set_extra_slowness(std::vector<double> extra);

  /// Distance to the nearest goal at p (metres), bilinear between the cell centres
  /// around p that are walkable, reached, and not across a wall from p's cell.
  /// +infinity where no goal can be reached or p is off the grid.
  double distance(Vec2 p) const;

  /// Unit direction of steepest descent of distance() at p (bilinear blend of per-cell
  /// gradients; central differences, one-sided where a neighbour is blocked). Zero at
  /// a goal (p within 1e-9 m of a goal segment), where unreachable, and off the grid.
  /// Never NaN.
  Vec2 direction(Vec2 p) const;

  const std::vector<Segment>& goals() const { return goals_; }
  /// The walls used in the last build (open doors cut out).
  const std::vector<Segment>& walls() const { return walls_; }

  int nx() const { return nx_; }
  int ny() const { return ny_; }
  double cell_m() const { return h_; }
  Vec2 origin() const { return origin_; }  ///< lower-left corner of cell (0, 0)
  Vec2 cell_centre(int i, int j) const;
  bool walkable(int i, int j) const { return walkable_[idx(i, j)] != 0; }
  /// Distance at the centre of cell (i, j); +infinity if blocked or unreached.
  double cell_distance(int i, int j) const { return T_[idx(i, j)]; }

  static constexpr double kUnreachable = std::numeric_limits<double>::infinity();

 private:
  std::size_t idx(int i, int j) const {
    return static_cast<std::size_t>(j) * static_cast<std::size_t>(nx_) +
           static_cast<std::size_t>(i);
  }
  bool inside(int i, int j) const { return i >= 0 && j >= 0 && i < nx_ && j < ny_; }
  bool linked(int i, int j, int di, int dj) const;  // orthogonal step (di, dj)
  bool usable(int i, int j) const;
  void block_links();
  void apply_penalty();
  void add_extra_slowness();
  void march();
  void gradients();
  template <class F>
  Vec2 blend(Vec2 p, F value, bool& any) const;

  std::vector<Segment> goals_;
  FloorFieldOptions opt_;
  double h_ = 0.25;
  Vec2 origin_;
  int nx_ = 0, ny_ = 0;
  std::vector<Segment> walls_;
  std::vector<std::uint8_t> walkable_;
  std::vector<std::uint8_t> block_x_;  ///< link (i,j)-(i+1,j) crosses a wall
  std::vector<std::uint8_t> block_y_;  ///< link (i,j)-(i,j+1) crosses a wall
  std::vector<double> base_slowness_;  ///< 1, or 1 + wall penalty
  std::vector<double> extra_;          ///< set_extra_slowness, or empty
  std::vector<double> slowness_;       ///< base + extra: what march() uses
  std::vector<double> T_;
  std::vector<Vec2> grad_;
};

/// One exit as seen by an agent deciding where to go.
struct ExitEstimate {
  double distance_m = FloorField::kUnreachable;  ///< from that exit's field at the agent
  double width_m = 1.0;                          ///< clear width of the exit
  double queue_persons = 0;                      ///< e.g. queue_near(exit, positions, R)
};

struct ExitChoiceParams {
  double speed_mps = 1.34;  ///< free walking speed v0 (Weidmann 1993)
  /// Maximum specific flow through an exit, persons per second per metre of effective
  /// width: 1.3 p/(s·m), SFPE Handbook of Fire Protection Engineering, hydraulic model
  /// ("Emergency movement": Nelson and MacLennan; later editions Gwynne and Rosenbaum).
  /// Pass the effective width (clear width minus boundary layers) as width_m.
  double specific_flow_pps_per_m = 1.3;
  /// Keep the current exit unless another is cheaper by more than this (seconds), so
  /// agents do not flip every step as queues fluctuate.
  double hysteresis_s = 2.0;
};

/// Estimated time to leave by an exit: distance / v0 + queue / (specific flow × width).
double exit_cost_s(const ExitEstimate& e, const ExitChoiceParams& params = {});

/// Index of the exit with the lowest cost; the `current` exit (or -1 for none) is kept
/// unless the best one beats it by more than params.hysteresis_s. -1 if no exit is
/// reachable.
int choose_exit(std::span<const ExitEstimate> exits, int current,
                const ExitChoiceParams& params = {});

/// Number of positions within radius_m of the exit segment (a queue estimate).
int queue_near(const Segment& exit, std::span<const Vec2> positions, double radius_m);

}  // namespace hqdrill::peds
