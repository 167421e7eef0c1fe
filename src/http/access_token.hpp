#pragma once
// The stateless access token of spec §2.5:
// b64url({"exp":<unix>,"scope":"access"}) "." b64url(HMAC_SHA256(ACCESS_KEY, first part)).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace panel::http {

/// Cookie lifetime, fixed by the contract: 180 minutes.
inline constexpr std::int64_t access_token_ttl_seconds = 10800;

/// Mints a token valid until `exp` (unix seconds). Fails when `key` is empty:
/// the panel never signs with an empty secret.
[[nodiscard]] expected<std::string> mint_access_token(std::string_view key, std::int64_t exp);

/// The token's expiry when its MAC, scope and expiry check out at `now`; else nullopt.
[[nodiscard]] std::optional<std::int64_t> verify_access_token(std::string_view key, std::string_view token,
                                                              std::int64_t now);

/// The value of cookie `name` in a Cookie header, or nullopt.
[[nodiscard]] std::optional<std::string> find_cookie(std::string_view cookie_header, std::string_view name);

} // namespace panel::http
