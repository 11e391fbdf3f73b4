#include "hqdrill/plan/options.hpp"

#include <algorithm>
#include <cassert>
#include <type_traits>

#include "hqdrill/forces/roster.hpp"
#include "hqdrill/sim/reads.hpp"

namespace hqdrill::plan {

const char* to_string(CostDim d) {
  switch (d) {
    case CostDim::people:
      return "people";
    case CostDim::hours:
      return "hours";
    case CostDim::money_vnd:
      return "money_vnd";
  }
  return "?";
}

std::optional<CostDim> cost_dim_from(const std::string& name) {
  if (name == "people") return CostDim::people;
  if (name == "hours") return CostDim::hours;
  if (name == "money_vnd") return CostDim::money_vnd;
  return std::nullopt;
}

double cost_in(const Cost& c, CostDim d) {
  switch (d) {
    case CostDim::people:
      return c.people;
    case CostDim::hours:
      return c.hours;
    case CostDim::money_vnd:
      return c.money_vnd;
  }
  return 0;
}

Cost operator+(const Cost& a, const Cost& b) {
  return {a.people + b.people, a.hours + b.hours, a.money_vnd + b.money_vnd};
}

Distribution DelayChange::applied_to(const Distribution& d) const {
  if (replace) return *replace;
  return factor == 1.0 ? d : d.scaled(factor);
}

const char* change_kind(const Change& c) {
  static const char* const kNames[] = {"add_members", "move_post",    "move_home",
                                       "add_link",    "upgrade_link", "train_role",
                                       "train_task",  "stage_means",  "notify_order",
                                       "add_notify",  "stage_pump",   "preposition_sandbags"};
  static_assert(std::variant_size_v<Change> == std::size(kNames));
  return kNames[c.index()];
}

namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::size_t at(Index i) {
  assert(i >= 0);
  return static_cast<std::size_t>(i);
}

Index flood_cell(const FloodDef& f, const std::string& id) {
  for (std::size_t k = 0; k < f.cells.size(); ++k)
    if (f.cells[k].id == id) return static_cast<Index>(k);
  return kNone;
}

Rule* rule_of(Protocol& p, Index role) {
  for (Rule& r : p.rules)
    if (r.role == role) return &r;
  return nullptr;
}

void apply_change(Scenario& s, const Change& change) {
  std::visit(
      Overloaded{
          [&](const AddMembers& c) {
            Unit& u = s.units[at(c.unit)];
            u.members += c.add;
            for (std::size_t k = 0; k < u.shifts.size(); ++k)
              if (c.shifts.empty() || std::find(c.shifts.begin(), c.shifts.end(),
                                                static_cast<Index>(k)) != c.shifts.end())
                u.shifts[k].headcount += c.add;
          },
          [&](const MovePost& c) {
            for (std::size_t ui = 0; ui < s.units.size(); ++ui) {
              if (c.unit != kNone && static_cast<Index>(ui) != c.unit) continue;
              Unit& u = s.units[ui];
              for (Shift& sh : u.shifts) {
                const Index post = sh.post == kNone ? u.home : sh.post;
                if (post == c.from && !sh.on_call) sh.post = c.to;
              }
            }
            for (Post& p : s.posts)
              if (p.node == c.from) p.node = c.to;
          },
          [&](const MoveHome& c) {
            Unit& u = s.units[at(c.unit)];
            if (u.callout_from == u.home) u.callout_from = c.to;
            u.home = c.to;  // shifts without a post of their own stand at the home: they move
          },
          [&](const AddLink& c) {
            std::vector<CommsLink> add{c.link};
            if (c.bidirectional) {
              CommsLink rev = c.link;
              rev.id = c.link.id + "~rev";
              std::swap(rev.from_role, rev.to_role);
              add.push_back(rev);
            }
            for (const CommsLink& l : add) {
              auto pos = std::find_if(s.links.begin(), s.links.end(), [&](const CommsLink& x) {
                return x.from_role == l.from_role && x.to_role == l.to_role;
              });
              s.links.insert(pos, l);
            }
          },
          [&](const UpgradeLink& c) {
            for (CommsLink& l : s.links) {
              if (l.id != c.link && l.id != c.link + "~rev") continue;
              if (c.channel) l.channel = *c.channel;
              l.delay_s = c.delay.applied_to(l.delay_s);
              if (c.failure_probability) l.failure_probability = *c.failure_probability;
              if (c.retry_s) l.retry_s = *c.retry_s;
              if (c.max_attempts) l.max_attempts = *c.max_attempts;
              if (c.ack_s) l.ack_s = *c.ack_s;
            }
          },
          [&](const TrainRole& c) {
            Role& r = s.roles[at(c.role)];
            r.reaction_s = c.reaction.applied_to(r.reaction_s);
            r.answer_s = c.answer.applied_to(r.answer_s);
            if (r.on_call_answer_s)
              r.on_call_answer_s = c.on_call_answer.applied_to(*r.on_call_answer_s);
            else if (c.on_call_answer.replace)
              r.on_call_answer_s = *c.on_call_answer.replace;
          },
          [&](const TrainTask& c) {
            for (std::size_t p = 0; p < s.protocols.size(); ++p) {
              if (c.protocol != kNone && static_cast<Index>(p) != c.protocol) continue;
              for (TaskDef& t : s.protocols[p].tasks)
                if (t.id == c.task) t.duration_s = c.duration.applied_to(t.duration_s);
            }
          },
          [&](const StagePump& c) {
            for (std::size_t i = 0; i < s.incidents.size(); ++i) {
              Incident& inc = s.incidents[i];
              if ((c.incident != kNone && static_cast<Index>(i) != c.incident) || !inc.flood)
                continue;
              FloodDef& f = *inc.flood;
              const Index from = flood_cell(f, c.cell);
              if (from == kNone) continue;
              FloodPump p = c.pump;
              p.from = from;
              p.to = c.to.empty() ? kNone : flood_cell(f, c.to);
              if (!c.to.empty() && p.to == kNone) continue;
              p.ready_task = kNone;
              f.pumps.push_back(std::move(p));
            }
          },
          [&](const PrepositionSandbags& c) {
            for (std::size_t i = 0; i < s.incidents.size(); ++i) {
              Incident& inc = s.incidents[i];
              if ((c.incident != kNone && static_cast<Index>(i) != c.incident) || !inc.flood)
                continue;
              for (FloodLink& l : inc.flood->links)
                if (l.id == c.link && l.kind == FloodLinkKind::weir)
                  l.barrier_m = std::max(l.barrier_m, c.height_m);
            }
          },
          [&](const StageMeans& c) {
            for (std::size_t i = 0; i < s.incidents.size(); ++i) {
              Incident& inc = s.incidents[i];
              if (c.incident != kNone && static_cast<Index>(i) != c.incident) continue;
              if (!inc.fire) continue;
              FireMeans m = c.means;
              m.tasks.clear();
              if (inc.protocol != kNone) {
                const Protocol& p = s.protocols[at(inc.protocol)];
                for (const std::string& id : c.task_ids)
                  for (std::size_t t = 0; t < p.tasks.size(); ++t)
                    if (p.tasks[t].id == id) m.tasks.push_back(static_cast<Index>(t));
              }
              // Asked for tasks the protocol lacks: the means serves none rather than all.
              if (!c.task_ids.empty() && m.tasks.empty()) continue;
              inc.fire->means.push_back(std::move(m));
            }
          },
          [&](const NotifyOrder& c) {
            Rule* r = rule_of(s.protocols[at(c.protocol)], c.role);
            if (!r) return;
            // Only the notify actions whose target is in `order` are reordered, in their own
            // slots: notifications added by other options (add_notify) stay as they are.
            std::size_t k = 0;
            for (Action& a : r->actions)
              if (a.kind == ActionKind::notify && k < c.order.size() &&
                  std::find(c.order.begin(), c.order.end(), a.role) != c.order.end())
                a.role = c.order[k++];
          },
          [&](const AddNotify& c) {
            Protocol& p = s.protocols[at(c.protocol)];
            Rule* r = rule_of(p, c.role);
            if (!r) {
              p.rules.push_back({c.role, {}});
              r = &p.rules.back();
            }
            Action a;
            a.kind = ActionKind::notify;
            a.role = c.notify;
            const auto pos = std::min<std::size_t>(
                static_cast<std::size_t>(std::max(0, c.position)), r->actions.size());
            r->actions.insert(r->actions.begin() + static_cast<std::ptrdiff_t>(pos), a);
          },
      },
      change);
}

}  // namespace

