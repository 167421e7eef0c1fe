#pragma once
// form_upload: the body sink of the edit endpoints (spec §1.5, §3.6). It parses a
// multipart/form-data body as it arrives: text fields are kept in memory (each
// <= 64 KiB, at most 16), file parts are written straight to a staged file under
// the staging dir (DATA_DIR/edit-sources/edit-source-<random><ext>), never held
// in memory. Lives on the connection's io thread until the handler takes it.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/body_sink.hpp"
#include "http/multipart.hpp"

namespace panel::http {

/// Owns staged files: removes every one still held when destroyed. Thread-safe
/// to move between threads (not to share).
class staged_files {
public:
  staged_files() = default;
  ~staged_files();
  staged_files(staged_files&& other) noexcept : paths_(std::exchange(other.paths_, {})) {}
  staged_files& operator=(staged_files&& other) noexcept;
  staged_files(staged_files const&) = delete;
  staged_files& operator=(staged_files const&) = delete;

  void add(std::filesystem::path p) { paths_.push_back(std::move(p)); }
  /// Gives up ownership (the files now belong to someone else).
  void release() { paths_.clear(); }
  /// Removes every file now.
  void remove_all();

private:
  std::vector<std::filesystem::path> paths_;
};

/// A fresh staged-file path in `dir`: edit-source-<32 hex><.ext of filename when
/// it is one of the twelve image extensions>.
[[nodiscard]] std::filesystem::path staged_path(std::filesystem::path const& dir, std::string_view filename);

struct form_limits {
  std::size_t max_field_bytes = 64 * 1024; ///< one text field (else 413 "Form field is too large")
  std::size_t max_fields = 16;             ///< text fields (else 400 "Too many form fields")
  std::uint64_t max_file_bytes = 50ull << 20; ///< bytes kept per file; the excess is counted, not written
  std::size_t max_header_bytes = 16 * 1024;   ///< one part's header block
  std::vector<std::string> file_fields{"image", "image[]"}; ///< else 400 "Unexpected upload field: <name>"
};

/// One file part, staged on disk.
struct uploaded_file {
  std::string field;
  std::string filename;
  std::string content_type;
  std::filesystem::path path;
  std::uint64_t bytes = 0; ///< the part's full size (the file holds at most max_file_bytes + 1)
};

class form_upload : public body_sink, private multipart_handler {
public:
  /// `content_type` is the request's (its boundary is used); `staging_dir` is
  /// created when the first file arrives.
  form_upload(std::string_view content_type, std::filesystem::path staging_dir, form_limits lim = {});
  ~form_upload() override;

  expected<void> write(std::string_view chunk) override;
  expected<void> finish() override;
  [[nodiscard]] std::optional<error> const& failure() const override { return failure_; }

  /// Text fields in body order (names may repeat).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> const& fields() const { return fields_; }
  /// File parts in body order (empty file inputs, no filename and no bytes, skipped).
  [[nodiscard]] std::vector<uploaded_file> const& files() const { return files_; }
  /// Hands the staged files over; the form no longer removes them.
  [[nodiscard]] staged_files take_files();

private:
  expected<void> on_part_begin(multipart_part const& part) override;
  expected<void> on_part_data(std::string_view data) override;
  expected<void> on_part_end() override;
  expected<void> record(expected<void> r);
  void close_file();

  std::filesystem::path staging_dir_;
  form_limits lim_;
  std::unique_ptr<multipart_parser> parser_;
  std::optional<error> failure_;
  std::vector<std::pair<std::string, std::string>> fields_;
  std::vector<uploaded_file> files_;
  staged_files owned_;
  std::optional<multipart_part> part_; ///< the part being read
  std::string value_;                  ///< its text, for a text part
  int fd_ = -1;                        ///< its staged file, for a file part
};

} // namespace panel::http
