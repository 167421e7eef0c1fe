#include "actors/errors.hpp"

#include <caf/message.hpp>
#include <caf/sec.hpp>

namespace panel::actors {

caf::error to_caf_error(panel::error const& e) {
  return caf::error{static_cast<std::uint8_t>(e.code), panel_error_category, caf::make_message(e.message)};
}

panel::error from_caf_error(caf::error const& e) {
  if (e.category() == panel_error_category) {
    auto const& ctx = e.context();
    std::string message;
    if (ctx.match_elements<std::string>()) {
      message = ctx.get_as<std::string>(0);
    }
    return panel::error{static_cast<errc>(e.code()), message};
  }
  if (e == caf::sec::request_timeout) {
    return panel::error{errc::unavailable, "The server is busy; try again shortly"};
  }
  return panel::error{errc::unavailable, "Service unavailable"};
}

} // namespace panel::actors
