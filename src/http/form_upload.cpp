#include "http/form_upload.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "codec/format.hpp"
#include "core/crypto.hpp"
#include "core/strings.hpp"

namespace panel::http {

namespace {

// Spec §3.6 step 5: an I/O failure while staging is a 500.
constexpr std::string_view io_failure = "Failed to read uploaded image";

} // namespace

staged_files::~staged_files() {
  remove_all();
}

staged_files& staged_files::operator=(staged_files&& other) noexcept {
  if (this != &other) {
    remove_all();
    paths_ = std::exchange(other.paths_, {});
  }
  return *this;
}

void staged_files::remove_all() {
  for (auto const& p : paths_) {
    std::error_code ec;
    std::filesystem::remove(p, ec);
  }
  paths_.clear();
}

std::filesystem::path staged_path(std::filesystem::path const& dir, std::string_view filename) {
  std::string ext;
  if (auto const dot = filename.rfind('.'); dot != std::string_view::npos) {
    auto const candidate = core::to_lower(filename.substr(dot + 1));
    if (codec::format_from_extension(candidate)) {
      ext = "." + candidate;
    }
  }
  return dir / ("edit-source-" + core::random_hex32() + ext);
}

form_upload::form_upload(std::string_view content_type, std::filesystem::path staging_dir, form_limits lim)
    : staging_dir_(std::move(staging_dir)), lim_(std::move(lim)) {
  if (auto boundary = multipart_boundary(content_type)) {
    parser_ = std::make_unique<multipart_parser>(std::move(*boundary), static_cast<multipart_handler&>(*this), lim_.max_header_bytes);
  } else {
    failure_ = error{errc::bad_request, "Invalid multipart/form-data boundary"};
  }
}

form_upload::~form_upload() {
  close_file();
}

expected<void> form_upload::record(expected<void> r) {
  if (!r && !failure_) {
    failure_ = r.error();
    close_file();
  }
  return r;
}

expected<void> form_upload::write(std::string_view chunk) {
  if (failure_) {
    return tl::unexpected(*failure_);
  }
  return record(parser_->feed(chunk));
}

expected<void> form_upload::finish() {
  if (failure_) {
    return tl::unexpected(*failure_);
  }
  return record(parser_->finish());
}

staged_files form_upload::take_files() {
  return std::move(owned_);
}

void form_upload::close_file() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

expected<void> form_upload::on_part_begin(multipart_part const& part) {
  part_ = part;
  value_.clear();
  if (!part.filename) {
    if (fields_.size() >= lim_.max_fields) {
      return fail(errc::bad_request, "Too many form fields");
    }
    return {};
  }
  if (std::find(lim_.file_fields.begin(), lim_.file_fields.end(), part.name) == lim_.file_fields.end()) {
    return fail(errc::bad_request, "Unexpected upload field: " + part.name);
  }
  files_.push_back(uploaded_file{part.name, *part.filename, part.content_type, {}, 0});
  return {};
}

expected<void> form_upload::on_part_data(std::string_view data) {
  if (!part_->filename) {
    if (value_.size() + data.size() > lim_.max_field_bytes) {
      return fail(errc::too_large, "Form field is too large");
    }
    value_.append(data);
    return {};
  }
  auto& file = files_.back();
  if (file.path.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(staging_dir_, ec);
    file.path = staged_path(staging_dir_, file.filename);
    fd_ = ::open(file.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      file.path.clear();
      return fail(errc::internal, std::string(io_failure));
    }
    owned_.add(file.path);
  }
  // Past the per-file limit the bytes are only counted: the size check reports them.
  auto const room = file.bytes > lim_.max_file_bytes ? 0 : lim_.max_file_bytes + 1 - file.bytes;
  auto const keep = std::min<std::uint64_t>(room, data.size());
  file.bytes += data.size();
  std::size_t done = 0;
  while (done < keep) {
    auto const n = ::write(fd_, data.data() + done, keep - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return fail(errc::internal, std::string(io_failure));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

expected<void> form_upload::on_part_end() {
  if (!part_->filename) {
    fields_.emplace_back(part_->name, std::move(value_));
    value_.clear();
    part_.reset();
    return {};
  }
  close_file();
  part_.reset();
  auto& file = files_.back();
  if (file.path.empty()) {
    if (file.filename.empty()) {
      files_.pop_back(); // an empty file input: no file at all
      return {};
    }
    // An empty upload still gets its (empty) staged file; validation refuses it.
    std::error_code ec;
    std::filesystem::create_directories(staging_dir_, ec);
    file.path = staged_path(staging_dir_, file.filename);
    int const fd = ::open(file.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      file.path.clear();
      return fail(errc::internal, std::string(io_failure));
    }
    ::close(fd);
    owned_.add(file.path);
  }
  return {};
}

} // namespace panel::http
