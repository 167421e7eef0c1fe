#include "http/gallery_request.hpp"

#include <limits>
#include <unordered_set>

#include "core/strings.hpp"
#include "http/job_query.hpp"
#include "http/json_body.hpp"
#include "http/message.hpp"
#include "store/gallery_filter.hpp"

namespace panel::http {

namespace {

// A query string of at most `max` characters, like FastAPI's max_length.
expected<std::optional<std::string>> query_text(request const& req, std::string_view name, std::size_t max) {
  auto value = req.query_param(name);
  if (value && store::utf8_chars(*value) > max) {
    return tl::unexpected(validation_error("query." + std::string{name},
                                           "String should have at most " + std::to_string(max) + " characters"));
  }
  return value;
}

// A JSON bool as pydantic's lax mode reads one: true/false, 0/1 and the usual words.
expected<bool> json_bool(simdjson::dom::element const& v, std::string_view field) {
  bool b = false;
  if (v.get(b) == simdjson::SUCCESS) {
    return b;
  }
  std::int64_t n = 0;
  if (v.get(n) == simdjson::SUCCESS && (n == 0 || n == 1)) {
    return n == 1;
  }
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS) {
    auto parsed = query_bool(std::string{s}, field, false);
    if (parsed) {
      return *parsed;
    }
  }
  return tl::unexpected(validation_error(field, "Input should be a valid boolean"));
}

expected<bool> required_bool(json_body const& body, std::string_view field) {
  simdjson::dom::element v;
  if (body.root().at_key(field).get(v) != simdjson::SUCCESS) {
    return tl::unexpected(validation_error(field, "Field required"));
  }
  return json_bool(v, field);
}

} // namespace

expected<store::gallery_list_request> parse_gallery_query(request const& req) {
  store::gallery_list_request out;
  auto page = query_int(req.query_param("page"), "page", 1, 1, std::numeric_limits<std::int64_t>::max());
  if (!page) {
    return tl::unexpected(page.error());
  }
  auto page_size =
      query_int(req.query_param("page_size"), "page_size", store::default_page_size, 1, store::max_page_size);
  if (!page_size) {
    return tl::unexpected(page_size.error());
  }
  auto prompt = query_text(req, "prompt", 4000);
  auto model = query_text(req, "model", 200);
  auto preset = query_text(req, "preset", 200);
  auto size = query_text(req, "size", 40);
  for (auto const* text : {&prompt, &model, &preset, &size}) {
    if (!*text) {
      return tl::unexpected(text->error());
    }
  }
  std::optional<bool> favorite;
  if (auto raw = req.query_param("favorite"); raw && !core::trim(*raw).empty()) {
    auto parsed = query_bool(raw, "favorite", false);
    if (!parsed) {
      return tl::unexpected(parsed.error());
    }
    favorite = *parsed;
  }
  auto total_bytes = query_bool(req.query_param("include_total_bytes"), "include_total_bytes", false);
  if (!total_bytes) {
    return tl::unexpected(total_bytes.error());
  }
  auto filters = store::make_gallery_filters(*prompt, *model, *preset, *size, req.query_param("date_from"),
                                             req.query_param("date_to"), favorite);
  if (!filters) {
    return tl::unexpected(filters.error());
  }
  out.filters = std::move(*filters);
  out.page = *page;
  out.page_size = *page_size;
  out.include_total_bytes = *total_bytes;
  return out;
}

expected<bool> parse_favorite_body(std::string_view body) {
  auto parsed = json_body::parse(body, {"favorite"});
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  return required_bool(**parsed, "favorite");
}

expected<gallery_batch> parse_gallery_batch(std::string_view body, bool with_favorite) {
  auto parsed = with_favorite ? json_body::parse(body, {"ids", "favorite"}) : json_body::parse(body, {"ids"});
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  auto const& root = (*parsed)->root();
  gallery_batch out;
  simdjson::dom::element ids_value;
  if (root.at_key("ids").get(ids_value) != simdjson::SUCCESS) {
    return tl::unexpected(validation_error("ids", "Field required"));
  }
  simdjson::dom::array ids;
  if (ids_value.get(ids) != simdjson::SUCCESS) {
    return tl::unexpected(validation_error("ids", "Input should be a valid list"));
  }
  std::string problems;
  std::size_t index = 0;
  std::vector<std::string> raw;
  for (auto item : ids) {
    std::string_view id;
    std::string const where = "ids." + std::to_string(index++);
    if (item.get(id) != simdjson::SUCCESS) {
      problems += (problems.empty() ? "" : "; ") + where + " - Input should be a valid string";
      continue;
    }
    auto const chars = store::utf8_chars(id);
    if (chars < 1) {
      problems += (problems.empty() ? "" : "; ") + where + " - String should have at least 1 character";
    } else if (chars > 128) {
      problems += (problems.empty() ? "" : "; ") + where + " - String should have at most 128 characters";
    }
    raw.emplace_back(id);
  }
  if (index > max_batch_ids) {
    problems += (problems.empty() ? "" : "; ") + std::string{"ids - List should have at most 1000 items after "
                                                             "validation, not "} +
                std::to_string(index);
  }
  if (!problems.empty()) {
    return fail(errc::validation, problems);
  }
  std::unordered_set<std::string> seen;
  for (auto const& id : raw) {
    auto const trimmed = std::string{core::trim(id)};
    if (trimmed.empty()) {
      continue;
    }
    if (!seen.insert(trimmed).second) {
      return tl::unexpected(validation_error("ids", "ids must not contain duplicates"));
    }
    out.ids.push_back(trimmed);
  }
  if (out.ids.empty()) {
    return tl::unexpected(validation_error("ids", "ids must include at least one gallery entry id"));
  }
  if (with_favorite) {
    auto favorite = required_bool(**parsed, "favorite");
    if (!favorite) {
      return tl::unexpected(favorite.error());
    }
    out.favorite = *favorite;
  }
  return out;
}

} // namespace panel::http
