#include "http_load.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

namespace e2e {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

int msLeft(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

// Waits for `events` on fd until the deadline; an error text when it does not come.
std::string waitFor(int fd, short events, Clock::time_point deadline, const char *what) {
    while (true) {
        pollfd p{fd, events, 0};
        const int timeout = msLeft(deadline);
        const int n = poll(&p, 1, timeout);
        if (n > 0) {
            return {};
        }
        if (n == 0 || timeout == 0) {
            return std::string(what) + ": timed out";
        }
        if (errno != EINTR) {
            return std::string(what) + ": " + std::strerror(errno);
        }
    }
}

// One client connection (non-blocking socket, deadlines through poll).
class Connection {
public:
    Connection() = default;
    ~Connection() { close(); }
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    bool open() const { return m_fd >= 0; }
    void close() {
        if (m_fd >= 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }

    std::string connect(const std::string &host, std::uint16_t port, Clock::time_point deadline) {
        close();
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
            return "connect: not an IPv4 address: " + host;
        }
        m_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (m_fd < 0) {
            return std::string("socket: ") + std::strerror(errno);
        }
        const int one = 1;
        setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0) {
            if (errno != EINPROGRESS) {
                const std::string error = std::string("connect: ") + std::strerror(errno);
                close();
                return error;
            }
            if (auto error = waitFor(m_fd, POLLOUT, deadline, "connect"); !error.empty()) {
                close();
                return error;
            }
            int soError = 0;
            socklen_t length = sizeof soError;
            getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &soError, &length);
            if (soError != 0) {
                close();
                return std::string("connect: ") + std::strerror(soError);
            }
        }
        return {};
    }

    std::string send(const std::string &data, Clock::time_point deadline) {
        std::size_t done = 0;
        while (done < data.size()) {
            const ssize_t n = ::send(m_fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
            } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                if (auto error = waitFor(m_fd, POLLOUT, deadline, "write"); !error.empty()) {
                    return error;
                }
            } else {
                return std::string("write: ") + std::strerror(errno);
            }
        }
        return {};
    }

    // Reads one whole response into `out`.
    std::string receive(HttpResponse &out, Clock::time_point deadline) {
        http::response_parser<http::string_body> parser;
        parser.body_limit(16 * 1024 * 1024);
        std::string pending;
        char chunk[16384];
        bool sawBytes = false;
        while (!parser.is_done()) {
            if (auto error = waitFor(m_fd, POLLIN, deadline, "read"); !error.empty()) {
                return error;
            }
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n < 0) {
                if (errno == EAGAIN || errno == EINTR) {
                    continue;
                }
                return std::string("read: ") + std::strerror(errno);
            }
            boost::system::error_code ec;
            if (n == 0) {
                parser.put_eof(ec);
                if (ec || !parser.is_done()) {
                    return sawBytes ? "read: connection closed in the middle of the response"
                                    : "read: connection closed before any response";
                }
                break;
            }
            sawBytes = true;
            pending.append(chunk, static_cast<std::size_t>(n));
            while (!pending.empty() && !parser.is_done()) {
                const std::size_t used =
                    parser.put(boost::asio::const_buffer(pending.data(), pending.size()), ec);
                pending.erase(0, used);
                if (ec == http::error::need_more) {
                    break;
                }
                if (ec) {
                    return "parse: " + ec.message();
                }
            }
        }
        const auto &message = parser.get();
        out.status = static_cast<int>(message.result_int());
        out.body = message.body();
        out.keepAlive = message.keep_alive();
        return {};
    }

private:
    int m_fd = -1;
};

std::string requestText(const std::string &host, std::uint16_t port, const std::string &method,
                        const std::string &target, const std::string &body) {
    std::string text = method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" +
                       std::to_string(port) + "\r\nUser-Agent: rf-e2e\r\nAccept: */*\r\n";
    if (!body.empty() || method == "POST" || method == "PUT") {
        text += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\n";
    }
    text += "\r\n";
    text += body;
    return text;
}

} // namespace

HttpResponse httpRequest(const std::string &host, std::uint16_t port, const std::string &method,
                         const std::string &target, const std::string &body,
                         std::chrono::milliseconds timeout) {
    HttpResponse response;
    const auto deadline = Clock::now() + timeout;
    Connection connection;
    if (auto error = connection.connect(host, port, deadline); !error.empty()) {
        response.error = error;
        return response;
    }
    if (auto error = connection.send(requestText(host, port, method, target, body), deadline);
        !error.empty()) {
        response.error = error;
        return response;
    }
    if (auto error = connection.receive(response, deadline); !error.empty()) {
        response.status = 0;
        response.error = error;
    }
    return response;
}

std::string LoadStats::summary() const {
    std::ostringstream text;
    text << requests << " requests, " << failures << " failed, " << connections
         << " connections opened";
    for (const auto &[reason, count] : failureReasons) {
        text << "\n  " << count << " x " << reason;
    }
    return text.str();
}

struct LoadGenerator::Shared {
    std::atomic<bool> stopping{false};
    mutable std::mutex mutex;
    LoadStats stats;
    std::vector<std::thread> threads;
};

LoadGenerator::LoadGenerator(Options options)
    : m_options(std::move(options))
    , m_shared(std::make_shared<Shared>()) {}

LoadGenerator::~LoadGenerator() {
    stop();
}

void LoadGenerator::start() {
    m_shared->stopping = false;
    for (int i = 0; i < m_options.connections; ++i) {
        m_shared->threads.emplace_back([this] { worker(); });
    }
}

LoadStats LoadGenerator::stop() {
    m_shared->stopping = true;
    for (auto &thread : m_shared->threads) {
        thread.join();
    }
    m_shared->threads.clear();
    return snapshot();
}

LoadStats LoadGenerator::snapshot() const {
    std::lock_guard lock(m_shared->mutex);
    return m_shared->stats;
}

void LoadGenerator::worker() {
    const std::string request = requestText(m_options.host, m_options.port, m_options.method,
                                            m_options.target, m_options.body);
    Connection connection;
    auto record = [&](const std::string &failure, bool opened) {
        std::lock_guard lock(m_shared->mutex);
        ++m_shared->stats.requests;
        if (opened) {
            ++m_shared->stats.connections;
        }
        if (!failure.empty()) {
            ++m_shared->stats.failures;
            ++m_shared->stats.failureReasons[failure];
        }
    };
    while (!m_shared->stopping) {
        const auto deadline = Clock::now() + m_options.requestTimeout;
        bool opened = false;
        std::string failure;
        HttpResponse response;
        if (!connection.open()) {
            failure = connection.connect(m_options.host, m_options.port, deadline);
            opened = failure.empty();
        }
        if (failure.empty()) {
            failure = connection.send(request, deadline);
        }
        if (failure.empty()) {
            failure = connection.receive(response, deadline);
        }
        if (failure.empty() && !response.ok()) {
            failure = "HTTP " + std::to_string(response.status);
        }
        if (!failure.empty() || !response.keepAlive) {
            connection.close();
        }
        record(failure, opened);
        if (!failure.empty()) {
            // Do not spin on a refused connection; a real client backs off too.
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        } else if (m_options.pause.count() > 0) {
            std::this_thread::sleep_for(m_options.pause);
        }
    }
}

} // namespace e2e
