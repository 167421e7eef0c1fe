#include "codec/zip_reader.hpp"

#include <algorithm>

#include <zip.h>

namespace panel::codec {

namespace {

constexpr std::string_view not_a_zip = "not a readable ZIP archive";

// Closes a member on every path out of read().
struct file_closer {
  void operator()(zip_file_t* f) const noexcept { zip_fclose(f); }
};

} // namespace

void zip_reader::closer::operator()(::zip* z) const noexcept {
  zip_discard(z); // read-only: nothing to write back
}

zip_reader::~zip_reader() = default;

expected<zip_reader> zip_reader::open(std::filesystem::path const& path) {
  int err = 0;
  ::zip* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (z == nullptr) {
    return fail(errc::bad_request, std::string(not_a_zip));
  }
  return zip_reader{z};
}

expected<std::vector<zip_member_info>> zip_reader::members() const {
  auto const count = zip_get_num_entries(zip_.get(), 0);
  if (count < 0) {
    return fail(errc::bad_request, std::string(not_a_zip));
  }
  std::vector<zip_member_info> out;
  out.reserve(static_cast<std::size_t>(count));
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_STRICT, &st) != 0 ||
        (st.valid & ZIP_STAT_NAME) == 0 || (st.valid & ZIP_STAT_SIZE) == 0 || (st.valid & ZIP_STAT_COMP_SIZE) == 0) {
      return fail(errc::bad_request, std::string(not_a_zip));
    }
    zip_member_info m;
    m.index = static_cast<std::uint64_t>(i);
    m.name = st.name;
    m.size = st.size;
    m.compressed_size = st.comp_size;
    m.directory = !m.name.empty() && m.name.back() == '/';
    out.push_back(std::move(m));
  }
  return out;
}

expected<std::vector<std::uint8_t>> zip_reader::read(std::uint64_t index, std::uint64_t max_bytes) const {
  std::unique_ptr<zip_file_t, file_closer> file{zip_fopen_index(zip_.get(), index, 0)};
  if (!file) {
    return fail(errc::bad_request, std::string(not_a_zip));
  }
  std::vector<std::uint8_t> out;
  constexpr std::size_t step = 64 * 1024;
  while (out.size() <= max_bytes) {
    auto const at = out.size();
    auto const want = std::min<std::uint64_t>(step, max_bytes + 1 - at);
    out.resize(at + static_cast<std::size_t>(want));
    auto const n = zip_fread(file.get(), out.data() + at, want);
    if (n < 0) {
      return fail(errc::bad_request, std::string(not_a_zip)); // corrupt data or a CRC mismatch
    }
    out.resize(at + static_cast<std::size_t>(n));
    if (n == 0) {
      break;
    }
  }
  return out;
}

} // namespace panel::codec
