#pragma once
// Secrets in settings (spec/API.md §7.2): `${ENV_VAR}` references stored as
// written and resolved from the process environment at use time, and the URL
// normalisers of §7.4 the settings and the job pre-checks share.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace panel::core {

/// True when the whole trimmed `text` is `${NAME}` with NAME matching
/// [A-Za-z_][A-Za-z0-9_]*.
[[nodiscard]] bool is_env_ref(std::string_view text);

/// NAME of an env reference, or nullopt when `text` is not one.
[[nodiscard]] std::optional<std::string> env_ref_name(std::string_view text);

/// A stored secret resolved for use.
struct secret_value {
  std::string value;   ///< the usable secret ("" when missing or empty)
  std::string env_var; ///< NAME when the stored value was `${NAME}`, else ""
  bool missing = false;///< an env reference whose variable is unset or blank
};

/// Resolves a stored value: an env reference reads the process environment at
/// this moment (trimmed; unset or blank -> missing); anything else is the value
/// itself (trimmed). Thread-safe (the environment is never modified after startup).
[[nodiscard]] secret_value resolve_secret(std::string_view stored);

/// §7.4 upstream base URL normaliser (preset and optimizer api_url): 422-style
/// errors (errc::validation) with the spec's messages ("API URL must use https://",
/// ...); output `https://<lower-case host>[:port]<path without trailing />`.
[[nodiscard]] expected<std::string> normalise_api_url(std::string_view text);

/// §7.4 webhook URL normaliser ("Webhook URL must use https://", "... must include
/// a hostname"); query and fragment kept.
[[nodiscard]] expected<std::string> normalise_webhook_url(std::string_view text);

/// §6.11/§7.4 SOCKS5 proxy URL normaliser (`socks5://[user[:pass]@]host:port`).
[[nodiscard]] expected<std::string> normalise_socks5_url(std::string_view text);

/// Exports `.env` entries into the process environment (setenv without
/// overwrite: the real environment wins) so `${NAME}` refs can name .env
/// variables, as the original's load_dotenv does. Call once from main before
/// any thread starts (setenv is not thread-safe).
void export_dotenv(std::map<std::string, std::string> const& dotenv);

} // namespace panel::core
