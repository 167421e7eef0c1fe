#include "http/archive_import.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <limits>

#include <caf/blocking_actor.hpp>
#include <simdjson.h>

#include "actors/bridge.hpp"
#include "actors/handles.hpp"
#include "codec/format.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/file_names.hpp"
#include "core/logging.hpp"
#include "core/strings.hpp"
#include "store/gallery_import.hpp"
#include "store/store.hpp"

namespace panel::http {

namespace {

constexpr auto validate_timeout = std::chrono::minutes(2);

tl::unexpected<error> refuse(std::string_view message) {
  return tl::unexpected(error{errc::bad_request, std::string(message)});
}

// Python's str(value) for a JSON scalar; nullopt for null, arrays and objects.
std::optional<std::string> as_text(simdjson::dom::element v) {
  switch (v.type()) {
  case simdjson::dom::element_type::STRING:
    return std::string(v.get_string().value());
  case simdjson::dom::element_type::INT64:
    return std::to_string(v.get_int64().value());
  case simdjson::dom::element_type::UINT64:
    return std::to_string(v.get_uint64().value());
  case simdjson::dom::element_type::DOUBLE: {
    char buf[64];
    auto const d = v.get_double().value();
    auto const [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    std::string s(buf, ec == std::errc{} ? end : buf);
    if (s.find_first_of(".en") == std::string::npos) {
      s += ".0"; // repr(1.0) == "1.0"
    }
    return s;
  }
  case simdjson::dom::element_type::BOOL:
    return std::string(v.get_bool().value() ? "True" : "False");
  default:
    return std::nullopt;
  }
}

// Python's truthiness of a JSON value.
bool truthy(simdjson::dom::element v) {
  switch (v.type()) {
  case simdjson::dom::element_type::STRING:
    return !v.get_string().value().empty();
  case simdjson::dom::element_type::INT64:
    return v.get_int64().value() != 0;
  case simdjson::dom::element_type::UINT64:
    return v.get_uint64().value() != 0;
  case simdjson::dom::element_type::DOUBLE:
    return v.get_double().value() != 0.0;
  case simdjson::dom::element_type::BOOL:
    return v.get_bool().value();
  case simdjson::dom::element_type::ARRAY:
    return v.get_array().value().size() > 0;
  case simdjson::dom::element_type::OBJECT:
    return v.get_object().value().size() > 0;
  default:
    return false;
  }
}

// Python's int(value); nullopt where int() raises (the column is then skipped).
std::optional<std::int64_t> as_int(simdjson::dom::element v) {
  switch (v.type()) {
  case simdjson::dom::element_type::INT64:
    return v.get_int64().value();
  case simdjson::dom::element_type::UINT64: {
    auto const u = v.get_uint64().value();
    return u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
               ? std::optional<std::int64_t>(static_cast<std::int64_t>(u))
               : std::nullopt;
  }
  case simdjson::dom::element_type::DOUBLE: {
    auto const d = std::trunc(v.get_double().value());
    if (!std::isfinite(d) || d < -9.2e18 || d > 9.2e18) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(d);
  }
  case simdjson::dom::element_type::BOOL:
    return v.get_bool().value() ? 1 : 0;
  case simdjson::dom::element_type::STRING: {
    auto const s = core::trim(v.get_string().value());
    auto const digits = s.starts_with('+') ? s.substr(1) : s;
    std::int64_t out = 0;
    auto const [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size()) {
      return std::nullopt;
    }
    return out;
  }
  default:
    return std::nullopt;
  }
}

// The original's favourite rule: bools and ints by value, text in a small set.
bool as_favorite(simdjson::dom::element v) {
  switch (v.type()) {
  case simdjson::dom::element_type::BOOL:
    return v.get_bool().value();
  case simdjson::dom::element_type::INT64:
  case simdjson::dom::element_type::UINT64:
    return truthy(v);
  default: {
    auto const text = truthy(v) ? core::to_lower(core::trim(as_text(v).value_or(""))) : std::string{};
    return text == "1" || text == "true" || text == "yes" || text == "on" || text == "favorite" ||
           text == "favorited";
  }
  }
}

store::gallery_row row_of(simdjson::dom::object const& o, std::string const& now_iso) {
  auto field = [&](std::string_view key) -> std::optional<simdjson::dom::element> {
    simdjson::dom::element v;
    if (o.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) {
      return std::nullopt;
    }
    return v;
  };
  auto text = [&](std::string_view key) {
    auto v = field(key);
    return v ? as_text(*v) : std::nullopt;
  };
  auto integer = [&](std::string_view key) {
    auto v = field(key);
    return v ? as_int(*v) : std::nullopt;
  };
  auto text_or = [&](std::string_view key, std::string fallback) {
    auto v = field(key);
    return v && truthy(*v) ? as_text(*v).value_or(fallback) : fallback;
  };
  store::gallery_row row;
  row.prompt = text_or("prompt", "");
  row.size = text_or("size", "");
  row.created_at = text_or("created_at", now_iso);
  row.completed_at = text("completed_at");
  row.image_width = integer("image_width");
  row.image_height = integer("image_height");
  row.model = text("model");
  row.quality = text("quality");
  row.output_format = text("output_format");
  row.output_compression = integer("output_compression");
  row.response_format = text("response_format");
  row.n = integer("n");
  row.api_path = text("api_path");
  row.api_preset_name = text("api_preset_name");
  row.duration = text("duration");
  auto fav = field("favorite");
  row.favorite = fav && as_favorite(*fav);
  return row;
}

// Writes `bytes` to a new hidden file in `dir` and fsyncs it.
expected<std::filesystem::path> stage(std::filesystem::path const& dir, std::vector<std::uint8_t> const& bytes) {
  auto const path = store::import_staging_path(dir);
  int const fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return fail(errc::internal, "cannot stage an imported image");
  }
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < bytes.size()) {
    auto const n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    ok = n > 0;
    done += ok ? static_cast<std::size_t>(n) : 0;
  }
  ok = ok && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return fail(errc::internal, "cannot stage an imported image");
  }
  return path;
}

