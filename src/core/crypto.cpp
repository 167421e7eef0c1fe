#include "core/crypto.hpp"

#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <climits>
#include <cstdio>
#include <cstdlib>

namespace panel::core {

namespace {

constexpr std::size_t sha256_size = 32;

constexpr char std_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char url_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A failing hash or CSPRNG leaves no safe value to return (an empty MAC could
/// match an empty signature, zeroed "random" bytes would be guessable), so stop.
[[noreturn]] void crypto_failure(char const* what) {
  std::fprintf(stderr, "fatal: OpenSSL %s failed\n", what);
  std::abort();
}

/// string_view::data() may be null for an empty view; OpenSSL wants a valid pointer.
unsigned char const* bytes_of(std::string_view s) {
  static unsigned char const empty = 0;
  return s.empty() ? &empty : reinterpret_cast<unsigned char const*>(s.data());
}

std::string encode(std::string_view raw, char const* alphabet, bool pad) {
  std::string out;
  out.reserve((raw.size() + 2) / 3 * 4);
  auto const* p = reinterpret_cast<unsigned char const*>(raw.data());
  std::size_t i = 0;
  for (; i + 3 <= raw.size(); i += 3) {
    std::uint32_t const v = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8) | p[i + 2];
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    out.push_back(alphabet[v & 63]);
  }
  std::size_t const rest = raw.size() - i;
  if (rest == 1) {
    std::uint32_t const v = std::uint32_t{p[i]} << 16;
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (pad) {
      out.append("==");
    }
  } else if (rest == 2) {
    std::uint32_t const v = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8);
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    if (pad) {
      out.push_back('=');
    }
  }
  return out;
}

/// Reverse lookup table for one alphabet: 0..63, or -1 for characters outside it.
std::array<signed char, 256> make_table(char const* alphabet) {
  std::array<signed char, 256> t{};
  t.fill(-1);
  for (int i = 0; i < 64; ++i) {
    t[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
  }
  return t;
}

bool is_b64_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// Decodes `text` into `out` (a byte container) in one pass: whitespace is
/// skipped when `skip_space`, padding is optional but, when present, must end
/// the text and complete its last 4-symbol group. Multi-megabyte b64_json
/// images go through here, so no per-byte reallocation and no compacted copy.
template <class Out>
bool decode(std::string_view text, std::array<signed char, 256> const& table, bool skip_space, Out& out) {
  out.clear();
  Out result;
  result.resize(text.size() / 4 * 3 + 3);
  auto* dst = reinterpret_cast<unsigned char*>(result.data());
  std::uint32_t acc = 0;
  int symbols = 0;
  int padding = 0;
  for (char const c : text) {
    int const v = table[static_cast<unsigned char>(c)];
    if (v >= 0) {
      if (padding != 0) {
        return false; // data after '='
      }
      acc = (acc << 6) | static_cast<std::uint32_t>(v);
      if (++symbols == 4) {
        dst[0] = static_cast<unsigned char>(acc >> 16);
        dst[1] = static_cast<unsigned char>(acc >> 8);
        dst[2] = static_cast<unsigned char>(acc);
        dst += 3;
        acc = 0;
        symbols = 0;
      }
    } else if (c == '=') {
      if (++padding > 2) {
        return false;
      }
    } else if (!(skip_space && is_b64_space(c))) {
      return false;
    }
  }
  // A lone trailing symbol carries only 6 bits: no byte can end there.
  if (symbols == 1 || (padding != 0 && symbols + padding != 4)) {
    return false;
  }
  if (symbols == 2) {
    *dst++ = static_cast<unsigned char>(acc >> 4);
  } else if (symbols == 3) {
    *dst++ = static_cast<unsigned char>(acc >> 10);
    *dst++ = static_cast<unsigned char>(acc >> 2);
  }
  result.resize(static_cast<std::size_t>(dst - reinterpret_cast<unsigned char*>(result.data())));
  out = std::move(result);
  return true;
}

} // namespace

std::string hmac_sha256(std::string_view key, std::string_view message) {
  if (key.size() > static_cast<std::size_t>(INT_MAX)) {
    // HMAC itself replaces a key longer than the block size by its hash (RFC 2104),
    // so doing it here first gives the same MAC and fits HMAC()'s int length.
    return hmac_sha256(sha256(key), message);
  }
  std::string out(sha256_size, '\0');
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), bytes_of(key), static_cast<int>(key.size()), bytes_of(message), message.size(),
           reinterpret_cast<unsigned char*>(out.data()), &len) == nullptr ||
      len != sha256_size) {
    crypto_failure("HMAC-SHA256");
  }
  return out;
}

std::string sha256(std::string_view data) {
  std::string out(sha256_size, '\0');
  unsigned int len = 0;
  if (EVP_Digest(bytes_of(data), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len, EVP_sha256(),
                 nullptr) != 1 ||
      len != sha256_size) {
    crypto_failure("SHA-256");
  }
  return out;
}

std::string to_hex(std::string_view raw) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (char const c : raw) {
    auto const b = static_cast<unsigned char>(c);
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0f]);
  }
  return out;
}

std::string base64url_encode(std::string_view raw) {
  return encode(raw, url_alphabet, false);
}

bool base64url_decode(std::string_view text, std::string& out) {
  static auto const table = make_table(url_alphabet);
  return decode(text, table, false, out);
}

std::string base64_encode(std::string_view raw) {
  return encode(raw, std_alphabet, true);
}

bool base64_decode(std::string_view text, std::string& out) {
  static auto const table = make_table(std_alphabet);
  return decode(text, table, true, out);
}

bool base64_decode(std::string_view text, std::vector<std::uint8_t>& out) {
  static auto const table = make_table(std_alphabet);
  return decode(text, table, true, out);
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  while (n > 0) {
    // RAND_bytes takes an int count.
    std::size_t const chunk = n < static_cast<std::size_t>(INT_MAX) ? n : static_cast<std::size_t>(INT_MAX);
    if (RAND_bytes(p, static_cast<int>(chunk)) != 1) {
      crypto_failure("RAND_bytes");
    }
    p += chunk;
    n -= chunk;
  }
  return out;
}

std::string uuid4() {
  std::string raw = random_bytes(16);
  // RFC 9562 §5.4: version 4 in the high nibble of byte 6, variant 10xx in byte 8.
  raw[6] = static_cast<char>((static_cast<unsigned char>(raw[6]) & 0x0f) | 0x40);
  raw[8] = static_cast<char>((static_cast<unsigned char>(raw[8]) & 0x3f) | 0x80);
  std::string const hex = to_hex(raw);
  std::string out;
  out.reserve(36);
  out.append(hex, 0, 8).push_back('-');
  out.append(hex, 8, 4).push_back('-');
  out.append(hex, 12, 4).push_back('-');
  out.append(hex, 16, 4).push_back('-');
  out.append(hex, 20, 12);
  return out;
}

std::string random_hex32() {
  return to_hex(random_bytes(16));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Only the length can leak; the content comparison never stops early.
  if (a.size() != b.size()) {
    return false;
  }
  return CRYPTO_memcmp(bytes_of(a), bytes_of(b), a.size()) == 0;
}

} // namespace panel::core
