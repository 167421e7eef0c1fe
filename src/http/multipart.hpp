#pragma once
// A streaming multipart/form-data parser (RFC 7578): fed the body chunk by chunk
// as it arrives, it reports each part's headers, its data in pieces and its end to
// a multipart_handler. Delimiters split across chunks are found; nothing but the
// current part's header block and a delimiter-sized tail is ever buffered. Pure;
// runs on the connection's io thread.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace panel::http {

/// The headers of one part that matter for a form.
struct multipart_part {
  std::string name;                    ///< Content-Disposition name
  std::optional<std::string> filename; ///< Content-Disposition filename (set: a file part)
  std::string content_type;            ///< the part's Content-Type ("" when absent)
};

/// Receives the parts in order; any error stops the parse and is returned by feed().
class multipart_handler {
public:
  virtual ~multipart_handler() = default;
  [[nodiscard]] virtual expected<void> on_part_begin(multipart_part const& part) = 0;
  [[nodiscard]] virtual expected<void> on_part_data(std::string_view data) = 0;
  [[nodiscard]] virtual expected<void> on_part_end() = 0;
};

/// The boundary parameter of a multipart Content-Type (quoted or not, 1..70
/// characters), or nullopt.
[[nodiscard]] std::optional<std::string> multipart_boundary(std::string_view content_type);

class multipart_parser {
public:
  /// `max_header_bytes` bounds one part's header block (refused with 400 beyond).
  multipart_parser(std::string boundary, multipart_handler& handler, std::size_t max_header_bytes = 16 * 1024);

  /// Parses the next piece of the body. After an error the parser stays failed.
  [[nodiscard]] expected<void> feed(std::string_view chunk);

  /// The body has ended: fails unless the closing delimiter was seen.
  [[nodiscard]] expected<void> finish();

  /// True once the closing delimiter has been parsed.
  [[nodiscard]] bool done() const { return state_ == state::done; }

private:
  enum class state { preamble, after_delimiter, headers, data, done, failed };

  expected<void> step(bool& progressed);
  expected<void> fail(std::string message);

  std::string delimiter_; ///< "\r\n--" + boundary
  multipart_handler& handler_;
  std::size_t max_header_bytes_;
  state state_ = state::preamble;
  std::string buf_; ///< unparsed bytes
  std::optional<error> error_;
};

} // namespace panel::http
