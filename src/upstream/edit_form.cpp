#include "upstream/edit_form.hpp"

#include <utility>

#include "core/crypto.hpp"

namespace panel::upstream {

namespace {

// WHATWG form encoding: a quote or line break inside a header parameter would
// end it early (or inject a header), so they are percent-encoded.
std::string header_param(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '"') {
      out += "%22";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view safe_content_type(std::string_view ct) {
  const bool unsafe = ct.find_first_of("\r\n") != std::string_view::npos;
  return ct.empty() || unsafe ? std::string_view{"application/octet-stream"} : ct;
}

std::vector<std::pair<std::string_view, std::string>> text_fields(const generation_params& p) {
  std::vector<std::pair<std::string_view, std::string>> fields{
      {"model", p.model},
      {"prompt", p.prompt},
      {"size", p.size},
      {"n", std::to_string(p.n)},
      {"quality", p.quality},
      {"output_format", p.output_format},
  };
  if (sends_response_format(p)) {
    fields.emplace_back("response_format", *p.response_format);
  }
  if (sends_output_compression(p)) {
    fields.emplace_back("output_compression", std::to_string(*p.output_compression));
  }
  return fields;
}


std::string file_part_header(std::string_view boundary, std::string_view field, const edit_source& s) {
  const std::string name = s.filename.empty() ? std::string{"image.png"} : header_param(s.filename);
  std::string h;
  h += "--";
  h += boundary;
  h += "\r\nContent-Disposition: form-data; name=\"";
  h += field;
  h += "\"; filename=\"";
  h += name;
  h += "\"\r\nContent-Type: ";
  h += safe_content_type(s.content_type);
  h += "\r\n\r\n";
  return h;
}

std::string text_part_header(std::string_view boundary, std::string_view field) {
  std::string h;
  h += "--";
  h += boundary;
  h += "\r\nContent-Disposition: form-data; name=\"";
  h += field;
  h += "\"\r\n\r\n";
  return h;
}

} // namespace

std::string make_multipart_boundary() { return "panel-" + core::random_hex32(); }

std::string multipart_content_type(std::string_view boundary) {
  return "multipart/form-data; boundary=" + std::string(boundary);
}

std::string_view edit_image_field(std::size_t source_count) { return source_count == 1 ? "image" : "image[]"; }

void write_edit_form(std::string& out, const generation_params& p, const std::vector<edit_source>& sources,
                     std::string_view boundary) {
  const auto field = edit_image_field(sources.size());
  std::vector<std::string> file_headers;
  file_headers.reserve(sources.size());
  for (const auto& s : sources) {
    file_headers.push_back(file_part_header(boundary, field, s));
  }
  const auto texts = text_fields(p);
  std::vector<std::string> text_headers;
  text_headers.reserve(texts.size());
  for (const auto& [name, value] : texts) {
    text_headers.push_back(text_part_header(boundary, name));
  }

  // Sources can be tens of MiB each: size the buffer once.
  std::size_t total = out.size() + boundary.size() + 6; // "--" boundary "--\r\n"
  for (std::size_t i = 0; i < sources.size(); ++i) {
    total += file_headers[i].size() + (sources[i].bytes ? sources[i].bytes->size() : 0) + 2;
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    total += text_headers[i].size() + texts[i].second.size() + 2;
  }
  out.reserve(total);

  for (std::size_t i = 0; i < sources.size(); ++i) {
    out += file_headers[i];
    if (sources[i].bytes) {
      const auto& b = *sources[i].bytes;
      out.append(reinterpret_cast<const char*>(b.data()), b.size());
    }
    out += "\r\n";
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    out += text_headers[i];
    out += texts[i].second;
    out += "\r\n";
  }
  out += "--";
  out += boundary;
  out += "--\r\n";
}

std::string build_edit_form(const generation_params& p, const std::vector<edit_source>& sources,
                            std::string_view boundary) {
  std::string out;
  write_edit_form(out, p, sources, boundary);
  return out;
}

} // namespace panel::upstream
