#pragma once
// Server-Sent Events framing of an upstream chat answer (spec/API.md §6.5).

#include <string>
#include <string_view>
#include <vector>

namespace panel::upstream {

/// The data payloads of `body`, one per event: `data:` lines (text after the
/// colon, trimmed) are collected, an empty line ends an event, multi-line data
/// is joined with "\n" and trimmed; empty payloads and `[DONE]` are skipped.
/// Other fields (`event:`, `id:`, comments) are ignored. Lines end in LF, CRLF or CR.
[[nodiscard]] std::vector<std::string> sse_data_payloads(std::string_view body);

} // namespace panel::upstream
