#pragma once
// Internal to the probe runner (probe_tcp.cpp, probe_http.cpp): connecting as Go's net.Dial
// does for the kubelet's probes, with its error texts
// ("dial tcp 127.1.0.4:5000: connect: connection refused").

#include <boost/asio/ip/tcp.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace sandbox {

// net.JoinHostPort: "[::1]:80" for IPv6 literals.
std::string probeJoinHostPort(std::string_view host, int port);
// A system error as Go prints a syscall.Errno: strerror with a lowercase first letter.
std::string probeErrnoText(const boost::system::error_code &ec);

class ProbeDialer final {
public:
    explicit ProbeDialer(boost::asio::any_io_executor executor)
        : m_resolver(executor) {}

    // Connects `socket` to host:port (an IP literal, or a name that is looked up first).
    // done("") on success, else the dial error text. The socket must outlive the operation.
    void dial(boost::asio::ip::tcp::socket &socket, const std::string &host, int port,
              std::function<void(std::string)> done);
    // Aborts a lookup in progress (close the socket to abort a connect).
    void cancel() { m_resolver.cancel(); }

private:
    boost::asio::ip::tcp::resolver m_resolver;
};

} // namespace sandbox
