#include "store/snippets_repo.hpp"

#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "store/store.hpp"
#include "store/temp_dir.hpp"
#include "store/test_support.hpp"

using panel::store::escape_like;
using panel::store::open_store;
using panel::store::snippet;
using panel::store::snippet_patch;
using panel::store::snippets_repo;
using panel::store::store_paths;
using panel::store::test::exec_ok;
using panel::store::test::temp_dir;

namespace {

panel::store::store open_temp_store(temp_dir const& dir) {
  auto opened = open_store(store_paths{dir.path() / "data", {}});
  INFO((opened ? std::string{} : opened.error().message));
  REQUIRE(opened.has_value());
  return std::move(*opened);
}

snippet make(snippets_repo& repo, std::string const& title, std::string const& prompt, bool favorite = false) {
  auto made = repo.create(title, prompt, favorite);
  INFO((made ? std::string{} : made.error().message));
  REQUIRE(made.has_value());
  return *made;
}

std::vector<std::string> titles(snippets_repo const& repo, std::string const& query = "") {
  auto list = repo.list(query);
  REQUIRE(list.has_value());
  std::vector<std::string> out;
  for (auto const& s : *list) {
    out.push_back(s.title);
  }
  return out;
}

} // namespace

TEST_CASE("escape_like escapes the LIKE wildcards and the escape character", "[store][snippets]") {
  REQUIRE(escape_like("plain") == "plain");
  REQUIRE(escape_like("100%_a\\b") == "100\\%\\_a\\\\b");
}

TEST_CASE("snippets_repo creates, reads, updates and deletes", "[store][snippets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  snippets_repo repo{st.writer()};

  REQUIRE(repo.list("")->empty());
  auto const a = make(repo, "Cat", "a cat on a mat");
  REQUIRE(a.id.size() == 36);
  REQUIRE_FALSE(a.favorite);
  REQUIRE(a.created_at == a.updated_at);
  REQUIRE(a.created_at.ends_with("+00:00"));

  auto got = repo.get(a.id);
  REQUIRE(got.has_value());
  REQUIRE(*got == a);
  REQUIRE_FALSE(repo.get("missing")->has_value());

  SECTION("a patch changes only the given fields and bumps updated_at") {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    auto updated = repo.update(a.id, snippet_patch{"Kitten", std::nullopt, true});
    REQUIRE(updated.has_value());
    REQUIRE(updated->has_value());
    auto const& u = **updated;
    REQUIRE(u.title == "Kitten");
    REQUIRE(u.prompt == "a cat on a mat");
    REQUIRE(u.favorite);
    REQUIRE(u.created_at == a.created_at);
    REQUIRE(u.updated_at > a.updated_at);
    REQUIRE(*repo.get(a.id).value() == u);
  }
  SECTION("a patch that changes nothing keeps updated_at") {
    auto same = repo.update(a.id, snippet_patch{"Cat", std::nullopt, false});
    REQUIRE(same->has_value());
    REQUIRE((*same)->updated_at == a.updated_at);
    auto empty = repo.update(a.id, snippet_patch{});
    REQUIRE(**empty == a);
  }
  SECTION("unknown ids") {
    auto missing = repo.update("nope", snippet_patch{"x", std::nullopt, std::nullopt});
    REQUIRE(missing.has_value());
    REQUIRE_FALSE(missing->has_value());
    REQUIRE(repo.remove("nope").value() == false);
  }
  SECTION("delete") {
    REQUIRE(repo.remove(a.id).value() == true);
    REQUIRE_FALSE(repo.get(a.id)->has_value());
    REQUIRE(repo.remove(a.id).value() == false);
  }
}

TEST_CASE("snippets are listed favourites first, then newest change, then newest insert", "[store][snippets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  snippets_repo repo{st.writer()};
  // Equal timestamps: the insertion order decides.
  exec_ok(st.writer(),
          "INSERT INTO prompt_snippets (id, title, prompt, favorite, created_at, updated_at) VALUES "
          "('1', 'old', 'p', 0, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00'),"
          "('2', 'tie-first', 'p', 0, '2026-01-02T00:00:00+00:00', '2026-01-02T00:00:00+00:00'),"
          "('3', 'tie-second', 'p', 0, '2026-01-02T00:00:00+00:00', '2026-01-02T00:00:00+00:00'),"
          "('4', 'fav-old', 'p', 1, '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00'),"
          "('5', 'fraction', 'p', 0, '2026-01-02T00:00:00.5+00:00', '2026-01-02T00:00:00.500000+00:00')");
  REQUIRE(titles(repo) == std::vector<std::string>{"fav-old", "fraction", "tie-second", "tie-first", "old"});

  auto const b = make(repo, "new", "p");
  REQUIRE(titles(repo).front() == "fav-old");
  REQUIRE(titles(repo)[1] == "new");
  REQUIRE(repo.update(b.id, snippet_patch{std::nullopt, std::nullopt, true}).has_value());
  REQUIRE(titles(repo)[0] == "new"); // favourite and newer than fav-old
}

TEST_CASE("snippet search matches title or prompt, case-insensitively, wildcards literal", "[store][snippets]") {
  temp_dir dir;
  auto st = open_temp_store(dir);
  snippets_repo repo{st.writer()};
  make(repo, "Sunset", "orange sky over the SEA");
  make(repo, "Portrait", "a face, 50% in shadow");
  make(repo, "snake_case", "under_score");
  make(repo, "back\\slash", "path c:\\temp");

  REQUIRE(titles(repo, "sea") == std::vector<std::string>{"Sunset"});
  REQUIRE(titles(repo, "SUN") == std::vector<std::string>{"Sunset"});
  REQUIRE(titles(repo, "50%") == std::vector<std::string>{"Portrait"});
  REQUIRE(titles(repo, "%").size() == 1);
  REQUIRE(titles(repo, "_") == std::vector<std::string>{"snake_case"});
  REQUIRE(titles(repo, "e_c") == std::vector<std::string>{"snake_case"});
  REQUIRE(titles(repo, "\\").size() == 1);
  REQUIRE(titles(repo, "c:\\t") == std::vector<std::string>{"back\\slash"});
  REQUIRE(titles(repo, "nothing").empty());
  REQUIRE(titles(repo, "").size() == 4);
}
