#include "upstream/url_join.hpp"

namespace panel::upstream {

std::string build_upstream_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') {
    base.remove_suffix(1);
  }
  if (base.ends_with(path)) {
    return std::string(base);
  }
  std::string out(base);
  if (base.ends_with("/v1") && path.starts_with("/v1/")) {
    // The preset already names the version segment; do not double it.
    out += path.substr(3);
  } else {
    out += path;
  }
  return out;
}

} // namespace panel::upstream
