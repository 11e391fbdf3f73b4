// Distributions in a scenario: a plain number (constant) or {"dist": kind, ...}.
// Rules from docs/scenario-format.md "Distributions"; delays (_s) must not go negative,
// speeds (_mps) must stay positive.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "reader.hpp"

namespace hqdrill::io::detail {

namespace {

const std::vector<std::string> kDistNames{"constant",  "uniform",     "triangular", "normal",
                                          "lognormal", "exponential", "empirical"};
const std::vector<std::string> kAllDistKeys{"dist",  "value",  "min",     "max",        "mode",
                                            "mean",  "sd",     "median",  "p90",        "mu",
                                            "sigma", "values", "weights", "interpolate"};

// Truncation bounds must keep a useful share of the distribution: the engine draws
// truncated normals by rejection, so a far-tail window would stall it.
constexpr double kMinTruncatedMass = 0.01;

double std_normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

/// P(za <= Z <= zb) for a standard normal Z; in the upper tail through the survival
/// function, so a window far out on either side does not cancel to 0.
double std_normal_mass(double za, double zb) {
  if (za > 0) return std_normal_cdf(-za) - std_normal_cdf(-zb);
  return std_normal_cdf(zb) - std_normal_cdf(za);
}

std::string percent(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g%%", p * 100.0);
  return buf;
}

}  // namespace

std::optional<Distribution> read_distribution(Reader& r, const Json& j, const std::string& ptr,
                                              Quantity q) {
  const Range lower = q == Quantity::delay ? kNonNegative : kPositive;
  if (j.is_number()) {
    auto v = r.number(j, ptr, lower);
    if (!v) return std::nullopt;
    return Distribution::constant_of(*v);
  }
  if (!j.is_object()) {
    r.error(ptr, "expected a number or a distribution object, got " + type_name(j));
    return std::nullopt;
  }
  auto dist_it = j.find("dist");
  if (dist_it == j.end()) {
    Obj(r, j, ptr, kAllDistKeys, {"dist"});
    return std::nullopt;
  }
  auto kind_index = r.one_of(*dist_it, child(ptr, "dist"), "distribution", kDistNames);
  if (!kind_index) return std::nullopt;
  const auto kind = static_cast<DistKind>(*kind_index);

  const std::size_t errors_before = r.error_count();
  const auto fail = [&] { return r.error_count() != errors_before; };
  // "must be greater than <name> (<bound>) (got <value>)" for a key that must exceed another.
  const auto above = [&](Obj& o, const char* key, const char* other, double v, double bound,
                         bool strict) {
    if (strict ? v > bound : v >= bound) return true;
    r.error(o.ptr(key), std::string(strict ? "must be greater than " : "must be at least ") +
                            other + " (" + show_number(bound) + ") (got " + show(*o.find(key)) +
                            ")");
    return false;
  };

  // Keys of other kinds get a message naming the kind instead of a far-fetched suggestion.
  const auto keys = [&](std::vector<std::string> own, std::vector<std::string> required) {
    own.insert(own.begin(), "dist");
    for (const auto& [key, value] : j.items())
      if (std::find(kAllDistKeys.begin(), kAllDistKeys.end(), key) != kAllDistKeys.end() &&
          std::find(own.begin(), own.end(), key) == own.end())
        r.error(ptr, "key " + quote(key) + " does not belong to a " + kDistNames[*kind_index] +
                         " distribution");
    return Obj(r, j, ptr, kAllDistKeys, required);
  };

  Distribution d;
  switch (kind) {
    case DistKind::constant: {
      Obj o = keys({"value"}, {"value"});
      if (!o.ok()) return std::nullopt;
      auto v = o.number("value", lower);
      if (v) d = Distribution::constant_of(*v);
      break;
    }
    case DistKind::uniform: {
      Obj o = keys({"min", "max"}, {"min", "max"});
      auto lo = o.number("min", lower);
      auto hi = o.number("max");
      if (lo && hi && above(o, "max", "min", *hi, *lo, true))
        d = Distribution::uniform_of(*lo, *hi);
      break;
    }
    case DistKind::triangular: {
      Obj o = keys({"min", "mode", "max"}, {"min", "mode", "max"});
      auto lo = o.number("min", lower);
      auto mode = o.number("mode");
      auto hi = o.number("max");
      if (lo && mode && hi && above(o, "mode", "min", *mode, *lo, false) &&
          above(o, "max", "mode", *hi, *mode, false) && above(o, "max", "min", *hi, *lo, true))
        d = Distribution::triangular_of(*lo, *mode, *hi);
      break;
    }
    case DistKind::normal: {
      Obj o = keys({"mean", "sd", "min", "max"}, {"mean", "sd"});
      if (!o.ok()) return std::nullopt;
      auto mean = o.number("mean");
      auto sd = o.number("sd", kPositive);
      auto lo = o.number("min", lower);
      auto hi = o.number("max");
      if (!o.has("min"))
        r.error(ptr, q == Quantity::delay
                         ? "a normal delay needs \"min\" (at least 0) so it cannot go negative"
                         : "a normal speed needs \"min\" (greater than 0) so it stays positive");
      if (lo && hi && !above(o, "max", "min", *hi, *lo, true)) break;
      if (!mean || !sd || fail()) break;
      const double a = lo ? *lo : -kInf, b = hi ? *hi : kInf;
      const double mass = std_normal_mass((a - *mean) / *sd, (b - *mean) / *sd);
      if (!(mass >= kMinTruncatedMass)) {
        r.error(ptr, "the bounds keep only " + percent(mass) +
                         " of this normal distribution (at least 1% needed)");
        break;
      }
      d = Distribution::normal_of(*mean, *sd, a, b);
      break;
    }
    case DistKind::lognormal: {
      Obj o = keys({"median", "p90", "mu", "sigma", "min", "max"}, {});
      if (!o.ok()) return std::nullopt;
      const bool by_quantiles = o.has("median") || o.has("p90");
      const bool by_moments = o.has("mu") || o.has("sigma");
      if (by_quantiles && by_moments) {
        r.error(ptr, "give either \"median\" and \"p90\" or \"mu\" and \"sigma\", not both");
        break;
      }
      if (!by_quantiles && !by_moments) {
        r.error(ptr, "missing required keys \"median\" and \"p90\" (or \"mu\" and \"sigma\")");
        break;
      }
      const char* k1 = by_quantiles ? "median" : "mu";
      const char* k2 = by_quantiles ? "p90" : "sigma";
      if (!o.has(k1)) r.error(ptr, "missing required key " + quote(k1));
      if (!o.has(k2)) r.error(ptr, "missing required key " + quote(k2));
      auto lo = o.number("min", kNonNegative);
      auto hi = o.number("max");
      if (lo && hi) above(o, "max", "min", *hi, *lo, true);
      if (by_quantiles) {
        auto median = o.number("median", kPositive);
        auto p90 = o.number("p90");
        if (median && p90) above(o, "p90", "median", *p90, *median, true);
        if (fail()) break;
        d = Distribution::lognormal_from_median_p90(*median, *p90);
      } else {
        auto mu = o.number("mu");
        auto sigma = o.number("sigma", kPositive);
        if (fail()) break;
        d = Distribution::lognormal_of(*mu, *sigma);
      }
      if (lo) d.lo = *lo;
      if (hi) d.hi = *hi;
      if (lo || hi) {
        const double za = lo && *lo > 0 ? (std::log(*lo) - d.a) / d.b : -kInf;
        const double zb = hi ? (*hi > 0 ? (std::log(*hi) - d.a) / d.b : -kInf) : kInf;
        const double mass = std_normal_mass(za, zb);
        if (!(mass >= kMinTruncatedMass))
          r.error(ptr, "the bounds keep only " + percent(mass) +
                           " of this lognormal distribution (at least 1% needed)");
      }
      break;
    }
    case DistKind::exponential: {
      Obj o = keys({"mean", "min"}, {"mean"});
      auto shift = o.number("min", kNonNegative);
      auto mean = o.number("mean", o.has("min") ? kAny : kPositive);
      if (mean && shift) above(o, "mean", "min", *mean, *shift, true);
      if (mean && !fail()) d = Distribution::exponential_of(*mean, shift.value_or(0.0));
      break;
    }
    case DistKind::empirical: {
      Obj o = keys({"values", "weights", "interpolate"}, {"values"});
      if (!o.ok()) return std::nullopt;
      std::vector<double> values, weights;
      bool interpolate = false;
      if (const Json* v = o.find("values"); v && r.is_array(*v, o.ptr("values"))) {
        if (v->empty()) r.error(o.ptr("values"), "must have at least one value");
        for (std::size_t i = 0; i < v->size(); ++i)
          if (auto x = r.number((*v)[i], child(o.ptr("values"), i), lower)) values.push_back(*x);
      }
      if (const Json* w = o.find("weights"); w && r.is_array(*w, o.ptr("weights"))) {
        double sum = 0;
        for (std::size_t i = 0; i < w->size(); ++i)
          if (auto x = r.number((*w)[i], child(o.ptr("weights"), i), kNonNegative)) {
            weights.push_back(*x);
            sum += *x;
          }
        const Json* v = o.find("values");
        if (v && v->is_array() && w->size() != v->size())
          r.error(o.ptr("weights"), "must have as many entries as \"values\" (" +
                                        std::to_string(v->size()) + ") (got " +
                                        std::to_string(w->size()) + ")");
        else if (!w->empty() && weights.size() == w->size() && !(sum > 0))
          r.error(o.ptr("weights"), "must have a positive sum");
      }
      if (auto b = o.boolean("interpolate")) interpolate = *b;
      // The interpolated CDF gives each gap between sorted values equal mass: no weights.
      if (interpolate && o.has("weights"))
        r.error(o.ptr("weights"), "cannot be used with \"interpolate\": true");
      if (fail()) break;
      d = Distribution::empirical_of(std::move(values), std::move(weights), interpolate);
      break;
    }
  }
  if (fail()) return std::nullopt;
  // The engine's own consistency check: a rule it has that this reader does not know.
  if (std::string problem = d.check(); !problem.empty()) {
    r.error(ptr, problem);
    return std::nullopt;
  }
  return d;
}

}  // namespace hqdrill::io::detail
