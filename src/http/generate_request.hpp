#pragma once
// The GenerateRequest / EditRequest model of spec §3.6: strict parsing of the JSON
// body, the field limits and the size rules, each failure a 422 with the contract's
// message. Pure; the job handlers build on it.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/expected.hpp"
#include "upstream/api_path.hpp"
#include "upstream/payloads.hpp"

namespace panel::http {

/// A validated request. `params.model` is empty when the client sent none (the
/// active preset's default_model applies).
struct generate_command {
  upstream::generation_params params;
  std::optional<upstream::api_path> api_path; ///< generation only: overrides the preset's path
  std::optional<std::string> webhook_url;
};

/// Parses a JSON GenerateRequest body.
[[nodiscard]] expected<generate_command> parse_generate_request(std::string_view body);

/// Builds the EditRequest model from the text fields of an edit form (spec
/// §3.6 POST /api/edits): empty strings count as absent, the last value of a
/// repeated field wins, unknown fields are ignored, api_path is ignored.
/// "prompt is required", "n must be an integer", "output_compression must be an
/// integer", then the same 422 messages as the JSON model.
[[nodiscard]] expected<generate_command>
parse_edit_form(std::vector<std::pair<std::string, std::string>> const& fields);

/// Checks and normalises a size: "auto", or "<w>x<h>" (lower-case x) within the
/// rules of §3.6 (multiples of 16, max side 3840, ratio <= 3:1, 655360..8294400 pixels).
[[nodiscard]] expected<std::string> normalise_size(std::string_view size);

} // namespace panel::http
