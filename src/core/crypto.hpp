#pragma once
// Hashing, MACs, encodings and randomness (OpenSSL underneath; no OpenSSL in this header).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace panel::core {

/// HMAC-SHA256 of `message` under `key`: 32 raw bytes.
[[nodiscard]] std::string hmac_sha256(std::string_view key, std::string_view message);

/// SHA-256 of `data`: 32 raw bytes.
[[nodiscard]] std::string sha256(std::string_view data);

/// Lower-case hex of raw bytes.
[[nodiscard]] std::string to_hex(std::string_view raw);

/// URL-safe base64 with '=' padding stripped (access tokens, CSP nonces).
[[nodiscard]] std::string base64url_encode(std::string_view raw);

/// Decodes URL-safe base64 with or without padding; nullopt-like empty + false on bad input.
[[nodiscard]] bool base64url_decode(std::string_view text, std::string& out);

/// Standard base64 with padding (data URLs, b64_json).
[[nodiscard]] std::string base64_encode(std::string_view raw);

/// Decodes standard base64 (padding optional, whitespace ignored). False on bad input.
[[nodiscard]] bool base64_decode(std::string_view text, std::string& out);
/// The same into bytes (image payloads: no copy from a string afterwards).
[[nodiscard]] bool base64_decode(std::string_view text, std::vector<std::uint8_t>& out);

/// `n` bytes from the OS CSPRNG (RAND_bytes).
[[nodiscard]] std::string random_bytes(std::size_t n);

/// Random UUID v4 with dashes (36 chars): job and gallery ids.
[[nodiscard]] std::string uuid4();

/// 32 lower-case hex chars from 16 random bytes: preset, export and sync ids.
[[nodiscard]] std::string random_hex32();

/// Constant-time equality (CRYPTO_memcmp); different lengths compare unequal
/// without leaking where they differ.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace panel::core
