// Entry points: bytes to JSON (with guards against hostile input), JSON to Scenario,
// diagnostics sorted into document order.
#include "hqdrill/io/scenario_io.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

#include "reader.hpp"

namespace hqdrill::io {

namespace {

using detail::Json;

/// nlohmann's parser keeps its own stack, but building and destroying the tree of a deeply
/// nested document still recurses; no scenario needs more than a dozen levels.
constexpr int kMaxDepth = 256;
/// A scenario is a few hundred kilobytes at most; refuse to read a disk image.
constexpr std::size_t kMaxBytes = 64u << 20;

/// Every object with a string "assumption" note, by JSON pointer, in document order.
void collect_assumptions(const Json& j, const std::string& pointer,
                         std::vector<AssumptionNote>& out) {
  if (j.is_object()) {
    if (auto it = j.find("assumption"); it != j.end() && it->is_string()) {
      const auto id = j.find("id");
      out.push_back({pointer, id != j.end() && id->is_string() ? id->get<std::string>() : ""});
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      std::string key;  // RFC 6901: "~" as "~0", "/" as "~1"
      for (char c : it.key()) key += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
      collect_assumptions(*it, pointer + "/" + key, out);
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      collect_assumptions(j[i], pointer + "/" + std::to_string(i), out);
  }
}

/// "[json.exception.parse_error.101] parse error at line 1, column 10: syntax error ..."
/// becomes "invalid JSON at line 1, column 10 (byte 9): syntax error ...".
std::string parse_error_message(const Json::parse_error& e) {
  std::string what = e.what();
  const std::string marker = "parse error at ";
  std::string where, reason = what;
  if (auto at = what.find(marker); at != std::string::npos) {
    const std::size_t colon = what.find(": ", at);
    if (colon != std::string::npos) {
      where = what.substr(at + marker.size(), colon - at - marker.size());
      reason = what.substr(colon + 2);
    }
  } else if (auto close = what.find("] "); close != std::string::npos) {
    reason = what.substr(close + 2);
  }
  std::string msg = "invalid JSON";
  if (!where.empty()) msg += " at " + where;
  if (e.byte > 0) msg += " (byte " + std::to_string(e.byte - 1) + ")";
  return msg + ": " + detail::sanitize_utf8(reason, 200);
}

std::string exception_message(const std::exception& e) {
  std::string what = e.what();
  if (auto close = what.find("] ");
      what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
    what = what.substr(close + 2);
  return detail::sanitize_utf8(what, 200);
}

/// The position of `ptr` in the document: the index of each token within its parent
/// (keys in document order). Sorting by it lists problems in the order of the file.
std::vector<std::size_t> document_position(const Json& root, const std::string& ptr) {
  std::vector<std::size_t> pos;
  const Json* cur = &root;
  std::size_t i = 0;
  while (i < ptr.size()) {
    std::size_t next = ptr.find('/', i + 1);
    if (next == std::string::npos) next = ptr.size();
    std::string token;
    for (std::size_t k = i + 1; k < next; ++k) {
      if (ptr[k] == '~' && k + 1 < next) {
        token += ptr[k + 1] == '1' ? '/' : '~';
        ++k;
      } else {
        token += ptr[k];
      }
    }
    std::size_t index = std::numeric_limits<std::size_t>::max();
    const Json* found = nullptr;
    if (cur->is_object()) {
      std::size_t k = 0;
      for (auto it = cur->begin(); it != cur->end(); ++it, ++k)
        if (it.key() == token) {
          index = k;
          found = &*it;
          break;
        }
    } else if (cur->is_array() && !token.empty() &&
               token.find_first_not_of("0123456789") == std::string::npos && token.size() < 19) {
      const auto k = static_cast<std::size_t>(std::stoull(token));
      if (k < cur->size()) {
        index = k;
        found = &(*cur)[k];
      }
    }
    pos.push_back(index);
    if (!found) break;
    cur = found;
    i = next;
  }
  return pos;
}

void sort_into_document_order(const Json& root, Diagnostics& d) {
  std::vector<std::pair<std::vector<std::size_t>, Diagnostic>> keyed;
  keyed.reserve(d.items.size());
  for (auto& item : d.items)
    keyed.emplace_back(document_position(root, item.pointer), std::move(item));
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  d.items.clear();
  for (auto& [pos, item] : keyed) d.items.push_back(std::move(item));
}

/// "hqdrill/7" → true when it names a version other than this build's.
bool other_schema_version(const std::string& s) {
  const std::string prefix = "hqdrill/";
  if (s.rfind(prefix, 0) != 0 || s.size() == prefix.size() || s == "hqdrill/1") return false;
  return s.find_first_not_of("0123456789", prefix.size()) == std::string::npos;
}

void parse_into(const std::string& text, LoadResult& result) {
  Diagnostics& diag = result.diagnostics;
  if (text.size() > kMaxBytes) {
    diag.error("", "the file is too large (" + std::to_string(text.size()) +
                       " bytes; a scenario may have at most " + std::to_string(kMaxBytes) + ")");
    return;
  }
  if (const std::size_t at = detail::too_deep(text, kMaxDepth); at != std::string::npos) {
    diag.error("", "invalid JSON: nested deeper than " + std::to_string(kMaxDepth) +
                       " levels (byte " + std::to_string(at) + ")");
    return;
  }
  Json root;
  try {
    root = Json::parse(text);
  } catch (const Json::parse_error& e) {
    diag.error("", parse_error_message(e));
    return;
  } catch (const Json::exception& e) {  // e.g. a number too large for a double
    diag.error("", "invalid JSON: " + exception_message(e));
    return;
  }
  // A file written for another version of the format is not checked against this one:
  // its differences would bury the one message that matters.
  if (root.is_object())
    if (auto it = root.find("schema"); it != root.end() && it->is_string())
      if (const auto& s = it->get_ref<const std::string&>(); other_schema_version(s)) {
        diag.error("/schema", "unsupported schema version " + detail::quote(s) +
                                  " (this build reads hqdrill/1)");
        return;
      }
  detail::Reader reader(diag);
  detail::Parsed parsed;
  detail::read_scenario(reader, root, parsed);
  detail::check_scenario(reader, parsed);
  sort_into_document_order(root, diag);
  if (!diag.has_errors()) {
    collect_assumptions(root, "", parsed.s.assumptions);
    result.scenario = std::move(parsed.s);
  }
}

}  // namespace

LoadResult parse_scenario(const std::string& text) {
  LoadResult result;
  try {
    parse_into(text, result);
  } catch (const std::exception& e) {  // a bug or out of memory; never let it escape
    result.scenario.reset();
    result.diagnostics.error("", std::string("internal error while reading the scenario: ") +
                                     detail::sanitize_utf8(e.what(), 200));
  } catch (...) {
    result.scenario.reset();
    result.diagnostics.error("", "internal error while reading the scenario");
  }
  return result;
}

LoadResult load_scenario(const std::string& path) {
  LoadResult result;
  try {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
      result.diagnostics.error("", std::string("cannot open the file: ") + std::strerror(errno));
      return result;
    }
    std::string text;
    char buf[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && text.size() <= kMaxBytes)
      text.append(buf, n);
    const bool failed = std::ferror(f) != 0;
    const int err = errno;
    std::fclose(f);
    if (failed) {
      result.diagnostics.error("", std::string("cannot read the file: ") + std::strerror(err));
      return result;
    }
    return parse_scenario(text);
  } catch (const std::exception& e) {
    result.diagnostics.error(
        "", std::string("cannot read the file: ") + detail::sanitize_utf8(e.what(), 200));
  }
  return result;
}

}  // namespace hqdrill::io
