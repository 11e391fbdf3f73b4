// Checks across the typed scenario. The cheap cross-checks (a notify needs a link, a
// protocol fits its incident) run whenever their references resolved; reachability and
// rosters run only on an otherwise valid file, so one typo does not cascade into a
// dozen "unreachable" errors.
#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "hqdrill/forces/coverage.hpp"
#include "hqdrill/sim/replication.hpp"
#include "reader.hpp"

namespace hqdrill::io::detail {

namespace {

template <class T>
const T& at(const std::vector<T>& v, Index i) {
  return v[static_cast<std::size_t>(i)];
}

class Checker {
 public:
  Checker(Reader& r, Parsed& p) : r_(r), p_(p), s_(p.s) {}

  void run() {
    notify_links();
    incident_protocols();
    if (r_.has_errors()) return;
    target_kpis();
    role_reachability();
    node_reachability();
    rosters();
  }

 private:
  Reader& r_;
  Parsed& p_;
  const Scenario& s_;

  const std::string& role_id(Index i) const { return at(s_.roles, i).id; }

  /// Units that can hold a role: its unit, then its fallback units.
  std::vector<Index> holders(Index role) const {
    const Role& q = at(s_.roles, role);
    std::vector<Index> out{q.unit};
    out.insert(out.end(), q.fallback_units.begin(), q.fallback_units.end());
    return out;
  }
  const std::string& node_id(Index i) const { return at(s_.site.nodes, i).id; }

  /// The roles that learn of an incident first, with the pointer naming each: the
  /// "detection" role, or for a fire the roles its detectors, patrol and occupants tell.
  std::vector<std::pair<Index, std::string>> detecting_roles(std::size_t i) const {
    const Incident& inc = s_.incidents[i];
    const std::string iptr = child("/incidents", i);
    std::vector<std::pair<Index, std::string>> out;
    const auto add = [&](Index role, const std::string& ptr) {
      if (role == kNone) return;
      for (const auto& [r, p] : out)
        if (r == role) return;
      out.emplace_back(role, ptr);
    };
    add(inc.detected_by, child(child(iptr, "detection"), "role"));
    if (inc.fire) {
      const std::string fptr = child(iptr, "fire");
      for (std::size_t d = 0; d < inc.fire->detectors.size(); ++d)
        add(inc.fire->detectors[d].role, child(child(child(fptr, "detectors"), d), "role"));
      if (inc.fire->patrol) add(inc.fire->patrol->role, child(child(fptr, "patrol"), "role"));
      add(inc.fire->occupants_tell, child(child(fptr, "occupants"), "tell"));
    }
    return out;
  }

  /// A target or primary KPI must be one its incident measures: a KPI of another
  /// incident's protocol would otherwise be silently ignored in the summary.
  void target_kpis() {
    std::vector<std::vector<std::string>> names;
    for (std::size_t i = 0; i < s_.incidents.size(); ++i)
      names.push_back(kpi_names(s_, static_cast<Index>(i)));
    auto suggest = [](const std::string& k, const std::vector<std::string>& list) {
      const std::string guess = did_you_mean(k, list);
      return guess.empty() ? std::string() : " (did you mean " + quote(guess) + "?)";
    };
    for (std::size_t i = 0; i < s_.incidents.size(); ++i) {
      const std::string& k = s_.incidents[i].primary_kpi;
      if (k.empty() || std::find(names[i].begin(), names[i].end(), k) != names[i].end()) continue;
      r_.error(child(child("/incidents", i), "primary_kpi"),
               "KPI " + quote(k) + " is not measured in incident " + quote(s_.incidents[i].id) +
                   suggest(k, names[i]));
    }
    for (std::size_t t = 0; t < s_.targets.size(); ++t) {
      const Target& tg = s_.targets[t];
      const std::string ptr = child(child("/targets", t), "kpi");
      if (!tg.incident.empty()) {
        for (std::size_t i = 0; i < s_.incidents.size(); ++i) {
          if (s_.incidents[i].id != tg.incident) continue;
          if (std::find(names[i].begin(), names[i].end(), tg.kpi) == names[i].end())
            r_.error(ptr, "KPI " + quote(tg.kpi) + " is not measured in incident " +
                              quote(tg.incident) + suggest(tg.kpi, names[i]));
        }
        continue;
      }
      bool anywhere = false;
      std::vector<std::string> all;
      for (const auto& n : names) {
        anywhere = anywhere || std::find(n.begin(), n.end(), tg.kpi) != n.end();
        all.insert(all.end(), n.begin(), n.end());
      }
      if (!anywhere)
        r_.error(ptr, "KPI " + quote(tg.kpi) + " is not measured in any incident" +
                          suggest(tg.kpi, all));
    }
  }

