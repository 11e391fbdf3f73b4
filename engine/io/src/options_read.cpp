// Plan options ("hqdrill.options/1") read against a loaded scenario: docs/options-format.md.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <utility>

#include "hqdrill/io/options_io.hpp"
#include "hqdrill/plan/placement.hpp"
#include "reader.hpp"

namespace hqdrill::io {

namespace {

using detail::child;
using detail::IdTable;
using detail::Json;
using detail::Obj;
using detail::Quantity;
using detail::quote;
using detail::Reader;

constexpr const char* kSchema = "hqdrill.options/1";
constexpr std::size_t kMaxBytes = 16u << 20;
constexpr int kMaxDepth = 64;

const std::vector<std::string> kKinds{"add_members", "move_post",    "move_home",
                                      "add_link",    "upgrade_link", "train_role",
                                      "train_task",  "stage_means",  "notify_order",
                                      "add_notify",  "stage_pump",   "preposition_sandbags"};
const std::vector<std::string> kChannels{"radio", "phone", "in_person", "runner"};

template <class T, class F>
IdTable table_of(const std::vector<T>& items, F id_of) {
  IdTable t;
  t.available = true;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string id = id_of(items[i]);
    if (t.index.emplace(id, static_cast<Index>(i)).second) t.ids.push_back(id);
  }
  return t;
}

class OptionsReader {
 public:
  OptionsReader(Reader& r, const Scenario& s) : r_(r), s_(s) {
    nodes_ = table_of(s.site.nodes, [](const Node& n) { return n.id; });
    units_ = table_of(s.units, [](const Unit& u) { return u.id; });
    roles_ = table_of(s.roles, [](const Role& x) { return x.id; });
    protocols_ = table_of(s.protocols, [](const Protocol& p) { return p.id; });
    incidents_ = table_of(s.incidents, [](const Incident& i) { return i.id; });
    // Links by the file's id: the reverse of a bidirectional link is "id~rev".
    links_ = table_of(s.links, [](const CommsLink& l) {
      const auto cut = l.id.rfind("~rev");
      return cut != std::string::npos && cut + 4 == l.id.size() ? l.id.substr(0, cut) : l.id;
    });
  }

  std::vector<plan::PlanOption> read(const Json& root) {
    std::vector<plan::PlanOption> out;
    Obj top(r_, root, "", {"schema", "scenario", "options"}, {"schema", "options"});
    if (!top.ok()) return out;
    if (auto s = top.str("schema"); s && *s != kSchema)
      r_.error("/schema",
               "unsupported schema " + quote(*s) + " (this build reads " + quote(kSchema) + ")");
    top.str("scenario");  // informative: the scenario the options were written for
    const Json* list = top.find("options");
    if (!list || !r_.is_array(*list, "/options")) return out;
    if (list->empty()) r_.error("/options", "no options (at least one is needed)");
    if (list->size() > kMaxOptions)
      r_.error("/options", "too many options (" + std::to_string(list->size()) + "; at most " +
                               std::to_string(kMaxOptions) + ")");
    detail::collect_ids(r_, list, "/options");  // ids: valid and unique
    for (std::size_t i = 0; i < list->size(); ++i)
      out.push_back(option((*list)[i], child("/options", i)));
    return out;
  }

 private:
  plan::PlanOption option(const Json& j, const std::string& ptr) {
    plan::PlanOption o;
    Obj ob(r_, j, ptr, {"id", "name", "name_en", "owner", "cost", "changes"},
           {"id", "name", "cost", "changes"});
    if (!ob.ok()) return o;
    o.id = ob.str("id").value_or("");
    o.name = ob.str("name").value_or("");
    o.name_en = ob.str("name_en").value_or("");
    o.owner = ref(ob, "owner", roles_, "role");
    if (const Json* c = ob.find("cost")) o.cost = cost(*c, ob.ptr("cost"));
    if (const Json* ch = ob.find("changes"); ch && r_.is_array(*ch, ob.ptr("changes"))) {
      if (ch->empty()) r_.error(ob.ptr("changes"), "no changes (at least one is needed)");
      links_added_.clear();
      added_pairs_.clear();
      option_id_ = o.id;
      for (std::size_t k = 0; k < ch->size(); ++k)
        if (auto c = change((*ch)[k], child(ob.ptr("changes"), k))) o.changes.push_back(*c);
    }
    return o;
  }

