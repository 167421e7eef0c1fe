#include "upstream/s3_xml.hpp"

#include <charconv>

#include "core/strings.hpp"

namespace panel::upstream {

namespace {

constexpr std::size_t max_depth = 64;

tl::unexpected<error> invalid(std::string const& why) {
  return fail(errc::upstream, "Invalid XML: " + why);
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes one reference `name` (the text between '&' and ';').
bool decode_entity(std::string_view name, std::string& out) {
  if (name == "lt") {
    out += '<';
  } else if (name == "gt") {
    out += '>';
  } else if (name == "amp") {
    out += '&';
  } else if (name == "quot") {
    out += '"';
  } else if (name == "apos") {
    out += '\'';
  } else if (name.size() > 1 && name[0] == '#') {
    bool const is_hex = name[1] == 'x' || name[1] == 'X';
    auto const digits = name.substr(is_hex ? 2 : 1);
    std::uint32_t cp = 0;
    auto const [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, is_hex ? 16 : 10);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || cp == 0 || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    append_utf8(out, cp);
  } else {
    return false;
  }
  return true;
}

bool append_text(std::string_view raw, std::string& out) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      out += raw[i];
      continue;
    }
    auto const semi = raw.find(';', i);
    if (semi == std::string_view::npos || !decode_entity(raw.substr(i + 1, semi - i - 1), out)) {
      return false;
    }
    i = semi;
  }
  return true;
}

std::string local_name(std::string_view qname) {
  auto const colon = qname.find(':');
  return std::string{colon == std::string_view::npos ? qname : qname.substr(colon + 1)};
}

// The end of a tag that starts at `from` ('<' already consumed), skipping quoted
// attribute values; npos when the document ends first.
std::size_t tag_end(std::string_view xml, std::size_t from) {
  char quote = 0;
  for (auto i = from; i < xml.size(); ++i) {
    char const c = xml[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i;
    }
  }
  return std::string_view::npos;
}

bool parse_u64(std::string_view text, std::uint64_t& out) {
  text = core::trim(text);
  auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

std::string unquote_etag(std::string_view etag) {
  etag = core::trim(etag);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string{etag};
}

} // namespace

expected<void> walk_xml(std::string_view xml, xml_visitor const& visit) {
  std::vector<std::string> path;
  std::vector<std::string> texts;
  bool seen_root = false;
  std::size_t i = 0;
  while (i < xml.size()) {
    if (xml[i] != '<') {
      auto const next = xml.find('<', i);
      auto const raw = xml.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i);
      if (path.empty()) {
        if (!core::trim(raw).empty()) {
          return invalid("text outside the root element");
        }
      } else if (!append_text(raw, texts.back())) {
        return invalid("bad character reference");
      }
      i = next == std::string_view::npos ? xml.size() : next;
      continue;
    }
    auto const rest = xml.substr(i);
    if (rest.starts_with("<?")) {
      auto const end = xml.find("?>", i + 2);
      if (end == std::string_view::npos) {
        return invalid("unterminated processing instruction");
      }
      i = end + 2;
    } else if (rest.starts_with("<!--")) {
      auto const end = xml.find("-->", i + 4);
      if (end == std::string_view::npos) {
        return invalid("unterminated comment");
      }
      i = end + 3;
    } else if (rest.starts_with("<![CDATA[")) {
      auto const end = xml.find("]]>", i + 9);
      if (end == std::string_view::npos || path.empty()) {
        return invalid("misplaced or unterminated CDATA section");
      }
      texts.back().append(xml.substr(i + 9, end - i - 9));
      i = end + 3;
    } else if (rest.starts_with("<!")) {
      return invalid("document type declarations are not accepted");
    } else if (rest.starts_with("</")) {
      auto const end = tag_end(xml, i + 2);
      if (end == std::string_view::npos) {
        return invalid("unterminated end tag");
      }
      auto const name = local_name(core::trim(xml.substr(i + 2, end - i - 2)));
      if (path.empty() || path.back() != name) {
        return invalid("mismatched end tag </" + name + ">");
      }
      visit(path, texts.back());
      path.pop_back();
      texts.pop_back();
      i = end + 1;
    } else {
      auto const end = tag_end(xml, i + 1);
      if (end == std::string_view::npos) {
        return invalid("unterminated start tag");
      }
      auto inner = xml.substr(i + 1, end - i - 1);
      bool const self_closing = !inner.empty() && inner.back() == '/';
      if (self_closing) {
        inner.remove_suffix(1);
      }
      auto const name_end = inner.find_first_of(" \t\r\n");
      auto const name = local_name(inner.substr(0, name_end));
      if (name.empty()) {
        return invalid("empty element name");
      }
      if (path.empty() && seen_root) {
        return invalid("more than one root element");
      }
      if (path.size() >= max_depth) {
        return invalid("elements nested too deeply");
      }
      seen_root = true;
      path.push_back(name);
      texts.emplace_back();
      if (self_closing) {
        visit(path, texts.back());
        path.pop_back();
        texts.pop_back();
      }
      i = end + 1;
    }
  }
  if (!path.empty()) {
    return invalid("unclosed element <" + path.back() + ">");
  }
  if (!seen_root) {
    return invalid("no root element");
  }
  return {};
}

