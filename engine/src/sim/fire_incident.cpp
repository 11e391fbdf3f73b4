#include "hqdrill/sim/fire_incident.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "hqdrill/core/distribution.hpp"
#include "hqdrill/fire/detection.hpp"
#include "hqdrill/fire/zone.hpp"
#include "hqdrill/forces/roster.hpp"

namespace hqdrill {

const char* to_string(FireCue c) {
  switch (c) {
    case FireCue::detector:
      return "detector";
    case FireCue::patrol:
      return "patrol";
    case FireCue::occupants:
      return "occupants";
  }
  return "?";
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// The two-zone network of a fire definition (rooms and vents in the same order).
fire::NetworkSpec network_spec(const FireDef& f, double growth_factor) {
  fire::NetworkSpec n;
  for (const FireRoom& r : f.rooms) {
    fire::NetRoomSpec room;
    room.id = r.id;
    room.floor_area_m2 = r.floor_area_m2;
    room.perimeter_m = r.perimeter_m;
    room.height_m = r.height_m;
    room.floor_elevation_m = r.floor_elevation_m;
    room.lining = r.lining;
    room.fuel = r.fuel;
    // A faster or slower fire than the room's nominal growth: alpha x f, or a curve
    // reaching each HRR sqrt(f) times sooner (the same as alpha x f for t-squared).
    if (room.fuel && growth_factor != 1.0) {
      room.fuel->alpha_kw_per_s2 *= growth_factor;
      for (fire::HrrPoint& p : room.fuel->curve) p.time_s /= std::sqrt(growth_factor);
    }
    n.rooms.push_back(std::move(room));
  }
  for (const FireVent& v : f.vents) {
    fire::NetVentSpec vent;
    vent.id = v.id;
    vent.from_room = v.from;
    vent.to_room = v.to == kNone ? fire::kOutside : v.to;
    vent.opening = v.opening;
    vent.open_at_start = v.open;
    vent.leak_area_m2 = v.leak_m2;
    vent.fails_after_s = v.fails_after_s;
    vent.breaks_at_c = v.breaks_at_c;
    n.vents.push_back(std::move(vent));
  }
  n.ambient_c = f.ambient_c;
  n.flashover.upper_layer_c = f.flashover_c;
  // Flashover is the upper layer's temperature here; the MQH HRR criterion needs one
  // vent configuration, which a network of opening doors does not have.
  n.flashover.use_mqh_hrr = false;
  n.spread_delay_s = f.spread_delay_s;
  n.knockdown_s = f.knockdown_s;
  n.max_step_s = std::min(1.0, f.step_s);
  return n;
}

}  // namespace

/// The run's growth factor, kept positive whatever the distribution's tail does.
static double draw_growth(const FireDef& f, Pcg32& rng) {
  return std::max(0.05, sample(f.growth_factor, rng));
}

struct FireIncident::Impl {
  const Scenario& s;
  const Incident& inc;
  const FireDef& f;
  double growth;  ///< this run's growth factor (drawn first)
  fire::FireNetwork net;
  std::vector<fire::DetectorLink> links;
  std::vector<char> detector_done;
  std::vector<SimTime> detector_told;  ///< sampled notice delay per detector (ms)
  std::vector<char> occupied;          ///< per room: people of the incident's groups in it
  std::vector<char> occupants_noticed;
  std::vector<SimTime> occupant_delay;  ///< per room (ms)
  SimTime patrol_phase = 0, patrol_delay = 0;
  bool patrol_noticed = false;
  std::vector<SimTime> untenable;
  std::vector<double> shelf_lost;  ///< per room: share of the shelves a hot layer reached
  SimTime now = 0;
  SimTime first_cue = kNever;
  FireCue first_kind = FireCue::detector;
  double peak_hrr = 0;
  SimTime quiet_since = kNever;  ///< total HRR zero since