  plan::Cost cost(const Json& j, const std::string& ptr) {
    plan::Cost c;
    Obj o(r_, j, ptr, {"people", "hours", "money_vnd"}, {});
    if (!o.ok()) return c;
    if (!o.has("people") && !o.has("hours") && !o.has("money_vnd"))
      r_.error(ptr, "a cost needs at least one of \"people\", \"hours\", \"money_vnd\"");
    c.people = o.number("people", detail::kNonNegative).value_or(0);
    c.hours = o.number("hours", detail::kNonNegative).value_or(0);
    c.money_vnd = o.number("money_vnd", detail::kNonNegative).value_or(0);
    return c;
  }

  Index ref(Obj& o, std::string_view key, const IdTable& t, std::string_view what) {
    const Json* v = o.find(key);
    return v ? detail::resolve(r_, t, *v, o.ptr(key), what) : kNone;
  }

  std::optional<Distribution> dist(Obj& o, std::string_view key) {
    const Json* v = o.find(key);
    return v ? detail::read_distribution(r_, *v, o.ptr(key), Quantity::delay) : std::nullopt;
  }

  /// `<name>_s` (a new distribution) or `<name>_factor` (> 0), not both.
  plan::DelayChange delay_change(Obj& o, const std::string& name) {
    plan::DelayChange d;
    const std::string ks = name + "_s", kf = name + "_factor";
    if (o.has(ks) && o.has(kf))
      r_.error(o.ptr(kf), "give " + quote(ks) + " or " + quote(kf) + ", not both");
    d.replace = dist(o, ks);
    d.factor = o.number(kf, detail::kPositive).value_or(1.0);
    return d;
  }

  std::optional<plan::Change> change(const Json& j, const std::string& ptr) {
    if (!r_.is_object(j, ptr)) return std::nullopt;
    const auto kit = j.find("kind");
    if (kit == j.end()) {
      r_.error(ptr, "missing required key \"kind\"");
      return std::nullopt;
    }
    const auto kind = r_.one_of(*kit, child(ptr, "kind"), "change kind", kKinds);
    if (!kind) return std::nullopt;
    const std::size_t errors = r_.error_count();
    std::optional<plan::Change> c;
    switch (*kind) {
      case 0:
        c = add_members(j, ptr);
        break;
      case 1:
        c = move_post(j, ptr);
        break;
      case 2:
        c = move_home(j, ptr);
        break;
      case 3:
        c = add_link(j, ptr);
        break;
      case 4:
        c = upgrade_link(j, ptr);
        break;
      case 5:
        c = train_role(j, ptr);
        break;
      case 6:
        c = train_task(j, ptr);
        break;
      case 7:
        c = stage_means(j, ptr);
        break;
      case 8:
        c = notify_order(j, ptr);
        break;
      case 10:
        c = stage_pump(j, ptr);
        break;
      case 11:
        c = preposition_sandbags(j, ptr);
        break;
      case 9:
        c = add_notify(j, ptr);
        break;
      default:
        break;
    }
    if (r_.error_count() != errors) return std::nullopt;
    return c;
  }

