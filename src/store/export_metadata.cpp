#include "store/export_metadata.hpp"

#include "core/json_writer.hpp"

namespace panel::store {

namespace {

// One `"key": value` line of an object at `indent`, preceded by ",\n" unless first.
class object_lines {
public:
  object_lines(std::string& out, std::size_t indent) : out_(out), indent_(indent) {}

  void key(std::string_view k) {
    out_ += first_ ? "\n" : ",\n";
    first_ = false;
    out_.append(indent_, ' ');
    core::append_json_string(out_, k);
    out_ += ": ";
  }
  void text(std::string_view k, std::string_view v) {
    key(k);
    core::append_json_string(out_, v);
  }
  void text(std::string_view k, std::optional<std::string> const& v) {
    if (v) {
      text(k, std::string_view{*v});
    } else {
      key(k);
      out_ += "null";
    }
  }
  void number(std::string_view k, std::optional<std::int64_t> v) {
    key(k);
    out_ += v ? std::to_string(*v) : "null";
  }
  void boolean(std::string_view k, bool v) {
    key(k);
    out_ += v ? "true" : "false";
  }
  /// Closes the object: "\n<indent-2>}".
  void close() {
    out_ += '\n';
    out_.append(indent_ - 2, ' ');
    out_ += '}';
  }

private:
  std::string& out_;
  std::size_t indent_;
  bool first_ = true;
};

} // namespace

std::string metadata_header(std::string_view exported_at, std::string_view app_version) {
  std::string out = "{\n  \"schema_version\": 1,\n  \"exported_at\": ";
  core::append_json_string(out, exported_at);
  out += ",\n  \"app\": {\n    \"name\": \"gpt-image-linux\",\n    \"version\": ";
  core::append_json_string(out, app_version);
  out += "\n  },\n  \"images\": [";
  return out;
}

void append_metadata_entry(std::string& out, gallery_row const& row, bool first) {
  out += first ? "\n    {" : ",\n    {";
  object_lines o{out, 6};
  o.text("id", std::string_view{row.id});
  o.text("prompt", std::string_view{row.prompt});
  o.text("size", std::string_view{row.size});
  o.text("filename", std::string_view{row.filename});
  o.text("created_at", std::string_view{row.created_at});
  o.text("completed_at", row.completed_at);
  o.number("image_width", row.image_width);
  o.number("image_height", row.image_height);
  o.text("model", row.model);
  o.text("quality", row.quality);
  o.text("output_format", row.output_format);
  o.number("output_compression", row.output_compression);
  o.text("response_format", row.response_format);
  o.number("n", row.n);
  o.text("api_path", row.api_path);
  o.text("api_preset_name", row.api_preset_name);
  o.text("duration", row.duration);
  o.boolean("favorite", row.favorite);
  o.number("bytes", row.bytes);
  if (row.sha256) {
    o.text("sha256", std::string_view{*row.sha256});
  }
  o.close();
}

std::string metadata_footer(bool any_images, std::vector<skipped_entry> const& skipped) {
  std::string out = any_images ? "\n  ]" : "]";
  if (!skipped.empty()) {
    out += ",\n  \"skipped\": [";
    bool first = true;
    for (auto const& s : skipped) {
      out += first ? "\n    {" : ",\n    {";
      first = false;
      object_lines o{out, 6};
      o.text("id", std::string_view{s.id});
      if (s.filename) {
        o.text("filename", std::string_view{*s.filename});
      }
      o.text("reason", std::string_view{s.reason});
      o.close();
    }
    out += "\n  ]";
  }
  out += "\n}";
  return out;
}

} // namespace panel::store
