#include "hqdrill/peds/fundamental.hpp"

#include <algorithm>
#include <cmath>

namespace hqdrill::peds {

double weidmann_speed_mps(double density_pm2, const WeidmannParams& p) {
  if (!(density_pm2 > 0.0)) return p.v0_mps;
  if (density_pm2 >= p.rho_max_pm2) return 0.0;
  return p.v0_mps * (1.0 - std::exp(-p.gamma_pm2 * (1.0 / density_pm2 - 1.0 / p.rho_max_pm2)));
}

double weidmann_flow_psm(double density_pm2, const WeidmannParams& p) {
  if (!(density_pm2 > 0.0)) return 0.0;
  return density_pm2 * weidmann_speed_mps(density_pm2, p);
}

FlowMaximum weidmann_flow_maximum(const WeidmannParams& p) {
  // Golden-section search for the maximum of the unimodal J on (0, ρmax); 100
  // iterations shrink the bracket by 0.618^100, far below double resolution.
  const double invphi = (std::sqrt(5.0) - 1.0) / 2.0;
  double a = 0.0, b = p.rho_max_pm2;
  double c = b - invphi * (b - a), d = a + invphi * (b - a);
  double fc = weidmann_flow_psm(c, p), fd = weidmann_flow_psm(d, p);
  for (int i = 0; i < 100; ++i) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - invphi * (b - a);
      fc = weidmann_flow_psm(c, p);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + invphi * (b - a);
      fd = weidmann_flow_psm(d, p);
    }
  }
  const double rho = 0.5 * (a + b);
  return {rho, weidmann_flow_psm(rho, p)};
}

double sfpe_speed_mps(double density_pm2, double k_mps) {
  const double d = std::max(density_pm2, kSfpeFreeDensity);
  return std::max(0.0, k_mps - kSfpeA * k_mps * d);
}

double sfpe_max_specific_flow_psm(double k_mps) {
  return k_mps / (4.0 * kSfpeA);
}

double sfpe_density_at_max_flow_pm2() {
  return 1.0 / (2.0 * kSfpeA);
}

double sfpe_specific_flow_psm(double density_pm2, double k_mps) {
  if (!(density_pm2 > 0.0)) return 0.0;
  return std::min(sfpe_speed_mps(density_pm2, k_mps) * density_pm2,
                  sfpe_max_specific_flow_psm(k_mps));
}

double boundary_layer_m(Boundary b) {
  switch (b) {
    case Boundary::none:
      return 0.0;
    case Boundary::door_jamb:
      return 0.15;
    case Boundary::stair_wall:
      return 0.15;
    case Boundary::corridor_wall:
      return 0.20;
    case Boundary::handrail:
      return 0.09;
  }
  return 0.0;
}

double effective_width_m(double clear_width_m, Boundary left, Boundary right) {
  return std::max(0.0, clear_width_m - boundary_layer_m(left) - boundary_layer_m(right));
}

}  // namespace hqdrill::peds
