#include "json_writer.hpp"

#include <cmath>
#include <cstdio>

namespace mock {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    auto const u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out.push_back(hex[u >> 4]);
          out.push_back(hex[u & 0xF]);
        } else {
          // UTF-8 passes through unchanged; JSON allows it.
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void json_writer::separate() {
  if (!fresh_) {
    out_.push_back(',');
  }
  fresh_ = false;
}

json_writer& json_writer::begin_object() {
  separate();
  out_.push_back('{');
  fresh_ = true;
  return *this;
}

json_writer& json_writer::end_object() {
  out_.push_back('}');
  fresh_ = false;
  return *this;
}

json_writer& json_writer::begin_array() {
  separate();
  out_.push_back('[');
  fresh_ = true;
  return *this;
}

json_writer& json_writer::end_array() {
  out_.push_back(']');
  fresh_ = false;
  return *this;
}

json_writer& json_writer::key(std::string_view k) {
  separate();
  append_json_string(out_, k);
  out_.push_back(':');
  fresh_ = true;
  return *this;
}

json_writer& json_writer::value(std::string_view v) {
  separate();
  append_json_string(out_, v);
  return *this;
}

json_writer& json_writer::plain_string(std::string_view v) {
  separate();
  out_.reserve(out_.size() + v.size() + 2);
  out_.push_back('"');
  out_ += v;
  out_.push_back('"');
  return *this;
}

json_writer& json_writer::value(std::int64_t v) {
  separate();
  out_ += std::to_string(v);
  return *this;
}

json_writer& json_writer::value(double v) {
  separate();
  if (!std::isfinite(v)) {
    out_ += "null";
    return *this;
  }
  char buf[32];
  int const n = std::snprintf(buf, sizeof buf, "%.6g", v);
  out_.append(buf, static_cast<std::size_t>(n));
  return *this;
}

json_writer& json_writer::value(bool v) {
  separate();
  out_ += v ? "true" : "false";
  return *this;
}

json_writer& json_writer::null() {
  separate();
  out_ += "null";
  return *this;
}

json_writer& json_writer::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}

} // namespace mock