void apply_option(Scenario& s, const PlanOption& o) {
  for (const Change& c : o.changes) apply_change(s, c);
}

Scenario with_options(const Scenario& s, const std::vector<PlanOption>& options,
                      std::uint64_t mask) {
  assert(options.size() <= 64);
  Scenario out = s;
  for (std::size_t i = 0; i < options.size(); ++i)
    if (mask >> i & 1u) apply_option(out, options[i]);
  return out;
}

Cost cost_of(const std::vector<PlanOption>& options, std::uint64_t mask) {
  Cost c;
  for (std::size_t i = 0; i < options.size() && i < 64; ++i)
    if (mask >> i & 1u) c = c + options[i].cost;
  return c;
}

bool may_affect(const Scenario& s, const PlanOption& o, Index incident) {
  const IncidentReads r = incident_reads(s, incident);
  const auto role_in = [&](Index x) { return x != kNone && r.roles[at(x)]; };
  const auto unit_in = [&](Index x) { return x != kNone && r.units[at(x)]; };
  const auto notifies = [&](Index from, Index to) {
    if (r.protocol == kNone) return false;
    for (const Rule& rule : s.protocols[at(r.protocol)].rules)
      if (rule.role == from)
        for (const Action& a : rule.actions)
          if (a.kind == ActionKind::notify && a.role == to) return true;
    return false;
  };
  for (const Change& change : o.changes) {
    const bool hit = std::visit(
        Overloaded{
            [&](const AddMembers& c) {
              if (!unit_in(c.unit)) return false;
              const Unit& u = s.units[at(c.unit)];
              if (u.callout_s) return true;  // a bigger unit has more people to call in
              // Otherwise only the shifts that gain people matter, and only while on duty.
              const IncidentClock& clock = s.incidents[at(incident)].clock;
              for (std::size_t k = 0; k < u.shifts.size(); ++k) {
                if (!c.shifts.empty() && std::find(c.shifts.begin(), c.shifts.end(),
                                                   static_cast<Index>(k)) == c.shifts.end())
                  continue;
                for (SimTime t = 0; t <= horizon_of(s, incident); t += 60 * kMsPerSecond) {
                  const CalendarTime ct = calendar_time(clock, t);
                  if (shift_active(u.shifts[k], clock, ct.day, ct.minute_of_day)) return true;
                }
              }
              return false;
            },
            [&](const MovePost& c) {
              return c.unit == kNone
                         ? std::find(r.units.begin(), r.units.end(), true) != r.units.end()
                         : unit_in(c.unit);
            },
            [&](const MoveHome& c) { return unit_in(c.unit); },
            // A link is used only by a notify from its sender to its receiver.
            [&](const AddLink& c) {
              return notifies(c.link.from_role, c.link.to_role) ||
                     (c.bidirectional && notifies(c.link.to_role, c.link.from_role));
            },
            [&](const UpgradeLink& c) {
              for (const CommsLink& l : s.links)
                if ((l.id == c.link || l.id == c.link + "~rev") && notifies(l.from_role, l.to_role))
                  return true;
              return false;
            },
            [&](const TrainRole& c) { return role_in(c.role); },
            [&](const TrainTask& c) {
              if (r.protocol == kNone || (c.protocol != kNone && c.protocol != r.protocol))
                return false;
              for (const TaskDef& t : s.protocols[at(r.protocol)].tasks)
                if (t.id == c.task) return true;
              return false;
            },
            [&](const StageMeans& c) {
              return r.fire && (c.incident == kNone || c.incident == incident);
            },
            [&](const StagePump& c) {
              const Incident& inc = s.incidents[at(incident)];
              return inc.flood && (c.incident == kNone || c.incident == incident) &&
                     flood_cell(*inc.flood, c.cell) != kNone;
            },
            [&](const PrepositionSandbags& c) {
              const Incident& inc = s.incidents[at(incident)];
              if (!inc.flood || (c.incident != kNone && c.incident != incident)) return false;
              for (const FloodLink& l : inc.flood->links)
                if (l.id == c.link && l.kind == FloodLinkKind::weir) return true;
              return false;
            },
            [&](const NotifyOrder& c) { return c.protocol == r.protocol; },
            [&](const AddNotify& c) { return c.protocol == r.protocol; },
        },
        change);
    if (hit) return true;
  }
  return false;
}

