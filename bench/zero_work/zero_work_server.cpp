// zero-work-server: answers every HTTP/1.1 request on a keep-alive connection with one fixed,
// precomputed response (a captured forecast-api /predict answer), doing nothing else: no
// parsing beyond finding where each request ends, no routing, no forecast, no metrics, no
// timeouts. One thread, one epoll loop. bench/server runs it beside forecast-api to show how
// close /predict comes to the fastest any server could answer with the same bytes on the same
// machine, with wrk on the same cores. A benchmark tool, not a server: never expose it.
//
// Usage: zero-work-server PORT BODY_FILE

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace {

struct Connection {
    int fd;
    std::string pending; // bytes of a request not yet complete
};

// Length of the first complete request in `data`, or 0 when more bytes are needed.
std::size_t completeRequest(std::string_view data) {
    const auto headerEnd = data.find("\r\n\r\n");
    if (headerEnd == std::string_view::npos) {
        return 0;
    }
    std::size_t bodyLength = 0;
    const std::string_view head = data.substr(0, headerEnd);
    for (std::size_t at = head.find("\r\n"); at != std::string_view::npos;
         at = head.find("\r\n", at + 2)) {
        const std::string_view line = head.substr(at + 2, head.find("\r\n", at + 2) - at - 2);
        constexpr std::string_view kName = "content-length:";
        if (line.size() > kName.size() &&
            strncasecmp(line.data(), kName.data(), kName.size()) == 0) {
            // No allocation here: the ceiling must not pay for work forecast-api does not do.
            std::string_view value = line.substr(kName.size());
            while (!value.empty() && value.front() == ' ') {
                value.remove_prefix(1);
            }
            std::from_chars(value.data(), value.data() + value.size(), bodyLength);
        }
    }
    const std::size_t total = headerEnd + 4 + bodyLength;
    return data.size() >= total ? total : 0;
}

bool sendAll(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false; // a benchmark client that stops reading is dropped
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

} // namespace

int main(int argc, char **argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: zero-work-server PORT BODY_FILE\n");
        return 2;
    }
    std::ifstream file(argv[2], std::ios::binary);
    const std::string body((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    if (!file.good() && !file.eof()) {
        std::fprintf(stderr, "zero-work-server: cannot read %s\n", argv[2]);
        return 2;
    }
    const std::string response = "HTTP/1.1 200 OK\r\nServer: zero-work\r\nDate: Thu, 01 Jan 2026 "
                                 "00:00:00 GMT\r\nContent-Type: application/json\r\n"
                                 "Content-Length: " +
                                 std::to_string(body.size()) + "\r\n\r\n" + body;

    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    const int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(std::atoi(argv[1])));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::listen(listener, 1024) != 0) {
        std::fprintf(stderr, "zero-work-server: cannot listen on 127.0.0.1:%s: %s\n", argv[1],
                     std::strerror(errno));
        return 1;
    }
    const int poller = epoll_create1(0);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = nullptr; // the listener
    epoll_ctl(poller, EPOLL_CTL_ADD, listener, &event);

    epoll_event ready[256];
    char buffer[65536];
    for (;;) {
        const int count = epoll_wait(poller, ready, 256, -1);
        for (int i = 0; i < count; ++i) {
            auto *connection = static_cast<Connection *>(ready[i].data.ptr);
            if (connection == nullptr) {
                for (;;) {
                    const int fd = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
                    if (fd < 0) {
                        break;
                    }
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    epoll_event added{};
                    added.events = EPOLLIN;
                    added.data.ptr = new Connection{fd, {}};
                    epoll_ctl(poller, EPOLL_CTL_ADD, fd, &added);
                }
                continue;
            }
            const ssize_t n = ::recv(connection->fd, buffer, sizeof buffer, 0);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                continue;
            }
            bool open = n > 0;
            if (open) {
                connection->pending.append(buffer, static_cast<std::size_t>(n));
                while (open) {
                    const std::size_t used = completeRequest(connection->pending);
                    if (used == 0) {
                        break;
                    }
                    connection->pending.erase(0, used);
                    open = sendAll(connection->fd, response);
                }
            }
            if (!open) {
                ::close(connection->fd); // also leaves the epoll set
                delete connection;
            }
        }
    }
}
