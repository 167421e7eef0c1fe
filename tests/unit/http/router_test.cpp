#include <catch2/catch.hpp>

#include "http/router.hpp"

using namespace panel::http;

namespace {
router make_router(std::vector<std::string>& hits) {
  router r;
  auto rec = [&hits](std::string name) { return [&hits, name](request&, responder) { hits.push_back(name); }; };
  r.add("GET", "/api/generate/{job_id}", {}, rec("job"));
  r.add("GET", "/api/generate/jobs", {}, rec("jobs"));
  r.add("DELETE", "/api/generate/{job_id}", {}, rec("cancel"));
  r.add("GET", "/{path...}", {}, rec("spa"));
  r.add("GET", "/health", {}, rec("health"));
  return r;
}
} // namespace

TEST_CASE("literal routes win over parameter routes") {
  std::vector<std::string> hits;
  auto r = make_router(hits);
  auto m = r.match("GET", "/api/generate/jobs");
  REQUIRE(m.result == route_match::kind::found);
  REQUIRE(m.target->pattern == "/api/generate/jobs");
  auto p = r.match("GET", "/api/generate/abc");
  REQUIRE(p.target->pattern == "/api/generate/{job_id}");
  REQUIRE(p.params.at("job_id") == "abc");
}

TEST_CASE("parameters are percent-decoded per segment") {
  std::vector<std::string> hits;
  auto r = make_router(hits);
  auto m = r.match("GET", "/api/generate/..%2Fsecret.png");
  REQUIRE(m.result == route_match::kind::found);
  REQUIRE(m.params.at("job_id") == "../secret.png");
}

TEST_CASE("method not allowed lists the methods of the path") {
  std::vector<std::string> hits;
  router r;
  r.add("GET", "/api/version", {}, [](request&, responder) {});
  auto m = r.match("POST", "/api/version");
  REQUIRE(m.result == route_match::kind::method_not_allowed);
  REQUIRE(m.allowed == std::vector<std::string>{"GET"});
}

TEST_CASE("a catch-all does not turn unknown methods into 405 for every path") {
  std::vector<std::string> hits;
  auto r = make_router(hits);
  REQUIRE(r.match("POST", "/anything/else").result == route_match::kind::not_found);
  auto spa = r.match("GET", "/gallery/page/2");
  REQUIRE(spa.target->pattern == "/{path...}");
  REQUIRE(spa.params.at("path") == "gallery/page/2");
}

TEST_CASE("HEAD is answered by GET routes") {
  std::vector<std::string> hits;
  auto r = make_router(hits);
  auto m = r.match("HEAD", "/health");
  REQUIRE(m.result == route_match::kind::found);
  REQUIRE(m.target->pattern == "/health");
}

TEST_CASE("empty parameter segments do not match") {
  std::vector<std::string> hits;
  router r;
  r.add("GET", "/api/x/{id}", {}, [](request&, responder) {});
  REQUIRE(r.match("GET", "/api/x/").result == route_match::kind::not_found);
  REQUIRE(r.match("GET", "/api/x/1/2").result == route_match::kind::not_found);
}

TEST_CASE("query parameters are decoded") {
  request req;
  req.query = "prompt=a+b%20c&page=2&empty=&flag";
  REQUIRE(req.query_param("prompt") == "a b c");
  REQUIRE(req.query_param("page") == "2");
  REQUIRE(req.query_param("empty") == "");
  REQUIRE(req.query_param("flag") == "");
  REQUIRE_FALSE(req.query_param("missing").has_value());
}

TEST_CASE("job event routes: literal segments win in either registration order") {
  router r;
  auto none = [](request&, responder) {};
  r.add("GET", "/api/generate/{job_id}/events", {}, none);
  r.add("GET", "/api/generate/{job_id}", {}, none);
  r.add("GET", "/api/generate/jobs/events", {}, none);
  r.add("GET", "/api/generate/jobs", {}, none);
  r.add("DELETE", "/api/generate/jobs/history", {}, none);
  REQUIRE(r.match("GET", "/api/generate/jobs/events").target->pattern == "/api/generate/jobs/events");
  REQUIRE(r.match("GET", "/api/generate/jobs").target->pattern == "/api/generate/jobs");
  REQUIRE(r.match("GET", "/api/generate/abc/events").target->pattern == "/api/generate/{job_id}/events");
  REQUIRE(r.match("DELETE", "/api/generate/jobs/history").target->pattern == "/api/generate/jobs/history");
  REQUIRE(r.match("GET", "/api/generate/jobs/history").result == route_match::kind::method_not_allowed);
}

TEST_CASE("streaming routes carry their sink factory") {
  router r;
  r.add("POST", "/api/generate", {}, [](request&, responder) {});
  r.add("POST", "/api/edits", {}, [](request const&) { return std::shared_ptr<body_sink>(); },
                  [](request&, responder) {});
  REQUIRE(r.match("POST", "/api/edits").target->make_sink);
  REQUIRE_FALSE(r.match("POST", "/api/generate").target->make_sink);
}
