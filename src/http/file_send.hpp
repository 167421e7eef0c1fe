#pragma once
// file_send: a region of an open file written to a plain TCP socket with
// sendfile(2), the way nginx serves static files: no copy through user space,
// no read buffer per connection. The socket is put in non-blocking mode; when
// the peer's window is full, the sender waits for writability on the socket's
// executor. A wait longer than `stall` without progress ends the transfer
// with a timeout (the caller closes the connection).

#include <chrono>
#include <functional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include "http/message.hpp"

namespace panel::http {

/// Sends `region` on `socket` and calls `done` once, on the socket's executor
/// (possibly before returning): no error when every byte went out; a timeout,
/// the socket's error, or `boost::asio::error::eof` when the file ended early
/// (it shrank under us). The region's fd stays the caller's and must stay open
/// until `done` runs. Must be called on the socket's executor (its strand).
void async_send_file(boost::asio::ip::tcp::socket& socket, file_region region, std::chrono::steady_clock::duration stall,
                     std::function<void(boost::system::error_code)> done);

} // namespace panel::http