// Staged files not (yet) moved into place are removed on every way out.
struct staged_guard {
  std::vector<std::filesystem::path> paths;
  ~staged_guard() {
    for (auto const& p : paths) {
      std::error_code ec;
      std::filesystem::remove(p, ec);
    }
  }
};

} // namespace

expected<std::vector<import_candidate>> parse_import_metadata(std::string_view json,
                                                            codec::import_members const& members,
                                                            std::string const& now_iso) {
  simdjson::dom::parser parser;
  simdjson::padded_string text{json};
  simdjson::dom::element doc;
  simdjson::dom::object root;
  if (parser.parse(text).get(doc) != simdjson::SUCCESS || doc.get(root) != simdjson::SUCCESS) {
    return refuse(msg_import_metadata_invalid);
  }
  simdjson::dom::array images;
  if (root["images"].get(images) != simdjson::SUCCESS) {
    return refuse(msg_import_images_not_list);
  }
  std::vector<import_candidate> out;
  for (auto element : images) {
    simdjson::dom::object o;
    if (element.get(o) != simdjson::SUCCESS) {
      continue;
    }
    std::string exported;
    if (simdjson::dom::element f; o.at_key("filename").get(f) == simdjson::SUCCESS && truthy(f)) {
      exported = as_text(f).value_or("");
    }
    auto member = members.files.find(exported);
    if (member == members.files.end()) {
      member = members.files.find("images/" + exported);
    }
    if (member == members.files.end() || !codec::has_image_extension(member->first)) {
      continue;
    }
    import_candidate c;
    c.member = member->second;
    c.check_name = std::string(core::base_name(exported));
    c.filename = codec::sanitize_import_filename(c.check_name);
    if (simdjson::dom::element id; o.at_key("id").get(id) == simdjson::SUCCESS && truthy(id)) {
      c.id = as_text(id);
    }
    c.row = row_of(o, now_iso);
    out.push_back(std::move(c));
  }
  return out;
}

