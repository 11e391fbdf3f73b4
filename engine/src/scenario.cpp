#include "hqdrill/scenario.hpp"

#include <array>
#include <string_view>

namespace hqdrill {

// Names are exactly the enumerators; the scenario format and the outputs use them.

const char* to_string(NodeKind k) {
  switch (k) {
    case NodeKind::gate:
      return "gate";
    case NodeKind::guard_post:
      return "guard_post";
    case NodeKind::building:
      return "building";
    case NodeKind::room:
      return "room";
    case NodeKind::hall:
      return "hall";
    case NodeKind::corridor:
      return "corridor";
    case NodeKind::stairs:
      return "stairs";
    case NodeKind::yard:
      return "yard";
    case NodeKind::parking:
      return "parking";
    case NodeKind::street:
      return "street";
    case NodeKind::junction:
      return "junction";
    case NodeKind::station:
      return "station";
    case NodeKind::assembly_point:
      return "assembly_point";
    case NodeKind::hydrant:
      return "hydrant";
    case NodeKind::pump:
      return "pump";
    case NodeKind::store:
      return "store";
  }
  return "?";
}

const char* to_string(TravelMode m) {
  switch (m) {
    case TravelMode::foot:
      return "foot";
    case TravelMode::vehicle:
      return "vehicle";
  }
  return "?";
}

const char* to_string(Channel c) {
  switch (c) {
    case Channel::radio:
      return "radio";
    case Channel::phone:
      return "phone";
    case Channel::in_person:
      return "in_person";
    case Channel::runner:
      return "runner";
  }
  return "?";
}

const char* to_string(DayType d) {
  switch (d) {
    case DayType::mon:
      return "mon";
    case DayType::tue:
      return "tue";
    case DayType::wed:
      return "wed";
    case DayType::thu:
      return "thu";
    case DayType::fri:
      return "fri";
    case DayType::sat:
      return "sat";
    case DayType::sun:
      return "sun";
    case DayType::holiday:
      return "holiday";
  }
  return "?";
}

const char* to_string(AreaKind k) {
  static constexpr std::array<const char*, kAreaKindCount> kNames{
      "room", "hall", "corridor", "yard", "street", "stairs", "waiting"};
  return kNames[static_cast<std::size_t>(k)];
}

const char* to_string(Fidelity f) {
  return f == Fidelity::micro ? "micro" : "macro";
}

const char* to_string(DetectorKind k) {
  static constexpr std::array<const char*, 3> kNames{"smoke", "heat", "sprinkler"};
  return kNames[static_cast<std::size_t>(k)];
}

const char* kpi_unit(const std::string& kpi) {
  auto ends = [&](std::string_view suffix) {
    return kpi.size() > suffix.size() &&
           kpi.compare(kpi.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends("_ppm2")) return "/m²";
  if (ends("_pps")) return "p/s";
  if (ends("_npm")) return "N/m";
  if (ends("_kw")) return "kW";
  if (ends("_n")) return "people";
  if (ends("_s")) return "s";
  if (ends("_fraction")) return "share";
  if (ends("_m")) return "m";
  return "";
}

SimTime horizon_of(const Scenario& s, Index incident) {
  const SimTime h = s.incidents[static_cast<std::size_t>(incident)].horizon;
  return h != kNever ? h : s.run.horizon;
}

const char* to_string(FloodCellKind k) {
  switch (k) {
    case FloodCellKind::street:
      return "street";
    case FloodCellKind::yard:
      return "yard";
    case FloodCellKind::building:
      return "building";
    case FloodCellKind::basement:
      return "basement";
    case FloodCellKind::boundary:
      return "boundary";
  }
  return "?";
}

const char* to_string(FloodWorkKind k) {
  switch (k) {
    case FloodWorkKind::sandbags:
      return "sandbags";
    case FloodWorkKind::records:
      return "records";
    case FloodWorkKind::vehicles:
      return "vehicles";
    case FloodWorkKind::pumps:
      return "pumps";
    case FloodWorkKind::generator:
      return "generator";
    case FloodWorkKind::power:
      return "power";
    case FloodWorkKind::other:
      return "other";
  }
  return "?";
}

}  // namespace hqdrill
