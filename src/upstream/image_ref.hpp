#pragma once
// One image found in an upstream answer, before any byte is fetched or decoded.

#include <string>
#include <vector>

namespace panel::upstream {

/// How the image's bytes are to be obtained.
enum class image_kind {
  base64,   ///< `value` is base64 text (b64_json and friends): decode
  url,      ///< `value` is an http(s) URL: download under the SSRF rules (§6.8)
  data_url, ///< `value` is the base64 payload of a data:image/... URL: decode
};

/// A reference to one result image. Plain value, owned by whoever extracted it.
struct image_ref {
  image_kind kind = image_kind::base64;
  std::string value;      ///< base64 text (whitespace removed for data URLs) or the URL
  std::string media_type; ///< data_url only: the declared type, lower-case ("image/png")

  friend bool operator==(const image_ref&, const image_ref&) = default;
};

/// True when `kind` carries inline bytes (base64 or data URL) rather than a URL.
[[nodiscard]] inline bool is_inline(image_kind kind) { return kind != image_kind::url; }

/// Appends `ref` unless an equal reference is already present: URLs compare by
/// text, inline images by their base64 payload (a data URL and a b64_json with
/// the same payload are one image). Empty values are dropped.
void append_unique(std::vector<image_ref>& out, image_ref ref);

} // namespace panel::upstream
