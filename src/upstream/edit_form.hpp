#pragma once
// The multipart/form-data body of POST /v1/images/edits (spec/API.md §6.6).
// Pure apart from the random boundary; the bytes are written into a string
// that the upstream pool hands to curl as the request body.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "upstream/payloads.hpp"

namespace panel::upstream {

/// One staged edit source: shared immutable bytes plus the name and type the
/// user uploaded. Owned jointly by the job and whoever is sending it.
struct edit_source {
  std::shared_ptr<const std::vector<std::uint8_t>> bytes;
  std::string filename;     ///< empty: "image.png"
  std::string content_type; ///< empty or unsafe: "application/octet-stream"
};

/// A fresh random boundary ("panel-" + 32 hex characters).
[[nodiscard]] std::string make_multipart_boundary();

/// The request's Content-Type header value for `boundary`.
[[nodiscard]] std::string multipart_content_type(std::string_view boundary);

/// The field name for image parts: "image" for one source, else "image[]".
[[nodiscard]] std::string_view edit_image_field(std::size_t source_count);

/// Appends the whole edits body to `out` (reserving its exact size first):
/// one part per source under `edit_image_field(sources.size())`, in order,
/// with filename and content type; then the text fields model, prompt, size,
/// n, quality, output_format, and response_format / output_compression when
/// sent (§6.6), every value as a string; then the closing delimiter.
void write_edit_form(std::string& out, const generation_params& p, const std::vector<edit_source>& sources,
                     std::string_view boundary);

/// `write_edit_form` into a new string.
[[nodiscard]] std::string build_edit_form(const generation_params& p, const std::vector<edit_source>& sources,
                                          std::string_view boundary);

} // namespace panel::upstream
