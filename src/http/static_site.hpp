#pragma once
// Serves the built web app (WEB_BUILD_DIR): files streamed from disk, index.html
// with a fresh CSP nonce per response (§2.7), and the SPA fallback (§3.1).

#include <filesystem>
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

  /// `GET /favicon.ico`.
  [[nodiscard]] response favicon() const;

  /// `GET /{path}`: a file inside the build, else the SPA fallback (index), else 404.
  /// `rest` is the decoded remainder of the path; traversal is refused.
  [[nodiscard]] response serve(std::string_view raw_path);

private:
  // The index is re-read only when its modification time changes.
  [[nodiscard]] bool load_index(std::string& out);

  std::filesystem::path root_;
  std::mutex mutex_;
  std::string index_;
  std::filesystem::file_time_type index_mtime_{};
};

} // namespace panel::http
