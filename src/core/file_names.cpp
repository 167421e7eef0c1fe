#include "core/file_names.hpp"

namespace panel::core {

std::string_view base_name(std::string_view path) {
  auto const slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view name_suffix(std::string_view name) {
  auto const dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= name.size()) {
    return {};
  }
  return name.substr(dot);
}

std::string_view name_stem(std::string_view name) {
  return name.substr(0, name.size() - name_suffix(name).size());
}

std::string unique_name(std::string const& name, std::function<bool(std::string const&)> const& taken) {
  if (!taken(name)) {
    return name;
  }
  std::string const stem{name_stem(name)};
  std::string const suffix{name_suffix(name)};
  for (std::size_t n = 1;; ++n) {
    auto candidate = stem + "_" + std::to_string(n) + suffix;
    if (!taken(candidate)) {
      return candidate;
    }
  }
}

} // namespace panel::core