  plan::AddMembers add_members(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr, {"kind", "unit", "shifts", "post", "add"}, {"kind", "unit", "add"});
    plan::AddMembers c;
    c.unit = ref(o, "unit", units_, "unit");
    c.add = static_cast<int>(o.integer("add", 1, 1000).value_or(1));
    if (const Json* sh = o.find("shifts"); sh && c.unit != kNone) {
      const Unit& u = s_.units[static_cast<std::size_t>(c.unit)];
      std::vector<std::string> names;
      for (const Shift& x : u.shifts) names.push_back(x.name);
      if (auto list = r_.strings(*sh, o.ptr("shifts"))) {
        if (list->empty()) r_.error(o.ptr("shifts"), "no shifts (leave the key out for all)");
        for (std::size_t k = 0; k < list->size(); ++k) {
          const auto it = std::find(names.begin(), names.end(), (*list)[k]);
          if (it != names.end()) {
            c.shifts.push_back(static_cast<Index>(it - names.begin()));
            continue;
          }
          const std::string guess = did_you_mean((*list)[k], names);
          r_.error(child(o.ptr("shifts"), k),
                   "unit " + quote(u.id) + " has no shift " + quote((*list)[k]) +
                       (guess.empty() ? "" : " (did you mean " + quote(guess) + "?)"));
        }
      }
    }
    if (c.unit == kNone) return c;
    const Unit& u = s_.units[static_cast<std::size_t>(c.unit)];
    if (u.shifts.empty()) r_.error(o.ptr("unit"), "unit " + quote(u.id) + " has no shifts");
    // "post": every on-site shift of the unit posted at that node.
    if (o.has("post") && o.has("shifts"))
      r_.error(o.ptr("post"), "give \"shifts\" or \"post\", not both");
    else if (const Index post = ref(o, "post", nodes_, "node"); post != kNone) {
      for (std::size_t k = 0; k < u.shifts.size(); ++k)
        if (!u.shifts[k].on_call && (u.shifts[k].post == kNone ? u.home : u.shifts[k].post) == post)
          c.shifts.push_back(static_cast<Index>(k));
      if (c.shifts.empty())
        r_.error(o.ptr("post"), "no shift of unit " + quote(u.id) + " is posted at " +
                                    quote(s_.site.nodes[static_cast<std::size_t>(post)].id));
    }
    return c;
  }

