#include "hqdrill/sim/flood_incident.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "hqdrill/flood/cells.hpp"

namespace hqdrill {

const char* to_string(BarrierState b) {
  switch (b) {
    case BarrierState::none:
      return "none";
    case BarrierState::building:
      return "building";
    case BarrierState::up:
      return "up";
    case BarrierState::overtopped:
      return "overtopped";
  }
  return "?";
}

namespace {

bool is_building(FloodCellKind k) {
  return k == FloodCellKind::building || k == FloodCellKind::basement;
}

}  // namespace

struct FloodIncident::Impl {
  const FloodDef& f;
  std::unique_ptr<flood::CellNetwork> net;
  std::vector<int> weir_of;  ///< per flood link: weir index in net, or -1 (an orifice)
  std::vector<double> built_m;
  std::vector<char> building;  ///< per link: a sandbag work on it is under way
  std::vector<char> failed;
  std::vector<double> moved;  ///< per cell: share of its records carried away
  std::vector<char> damaged;
  double lost = 0, at_risk = 0;
  std::vector<char> pump_ready;
  std::vector<double> pump_fuel_s;  ///< engine pumps: running time left
  bool grid = true;
  bool generator = false;
  double generator_fuel_s = 0;
  std::vector<SimTime> entered;
  std::vector<double> max_depth;
  std::vector<int> pass;
  double above_s = 0;
  SimTime t = 0;

  explicit Impl(const FloodDef& def) : f(def) {
    flood::CellNetworkSpec n;
    for (const FloodCell& c : f.cells) {
      n.cells.push_back({c.id, c.area_m2, c.ground_m, c.initial_depth_m});
      n.runoff_coeff.push_back(c.runoff_coeff);
      n.catchment_m2.push_back(c.catchment_m2);
    }
    for (const FloodLink& l : f.links) {
      const int to = l.to == kNone ? flood::kOutside : l.to;
      if (l.kind == FloodLinkKind::weir) {
        weir_of.push_back(static_cast<int>(n.weirs.size()));
        n.weirs.push_back({l.from, to, l.crest_m + l.barrier_m, l.length_m, l.coeff});
      } else {
        weir_of.push_back(-1);
        n.orifices.push_back({l.from, to, l.invert_m, l.area_m2, l.cd});
      }
    }
    for (const FloodPump& p : f.pumps) {
      n.pumps.push_back({p.from, p.to == kNone ? flood::kOutside : p.to, p.capacity_m3s, false});
      pump_ready.push_back(p.ready_task == kNone ? 1 : 0);
      pump_fuel_s.push_back(p.fuel_h * 3600.0);
    }
    n.rain_mm_h = f.rain_mm_h;
    flood::Series boundary;
    for (const auto& [ts, level] : f.stage_m.points)
      boundary.points.push_back({ts, level + f.gauge_to_site_m});
    for (std::size_t c = 0; c < f.cells.size(); ++c)
      if (f.cells[c].kind == FloodCellKind::boundary)
        n.boundary_levels.push_back({static_cast<int>(c), boundary});
    n.max_dt_s = f.max_dt_s;
    net = std::make_unique<flood::CellNetwork>(std::move(n));

    built_m.assign(f.links.size(), 0.0);
    building.assign(f.links.size(), 0);
    failed.assign(f.links.size(), 0);
    moved.assign(f.cells.size(), 0.0);
    damaged.assign(f.cells.size(), 0);
    for (const FloodCell& c : f.cells)
      if (c.records) at_risk += c.records->amount;
    entered.assign(f.cells.size(), kNever);
    max_depth.assign(f.cells.size(), 0.0);
    pass.assign(f.cells.size(), 0);
    for (std::size_t c = 0; c < f.cells.size(); ++c) {
      max_depth[c] = net->depth_m(static_cast<int>(c));
      pass[c] = 0;  // the first advance (at t = 0) reports cells already too deep
    }
    apply_pumps();
  }

  int passability_of(double depth) const {
    return depth >= f.foot_limit_m ? 2 : depth >= f.vehicle_limit_m ? 1 : 0;
  }

  double barrier_height(std::size_t l) const {
    return failed[l] ? 0.0 : f.links[l].barrier_m + built_m[l];
  }

  void apply_pumps() {
    for (std::size_t p = 0; p < f.pumps.size(); ++p) {
      const FloodPump& pump = f.pumps[p];
      bool powered = pump.power == PumpPower::grid ? grid || (generator && generator_fuel_s > 0)
                                                   : pump_fuel_s[p] > 0;
      net->set_pump_on(static_cast<int>(p), pump_ready[p] && powered);
    }
  }

