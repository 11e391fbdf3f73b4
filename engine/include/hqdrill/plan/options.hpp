// Plan options (issue #9): changes a planner could make to next year's plan, each with a
// cost, applied to a loaded Scenario in memory. The I/O library reads them from a file
// ("hqdrill.options/1", docs/options-format.md); tests build them in code. Every kind
// maps onto fields the scenario already has (scenario.hpp); nothing here invents a new
// mechanism in the simulation.
//
// Invariants (the reader guarantees them for parsed files): every index is in range for
// the scenario the options were read against, distributions pass Distribution::check(),
// factors are > 0, add_members.add >= 1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "hqdrill/scenario.hpp"

namespace hqdrill::plan {

/// What an option costs. Every dimension is optional in the file (0 when absent); the
/// planner budgets and plots one of them.
struct Cost {
  double people = 0;     ///< extra people (headcount) the option needs
  double hours = 0;      ///< person-hours of work or training
  double money_vnd = 0;  ///< money, Vietnamese dong
};

enum class CostDim : std::uint8_t { people, hours, money_vnd };
const char* to_string(CostDim d);
/// "people", "hours" or "money_vnd"; nullopt for anything else.
std::optional<CostDim> cost_dim_from(const std::string& name);
double cost_in(const Cost& c, CostDim d);
Cost operator+(const Cost& a, const Cost& b);

/// A delay that an option replaces by a new distribution or scales by a factor
/// (Distribution::scaled: a draw of the same stream gives factor times the old draw).
struct DelayChange {
  std::optional<Distribution> replace;  ///< wins over factor
  double factor = 1.0;
  bool changes() const { return replace.has_value() || factor != 1.0; }
  Distribution applied_to(const Distribution& d) const;
};

/// Hire `add` more members of `unit` and put them on `shifts` (indices into the unit's
/// shifts; empty = every shift): Shift::headcount += add on each, Unit::members += add.
struct AddMembers {
  Index unit = kNone;
  std::vector<Index> shifts;
  int add = 1;
};

/// Move a post: every shift posted at `from` (of `unit`, or of any unit when kNone; a
/// shift with no post counts as posted at its unit's home) is posted at `to`, and every
/// Post at `from` is at `to`.
struct MovePost {
  Index unit = kNone;
  Index from = kNone, to = kNone;
  std::string placement;  ///< how `to` was chosen when the file asked (plan/placement.hpp)
};

/// Move a unit's home (its staging point: where off-post members muster and where shifts
/// without a post of their own stand) to `to`; the callout origin moves too when it was
/// the home.
struct MoveHome {
  Index unit = kNone;
  Index to = kNone;
  std::string placement;  ///< how `to` was chosen when the file asked (plan/placement.hpp)
};

/// A new comms link (and its reverse when `bidirectional`, id suffixed "~rev" as the
/// scenario reader does). It is inserted before the existing links between the same two
/// roles, so it is the link a notify uses (the engine takes the first link from → to).
struct AddLink {
  CommsLink link;
  bool bidirectional = false;
};

/// A better existing link: every typed link with this id or id + "~rev" gets the given
/// fields; `delay` scales or replaces the delay.
struct UpgradeLink {
  std::string link;  ///< the file's link id
  std::optional<Channel> channel;
  DelayChange delay;
  std::optional<double> failure_probability;
  std::optional<Distribution> retry_s;
  std::optional<int> max_attempts;
  std::optional<Distribution> ack_s;
};

/// Training of a role: its reaction and answer times scaled or replaced.
struct TrainRole {
  Index role = kNone;
  DelayChange reaction, answer, on_call_answer;
};

/// Training of a task's crew: its duration scaled or replaced, in `protocol` (kNone:
/// every protocol that has a task with this id).
struct TrainTask {
  Index protocol = kNone;
  std::string task;
  DelayChange duration;
};

/// A means of fighting fire kept at a node (FireMeans) added to a fire incident
/// (kNone: every fire incident). `tasks` are task ids of the incident's protocol.
struct StageMeans {
  Index incident = kNone;
  FireMeans means;  ///< `tasks` left empty here; filled from task_ids per incident
  std::vector<std::string> task_ids;
};

/// New order of the notify actions of `role`'s rule in `protocol`: `order` is a
/// permutation of the role's current notify targets, put into the notify slots in turn
/// (dispatch and task actions keep their places).
struct NotifyOrder {
  Index protocol = kNone;
  Index role = kNone;
  std::vector<Index> order;
};

/// A new notify action: `role` (who gets a rule if it has none) tells `notify`, at
/// `position` in the rule's actions (0 = first; past the end = last).
struct AddNotify {
  Index protocol = kNone;
  Index role = kNone;
  Index notify = kNone;
  int position = 0;
};

/// A pump set ready in a flood cell (FloodPump with no ready task), added to every flood
/// incident that has a cell `cell` (or to `incident`); `to` is a cell id or "" (outside).
struct StagePump {
  Index incident = kNone;
  FloodPump pump;  ///< from/to filled per incident from the ids
  std::string cell, to;
};

/// Sandbags (or flood boards) kept in place on a flood weir all season: its barrier_m
/// becomes at least `height_m`, in every flood incident with a link `link` (or `incident`).
struct PrepositionSandbags {
  Index incident = kNone;
  std::string link;
  double height_m = 0;
};

using Change =
    std::variant<AddMembers, MovePost, MoveHome, AddLink, UpgradeLink, TrainRole, TrainTask,
                 StageMeans, NotifyOrder, AddNotify, StagePump, PrepositionSandbags>;

/// The file's name of each change kind ("add_members", ...), in Change's order.
const char* change_kind(const Change& c);

struct PlanOption {
  std::string id;
  std::string name, name_en;
  Index owner = kNone;  ///< role answerable for it, as the file says; kNone: see owner_of
  Cost cost;
  std::vector<Change> changes;  ///< applied in order
};

/// The role answerable for carrying the option out: `o.owner` when given, else derived
/// from its first change that names one (docs/options-format.md): train_role its role;
/// add_link and upgrade_link the link's sender; add_notify and notify_order the notifying
/// role; add_members, move_home and move_post the first role held by the unit (move_post
/// without a unit: by the first unit with a shift posted at `from`); train_task the task's
/// owner; stage_means the first role of its first unit, else the owner of its first task;
/// stage_pump and preposition_sandbags the highest command role of the flood incident's
/// protocol. None of these: the highest command role of the first protocol that has a
/// command chain; kNone when the scenario has none.
Index owner_of(const Scenario& s, const PlanOption& o);

/// Applies one option to `s` in place.
void apply_option(Scenario& s, const PlanOption& o);

/// `s` with the options whose bits are set in `mask` (bit i = options[i]) applied in
/// index order. At most 64 options.
Scenario with_options(const Scenario& s, const std::vector<PlanOption>& options,
                      std::uint64_t mask);

Cost cost_of(const std::vector<PlanOption>& options, std::uint64_t mask);

/// Whether applying `o` can change what incident `incident` of `s` simulates. False only
/// when the option touches nothing the incident reads: roles in play (its detector, the
/// protocol's rule roles, notify targets, task owners and command; a fire's detector,
/// patrol and occupant roles), the units that hold them or that the incident names
/// (patrol, means, fire police, gate defenders, commitments), its protocol's rules and
/// tasks, its fire's means; a link matters only when the protocol has its sender notify
/// its receiver (the engine uses links for nothing else). Added members matter only while a shift
/// that gains them is on duty within the incident's horizon (checked minute by minute), or at any
/// time when the unit can call members in. `s` must be the scenario with every option the caller
/// may combine already applied (roles only ever come into play by options, never leave it).
/// Conservative: used to reuse an incident's runs between plans that differ only in
/// options it cannot see (tests/test_plan.cpp checks it against real runs).
bool may_affect(const Scenario& s, const PlanOption& o, Index incident);

}  // namespace hqdrill::plan
