#pragma once
// Helpers of the service proxy tests: a tiny HTTP backend on a chosen loopback address (one
// thread, one connection at a time, answers with its own name and the request head it
// received, then closes), an echo backend, and blocking client calls with generous
// timeouts. Plain POSIX sockets, so the tests compile fast.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace proxytest {

inline sockaddr_in socketAddress(const std::string &ip, unsigned short port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, ip.c_str(), &address.sin_addr);
    return address;
}

// A listening socket on ip:port (0: any free port); -1 on failure.
inline int listenOn(const std::string &ip, unsigned short port, unsigned short &bound) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address = socketAddress(ip, port);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::listen(fd, 64) != 0) {
        ::close(fd);
        return -1;
    }
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    bound = ntohs(address.sin_port);
    return fd;
}

inline bool waitReadable(int fd, int millis) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, millis) > 0;
}

// Reads until EOF (or `limit` bytes, or 30 s of silence).
inline std::string readAll(int fd, std::size_t limit = 64u << 20) {
    std::string out;
    char buffer[16384];
    while (out.size() < limit && waitReadable(fd, 30000)) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            break;
        }
        out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
}

inline void sendAll(int fd, const std::string &data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            return;
        }
        sent += static_cast<std::size_t>(n);
    }
}

// A connected socket to ip:port, or -1 (refused, reset, ...).
inline int connectTo(const std::string &ip, unsigned short port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = socketAddress(ip, port);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// One HTTP/1.0-style exchange: the whole answer, or nullopt when the connection failed or
// was closed without an answer.
inline std::optional<std::string> httpGet(const std::string &ip, unsigned short port,
                                          const std::string &path = "/") {
    const int fd = connectTo(ip, port);
    if (fd < 0) {
        return std::nullopt;
    }
    sendAll(fd, "GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    std::string answer = readAll(fd);
    ::close(fd);
    if (answer.empty()) {
        return std::nullopt;
    }
    return answer;
}

// The body of an answer (after the blank line).
inline std::string bodyOf(const std::string &answer) {
    const auto end = answer.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : answer.substr(end + 4);
}

// Serves one connection at a time on its own thread until destroyed.
class Backend {
public:
    enum class Mode { Http, Echo };

    Backend(std::string name, const std::string &ip, Mode mode = Mode::Http)
        : m_name(std::move(name))
        , m_mode(mode) {
        m_fd = listenOn(ip, 0, m_port);
        if (m_fd >= 0) {
            m_thread = std::thread([this] { run(); });
        }
    }
    ~Backend() { stop(); }
    Backend(const Backend &) = delete;
    Backend &operator=(const Backend &) = delete;

    bool ok() const { return m_fd >= 0; }
    unsigned short port() const { return m_port; }
    int served() const { return m_served.load(); }
    std::string lastRequest() const {
        std::lock_guard lock(m_mutex);
        return m_lastRequest;
    }

    void stop() {
        m_stopping = true;
        if (m_thread.joinable()) {
            m_thread.join();
        }
        if (m_fd >= 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }

private:
    void run() {
        while (!m_stopping) {
            if (!waitReadable(m_fd, 50)) {
                continue;
            }
            const int client = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) {
                continue;
            }
            if (m_mode == Mode::Echo) {
                const std::string all = readAll(client);
                sendAll(client, all);
            } else {
                serveHttp(client);
            }
            ++m_served;
            ::close(client);
        }
    }

    void serveHttp(int client) {
        std::string request;
        char buffer[4096];
        while (request.find("\r\n\r\n") == std::string::npos && waitReadable(client, 30000)) {
            const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
            if (n <= 0) {
                break;
            }
            request.append(buffer, static_cast<std::size_t>(n));
        }
        {
            std::lock_guard lock(m_mutex);
            m_lastRequest = request.substr(0, request.find("\r\n\r\n"));
        }
        const std::string body = m_name + "\n" + request.substr(0, request.find("\r\n\r\n"));
        sendAll(client, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Backend: " + m_name +
                            "\r\nContent-Length: " + std::to_string(body.size()) +
                            "\r\nConnection: close\r\n\r\n" + body);
    }

    std::string m_name;
    Mode m_mode;
    int m_fd = -1;
    unsigned short m_port = 0;
    std::thread m_thread;
    std::atomic<bool> m_stopping{false};
    std::atomic<int> m_served{0};
    mutable std::mutex m_mutex;
    std::string m_lastRequest;
};

} // namespace proxytest
