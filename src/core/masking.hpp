#pragma once
// Masking of stored secrets for responses (spec/API.md §7.3). Pure: works on
// the stored form ("", `${NAME}` or an opted-in literal) and never resolves an
// env reference, so a resolved secret cannot reach a response through here.

#include <string>
#include <string_view>

namespace panel::core {

class json_writer;

/// Where a credential comes from, as `*_source` reports it.
enum class secret_source { empty, stored, env };

/// "empty", "stored" or "env".
[[nodiscard]] std::string_view to_string(secret_source s);

/// A credential as a response shows it.
struct masked_secret {
  std::string masked;                          ///< `*_masked`
  bool present = false;                        ///< `has_*`
  secret_source source = secret_source::empty; ///< `*_source`
  std::string env_var;                         ///< `*_env_var`; "" stands for null

  friend bool operator==(masked_secret const&, masked_secret const&) = default;
};

/// API keys (preset, optimizer) and R2 credentials: an env reference shows as
/// itself (source env, env_var NAME); a literal as its first 4 characters +
/// "***" + its last 4 ("***" when it has 8 characters or fewer; counted in
/// UTF-8 code points, never cutting one), source stored; blank as "***",
/// present false, source empty.
[[nodiscard]] masked_secret mask_credential(std::string_view stored);

/// The global SOCKS5 proxy: blank -> ""; an env reference as itself; a literal
/// as `socks5://[user:***@]host:port` (the password replaced; a user name
/// without a password is itself hidden as `***@`); unreadable -> "***".
[[nodiscard]] std::string mask_socks5_proxy(std::string_view stored);

/// The global webhook URL: blank -> ""; an env reference as itself; a literal as
/// `https://[***@]host[:port][/***][?***][#***]` (a path other than "/" and any
/// query or fragment replaced); unreadable -> "***".
[[nodiscard]] std::string mask_webhook_url(std::string_view stored);

/// Writes the four keys of a credential: `<prefix>_masked`, `has_<prefix>`,
/// `<prefix>_source`, `<prefix>_env_var` (null when not an env reference), in
/// that order, into the object `w` is writing.
void write_masked_credential(json_writer& w, std::string_view prefix, masked_secret const& m);

} // namespace panel::core
