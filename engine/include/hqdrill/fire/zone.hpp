// A two-zone fire model of one room after CFAST (Peacock, McGrattan, Forney & Reneke,
// "CFAST - Consolidated Fire and Smoke Transport (Version 7), Volume 1: Technical
// Reference Guide", NIST TN 1889v1; repository firemodels/cfast, Manuals/CFAST_Tech_Ref).
//
// The room holds a hot upper layer and a cool lower layer, each of uniform temperature,
// under one pressure. State: pressure P, upper-layer volume V_u, temperatures T_u, T_l.
// CFAST's equations (Tech. Ref. ch. 2, eqs. for dP/dt, dV_u/dt, dT_u/dt, dT_l/dt):
//   dP/dt   = (gamma - 1) / V (q_u + q_l)
//   dV_u/dt = ((gamma - 1) q_u - V_u dP/dt) / (gamma P)
//   dT_i/dt = (q_i - c_p m_dot_i T_i + V_i dP/dt) / (c_p m_i)
// where q_i is all heat and enthalpy flowing into layer i and m_dot_i its net mass source.
// Sources: Heskestad plume entrainment (Tech. Ref. ch. 3, with the virtual origin, the
// linear reduction below the mean flame height and the weak-plume limit), the fire's
// convective HRR and fuel mass into the upper layer, two-way flow through wall vents to
// the outside (Tech. Ref. ch. 4, Bernoulli integrated over each segment with C = 0.7),
// and a lumped wall heat loss (below).
//
// What differs from CFAST, on purpose:
//  * A room with vents is solved at constant pressure: its pressure changes by a few
//    pascals, so HQ Drill sets dP/dt = 0 and finds, at every evaluation, the floor
//    pressure difference that makes q_u + q_l = 0 (bisection; the flows grow
//    monotonically with it). This removes the stiff pressure equation CFAST needs DASSL
//    for, so an explicit Runge-Kutta scheme is stable. A sealed room keeps P as a state.
//  * Wall loss: q_w = h_eff A_contact (T_layer - T_ambient), with 1/h_eff = 1/h_c + 1/h_k,
//    h_k the MQH lining coefficient (compartment.hpp) and h_c a gas-to-wall coefficient
//    (default 0.02 kW/(m2 K), an assumption: convection plus linearised radiation of a
//    layer at a few hundred degC). CFAST solves 1-D conduction in each wall instead.
//  * The fire's radiative fraction leaves the gas (absorbed by the boundaries); CFAST
//    exchanges radiation between layers, walls and fire.
//  * Inflow through a vent enters the lower layer; outflow leaves the layer at its height.
//    CFAST adds mixing at vents (spill plumes and the inverse plume of incoming air).
//  * One room, vents to the outside only; no door flows between rooms, no ceiling vents,
//    no mechanical ventilation, no species (oxygen limit, smoke obscuration).
// Integration: classical RK4 with step doubling (error estimate |y_h - y_h/2| / 15 on
// P, V_u, T_u, T_l relative to their scales, local extrapolation), step at most 1 s.
#pragma once

#include <array>
#include <vector>

#include "hqdrill/fire/compartment.hpp"
#include "hqdrill/fire/hrr.hpp"

