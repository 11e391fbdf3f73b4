#include "hqdrill/site/router.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/property_map/property_map.hpp>
#include <limits>

namespace hqdrill {

struct Router::Graph {
  using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                  boost::property<boost::edge_index_t, int>>;
  G g;
};

Router::Router(const Site& site)
    : site_(site),
      graph_(std::make_unique<Graph>()),
      closed_(site.edges.size(), 0),
      flooded_(site.edges.size(), 0) {
  graph_->g = Graph::G(site.nodes.size());
  for (std::size_t i = 0; i < site.edges.size(); ++i) {
    const Edge& e = site.edges[i];
    boost::add_edge(static_cast<std::size_t>(e.from), static_cast<std::size_t>(e.to),
                    static_cast<int>(i), graph_->g);
    closed_[i] = e.closed_at_start ? 1 : 0;
  }
}

Router::~Router() = default;

void Router::set_closed(Index edge, bool closed) {
  closed_[edge] = closed ? 1 : 0;
}

void Router::set_flooded(Index edge, int level) {
  flooded_[edge] = static_cast<char>(level);
}

double Router::speed_now_mps(Index edge, const TravelProfile& profile) const {
  if (flooded_[edge] == 0 || !profile.drives) return edge_speed_mps(site_.edges[edge], profile);
  TravelProfile walking = profile;
  walking.drives = false;
  return edge_speed_mps(site_.edges[edge], walking);
}

bool Router::usable(const Edge& e, const TravelProfile& p) {
  const bool foot = e.modes[static_cast<int>(TravelMode::foot)];
  const bool vehicle = e.modes[static_cast<int>(TravelMode::vehicle)];
  return foot || (p.drives && vehicle);
}

double Router::edge_speed_mps(const Edge& e, const TravelProfile& p) {
  const int m = (p.drives && e.modes[static_cast<int>(TravelMode::vehicle)])
                    ? static_cast<int>(TravelMode::vehicle)
                    : static_cast<int>(TravelMode::foot);
  const double v =
      m == static_cast<int>(TravelMode::vehicle) ? p.vehicle_speed_mps : p.foot_speed_mps;
  const double cap = e.speed_limit_mps[m];
  const double capped = cap > 0 ? std::min(v, cap) : v;
  return m == static_cast<int>(TravelMode::vehicle) ? capped * p.traffic_factor : capped;
}

std::optional<Route> Router::route(Index from, Index to, const TravelProfile& profile) const {
  using G = Graph::G;
  const G& g = graph_->g;
  const auto n = boost::num_vertices(g);
  if (from == to) return Route{{from}, {}, 0.0, 0.0};

  auto eindex = boost::get(boost::edge_index, g);
  struct Open {
    const Router* r = nullptr;
    const TravelProfile* p = nullptr;
    boost::property_map<G, boost::edge_index_t>::const_type idx;
    bool operator()(G::edge_descriptor ed) const {
      const int i = boost::get(idx, ed);
      if (r->closed_[i] || r->flooded_[i] == 2) return false;
      const Edge& e = r->site_.edges[i];
      if (p->vehicle_only)
        return r->flooded_[i] == 0 && e.modes[static_cast<int>(TravelMode::vehicle)];
      // Too deep to drive: a driver may only wade it where people may walk.
      if (r->flooded_[i] == 1) return e.modes[static_cast<int>(TravelMode::foot)];
      return usable(e, *p);
    }
  };
  boost::filtered_graph<G, Open> fg(g, Open{this, &profile, eindex});

  std::vector<double> weight(site_.edges.size());
  for (std::size_t i = 0; i < weight.size(); ++i)
    weight[i] = site_.edges[i].length_m / speed_now_mps(static_cast<Index>(i), profile);
  auto wmap = boost::make_iterator_property_map(weight.begin(), eindex);

  std::vector<std::size_t> pred(n);
  std::vector<double> dist(n, std::numeric_limits<double>::infinity());
  boost::dijkstra_shortest_paths(
      fg, static_cast<std::size_t>(from),
      boost::predecessor_map(pred.data()).distance_map(dist.data()).weight_map(wmap));
  // Boost leaves unreached vertices as their own predecessor (and their distance at
  // numeric_limits<double>::max(), not infinity).
  if (pred[to] == static_cast<std::size_t>(to)) return std::nullopt;

  Route r;
  r.time_s = dist[to];
  for (std::size_t v = static_cast<std::size_t>(to);; v = pred[v]) {
    r.nodes.push_back(static_cast<Index>(v));
    if (v == static_cast<std::size_t>(from)) break;
  }
  std::reverse(r.nodes.begin(), r.nodes.end());
  // Recover the edges: the cheapest open usable edge between consecutive nodes (parallel
  // edges are allowed, e.g. a footpath beside a road).
  for (std::size_t k = 0; k + 1 < r.nodes.size(); ++k) {
    Index best = kNone;
    double best_w = std::numeric_limits<double>::infinity();
    for (auto [it, end] = boost::out_edges(static_cast<std::size_t>(r.nodes[k]), fg); it != end;
         ++it) {
      if (boost::target(*it, fg) != static_cast<std::size_t>(r.nodes[k + 1])) continue;
      const int i = eindex[*it];
      if (weight[i] < best_w) best_w = weight[i], best = i;
    }
    r.edges.push_back(best);
    r.length_m += site_.edges[best].length_m;
  }
  return r;
}

}  // namespace hqdrill