  plan::MovePost move_post(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr, {"kind", "unit", "from", "to"}, {"kind", "from", "to"});
    plan::MovePost c;
    c.unit = ref(o, "unit", units_, "unit");
    c.from = ref(o, "from", nodes_, "node");
    c.to = to_node(o, c.unit, c.from, c.placement);
    if (c.from == kNone || c.to == kNone) return c;
    if (c.from == c.to) r_.error(o.ptr("to"), "\"to\" is the same node as \"from\"");
    bool any = false;
    for (std::size_t ui = 0; ui < s_.units.size(); ++ui) {
      if (c.unit != kNone && static_cast<Index>(ui) != c.unit) continue;
      const Unit& u = s_.units[ui];
      for (const Shift& sh : u.shifts)
        any = any || (!sh.on_call && (sh.post == kNone ? u.home : sh.post) == c.from);
    }
    if (!any) {
      const std::string whose =
          c.unit == kNone ? std::string()
                          : "of unit " + quote(s_.units[static_cast<std::size_t>(c.unit)].id) + " ";
      r_.error(o.ptr("from"), "no shift " + whose + "is posted at " +
                                  quote(s_.site.nodes[static_cast<std::size_t>(c.from)].id));
    }
    return c;
  }

  /// `to`: a node id, or {"candidates": "p-median" | "p-center", "among"?: [nodes],
  /// "demand"?: [nodes]}: the best of `among` (default: the nodes of the same site as
  /// `now`) for reaching `demand` (default: every incident's node) at the unit's speeds.
  Index to_node(Obj& o, Index unit, Index now, std::string& placement) {
    const Json* v = o.find("to");
    if (!v) return kNone;
    if (!v->is_object()) return detail::resolve(r_, nodes_, *v, o.ptr("to"), "node");
    const std::size_t errors = r_.error_count();
    Obj p(r_, *v, o.ptr("to"), {"candidates", "among", "demand"}, {"candidates"});
    const auto rule = p.one_of("candidates", "placement rule", {"p-median", "p-center"});
    const auto nodes = [&](std::string_view key) {
      std::vector<Index> out;
      const Json* list = p.find(key);
      if (!list || !r_.is_array(*list, p.ptr(key))) return out;
      if (list->empty()) r_.error(p.ptr(key), "empty list (leave the key out for the default)");
      for (std::size_t k = 0; k < list->size(); ++k)
        if (Index n = detail::resolve(r_, nodes_, (*list)[k], child(p.ptr(key), k), "node");
            n != kNone)
          out.push_back(n);
      return out;
    };
    std::vector<Index> among = nodes("among"), demand = nodes("demand");
    if (unit == kNone) {
      r_.error(o.ptr("to"), "a placement needs the \"unit\" whose speeds it uses");
      return kNone;
    }
    if (!rule || r_.error_count() != errors) return kNone;
    if (!p.has("among") && now != kNone)
      for (std::size_t n = 0; n < s_.site.nodes.size(); ++n)
        if (s_.site.nodes[n].site == s_.site.nodes[static_cast<std::size_t>(now)].site)
          among.push_back(static_cast<Index>(n));
    if (!p.has("demand"))
      for (const Incident& inc : s_.incidents) demand.push_back(inc.node);
    const auto ranked =
        plan::rank_sites(s_.site, plan::mean_profile(s_, unit), demand, {}, among,
                         *rule == 0 ? plan::PlacementRule::median : plan::PlacementRule::center);
    if (ranked.empty() || !(ranked.front().score_s < detail::kInf)) {
      r_.error(o.ptr("to"), "no candidate node reaches every demand node");
      return kNone;
    }
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s of %zu candidates for %zu demand nodes: %s (%s %.0f s)",
                  *rule == 0 ? "p-median" : "p-center", ranked.size(), demand.size(),
                  s_.site.nodes[static_cast<std::size_t>(ranked.front().node)].id.c_str(),
                  *rule == 0 ? "sum" : "max", ranked.front().score_s);
    placement = buf;
    return ranked.front().node;
  }

  plan::MoveHome move_home(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr, {"kind", "unit", "to"}, {"kind", "unit", "to"});
    plan::MoveHome c;
    c.unit = ref(o, "unit", units_, "unit");
    c.to = to_node(o, c.unit,
                   c.unit == kNone ? kNone : s_.units[static_cast<std::size_t>(c.unit)].home,
                   c.placement);
    if (c.unit != kNone && c.to != kNone && s_.units[static_cast<std::size_t>(c.unit)].home == c.to)
      r_.error(o.ptr("to"), "the unit's home is already there");
    return c;
  }

  plan::AddLink add_link(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr,
          {"kind", "id", "from", "to", "channel", "delay_s", "failure_probability", "retry_s",
           "max_attempts", "bidirectional", "ack_s"},
          {"kind", "id", "from", "to", "channel", "delay_s"});
    plan::AddLink c;
    CommsLink& l = c.link;
    if (auto id = o.str("id")) {
      if (!detail::valid_id(*id))
        r_.error(o.ptr("id"), "invalid id " + quote(*id) +
                                  " (use only letters A-Z a-z, digits and \"_\", \".\", \"-\")");
      else if (links_.find(*id) != kNone || links_added_.count(*id))
        r_.error(o.ptr("id"), "the scenario or this option already has a link " + quote(*id) +
                                  " (use \"upgrade_link\" to change it)");
      else if (const auto it = links_by_option_.find(*id); it != links_by_option_.end())
        // Both could be chosen together: two links with one id, and upgrade_link or a
        // knock-out naming it would not know which.
        r_.error(o.ptr("id"), "option " + quote(it->second) + " already adds a link " + quote(*id) +
                                  " (give each added link its own id)");
      l.id = *id;
    }
    l.from_role = ref(o, "from", roles_, "role");
    l.to_role = ref(o, "to", roles_, "role");
    if (l.from_role != kNone && l.from_role == l.to_role)
      r_.error(o.ptr("to"), "the link connects a role to itself (\"from\" and \"to\" must differ)");
    if (auto v = o.one_of("channel", "channel", kChannels)) l.channel = static_cast<Channel>(*v);
    if (auto d = dist(o, "delay_s")) l.delay_s = *d;
    if (auto v = o.number("failure_probability", {0.0, false, 1.0, true}))
      l.failure_probability = *v;
    if (auto d = dist(o, "retry_s")) l.retry_s = *d;
    if (auto v = o.integer("max_attempts", 1)) l.max_attempts = static_cast<int>(*v);
    if (o.has("ack_s")) l.ack_s = dist(o, "ack_s");
    c.bidirectional = o.boolean("bidirectional").value_or(false);
    links_added_.insert(l.id);
    links_by_option_.emplace(l.id, option_id_);
    added_pairs_.insert({l.from_role, l.to_role});
    if (c.bidirectional) added_pairs_.insert({l.to_role, l.from_role});
    return c;
  }

  plan::UpgradeLink upgrade_link(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr,
          {"kind", "link", "channel", "delay_s", "delay_factor", "failure_probability", "retry_s",
           "max_attempts", "ack_s"},
          {"kind", "link"});
    plan::UpgradeLink c;
    if (ref(o, "link", links_, "link") != kNone) c.link = *o.str("link");
    if (auto v = o.one_of("channel", "channel", kChannels)) c.channel = static_cast<Channel>(*v);
    c.delay = delay_change(o, "delay");
    c.failure_probability = o.number("failure_probability", {0.0, false, 1.0, true});
    c.retry_s = dist(o, "retry_s");
    if (auto v = o.integer("max_attempts", 1)) c.max_attempts = static_cast<int>(*v);
    c.ack_s = dist(o, "ack_s");
    if (!c.channel && !c.delay.changes() && !c.failure_probability && !c.retry_s &&
        !c.max_attempts && !c.ack_s)
      r_.error(ptr,
               "the upgrade changes nothing (give at least one of channel, delay_s, "
               "delay_factor, failure_probability, retry_s, max_attempts, ack_s)");
    return c;
  }

  plan::TrainRole train_role(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr,
          {"kind", "role", "reaction_s", "reaction_factor", "answer_s", "answer_factor",
           "on_call_answer_s", "on_call_answer_factor"},
          {"kind", "role"});
    plan::TrainRole c;
    c.role = ref(o, "role", roles_, "role");
    c.reaction = delay_change(o, "reaction");
    c.answer = delay_change(o, "answer");
    c.on_call_answer = delay_change(o, "on_call_answer");
    if (!c.reaction.changes() && !c.answer.changes() && !c.on_call_answer.changes())
      r_.error(ptr,
               "the training changes nothing (give a reaction, answer or on_call_answer "
               "_s or _factor)");
    return c;
  }

  plan::TrainTask train_task(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr, {"kind", "protocol", "task", "duration_s", "duration_factor"},
          {"kind", "task"});
    plan::TrainTask c;
    c.protocol = ref(o, "protocol", protocols_, "protocol");
    c.duration = delay_change(o, "duration");
    if (!c.duration.changes())
      r_.error(ptr, "the training changes nothing (give duration_s or duration_factor)");
    if (auto t = o.str("task")) {
      c.task = *t;
      std::vector<std::string> ids;
      for (std::size_t p = 0; p < s_.protocols.size(); ++p) {
        if (c.protocol != kNone && static_cast<Index>(p) != c.protocol) continue;
        for (const TaskDef& td : s_.protocols[p].tasks) ids.push_back(td.id);
      }
      if (o.has("protocol") && c.protocol == kNone) return c;  // reported already
      if (std::find(ids.begin(), ids.end(), *t) == ids.end()) {
        const std::string guess = did_you_mean(*t, ids);
        r_.error(o.ptr("task"), "unknown task " + quote(*t) +
                                    (guess.empty() ? "" : " (did you mean " + quote(guess) + "?)"));
      }
      // A flood work lasts its amount over its people: its duration_s is not used.
      for (const Incident& inc : s_.incidents) {
        if (!inc.flood || inc.protocol == kNone ||
            (c.protocol != kNone && c.protocol != inc.protocol))
          continue;
        const Protocol& pr = s_.protocols[static_cast<std::size_t>(inc.protocol)];
        for (const FloodWork& w : inc.flood->works)
          if (w.task != kNone && pr.tasks[static_cast<std::size_t>(w.task)].id == *t) {
            r_.error(o.ptr("task"), "task " + quote(*t) + " is a flood work of incident " +
                                        quote(inc.id) +
                                        ": it lasts its amount over its people, so training "
                                        "its duration changes nothing (change the work's rate)");
            return c;
          }
      }
    }
    return c;
  }

  /// The flood incidents a change goes to (`incident`, or all) that pass `has`; an error
  /// when there are none.
  template <class Has>
  std::vector<Index> floods_with(Obj& o, Index incident, const std::string& what, Has&& has) {
    std::vector<Index> out;
    for (std::size_t i = 0; i < s_.incidents.size(); ++i)
      if (s_.incidents[i].flood && (incident == kNone || incident == static_cast<Index>(i)) &&
          has(*s_.incidents[i].flood))
        out.push_back(static_cast<Index>(i));
    if (out.empty())
      r_.error(o.ptr(), incident != kNone
                            ? "incident " +
                                  quote(s_.incidents[static_cast<std::size_t>(incident)].id) +
                                  " is not a flood with " + what
                            : "no flood incident of the scenario has " + what);
    return out;
  }

  plan::StagePump stage_pump(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr,
          {"kind", "incident", "id", "name", "name_en", "cell", "to", "capacity_m3_h", "power",
           "fuel_h"},
          {"kind", "id", "cell", "capacity_m3_h"});
    plan::StagePump c;
    c.incident = ref(o, "incident", incidents_, "incident");
    FloodPump& p = c.pump;
    p.id = o.str("id").value_or("");
    p.name = o.str("name").value_or("");
    p.name_en = o.str("name_en").value_or("");
    p.capacity_m3s = o.number("capacity_m3_h", {0.0, true, 360000.0, false}).value_or(0) / 3600.0;
    if (auto x = o.one_of("power", "pump power", {"grid", "engine"}))
      p.power = *x == 0 ? PumpPower::grid : PumpPower::engine;
    p.fuel_h = o.number("fuel_h", detail::kNonNegative).value_or(0);
    if (p.power == PumpPower::engine && !o.has("fuel_h"))
      r_.error(ptr, "an engine pump needs \"fuel_h\" (hours it runs on a full tank)");
    c.cell = o.str("cell").value_or("");
    c.to = o.str("to").value_or("outside");
    if (c.to == "outside") c.to.clear();
    if (o.has("cell") && c.cell.empty()) r_.error(o.ptr("cell"), "must name a flood cell");
    if (!c.to.empty() && c.to == c.cell)
      r_.error(o.ptr("to"), "a pump must move water to another cell or outside");
    // As the scenario reader: a pump cannot draw on the river (a boundary cell).
    auto has_cell = [](const FloodDef& f, const std::string& id, bool source) {
      return std::any_of(f.cells.begin(), f.cells.end(), [&](const FloodCell& x) {
        return x.id == id && !(source && x.kind == FloodCellKind::boundary);
      });
    };
    if (!c.cell.empty())
      (void)floods_with(o, c.incident, "a cell " + quote(c.cell) + " a pump may draw from",
                        [&](const FloodDef& f) {
                          return has_cell(f, c.cell, true) &&
                                 (c.to.empty() || has_cell(f, c.to, false));
                        });
    return c;
  }

  plan::PrepositionSandbags preposition_sandbags(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr, {"kind", "incident", "link", "height_m"}, {"kind", "link", "height_m"});
    plan::PrepositionSandbags c;
    c.incident = ref(o, "incident", incidents_, "incident");
    c.link = o.str("link").value_or("");
    c.height_m = o.number("height_m", {0.0, true, 100.0, false}).value_or(0);
    if (o.has("link") && c.link.empty()) r_.error(o.ptr("link"), "must name a flood weir");
    if (!c.link.empty())
      (void)floods_with(o, c.incident, "a weir " + quote(c.link), [&](const FloodDef& f) {
        return std::any_of(f.links.begin(), f.links.end(), [&](const FloodLink& l) {
          return l.id == c.link && l.kind == FloodLinkKind::weir;
        });
      });
    return c;
  }

  plan::StageMeans stage_means(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr,
          {"kind", "incident", "id", "name", "name_en", "means_kind", "node", "units", "tasks",
           "count", "max_hrr_kw", "setup_s"},
          {"kind", "id", "name", "means_kind", "node", "max_hrr_kw"});
    plan::StageMeans c;
    c.incident = ref(o, "incident", incidents_, "incident");
    FireMeans& m = c.means;
    m.id = o.str("id").value_or("");
    m.name = o.str("name").value_or("");
    m.name_en = o.str("name_en").value_or("");
    m.kind = o.str("means_kind").value_or("");
    m.node = ref(o, "node", nodes_, "node");
    m.count = static_cast<int>(o.integer("count", 1, 1000).value_or(1));
    m.max_hrr_kw = o.number("max_hrr_kw", detail::kPositive).value_or(0);
    if (auto d = dist(o, "setup_s")) m.setup_s = *d;
    if (const Json* us = o.find("units"); us && r_.is_array(*us, o.ptr("units")))
      for (std::size_t k = 0; k < us->size(); ++k) {
        const Index u = detail::resolve(r_, units_, (*us)[k], child(o.ptr("units"), k), "unit");
        if (u != kNone) m.units.push_back(u);
      }
    // The incidents it goes to: fire incidents only, and each must have the tasks named.
    std::vector<Index> fires;
    for (std::size_t i = 0; i < s_.incidents.size(); ++i)
      if (s_.incidents[i].fire && (c.incident == kNone || c.incident == static_cast<Index>(i)))
        fires.push_back(static_cast<Index>(i));
    if (c.incident != kNone && fires.empty())
      r_.error(o.ptr("incident"), "incident " +
                                      quote(s_.incidents[static_cast<std::size_t>(c.incident)].id) +
                                      " is not a fire");
    else if (!o.has("incident") && fires.empty())
      r_.error(ptr, "the scenario has no fire incident to stage the means for");
    if (auto ts = o.find("tasks") ? r_.strings(*o.find("tasks"), o.ptr("tasks")) : std::nullopt) {
      for (std::size_t k = 0; k < ts->size(); ++k) {
        const std::string& id = (*ts)[k];
        for (Index f : fires) {
          const Incident& inc = s_.incidents[static_cast<std::size_t>(f)];
          std::vector<std::string> ids;
          if (inc.protocol != kNone)
            for (const TaskDef& td : s_.protocols[static_cast<std::size_t>(inc.protocol)].tasks)
              ids.push_back(td.id);
          if (std::find(ids.begin(), ids.end(), id) != ids.end()) continue;
          const std::string guess = did_you_mean(id, ids);
          r_.error(child(o.ptr("tasks"), k),
                   "the protocol of fire incident " + quote(inc.id) + " has no task " + quote(id) +
                       (guess.empty() ? "" : " (did you mean " + quote(guess) + "?)"));
          break;
        }
        c.task_ids.push_back(id);
      }
    }
    for (Index f : fires) {
      const FireDef& fd = *s_.incidents[static_cast<std::size_t>(f)].fire;
      for (const FireMeans& x : fd.means)
        if (x.id == m.id)
          r_.error(o.ptr("id"), "fire incident " +
                                    quote(s_.incidents[static_cast<std::size_t>(f)].id) +
                                    " already has means " + quote(m.id));
    }
    return c;
  }

  /// The rule of `role` in `protocol`, or nullptr.
  const Rule* rule_of(Index protocol, Index role) const {
    for (const Rule& r : s_.protocols[static_cast<std::size_t>(protocol)].rules)
      if (r.role == role) return &r;
    return nullptr;
  }

  plan::NotifyOrder notify_order(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr, {"kind", "protocol", "role", "order"}, {"kind", "protocol", "role", "order"});
    plan::NotifyOrder c;
    c.protocol = ref(o, "protocol", protocols_, "protocol");
    c.role = ref(o, "role", roles_, "role");
    const Json* ord = o.find("order");
    if (!ord || !r_.is_array(*ord, o.ptr("order"))) return c;
    for (std::size_t k = 0; k < ord->size(); ++k)
      c.order.push_back(detail::resolve(r_, roles_, (*ord)[k], child(o.ptr("order"), k), "role"));
    if (c.protocol == kNone || c.role == kNone) return c;
    const Rule* rule = rule_of(c.protocol, c.role);
    if (!rule) {
      r_.error(o.ptr("role"), "role " + quote(s_.roles[static_cast<std::size_t>(c.role)].id) +
                                  " has no rule in protocol " +
                                  quote(s_.protocols[static_cast<std::size_t>(c.protocol)].id));
      return c;
    }
    std::vector<Index> now;
    for (const Action& a : rule->actions)
      if (a.kind == ActionKind::notify) now.push_back(a.role);
    std::vector<Index> want = c.order, have = now;
    std::sort(want.begin(), want.end());
    std::sort(have.begin(), have.end());
    if (want != have) {
      std::string list;
      for (Index x : now)
        list += (list.empty() ? "" : ", ") + quote(s_.roles[static_cast<std::size_t>(x)].id);
      r_.error(o.ptr("order"),
               "must list the roles the rule notifies now, each once, in the new "
               "order: " +
                   list);
    }
    return c;
  }

  plan::AddNotify add_notify(const Json& j, const std::string& ptr) {
    Obj o(r_, j, ptr, {"kind", "protocol", "role", "notify", "position"},
          {"kind", "protocol", "role", "notify"});
    plan::AddNotify c;
    c.protocol = ref(o, "protocol", protocols_, "protocol");
    c.role = ref(o, "role", roles_, "role");
    c.notify = ref(o, "notify", roles_, "role");
    c.position = static_cast<int>(o.integer("position", 0, 1000).value_or(1000));
    if (c.role == kNone || c.notify == kNone) return c;
    if (c.role == c.notify) r_.error(o.ptr("notify"), "a role cannot notify itself");
    bool linked = added_pairs_.count({c.role, c.notify}) > 0;
    for (const CommsLink& l : s_.links)
      linked = linked || (l.from_role == c.role && l.to_role == c.notify);
    if (!linked)
      r_.error(o.ptr("notify"), "no comms link from " +
                                    quote(s_.roles[static_cast<std::size_t>(c.role)].id) + " to " +
                                    quote(s_.roles[static_cast<std::size_t>(c.notify)].id) +
                                    " in the scenario or earlier in this option (add one with "
                                    "\"add_link\")");
    if (c.protocol != kNone)
      if (const Rule* rule = rule_of(c.protocol, c.role))
        for (const Action& a : rule->actions)
          if (a.kind == ActionKind::notify && a.role == c.notify)
            r_.error(o.ptr("notify"), "the rule already notifies this role (use \"notify_order\")");
    return c;
  }

  Reader& r_;
  const Scenario& s_;
  IdTable nodes_, units_, roles_, protocols_, incidents_, links_;
  std::set<std::string> links_added_;
  std::map<std::string, std::string> links_by_option_;  ///< added link id → option id
  std::string option_id_;                               ///< of the option being read
  std::set<std::pair<Index, Index>> added_pairs_;
};