  Impl(const Scenario& sc, Index incident, Pcg32& rng)
      : s(sc),
        inc(sc.incidents[incident]),
        f(*inc.fire),
        growth(draw_growth(*sc.incidents[incident].fire, rng)),
        net(network_spec(f, growth)),
        detector_done(f.detectors.size(), 0),
        occupied(f.rooms.size(), 0),
        occupants_noticed(f.rooms.size(), 0),
        occupant_delay(f.rooms.size(), 0),
        untenable(f.rooms.size(), kNever),
        shelf_lost(f.rooms.size(), 0.0) {
    // Draws in a fixed order: growth (above), detectors, rooms, patrol.
    for (const FireDetector& d : f.detectors) {
      links.emplace_back(d.link, f.ambient_c);
      detector_told.push_back(seconds_to_ms(std::max(0.0, sample(d.notice_s, rng))));
    }
    for (std::size_t r = 0; r < f.rooms.size(); ++r) {
      for (const PedGroup& g : inc.ped_groups)
        if (g.count > 0 && f.rooms[r].area != kNone && g.area == f.rooms[r].area) occupied[r] = 1;
      occupant_delay[r] = seconds_to_ms(std::max(0.0, sample(f.occupant_notice_s, rng)));
    }
    if (f.patrol) {
      patrol_phase = seconds_to_ms(rng.next_double() * f.patrol->interval_s);
      patrol_delay = seconds_to_ms(std::max(0.0, sample(f.patrol->notice_s, rng)));
    }
    net.ignite(f.origin, 0.0);
  }

  const fire::NetRoomState& room(std::size_t r) const { return net.room(static_cast<int>(r)); }

  /// Optical density (1/m, base 10) of the room's upper layer. The oxygen missing from it
  /// was burnt with fuel: fuel = O2 x 13100 / 20000 kg (Huggett 1980's 13.1 MJ per kg O2,
  /// a cellulosic heat of combustion of 20 MJ/kg), soot = yield x fuel; extinction
  /// k = 8700 m2/kg x soot density (Mulholland & Croarkin, Fire and Materials 24, 2000),
  /// OD = k / ln 10.
  double optical_density(std::size_t r) const {
    const fire::NetRoomState& st = room(r);
    const double deficit = std::max(0.0, 0.2314 - st.upper_o2);
    if (deficit <= 0 || st.upper_volume_m3 <= 0) return 0.0;
    const double rho = 101325.0 / (fire::kGasConstantJPerKgK * st.upper_k);
    const double soot = deficit * rho * (13100.0 / 20000.0) * f.soot_yield;  // kg/m3
    return 8700.0 * soot / std::log(10.0);
  }

  /// People in or passing the room notice the fire: its flames, or smoke come in (warm,
  /// or dense enough to see or smell).
  bool perceptible(std::size_t r) const {
    const fire::NetRoomState& st = room(r);
    return st.hrr_kw >= f.perceptible_kw || st.upper_c() - f.ambient_c >= f.smoke_perceptible_k ||
           optical_density(r) >= f.smoke_perceptible_od_per_m;
  }

  /// Tenability (models.md's simple ASET rule, compartment.hpp's TenabilityRule): the
  /// room is untenable when its upper layer is hotter than the limit, or when the layer is
  /// down to the limit height and is smoke (at least smoke_perceptible_k above ambient:
  /// a barely warm "layer" is an artifact of the zone model, not smoke).
  bool tenable(std::size_t r) const {
    const fire::NetRoomState& st = room(r);
    if (st.upper_c() >= f.tenability.max_upper_layer_c) return false;
    return st.layer_height_m > f.tenability.min_layer_height_m ||
           st.upper_c() - f.ambient_c < f.smoke_perceptible_k;
  }

  double total_hrr() const {
    double q = 0;
    for (int r = 0; r < net.rooms(); ++r) q += net.room(r).hrr_kw;
    return q;
  }

  /// Gas at a detector under the ceiling: in a burning room, Alpert's ceiling jet of the
  /// room's HRR (SFPE Handbook ch. 14) added to the upper layer's temperature (an
  /// approximation: Alpert's correlations are for an unconfined ceiling; CFAST adds a
  /// hot-layer correction instead); elsewhere the upper layer at 0.1 m/s [assumption].
  void detector_gas(const FireDetector& d, double& gas_c, double& speed) const {
    const fire::NetRoomState& st = room(static_cast<std::size_t>(d.room));
    const FireRoom& fr = f.rooms[static_cast<std::size_t>(d.room)];
    gas_c = std::max(st.upper_c(), f.ambient_c);
    speed = 0.1;
    if (st.hrr_kw > 0) {
      const fire::CeilingJet jet = fire::alpert_ceiling_jet(st.hrr_kw, fr.height_m, d.radius_m);
      gas_c += jet.temperature_rise_k;
      speed = std::max(speed, jet.speed_mps);
    }
  }

