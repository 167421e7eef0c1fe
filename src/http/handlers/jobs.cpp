// Generation jobs (spec §3.6 POST /api/generate, §3.7, §5.3, §5.4): parse, ask
// job_supervisor, map the answer. The supervisor's replies are already the JSON
// bodies of the contract; its errors carry the contract's statuses and messages.

#include <caf/actor_cast.hpp>

#include "actors/bridge.hpp"
#include "actors/handles.hpp"
#include "actors/runtime.hpp"
#include "actors/sse_subscriber.hpp"
#include "http/app.hpp"
#include "http/errors.hpp"
#include "http/sse_response.hpp"
#include "http/generate_request.hpp"
#include "http/job_query.hpp"

namespace panel::http {

namespace {

// Generous: the supervisor answers from memory, or after one store read.
constexpr auto ask_timeout = std::chrono::seconds(30);

// Answers a JSON string reply with `status`.
auto json_reply(responder reply, int status = 200) {
  return [reply, status](std::string const& body) { reply(response::json(status, body)); };
}

// The SSE response of §5 for `topic`, after the subscriber-limit check (§5.2).
// The supervisor subscribes the stream's subscriber and sends the first frame.
response open_event_stream(app& a, std::string const& client_ip, std::string topic) {
  actors::sse_subscription sub;
  auto const kind = topic == "jobs" ? "jobs" : "job";
  sub.topic = std::move(topic);
  sub.via = caf::actor_cast<caf::actor>(a.runtime.actors().jobs);
  return open_sse(a, client_ip, kind, std::move(sub));
}

} // namespace

void register_job_routes(app& a) {
  a.routes.add("POST", "/api/generate", {"Create a generation job", "jobs", true, "json", {202, 400, 401, 422, 429}},
               [&a](request& req, responder reply) {
                 auto cmd = parse_generate_request(req.body);
                 if (!cmd) {
                   reply(error_response(cmd.error()));
                   return;
                 }
                 actors::job_ticket ticket;
                 ticket.edit = false;
                 ticket.params = std::move(cmd->params);
                 ticket.api_path = cmd->api_path;
                 ticket.webhook_url = std::move(cmd->webhook_url);
                 actors::ask(a.runtime.system(), a.runtime.actors().jobs, ask_timeout, json_reply(reply, 202),
                             actors::error_reply(reply), actors::submit_atom::value,
                             actors::make_local(std::move(ticket)));
               });

  a.routes.add("GET", "/api/generate/jobs", {"List active jobs or job history", "jobs", true, "", {200, 401, 422}},
               [&a](request& req, responder reply) {
                 auto query = parse_job_list_query(req);
                 if (!query) {
                   reply(error_response(query.error()));
                   return;
                 }
                 actors::ask(a.runtime.system(), a.runtime.actors().jobs, ask_timeout, json_reply(reply),
                             actors::error_reply(reply), actors::job_list_atom::value, *query);
               });

  a.routes.add("DELETE", "/api/generate/jobs/history", {"Delete finished job history", "jobs", true, "", {200, 401}},
               [&a](request&, responder reply) {
                 actors::ask(a.runtime.system(), a.runtime.actors().jobs, ask_timeout, json_reply(reply),
                             actors::error_reply(reply), actors::job_clear_atom::value);
               });

  a.routes.add("GET", "/api/generate/jobs/events", {"Active job list events (SSE)", "jobs", true, "", {200, 401, 429}},
               [&a](request& req, responder reply) { reply(open_event_stream(a, req.client_ip, "jobs")); });

  a.routes.add("GET", "/api/generate/{job_id}", {"One job's status", "jobs", true, "", {200, 401, 404}},
               [&a](request& req, responder reply) {
                 actors::ask(a.runtime.system(), a.runtime.actors().jobs, ask_timeout, json_reply(reply),
                             actors::error_reply(reply), actors::job_get_atom::value, req.params["job_id"]);
               });

  a.routes.add("DELETE", "/api/generate/{job_id}", {"Cancel a job", "jobs", true, "", {200, 401, 404, 409}},
               [&a](request& req, responder reply) {
                 actors::ask(a.runtime.system(), a.runtime.actors().jobs, ask_timeout, json_reply(reply),
                             actors::error_reply(reply), actors::job_cancel_atom::value, req.params["job_id"]);
               });

  a.routes.add("GET", "/api/generate/{job_id}/events", {"One job's events (SSE)", "jobs", true, "", {200, 401, 404, 429}},
               [&a](request& req, responder reply) {
                 auto const id = req.params["job_id"];
                 auto const ip = req.client_ip;
                 // 404 first (§5.3), then the subscriber limit (§5.2).
                 actors::ask(
                     a.runtime.system(), a.runtime.actors().jobs, ask_timeout,
                     [&a, reply, id, ip](std::string const&) { reply(open_event_stream(a, ip, "job:" + id)); },
                     actors::error_reply(reply), actors::job_get_atom::value, id);
               });
}

} // namespace panel::http