namespace {

Index first_role_of_unit(const Scenario& s, Index unit) {
  if (unit == kNone) return kNone;
  for (std::size_t r = 0; r < s.roles.size(); ++r)
    if (s.roles[r].unit == unit) return static_cast<Index>(r);
  return kNone;
}

Index highest_command(const Scenario& s, Index protocol) {
  if (protocol == kNone) return kNone;
  const auto& c = s.protocols[at(protocol)].command;
  return c.empty() ? kNone : c.back();  // lowest authority first
}

Index task_owner(const Scenario& s, Index protocol, const std::string& task) {
  for (std::size_t p = 0; p < s.protocols.size(); ++p) {
    if (protocol != kNone && static_cast<Index>(p) != protocol) continue;
    for (const TaskDef& t : s.protocols[p].tasks)
      if (t.id == task && t.owner != kNone) return t.owner;
  }
  return kNone;
}

/// The protocol of `incident`, or of the first incident that `pick` accepts.
template <class F>
Index protocol_of(const Scenario& s, Index incident, F pick) {
  for (std::size_t i = 0; i < s.incidents.size(); ++i)
    if ((incident == kNone || static_cast<Index>(i) == incident) && pick(s.incidents[i]))
      return s.incidents[i].protocol;
  return kNone;
}

Index change_owner(const Scenario& s, const Change& change) {
  return std::visit(
      Overloaded{
          [&](const AddMembers& c) { return first_role_of_unit(s, c.unit); },
          [&](const MovePost& c) {
            if (c.unit != kNone) return first_role_of_unit(s, c.unit);
            for (std::size_t u = 0; u < s.units.size(); ++u)
              for (const Shift& sh : s.units[u].shifts)
                if ((sh.post == kNone ? s.units[u].home : sh.post) == c.from)
                  if (const Index r = first_role_of_unit(s, static_cast<Index>(u)); r != kNone)
                    return r;
            return kNone;
          },
          [&](const MoveHome& c) { return first_role_of_unit(s, c.unit); },
          [&](const AddLink& c) { return c.link.from_role; },
          [&](const UpgradeLink& c) {
            for (const CommsLink& l : s.links)
              if (l.id == c.link) return l.from_role;
            return kNone;
          },
          [&](const TrainRole& c) { return c.role; },
          [&](const TrainTask& c) { return task_owner(s, c.protocol, c.task); },
          [&](const StageMeans& c) {
            for (Index u : c.means.units)
              if (const Index r = first_role_of_unit(s, u); r != kNone) return r;
            const Index p =
                protocol_of(s, c.incident, [](const Incident& i) { return bool(i.fire); });
            for (const std::string& t : c.task_ids)
              if (p != kNone)
                if (const Index r = task_owner(s, p, t); r != kNone) return r;
            return kNone;
          },
          [&](const NotifyOrder& c) { return c.role; },
          [&](const AddNotify& c) { return c.role; },
          [&](const StagePump& c) {
            return highest_command(
                s, protocol_of(s, c.incident, [](const Incident& i) { return bool(i.flood); }));
          },
          [&](const PrepositionSandbags& c) {
            return highest_command(
                s, protocol_of(s, c.incident, [](const Incident& i) { return bool(i.flood); }));
          },
      },
      change);
}

}  // namespace

Index owner_of(const Scenario& s, const PlanOption& o) {
  if (o.owner != kNone) return o.owner;
  for (const Change& c : o.changes)
    if (const Index r = change_owner(s, c); r != kNone) return r;
  for (std::size_t p = 0; p < s.protocols.size(); ++p)
    if (const Index r = highest_command(s, static_cast<Index>(p)); r != kNone) return r;
  return kNone;
}

}  // namespace hqdrill::plan