  void notify_links() {
    std::set<std::pair<Index, Index>> linked;
    for (const auto& l : s_.links) linked.emplace(l.from_role, l.to_role);
    for (std::size_t pi = 0; pi < s_.protocols.size(); ++pi) {
      const Protocol& pr = s_.protocols[pi];
      for (std::size_t ri = 0; ri < pr.rules.size(); ++ri) {
        const Rule& rule = pr.rules[ri];
        if (rule.role == kNone) continue;
        for (std::size_t ai = 0; ai < rule.actions.size(); ++ai) {
          const Action& a = rule.actions[ai];
          if (a.kind != ActionKind::notify || a.role == kNone) continue;
          if (linked.count({rule.role, a.role})) continue;
          r_.error(child(p_.meta.action_ptr[pi][ri][ai], "notify"),
                   "no comms link from role " + quote(role_id(rule.role)) + " to role " +
                       quote(role_id(a.role)));
        }
      }
    }
  }

  void incident_protocols() {
    for (std::size_t i = 0; i < s_.incidents.size(); ++i) {
      const Incident& inc = s_.incidents[i];
      if (inc.protocol == kNone) continue;
      const Protocol& pr = at(s_.protocols, inc.protocol);
      const std::string iptr = child("/incidents", i);
      if (!inc.type.empty() && !pr.incident_type.empty() && pr.incident_type != inc.type)
        r_.error(child(iptr, "protocol"), "protocol " + quote(pr.id) + " is for incident type " +
                                              quote(pr.incident_type) + ", not " + quote(inc.type));
      for (const auto& [det, ptr] : detecting_roles(i)) {
        const bool has_rule = std::any_of(pr.rules.begin(), pr.rules.end(),
                                          [&](const Rule& rl) { return rl.role == det; });
        if (!has_rule)
          r_.warning(ptr, "the detecting role " + quote(role_id(det)) +
                              " has no rule in protocol " + quote(pr.id) + ", so it does nothing");
      }
    }
  }

  // ------------------------------------------------------------ reachability

  std::vector<bool> reachable_roles(Index from) const {
    std::vector<std::vector<Index>> out(s_.roles.size());
    for (const auto& l : s_.links) out[static_cast<std::size_t>(l.from_role)].push_back(l.to_role);
    std::vector<bool> seen(s_.roles.size(), false);
    std::deque<Index> queue{from};
    seen[static_cast<std::size_t>(from)] = true;
    while (!queue.empty()) {
      const Index v = queue.front();
      queue.pop_front();
      for (Index w : at(out, v))
        if (!seen[static_cast<std::size_t>(w)]) {
          seen[static_cast<std::size_t>(w)] = true;
          queue.push_back(w);
        }
    }
    return seen;
  }

  void role_reachability() {
    // (a) every role a used protocol involves must be reachable from the detector (for a
    // fire: from at least one of the roles its detectors, patrol and occupants tell).
    std::set<std::tuple<Index, Index, std::vector<Index>>> reported;  // protocol, role, detectors
    std::vector<bool> involved(s_.roles.size(), false);
    for (std::size_t i = 0; i < s_.incidents.size(); ++i) {
      const Incident& inc = s_.incidents[i];
      std::vector<Index> dets;
      std::vector<bool> seen(s_.roles.size(), false);
      std::string names;
      for (const auto& [det, ptr] : detecting_roles(i)) {
        dets.push_back(det);
        involved[static_cast<std::size_t>(det)] = true;
        const auto from = reachable_roles(det);
        for (std::size_t k = 0; k < seen.size(); ++k) seen[k] = seen[k] || from[k];
        names += (names.empty() ? "" : ", ") + quote(role_id(det));
      }
      if (dets.empty()) continue;  // nothing detects it: reported where read
      const std::string from_what =
          dets.size() == 1 ? "the detecting role " + names : "any of the detecting roles " + names;
      const Protocol& pr = at(s_.protocols, inc.protocol);
      const auto pi = static_cast<std::size_t>(inc.protocol);
      const auto check = [&](Index role, const std::string& ptr) {
        if (seen[static_cast<std::size_t>(role)]) return;
        if (!reported.emplace(inc.protocol, role, dets).second) return;
        r_.error(ptr, "role " + quote(role_id(role)) + " cannot be reached from " + from_what +
                          " through any comms link");
      };
      for (std::size_t ri = 0; ri < pr.rules.size(); ++ri) {
        const Rule& rule = pr.rules[ri];
        check(rule.role, p_.meta.rule_ptr[pi][ri]);
        for (std::size_t ai = 0; ai < rule.actions.size(); ++ai)
          if (rule.actions[ai].kind == ActionKind::notify)
            check(rule.actions[ai].role, child(p_.meta.action_ptr[pi][ri][ai], "notify"));
      }
    }
    // (b) a role nobody can tell anything and that detects nothing is dead weight.
    for (const auto& l : s_.links) involved[static_cast<std::size_t>(l.to_role)] = true;
    for (std::size_t i = 0; i < s_.roles.size(); ++i)
      if (!involved[i])
        r_.warning(child("/roles", i), "role " + quote(s_.roles[i].id) +
                                           " is reached by no comms link and detects no incident");
  }

