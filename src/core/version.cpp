#include "core/version.hpp"

#include <fstream>
#include <sstream>

#include "core/strings.hpp"

namespace panel::core {

std::string current_version(config const& cfg) {
  if (cfg.app_version) {
    return *cfg.app_version;
  }
  std::ifstream in{cfg.version_file};
  std::stringstream ss;
  ss << in.rdbuf();
  auto v = std::string(trim(ss.str()));
  return v.empty() ? "v0.0.0" : v;
}

} // namespace panel::core
