// A network of rooms for the two-zone fire model: smoke and heat moving from the fire
// room through doors into corridors, stairs and other rooms, fires spreading to rooms
// next to a flashed-over one, and vents that open during the fire (a door burning
// through, a window breaking). Generalises ZoneRoom (zone.hpp) after CFAST (Peacock,
// McGrattan, Forney & Reneke, CFAST 7 Technical Reference Guide, NIST TN 1889v1):
//
//  * every room has two layers (state per room: upper-layer volume, T_u, T_l) and the
//    CFAST layer equations of zone.hpp with dP/dt = 0 (constant pressure, see zone.hpp);
//  * the floor pressures of all rooms (each relative to the outside at the same
//    elevation) are found at every evaluation so that each room's net volume source
//    q_u + q_l is zero (a vector solve: Newton on the room pressures, warm-started
//    from the last solutions);
//  * wall vents between two rooms or to the outside: two-way Bernoulli flow integrated
//    over segments split at both rooms' interfaces and the neutral planes (C = 0.7), the
//    hydrostatic pressure of each side from its layers (CFAST Tech. Ref. ch. 4); gas
//    leaving a layer enters the other room's upper layer if hotter than that room's
//    lower layer at the vent, else its lower layer (CFAST's rule without spill-plume
//    entrainment);
//  * a closed door leaks through its `leak_area_m2` (gaps: a vent of that area spread
//    over the door's height, zero width otherwise);
//  * oxygen (CFAST Tech. Ref., "Species Transport" and "Heat Release Rate"): the mass of
//    oxygen in each layer is state; vent flows carry the oxygen mass fraction of the layer
//    they leave (the outside: ambient_o2_mass_fraction), the plume carries lower-layer gas
//    with its oxygen into the upper layer, and the fire consumes Q / 13100 kJ per kg of
//    oxygen (Huggett 1980) out of the gas its plume brings;
//  * the fire in a room burns at min(growth(t - ignition), peak HRR, decay, hold,
//    knockdown) limited by the oxygen its plume entrains (CFAST's
//    Q <= m_e Y_O2 C_LOL(Y_O2) dH_O2, first from the lower layer, the rest in the upper
//    layer with its oxygen), so a closed room's fire grows on the room's own air and dies
//    down as the oxygen nears the lower limit, and grows again when a door opens or a
//    window breaks; a steadily vented fire settles near 1500 A sqrt(H) (Kawagoe) by
//    itself; the fuel's decay follows hrr.hpp (linear once 70 % of the fire load is
//    released);
//  * spread: a room with fuel ignites `spread_delay_s` after a room joined to it by an
//    open vent flashes over (the flashover criterion of compartment.hpp on T_u);
//  * a closed door with `fails_after_s` opens after that many seconds of a flashed-over
//    room on either side (its fire resistance, EI); a vent with `breaks_at_c` (a window)
//    opens when the upper layer of its `from` room reaches that temperature while the
//    interface is below the vent's soffit (the hot gas touches the glass).
//
// Deterministic, no I/O; units as zone.hpp (kW, kJ, s, m, K, degC where named).
#pragma once

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hqdrill/fire/compartment.hpp"
#include "hqdrill/fire/hrr.hpp"