  /// Nodes reachable from `starts` over edges that carry `mode` (any mode when nullopt),
  /// skipping edges closed at the start when `open_only`.
  std::vector<bool> reachable_nodes(const std::vector<Index>& starts,
                                    std::optional<TravelMode> mode, bool open_only) const {
    const std::size_t n = s_.site.nodes.size();
    std::vector<std::vector<Index>> adj(n);
    for (const Edge& e : s_.site.edges) {
      if (open_only && e.closed_at_start) continue;
      if (mode && !e.modes[static_cast<std::size_t>(*mode)]) continue;
      adj[static_cast<std::size_t>(e.from)].push_back(e.to);
      adj[static_cast<std::size_t>(e.to)].push_back(e.from);
    }
    std::vector<bool> seen(n, false);
    std::deque<Index> queue;
    for (Index v : starts)
      if (!seen[static_cast<std::size_t>(v)]) {
        seen[static_cast<std::size_t>(v)] = true;
        queue.push_back(v);
      }
    while (!queue.empty()) {
      const Index v = queue.front();
      queue.pop_front();
      for (Index w : at(adj, v))
        if (!seen[static_cast<std::size_t>(w)]) {
          seen[static_cast<std::size_t>(w)] = true;
          queue.push_back(w);
        }
    }
    return seen;
  }

  /// Where a unit's members can set out from: home, shift posts, callout point.
  std::vector<Index> unit_starts(const Unit& u) const {
    std::vector<Index> starts{u.home};
    for (const Shift& sh : u.shifts)
      if (sh.post != kNone) starts.push_back(sh.post);
    if (u.callout_s && u.callout_from != kNone) starts.push_back(u.callout_from);
    return starts;
  }

