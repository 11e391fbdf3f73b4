// Where to put a post or a staging point (issue #9, plan options "move_post" and
// "move_home" with `"to": {"candidates": "p-median"}`): the 1-median or 1-center of the
// site graph for the places a unit must reach, by travel time over Router (Boost.Graph
// Dijkstra), every edge open.
//
// p-median (Hakimi 1964; ReVelle and Swain 1970) minimises the (weighted) sum of travel
// times to the demand nodes, i.e. the mean response; p-center minimises the longest one,
// i.e. the worst place. Here p = 1: an option moves one post or one staging point.
#pragma once

#include <vector>

#include "hqdrill/scenario.hpp"
#include "hqdrill/site/router.hpp"

namespace hqdrill::plan {

enum class PlacementRule : std::uint8_t { median, center };

struct PlacementCandidate {
  Index node = kNone;
  double score_s = 0;  ///< sum (median) or max (center) of travel times; +inf: a demand node
                       ///< cannot be reached from here
};

/// Candidates ranked best first (ties: lower node index). `candidates` empty = every node;
/// `weights` empty = 1 for each demand node (else one per demand node, >= 0).
std::vector<PlacementCandidate> rank_sites(const Site& site, const TravelProfile& profile,
                                           const std::vector<Index>& demand,
                                           const std::vector<double>& weights,
                                           const std::vector<Index>& candidates,
                                           PlacementRule rule);

/// The travel profile of a unit at its mean speeds (the scenario's mode speed unless the
/// unit has its own), for placement.
TravelProfile mean_profile(const Scenario& s, Index unit);

}  // namespace hqdrill::plan
