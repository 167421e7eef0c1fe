#include "http/gate.hpp"

#include <charconv>

#include "core/strings.hpp"
#include "http/access_token.hpp"
#include "http/errors.hpp"

namespace panel::http {

namespace {

// Splits "host[:port]" / "[v6]:port" into a lower-case host and an optional port text.
bool split_host_port(std::string_view value, std::string& host, std::string& port) {
  if (value.starts_with('[')) {
    auto const close = value.find(']');
    if (close == std::string_view::npos) {
      return false;
    }
    auto const inner = value.substr(1, close - 1);
    auto ip = core::ip_address::parse(inner);
    if (!ip || !ip->v6) {
      return false;
    }
    host = "[" + ip->to_string() + "]";
    auto rest = value.substr(close + 1);
    if (rest.empty()) {
      port.clear();
      return true;
    }
    if (!rest.starts_with(':')) {
      return false;
    }
    port = std::string(rest.substr(1));
  } else {
    auto const colon = value.rfind(':');
    if (colon != std::string_view::npos && value.find(':') != colon) {
      return false; // unbracketed IPv6 is not a valid Host value
    }
    host = core::to_lower(value.substr(0, colon));
    port = colon == std::string_view::npos ? std::string{} : std::string(value.substr(colon + 1));
    while (!host.empty() && host.back() == '.') {
      host.pop_back();
    }
  }
  if (host.empty()) {
    return false;
  }
  if (!port.empty()) {
    unsigned p = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc{} || ptr != port.data() + port.size() || p == 0 || p > 65535) {
      return false;
    }
    port = std::to_string(p);
  }
  return true;
}

bool host_allowed(std::set<std::string> const& allowed, std::string const& value) {
  std::string host;
  std::string port;
  if (!split_host_port(value, host, port)) {
    return false;
  }
  return allowed.contains(host + ":*") || allowed.contains(host + ":" + port);
}

// Adds an origin's host: exact without a port, and with the scheme's default port
// when none is given (an explicit port allows only that port).
void allow_origin(std::set<std::string>& allowed, origin const& o) {
  if (o.port) {
    allowed.insert(o.host + ":" + std::to_string(*o.port));
    return;
  }
  allowed.insert(o.host + ":");
  allowed.insert(o.host + ":" + (o.scheme == "https" ? "443" : "80"));
}

bool is_unsafe(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS" && method != "TRACE";
}

bool peer_trusted(gate_rules const& rules, request const& req) {
  if (!rules.trust_proxy_headers) {
    return false;
  }
  auto ip = core::ip_address::parse(req.peer_ip);
  return ip && core::in_any(rules.trusted_proxies, *ip);
}

std::optional<std::string> first_value(request const& req, std::string_view name) {
  auto v = req.headers.get(name);
  if (!v) {
    return std::nullopt;
  }
  auto first = core::trim(v->substr(0, v->find(',')));
  if (first.empty()) {
    return std::nullopt;
  }
  return std::string(first);
}

} // namespace

std::optional<origin> origin::parse(std::string_view text, bool allow_path) {
  text = core::trim(text);
  auto const sep = text.find("://");
  if (sep == std::string_view::npos) {
    return std::nullopt;
  }
  origin o;
  o.scheme = core::to_lower(text.substr(0, sep));
  if (o.scheme != "http" && o.scheme != "https") {
    return std::nullopt;
  }
  auto rest = text.substr(sep + 3);
  auto const end = rest.find_first_of("/?#");
  auto const authority = rest.substr(0, end);
  if (end != std::string_view::npos) {
    auto const tail = rest.substr(end);
    if (!allow_path && tail != "/") {
      return std::nullopt;
    }
  }
  if (authority.find('@') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string port;
  if (!split_host_port(authority, o.host, port)) {
    return std::nullopt;
  }
  if (!port.empty()) {
    auto const p = static_cast<std::uint16_t>(std::stoi(port));
    if (!((o.scheme == "https" && p == 443) || (o.scheme == "http" && p == 80))) {
      o.port = p;
    }
  }
  return o;
}

std::string origin::to_string() const {
  return scheme + "://" + host + (port ? ":" + std::to_string(*port) : "");
}

std::optional<std::string> normalise_host(std::string_view value) {
  if (value.empty() || value.size() > 255) {
    return std::nullopt;
  }
  for (char const c : value) {
    auto const u = static_cast<unsigned char>(c);
    if (u < 0x21 || u == 0x7f || c == '@' || c == '?' || c == '#' || c == '\\') {
      return std::nullopt;
    }
  }
  if (auto const slash = value.find('/'); slash != std::string_view::npos) {
    if (slash != value.size() - 1) {
      return std::nullopt;
    }
    value.remove_suffix(1);
  }
  std::string host;
  std::string port;
  if (!split_host_port(value, host, port)) {
    return std::nullopt;
  }
  return port.empty() ? host : host + ":" + port;
}

expected<gate_rules> gate_rules::compile(core::config const& cfg) {
  gate_rules r;
  r.ip_allowlist = cfg.ip_allowlist;
  r.trust_proxy_headers = cfg.trust_proxy_headers;
  r.trusted_proxies = cfg.trusted_proxy_ips;
  r.csrf_enabled = cfg.csrf_origin_check_enabled;
  r.access_key = cfg.access_key;
  r.cookie_name = cfg.access_key_cookie_name;
  std::set<std::string> allowed;
  if (!cfg.public_origin.empty()) {
    r.public_origin = origin::parse(cfg.public_origin);
    if (!r.public_origin) {
      return fail(errc::validation, "PUBLIC_ORIGIN is invalid: expected http(s)://host[:port], got '" +
                                        cfg.public_origin + "'");
    }
    allow_origin(allowed, *r.public_origin);
  }
  for (auto const& entry : core::split_list(cfg.allowed_hosts, ",")) {
    if (entry.find("://") != std::string::npos) {
      auto o = origin::parse(entry);
      if (!o) {
        return fail(errc::validation, "ALLOWED_HOSTS: invalid origin entry '" + entry + "'");
      }
      allow_origin(allowed, *o);
      continue;
    }
    std::string host;
    std::string port;
    if (!normalise_host(entry) || !split_host_port(entry, host, port)) {
      return fail(errc::validation, "ALLOWED_HOSTS: invalid host entry '" + entry + "'");
    }
    // A bare hostname allows it on any port; host:port allows that port only.
    allowed.insert(host + ":" + (port.empty() ? "*" : port));
  }
  if (!allowed.empty()) {
    r.allowed_hosts = std::move(allowed);
  }
  return r;
}

bool access_exempt(std::string_view path) {
  return path == "/" || path == "/api/access" || path == "/api/access/status" || path == "/favicon.ico" ||
         path == "/health" || path.starts_with("/_app/");
}

std::string resolve_client_ip(gate_rules const& rules, request const& req) {
  if (peer_trusted(rules, req)) {
    if (auto xff = req.headers.get("X-Forwarded-For")) {
      auto const hops = core::split_list(*xff, ",");
      for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        auto ip = core::ip_address::parse(*it);
        if (!ip || !core::in_any(rules.trusted_proxies, *ip)) {
          return ip ? ip->to_string() : *it;
        }
      }
      if (!hops.empty()) {
        auto ip = core::ip_address::parse(hops.front());
        return ip ? ip->to_string() : hops.front();
      }
    }
    if (auto real = req.headers.get("X-Real-IP"); real && !core::trim(*real).empty()) {
      auto const t = std::string(core::trim(*real));
      auto ip = core::ip_address::parse(t);
      return ip ? ip->to_string() : t;
    }
  }
  return req.peer_ip;
}

