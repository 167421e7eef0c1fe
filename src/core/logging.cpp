#include "core/logging.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include "core/clock.hpp"

namespace panel::core {

namespace {
std::atomic<log_level> min_level{log_level::info};
std::mutex out_mutex;
} // namespace

void set_log_level(log_level level) {
  min_level = level;
}

void log(log_level level, std::string_view message) {
  if (level < min_level.load()) {
    return;
  }
  static constexpr char const* names[] = {"DEBUG", "INFO", "WARNING", "ERROR"};
  std::string line = now_iso_utc();
  line += ' ';
  line += names[static_cast<int>(level)];
  line += ' ';
  line += message;
  line += '\n';
  std::lock_guard lock{out_mutex};
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

} // namespace panel::core