void parse_into(const std::string& text, const Scenario& s, OptionsLoadResult& result) {
  Diagnostics& diag = result.diagnostics;
  if (text.size() > kMaxBytes) {
    diag.error("", "the file is too large (" + std::to_string(text.size()) + " bytes)");
    return;
  }
  if (const std::size_t at = detail::too_deep(text, kMaxDepth); at != std::string::npos) {
    diag.error("", "invalid JSON: nested deeper than " + std::to_string(kMaxDepth) +
                       " levels (byte " + std::to_string(at) + ")");
    return;
  }
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::exception& e) {
    std::string what = e.what();
    if (auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    diag.error("", "invalid JSON: " + detail::sanitize_utf8(what, 200));
    return;
  }
  Reader reader(diag);
  OptionsReader rd(reader, s);
  auto options = rd.read(root);
  if (!diag.has_errors()) result.options = std::move(options);
}

}  // namespace

OptionsLoadResult parse_options(const std::string& text, const Scenario& s) {
  OptionsLoadResult result;
  try {
    parse_into(text, s, result);
  } catch (const std::exception& e) {
    result.options.reset();
    result.diagnostics.error("", std::string("internal error while reading the options: ") +
                                     detail::sanitize_utf8(e.what(), 200));
  }
  return result;
}

OptionsLoadResult load_options(const std::string& path, const Scenario& s) {
  OptionsLoadResult result;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    result.diagnostics.error("", std::string("cannot open the file: ") + std::strerror(errno));
    return result;
  }
  std::string text;
  char buf[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && text.size() <= kMaxBytes)
    text.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) {
    result.diagnostics.error("", "cannot read the file");
    return result;
  }
  return parse_options(text, s);
}

}  // namespace hqdrill::io