namespace hqdrill::fire {

/// Gas properties as CFAST takes them (Tech. Ref. sec. 2.1): c_p 1012 J/(kg K),
/// gamma 1.4, R = (gamma - 1)/gamma c_p = 289.14 J/(kg K).
inline constexpr double kCpJPerKgK = 1012.0;
inline constexpr double kGamma = 1.4;
inline constexpr double kGasConstantJPerKgK = (kGamma - 1.0) / kGamma * kCpJPerKgK;
inline constexpr double kGravityMps2 = 9.81;
inline constexpr double kAtmospherePa = 101325.0;
/// Orifice coefficient of wall vents, CFAST Tech. Ref. ch. 4 (Steckler et al.).
inline constexpr double kVentFlowCoefficient = 0.7;

struct ZoneRoomSpec {
  RoomGeometry room;
  std::vector<Opening> vents;     ///< wall vents to the outside (none: a sealed room)
  double fire_elevation_m = 0.0;  ///< base of the fuel above the floor
  double fire_diameter_m = 0.5;   ///< effective diameter of the burning area
  /// Radiative fraction of the HRR (0.35: SFPE Handbook's typical value for sooty fuels;
  /// CFAST's default is 0.35 too). The convective part heats the plume.
  double radiative_fraction = 0.35;
  /// Heat of combustion (kJ/kg) that turns HRR into fuel mass added to the upper layer.
  /// Default 20000 kJ/kg (assumption: cellulosic fuels, paper and wood, 15-20 MJ/kg).
  double heat_of_combustion_kj_per_kg = 20000.0;
  bool adiabatic = false;  ///< no wall loss at all
  Lining lining = concrete_lining(0.2);
  double wall_film_kw_per_m2k = 0.02;  ///< h_c, see the file comment
  double ambient_c = kAmbientC;
  double ambient_pa = kAtmospherePa;
};

/// The room's state and running totals (all from t = 0).
struct ZoneState {
  double time_s = 0.0;
  double pressure_pa = 0.0;  ///< absolute pressure at the floor (sealed) or ambient (vented)
  double upper_volume_m3 = 0.0;
  double upper_k = 0.0, lower_k = 0.0;
  double layer_height_m = 0.0;  ///< interface height above the floor
  double floor_dp_pa = 0.0;     ///< room minus outside pressure at the floor (vented)
  double hrr_kw = 0.0;
  // Running totals.
  double fire_energy_kj = 0.0;       ///< integral of the HRR
  double radiated_kj = 0.0;          ///< radiative part, lost to the boundaries
  double wall_loss_kj = 0.0;         ///< convective loss to the walls
  double vent_enthalpy_in_kj = 0.0;  ///< enthalpy in minus out through vents (c_p m T)
  double vent_mass_in_kg = 0.0, vent_mass_out_kg = 0.0;
  double fuel_mass_kg = 0.0;
  double upper_c() const { return upper_k - 273.15; }
  double lower_c() const { return lower_k - 273.15; }
};

class ZoneRoom {
 public:
  ZoneRoom(ZoneRoomSpec spec, FireHrr fire);

  /// Integrates to `t_s` (>= current time).
  void advance_to(double t_s);
  const ZoneState& state() const { return state_; }
  const ZoneRoomSpec& spec() const { return spec_; }

  /// Gas mass in the room from the layers' equation of state (kg).
  double gas_mass_kg() const;
  /// Internal energy c_v (m_u T_u + m_l T_l) of the gas (kJ), absolute.
  double gas_internal_energy_kj() const;
  double initial_gas_mass_kg() const { return m0_kg_; }
  double initial_internal_energy_kj() const { return u0_kj_; }
  /// Accepted integration steps so far.
  long steps() const { return steps_; }

  /// Plume entrainment (kg/s) at height z (m) above the fuel, Heskestad as in CFAST's
  /// Tech. Ref. ch. 3, for HRR q_kw (convective part q_c_kw), ambient density and
  /// temperature; without the weak-plume limit.
  static double heskestad_entrainment_kg_s(double q_kw, double q_c_kw, double diameter_m,
                                           double z_m, double rho_inf, double t_inf_k);

 private:
  static constexpr int kN = 11;
  using Vec = std::array<double, kN>;
  Vec rhs(double t, const Vec& y, double* dp_out) const;
  void rk4(double t, const Vec& y, double h, Vec& out) const;
  void sync_state(double dp);
  double v_min() const { return 1e-3 * spec_.room.volume_m3(); }

  ZoneRoomSpec spec_;
  FireHrr fire_;
  Vec y_{};
  ZoneState state_;
  double h_ = 0.01;
  double m0_kg_ = 0.0, u0_kj_ = 0.0;
  long steps_ = 0;
};

}  // namespace hqdrill::fire
