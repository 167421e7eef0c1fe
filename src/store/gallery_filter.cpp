#include "store/gallery_filter.hpp"

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/json_writer.hpp"
#include "core/strings.hpp"
#include "store/gallery_fts.hpp"
#include "store/statement.hpp"

namespace panel::store {

namespace {

bool is_date_only(std::string_view s) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return false;
  }
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
  }
  return true;
}

tl::unexpected<error> invalid_date() {
  return fail(errc::validation, std::string{invalid_date_filter_message});
}

std::string trimmed(std::optional<std::string> const& raw) {
  return raw ? std::string{core::trim(*raw)} : std::string{};
}

} // namespace

expected<std::optional<std::string>> normalize_date_filter(std::string_view raw, bool end_of_day) {
  std::string const text{core::trim(raw)};
  if (text.empty()) {
    return std::optional<std::string>{};
  }
  core::sys_time instant;
  if (text.size() == 10) {
    // Date only: the whole day, in UTC like created_at.
    if (!is_date_only(text) || !core::parse_iso(text + "T00:00:00+00:00", instant)) {
      return invalid_date();
    }
    return std::optional<std::string>{text + (end_of_day ? "T23:59:59.999999+00:00" : "T00:00:00+00:00")};
  }
  // A naive datetime is taken as UTC (created_at is UTC); one with an offset is
  // converted, so the lexicographic comparison with created_at stays exact.
  if (!core::parse_iso(text, instant) && !core::parse_iso(text + "+00:00", instant)) {
    return invalid_date();
  }
  return std::optional<std::string>{core::iso_utc(instant)};
}

expected<gallery_filters> make_gallery_filters(std::optional<std::string> const& prompt,
                                               std::optional<std::string> const& model,
                                               std::optional<std::string> const& preset,
                                               std::optional<std::string> const& size,
                                               std::optional<std::string> const& date_from,
                                               std::optional<std::string> const& date_to,
                                               std::optional<bool> favorite) {
  gallery_filters f;
  f.prompt = trimmed(prompt);
  f.model = trimmed(model);
  f.preset = trimmed(preset);
  f.size = trimmed(size);
  f.favorite = favorite;
  if (date_from) {
    auto from = normalize_date_filter(*date_from, false);
    if (!from) {
      return tl::unexpected(from.error());
    }
    f.date_from = std::move(*from);
  }
  if (date_to) {
    auto to = normalize_date_filter(*date_to, true);
    if (!to) {
      return tl::unexpected(to.error());
    }
    f.date_to = std::move(*to);
  }
  return f;
}

std::string like_pattern(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 4);
  out += '%';
  for (char const c : text) {
    if (c == '\\' || c == '%' || c == '_') {
      out += '\\';
    }
    out += c;
  }
  out += '%';
  return out;
}

std::size_t utf8_chars(std::string_view text) noexcept {
  std::size_t n = 0;
  for (char const c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

bool use_fts(gallery_filters const& filters, bool fts_available) noexcept {
  if (!fts_available || utf8_chars(filters.prompt) < fts_min_chars) {
    return false;
  }
  for (char const c : filters.prompt) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return false;
    }
  }
  return true;
}

expected<void> where_clause::bind(statement& stmt, int first) const {
  int index = first;
  for (auto const& value : values) {
    auto bound = std::visit([&](auto const& v) { return stmt.bind(index, v); }, value);
    if (!bound) {
      return bound;
    }
    ++index;
  }
  return {};
}

where_clause make_where(gallery_filters const& filters, bool fts, std::string_view extra) {
  where_clause out;
  std::vector<std::string> terms;
  if (!filters.prompt.empty()) {
    if (fts) {
      terms.emplace_back("rowid IN (SELECT rowid FROM gallery_entries_fts WHERE gallery_entries_fts MATCH ?)");
      out.values.emplace_back(fts_phrase(filters.prompt));
    } else {
      terms.emplace_back("prompt LIKE ? ESCAPE '\\'");
      out.values.emplace_back(like_pattern(filters.prompt));
    }
  }
  auto equal = [&](std::string_view column, std::string const& value) {
    if (!value.empty()) {
      terms.push_back(std::string{column} + " = ?");
      out.values.emplace_back(value);
    }
  };
  equal("model", filters.model);
  equal("api_preset_name", filters.preset);
  equal("size", filters.size);
  if (filters.date_from) {
    terms.emplace_back("created_at >= ?");
    out.values.emplace_back(*filters.date_from);
  }
  if (filters.date_to) {
    terms.emplace_back("created_at <= ?");
    out.values.emplace_back(*filters.date_to);
  }
  if (filters.favorite) {
    terms.emplace_back("favorite = ?");
    out.values.emplace_back(std::int64_t{*filters.favorite ? 1 : 0});
  }
  if (!extra.empty()) {
    terms.emplace_back(extra);
  }
  for (std::size_t i = 0; i < terms.size(); ++i) {
    out.sql += i == 0 ? " WHERE " : " AND ";
    out.sql += terms[i];
  }
  return out;
}

std::string filters_log_json(gallery_filters const& filters) {
  core::json_writer out;
  out.begin_object();
  bool const has_prompt = !filters.prompt.empty();
  out.field("prompt_present", has_prompt);
  out.field("prompt_len", static_cast<std::int64_t>(utf8_chars(filters.prompt)));
  out.key("prompt_hash");
  if (has_prompt) {
    out.plain_string(core::to_hex(core::sha256(filters.prompt)));
  } else {
    out.null();
  }
  auto text = [&](std::string_view key, std::string const& value) {
    if (!value.empty()) {
      out.field(key, std::string_view{value});
    }
  };
  text("model", filters.model);
  text("preset", filters.preset);
  text("size", filters.size);
  if (filters.date_from) {
    out.field("date_from", std::string_view{*filters.date_from});
  }
  if (filters.date_to) {
    out.field("date_to", std::string_view{*filters.date_to});
  }
  if (filters.favorite) {
    out.field("favorite", *filters.favorite);
  }
  out.end_object();
  return out.take();
}

} // namespace panel::store
