// Prompt snippets (spec §3.5): strict bodies parsed on the io thread, the table
// read on a reader and changed on the writer (actors/store_tasks.hpp).

#include "actors/bridge.hpp"
#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "core/json_writer.hpp"
#include "core/logging.hpp"
#include "core/strings.hpp"
#include "http/app.hpp"
#include "http/errors.hpp"
#include "http/json_body.hpp"
#include "store/snippets_repo.hpp"
#include "store/store.hpp"

namespace panel::http {

namespace {

constexpr std::size_t max_title = 160;
constexpr std::size_t max_prompt = 4000;
constexpr std::size_t max_query = 4000;
constexpr std::string_view not_found = "Prompt snippet not found";

std::size_t utf8_chars(std::string_view s) {
  std::size_t n = 0;
  for (char const c : s) {
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

void write_snippet(core::json_writer& w, store::snippet const& s) {
  w.begin_object()
      .field("id", s.id)
      .field("title", s.title)
      .field("prompt", s.prompt)
      .field("favorite", s.favorite)
      .field("created_at", s.created_at)
      .field("updated_at", s.updated_at)
      .end_object();
}

response snippet_json(store::snippet const& s) {
  core::json_writer w;
  write_snippet(w, s);
  return response::json(200, std::move(w).str());
}

// A text field, trimmed, then held to 1..max characters. Absent or null is
// nullopt (the caller decides whether that is allowed).
expected<std::optional<std::string>> text_field(json_body const& b, std::string_view key, std::size_t max) {
  auto raw = b.optional_string(key);
  if (!raw || !*raw) {
    return raw;
  }
  auto const trimmed = std::string(core::trim(**raw));
  auto const n = utf8_chars(trimmed);
  if (n < 1) {
    return tl::unexpected(validation_error(key, "String should have at least 1 character"));
  }
  if (n > max) {
    return tl::unexpected(validation_error(key, "String should have at most " + std::to_string(max) + " characters"));
  }
  return std::optional<std::string>{trimmed};
}

// A JSON boolean; strings and numbers are refused, as in every body of the
// panel (docs/settings.md "Bodies are strict").
expected<std::optional<bool>> bool_field(json_body const& b, std::string_view key) {
  simdjson::dom::element v;
  if (b.root().at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) {
    return std::optional<bool>{};
  }
  bool flag = false;
  if (v.get(flag) != simdjson::SUCCESS) {
    return tl::unexpected(validation_error(key, "Input should be a valid boolean"));
  }
  return std::optional<bool>{flag};
}

// Whether `key` is in the body at all (null included).
bool has_key(json_body const& b, std::string_view key) {
  return b.root().at_key(key).error() == simdjson::SUCCESS;
}

// Parses a POST (`create`: title and prompt required, favorite not null) or a
// PATCH body (every field optional, null = unchanged). Every problem of the
// body is reported, joined as the 422 of §1.2 does.
expected<store::snippet_patch> parse_snippet(std::string_view body, bool create) {
  auto b = json_body::parse(body, {"title", "prompt", "favorite"});
  if (!b) {
    return tl::unexpected(b.error());
  }
  auto const& obj = **b;
  auto title = text_field(obj, "title", max_title);
  auto prompt = text_field(obj, "prompt", max_prompt);
  auto favorite = bool_field(obj, "favorite");
  std::string problems;
  auto note = [&problems](error const& e) { problems += (problems.empty() ? "" : "; ") + e.message; };
  auto require_text = [&](auto const& field, std::string_view key) {
    if (!field) {
      note(field.error());
    } else if (create && !*field) {
      note(validation_error(key, has_key(obj, key) ? "Input should be a valid string" : "Field required"));
    }
  };
  require_text(title, "title");
  require_text(prompt, "prompt");
  if (!favorite) {
    note(favorite.error());
  } else if (create && !*favorite && has_key(obj, "favorite")) {
    note(validation_error("favorite", "Input should be a valid boolean"));
  }
  if (!problems.empty()) {
    return fail(errc::validation, problems);
  }
  return store::snippet_patch{std::move(*title), std::move(*prompt), *favorite};
}

void list_snippets(app& a, request& req, responder reply) {
  auto query = req.query_param("query").value_or("");
  if (utf8_chars(query) > max_query) {
    reply(error_response(
        validation_error("query.query", "String should have at most " + std::to_string(max_query) + " characters")));
    return;
  }
  auto text = std::string(core::trim(query));
  actors::on_reader(a.runtime.actors(), reply, [reply, text](store::database& db) {
    auto list = store::snippets_repo{db}.list(text);
    if (!list) {
      core::log_error("listing prompt snippets failed: " + list.error().message);
      reply(error_response(list.error()));
      return;
    }
    core::json_writer w;
    w.begin_object().key("snippets").begin_array();
    for (auto const& s : *list) {
      write_snippet(w, s);
    }
    w.end_array().end_object();
    reply(response::json(200, std::move(w).str()));
  });
}

void create_snippet(app& a, request& req, responder reply) {
  auto fields = parse_snippet(req.body, true);
  if (!fields) {
    reply(error_response(fields.error()));
    return;
  }
  actors::on_writer(a.runtime.actors(), reply, [reply, f = *fields](store::store& st) {
    auto made = store::snippets_repo{st.writer()}.create(*f.title, *f.prompt, f.favorite.value_or(false));
    if (!made) {
      core::log_error("saving a prompt snippet failed: " + made.error().message);
      reply(error_response(made.error()));
      return;
    }
    reply(snippet_json(*made));
  });
}

void update_snippet(app& a, request& req, responder reply) {
  auto fields = parse_snippet(req.body, false);
  if (!fields) {
    reply(error_response(fields.error()));
    return;
  }
  auto id = req.params["snippet_id"];
  actors::on_writer(a.runtime.actors(), reply, [reply, id, f = *fields](store::store& st) {
    auto updated = store::snippets_repo{st.writer()}.update(id, f);
    if (!updated) {
      core::log_error("updating a prompt snippet failed: " + updated.error().message);
      reply(error_response(updated.error()));
    } else if (!*updated) {
      reply(error_response(404, not_found));
    } else {
      reply(snippet_json(**updated));
    }
  });
}

void delete_snippet(app& a, request& req, responder reply) {
  auto id = req.params["snippet_id"];
  actors::on_writer(a.runtime.actors(), reply, [reply, id](store::store& st) {
    auto removed = store::snippets_repo{st.writer()}.remove(id);
    if (!removed) {
      core::log_error("deleting a prompt snippet failed: " + removed.error().message);
      reply(error_response(removed.error()));
    } else if (!*removed) {
      reply(error_response(404, not_found));
    } else {
      core::json_writer w;
      w.begin_object().field("status", "ok").field("message", "Deleted prompt snippet").end_object();
      reply(response::json(200, std::move(w).str()));
    }
  });
}

} // namespace

void register_snippet_routes(app& a) {
  a.routes.add("GET", "/api/prompt-snippets", {"List or search prompt snippets", "snippets", true, "", {200, 401, 422}},
               [&a](request& req, responder reply) { list_snippets(a, req, std::move(reply)); });
  a.routes.add("POST", "/api/prompt-snippets", {"Save a prompt snippet", "snippets", true, "json", {200, 401, 422}},
               [&a](request& req, responder reply) { create_snippet(a, req, std::move(reply)); });
  a.routes.add("PATCH", "/api/prompt-snippets/{snippet_id}",
               {"Change a prompt snippet", "snippets", true, "json", {200, 401, 404, 422}},
               [&a](request& req, responder reply) { update_snippet(a, req, std::move(reply)); });
  a.routes.add("DELETE", "/api/prompt-snippets/{snippet_id}",
               {"Delete a prompt snippet", "snippets", true, "", {200, 401, 404}},
               [&a](request& req, responder reply) { delete_snippet(a, req, std::move(reply)); });
}

} // namespace panel::http
