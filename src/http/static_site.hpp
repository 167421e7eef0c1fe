#pragma once
// Serves the built web app (WEB_BUILD_DIR): files streamed from disk, index.html
// with a fresh CSP nonce per response (§2.7), and the SPA fallback (§3.1).

#include <filesystem>
#include <map>
#include <optional>
#include <mutex>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace panel::http {

/// The default Content-Security-Policy of §2.7 (no nonce).
[[nodiscard]] std::string const& default_csp();

/// The policy with 'nonce-<nonce>' added to script-src and script-src-elem.
[[nodiscard]] std::string csp_with_nonce(std::string_view nonce);

/// Adds nonce="<nonce>" as the first attribute of every <script> tag that has none.
[[nodiscard]] std::string inject_nonce(std::string_view html, std::string_view nonce);

/// The Content-Type for a file name by its extension.
[[nodiscard]] std::string_view content_type_for(std::string_view filename);

/// Thread-safe; shared by every io thread.
class static_site {
public:
  explicit static_site(std::filesystem::path build_dir);

  /// `GET /`: the index with a nonce, or 500 when the build is missing.
  [[nodiscard]] response index();

  /// An HTML page of the build (index.html, or the SPA fallback 200.html) with a
  /// fresh nonce; nullopt when the file is missing.
  [[nodiscard]] std::optional<response> page(std::string const& name);

  /// `GET /favicon.ico`.
  [[nodiscard]] response favicon() const;

  /// `GET /{path}`: a file inside the build, else the SPA fallback (index), else 404.
  /// `rest` is the decoded remainder of the path; traversal is refused.
  [[nodiscard]] response serve(std::string_view raw_path);

private:
  struct cached_page {
    std::string html;
    std::filesystem::file_time_type mtime{};
  };
  // Pages are re-read only when their modification time changes.
  [[nodiscard]] bool load_page(std::string const& name, std::string& out);

  std::filesystem::path root_;
  std::mutex mutex_;
  std::map<std::string, cached_page> pages_;
};

} // namespace panel::http
