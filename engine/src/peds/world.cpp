#include "hqdrill/peds/world.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <utility>

#include "hqdrill/peds/fundamental.hpp"

namespace hqdrill::peds {

namespace {

constexpr std::size_t kNotSpawned = std::numeric_limits<std::size_t>::max();

std::int64_t to_us(double s) {
  return static_cast<std::int64_t>(std::llround(s * 1e6));
}
double to_s(std::int64_t us) {
  return static_cast<double>(us) * 1e-6;
}

double point_segment_distance(const Segment& s, Vec2 p) {
  return norm(p - closest_point(s, p));
}

/// Whether segments p0-p1 and q0-q1 cross (touching counts).
bool segments_cross(Vec2 p0, Vec2 p1, Vec2 q0, Vec2 q1) {
  const Vec2 r = p1 - p0, s = q1 - q0;
  const double d1 = cross(s, p0 - q0), d2 = cross(s, p1 - q0);
  const double d3 = cross(r, q0 - p0), d4 = cross(r, q1 - p0);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
    return true;
  return false;
}

}  // namespace

PedWorld::PedWorld(std::vector<WalkableArea> areas, std::vector<ExitRef> exits,
                   PedWorldOptions options)
    : areas_(std::move(areas)),
      exits_(std::move(exits)),
      opt_(options),
      model_(
          options.kind == ModelKind::social_force
              ? std::unique_ptr<OperationalModel>(std::make_unique<SocialForceModel>(options.model))
              : std::make_unique<CollisionFreeSpeedModel>(options.cfsm)),
      min_wall_distance_m_(std::numeric_limits<double>::infinity()) {
  for ([[maybe_unused]] const ExitRef& e : exits_) {
    assert(e.area < areas_.size());
    assert(areas_[e.area].door_index(e.door) >= 0);
  }
  assert(opt_.exit_choice_interval_s > 0);
  for (const WalkableArea& a : areas_) {
    assert(a.speed_factor > 0);
    any_speed_factor_ = any_speed_factor_ || a.speed_factor != 1.0;
  }
  per_exit_fields_ = opt_.choose_exits;
  model_->set_direction_provider([this](std::size_t mi, Vec2 p) -> Vec2 {
    const std::size_t wi = world_index_[mi];
    if (records_[wi].exit_s >= 0) {
      // Out, walking off (exit_apron_m): towards the point apron beyond the span, in
      // front of where it crossed (the span inset by a radius, so an agent that reached
      // the span at a jamb turns into the opening instead of walking into the wall).
      const Segment& s = leave_span_[wi];
      const double len = norm(s.b - s.a);
      const double inset = std::min(specs_[wi].radius_m, 0.5 * len);
      const Vec2 along = len > 0 ? (1.0 / len) * (s.b - s.a) : Vec2{0, 0};
      const Vec2 c = closest_point({s.a + inset * along, s.b - inset * along}, p);
      return normalized(c + opt_.exit_apron_m * leave_dir_[wi] - p);
    }
    if (model_->elapsed_us() < start_us_[wi]) return {0, 0};
    if (const int k = press_of_[wi]; k >= 0) {
      // Within reach: straight at the gate, aiming 1 m beyond its nearest point (the
      // span inset by a body radius, so those at the posts push into the opening).
      const PressTarget& g = press_targets_[static_cast<std::size_t>(k)];
      if (point_segment_distance(g.span, p) <= opt_.press_reach_m) {
        const double len = norm(g.span.b - g.span.a);
        const double inset = std::min(specs_[wi].radius_m, 0.5 * len);
        const Vec2 along = len > 0 ? (1.0 / len) * (g.span.b - g.span.a) : Vec2{0, 0};
        const Vec2 c = closest_point({g.span.a + inset * along, g.span.b - inset * along}, p);
        return normalized(c + g.inward - p);
      }
      return dwell_fields_[g.approach]->direction(p);
    }
    if (const int d = dwell_of_[wi]; d >= 0) {
      // Down the point's field until near the waiting crowd; then it claims the free spot
      // nearest to where it is (so the crowd fills from the side people come from, and
      // nobody has to cross it), walks straight there and stands.
      const FloorField& f = *dwell_fields_[static_cast<std::size_t>(d)];
      if (spot_index_[wi] == kNoSpot) {
        const double held = std::sqrt(spots_claimed_[static_cast<std::size_t>(d)] /
                                      (3.141592653589793 * opt_.dwell_density_pm2));
        if (f.distance(p) > held + 2.0) return f.direction(p);
        claim_spot(wi, p);
      }
      const double to_spot = norm(spot_[wi] - p);
      if (to_spot <= 0.15) return {0, 0};
      // Held up by those already standing (no progress for 2 s) close to its spot: it
      // stands where it is and gives its spot up.
      const std::int64_t now = model_->elapsed_us();
      if (to_spot < best_to_spot_[wi] - 0.05) {
        best_to_spot_[wi] = to_spot;
        progress_us_[wi] = now;
      } else if (now - progress_us_[wi] > 2'000'000 && to_spot < 2.0) {
        spot_taken_[static_cast<std::size_t>(d)][spot_index_[wi]] = 0;
        spot_[wi] = p;
        return {0, 0};
      }
      return normalized(spot_[wi] - p);
    }
    if (!field_) return {0, 0};
    const int k = target_[wi];
    // An agent whose exit is closed (no field) walks to the nearest open one.
    if (k >= 0 && per_exit_fields_ && exit_fields_[static_cast<std::size_t>(k)])
      return exit_fields_[static_cast<std::size_t>(k)]->direction(p);
    return field_->direction(p);
  });
  rebuild();
}

std::size_t PedWorld::add_dwell_point(Vec2 p) {
  dwell_points_.push_back(p);
  dwell_fields_.emplace_back();
  spots_.emplace_back();
  spot_taken_.emplace_back();
  spot_rings_.push_back(0);
  spots_claimed_.push_back(0);
  return dwell_points_.size() - 1;
}

void PedWorld::set_dwell(std::size_t i, int k) {
  assert(k >= -1 && k < static_cast<int>(dwell_points_.size()));
  if (dwell_of_[i] >= 0 && spot_index_[i] != kNoSpot) {
    spot_taken_[static_cast<std::size_t>(dwell_of_[i])][spot_index_[i]] = 0;
    --spots_claimed_[static_cast<std::size_t>(dwell_of_[i])];
  }
  spot_index_[i] = kNoSpot;
  dwell_of_[i] = k;
  if (k < 0) {
    choice_due_ = true;
    return;
  }
  std::optional<FloorField>& f = dwell_fields_[static_cast<std::size_t>(k)];
  if (!f)
    f.emplace(std::span<const WalkableArea>(areas_),
              std::vector<Segment>{{dwell_points_[static_cast<std::size_t>(k)],
                                    dwell_points_[static_cast<std::size_t>(k)]}},
              opt_.field);
}

std::size_t PedWorld::add_press_target(Segment span, Vec2 inward, Vec2 approach) {
  const std::size_t d = add_dwell_point(approach);
  press_targets_.push_back({span, normalized(inward), d});
  return press_targets_.size() - 1;
}

void PedWorld::set_press(std::size_t i, int k) {
  assert(k >= -1 && k < static_cast<int>(press_targets_.size()));
  press_of_[i] = k;
  if (k < 0) {
    choice_due_ = true;
    return;
  }
  const std::size_t d = press_targets_[static_cast<std::size_t>(k)].approach;
  std::optional<FloorField>& f = dwell_fields_[d];
  if (!f)
    f.emplace(std::span<const WalkableArea>(areas_),
              std::vector<Segment>{{dwell_points_[d], dwell_points_[d]}}, opt_.field);
}

void PedWorld::set_speed(std::size_t i, double v0_mps) {
  assert(v0_mps >= 0);
  specs_[i].desired_speed_mps = v0_mps;
  const std::size_t mi = model_index_[i];
  if (mi == kNotSpawned || out(i)) return;
  const int a = area_of_agent_[i];
  const double f = a < 0 ? 1.0 : areas_[static_cast<std::size_t>(a)].speed_factor;
  model_->set_desired_speed(mi, v0_mps * f);
}

bool PedWorld::at_rest(double v_eps_mps) const {
  if (!pending_.empty() || door_events_pending()) return false;
  const std::int64_t now = model_->elapsed_us();
  for (std::size_t wi = 0; wi < specs_.size(); ++wi) {
    const std::size_t mi = model_index_[wi];
    if (mi == kNotSpawned || !model_->active(mi)) continue;
    if (out(wi) || press_of_[wi] >= 0 || start_us_[wi] > now) return false;
    if (norm(model_->velocity(mi)) >= v_eps_mps) return false;
  }
  return true;
}

void PedWorld::claim_spot(std::size_t wi, Vec2 p) {
  // Spots: a square lattice of spacing 1/sqrt(density) round the point, in the point's
  // own area (a crowd waiting in front of a gate does not spill through it into the area
  // behind) and a body radius clear of walls, made ring by ring as needed. The agent takes the free
  // one nearest to it among the rings made so far (at least one free).
  const std::size_t kk = static_cast<std::size_t>(dwell_of_[wi]);
  std::vector<Vec2>& spots = spots_[kk];
  std::vector<char>& taken = spot_taken_[kk];
  const double a = 1.0 / std::sqrt(opt_.dwell_density_pm2);
  auto any_free = [&] { return std::find(taken.begin(), taken.end(), 0) != taken.end(); };
  const int home = area_at(dwell_points_[kk]);
  while (!any_free() && spot_rings_[kk] < 200) {
    const int ring = spot_rings_[kk]++;
    for (int ix = -ring; ix <= ring; ++ix)
      for (int iy = -ring; iy <= ring; ++iy) {
        if (std::max(std::abs(ix), std::abs(iy)) != ring) continue;
        const Vec2 q = dwell_points_[kk] + Vec2{ix * a, iy * a};
        if (area_at(q) < 0 || area_at(q) != home) continue;
        bool clear = true;
        for (const Segment& w : model_->walls())
          if (point_segment_distance(w, q) < specs_[wi].radius_m + 0.05) clear = false;
        if (!clear) continue;
        spots.push_back(q);
        taken.push_back(0);
      }
  }
  if (!any_free()) {  // nowhere left: stand at the point itself
    spots.push_back(dwell_points_[kk]);
    taken.push_back(0);
  }
  std::size_t best = spots.size();
  for (std::size_t q = 0; q < spots.size(); ++q)
    if (!taken[q] && (best == spots.size() || norm(spots[q] - p) < norm(spots[best] - p))) best = q;
  taken[best] = 1;
  ++spots_claimed_[kk];
  spot_index_[wi] = best;
  spot_[wi] = spots[best];
  best_to_spot_[wi] = norm(spots[best] - p);
  progress_us_[wi] = model_->elapsed_us();
}

void PedWorld::rebuild() {
  choice_due_ = true;
  for (std::optional<FloorField>& f : dwell_fields_)
    if (f) f->rebuild(std::span<const WalkableArea>(areas_));
  exit_spans_.clear();
  exit_of_span_.clear();
  exit_outward_.clear();
  for (std::size_t k = 0; k < exits_.size(); ++k) {
    const WalkableArea& a = areas_[exits_[k].area];
    const Door& d = a.doors[static_cast<std::size_t>(a.door_index(exits_[k].door))];
    if (!d.open) continue;
    exit_spans_.push_back(d.span);
    exit_of_span_.push_back(static_cast<int>(k));
    const Vec2 along = normalized(d.span.b - d.span.a);
    Vec2 nrm{-along.y, along.x};
    const Vec2 mid = 0.5 * (d.span.a + d.span.b);
    if (a.contains(mid + 0.01 * nrm)) nrm = -1.0 * nrm;
    exit_outward_.push_back(nrm);
  }
  exit_fields_.clear();
  if (per_exit_fields_) {
    exit_fields_.resize(exits_.size());
    for (std::size_t s = 0; s < exit_spans_.size(); ++s)
      exit_fields_[static_cast<std::size_t>(exit_of_span_[s])].emplace(
          std::span<const WalkableArea>(areas_), std::vector<Segment>{exit_spans_[s]}, opt_.field);
  }
  if (exit_spans_.empty()) {
    field_.reset();
    // Walls without a field: every area's walls (doors listed in one area only are
    // not cut from the other; with no exit open nobody walks anyway).
    std::vector<Segment> walls;
    for (const WalkableArea& a : areas_) {
      const std::vector<Segment> w = a.walls();
      walls.insert(walls.end(), w.begin(), w.end());
    }
    model_->set_walls(std::move(walls));
    return;
  }
  field_.reset();
  field_.emplace(std::span<const WalkableArea>(areas_), exit_spans_, opt_.field);
  congested_ = false;
  next_congestion_us_ = model_->elapsed_us();  // the new field gets its cost at once
  model_->set_walls(field_->walls());
}

std::size_t PedWorld::add_agent(const PedSpec& spec) {
  assert(spec.radius_m > 0 && spec.desired_speed_mps > 0);
  assert(spec.spawn_time_s >= 0 && spec.pre_movement_s >= 0);
  assert(spec.exit >= -1 && spec.exit < static_cast<int>(exits_.size()));
  const std::size_t wi = specs_.size();
  specs_.push_back(spec);
  records_.push_back({});
  target_.push_back(spec.exit);
  dwell_of_.push_back(-1);
  press_of_.push_back(-1);
  spot_.push_back({});
  spot_index_.push_back(kNoSpot);
  best_to_spot_.push_back(0);
  progress_us_.push_back(0);
  area_of_agent_.push_back(-1);
  leave_dir_.push_back({0, 0});
  leave_span_.push_back({});
  if (spec.exit >= 0 && !per_exit_fields_) {
    per_exit_fields_ = true;
    rebuild();
  }
  const std::int64_t spawn = std::max(to_us(spec.spawn_time_s), model_->elapsed_us());
  spawn_us_.push_back(spawn);
  start_us_.push_back(spawn + to_us(spec.pre_movement_s));
  model_index_.push_back(kNotSpawned);
  pending_.push_back(wi);
  ++remaining_;
  spawn_due();
  return wi;
}

void PedWorld::spawn_due() {
  const std::int64_t now = model_->elapsed_us();
  std::size_t kept = 0;
  for (const std::size_t wi : pending_) {
    if (spawn_us_[wi] > now) {
      pending_[kept++] = wi;
      continue;
    }
    const PedSpec& s = specs_[wi];
    double v0 = s.desired_speed_mps;
    if (any_speed_factor_) {
      area_of_agent_[wi] = area_at(s.position);
      if (area_of_agent_[wi] >= 0)
        v0 *= areas_[static_cast<std::size_t>(area_of_agent_[wi])].speed_factor;
    }
    add_model_agent(wi, s.position, {0, 0}, v0);
    choice_due_ = true;
    records_[wi].spawn_s = to_s(spawn_us_[wi]);
    records_[wi].start_s = to_s(start_us_[wi]);
  }
  pending_.resize(kept);
}

std::size_t PedWorld::add_model_agent(std::size_t wi, Vec2 position, Vec2 velocity, double v0_mps) {
  AgentSpec a;
  a.position = position;
  a.goal = position;  // unused: the direction provider steers, removal is ours
  a.desired_speed_mps = v0_mps;
  a.radius_m = specs_[wi].radius_m;
  a.velocity = velocity;
  a.remove_at_goal = false;
  const std::size_t mi = model_->add_agent(a);
  model_index_[wi] = mi;
  if (world_index_.size() <= mi) world_index_.resize(mi + 1, kNotSpawned);
  world_index_[mi] = wi;
  return mi;
}

int PedWorld::area_at(Vec2 p) const {
  for (std::size_t k = 0; k < areas_.size(); ++k)
    if (areas_[k].contains(p)) return static_cast<int>(k);
  return -1;
}

void PedWorld::choose_exits() {
  // Field distance of every walking agent to every open exit, and per exit the sorted
  // distances of the agents queued near it: the queue ahead of an agent is the number of
  // those nearer to the exit than itself. Field distances include the wall penalty
  // (penalised metres), which overstates the walk by at most the penalised stretches.
  const std::size_t ne = exits_.size();
  const std::size_t nw = specs_.size();
  std::vector<double> dist(nw * ne, FloorField::kUnreachable);
  std::vector<std::vector<double>> queued(ne);
  std::vector<double> width_m(ne, 0.0);
  for (std::size_t s = 0; s < exit_spans_.size(); ++s) {
    const std::size_t k = static_cast<std::size_t>(exit_of_span_[s]);
    width_m[k] = effective_width_m(norm(exit_spans_[s].b - exit_spans_[s].a), Boundary::door_jamb,
                                   Boundary::door_jamb);
  }
  std::vector<std::size_t> walking;
  for (std::size_t wi = 0; wi < nw; ++wi) {
    const std::size_t mi = model_index_[wi];
    if (mi == kNotSpawned || out(wi)) continue;
    walking.push_back(wi);
    const Vec2 p = model_->position(mi);
    for (std::size_t s = 0; s < exit_spans_.size(); ++s) {
      const std::size_t k = static_cast<std::size_t>(exit_of_span_[s]);
      const double d = exit_fields_[k]->distance(p);
      dist[wi * ne + k] = d;
      if (point_segment_distance(exit_spans_[s], p) <= opt_.queue_radius_m) queued[k].push_back(d);
    }
  }
  for (std::vector<double>& q : queued) std::sort(q.begin(), q.end());
  std::vector<ExitEstimate> est(ne);
  for (const std::size_t wi : walking) {
    if (specs_[wi].exit >= 0) continue;  // assigned: no choice
    for (std::size_t k = 0; k < ne; ++k) {
      const double d = dist[wi * ne + k];
      est[k].distance_m = d + exits_[k].extra_m;
      est[k].width_m = width_m[k] > 0 ? width_m[k] : 1.0;
      est[k].queue_persons = static_cast<double>(
          std::lower_bound(queued[k].begin(), queued[k].end(), d) - queued[k].begin());
    }
    ExitChoiceParams params = opt_.exit_choice;
    params.speed_mps = specs_[wi].desired_speed_mps;
    target_[wi] = choose_exit(est, target_[wi], params);
  }
}

void PedWorld::update_congestion() {
  // Only agents that walk the nearest-exit field read it (per-exit fields stay static).
  bool used = !per_exit_fields_;
  for (std::size_t wi = 0; wi < specs_.size() && !used; ++wi) {
    if (model_index_[wi] == kNotSpawned || out(wi)) continue;
    const int k = target_[wi];
    used = k < 0 || !exit_fields_[static_cast<std::size_t>(k)];
  }
  if (!used) return;
  FloorField& f = *field_;
  const int nx = f.nx(), ny = f.ny();
  const double h = f.cell_m();
  const Vec2 o = f.origin();
  const std::size_t cells = static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny);
  cell_count_.assign(cells, 0.0);
  cell_area_.assign(cells, 0.0);
  for (std::size_t mi = 0; mi < model_->size(); ++mi) {
    if (!model_->active(mi)) continue;
    // Bilinear (cloud-in-cell) share of the agent to the four cell centres around it, so
    // the density does not jump as agents cross cell lines.
    const Vec2 p = model_->position(mi);
    const double fx = (p.x - o.x) / h - 0.5, fy = (p.y - o.y) / h - 0.5;
    const int i0 = static_cast<int>(std::floor(fx)), j0 = static_cast<int>(std::floor(fy));
    const double tx = fx - i0, ty = fy - j0;
    for (int b = 0; b < 2; ++b)
      for (int a = 0; a < 2; ++a) {
        const int i = i0 + a, j = j0 + b;
        if (i < 0 || j < 0 || i >= nx || j >= ny) continue;
        cell_count_[static_cast<std::size_t>(j) * static_cast<std::size_t>(nx) +
                    static_cast<std::size_t>(i)] += (a ? tx : 1 - tx) * (b ? ty : 1 - ty);
      }
  }
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i)
      if (f.walkable(i, j))
        cell_area_[static_cast<std::size_t>(j) * static_cast<std::size_t>(nx) +
                   static_cast<std::size_t>(i)] = h * h;
  // Box sums of side 2k + 1 cells (separable: rows, then columns) of agents and area.
  const int k = std::max(0, static_cast<int>(std::lround(opt_.congestion_radius_m / h - 0.5)));
  auto box = [&](std::vector<double>& v) {
    std::vector<double> row(cells, 0.0);
    for (int j = 0; j < ny; ++j) {
      const std::size_t r = static_cast<std::size_t>(j) * static_cast<std::size_t>(nx);
      double sum = 0;
      for (int i = 0; i < std::min(k, nx); ++i) sum += v[r + static_cast<std::size_t>(i)];
      for (int i = 0; i < nx; ++i) {
        if (i + k < nx) sum += v[r + static_cast<std::size_t>(i + k)];
        if (i - k - 1 >= 0) sum -= v[r + static_cast<std::size_t>(i - k - 1)];
        row[r + static_cast<std::size_t>(i)] = sum;
      }
    }
    const std::size_t sx = static_cast<std::size_t>(nx);
    for (int i = 0; i < nx; ++i) {
      double sum = 0;
      for (int j = 0; j < std::min(k, ny); ++j)
        sum += row[static_cast<std::size_t>(j) * sx + static_cast<std::size_t>(i)];
      for (int j = 0; j < ny; ++j) {
        if (j + k < ny)
          sum += row[static_cast<std::size_t>(j + k) * sx + static_cast<std::size_t>(i)];
        if (j - k - 1 >= 0)
          sum -= row[static_cast<std::size_t>(j - k - 1) * sx + static_cast<std::size_t>(i)];
        v[static_cast<std::size_t>(j) * sx + static_cast<std::size_t>(i)] = sum;
      }
    }
  };
  box(cell_count_);
  box(cell_area_);
  extra_.assign(cells, 0.0);
  bool any = false;
  const WeidmannParams wp;
  for (std::size_t c = 0; c < cells; ++c) {
    if (cell_count_[c] <= 0 || cell_area_[c] <= 0) continue;
    const double rho = cell_count_[c] / cell_area_[c];
    const double v = weidmann_speed_mps(rho, wp);
    const double slow =
        v * opt_.congestion_max_slowness > wp.v0_mps ? wp.v0_mps / v : opt_.congestion_max_slowness;
    // Below 1e-3 (rho < 0.3 /m^2) the field would not change: skip the march.
    if (slow - 1.0 < 1e-3) continue;
    extra_[c] = slow - 1.0;
    any = true;
  }
  if (!any && !congested_) return;
  congested_ = any;
  f.set_extra_slowness(any ? extra_ : std::vector<double>{});
}

