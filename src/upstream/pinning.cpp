#include "upstream/pinning.hpp"

#include <algorithm>
#include <cstring>

#include <netinet/in.h>
#include <sys/socket.h>

#include <curl/curl.h>

namespace panel::upstream {

namespace {

core::ip_address from_curl_sockaddr(curl_sockaddr const& a) {
  core::ip_address out;
  if (a.family == AF_INET6) {
    out.v6 = true;
    std::memcpy(out.bytes.data(), &reinterpret_cast<sockaddr_in6 const*>(&a.addr)->sin6_addr, 16);
  } else {
    std::memcpy(out.bytes.data(), &reinterpret_cast<sockaddr_in const*>(&a.addr)->sin_addr, 4);
  }
  return out;
}

// CURLOPT_OPENSOCKETFUNCTION: the last word on every address curl connects to.
curl_socket_t open_checked_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* pin = static_cast<connect_pin*>(user);
  if (purpose != CURLSOCKTYPE_IPCXN || (address->family != AF_INET && address->family != AF_INET6)) {
    return CURL_SOCKET_BAD;
  }
  if (!pin->admit(from_curl_sockaddr(*address))) {
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

bool is_ip_literal(core::url const& target) {
  return target.host_is_ipv6 || core::ip_address::parse(target.host).has_value();
}

// Every option below is part of the guarantee: if one cannot be set, the
// transfer must not run half-guarded.
class option_setter {
public:
  explicit option_setter(CURL* handle) : handle_{handle} {}

  template <class Value>
  void set(CURLoption option, char const* name, Value value) {
    if (failed_.empty() && curl_easy_setopt(handle_, option, value) != CURLE_OK) {
      failed_ = name;
    }
  }

  [[nodiscard]] expected<void> result() const {
    if (failed_.empty()) {
      return {};
    }
    return fail(errc::internal, std::string{"curl refused option "} + failed_);
  }

private:
  CURL* handle_;
  std::string failed_;
};

} // namespace

connect_pin::connect_pin(std::string resolve_entry, std::vector<core::ip_address> allowed, bool check_sockets)
    : allowed_{std::move(allowed)}, check_sockets_{check_sockets}, resolve_entry_{std::move(resolve_entry)} {
  if (!resolve_entry_.empty()) {
    resolve_list_ = curl_slist_append(nullptr, resolve_entry_.c_str());
  }
}

connect_pin::~connect_pin() {
  curl_slist_free_all(resolve_list_);
}

bool connect_pin::admit(core::ip_address const& address) {
  if (!check_sockets_) {
    return true;
  }
  auto const matches = [&](core::ip_address const& a) {
    return a == address || (address.mapped_v4() && *address.mapped_v4() == a);
  };
  if (std::any_of(allowed_.begin(), allowed_.end(), matches)) {
    return true;
  }
  if (!refused_) {
    refused_ = address;
  }
  return false;
}

std::string resolve_entry(core::url const& target, std::vector<core::ip_address> const& addresses) {
  if (is_ip_literal(target) || addresses.empty()) {
    return "";
  }
  auto entry = target.host + ":" + std::to_string(target.effective_port()) + ":";
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    auto const text = addresses[i].to_string();
    entry += (i == 0 ? "" : ",") + (addresses[i].v6 ? "[" + text + "]" : text);
  }
  return entry;
}

expected<std::unique_ptr<connect_pin>> pin_connection(void* curl_handle, core::url const& target,
                                                      std::vector<core::ip_address> const& addresses,
                                                      pin_options options) {
  auto* handle = static_cast<CURL*>(curl_handle);
  if (handle == nullptr) {
    return fail(errc::internal, "pin_connection needs a curl handle");
  }
  bool const http_ok = options.allow_http_for_tests && target.scheme == "http";
  if (target.scheme != "https" && !http_ok) {
    return fail(errc::validation, "Only HTTPS URLs are allowed");
  }
  if (addresses.empty()) {
    // Letting curl look the name up itself would connect to an unchecked address.
    return fail(errc::upstream, "Could not resolve host: " + target.host);
  }
  auto pin = std::make_unique<connect_pin>(resolve_entry(target, addresses), addresses, !options.via_proxy);
  if (!pin->resolve_entry().empty() && pin->resolve_list() == nullptr) {
    return fail(errc::internal, "out of memory building CURLOPT_RESOLVE");
  }
  char const* protocols = http_ok ? "http,https" : "https";
  option_setter opt{handle};
  opt.set(CURLOPT_URL, "CURLOPT_URL", target.request_url().c_str());
  opt.set(CURLOPT_RESOLVE, "CURLOPT_RESOLVE", pin->resolve_list());
  opt.set(CURLOPT_FOLLOWLOCATION, "CURLOPT_FOLLOWLOCATION", 0L);
  opt.set(CURLOPT_MAXREDIRS, "CURLOPT_MAXREDIRS", 0L);
  opt.set(CURLOPT_PROTOCOLS_STR, "CURLOPT_PROTOCOLS_STR", protocols);
  opt.set(CURLOPT_REDIR_PROTOCOLS_STR, "CURLOPT_REDIR_PROTOCOLS_STR", protocols);
  if (options.via_proxy) {
    // The socket goes to the proxy, so there is nothing to compare it with.
    opt.set(CURLOPT_OPENSOCKETFUNCTION, "CURLOPT_OPENSOCKETFUNCTION", static_cast<curl_opensocket_callback>(nullptr));
    opt.set(CURLOPT_OPENSOCKETDATA, "CURLOPT_OPENSOCKETDATA", static_cast<void*>(nullptr));
  } else {
    // "" beats http_proxy/https_proxy/ALL_PROXY from the environment, which would
    // otherwise hand the name to a proxy that resolves it as it likes.
    opt.set(CURLOPT_PROXY, "CURLOPT_PROXY", "");
    opt.set(CURLOPT_OPENSOCKETFUNCTION, "CURLOPT_OPENSOCKETFUNCTION", &open_checked_socket);
    opt.set(CURLOPT_OPENSOCKETDATA, "CURLOPT_OPENSOCKETDATA", static_cast<void*>(pin.get()));
  }
  if (auto ok = opt.result(); !ok) {
    return tl::unexpected{ok.error()};
  }
  return pin;
}

expected<void> check_transfer_peer(void* curl_handle, core::url_context context, core::net_policy const& policy) {
  char* primary_ip = nullptr;
  if (curl_easy_getinfo(static_cast<CURL*>(curl_handle), CURLINFO_PRIMARY_IP, &primary_ip) != CURLE_OK) {
    return fail(errc::internal, "curl could not report the connected address");
  }
  return core::check_connected_peer(std::string_view{primary_ip == nullptr ? "" : primary_ip}, context, policy);
}

expected<void> check_after_transfer(void* curl_handle, connect_pin const& pin, core::url_context context,
                                    core::net_policy const& policy) {
  if (auto const& refused = pin.refused()) {
    if (auto bad = core::check_connected_peer(*refused, context, policy); !bad) {
      return bad;
    }
    return fail(errc::validation, std::string{core::context_label(context)} +
                                      " connection to an unchecked address was refused: " + refused->to_string());
  }
  if (!pin.checks_peer()) {
    return {};
  }
  return check_transfer_peer(curl_handle, context, policy);
}

} // namespace panel::upstream
