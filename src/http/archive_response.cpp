#include "http/archive_response.hpp"

#include "codec/zip_stream.hpp"
#include "core/logging.hpp"

namespace panel::http {

namespace {

// The ZIP of a plan, one piece per pull.
class archive_source final : public body_source {
public:
  archive_source(std::unique_ptr<codec::zip_file_stream> stream, std::vector<std::shared_ptr<void>> owned)
      : stream_(std::move(stream)), owned_(std::move(owned)) {}

  void next(std::function<void(body_chunk)> done) override {
    auto piece = stream_->next();
    body_chunk chunk;
    if (!piece) {
      // The length was promised: all that is left is to cut the body short.
      core::log_warning("a ZIP download was cut short: " + piece.error().message);
      chunk.failed = true;
      done(std::move(chunk));
      return;
    }
    chunk.data = std::move(*piece);
    chunk.last = stream_->done();
    done(std::move(chunk));
  }

private:
  std::unique_ptr<codec::zip_file_stream> stream_;
  std::vector<std::shared_ptr<void>> owned_;
};

class one_shot_source final : public body_source {
public:
  one_shot_source(std::shared_ptr<body_source> inner, std::function<void()> on_complete)
      : inner_(std::move(inner)), on_complete_(std::move(on_complete)) {}

  void next(std::function<void(body_chunk)> done) override {
    inner_->next([done = std::move(done), on_complete = on_complete_](body_chunk chunk) {
      if (chunk.last && !chunk.failed && on_complete) {
        on_complete();
      }
      done(std::move(chunk));
    });
  }
  void cancel() override { inner_->cancel(); }

private:
  std::shared_ptr<body_source> inner_;
  std::function<void()> on_complete_;
};

} // namespace

temp_file::~temp_file() {
  std::error_code ec;
  std::filesystem::remove(path, ec);
}

response zip_response(std::string const& filename, std::uint64_t length) {
  response r;
  r.status = 200;
  r.headers.set("Content-Type", "application/zip");
  r.headers.set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  r.headers.set("Content-Encoding", "identity");
  r.headers.set("X-Content-Type-Options", "nosniff");
  r.headers.set("Content-Length", std::to_string(length));
  return r;
}

void set_count_headers(response& r, std::int64_t requested, std::int64_t exported, std::int64_t missing) {
  r.headers.set("X-Gallery-Requested-Count", std::to_string(requested));
  r.headers.set("X-Gallery-Exported-Count", std::to_string(exported));
  r.headers.set("X-Gallery-Missing-Count", std::to_string(missing));
}

response plan_response(store::archive_plan const& plan, std::string const& filename,
                       std::filesystem::path const& images_dir, std::vector<std::shared_ptr<void>> owned) {
  std::vector<codec::zip_source_member> members;
  members.reserve(plan.images.size() + 1);
  for (auto const& img : plan.images) {
    members.push_back({"images/" + img.name, images_dir / img.filename, img.size});
  }
  members.push_back({"metadata.json", plan.metadata_path, plan.metadata_bytes});
  auto stream = std::make_unique<codec::zip_file_stream>(std::move(members));
  auto r = zip_response(filename, stream->total());
  r.source = std::make_shared<archive_source>(std::move(stream), std::move(owned));
  return r;
}

std::shared_ptr<body_source> one_shot(std::shared_ptr<body_source> inner, std::function<void()> on_complete) {
  return std::make_shared<one_shot_source>(std::move(inner), std::move(on_complete));
}

} // namespace panel::http
