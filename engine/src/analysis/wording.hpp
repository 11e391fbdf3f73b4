// Internal to hqdrill_engine: the words findings use in Vietnamese and English, shared
// by the gap detectors, the knock-out and the coverage analyses.
#pragma once

#include <string>

#include "hqdrill/scenario.hpp"

namespace hqdrill::wording {

const char* channel_vi(Channel c);
const char* channel_en(Channel c);

/// The display name: the Vietnamese `name` (English `name_en`), or the id when empty.
inline std::string name_vi(const std::string& name, const std::string& id) {
  return name.empty() ? id : name;
}
inline std::string name_en(const std::string& name_en, const std::string& id) {
  return name_en.empty() ? id : name_en;
}
inline std::string role_vi(const Scenario& s, Index r) {
  return name_vi(s.roles[r].name, s.roles[r].id);
}
inline std::string role_en(const Scenario& s, Index r) {
  return name_en(s.roles[r].name_en, s.roles[r].id);
}

}  // namespace hqdrill::wording
