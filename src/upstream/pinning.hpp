#pragma once
// Makes "the address that was checked is the address that is connected" true for
// a libcurl transfer (spec §6.8, issue 4 item 4). Three locks, each enough alone
// against a different mistake:
//   1. CURLOPT_RESOLVE "host:port:addr1,addr2" seeds curl's DNS cache with the
//      checked addresses, so curl does not ask DNS again (no DNS rebinding);
//   2. an open-socket callback refuses any address that was not checked, so even
//      a curl that resolved on its own (IDN, a shared cache) cannot connect;
//   3. after the transfer, CURLINFO_PRIMARY_IP goes through check_connected_peer.
// Plus: curl is given our re-serialisation of the checked URL, never the raw text
// (no parser disagreement), no redirects, https only, no proxy from the environment.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/expected.hpp"
#include "core/ip_address.hpp"
#include "core/net_guard.hpp"
#include "core/url.hpp"

struct curl_slist;

namespace panel::upstream {

/// How a transfer is pinned.
struct pin_options {
  /// The transfer goes through a SOCKS5 proxy (§6.11, upstream POSTs only). The
  /// caller sets CURLOPT_PROXY to a `socks5://` URL (local resolution: the pinned
  /// address is what the proxy is asked for; never `socks5h://`). The open-socket
  /// check and the after-transfer peer check are then off: the peer is the proxy.
  bool via_proxy = false;
  /// Tests only: allow `http` besides `https` (a plain local listener). Never set
  /// in the server.
  bool allow_http_for_tests = false;
};

/// The pin of one transfer. Owns the CURLOPT_RESOLVE list and the addresses the
/// open-socket callback compares against, so it must outlive the transfer (until
/// curl_easy_perform returns or the handle leaves the multi handle). Not movable:
/// curl holds its address. Used by the one thread that drives the transfer.
class connect_pin {
public:
  /// A pin admitting `allowed`; `resolve_entry` ("" for none) becomes the
  /// CURLOPT_RESOLVE list; `check_sockets` false turns the open-socket and peer
  /// checks off (proxy mode). Built by pin_connection.
  connect_pin(std::string resolve_entry, std::vector<core::ip_address> allowed, bool check_sockets);
  ~connect_pin();
  connect_pin(connect_pin const&) = delete;
  connect_pin& operator=(connect_pin const&) = delete;

  /// The CURLOPT_RESOLVE entry installed ("host:port:addr1,addr2"), or "" when the
  /// host is an IP literal and nothing needs resolving.
  [[nodiscard]] std::string const& resolve_entry() const { return resolve_entry_; }

  /// The addresses curl may connect to.
  [[nodiscard]] std::vector<core::ip_address> const& allowed() const { return allowed_; }

  /// The first address the open-socket callback refused, if any (then curl
  /// reports CURLE_COULDNT_CONNECT). Read after the transfer.
  [[nodiscard]] std::optional<core::ip_address> const& refused() const { return refused_; }

  /// Whether the after-transfer peer check applies (false through a proxy).
  [[nodiscard]] bool checks_peer() const { return check_sockets_; }

  /// Called by curl's open-socket callback: true when `address` may be connected
  /// to; otherwise records it in `refused()`.
  [[nodiscard]] bool admit(core::ip_address const& address);

  /// The list handed to CURLOPT_RESOLVE (owned here), or nullptr.
  [[nodiscard]] curl_slist* resolve_list() const { return resolve_list_; }

private:
  std::vector<core::ip_address> allowed_;
  bool check_sockets_ = true;
  std::optional<core::ip_address> refused_;
  std::string resolve_entry_;
  curl_slist* resolve_list_ = nullptr;
};

/// The CURLOPT_RESOLVE entry for `target` and `addresses`: "host:port:a,b" with
/// IPv6 addresses in brackets; "" for an IP-literal host.
[[nodiscard]] std::string resolve_entry(core::url const& target, std::vector<core::ip_address> const& addresses);

/// Configures `curl_handle` (a CURL*) for one transfer to `target`, which passed
/// core::validate_url, connecting only to `addresses`, which passed
/// core::resolve_and_check (or core::check_url): sets CURLOPT_URL (our
/// serialisation, fragment dropped), CURLOPT_RESOLVE, the open-socket check,
/// CURLOPT_FOLLOWLOCATION 0, CURLOPT_PROTOCOLS_STR / CURLOPT_REDIR_PROTOCOLS_STR
/// "https", and (direct mode) CURLOPT_PROXY "" so no *_proxy variable applies.
/// Fails (errc::upstream, "Could not resolve host: <h>") when there is no address:
/// a failed lookup must not let curl try DNS on its own. Call it from the thread
/// that owns the handle; keep the returned pin alive for the whole transfer.
[[nodiscard]] expected<std::unique_ptr<connect_pin>> pin_connection(void* curl_handle, core::url const& target,
                                                                    std::vector<core::ip_address> const& addresses,
                                                                    pin_options options = {});

/// Everything to check once a pinned transfer ended: an address refused by the
/// open-socket check ("<label> connected to private/internal IP: <ip>" when it is
/// private, else "<label> connection to an unchecked address was refused: <ip>"),
/// then, in direct mode, check_transfer_peer. Call it even when the transfer failed.
[[nodiscard]] expected<void> check_after_transfer(void* curl_handle, connect_pin const& pin,
                                                  core::url_context context, core::net_policy const& policy);

/// The after-transfer check: CURLINFO_PRIMARY_IP of `curl_handle` through
/// core::check_connected_peer ("<context> connected to private/internal IP: <ip>").
/// Passes when no connection was made. Skip it through a proxy (pin.checks_peer()).
[[nodiscard]] expected<void> check_transfer_peer(void* curl_handle, core::url_context context,
                                                 core::net_policy const& policy);

} // namespace panel::upstream