  void node_reachability() {
    std::vector<std::vector<bool>> unit_reach;
    for (const Unit& u : s_.units)
      unit_reach.push_back(reachable_nodes(unit_starts(u), u.mode, true));
    std::set<std::pair<std::string, std::string>> warned;
    for (std::size_t i = 0; i < s_.incidents.size(); ++i) {
      const Incident& inc = s_.incidents[i];
      const Protocol& pr = at(s_.protocols, inc.protocol);
      const auto pi = static_cast<std::size_t>(inc.protocol);
      struct Sent {
        Index unit;
        std::string ptr;  ///< the dispatch action
      };
      std::map<Index, std::vector<Sent>> by_destination;
      std::map<Index, std::string> destination_ptr;
      for (std::size_t ri = 0; ri < pr.rules.size(); ++ri)
        for (std::size_t ai = 0; ai < pr.rules[ri].actions.size(); ++ai) {
          const Action& a = pr.rules[ri].actions[ai];
          if (a.kind == ActionKind::notify) continue;
          const std::string& aptr = p_.meta.action_ptr[pi][ri][ai];
          // Dispatches send the role's holder unit; tasks the owner's (the same role).
          Index to = a.to_node;
          std::string to_ptr = child(child(aptr, "dispatch"), "to");
          if (a.kind == ActionKind::task) {
            to = at(pr.tasks, a.task).node;
            to_ptr = child(p_.meta.task_ptr[pi][static_cast<std::size_t>(a.task)], "at");
          }
          const Index dest = to == kNone ? inc.node : to;
          for (Index u : holders(pr.rules[ri].role)) by_destination[dest].push_back({u, aptr});
          destination_ptr.emplace(dest,
                                  to == kNone ? child(child("/incidents", i), "node") : to_ptr);
        }
      for (const auto& [dest, sent] : by_destination) {
        std::string tried;
        bool any = false;
        for (const Sent& x : sent) {
          any = any || at(unit_reach, x.unit)[static_cast<std::size_t>(dest)];
          const Unit& u = at(s_.units, x.unit);
          const std::string item =
              quote(u.id) + (u.mode == TravelMode::foot ? " on foot" : " by vehicle");
          if (tried.find(item) == std::string::npos) tried += (tried.empty() ? "" : ", ") + item;
        }
        const bool incident_node = dest == inc.node;
        const std::string what =
            (incident_node ? "incident node " : "node ") + quote(node_id(dest));
        if (!any) {
          r_.error(destination_ptr[dest], what +
                                              " cannot be reached by any dispatched unit over the "
                                              "edges open at the start (dispatched: " +
                                              tried + ")");
          continue;
        }
        for (const Sent& x : sent) {
          if (at(unit_reach, x.unit)[static_cast<std::size_t>(dest)]) continue;
          const Unit& u = at(s_.units, x.unit);
          std::string msg = "unit " + quote(u.id) +
                            (u.mode == TravelMode::foot ? " on foot" : " by vehicle") +
                            " cannot reach " + what + " over the edges open at the start";
          if (warned.emplace(x.ptr, msg).second) r_.warning(x.ptr, msg);
        }
      }
    }
    // Nodes no unit can reach at all, in any mode, even through locked doors: likely a
    // missing edge or a typo in the site graph.
    std::vector<Index> starts;
    for (const Unit& u : s_.units)
      for (Index v : unit_starts(u)) starts.push_back(v);
    const auto seen = reachable_nodes(starts, std::nullopt, false);
    for (std::size_t v = 0; v < s_.site.nodes.size(); ++v)
      if (!seen[v])
        r_.warning(child("/site/nodes", v),
                   "no unit can reach node " + quote(s_.site.nodes[v].id) + " over any edge");
  }

  // ------------------------------------------------------------ rosters

  void rosters() {
    constexpr std::size_t kMaxGapsReported = 8;
    const std::vector<CoverageHole> holes = post_coverage_holes(s_);
    for (std::size_t pi = 0; pi < s_.posts.size(); ++pi) {
      const Post& post = s_.posts[pi];
      if (!post.around_the_clock) continue;
      // Gaps (from, to, on duty) with the day types they occur on, in order of first day
      // and then of time. post_coverage_holes (forces/coverage.hpp) states the calendar
      // rules: after-midnight parts count on the next day type, and a holiday is checked
      // after the worst of mon..sun.
      std::vector<std::tuple<int, int, int>> order;
      std::map<std::tuple<int, int, int>, std::vector<std::string>> days;
      for (const CoverageHole& h : holes) {
        if (h.post != static_cast<Index>(pi)) continue;
        const auto key = std::make_tuple(h.from_min, h.to_min, h.have);
        auto& list = days[key];
        if (list.empty()) order.push_back(key);
        list.push_back(to_string(h.day));
      }
      const std::string ptr = child("/forces/posts", pi);
      for (std::size_t g = 0; g < order.size() && g < kMaxGapsReported; ++g) {
        const auto& [from, to, have] = order[g];
        std::string on;
        for (const auto& d : days[order[g]]) on += (on.empty() ? "" : ", ") + d;
        r_.warning(ptr, "post " + quote(node_id(post.node)) + " is declared 24/24 but has " +
                            std::to_string(have) + " of " + std::to_string(post.min_headcount) +
                            " on duty on " + on + " " + format_hhmm(from) + "–" + format_hhmm(to));
      }
      if (order.size() > kMaxGapsReported)
        r_.warning(ptr, "post " + quote(node_id(post.node)) + " has " +
                            std::to_string(order.size() - kMaxGapsReported) +
                            " more gaps in its 24/24 cover");
    }
  }
};

}  // namespace

void check_scenario(Reader& r, Parsed& p) {
  Checker(r, p).run();
}

}  // namespace hqdrill::io::detail
