#pragma once
// panel::error between actors: a caf::error with category "panel", the errc in the
// code and the message in the context. Light (no HTTP headers), so every actor can
// use it; actors/bridge.hpp maps it to a response.

#include <caf/atom.hpp>
#include <caf/error.hpp>

#include "core/expected.hpp"

namespace panel::actors {

/// The CAF error category of panel errors.
inline constexpr caf::atom_value panel_error_category = caf::atom("panel");

/// A panel::error as a caf::error (code in the code, message in the context).
[[nodiscard]] caf::error to_caf_error(panel::error const& e);

/// Shorthand: `return actor_error(errc::not_found, "Generation job not found");`.
[[nodiscard]] inline caf::error actor_error(errc code, std::string message) {
  return to_caf_error(panel::error{code, std::move(message)});
}

/// A caf::error back as a panel::error; CAF's own errors (timeouts, dead actors)
/// become 503 "unavailable".
[[nodiscard]] panel::error from_caf_error(caf::error const& e);

} // namespace panel::actors
