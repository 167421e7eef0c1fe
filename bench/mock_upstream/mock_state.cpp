#include "mock_state.hpp"

#include "core/json_writer.hpp"

#include <random>

namespace mock {

using panel::core::json_writer;
namespace {

// Bounds memory: a benchmark may publish hundreds of thousands of URL results.
constexpr std::size_t max_files = 4096;
constexpr std::size_t max_recent = 32;

std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t initial_seed(options const& o) {
  if (o.seed_given) {
    return o.seed;
  }
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

void write_record(json_writer& w, request_record const& r) {
  w.begin_object();
  w.field("method", r.method).field("path", r.path).field("endpoint", r.endpoint);
  w.key("status");
  if (r.status == 0) {
    w.null();
  } else {
    w.value(r.status);
  }
  w.field("outcome", r.outcome).field("prompt", r.prompt).field("time_ms", r.time_ms);
  w.key("headers").begin_object();
  for (auto const& [name, value] : r.headers) {
    w.field(name, value);
  }
  w.end_object();
  w.key("auth_sha256");
  if (r.auth_sha256.empty()) {
    w.null();
  } else {
    w.value(r.auth_sha256);
  }
  w.key("body").raw(r.body_json);
  w.end_object();
}

} // namespace

mock_state::mock_state(options const& opts)
    : opts_(opts), images_(opts.cache_mb * 1024 * 1024), id_seed_(initial_seed(opts)), rng_(id_seed_) {
  config_.latency_ms = opts.latency_ms;
  config_.fail_rate = opts.fail_rate;
}

std::string mock_state::publish(image_ptr img) {
  std::string name = new_id("img_", 24);
  name += '.';
  name += format_extension(img->key.format);
  std::lock_guard lock{files_mutex_};
  files_.emplace(name, std::move(img));
  file_order_.push_back(name);
  while (file_order_.size() > max_files) {
    files_.erase(file_order_.front());
    file_order_.pop_front();
  }
  return name;
}

image_ptr mock_state::find_file(std::string_view name) const {
  std::lock_guard lock{files_mutex_};
  auto it = files_.find(std::string{name});
  return it == files_.end() ? nullptr : it->second;
}

std::string mock_state::new_id(std::string_view prefix, std::size_t hex_chars) {
  static constexpr char hex[] = "0123456789abcdef";
  std::uint64_t const n = id_counter_.fetch_add(1, std::memory_order_relaxed);
  std::string out{prefix};
  std::uint64_t block = 0;
  for (std::size_t i = 0; i < hex_chars; ++i) {
    if (i % 16 == 0) {
      block = mix(id_seed_ ^ mix(n * 4 + i / 16 + 1));
    }
    out.push_back(hex[block & 0xF]);
    block >>= 4;
  }
  return out;
}

runtime_config mock_state::config() const {
  std::lock_guard lock{mutex_};
  return config_;
}

void mock_state::set_config(runtime_config const& cfg) {
  std::lock_guard lock{mutex_};
  config_ = cfg;
}

bool mock_state::draw_failure() {
  std::lock_guard lock{mutex_};
  if (config_.fail_rate <= 0.0) {
    return false;
  }
  return std::uniform_real_distribution<double>{0.0, 1.0}(rng_) < config_.fail_rate;
}

bool mock_state::fail_every_due(unsigned k) {
  std::lock_guard lock{mutex_};
  ++fail_every_counter_;
  return k > 0 && fail_every_counter_ % k == 0;
}

void mock_state::record(request_record rec) {
  std::lock_guard lock{mutex_};
  ++total_;
  ++endpoint_counts_[rec.endpoint];
  ++status_counts_[rec.status];
  if (rec.endpoint != "files") {
    last_api_ = rec;
  }
  recent_.push_back(std::move(rec));
  while (recent_.size() > max_recent) {
    recent_.pop_front();
  }
}

std::string mock_state::stats_json() const {
  std::size_t file_count = 0;
  {
    std::lock_guard lock{files_mutex_};
    file_count = files_.size();
  }
  json_writer w;
  std::lock_guard lock{mutex_};
  w.begin_object();
  w.field("total", static_cast<std::int64_t>(total_));
  w.key("endpoints").begin_object();
  for (auto const& [name, n] : endpoint_counts_) {
    w.field(name, static_cast<std::int64_t>(n));
  }
  w.end_object();
  w.key("statuses").begin_object();
  for (auto const& [status, n] : status_counts_) {
    w.field(status == 0 ? std::string{"none"} : std::to_string(status), static_cast<std::int64_t>(n));
  }
  w.end_object();
  w.field("fail_every_counter", static_cast<std::int64_t>(fail_every_counter_));
  w.key("image_cache").begin_object();
  w.field("hits", static_cast<std::int64_t>(images_.hits()));
  w.field("misses", static_cast<std::int64_t>(images_.misses()));
  w.end_object();
  w.field("files", static_cast<std::int64_t>(file_count));
  w.key("config").begin_object();
  w.field("latency_ms", static_cast<std::int64_t>(config_.latency_ms));
  w.field("fail_rate", config_.fail_rate);
  w.field("options_status", config_.options_status);
  w.field("head_status", config_.head_status);
  w.end_object();
  w.key("last_request");
  if (last_api_) {
    write_record(w, *last_api_);
  } else {
    w.null();
  }
  w.key("requests").begin_array();
  for (auto const& r : recent_) {
    write_record(w, r);
  }
  w.end_array();
  w.end_object();
  return w.take();
}

void mock_state::reset() {
  std::lock_guard lock{mutex_};
  config_ = runtime_config{};
  config_.latency_ms = opts_.latency_ms;
  config_.fail_rate = opts_.fail_rate;
  fail_every_counter_ = 0;
  total_ = 0;
  endpoint_counts_.clear();
  status_counts_.clear();
  recent_.clear();
  last_api_.reset();
}

} // namespace mock
