#include "hqdrill/fire/hrr.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

namespace hqdrill::fire {

std::string_view growth_class_name(GrowthClass c) {
  switch (c) {
    case GrowthClass::kSlow:
      return "slow";
    case GrowthClass::kMedium:
      return "medium";
    case GrowthClass::kFast:
      return "fast";
    case GrowthClass::kUltrafast:
      return "ultrafast";
  }
  return "?";
}

double growth_time_s(GrowthClass c) {
  switch (c) {
    case GrowthClass::kSlow:
      return 600.0;
    case GrowthClass::kMedium:
      return 300.0;
    case GrowthClass::kFast:
      return 150.0;
    case GrowthClass::kUltrafast:
      return 75.0;
  }
  return 0.0;
}

double tsquared_alpha_kw_per_s2(GrowthClass c) {
  const double tg = growth_time_s(c);
  return kTSquaredReferenceHrrKw / (tg * tg);
}

double ventilation_factor_m52(std::span<const Opening> openings) {
  double sum = 0.0;
  for (const Opening& o : openings) {
    assert(o.soffit_m >= o.sill_m && o.width_m >= 0.0);
    sum += o.area_m2() * std::sqrt(o.height_m());
  }
  return sum;
}

double ventilation_limit_kw(double ventilation_factor_m52) {
  return kVentilationLimitKwPerM52 * ventilation_factor_m52;
}

FireSpec tsquared_fire(double alpha) {
  FireSpec s;
  s.alpha_kw_per_s2 = alpha;
  return s;
}

FireSpec curve_fire(std::vector<HrrPoint> curve) {
  FireSpec s;
  s.curve = std::move(curve);
  return s;
}

FireHrr::FireHrr(FireSpec spec) : spec_(std::move(spec)) {
  const double cap = cap_kw();
  if (!spec_.curve.empty()) {
    // g(t) as knots: the table from (0, 0), split where a segment crosses the cap.
    std::vector<HrrPoint> raw{{0.0, 0.0}};
    for (const HrrPoint& p : spec_.curve) {
      assert(p.time_s >= raw.back().time_s);
      if (p.time_s == 0.0)
        raw.back() = p;
      else
        raw.push_back(p);
    }
    knots_.push_back({raw[0].time_s, std::min(raw[0].hrr_kw, cap)});
    for (std::size_t i = 1; i < raw.size(); ++i) {
      const HrrPoint a = raw[i - 1], b = raw[i];
      if ((a.hrr_kw - cap) * (b.hrr_kw - cap) < 0.0) {
        const double tc =
            a.time_s + (cap - a.hrr_kw) / (b.hrr_kw - a.hrr_kw) * (b.time_s - a.time_s);
        knots_.push_back({tc, cap});
      }
      knots_.push_back({b.time_s, std::min(b.hrr_kw, cap)});
    }
    knot_energy_kj_.assign(knots_.size(), 0.0);
    for (std::size_t i = 1; i < knots_.size(); ++i)
      knot_energy_kj_[i] = knot_energy_kj_[i - 1] + 0.5 *
                                                        (knots_[i - 1].hrr_kw + knots_[i].hrr_kw) *
                                                        (knots_[i].time_s - knots_[i - 1].time_s);
  }

  // Decay start: growth energy reaches f E.
  if (!std::isfinite(spec_.fuel_energy_kj)) return;
  const double target = spec_.decay_start_fraction * spec_.fuel_energy_kj;
  double td = std::numeric_limits<double>::infinity();
  if (knots_.empty()) {
    const double a = spec_.alpha_kw_per_s2;
    if (a <= 0.0) return;
    const double tc =
        std::isfinite(cap) ? std::sqrt(cap / a) : std::numeric_limits<double>::infinity();
    const double ec =
        std::isfinite(tc) ? a * tc * tc * tc / 3.0 : std::numeric_limits<double>::infinity();
    td = target <= ec ? std::cbrt(3.0 * target / a) : tc + (target - ec) / cap;
  } else {
    for (std::size_t i = 1; i < knots_.size() && !std::isfinite(td); ++i) {
      if (knot_energy_kj_[i] < target) continue;
      const double v0 = knots_[i - 1].hrr_kw, dt = knots_[i].time_s - knots_[i - 1].time_s;
      const double s = (knots_[i].hrr_kw - v0) / dt, need = target - knot_energy_kj_[i - 1];
      // v0 tau + s tau^2 / 2 = need, the root in [0, dt].
      const double tau =
          std::abs(s) < 1e-15 ? need / v0 : (-v0 + std::sqrt(v0 * v0 + 2.0 * s * need)) / s;
      td = knots_[i - 1].time_s + tau;
    }
    if (!std::isfinite(td) && knots_.back().hrr_kw > 0.0)
      td = knots_.back().time_s + (target - knot_energy_kj_.back()) / knots_.back().hrr_kw;
  }
  if (!std::isfinite(td)) return;
  decay_start_s_ = td;
  decay_start_hrr_kw_ = growth_kw(td);
  burnout_s_ =
      td + 2.0 * (1.0 - spec_.decay_start_fraction) * spec_.fuel_energy_kj / decay_start_hrr_kw_;
}

double FireHrr::cap_kw() const {
  return std::min(spec_.peak_hrr_kw, spec_.ventilation_limit_kw);
}

double FireHrr::growth_kw(double t) const {
  if (t <= 0.0) return knots_.empty() ? 0.0 : (t == 0.0 ? knots_.front().hrr_kw : 0.0);
  if (knots_.empty()) return std::min(spec_.alpha_kw_per_s2 * t * t, cap_kw());
  if (t >= knots_.back().time_s) return knots_.back().hrr_kw;
  const auto it = std::upper_bound(knots_.begin(), knots_.end(), t,
                                   [](double x, const HrrPoint& p) { return x < p.time_s; });
  const HrrPoint b = *it, a = *(it - 1);
  return a.hrr_kw + (b.hrr_kw - a.hrr_kw) * (t - a.time_s) / (b.time_s - a.time_s);
}

double FireHrr::growth_energy_kj(double t) const {
  if (t <= 0.0) return 0.0;
  if (knots_.empty()) {
    const double a = spec_.alpha_kw_per_s2, cap = cap_kw();
    if (a <= 0.0) return 0.0;
    const double tc = std::sqrt(cap / a);  // infinite cap: tc infinite
    if (t <= tc) return a * t * t * t / 3.0;
    return a * tc * tc * tc / 3.0 + cap * (t - tc);
  }
  if (t >= knots_.back().time_s)
    return knot_energy_kj_.back() + knots_.back().hrr_kw * (t - knots_.back().time_s);
  const auto it = std::upper_bound(knots_.begin(), knots_.end(), t,
                                   [](double x, const HrrPoint& p) { return x < p.time_s; });
  const std::size_t i = static_cast<std::size_t>(it - knots_.begin());
  const double va = knots_[i - 1].hrr_kw, vt = growth_kw(t);
  return knot_energy_kj_[i - 1] + 0.5 * (va + vt) * (t - knots_[i - 1].time_s);
}

double FireHrr::hrr_kw(double t) const {
  if (t < decay_start_s_) return growth_kw(t);
  if (t >= burnout_s_) return 0.0;
  return decay_start_hrr_kw_ * (1.0 - (t - decay_start_s_) / (burnout_s_ - decay_start_s_));
}

double FireHrr::energy_kj(double t) const {
  if (t <= decay_start_s_) return growth_energy_kj(t);
  const double e_d = spec_.decay_start_fraction * spec_.fuel_energy_kj;
  const double tau = std::min(t, burnout_s_) - decay_start_s_, dur = burnout_s_ - decay_start_s_;
  return e_d + decay_start_hrr_kw_ * (tau - tau * tau / (2.0 * dur));
}

}  // namespace hqdrill::fire
