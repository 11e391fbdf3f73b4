#include "hqdrill/plan/placement.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

namespace hqdrill::plan {

std::vector<PlacementCandidate> rank_sites(const Site& site, const TravelProfile& profile,
                                           const std::vector<Index>& demand,
                                           const std::vector<double>& weights,
                                           const std::vector<Index>& candidates,
                                           PlacementRule rule) {
  assert(weights.empty() || weights.size() == demand.size());
  std::vector<Index> pool = candidates;
  if (pool.empty())
    for (std::size_t n = 0; n < site.nodes.size(); ++n) pool.push_back(static_cast<Index>(n));
  const Router router(site);
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<PlacementCandidate> out;
  for (Index c : pool) {
    double score = 0;
    for (std::size_t d = 0; d < demand.size(); ++d) {
      const double w = weights.empty() ? 1.0 : weights[d];
      double t = 0;
      if (demand[d] != c) {
        const auto r = router.route(c, demand[d], profile);
        t = r ? r->time_s : inf;
      }
      score = rule == PlacementRule::median ? score + w * t : std::max(score, w * t);
    }
    out.push_back({c, score});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.score_s < b.score_s || (a.score_s == b.score_s && a.node < b.node);
  });
  return out;
}

TravelProfile mean_profile(const Scenario& s, Index unit) {
  const Unit& u = s.units[static_cast<std::size_t>(unit)];
  TravelProfile p;
  p.drives = u.mode == TravelMode::vehicle;
  p.foot_speed_mps = s.mode_speed_mps[static_cast<std::size_t>(TravelMode::foot)].mean();
  p.vehicle_speed_mps = s.mode_speed_mps[static_cast<std::size_t>(TravelMode::vehicle)].mean();
  if (u.speed_mps) (p.drives ? p.vehicle_speed_mps : p.foot_speed_mps) = u.speed_mps->mean();
  return p;
}

}  // namespace hqdrill::plan
