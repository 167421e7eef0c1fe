#include "store/store.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

namespace fs = std::filesystem;
using panel::store::open_store;
using panel::store::store_paths;
using panel::store::test::exec_ok;
using panel::store::test::scalar_int;
using panel::store::test::scalar_text;
using panel::store::test::temp_dir;

namespace {

unsigned mode_of(fs::path const& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<unsigned>(st.st_mode) & 07777U;
}

fs::path sidecar(fs::path file, char const* suffix) {
  file += suffix;
  return file;
}

} // namespace

TEST_CASE("open_store creates DATA_DIR 0700 and the database 0600", "[store][open]") {
  temp_dir dir;
  auto const data = dir.path() / "nested" / "data";
  auto opened = open_store(store_paths{data, {}});
  REQUIRE(opened.has_value());
  auto const file = data / "app.sqlite3";
  CHECK(opened->database_file() == file);
  CHECK(fs::is_directory(data));
  CHECK(mode_of(data) == 0700U);
  CHECK(mode_of(file) == 0600U);
  // After the migrations the WAL sidecars exist and carry the same mode.
  REQUIRE(fs::exists(sidecar(file, "-wal")));
  REQUIRE(fs::exists(sidecar(file, "-shm")));
  CHECK(mode_of(sidecar(file, "-wal")) == 0600U);
  CHECK(mode_of(sidecar(file, "-shm")) == 0600U);
}

TEST_CASE("open_store tightens loose modes of an existing data dir", "[store][open]") {
  temp_dir dir;
  auto const data = dir.path() / "data";
  {
    auto first = open_store(store_paths{data, {}});
    REQUIRE(first.has_value());
    REQUIRE(first->close().has_value());
  }
  fs::permissions(data, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(data / "app.sqlite3", fs::perms::owner_read | fs::perms::owner_write |
                                            fs::perms::group_read | fs::perms::others_read);
  REQUIRE(mode_of(data) == 0755U);
  REQUIRE(mode_of(data / "app.sqlite3") == 0644U);
  auto again = open_store(store_paths{data, {}});
  REQUIRE(again.has_value());
  CHECK(mode_of(data) == 0700U);
  CHECK(mode_of(data / "app.sqlite3") == 0600U);
}

TEST_CASE("open_store sets WAL and the connection pragmas", "[store][open]") {
  temp_dir dir;
  auto opened = open_store(store_paths{dir.path() / "data", {}});
  REQUIRE(opened.has_value());
  auto& db = opened->writer();
  CHECK(scalar_text(db, "PRAGMA journal_mode") == "wal");
  CHECK(scalar_int(db, "PRAGMA synchronous") == 1);  // NORMAL
  CHECK(scalar_int(db, "PRAGMA foreign_keys") == 1);
  CHECK(scalar_int(db, "PRAGMA busy_timeout") == 30000);
  CHECK(opened->fts_available());
}

TEST_CASE("open_store honours DATABASE_FILE", "[store][open]") {
  temp_dir dir;
  auto const data = dir.path() / "data";
  auto const file = dir.path() / "elsewhere" / "custom.db";
  auto opened = open_store(store_paths{data, file});
  REQUIRE(opened.has_value());
  CHECK(opened->database_file() == file);
  CHECK(fs::exists(file));
  CHECK_FALSE(fs::exists(data / "app.sqlite3"));
  CHECK(mode_of(data) == 0700U);
  CHECK(mode_of(file) == 0600U);
}

TEST_CASE("open_store returns errors for impossible places", "[store][open]") {
  temp_dir dir;
  SECTION("a directory under /proc cannot be created, even by root") {
    auto opened = open_store(store_paths{"/proc/panel-store-test/data", {}});
    REQUIRE_FALSE(opened.has_value());
    CHECK(opened.error().code == panel::errc::internal);
    CHECK(opened.error().message.find("/proc/panel-store-test") != std::string::npos);
  }
  SECTION("DATA_DIR is a regular file") {
    auto const file = dir.path() / "plain-file";
    std::ofstream{file} << "x";
    auto opened = open_store(store_paths{file, {}});
    REQUIRE_FALSE(opened.has_value());
    CHECK_FALSE(opened.error().message.empty());
  }
  SECTION("DATA_DIR is empty") {
    CHECK_FALSE(open_store(store_paths{}).has_value());
  }
  SECTION("DATABASE_FILE is not a database") {
    auto const data = dir.path() / "data";
    fs::create_directories(data);
    std::ofstream{data / "app.sqlite3"} << "definitely not a database file, but long enough to look like one";
    auto opened = open_store(store_paths{data, {}});
    REQUIRE_FALSE(opened.has_value());
    CHECK(opened.error().message.find("not a database") != std::string::npos);
  }
}

TEST_CASE("store readers see committed rows and cannot write", "[store][open]") {
  temp_dir dir;
  auto opened = open_store(store_paths{dir.path() / "data", {}});
  REQUIRE(opened.has_value());
  exec_ok(opened->writer(),
          "INSERT INTO prompt_snippets (id, title, prompt, created_at, updated_at) "
          "VALUES ('s1', 't', 'p', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')");
  auto reader = opened->open_reader();
  REQUIRE(reader.has_value());
  CHECK(scalar_int(*reader, "SELECT count(*) FROM prompt_snippets") == 1);
  CHECK(scalar_int(*reader, "PRAGMA busy_timeout") == 30000);
  CHECK_FALSE(reader->exec("DELETE FROM prompt_snippets").has_value());
  REQUIRE(reader->close().has_value());
}

TEST_CASE("store::close checkpoints the WAL into the main file", "[store][open]") {
  temp_dir dir;
  auto const data = dir.path() / "data";
  auto opened = open_store(store_paths{data, {}});
  REQUIRE(opened.has_value());
  exec_ok(opened->writer(),
          "INSERT INTO settings_kv (key, value) VALUES ('webhook_url', '${HOOK}')");
  auto const wal = sidecar(data / "app.sqlite3", "-wal");
  REQUIRE(fs::exists(wal));
  REQUIRE(fs::file_size(wal) > 0);
  REQUIRE(opened->close().has_value());
  CHECK_FALSE(opened->is_open());
  CHECK(opened->close().has_value());
  // TRUNCATE leaves no WAL content behind (SQLite also deletes the file on last close).
  CHECK((!fs::exists(wal) || fs::file_size(wal) == 0));

  // The row lives in the main file: readable with the WAL gone.
  auto reopened = panel::store::database::open(data / "app.sqlite3", panel::store::open_mode::read_only);
  REQUIRE(reopened.has_value());
  CHECK(scalar_text(*reopened, "SELECT value FROM settings_kv WHERE key = 'webhook_url'") == "${HOOK}");
}
