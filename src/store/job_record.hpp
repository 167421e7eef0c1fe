#pragma once
// job_record: one generate_jobs row (spec/API.md §13.2) and its GenerateJobStatus JSON (§4.2).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace panel::store {

/// Job status tokens (spec §4.1).
namespace job_status {
inline constexpr std::string_view queued = "queued";
inline constexpr std::string_view running = "running";
inline constexpr std::string_view success = "success";
inline constexpr std::string_view error = "error";
inline constexpr std::string_view upstream_error = "upstream_error";
inline constexpr std::string_view cancelled = "cancelled";
inline constexpr std::string_view interrupted = "interrupted";
} // namespace job_status

/// The message, stage and error a startup reconciliation writes (spec §4.7).
inline constexpr std::string_view interrupted_message = "Job interrupted by server restart";

/// One saved image of a job (an element of `images`).
struct job_image {
  std::string image_id;                     ///< gallery id of the image
  std::string image_url;                    ///< `/api/image/<urlencoded filename>`
  std::string filename;                     ///< `<image_id>.<ext>`
  std::optional<std::int64_t> image_width;  ///< from the file header; null if unknown
  std::optional<std::int64_t> image_height; ///< from the file header; null if unknown

  friend bool operator==(job_image const&, job_image const&) = default;
};

/// Every column of generate_jobs as a plain value. JSON columns
/// (stage_timings_json, images_json) appear parsed.
struct job_record {
  std::string job_id;                            ///< uuid4, primary key
  std::string status{job_status::queued};        ///< a job_status token
  std::optional<std::string> stage;              ///< machine token (§4.3)
  std::optional<std::string> message;            ///< human text (§4.3)
  std::optional<std::string> operation;          ///< "generation" | "edit"
  std::optional<std::string> prompt;             ///< the prompt text
  std::optional<std::string> size;               ///< the requested size string
  std::string created_at;                        ///< ISO UTC
  std::optional<std::string> started_at;         ///< ISO UTC once running
  std::optional<std::string> completed_at;       ///< Beijing on success, UTC otherwise
  std::string updated_at;                        ///< ISO UTC of the last persist
  std::optional<std::string> model;              ///< requested model
  std::optional<std::string> quality;            ///< requested quality
  std::optional<std::string> output_format;      ///< first entry's format
  std::optional<std::int64_t> output_compression;///< normalised compression
  std::optional<std::int64_t> n;                 ///< requested n
  std::optional<std::string> response_format;    ///< requested response format
  std::optional<std::string> api_path;           ///< upstream path used
  std::optional<std::string> api_preset_name;    ///< preset name used
  std::optional<std::string> duration;           ///< e.g. "3.21s"
  std::map<std::string, double> stage_timings;   ///< stage -> milliseconds
  std::optional<std::string> image_id;           ///< first image id
  std::optional<std::string> image_url;          ///< first image URL
  std::vector<job_image> images;                 ///< all saved images in order
  std::optional<std::int64_t> image_width;       ///< first image width
  std::optional<std::int64_t> image_height;      ///< first image height
  std::optional<std::string> error;              ///< error text (also on partial success)
  std::optional<std::string> webhook_url;        ///< [LATER] column; not in the JSON

  friend bool operator==(job_record const&, job_record const&) = default;
};

/// True for queued and running (jobs that are never trimmed or deleted as finished).
[[nodiscard]] bool is_active_status(std::string_view status) noexcept;

/// The GenerateJobStatus JSON of spec §4.2: every key present, absent values
/// as null, `images`/`stage_timings` as empty containers, `id` = image_id,
/// timings in milliseconds rounded to 2 decimals.
[[nodiscard]] std::string to_json(job_record const& job);

/// `images` as stored in images_json (a JSON array of objects).
[[nodiscard]] std::string images_to_json(std::vector<job_image> const& images);
/// `stage_timings` as stored in stage_timings_json (a JSON object, ms rounded to 2 decimals).
[[nodiscard]] std::string stage_timings_to_json(std::map<std::string, double> const& timings);
/// Parses images_json; empty, invalid or non-array text gives an empty list.
[[nodiscard]] std::vector<job_image> parse_images_json(std::string_view text);
/// Parses stage_timings_json; empty or invalid text gives an empty map, non-numbers are skipped.
[[nodiscard]] std::map<std::string, double> parse_stage_timings_json(std::string_view text);
/// The text after the last '/' of `url` (query/fragment dropped): the legacy filename.
[[nodiscard]] std::string last_path_segment(std::string_view url);

} // namespace panel::store