  void notice(std::vector<FireNotice>& out, FireNotice n) {
    if (n.at < first_cue) {
      first_cue = n.at;
      first_kind = n.cue;
    }
    out.push_back(n);
  }

  void advance(SimTime t, std::vector<FireNotice>& notices, std::vector<Index>& became) {
    if (t <= now) return;
    const double t0 = ms_to_seconds(now);
    const double dt = ms_to_seconds(t - now);
    net.advance_to(ms_to_seconds(t));
    // Detectors, with the gas conditions at the end of the step held over it.
    for (std::size_t i = 0; i < f.detectors.size(); ++i) {
      if (detector_done[i]) continue;
      const FireDetector& d = f.detectors[i];
      double gas_c = 0, speed = 0;
      detector_gas(d, gas_c, speed);
      links[i].advance(t0, dt, gas_c, speed);
      if (!links[i].activated()) continue;
      detector_done[i] = 1;
      const SimTime at = std::clamp(seconds_to_ms(links[i].activation_s()), now, t);
      notice(notices, {at, at + detector_told[i], FireCue::detector, static_cast<Index>(i), d.role,
                       d.sounds_alarm});
      if (d.kind == DetectorKind::sprinkler) net.hold(d.room, net.time_s());
    }
    // Occupants of a room.
    for (std::size_t r = 0; r < f.rooms.size(); ++r) {
      if (!occupied[r] || occupants_noticed[r] || !perceptible(r)) continue;
      occupants_noticed[r] = 1;
      notice(notices, {t, t + occupant_delay[r], FireCue::occupants, static_cast<Index>(r),
                       f.occupants_tell, false});
    }
    // A patrol round passing in (now, t].
    if (f.patrol && !patrol_noticed) {
      const SimTime every = std::max<SimTime>(kMsPerSecond, seconds_to_ms(f.patrol->interval_s));
      SimTime pass = patrol_phase;
      if (pass <= now) pass += ((now - pass) / every + 1) * every;
      const Unit& u = s.units[static_cast<std::size_t>(f.patrol->unit)];
      for (; pass <= t && !patrol_noticed; pass += every) {
        if (on_site_count(u, inc.clock, pass) <= 0) continue;
        for (Index r : f.patrol->rooms) {
          if (!perceptible(static_cast<std::size_t>(r))) continue;
          patrol_noticed = true;
          notice(notices, {pass, pass + patrol_delay, FireCue::patrol, r, f.patrol->role, false});
          break;
        }
      }
    }
    // Tenability of rooms people use.
    for (std::size_t r = 0; r < f.rooms.size(); ++r) {
      if (f.rooms[r].area == kNone || untenable[r] != kNever) continue;
      if (tenable(r)) continue;
      untenable[r] = t;
      became.push_back(static_cast<Index>(r));
    }
    // Records on shelves from the floor up: those in a layer hot enough to char paper.
    for (std::size_t r = 0; r < f.rooms.size(); ++r) {
      const fire::NetRoomState& st = room(r);
      if (f.rooms[r].records <= 0 || st.upper_c() < f.records_lost_c) continue;
      const double reached = (f.records_shelf_m - st.layer_height_m) / f.records_shelf_m;
      shelf_lost[r] = std::max(shelf_lost[r], std::clamp(reached, 0.0, 1.0));
    }
    const double q = total_hrr();
    peak_hrr = std::max(peak_hrr, q);
    if (q > 0)
      quiet_since = kNever;
    else if (quiet_since == kNever)
      quiet_since = t;
    now = t;
  }
};

FireIncident::FireIncident(const Scenario& s, Index incident, Pcg32 rng)
    : impl_(std::make_unique<Impl>(s, incident, rng)) {}
FireIncident::~FireIncident() = default;

SimTime FireIncident::step_ms() const {
  return std::max<SimTime>(1, seconds_to_ms(impl_->f.step_s));
}

void FireIncident::advance(SimTime t, std::vector<FireNotice>& notices,
                           std::vector<Index>& untenable) {
  impl_->advance(t, notices, untenable);
}

double FireIncident::hrr_at(SimTime t) {
  fire::FireNetwork& net = impl_->net;
  const double ts = ms_to_seconds(t);
  if (ts > net.time_s()) net.advance_to(ts);
  return impl_->total_hrr();
}

void FireIncident::suppress_all(SimTime t) {
  fire::FireNetwork& net = impl_->net;
  const double ts = ms_to_seconds(t);
  if (ts > net.time_s()) net.advance_to(ts);
  // Every room: the burning ones go out, and none ignites later from a spread or a door
  // failure already on its way (a suppressed room never ignites, network.hpp).
  for (int r = 0; r < net.rooms(); ++r) net.suppress(r, net.time_s());
}

int FireIncident::open_doors(SimTime t) {
  fire::FireNetwork& net = impl_->net;
  const double ts = ms_to_seconds(t);
  if (ts > net.time_s()) net.advance_to(ts);
  const FireDef& f = impl_->f;
  int opened = 0;
  for (std::size_t v = 0; v < f.vents.size(); ++v) {
    const FireVent& vent = f.vents[v];
    if (vent.to == kNone || net.vent_open(static_cast<int>(v))) continue;
    const bool burning = net.room(vent.from).burning() || net.room(vent.to).burning();
    if (!burning) continue;
    net.set_vent_open(static_cast<int>(v), true);
    ++opened;
  }
  return opened;
}

bool FireIncident::settled() const {
  const Impl& m = *impl_;
  // Five minutes without any fire: the layers only cool from here.
  return m.quiet_since != kNever && m.now - m.quiet_since >= 300 * kMsPerSecond;
}

const fire::FireNetwork& FireIncident::network() const {
  return impl_->net;
}

FireFrame FireIncident::frame() const {
  const Impl& m = *impl_;
  FireFrame fr;
  fr.t = m.now;
  for (std::size_t r = 0; r < m.f.rooms.size(); ++r) {
    const fire::NetRoomState& st = m.room(r);
    fr.hrr_kw.push_back(static_cast<float>(st.hrr_kw));
    fr.upper_c.push_back(static_cast<float>(st.upper_c()));
    fr.layer_m.push_back(static_cast<float>(st.layer_height_m));
    FireRoomState k = FireRoomState::cold;
    if (st.upper_c() - m.f.ambient_c >= m.f.smoke_perceptible_k) k = FireRoomState::smoke;
    if (!m.tenable(r)) k = FireRoomState::untenable;
    if (st.burning()) k = FireRoomState::burning;
    if (st.burning() && st.flashover_s <= ms_to_seconds(m.now)) k = FireRoomState::flashover;
    if (!st.burning() && st.ignited_s < kInf) k = FireRoomState::out;
    fr.state.push_back(static_cast<std::uint8_t>(k));
  }
  return fr;
}

SimTime FireIncident::first_cue() const {
  return impl_->first_cue;
}
FireCue FireIncident::first_cue_kind() const {
  return impl_->first_kind;
}

SimTime FireIncident::flashover() const {
  double t = kInf;
  for (int r = 0; r < impl_->net.rooms(); ++r) t = std::min(t, impl_->net.room(r).flashover_s);
  return t < kInf ? seconds_to_ms(t) : kNever;
}

SimTime FireIncident::untenable_at(Index room) const {
  return impl_->untenable[static_cast<std::size_t>(room)];
}

double FireIncident::peak_hrr_kw() const {
  return impl_->peak_hrr;
}

std::optional<double> FireIncident::records_lost_fraction() const {
  const Impl& m = *impl_;
  double at_risk = 0, lost = 0;
  for (std::size_t r = 0; r < m.f.rooms.size(); ++r) {
    const FireRoom& fr = m.f.rooms[r];
    if (fr.records <= 0) continue;
    at_risk += fr.records;
    const fire::NetRoomState& st = m.room(r);
    // The share of the room's fire load burnt (the records are part of it) [assumption:
    // records burn in proportion], or the share of the shelves a layer at
    // records_lost_c reached (paper chars at a few hundred degC) [assumption].
    double share = m.shelf_lost[r];
    if (fr.fuel && fr.fuel->fuel_energy_kj > 0 && std::isfinite(fr.fuel->fuel_energy_kj))
      share = std::max(share, std::clamp(st.fire_energy_kj / fr.fuel->fuel_energy_kj, 0.0, 1.0));
    lost += fr.records * share;
  }
  if (at_risk <= 0) return std::nullopt;
  return lost / at_risk;
}

}  // namespace hqdrill
