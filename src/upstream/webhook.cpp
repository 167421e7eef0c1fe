#include "upstream/webhook.hpp"

#include <array>
#include <limits>

#include <simdjson.h>

#include "core/crypto.hpp"
#include "core/json_writer.hpp"

namespace panel::upstream {

namespace {

// §10.2, README-era list.
constexpr std::array<std::string_view, 26> job_keys{
    "job_id",        "status",       "stage",         "message",       "operation",
    "id",            "image_id",     "image_url",     "prompt",        "size",
    "created_at",    "started_at",   "completed_at",  "updated_at",    "image_width",
    "image_height",  "model",        "quality",       "output_format", "output_compression",
    "response_format", "n",          "api_path",      "api_preset_name", "duration",
    "error"};

// Re-emits one parsed value through the writer (strings unescaped UTF-8).
void emit(core::json_writer& w, simdjson::dom::element const& e) {
  using simdjson::dom::element_type;
  switch (e.type()) {
  case element_type::ARRAY: {
    // Copied out first: a range-for over the temporary result would dangle.
    simdjson::dom::array const items = e.get_array().value_unsafe();
    w.begin_array();
    for (auto const item : items) {
      emit(w, item);
    }
    w.end_array();
    break;
  }
  case element_type::OBJECT: {
    simdjson::dom::object const fields = e.get_object().value_unsafe();
    w.begin_object();
    for (auto const field : fields) {
      w.key(field.key);
      emit(w, field.value);
    }
    w.end_object();
    break;
  }
  case element_type::INT64:
    w.value(e.get_int64().value_unsafe());
    break;
  case element_type::UINT64: {
    auto const u = e.get_uint64().value_unsafe();
    w.raw(std::to_string(u));
    break;
  }
  case element_type::DOUBLE:
    w.value(e.get_double().value_unsafe());
    break;
  case element_type::STRING:
    w.value(e.get_string().value_unsafe());
    break;
  case element_type::BOOL:
    w.value(e.get_bool().value_unsafe());
    break;
  case element_type::NULL_VALUE:
    w.null();
    break;
  }
}

} // namespace

std::span<std::string_view const> webhook_job_keys() {
  return job_keys;
}

expected<std::string> build_webhook_body(std::string_view job_json, std::string_view delivered_at_iso) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded{job_json};
  simdjson::dom::object job;
  if (parser.parse(padded).get_object().get(job) != simdjson::SUCCESS) {
    return fail(errc::internal, "Webhook job JSON is not an object");
  }
  core::json_writer w;
  w.begin_object();
  for (auto const key : job_keys) {
    simdjson::dom::element value;
    if (job.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) {
      continue;
    }
    w.key(key);
    emit(w, value);
  }
  w.field("event", webhook_event);
  w.field("delivered_at", delivered_at_iso);
  w.end_object();
  return w.take();
}

std::string webhook_signature(std::string_view secret, std::int64_t timestamp, std::string_view body) {
  std::string message = std::to_string(timestamp);
  message += '.';
  message += body;
  return "sha256=" + core::to_hex(core::hmac_sha256(secret, message));
}

std::vector<std::string> webhook_headers(std::string_view job_id, std::int64_t timestamp,
                                         std::string_view signature) {
  std::string safe_id;
  for (char const c : job_id) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
      safe_id += c;
    }
  }
  std::vector<std::string> out;
  out.push_back("User-Agent: " + std::string{webhook_user_agent});
  out.push_back("X-Webhook-Event: " + std::string{webhook_event});
  out.push_back("X-Webhook-Job-Id: " + safe_id);
  out.push_back("X-Webhook-Timestamp: " + std::to_string(timestamp));
  out.push_back("X-Webhook-Signature: " + std::string{signature});
  return out;
}

std::chrono::seconds webhook_retry_delay(int attempt) {
  if (attempt <= 1) {
    return std::chrono::seconds{1};
  }
  if (attempt == 2) {
    return std::chrono::seconds{2};
  }
  return std::chrono::seconds{4};
}

} // namespace panel::upstream
