#include "http/generate_request.hpp"

#include <algorithm>
#include <charconv>

#include "core/strings.hpp"
#include "http/json_body.hpp"

namespace panel::http {

namespace {

constexpr std::int64_t min_pixels = 655'360;
constexpr std::int64_t max_pixels = 8'294'400;
constexpr std::int64_t max_side = 3840;

std::optional<std::int64_t> to_int(std::string_view s) {
  s = core::trim(s);
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

const std::initializer_list<std::string_view> qualities{"auto", "low", "medium", "high"};
const std::initializer_list<std::string_view> formats{"png", "jpeg", "webp"};
const std::initializer_list<std::string_view> response_formats{"url", "b64_json"};

// The value, unless it is present and not one of `allowed`.
expected<std::optional<std::string>> check_one_of(std::string_view key, expected<std::optional<std::string>> v,
                                                  std::initializer_list<std::string_view> allowed) {
  if (!v || !*v) {
    return v;
  }
  if (std::find(allowed.begin(), allowed.end(), **v) == allowed.end()) {
    std::string list;
    for (auto a : allowed) {
      list += (list.empty() ? "'" : ", '") + std::string(a) + "'";
    }
    return tl::unexpected(validation_error(key, "Input should be " + list));
  }
  return v;
}

// An optional string field that must be one of `allowed`.
expected<std::optional<std::string>> one_of(json_body const& b, std::string_view key,
                                            std::initializer_list<std::string_view> allowed) {
  return check_one_of(key, b.optional_string(key), allowed);
}

std::size_t utf8_chars(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

expected<void> in_range(std::string_view key, std::int64_t n, std::int64_t lo, std::int64_t hi) {
  if (n < lo || n > hi) {
    return tl::unexpected(validation_error(
        key, "Input should be between " + std::to_string(lo) + " and " + std::to_string(hi)));
  }
  return {};
}

expected<std::optional<std::int64_t>> optional_int(json_body const& b, std::string_view key, std::int64_t lo,
                                                   std::int64_t hi) {
  simdjson::dom::element v;
  if (b.root().at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) {
    return std::optional<std::int64_t>{};
  }
  std::int64_t n = 0;
  if (v.get(n) != simdjson::SUCCESS) {
    return tl::unexpected(validation_error(key, "Input should be a valid integer"));
  }
  if (auto r = in_range(key, n, lo, hi); !r) {
    return tl::unexpected(r.error());
  }
  return std::optional<std::int64_t>{n};
}

} // namespace

expected<std::string> normalise_size(std::string_view size) {
  auto const s = core::trim(size);
  if (s == "auto") {
    return std::string("auto");
  }
  auto const x = s.find_first_of("xX");
  auto const w = x == std::string_view::npos ? std::nullopt : to_int(s.substr(0, x));
  auto const h = x == std::string_view::npos ? std::nullopt : to_int(s.substr(x + 1));
  if (!w || !h) {
    return tl::unexpected(validation_error("size", "size must be 'auto' or formatted as WIDTHxHEIGHT"));
  }
  if (*w % 16 != 0 || *h % 16 != 0) {
    return tl::unexpected(validation_error("size", "size width and height must be multiples of 16"));
  }
  if (*w <= 0 || *h <= 0 || std::max(*w, *h) > max_side) {
    return tl::unexpected(
        validation_error("size", "size width and height must be positive, with max side <= 3840"));
  }
  if (std::max(*w, *h) > 3 * std::min(*w, *h)) {
    return tl::unexpected(validation_error("size", "size aspect ratio must not exceed 3:1"));
  }
  if (auto const px = *w * *h; px < min_pixels || px > max_pixels) {
    return tl::unexpected(validation_error("size", "size total pixels must be between 655360 and 8294400"));
  }
  return std::to_string(*w) + "x" + std::to_string(*h);
}

expected<generate_command> parse_generate_request(std::string_view body) {
  auto parsed = json_body::parse(body, {"prompt", "size", "model", "n", "quality", "output_format",
                                        "output_compression", "response_format", "webhook_url", "api_path"});
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  auto const& b = **parsed;
  generate_command cmd;
  auto& p = cmd.params;

  auto prompt = b.required_string("prompt", 1, 4000);
  if (!prompt) {
    return tl::unexpected(prompt.error());
  }
  p.prompt = std::move(*prompt);
  if (core::trim(p.prompt).empty()) {
    return tl::unexpected(validation_error("prompt", "String should have at least 1 character"));
  }

  auto size = b.optional_string("size");
  if (!size) {
    return tl::unexpected(size.error());
  }
  if (*size && size->value().size() > 40) {
    return tl::unexpected(validation_error("size", "String should have at most 40 characters"));
  }
  auto normal = normalise_size(size->value_or("auto"));
  if (!normal) {
    return tl::unexpected(normal.error());
  }
  p.size = std::move(*normal);

  auto model = b.optional_string("model");
  if (!model) {
    return tl::unexpected(model.error());
  }
  p.model = std::string(core::trim(model->value_or("")));
  if (p.model.size() > 200) {
    return tl::unexpected(validation_error("model", "String should have at most 200 characters"));
  }

  auto n = optional_int(b, "n", 1, 10);
  if (!n) {
    return tl::unexpected(n.error());
  }
  p.n = static_cast<int>(n->value_or(1));

  auto quality = one_of(b, "quality", qualities);
  auto format = one_of(b, "output_format", formats);
  auto response_format = one_of(b, "response_format", response_formats);
  auto api_path = one_of(b, "api_path", {"/v1/images/generations", "/v1/responses", "/v1/chat/completions"});
  for (auto const* r : {&quality, &format, &response_format, &api_path}) {
    if (!*r) {
      return tl::unexpected(r->error());
    }
  }
  p.quality = quality->value_or("auto");
  p.output_format = format->value_or("png");
  p.response_format = *response_format;
  if (*api_path) {
    cmd.api_path = upstream::parse_api_path(**api_path);
  }

  auto compression = optional_int(b, "output_compression", 0, 100);
  if (!compression) {
    return tl::unexpected(compression.error());
  }
  // PNG has no compression setting; JPEG and WebP default to 100.
  if (p.output_format == "png") {
    p.output_compression.reset();
  } else {
    p.output_compression = static_cast<int>(compression->value_or(100));
  }

  auto webhook = b.optional_string("webhook_url");
  if (!webhook) {
    return tl::unexpected(webhook.error());
  }
  if (*webhook && !core::trim(**webhook).empty()) {
    if ((*webhook)->size() > 2048) {
      return tl::unexpected(validation_error("webhook_url", "String should have at most 2048 characters"));
    }
    cmd.webhook_url = std::string(core::trim(**webhook));
  }
  return cmd;
}

expected<generate_command> parse_edit_form(std::vector<std::pair<std::string, std::string>> const& fields) {
  auto get = [&](std::string_view key) -> std::optional<std::string> {
    std::optional<std::string> out;
    for (auto const& [k, v] : fields) {
      if (k == key) {
        out = v.empty() ? std::nullopt : std::optional<std::string>(v);
      }
    }
    return out;
  };
  auto get_int = [&](std::string_view key) -> expected<std::optional<std::int64_t>> {
    auto raw = get(key);
    if (!raw) {
      return std::optional<std::int64_t>{};
    }
    auto v = to_int(*raw);
    if (!v) {
      return fail(errc::validation, std::string(key) + " must be an integer");
    }
    return std::optional<std::int64_t>{*v};
  };

  auto prompt = get("prompt");
  if (!prompt) {
    return fail(errc::validation, "prompt is required");
  }
  auto n = get_int("n");
  if (!n) {
    return tl::unexpected(n.error());
  }
  auto compression = get_int("output_compression");
  if (!compression) {
    return tl::unexpected(compression.error());
  }

  generate_command cmd;
  auto& p = cmd.params;
  if (core::trim(*prompt).empty()) {
    return tl::unexpected(validation_error("prompt", "String should have at least 1 character"));
  }
  if (utf8_chars(*prompt) > 4000) {
    return tl::unexpected(validation_error("prompt", "String should have at most 4000 characters"));
  }
  p.prompt = std::move(*prompt);

  auto size = get("size");
  if (size && utf8_chars(*size) > 40) {
    return tl::unexpected(validation_error("size", "String should have at most 40 characters"));
  }
  auto normal = normalise_size(size.value_or("auto"));
  if (!normal) {
    return tl::unexpected(normal.error());
  }
  p.size = std::move(*normal);

  p.model = std::string(core::trim(get("model").value_or("")));
  if (utf8_chars(p.model) > 200) {
    return tl::unexpected(validation_error("model", "String should have at most 200 characters"));
  }

  if (auto r = in_range("n", n->value_or(1), 1, 10); !r) {
    return tl::unexpected(r.error());
  }
  p.n = static_cast<int>(n->value_or(1));

  auto quality = check_one_of("quality", get("quality"), qualities);
  auto format = check_one_of("output_format", get("output_format"), formats);
  auto response_format = check_one_of("response_format", get("response_format"), response_formats);
  for (auto const* r : {&quality, &format, &response_format}) {
    if (!*r) {
      return tl::unexpected(r->error());
    }
  }
  p.quality = quality->value_or("auto");
  p.output_format = format->value_or("png");
  p.response_format = *response_format;

  if (*compression) {
    if (auto r = in_range("output_compression", **compression, 0, 100); !r) {
      return tl::unexpected(r.error());
    }
  }
  if (p.output_format == "png") {
    p.output_compression.reset();
  } else {
    p.output_compression = static_cast<int>(compression->value_or(100));
  }

  if (auto webhook = get("webhook_url"); webhook && !core::trim(*webhook).empty()) {
    if (webhook->size() > 2048) {
      return tl::unexpected(validation_error("webhook_url", "String should have at most 2048 characters"));
    }
    cmd.webhook_url = std::string(core::trim(*webhook));
  }
  return cmd;
}

} // namespace panel::http
