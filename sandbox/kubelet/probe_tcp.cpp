// tcpSocket probes (pkg/probe/tcp): success when a TCP connection opens within the timeout.
// Also the Go-style dialer shared with the httpGet probe.

#include "kubelet/probe_check.h"
#include "kubelet/probe_dial.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cctype>

namespace sandbox {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string probeJoinHostPort(std::string_view host, int port) {
    if (host.find(':') != std::string_view::npos) {
        return "[" + std::string(host) + "]:" + std::to_string(port);
    }
    return std::string(host) + ":" + std::to_string(port);
}

std::string probeErrnoText(const boost::system::error_code &ec) {
    std::string text = ec.message();
    if (text.size() > 1 && std::isupper(static_cast<unsigned char>(text[0])) &&
        std::islower(static_cast<unsigned char>(text[1]))) {
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    }
    return text;
}

void ProbeDialer::dial(tcp::socket &socket, const std::string &host, int port,
                       std::function<void(std::string)> done) {
    const std::string address = probeJoinHostPort(host, port);
    boost::system::error_code parseError;
    const auto ip = asio::ip::make_address(host, parseError);
    if (!parseError) {
        socket.async_connect(tcp::endpoint(ip, static_cast<unsigned short>(port)),
                             [address, done = std::move(done)](boost::system::error_code ec) {
                                 done(ec ? "dial tcp " + address +
                                               ": connect: " + probeErrnoText(ec)
                                         : std::string());
                             });
        return;
    }
    m_resolver.async_resolve(
        host, std::to_string(port),
        [&socket, host, address, done = std::move(done)](boost::system::error_code ec,
                                                         tcp::resolver::results_type results) {
            if (ec == asio::error::operation_aborted) {
                done("dial tcp: lookup " + host + ": operation was canceled");
                return;
            }
            if (ec || results.empty()) {
                done("dial tcp: lookup " + host + ": no such host");
                return;
            }
            asio::async_connect(
                socket, results,
                [done](boost::system::error_code connectError, const tcp::endpoint &to) {
                    done(connectError ? "dial tcp " +
                                            probeJoinHostPort(to.address().to_string(), to.port()) +
                                            ": connect: " + probeErrnoText(connectError)
                                      : std::string());
                });
        });
}

namespace {

class TcpCheck final : public ProbeCheck, public std::enable_shared_from_this<TcpCheck> {
public:
    TcpCheck(asio::io_context &io, const ProbeSpec &spec, ProbeDone done)
        : m_socket(io)
        , m_timer(io)
        , m_dialer(io.get_executor())
        , m_spec(spec)
        , m_done(std::move(done)) {}

    void start(Duration timeout) {
        if (!m_spec.portError.empty()) {
            // done never runs inside startTcpCheck: the runner has not stored the check yet.
            asio::post(m_timer.get_executor(), [self = shared_from_this()] {
                self->finish({ProbeResult::Unknown, self->m_spec.portError});
            });
            return;
        }
        m_timer.expires_after(timeout);
        m_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec) {
                self->finish({ProbeResult::Failure,
                              "dial tcp " +
                                  probeJoinHostPort(self->m_spec.host, self->m_spec.port) +
                                  ": i/o timeout"});
            }
        });
        m_dialer.dial(m_socket, m_spec.host, m_spec.port,
                      [self = shared_from_this()](std::string error) {
                          if (error.empty()) {
                              self->finish({ProbeResult::Success, {}});
                          } else {
                              self->finish({ProbeResult::Failure, std::move(error)});
                          }
                      });
    }

    void cancel() override { finish({ProbeResult::Unknown, "probe cancelled"}); }

private:
    void finish(ProbeOutcome outcome) {
        if (m_finished) {
            return;
        }
        m_finished = true;
        m_timer.cancel();
        m_dialer.cancel();
        boost::system::error_code ignored;
        m_socket.close(ignored);
        auto done = std::move(m_done);
        done(std::move(outcome));
    }

    tcp::socket m_socket;
    asio::steady_timer m_timer;
    ProbeDialer m_dialer;
    ProbeSpec m_spec;
    ProbeDone m_done;
    bool m_finished = false;
};

} // namespace

std::shared_ptr<ProbeCheck> startTcpCheck(asio::io_context &io, const ProbeSpec &spec,
                                          Duration timeout, ProbeDone done) {
    auto check = std::make_shared<TcpCheck>(io, spec, std::move(done));
    check->start(timeout);
    return check;
}

} // namespace sandbox