expected<std::int64_t> run_import(caf::blocking_actor* self, actors::handles const& actors,
                                  import_settings const& settings, std::filesystem::path const& upload) {
  auto zip = codec::zip_reader::open(upload);
  if (!zip) {
    return refuse(msg_import_invalid_zip);
  }
  auto listed = zip->members();
  if (!listed) {
    return refuse(msg_import_invalid_zip);
  }
  auto members = codec::check_import_members(*listed, settings.limits);
  if (!members) {
    return tl::unexpected(members.error());
  }
  auto metadata = zip->read(members->metadata.index, settings.limits.max_metadata_bytes);
  if (!metadata) {
    return refuse(msg_import_invalid_zip);
  }
  auto candidates = parse_import_metadata(
      std::string_view(reinterpret_cast<char const*>(metadata->data()), metadata->size()), *members,
      core::now_iso_utc());
  if (!candidates) {
    return tl::unexpected(candidates.error());
  }

  staged_guard staged;
  std::vector<store::import_item> items;
  auto const max_bytes = settings.limits.max_image_bytes;
  for (auto& c : *candidates) {
    auto bytes = zip->read(c.member.index, max_bytes);
    if (!bytes) {
      return refuse(msg_import_invalid_zip);
    }
    if (bytes->empty()) {
      continue;
    }
    if (bytes->size() > max_bytes) {
      return refuse(codec::msg_import_image_too_large);
    }
    auto shared = std::make_shared<std::vector<std::uint8_t> const>(std::move(*bytes));
    std::optional<codec::image_format> format;
    std::optional<error> failure;
    self->request(actors.codecs, validate_timeout, actors::validate_atom::value,
                  actors::validate_request{actors::shared_blob{shared}, settings.max_pixels, max_bytes})
        .receive([&](actors::validate_reply const& r) { format = r.format; },
                 [&](caf::error const& err) {
                   auto const e = actors::from_caf_error(err);
                   if (e.code != errc::bad_request && e.code != errc::too_large && e.code != errc::validation) {
                     failure = e;
                   }
                 });
    if (failure) {
      return tl::unexpected(*failure);
    }
    // Undecodable, or bytes of another format than both names claim: skipped.
    auto const claimed = codec::format_from_extension(core::to_lower(core::name_suffix(c.check_name)));
    auto const member_claims =
        codec::format_from_extension(core::to_lower(core::name_suffix(core::base_name(c.member.name))));
    if (!format || claimed != format || member_claims != format) {
      continue;
    }
    auto path = stage(settings.images_dir, *shared);
    if (!path) {
      return tl::unexpected(path.error());
    }
    staged.paths.push_back(*path);
    store::import_item item;
    item.staged = *path;
    item.filename = std::move(c.filename);
    item.id = std::move(c.id);
    item.row = std::move(c.row);
    item.row.bytes = static_cast<std::int64_t>(shared->size());
    item.row.sha256 = core::to_hex(core::sha256(
        std::string_view(reinterpret_cast<char const*>(shared->data()), shared->size())));
    items.push_back(std::move(item));
  }
  if (items.empty()) {
    return refuse(msg_import_nothing);
  }

  auto committed = std::make_shared<expected<std::vector<store::gallery_row>>>(
      fail(errc::internal, "the import was not committed"));
  actors::writer_task task = [committed, dir = settings.images_dir, items](store::store& s) {
    *committed = store::commit_import(s.writer(), dir, items);
  };
  std::optional<error> failure;
  self->request(actors.store, actors::store_task_timeout, actors::exec_atom::value, actors::make_local(std::move(task)))
      .receive([](bool) {}, [&](caf::error const& err) { failure = actors::from_caf_error(err); });
  if (failure) {
    return tl::unexpected(*failure);
  }
  if (!*committed) {
    core::log_error("gallery import failed: " + committed->error().message);
    return fail(errc::internal, "Internal Server Error");
  }
  return static_cast<std::int64_t>((*committed)->size());
}

} // namespace panel::http
