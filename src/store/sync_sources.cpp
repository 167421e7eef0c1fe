#include "store/sync_sources.hpp"

#include <array>
#include <fstream>
#include <memory>

#include <openssl/evp.h>

#include "core/crypto.hpp"

#include "store/database.hpp"
#include "store/statement.hpp"

namespace panel::store {

expected<std::vector<sync_source>> list_sync_sources(database& db) {
  auto stmt = db.prepare("SELECT id, filename FROM gallery_entries ORDER BY rowid");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  return stmt->fetch_all([](statement const& s) {
    return sync_source{s.column_text(0), s.column_text(1)};
  });
}

expected<std::int64_t> count_gallery_rows(database& db) {
  auto stmt = db.prepare("SELECT COUNT(*) FROM gallery_entries");
  if (!stmt) {
    return tl::unexpected<error>{stmt.error()};
  }
  auto n = stmt->fetch_one([](statement const& s) { return s.column_int64(0); });
  if (!n) {
    return tl::unexpected<error>{n.error()};
  }
  return n->value_or(0);
}

std::optional<file_digest> digest_file(std::filesystem::path const& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  std::ifstream in{path, std::ios::binary};
  if (!in) {
    return std::nullopt;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return std::nullopt;
  }
  file_digest out;
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    auto const n = in.gcount();
    if (n > 0) {
      EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(n));
      out.size += n;
    }
  }
  if (in.bad()) {
    return std::nullopt;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) {
    return std::nullopt;
  }
  out.sha256_hex = core::to_hex(std::string_view{reinterpret_cast<char const*>(digest.data()), length});
  return out;
}

} // namespace panel::store
