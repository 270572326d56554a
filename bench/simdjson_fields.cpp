// An anchor for bench/run.sh: how fast simdjson (on-demand API) reads, from every item of a
// `kubectl get events -o json` list, the fields podmortem's event conversion reads. It builds
// nothing and checks nothing beyond what simdjson checks; it is a floor for the reading alone,
// not a second implementation (docs/architecture.md, "Speed of the EventList path").
//
//   g++ -O2 -o simdjson_fields bench/simdjson_fields.cpp -lsimdjson
//   simdjson_fields LIST.json          # the whole document at once (holds the file)
//   simdjson_fields LIST.json items    # each element of "items" cut out by a byte loop, parsed alone
#include <simdjson.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string_view>

using namespace simdjson;

static size_t sink = 0;  // what was read, so that nothing is optimised away

static void scalar(ondemand::value v) {
  ondemand::json_type type;
  if (v.type().get(type)) return;
  if (type == ondemand::json_type::string) {
    std::string_view s;
    if (!v.get_string().get(s)) sink += s.size();
  } else if (type == ondemand::json_type::number) {
    int64_t n;
    if (!v.get_int64().get(n)) sink += size_t(n);
  }
}

static void event(ondemand::object object) {
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return;
    ondemand::value value;
    if (field.value().get(value)) return;
    if (key == "metadata" || key == "involvedObject" || key == "regarding" || key == "source" || key == "series") {
      ondemand::object inner;
      if (value.get_object().get(inner)) continue;
      for (auto member : inner) {
        ondemand::value v;
        if (!member.value().get(v)) scalar(v);
      }
    } else if (key == "reason" || key == "message" || key == "type" || key == "firstTimestamp" ||
               key == "lastTimestamp" || key == "eventTime" || key == "count" || key == "reportingComponent" ||
               key == "reportingInstance" || key == "action" || key == "note" || key == "kind") {
      scalar(value);
    }
  }
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: simdjson_fields LIST.json [items]\n");
    return 2;
  }
  padded_string json;
  if (padded_string::load(argv[1]).get(json)) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  size_t events = 0;
  ondemand::parser parser;
  if (argc > 2 && strcmp(argv[2], "items") == 0) {
    const char* p = json.data();
    size_t length = json.size();
    const void* items = memmem(p, length, "\"items\"", 7);
    if (!items) return 1;
    size_t i = size_t(static_cast<const char*>(items) - p) + 7;
    while (i < length && p[i] != '[') i++;
    i++;
    while (i < length) {
      while (i < length && p[i] != '{' && p[i] != ']') i++;
      if (i >= length || p[i] == ']') break;
      size_t first = i;
      int depth = 0;
      bool inString = false;
      for (; i < length; i++) {
        char c = p[i];
        if (inString) {
          if (c == '\\') i++;
          else if (c == '"') inString = false;
          continue;
        }
        if (c == '"') inString = true;
        else if (c == '{' || c == '[') depth++;
        else if ((c == '}' || c == ']') && --depth == 0) { i++; break; }
      }
      // The item lies inside the padded file, so simdjson's padding is there after it.
      padded_string_view view(p + first, i - first, length - first + SIMDJSON_PADDING);
      ondemand::document doc;
      ondemand::object object;
      if (parser.iterate(view).get(doc) || doc.get_object().get(object)) continue;
      event(object);
      events++;
    }
  } else {
    ondemand::document doc;
    ondemand::array items;
    if (parser.iterate(json).get(doc) || doc["items"].get_array().get(items)) return 1;
    for (auto item : items) {
      ondemand::object object;
      if (item.get_object().get(object)) continue;
      event(object);
      events++;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fprintf(stderr, "%zu events, %zu bytes read, %.3f s after loading\n", events, sink, seconds);
  return 0;
}