namespace hqdrill::fire {

inline constexpr int kOutside = -1;

struct NetRoomSpec {
  std::string id;
  double floor_area_m2 = 0.0;
  double perimeter_m = 0.0;        ///< of the floor; walls = perimeter x height
  double height_m = 3.0;           ///< floor to ceiling
  double floor_elevation_m = 0.0;  ///< floor above datum (the ground floor: 0)
  Lining lining = concrete_lining(0.2);
  /// What burns if fire reaches this room: growth (alpha or curve), peak HRR and the
  /// fire load (fuel_energy_kj). Its ventilation_limit_kw is ignored: the network limits
  /// the fire by the oxygen its plume entrains. nullopt: nothing burns here.
  std::optional<FireSpec> fuel;
  double fire_elevation_m = 0.0;  ///< base of the burning fuel above the floor
  double fire_diameter_m = 0.5;
};

struct NetVentSpec {
  std::string id;
  int from_room = 0;
  int to_room = kOutside;  ///< a room index, or kOutside
  /// Width, sill and soffit; sill and soffit above the `from` room's floor.
  Opening opening;
  bool open_at_start = true;
  double leak_area_m2 = 0.0;  ///< while closed (door gaps); 0 = tight
  /// A closed door opens (burns through) after this long next to a flashed-over room.
  double fails_after_s = std::numeric_limits<double>::infinity();
  /// A window: opens when the upper layer of `from_room` reaches this (degC).
  double breaks_at_c = std::numeric_limits<double>::infinity();
};

struct NetworkSpec {
  std::vector<NetRoomSpec> rooms;
  std::vector<NetVentSpec> vents;
  double ambient_c = kAmbientC;
  double ambient_pa = 101325.0;
  double radiative_fraction = 0.35;               ///< as ZoneRoomSpec
  double heat_of_combustion_kj_per_kg = 20000.0;  ///< as ZoneRoomSpec
  double wall_film_kw_per_m2k = 0.02;             ///< as ZoneRoomSpec
  FlashoverCriterion flashover;                   ///< on T_u (and the MQH HRR, if set)
  double spread_delay_s = 60.0;  ///< neighbour flashover → ignition here [assumption]
  double knockdown_s = 60.0;     ///< suppress(): HRR falls linearly to 0 over this
  double max_step_s = 1.0;       ///< integration step at most this
  /// Oxygen mass fraction of the outside air and of every room at t = 0 (dry air: 23.14 %
  /// by mass, 20.95 % by volume).
  double ambient_o2_mass_fraction = 0.2314;
  /// Lower oxygen limit, as a mass fraction of the layer the plume entrains (CFAST 7 Tech.
  /// Ref., "Heat Release Rate": Y_O2,l = 0.15 by default).
  double lower_oxygen_limit = 0.15;
  /// Heat released per kg of oxygen consumed (Huggett 1980, 13.1 MJ/kg; CFAST's value).
  double heat_of_combustion_o2_kj_per_kg = 13100.0;
};

struct NetRoomState {
  double upper_k = 0.0, lower_k = 0.0;
  double layer_height_m = 0.0;  ///< interface above the room's floor
  double upper_volume_m3 = 0.0;
  double floor_dp_pa = 0.0;     ///< room minus outside pressure at the room's floor level
  double hrr_kw = 0.0;          ///< of the fire in this room (0 if none)
  double fire_energy_kj = 0.0;  ///< released by this room's fire so far
  double ignited_s = std::numeric_limits<double>::infinity();
  double flashover_s = std::numeric_limits<double>::infinity();
  double suppressed_s = std::numeric_limits<double>::infinity();  ///< suppress() or hold()
  double max_upper_c = 0.0;                                       ///< highest T_u so far
  /// Oxygen of each layer as a mass fraction (kg O2 per kg of gas); ambient 0.2314.
  double upper_o2 = 0.0, lower_o2 = 0.0;
  double o2_kg = 0.0;           ///< oxygen in the room's two layers
  double o2_consumed_kg = 0.0;  ///< by this room's fire so far (fire_energy_kj / 13100)
  double upper_c() const { return upper_k - kKelvin; }
  double lower_c() const { return lower_k - kKelvin; }
  bool burning() const { return hrr_kw > 0.0; }
};

class FireNetwork {
 public:
  explicit FireNetwork(NetworkSpec spec);
  ~FireNetwork();
  FireNetwork(FireNetwork&&) noexcept;
  FireNetwork& operator=(FireNetwork&&) noexcept;

  /// Starts the fire of room `room` (its fuel's growth curve from t = t_s); a room
  /// without fuel cannot burn (ignored).
  void ignite(int room, double t_s);
  /// The fire in `room` is put out from t_s: its HRR falls linearly from its value at
  /// t_s to zero over knockdown_s, and it does not re-ignite.
  void suppress(int room, double t_s);
  /// The fire in `room` is controlled (a sprinkler): its HRR is held at most at its value
  /// at t_s from then on.
  void hold(int room, double t_s);
  /// Opens or closes a vent from the current time (people opening a door).
  void set_vent_open(int vent, bool open);

  /// Integrates to t_s (>= time_s()). Ignitions by spread, door failures and window
  /// breakages happen inside, at the step where their condition is met.
  void advance_to(double t_s);
  double time_s() const;

  int rooms() const;
  const NetRoomState& room(int i) const;
  bool vent_open(int v) const;
  /// Time a vent opened by itself (failure or breakage); infinite if not.
  double vent_opened_s(int v) const;
  /// Rooms that have ignited so far.
  int rooms_involved() const;
  const NetworkSpec& spec() const;

  /// Conservation diagnostics since t = 0: gas mass in all rooms + mass out through
  /// outside vents - mass in through them - fuel mass added - initial mass (kg), and the
  /// same for energy (kJ; fire + inflow enthalpy - outflow - wall and radiative losses -
  /// change of internal energy). Both round-off small (checked in tests).
  double mass_residual_kg() const;
  double energy_residual_kj() const;
  /// Oxygen in all rooms + oxygen out through outside vents - in through them + consumed
  /// by the fires - initial oxygen (kg); round-off small (checked in tests).
  double oxygen_residual_kg() const;
  long steps() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hqdrill::fire
