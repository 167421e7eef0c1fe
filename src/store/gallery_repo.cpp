#include "store/gallery_repo.hpp"

#include "core/json_writer.hpp"
#include "store/database.hpp"
#include "store/statement.hpp"

namespace panel::store {

namespace {



bool is_unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-' || c == '~' || c == '/';
}

} // namespace

std::string url_quote(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char const ch : text) {
    auto const c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0x0F];
    }
  }
  return out;
}

std::string to_json(gallery_row const& row) {
  std::string const quoted = url_quote(row.filename);
  core::json_writer out;
  out.begin_object();
  out.field("id", std::string_view{row.id});
  out.field("prompt", std::string_view{row.prompt});
  out.field("size", std::string_view{row.size});
  out.field("filename", std::string_view{row.filename});
  out.field("image_url", "/api/image/" + quoted);
  out.field("thumbnail_filename", row.thumbnail_filename);
  out.field("thumbnail_url", "/api/thumb/" + quoted);
  out.field("created_at", std::string_view{row.created_at});
  out.field("completed_at", row.completed_at);
  out.field("image_width", row.image_width);
  out.field("image_height", row.image_height);
  out.field("model", row.model);
  out.field("quality", row.quality);
  out.field("output_format", row.output_format);
  out.field("output_compression", row.output_compression);
  out.field("response_format", row.response_format);
  out.field("n", row.n);
  out.field("api_path", row.api_path);
  out.field("api_preset_name", row.api_preset_name);
  out.field("duration", row.duration);
  out.field("favorite", row.favorite);
  out.field("bytes", row.bytes);
  out.end_object();
  return out.take();
}

expected<void> gallery_repo::insert(gallery_row const& row) {
  auto stmt = db_->prepare(
      "INSERT INTO gallery_entries (id, prompt, size, filename, thumbnail_filename, created_at, "
      "completed_at, image_width, image_height, model, quality, output_format, "
      "output_compression, response_format, n, api_path, api_preset_name, duration, favorite, "
      "bytes, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
      "?16, ?17, ?18, ?19, ?20, ?21)");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind_all(row.id, row.prompt, row.size, row.filename, row.thumbnail_filename,
                                  row.created_at, row.completed_at, row.image_width, row.image_height,
                                  row.model, row.quality, row.output_format, row.output_compression,
                                  row.response_format, row.n, row.api_path, row.api_preset_name,
                                  row.duration, row.favorite, row.bytes, row.sha256);
      !bound) {
    return bound;
  }
  return stmt->execute();
}

expected<std::optional<gallery_row>> gallery_repo::get(std::string_view id) const {
  auto stmt = db_->prepare(
      "SELECT id, prompt, size, filename, thumbnail_filename, created_at, completed_at, "
      "image_width, image_height, model, quality, output_format, output_compression, "
      "response_format, n, api_path, api_preset_name, duration, favorite, bytes, sha256 "
      "FROM gallery_entries WHERE id = ?1");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, id); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  auto found = stmt->step();
  if (!found) {
    return tl::unexpected<error>{found.error()};
  }
  if (!*found) {
    return std::optional<gallery_row>{};
  }
  gallery_row row;
  row.id = stmt->column_text(0);
  row.prompt = stmt->column_text(1);
  row.size = stmt->column_text(2);
  row.filename = stmt->column_text(3);
  row.thumbnail_filename = stmt->column_optional_text(4);
  row.created_at = stmt->column_text(5);
  row.completed_at = stmt->column_optional_text(6);
  row.image_width = stmt->column_optional_int64(7);
  row.image_height = stmt->column_optional_int64(8);
  row.model = stmt->column_optional_text(9);
  row.quality = stmt->column_optional_text(10);
  row.output_format = stmt->column_optional_text(11);
  row.output_compression = stmt->column_optional_int64(12);
  row.response_format = stmt->column_optional_text(13);
  row.n = stmt->column_optional_int64(14);
  row.api_path = stmt->column_optional_text(15);
  row.api_preset_name = stmt->column_optional_text(16);
  row.duration = stmt->column_optional_text(17);
  row.favorite = stmt->column_int64(18) != 0;
  row.bytes = stmt->column_optional_int64(19);
  row.sha256 = stmt->column_optional_text(20);
  return std::optional<gallery_row>{std::move(row)};
}

expected<bool> gallery_repo::references_file(std::string_view filename) const {
  auto stmt = db_->prepare("SELECT 1 FROM gallery_entries WHERE filename = ?1 LIMIT 1");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  if (auto bound = stmt->bind(1, filename); !bound) {
    return tl::unexpected<error>{bound.error()};
  }
  return stmt->step();
}

} // namespace panel::store
