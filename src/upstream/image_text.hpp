#pragma once
// Finding image references in free text: the Chat Completions rules of
// spec/API.md §6.5 (data URLs, Markdown images, bare http(s) URLs).

#include <optional>
#include <string_view>
#include <vector>

#include "upstream/image_ref.hpp"

namespace panel::upstream {

/// A whole-string reference: surrounding whitespace and `<`/`>` removed, then a
/// data:image/(png|jpe?g|webp|gif|avif|bmp);base64 URL (case-insensitive,
/// whitespace inside the data dropped) or an `http://`/`https://` URL.
/// nullopt for anything else.
[[nodiscard]] std::optional<image_ref> normalize_image_reference(std::string_view value);

/// A value given as inline image data (b64_json, Responses `result`): a
/// data:image URL becomes `data_url` (the original would have decoded its
/// "data:image/...;base64," prefix as base64 garbage), anything else `base64`.
[[nodiscard]] image_ref inline_image_ref(std::string_view value);

/// Every image reference in `text`, de-duplicated, in this order: all data
/// URLs, then Markdown image targets (`![alt](target)`, `![alt](<target> "title")`)
/// that normalise to an image, then bare http(s) URLs (up to whitespace or
/// one of `<>'")`).
[[nodiscard]] std::vector<image_ref> find_image_refs(std::string_view text);

} // namespace panel::upstream
