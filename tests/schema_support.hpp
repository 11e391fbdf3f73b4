// Python's jsonschema as a test oracle for the JSON Schema of scenarios
// (scenarios/schema/hqdrill-1.schema.json), shared by test_schema_agreement.cpp and
// test_io_scenario.cpp. Without python3-jsonschema callers warn and skip.
#pragma once

#include <cstdlib>
#include <string>

namespace hqdrill::test {

inline const std::string kSchema =
    std::string(HQDRILL_SOURCE_DIR) + "/scenarios/schema/hqdrill-1.schema.json";

inline bool have_jsonschema() {
  return std::system("python3 -c \"import jsonschema\" > /dev/null 2>&1") == 0;
}

/// True when Python's jsonschema (draft-07) accepts `file`; prints its complaints.
inline bool schema_accepts(const std::string& file, bool quiet = false) {
  // The script uses only double quotes, so the whole of it fits in single quotes.
  const std::string script =
      "import json, sys, jsonschema\n"
      "schema = json.load(open(sys.argv[1], encoding=\"utf-8\"))\n"
      "jsonschema.Draft7Validator.check_schema(schema)\n"
      "doc = json.load(open(sys.argv[2], encoding=\"utf-8\"))\n"
      "errors = list(jsonschema.Draft7Validator(schema).iter_errors(doc))\n"
      "for e in errors:\n"
      "    print(sys.argv[2] + \": /\" + \"/\".join(str(p) for p in e.absolute_path) + \": \" + "
      "e.message[:300])\n"
      "sys.exit(1 if errors else 0)\n";
  const std::string cmd = "python3 -c '" + script + "' '" + kSchema + "' '" + file + "'" +
                          (quiet ? " > /dev/null 2>&1" : "");
  return std::system(cmd.c_str()) == 0;
}

}  // namespace hqdrill::test
