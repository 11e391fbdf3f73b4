#include "wording.hpp"

namespace hqdrill::wording {

const char* channel_vi(Channel c) {
  switch (c) {
    case Channel::radio:
      return "bộ đàm";
    case Channel::phone:
      return "điện thoại";
    case Channel::in_person:
      return "trực tiếp";
    case Channel::runner:
      return "người chạy tin";
  }
  return "?";
}

const char* channel_en(Channel c) {
  switch (c) {
    case Channel::radio:
      return "radio";
    case Channel::phone:
      return "phone";
    case Channel::in_person:
      return "in person";
    case Channel::runner:
      return "runner";
  }
  return "?";
}

}  // namespace hqdrill::wording
