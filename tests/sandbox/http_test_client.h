#pragma once
// A small blocking HTTPS/1.1 client for the HTTP tests, on plain OpenSSL (no Beast, so the
// tests compile fast): verifies the server certificate against a CA PEM, sends one request
// per call on a kept-alive connection, and decodes Content-Length and chunked bodies.
// Streams (watch, follow) are read incrementally with readSome().

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace testing_http {

struct Response {
    int status = 0;
    std::multimap<std::string, std::string> headers; // lower-case names
    std::string body;
    std::string header(const std::string &name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

class Client {
public:
    Client(unsigned short port, const std::string &caPem, std::string token = {})
        : m_port(port)
        , m_caPem(caPem)
        , m_token(std::move(token)) {}
    ~Client() { close(); }
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    void setToken(std::string token) { m_token = std::move(token); }

    Response request(const std::string &method, const std::string &target,
                     const std::string &body = {},
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
        ensureConnected();
        send(method, target, body, headers);
        return readResponse();
    }

    // Starts a streamed request: reads the status line and headers only.
    Response startStream(const std::string &target,
                         std::vector<std::pair<std::string, std::string>> headers = {}) {
        ensureConnected();
        send("GET", target, {}, headers);
        Response r = readHead();
        m_chunked = r.header("transfer-encoding").find("chunked") != std::string::npos;
        return r;
    }

    // Reads stream data until `until` appears in what was read so far (or timeout, or end).
    // Returns the decoded body text read by this call.
    std::string readStreamUntil(const std::string &until, std::chrono::milliseconds timeout,
                                bool *ended = nullptr) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        std::string got;
        while (std::chrono::steady_clock::now() < deadline) {
            if (got.find(until) != std::string::npos && !until.empty()) {
                break;
            }
            std::string chunk;
            int state = readChunk(chunk, deadline);
            got += chunk;
            if (state == 0) {
                if (ended) {
                    *ended = true;
                }
                break;
            }
            if (state < 0) {
                break;
            }
        }
        return got;
    }

    void close() {
        if (m_ssl) {
            SSL_shutdown(m_ssl);
            SSL_free(m_ssl);
            m_ssl = nullptr;
        }
        if (m_ctx) {
            SSL_CTX_free(m_ctx);
            m_ctx = nullptr;
        }
        if (m_fd >= 0) {
            ::close(m_fd);
            m_fd = -1;
        }
        m_buffer.clear();
    }

private:
    unsigned short m_port;
    std::string m_caPem;
    std::string m_token;
    int m_fd = -1;
    SSL_CTX *m_ctx = nullptr;
    SSL *m_ssl = nullptr;
    std::string m_buffer;
    bool m_chunked = false;

    void ensureConnected() {
        if (m_ssl) {
            return;
        }
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(m_port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
            throw std::runtime_error("connect failed");
        }
        m_ctx = SSL_CTX_new(TLS_client_method());
        BIO *bio = BIO_new_mem_buf(m_caPem.data(), static_cast<int>(m_caPem.size()));
        X509 *ca = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
        BIO_free(bio);
        if (!ca) {
            throw std::runtime_error("bad CA PEM");
        }
        X509_STORE_add_cert(SSL_CTX_get_cert_store(m_ctx), ca);
        X509_free(ca);
        SSL_CTX_set_verify(m_ctx, SSL_VERIFY_PEER, nullptr);
        m_ssl = SSL_new(m_ctx);
        SSL_set_fd(m_ssl, m_fd);
        // Check the certificate names 127.0.0.1 as kubectl (Go) does.
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(m_ssl), "127.0.0.1");
        if (SSL_connect(m_ssl) != 1) {
            unsigned long e = ERR_get_error();
            char text[256];
            ERR_error_string_n(e, text, sizeof text);
            throw std::runtime_error(std::string("TLS handshake failed: ") + text);
        }
    }

    void send(const std::string &method, const std::string &target, const std::string &body,
              const std::vector<std::pair<std::string, std::string>> &headers) {
        std::string req = method + " " + target +
                          " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(m_port) + "\r\n";
        bool hasAccept = false;
        for (const auto &[k, v] : headers) {
            req += k + ": " + v + "\r\n";
            std::string lower = k;
            std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
            hasAccept = hasAccept || lower == "accept";
        }
        if (!hasAccept) {
            req += "Accept: application/json\r\n";
        }
        if (!m_token.empty()) {
            req += "Authorization: Bearer " + m_token + "\r\n";
        }
        if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
            req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        }
        req += "\r\n" + body;
        if (SSL_write(m_ssl, req.data(), static_cast<int>(req.size())) <= 0) {
            throw std::runtime_error("write failed");
        }
    }

    // 1 data, 0 end of stream, -1 timeout.
    int fill(std::chrono::steady_clock::time_point deadline) {
        if (SSL_pending(m_ssl) == 0) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            pollfd p{m_fd, POLLIN, 0};
            if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
                return -1;
            }
        }
        char data[16384];
        int n = SSL_read(m_ssl, data, sizeof data);
        if (n <= 0) {
            int err = SSL_get_error(m_ssl, n);
            if (err == SSL_ERROR_WANT_READ) {
                return 1;
            }
            return 0;
        }
        m_buffer.append(data, static_cast<std::size_t>(n));
        return 1;
    }

    std::chrono::steady_clock::time_point defaultDeadline() {
        return std::chrono::steady_clock::now() + std::chrono::seconds(60);
    }

    bool readLine(std::string &line, std::chrono::steady_clock::time_point deadline) {
        for (;;) {
            auto pos = m_buffer.find("\r\n");
            if (pos != std::string::npos) {
                line = m_buffer.substr(0, pos);
                m_buffer.erase(0, pos + 2);
                return true;
            }
            if (fill(deadline) <= 0) {
                return false;
            }
        }
    }

    Response readHead() {
        Response r;
        std::string line;
        auto deadline = defaultDeadline();
        if (!readLine(line, deadline)) {
            throw std::runtime_error("no response");
        }
        r.status = std::stoi(line.substr(9, 3));
        while (readLine(line, deadline) && !line.empty()) {
            auto colon = line.find(':');
            std::string name = line.substr(0, colon);
            std::transform(name.begin(), name.end(), name.begin(), ::tolower);
            std::string value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') {
                value.erase(0, 1);
            }
            r.headers.emplace(name, value);
        }
        return r;
    }

    // For chunked streams: 1 got a chunk, 0 last chunk/closed, -1 timeout.
    int readChunk(std::string &out, std::chrono::steady_clock::time_point deadline) {
        if (!m_chunked) {
            if (m_buffer.empty()) {
                int f = fill(deadline);
                if (f <= 0) {
                    return f;
                }
            }
            out += m_buffer;
            m_buffer.clear();
            return 1;
        }
        std::string sizeLine;
        if (!readLine(sizeLine, deadline)) {
            return std::chrono::steady_clock::now() >= deadline ? -1 : 0;
        }
        std::size_t size = std::stoul(sizeLine, nullptr, 16);
        while (m_buffer.size() < size + 2) {
            int f = fill(deadline);
            if (f <= 0) {
                return f;
            }
        }
        out += m_buffer.substr(0, size);
        m_buffer.erase(0, size + 2);
        return size == 0 ? 0 : 1;
    }

    Response readResponse() {
        Response r = readHead();
        auto deadline = defaultDeadline();
        if (r.header("transfer-encoding").find("chunked") != std::string::npos) {
            m_chunked = true;
            std::string chunk;
            while (readChunk(chunk, deadline) == 1) {
            }
            r.body = chunk;
        } else if (auto length = r.header("content-length"); !length.empty()) {
            std::size_t n = std::stoul(length);
            while (m_buffer.size() < n && fill(deadline) > 0) {
            }
            r.body = m_buffer.substr(0, n);
            m_buffer.erase(0, std::min(n, m_buffer.size()));
        }
        if (r.header("connection") == "close") {
            close();
        }
        return r;
    }
};

} // namespace testing_http