  void advance(SimTime to, FloodChanges& out) {
    const double dt = ms_to_seconds(to - t);
    for (std::size_t l = 0; l < f.links.size(); ++l)
      if (weir_of[l] >= 0) net->set_weir_crest(weir_of[l], f.links[l].crest_m + barrier_height(l));
    apply_pumps();
    // An engine pump runs (on its float switch) through a step whose start finds water in
    // its sump: that step's fuel is burnt.
    std::vector<char> wet(f.pumps.size(), 0);
    for (std::size_t p = 0; p < f.pumps.size(); ++p) wet[p] = net->depth_m(f.pumps[p].from) > 1e-3;
    net->advance_to(ms_to_seconds(to));
    for (std::size_t p = 0; p < f.pumps.size(); ++p) {
      const FloodPump& pump = f.pumps[p];
      if (pump.power == PumpPower::engine && pump_ready[p] && pump_fuel_s[p] > 0 && wet[p])
        pump_fuel_s[p] = std::max(0.0, pump_fuel_s[p] - dt);
    }
    if (generator && !grid) generator_fuel_s = std::max(0.0, generator_fuel_s - dt);
    t = to;

    bool any_above = false;
    for (std::size_t c = 0; c < f.cells.size(); ++c) {
      const FloodCell& cell = f.cells[c];
      const double h = net->depth_m(static_cast<int>(c));
      max_depth[c] = std::max(max_depth[c], h);
      if (is_building(cell.kind)) {
        if (entered[c] == kNever && h >= f.entry_depth_m) {
          entered[c] = to;
          out.entered.push_back(static_cast<Index>(c));
        }
        any_above = any_above || h >= f.damage_depth_m;
      }
      if (cell.records && !damaged[c] && h >= cell.records->damage_depth_m) {
        damaged[c] = 1;
        lost += cell.records->amount * (1.0 - std::clamp(moved[c], 0.0, 1.0));
      }
      const int p = passability_of(h);
      if (p != pass[c]) {
        pass[c] = p;
        out.passability.push_back({static_cast<Index>(c), p});
      }
    }
    if (any_above) above_s += dt;

    // A sandbag barrier the water rises over fails (sandbag walls are not built to be
    // overtopped: USACE, Sandbagging Techniques, 2004).
    for (std::size_t l = 0; l < f.links.size(); ++l) {
      if (weir_of[l] < 0 || failed[l] || barrier_height(l) <= 0) continue;
      const FloodLink& link = f.links[l];
      const double crest = link.crest_m + barrier_height(l);
      const double up = std::max(
          net->level_m(link.from),
          link.to == kNone ? -std::numeric_limits<double>::infinity() : net->level_m(link.to));
      if (up > crest) {
        failed[l] = 1;
        out.overtopped.push_back(static_cast<Index>(l));
      }
    }
  }
};

FloodIncident::FloodIncident(const Scenario& s, Index incident)
    : impl_(std::make_unique<Impl>(*s.incidents[static_cast<std::size_t>(incident)].flood)) {}

FloodIncident::~FloodIncident() = default;

SimTime FloodIncident::step_ms() const {
  return std::max<SimTime>(1, seconds_to_ms(impl_->f.step_s));
}

void FloodIncident::advance(SimTime t, FloodChanges& out) {
  impl_->advance(t, out);
}

void FloodIncident::set_barrier_built(Index link, double height_m, bool building) {
  impl_->built_m[static_cast<std::size_t>(link)] = std::max(0.0, height_m);
  impl_->building[static_cast<std::size_t>(link)] = building ? 1 : 0;
}

void FloodIncident::set_records_moved(Index cell, double fraction) {
  impl_->moved[static_cast<std::size_t>(cell)] = fraction;
}

void FloodIncident::set_grid(bool on) {
  impl_->grid = on;
}

void FloodIncident::start_generator(double fuel_h) {
  impl_->generator = true;
  impl_->generator_fuel_s = fuel_h * 3600.0;
}

void FloodIncident::set_pump_ready(Index pump) {
  impl_->pump_ready[static_cast<std::size_t>(pump)] = 1;
}

void FloodIncident::add_rain_area(Index cell, double m2) {
  impl_->net->add_runoff_area(cell, m2);
}

double FloodIncident::depth_m(Index cell) const {
  return impl_->net->depth_m(cell);
}

double FloodIncident::stage_m() const {
  return impl_->f.stage_m.linear(ms_to_seconds(impl_->t));
}

int FloodIncident::passability(Index cell) const {
  return impl_->pass[static_cast<std::size_t>(cell)];
}

BarrierState FloodIncident::barrier(Index link) const {
  const auto l = static_cast<std::size_t>(link);
  if (impl_->failed[l]) return BarrierState::overtopped;
  if (impl_->building[l]) return BarrierState::building;
  if (impl_->barrier_height(l) <= 0) return BarrierState::none;
  return BarrierState::up;
}

bool FloodIncident::grid_on() const {
  return impl_->grid;
}

FloodFrame FloodIncident::frame() const {
  FloodFrame fr;
  fr.t = impl_->t;
  for (std::size_t c = 0; c < impl_->f.cells.size(); ++c)
    fr.depth_m.push_back(static_cast<float>(impl_->net->depth_m(static_cast<int>(c))));
  fr.stage_m = static_cast<float>(stage_m());
  for (std::size_t l = 0; l < impl_->f.links.size(); ++l)
    fr.barriers.push_back(static_cast<std::uint8_t>(barrier(static_cast<Index>(l))));
  return fr;
}

double FloodIncident::volume_residual_m3() const {
  return impl_->net->volume_residual_m3();
}

SimTime FloodIncident::first_entry(Index cell) const {
  return impl_->entered[static_cast<std::size_t>(cell)];
}

double FloodIncident::max_depth_m(Index cell) const {
  return impl_->max_depth[static_cast<std::size_t>(cell)];
}

double FloodIncident::time_above_threshold_s() const {
  return impl_->above_s;
}

int FloodIncident::barriers_failed() const {
  int n = 0;
  for (char x : impl_->failed) n += x;
  return n;
}

std::optional<double> FloodIncident::records_lost_fraction() const {
  if (impl_->at_risk <= 0) return std::nullopt;
  return impl_->lost / impl_->at_risk;
}

}  // namespace hqdrill
