// Routing on the site graph with Boost.Graph: shortest travel time per travel profile,
// over the edges open now. Edges close and reopen during a run (a locked gate, a
// flooded path); movers ask for a route at every node, so routes follow closures.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "hqdrill/scenario.hpp"

namespace hqdrill {

/// How a mover travels. A vehicle unit drives on vehicle edges and walks the rest
/// (police park at the gate and run in); a foot unit uses foot edges only.
struct TravelProfile {
  bool drives = false;
  double foot_speed_mps = 1.34;
  double vehicle_speed_mps = 8.0;
  /// Road traffic: vehicle speeds on vehicle edges are multiplied by this after the
  /// edge's speed cap (a capped street is slower in a rush hour too).
  double traffic_factor = 1.0;
  /// Vehicle edges only, none too deep to drive (can a vehicle get through at all?).
  bool vehicle_only = false;
};

struct Route {
  std::vector<Index> nodes;  ///< from .. to
  std::vector<Index> edges;  ///< edges[i] joins nodes[i] and nodes[i+1]
  double time_s = 0;         ///< at the profile's speeds
  double length_m = 0;
};

class Router {
 public:
  explicit Router(const Site& site);
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  void set_closed(Index edge, bool closed);
  bool closed(Index edge) const { return closed_[edge]; }
  /// Water on an edge (flood incidents), apart from the closures above: 0 passable,
  /// 1 too deep to drive (vehicles are left and their crews walk), 2 too deep for anyone.
  void set_flooded(Index edge, int level);
  int flooded(Index edge) const { return flooded_[edge]; }
  /// Speed of `profile` on `edge` now: as edge_speed_mps, but on foot where the edge is
  /// too deep to drive.
  double speed_now_mps(Index edge, const TravelProfile& profile) const;

  /// Whether `profile` may use `edge` (ignoring closure), and the speed it moves at there.
  static bool usable(const Edge& e, const TravelProfile& p);
  static double edge_speed_mps(const Edge& e, const TravelProfile& p);

  /// Fastest route over open edges, or nullopt when `to` cannot be reached.
  std::optional<Route> route(Index from, Index to, const TravelProfile& profile) const;

 private:
  struct Graph;
  const Site& site_;
  std::unique_ptr<Graph> graph_;
  std::vector<char> closed_;
  std::vector<char> flooded_;
};

}  // namespace hqdrill