expected<s3_list_page> parse_list_objects(std::string_view xml) {
  s3_list_page page;
  s3_object current;
  bool has_key = false;
  std::string root;
  std::string problem;
  auto walked = walk_xml(xml, [&](std::vector<std::string> const& path, std::string const& text) {
    root = path.front();
    if (path.size() == 2 && path[0] == "ListBucketResult") {
      if (path[1] == "IsTruncated") {
        page.truncated = core::trim(text) == "true";
      } else if (path[1] == "NextContinuationToken") {
        page.next_token = text;
      } else if (path[1] == "Contents") {
        if (!has_key && problem.empty()) {
          problem = "an object entry has no Key";
        }
        page.objects.push_back(std::move(current));
        current = {};
        has_key = false;
      }
    } else if (path.size() == 3 && path[0] == "ListBucketResult" && path[1] == "Contents") {
      if (path[2] == "Key") {
        current.key = text;
        has_key = true;
      } else if (path[2] == "Size") {
        if (!parse_u64(text, current.size) && problem.empty()) {
          problem = "an object entry has an invalid Size";
        }
      } else if (path[2] == "ETag") {
        current.etag = unquote_etag(text);
      }
    }
  });
  if (!walked) {
    return fail(errc::upstream, "ListObjectsV2 returned an unreadable response (" + walked.error().message + ")");
  }
  if (root != "ListBucketResult") {
    return fail(errc::upstream, "ListObjectsV2 returned <" + root + "> instead of <ListBucketResult>");
  }
  if (!problem.empty()) {
    return fail(errc::upstream, "ListObjectsV2 returned an unreadable response (" + problem + ")");
  }
  if (page.truncated && page.next_token.empty()) {
    return fail(errc::upstream, "ListObjectsV2 returned a truncated page without a continuation token");
  }
  return page;
}

std::optional<s3_error_body> parse_error_body(std::string_view xml) {
  s3_error_body out;
  std::string root;
  auto walked = walk_xml(xml, [&](std::vector<std::string> const& path, std::string const& text) {
    root = path.front();
    if (path.size() == 2 && path[0] == "Error") {
      if (path[1] == "Code") {
        out.code = std::string{core::trim(text)};
      } else if (path[1] == "Message") {
        out.message = std::string{core::trim(text)};
      } else if (path[1] == "RequestId") {
        out.request_id = std::string{core::trim(text)};
      }
    }
  });
  if (!walked || root != "Error" || out.code.empty()) {
    return std::nullopt;
  }
  return out;
}

} // namespace panel::upstream
