// Hand-calculation correlations for a room fire: MQH hot-layer temperature, flashover
// heat release rates (MQH, Babrauskas, Thomas), and the simple tenability rule. The
// forms and constants follow NUREG-1805 (Iqbal & Salley, "Fire Dynamics Tools", 2004),
// chapter 2, which takes them from the SFPE Handbook. Units: kW, m, s, K or degC.
#pragma once

#include <span>

#include "hqdrill/fire/hrr.hpp"

namespace hqdrill::fire {

/// Quảng Ngãi ambient: 30 degC (assumption: a warm-season day in central Vietnam; the
/// annual mean is about 26 degC).
inline constexpr double kAmbientC = 30.0;
inline constexpr double kKelvin = 273.15;

/// A wall lining (one material for all enclosing surfaces, as MQH assumes).
struct Lining {
  double conductivity_kw_per_mk = 0.0;    ///< k (kW/(m K))
  double density_kg_per_m3 = 0.0;         ///< rho
  double specific_heat_kj_per_kgk = 0.0;  ///< c (kJ/(kg K))
  double thickness_m = 0.0;               ///< delta
};

/// Concrete as the NUREG-1805 ch. 2 spreadsheet (version 1805.0) lists it: k 0.0016 kW/(m K),
/// rho 2400 kg/m3, c 0.75 kJ/(kg K); `thickness_m` given by the caller.
Lining concrete_lining(double thickness_m);
/// Gypsum board: k 0.00017, rho 960, c 1.1 (NUREG-1805's material table as recalled; not
/// checked against the document).
Lining gypsum_lining(double thickness_m);

/// A rectangular room for the hand correlations.
struct RoomGeometry {
  double width_m = 0.0, length_m = 0.0, height_m = 0.0;
  double floor_area_m2() const { return width_m * length_m; }
  double volume_m3() const { return floor_area_m2() * height_m; }
  /// Floor, ceiling and four walls (m2), openings included.
  double enclosing_area_m2() const {
    return 2.0 * (width_m * length_m + width_m * height_m + length_m * height_m);
  }
};

/// A_T: the enclosing surface minus the openings' area (m2), as MQH defines it.
double mqh_surface_area_m2(const RoomGeometry& room, std::span<const Opening> openings);

/// Thermal penetration time t_p = (rho c / k) (delta / 2)^2 (s), NUREG-1805 ch. 2.
double thermal_penetration_time_s(const Lining& lining);

/// Effective heat transfer coefficient h_k (kW/(m2 K)) of the lining at time t after
/// ignition: sqrt(k rho c / t) while t < t_p (thermally thick), else k / delta
/// (thermally thin), NUREG-1805 ch. 2.
double mqh_hk_kw_per_m2k(const Lining& lining, double t_s);

/// MQH upper-layer temperature rise (K): dT = 6.85 [Q^2 / (A_o sqrt(H_o) A_T h_k)]^(1/3)
/// (McCaffrey, Quintiere & Harkleroad 1981; NUREG-1805 ch. 2). Q kW; ventilation factor
/// A_o sqrt(H_o) (m^(5/2)); A_T m2; h_k kW/(m2 K). Valid up to about 600 degC.
double mqh_temperature_rise_k(double hrr_kw, double ventilation_factor_m52, double area_t_m2,
                              double hk_kw_per_m2k);

/// MQH flashover HRR Q_fo = 610 (h_k A_T A_o sqrt(H_o))^(1/2) kW (NUREG-1805 ch. 2:
/// the HRR that gives dT = 500 K in the MQH correlation).
double mqh_flashover_hrr_kw(double hk_kw_per_m2k, double area_t_m2, double ventilation_factor_m52);
/// Babrauskas flashover HRR Q_fo = 750 A_o sqrt(H_o) kW (NUREG-1805 ch. 2).
double babrauskas_flashover_hrr_kw(double ventilation_factor_m52);
/// Thomas flashover HRR Q_fo = 7.8 A_T + 378 A_o sqrt(H_o) kW (NUREG-1805 ch. 2).
double thomas_flashover_hrr_kw(double area_t_m2, double ventilation_factor_m52);

/// When a room counts as flashed over. Defaults: an upper layer of 600 degC (Peacock et
/// al., "Defining flashover for fire hazard calculations", Fire Safety J. 32, 1999: 500 to
/// 600 degC) or the HRR reaching the MQH flashover HRR.
struct FlashoverCriterion {
  double upper_layer_c = 600.0;
  bool use_mqh_hrr = true;
};
bool is_flashover(const FlashoverCriterion& c, double upper_layer_c, double hrr_kw,
                  double mqh_flashover_hrr_kw);

/// The simple ASET rule (models.md, "Tenability"): a room is tenable while the smoke
/// layer's interface stays above 1.8 m (people walk in clear air under it) and the upper
/// layer stays below 200 degC (about 2.5 kW/m2 of radiation from the layer, the pain
/// threshold used by ISO 13571's radiant-heat term). Not ISO 13571's FED.
struct TenabilityRule {
  double min_layer_height_m = 1.8;
  double max_upper_layer_c = 200.0;
};
bool is_tenable(const TenabilityRule& rule, double layer_height_m, double upper_layer_c);

}  // namespace hqdrill::fire
