#include "hqdrill/analysis/compare.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "hqdrill/analysis/stats.hpp"

namespace hqdrill {

double sign_test_p(const std::vector<double>& diffs) {
  int pos = 0, neg = 0;
  for (double d : diffs) {
    if (d > 0) ++pos;
    if (d < 0) ++neg;
  }
  const int n = pos + neg;
  if (n == 0) return 1.0;
  // P(X <= k), X ~ Bin(n, 1/2), summed in logs (n can be large).
  const int k = std::min(pos, neg);
  double tail = 0;
  for (int i = 0; i <= k; ++i)
    tail += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) -
                     n * std::log(2.0));
  return std::min(1.0, 2.0 * tail);
}

PairedInterval paired_interval(const std::vector<double>& diffs) {
  PairedInterval out;
  const std::size_t n = diffs.size();
  if (n == 0) return out;
  double sum = 0;
  for (double d : diffs) sum += d;  // in run order: deterministic
  out.mean = sum / static_cast<double>(n);
  out.low = out.high = out.mean;
  if (n < 2) return out;
  double ss = 0;
  for (double d : diffs) ss += (d - out.mean) * (d - out.mean);
  const double sd = std::sqrt(ss / static_cast<double>(n - 1));
  const double half = student_t_critical(0.05, n - 1) * sd / std::sqrt(static_cast<double>(n));
  out.low = out.mean - half;
  out.high = out.mean + half;
  out.has_ci = true;
  return out;
}

namespace {

const IncidentRuns* runs_of(const ExperimentResults& r, Index incident) {
  for (const IncidentRuns& x : r.incidents)
    if (x.incident == incident) return &x;
  return nullptr;
}

Index incident_index(const Scenario& s, const std::string& id) {
  for (std::size_t i = 0; i < s.incidents.size(); ++i)
    if (s.incidents[i].id == id) return static_cast<Index>(i);
  return kNone;
}

bool excludes_zero(const PairedInterval& p) {
  return p.has_ci && (p.low > 0 || p.high < 0);
}

KpiComparison compare_kpi(const std::string& name, const IncidentRuns& a, std::size_t ka,
                          const IncidentRuns& b, std::size_t kb, std::size_t runs) {
  KpiComparison c;
  c.kpi = name;
  c.runs = runs;
  std::vector<double> diffs, miss;
  double sum_a = 0, sum_b = 0;
  std::size_t n_a = 0, n_b = 0;
  for (std::size_t i = 0; i < runs; ++i) {
    const auto& va = a.values[i][ka];
    const auto& vb = b.values[i][kb];
    if (va) {
      sum_a += *va;
      ++n_a;
    }
    if (vb) {
      sum_b += *vb;
      ++n_b;
    }
    if (va && vb) diffs.push_back(*vb - *va);
    miss.push_back((vb ? 0.0 : 1.0) - (va ? 0.0 : 1.0));
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double r = static_cast<double>(runs);
  c.mean_a = n_a ? sum_a / static_cast<double>(n_a) : nan;
  c.mean_b = n_b ? sum_b / static_cast<double>(n_b) : nan;
  c.missing_a = runs ? static_cast<double>(runs - n_a) / r : 0;
  c.missing_b = runs ? static_cast<double>(runs - n_b) / r : 0;
  c.paired = diffs.size();
  const PairedInterval d = paired_interval(diffs);
  c.mean_diff = c.paired ? d.mean : nan;
  c.ci_low = c.paired ? d.low : nan;
  c.ci_high = c.paired ? d.high : nan;
  c.has_ci = d.has_ci;
  c.sign_test_p = sign_test_p(diffs);
  c.significant = excludes_zero(d) && c.sign_test_p < 0.05;
  const PairedInterval m = paired_interval(miss);
  c.missing_diff = m.mean;
  c.missing_ci_low = m.low;
  c.missing_ci_high = m.high;
  c.missing_significant = excludes_zero(m) && sign_test_p(miss) < 0.05;
  return c;
}

}  // namespace

Comparison compare_runs(const Scenario& a, const ExperimentResults& ra, const Scenario& b,
                        const ExperimentResults& rb) {
  assert(ra.runs == rb.runs && ra.seed == rb.seed);
  Comparison out;
  out.runs = ra.runs;
  out.seed = ra.seed;
  for (const Incident& inc : b.incidents)
    if (incident_index(a, inc.id) == kNone) out.only_b.push_back(inc.id);
  for (std::size_t i = 0; i < a.incidents.size(); ++i) {
    const std::string& id = a.incidents[i].id;
    const Index ib = incident_index(b, id);
    if (ib == kNone) {
      out.only_a.push_back(id);
      continue;
    }
    const IncidentRuns* xa = runs_of(ra, static_cast<Index>(i));
    const IncidentRuns* xb = runs_of(rb, ib);
    if (!xa || !xb) continue;
    IncidentComparison ic;
    ic.incident = id;
    ic.index_a = static_cast<Index>(i);
    ic.index_b = ib;
    ic.common_random_numbers = ic.index_a == ic.index_b;
    const std::size_t runs = std::min(xa->values.size(), xb->values.size());
    for (std::size_t ka = 0; ka < xa->kpi_names.size(); ++ka) {
      const auto it = std::find(xb->kpi_names.begin(), xb->kpi_names.end(), xa->kpi_names[ka]);
      if (it == xb->kpi_names.end()) {
        ic.only_a.push_back(xa->kpi_names[ka]);
        continue;
      }
      const auto kb = static_cast<std::size_t>(it - xb->kpi_names.begin());
      ic.kpis.push_back(compare_kpi(xa->kpi_names[ka], *xa, ka, *xb, kb, runs));
    }
    for (const std::string& k : xb->kpi_names)
      if (std::find(xa->kpi_names.begin(), xa->kpi_names.end(), k) == xa->kpi_names.end())
        ic.only_b.push_back(k);
    out.incidents.push_back(std::move(ic));
  }
  return out;
}

}  // namespace hqdrill
