#include "http/static_site.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include "core/crypto.hpp"
#include "core/strings.hpp"
#include "http/errors.hpp"
#include "http/router.hpp"

namespace panel::http {

namespace {

constexpr std::string_view csp_head =
    "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; ";
constexpr std::string_view csp_tail =
    "script-src-attr 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'";

bool safe_segment(std::string_view s) {
  return !s.empty() && s != "." && s != ".." && s.find_first_of(std::string_view{"/\\\0", 3}) == std::string_view::npos;
}

} // namespace

std::string const& default_csp() {
  static std::string const csp =
      std::string(csp_head) + "script-src 'self'; script-src-elem 'self'; " + std::string(csp_tail);
  return csp;
}

std::string csp_with_nonce(std::string_view nonce) {
  auto const n = "'nonce-" + std::string(nonce) + "'";
  return std::string(csp_head) + "script-src 'self' " + n + "; script-src-elem 'self' " + n + "; " +
         std::string(csp_tail);
}

std::string inject_nonce(std::string_view html, std::string_view nonce) {
  std::string out;
  out.reserve(html.size() + 64);
  std::size_t pos = 0;
  while (true) {
    auto lower = core::to_lower(html.substr(pos));
    auto const rel = lower.find("<script");
    if (rel == std::string::npos) {
      out.append(html.substr(pos));
      break;
    }
    auto const at = pos + rel;
    auto const after = at + 7;
    auto const next = after < html.size() ? html[after] : '\0';
    out.append(html.substr(pos, after - pos));
    pos = after;
    if (next != '>' && next != ' ' && next != '\t' && next != '\n' && next != '\r' && next != '/') {
      continue; // e.g. <scripts>, not a script tag
    }
    auto const close = html.find('>', after);
    auto const tag = core::to_lower(html.substr(after, close == std::string_view::npos ? close : close - after));
    if (tag.find("nonce=") == std::string::npos) {
      out += " nonce=\"" + std::string(nonce) + "\"";
    }
  }
  return out;
}

std::string_view content_type_for(std::string_view filename) {
  auto const dot = filename.rfind('.');
  auto const ext = core::to_lower(dot == std::string_view::npos ? std::string_view{} : filename.substr(dot + 1));
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "webp") return "image/webp";
  if (ext == "gif") return "image/gif";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

static_site::static_site(std::filesystem::path build_dir) : root_(std::move(build_dir)) {}

bool static_site::load_page(std::string const& name, std::string& out) {
  auto const path = root_ / name;
  std::error_code ec;
  auto const mtime = std::filesystem::last_write_time(path, ec);
  if (ec) {
    return false;
  }
  std::lock_guard lock{mutex_};
  auto& cached = pages_[name];
  if (cached.html.empty() || mtime != cached.mtime) {
    std::ifstream in{path, std::ios::binary};
    if (!in) {
      return false;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    cached.html = ss.str();
    cached.mtime = mtime;
  }
  out = cached.html;
  return true;
}

std::optional<response> static_site::page(std::string const& name) {
  std::string html;
  if (!load_page(name, html)) {
    return std::nullopt;
  }
  auto const nonce = core::base64url_encode(core::random_bytes(16));
  response r;
  r.headers.set("Content-Type", "text/html; charset=utf-8");
  r.headers.set("Content-Security-Policy", csp_with_nonce(nonce));
  r.headers.set("Cache-Control", "no-cache");
  r.body = inject_nonce(html, nonce);
  return r;
}

response static_site::index() {
  if (auto r = page("index.html")) {
    return std::move(*r);
  }
  return error_response(500, "Frontend build not found. Run `npm --prefix web run build`.");
}

response static_site::favicon() const {
  auto const path = root_ / "favicon.ico";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return error_response(404, "Frontend favicon not found");
  }
  response r;
  r.headers.set("Content-Type", "image/x-icon");
  r.headers.set("Cache-Control", "public, max-age=86400");
  r.file = path;
  return r;
}

response static_site::serve(std::string_view raw_path) {
  auto const segs = path_segments(raw_path);
  if ((!segs.empty() && segs.front() == "api") || (segs.size() == 1 && segs.front() == "health")) {
    return error_response(404, "Not found");
  }
  bool safe = !segs.empty();
  for (auto const& s : segs) {
    safe = safe && safe_segment(s);
  }
  if (safe) {
    auto path = root_;
    for (auto const& s : segs) {
      path /= s;
    }
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) {
      // Symlinks must not lead out of the build directory.
      auto const real = std::filesystem::weakly_canonical(path, ec);
      auto const root = std::filesystem::weakly_canonical(root_, ec);
      auto const rel = real.lexically_relative(root);
      if (!ec && !rel.empty() && *rel.begin() != "..") {
        response r;
        r.headers.set("Content-Type", std::string(content_type_for(segs.back())));
        if (segs.size() > 2 && segs[0] == "_app" && segs[1] == "immutable") {
          r.headers.set("Cache-Control", "public, max-age=31536000, immutable");
        }
        r.file = real;
        return r;
      }
    }
  }
  if (!segs.empty() && segs.front() == "_app") {
    return error_response(404, "Not found"); // a missing asset is never answered with HTML
  }
  // SPA fallback: adapter-static's 200.html, else the index.
  for (auto const* name : {"200.html", "index.html"}) {
    if (auto r = page(name)) {
      return std::move(*r);
    }
  }
  return error_response(404, "Not found");
}

} // namespace panel::http