gate_result run_gate(gate_rules const& rules, request const& req, std::int64_t now) {
  gate_result out;
  out.client_ip = resolve_client_ip(rules, req);
  bool const trusted = peer_trusted(rules, req);
  auto const host_header = req.headers.get("Host").value_or("");
  auto const forwarded_host = trusted ? first_value(req, "X-Forwarded-Host") : std::nullopt;

  // 1. Host allowlist (every path, /health included). RFC 9112 §3.2: several Host
  // fields make the request invalid, whatever the allowlist says.
  if (req.headers.count("Host") > 1) {
    out.reject = error_response(400, "Invalid Host header", "host_not_allowed");
    return out;
  }
  if (rules.allowed_hosts) {
    if (!host_allowed(*rules.allowed_hosts, std::string(host_header))) {
      out.reject = error_response(400, "Host is not allowed", "host_not_allowed");
      return out;
    }
    if (forwarded_host && !host_allowed(*rules.allowed_hosts, *forwarded_host)) {
      out.reject = error_response(400, "Forwarded host is not allowed", "host_not_allowed");
      return out;
    }
  }

  // 2. IP allowlist (/health exempt).
  if (!rules.ip_allowlist.empty() && req.path != "/health") {
    auto ip = core::ip_address::parse(out.client_ip);
    if (!ip || !core::in_any(rules.ip_allowlist, *ip)) {
      out.reject = error_response(403, "IP address is not allowed", "ip_not_allowed");
      return out;
    }
  }

  // 3. CSRF origin check on unsafe methods, before the access gate and before any 404.
  if (rules.csrf_enabled && is_unsafe(req.method)) {
    bool ok = false;
    std::string expected;
    if (rules.public_origin) {
      expected = rules.public_origin->to_string();
    } else {
      std::string scheme = req.tls ? "https" : "http";
      if (trusted) {
        if (auto proto = first_value(req, "X-Forwarded-Proto")) {
          auto const p = core::to_lower(*proto);
          if (p == "http" || p == "https") {
            scheme = p;
          }
        }
      }
      auto const host = forwarded_host ? *forwarded_host : std::string(host_header);
      if (auto o = origin::parse(scheme + "://" + host)) {
        expected = o->to_string();
      }
    }
    auto const fetch_site = core::to_lower(req.headers.get("Sec-Fetch-Site").value_or(""));
    if (fetch_site == "same-origin") {
      ok = true;
    } else if (fetch_site == "cross-site") {
      ok = false;
    } else if (auto o = req.headers.get("Origin")) {
      auto parsed = origin::parse(*o);
      ok = parsed && !expected.empty() && parsed->to_string() == expected;
    } else if (auto ref = req.headers.get("Referer")) {
      auto parsed = origin::parse(*ref, true);
      ok = parsed && !expected.empty() && parsed->to_string() == expected;
    }
    if (!ok) {
      out.reject = error_response(403, "CSRF origin check failed", "csrf_rejected");
      return out;
    }
  }

  // 4. Access cookie.
  if (rules.access_key.empty()) {
    out.authenticated = true;
  } else if (auto cookie = find_cookie(req.headers.get("Cookie").value_or(""), rules.cookie_name)) {
    out.session_expires = verify_access_token(rules.access_key, *cookie, now);
    out.authenticated = out.session_expires.has_value();
  }
  if (!out.authenticated && !access_exempt(req.path)) {
    out.reject = error_response(401, "Access key required", "authentication_required");
  }
  return out;
}

} // namespace panel::http