void PedWorld::schedule_door(DoorEvent event) {
  assert(event.area < areas_.size());
  const auto first = events_.begin() + static_cast<std::ptrdiff_t>(next_event_);
  const auto at = std::upper_bound(first, events_.end(), event.time_s,
                                   [](double t, const DoorEvent& e) { return t < e.time_s; });
  events_.insert(at, std::move(event));
}

Vec2 PedWorld::position(std::size_t i) const {
  const std::size_t mi = model_index_[i];
  return mi == kNotSpawned ? specs_[i].position : model_->position(mi);
}

Vec2 PedWorld::velocity(std::size_t i) const {
  const std::size_t mi = model_index_[i];
  return (mi == kNotSpawned || out(i)) ? Vec2{0, 0} : model_->velocity(mi);
}

void PedWorld::step(double dt_s) {
  assert(dt_s > 0);
  const std::int64_t now = model_->elapsed_us();
  bool changed = false;
  while (next_event_ < events_.size() && to_us(events_[next_event_].time_s) <= now) {
    const DoorEvent& e = events_[next_event_++];
    changed |= areas_[e.area].set_door_open(e.door, e.open);
  }
  if (changed) rebuild();
  spawn_due();
  // Newcomers (spawned here or in add_agent) and everyone after a door change choose at
  // once: until their first choice they would walk to the nearest exit, which for someone
  // placed at the door it came in by is that door.
  if (opt_.choose_exits && per_exit_fields_ && (now >= next_choice_us_ || choice_due_) &&
      !exit_spans_.empty()) {
    choice_due_ = false;
    choose_exits();
    next_choice_us_ = now + to_us(opt_.exit_choice_interval_s);
  }

  if (opt_.congestion_interval_s > 0 && field_ && now >= next_congestion_us_) {
    update_congestion();
    next_congestion_us_ = now + to_us(opt_.congestion_interval_s);
  }

  const std::size_t n = model_->size();
  std::vector<Vec2> before(n);
  for (std::size_t mi = 0; mi < n; ++mi) before[mi] = model_->position(mi);
  model_->step(dt_s);
  const double t = model_->elapsed_s();
  std::vector<std::pair<std::size_t, int>> moved_area;

  for (std::size_t mi = 0; mi < n; ++mi) {
    if (!model_->active(mi)) continue;
    const std::size_t wi = world_index_[mi];
    const Vec2 p = model_->position(mi);
    if (out(wi)) {  // walking off beyond its exit (exit_apron_m)
      // Gone once apron beyond the span; a guard of apron / (v0 / 4) + 1 s ends the walk
      // of one held up (it must never stand in a door for ever).
      const double guard_s = opt_.exit_apron_m / (0.25 * specs_[wi].desired_speed_mps) + 1.0;
      if (point_segment_distance(leave_span_[wi], p) >= opt_.exit_apron_m ||
          t - records_[wi].exit_s > guard_s)
        model_->deactivate(mi);
      continue;
    }
    records_[wi].path_m += norm(p - before[mi]);
    if (opt_.check_walls) {
      for (const Segment& w : model_->walls()) {
        if (segments_cross(before[mi], p, w.a, w.b)) ++wall_crossings_;
        min_wall_distance_m_ = std::min(min_wall_distance_m_, point_segment_distance(w, p));
      }
    }
    const int area = area_at(p);
    bool is_out = area < 0;
    double nearest = std::numeric_limits<double>::infinity();
    int exit = -1, span = -1;
    for (std::size_t s = 0; s < exit_spans_.size(); ++s) {
      const double d = point_segment_distance(exit_spans_[s], p);
      if (d < nearest) {
        nearest = d;
        exit = exit_of_span_[s];
        span = static_cast<int>(s);
      }
    }
    // Someone sent to a dwell point is not out when it brushes past an exit.
    if (nearest <= opt_.exit_tolerance_m && dwell_of_[wi] < 0 && press_of_[wi] < 0) is_out = true;
    if (is_out) {
      records_[wi].exit_s = t;
      records_[wi].exit = exit;
      --remaining_;
      // Walks off through the exit span it reached (exit_apron_m); an agent that left
      // the areas some other way, or with no apron, leaves the model at once.
      if (opt_.exit_apron_m > 0 && nearest <= opt_.exit_tolerance_m) {
        leave_span_[wi] = exit_spans_[static_cast<std::size_t>(span)];
        leave_dir_[wi] = exit_outward_[static_cast<std::size_t>(span)];
      } else {
        model_->deactivate(mi);
      }
    } else if (any_speed_factor_ && area != area_of_agent_[wi]) {
      moved_area.emplace_back(wi, area);
    }
  }
  // Desired speed follows the area (stairs).
  for (const auto& [wi, area] : moved_area) {
    const auto factor = [this](int a) {
      return a < 0 ? 1.0 : areas_[static_cast<std::size_t>(a)].speed_factor;
    };
    const double f_old = factor(area_of_agent_[wi]), f_new = factor(area);
    area_of_agent_[wi] = area;
    if (f_new != f_old)
      model_->set_desired_speed(model_index_[wi], specs_[wi].desired_speed_mps * f_new);
  }
}

bool PedWorld::run(double dt_s, double max_time_s) {
  const std::int64_t end = to_us(max_time_s);
  while (remaining_ > 0 && model_->elapsed_us() < end) step(dt_s);
  return remaining_ == 0;
}

double PedWorld::evacuation_time_s() const {
  if (remaining_ > 0) return -1.0;
  double t = 0.0;
  for (const AgentRecord& r : records_) t = std::max(t, r.exit_s);
  return t;
}

}  // namespace hqdrill::peds
