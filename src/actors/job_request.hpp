#pragma once
// job_request: what one child call of a job sends upstream (spec §6.2-§6.6:
// URL, headers, the JSON payload or the multipart edit form, timeouts, proxy,
// cancel key) and the §4.3 stage texts that go with it. No CAF.

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "actors/job.hpp"
#include "actors/messages.hpp"

namespace panel::actors {

/// The POST of one child call. `edit_body` / `edit_content_type` are the
/// multipart form built by read_edit_body (edits only; ignored otherwise).
[[nodiscard]] upstream_post_request make_upstream_request(job_spec const& spec,
                                                          std::shared_ptr<const std::string> edit_body,
                                                          std::string const& edit_content_type);

/// Reads the staged sources and builds the multipart edits form. BLOCKING (file
/// reads): call it from a detached helper, never on a scheduler thread.
[[nodiscard]] local_ptr<edit_body> read_edit_body(job_spec const& spec);

/// The `building_*` stage and message before the first upstream call (§4.3).
[[nodiscard]] std::pair<std::string, std::string> building_stage(job_spec const& spec);

/// The `extracting_*` stage and its message for results of `p` (§4.3).
[[nodiscard]] std::string_view extract_stage(upstream::api_path p);
[[nodiscard]] std::string_view extract_message(upstream::api_path p);

} // namespace panel::actors
