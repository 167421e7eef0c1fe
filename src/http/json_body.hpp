#pragma once
// Strict JSON request models (§1.1): the body must be an object whose keys are all
// known; failures are 422 with FastAPI-style flattened messages
// ("<field> - <message>", joined with "; ").

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "core/expected.hpp"

namespace panel::http {

/// A parsed object body; keeps the parser alive for the object's views.
class json_body {
public:
  /// Parses `body`; every key must be in `allowed`.
  [[nodiscard]] static expected<std::unique_ptr<json_body>> parse(std::string_view body,
                                                                  std::initializer_list<std::string_view> allowed);

  /// A required string field with a length range (in characters, UTF-8 aware).
  [[nodiscard]] expected<std::string> required_string(std::string_view key, std::size_t min_len,
                                                      std::size_t max_len) const;

  /// An optional string field (null or absent -> nullopt).
  [[nodiscard]] expected<std::optional<std::string>> optional_string(std::string_view key) const;

  [[nodiscard]] simdjson::dom::object const& root() const { return root_; }

private:
  simdjson::dom::parser parser_;
  simdjson::padded_string text_;
  simdjson::dom::object root_;
};

/// A 422 validation failure: "<field> - <message>".
[[nodiscard]] error validation_error(std::string_view field, std::string_view message);

} // namespace panel::http
