#include "hqdrill/fire/compartment.hpp"

#include <cassert>
#include <cmath>

namespace hqdrill::fire {

Lining concrete_lining(double thickness_m) {
  return {0.0016, 2400.0, 0.75, thickness_m};
}
Lining gypsum_lining(double thickness_m) {
  return {0.00017, 960.0, 1.1, thickness_m};
}

double mqh_surface_area_m2(const RoomGeometry& room, std::span<const Opening> openings) {
  double open = 0.0;
  for (const Opening& o : openings) open += o.area_m2();
  return room.enclosing_area_m2() - open;
}

double thermal_penetration_time_s(const Lining& l) {
  const double half = 0.5 * l.thickness_m;
  return l.density_kg_per_m3 * l.specific_heat_kj_per_kgk / l.conductivity_kw_per_mk * half * half;
}

double mqh_hk_kw_per_m2k(const Lining& l, double t_s) {
  assert(t_s > 0.0);
  if (t_s < thermal_penetration_time_s(l))
    return std::sqrt(l.conductivity_kw_per_mk * l.density_kg_per_m3 * l.specific_heat_kj_per_kgk /
                     t_s);
  return l.conductivity_kw_per_mk / l.thickness_m;
}

double mqh_temperature_rise_k(double q_kw, double vf_m52, double at_m2, double hk) {
  return 6.85 * std::cbrt(q_kw * q_kw / (vf_m52 * at_m2 * hk));
}

double mqh_flashover_hrr_kw(double hk, double at_m2, double vf_m52) {
  return 610.0 * std::sqrt(hk * at_m2 * vf_m52);
}
double babrauskas_flashover_hrr_kw(double vf_m52) {
  return 750.0 * vf_m52;
}
double thomas_flashover_hrr_kw(double at_m2, double vf_m52) {
  return 7.8 * at_m2 + 378.0 * vf_m52;
}

bool is_flashover(const FlashoverCriterion& c, double upper_c, double hrr_kw, double q_fo_kw) {
  return upper_c >= c.upper_layer_c || (c.use_mqh_hrr && hrr_kw >= q_fo_kw);
}

bool is_tenable(const TenabilityRule& r, double layer_height_m, double upper_c) {
  return layer_height_m > r.min_layer_height_m && upper_c < r.max_upper_layer_c;
}

}  // namespace hqdrill::fire
