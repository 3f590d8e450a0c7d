#pragma once
// Helpers for the forecast-api tests: a small in-process model written to a temp dir, the
// forecast-api binary as a child process (its JSON log lines captured), and a raw-socket
// HTTP/1.1 client that can also send malformed or slow requests.

#include "model/forecast_model.h"

#include <boost/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

extern char **environ;

namespace apitest {

using namespace std::chrono_literals;
using Env = std::map<std::string, std::string>;

class TempDir {
public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "forecast-api-test-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    std::string file(const std::string &name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

// A model with stores "1".."2" x items "1".."3" plus store "3" item "17"; `level` shifts
// every forecast so two models are told apart by their numbers as well as their version.
inline forecast::Model makeModel(const std::string &version, double level = 50.0) {
    using namespace std::chrono;
    forecast::Model model;
    model.version = version;
    model.trainedAt = "2026-01-01T00:00:00Z";
    model.windowStart = sys_days{year{2021} / 1 / 1};
    model.windowEnd = sys_days{year{2025} / 12 / 31};
    model.holdoutDays = 28;
    model.overall = {0.8, 20.0, 0.8, 1.2, 30.0};
    std::vector<forecast::SeriesModel> series;
    auto add = [&](std::string store, std::string item) {
        forecast::SeriesModel s;
        s.store = std::move(store);
        s.item = std::move(item);
        s.params = {0.2, 0.01, 0.1, 0.9};
        s.state.level = level;
        s.state.trend = 0.5;
        s.state.season = {1, 2, 3, 4, 5, -7, -8};
        s.sigma = 2.0;
        s.firstDate = model.windowStart;
        s.lastDate = model.windowEnd;
        s.holdout = {0.8, 20.0, 0.8, 1.2, 30.0};
        series.push_back(std::move(s));
    };
    for (const char *store : {"1", "2"}) {
        for (const char *item : {"1", "2", "3"}) {
            add(store, item);
        }
    }
    add("3", "17");
    add("north", "widget");
    model.setSeries(std::move(series));
    return model;
}

inline void writeModel(const std::string &path, const std::string &version, double level = 50.0) {
    auto saved = makeModel(version, level).save(path);
    if (!saved) {
        throw std::runtime_error(saved.message());
    }
}

// Polls `condition` until it holds or `timeout` passes (no fixed sleeps in tests).
inline bool waitUntil(const std::function<bool()> &condition,
                      std::chrono::milliseconds timeout = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(20ms);
    }
    return condition();
}

inline std::string binary(const char *name) {
    return std::string(RF_BIN_DIR) + "/" + name;
}

// forecast-api as a child process with its own environment.
class ServerProcess {
public:
    explicit ServerProcess(std::map<std::string, std::string> env,
                           std::string exe = binary("forecast-api")) {
        int out[2];
        if (pipe(out) != 0) {
            throw std::runtime_error("pipe failed");
        }
        std::vector<std::string> envStrings;
        for (char **e = environ; *e != nullptr; ++e) {
            const std::string entry(*e);
            const auto name = entry.substr(0, entry.find('='));
            if (!env.contains(name)) {
                envStrings.push_back(entry);
            }
        }
        for (const auto &[k, v] : env) {
            envStrings.push_back(k + "=" + v);
        }
        std::vector<char *> envp;
        for (auto &s : envStrings) {
            envp.push_back(s.data());
        }
        envp.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        posix_spawn_file_actions_adddup2(&actions, out[1], 2);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        char *argv[] = {exe.data(), nullptr};
        const int rc = posix_spawn(&m_pid, exe.c_str(), &actions, nullptr, argv, envp.data());
        posix_spawn_file_actions_destroy(&actions);
        close(out[1]);
        if (rc != 0) {
            close(out[0]);
            throw std::runtime_error("cannot start " + exe);
        }
        m_reader = std::thread([this, fd = out[0]] { readOutput(fd); });
    }

    ~ServerProcess() {
        if (!m_exitCode) {
            kill(m_pid, SIGKILL);
            waitExit(10s);
        }
        if (m_reader.joinable()) {
            m_reader.join();
        }
    }
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    // The port from the "listening" log line (PORT=0 lets the server pick one).
    int port() {
        int port = 0;
        waitForLog([&](const boost::json::object &line) {
            const auto *m = line.if_contains("msg");
            if (m != nullptr && m->is_string() && m->get_string() == "listening") {
                port = static_cast<int>(line.at("port").as_int64());
                return true;
            }
            return false;
        });
        return port;
    }

    // Waits until a JSON log line satisfies `match`; false on timeout or exit.
    bool waitForLog(const std::function<bool(const boost::json::object &)> &match,
                    std::chrono::milliseconds timeout = 30s) {
        std::unique_lock lock(m_mutex);
        std::size_t checked = 0;
        bool found = false;
        m_changed.wait_for(lock, timeout, [&] {
            for (; checked < m_lines.size() && !found; ++checked) {
                boost::system::error_code ec;
                const auto value = boost::json::parse(m_lines[checked], ec);
                found = !ec && value.is_object() && match(value.as_object());
            }
            return found || m_eof;
        });
        return found;
    }

    bool waitForMessage(const std::string &msg, std::chrono::milliseconds timeout = 30s) {
        return waitForLog(
            [&](const boost::json::object &line) {
                const auto *m = line.if_contains("msg");
                return m != nullptr && m->is_string() && m->get_string() == msg;
            },
            timeout);
    }

    std::string output() const {
        std::lock_guard lock(m_mutex);
        std::string all;
        for (const auto &line : m_lines) {
            all += line + "\n";
        }
        return all;
    }

    std::vector<std::string> lines() const {
        std::lock_guard lock(m_mutex);
        return m_lines;
    }

    void signal(int sig) { kill(m_pid, sig); }

    // The exit code, or -(signal) when killed; nullopt on timeout.
    std::optional<int> waitExit(std::chrono::milliseconds timeout = 30s) {
        if (m_exitCode) {
            return m_exitCode;
        }
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            const pid_t r = waitpid(m_pid, &status, WNOHANG);
            if (r == m_pid) {
                m_exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
                if (m_reader.joinable()) {
                    m_reader.join(); // all output is read once the pipe reports EOF
                }
                return m_exitCode;
            }
            std::this_thread::sleep_for(10ms);
        }
        return std::nullopt;
    }

private:
    void readOutput(int fd) {
        std::string pending;
        char buf[4096];
        for (;;) {
            const ssize_t n = read(fd, buf, sizeof buf);
            if (n <= 0) {
                break;
            }
            pending.append(buf, static_cast<std::size_t>(n));
            std::size_t nl;
            while ((nl = pending.find('\n')) != std::string::npos) {
                std::lock_guard lock(m_mutex);
                m_lines.push_back(pending.substr(0, nl));
                pending.erase(0, nl + 1);
                m_changed.notify_all();
            }
        }
        close(fd);
        std::lock_guard lock(m_mutex);
        if (!pending.empty()) {
            m_lines.push_back(pending);
        }
        m_eof = true;
        m_changed.notify_all();
    }

    pid_t m_pid = -1;
    std::optional<int> m_exitCode;
    std::thread m_reader;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<std::string> m_lines;
    bool m_eof = false;
};

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers; // lower-case names
    std::string body;

    std::string header(const std::string &name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
    boost::json::value json() const { return boost::json::parse(body); }
    std::string errorCode() const { return std::string(json().at("error").at("code").as_string()); }
};

// One TCP connection; requests on it reuse the connection (keep-alive).
class HttpClient {
public:
    explicit HttpClient(int port) {
        m_fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
            close(m_fd);
            m_fd = -1;
            throw std::runtime_error("connect to port " + std::to_string(port) + " failed");
        }
        int one = 1;
        setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    ~HttpClient() {
        if (m_fd >= 0) {
            close(m_fd);
        }
    }
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    void sendRaw(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) {
                throw std::runtime_error("send failed");
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    static std::string format(const std::string &method, const std::string &target,
                              const std::string &body, const std::string &contentType,
                              const std::vector<std::string> &extraHeaders = {}) {
        std::string req = method + " " + target + " HTTP/1.1\r\nHost: test\r\n";
        if (!contentType.empty()) {
            req += "Content-Type: " + contentType + "\r\n";
        }
        if (method == "POST" || !body.empty()) {
            req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        }
        for (const auto &h : extraHeaders) {
            req += h + "\r\n";
        }
        return req + "\r\n" + body;
    }

    HttpResponse request(const std::string &method, const std::string &target,
                         const std::string &body = "",
                         const std::string &contentType = "application/json",
                         const std::vector<std::string> &extraHeaders = {}) {
        sendRaw(format(method, target, body, method == "POST" ? contentType : "", extraHeaders));
        return readResponse();
    }
    HttpResponse get(const std::string &target) { return request("GET", target); }
    HttpResponse post(const std::string &target, const std::string &body) {
        return request("POST", target, body);
    }

    // Reads one response; throws if the connection closes first or nothing arrives in time.
    HttpResponse readResponse(std::chrono::milliseconds timeout = 30s) {
        HttpResponse r;
        std::size_t headerEnd;
        while ((headerEnd = m_buffer.find("\r\n\r\n")) == std::string::npos) {
            fill(timeout);
        }
        const std::string head = m_buffer.substr(0, headerEnd);
        m_buffer.erase(0, headerEnd + 4);
        std::size_t lineEnd = head.find("\r\n");
        const std::string statusLine = head.substr(0, lineEnd);
        r.status = std::stoi(statusLine.substr(9, 3));
        while (lineEnd != std::string::npos) {
            const std::size_t next = head.find("\r\n", lineEnd + 2);
            const std::string line = head.substr(
                lineEnd + 2, next == std::string::npos ? std::string::npos : next - lineEnd - 2);
            const auto colon = line.find(':');
            if (colon != std::string::npos) {
                std::string name = line.substr(0, colon);
                std::transform(name.begin(), name.end(), name.begin(), ::tolower);
                std::string value = line.substr(colon + 1);
                value.erase(0, value.find_first_not_of(' '));
                r.headers[name] = value;
            }
            lineEnd = next;
        }
        const std::size_t length =
            std::stoul(r.header("content-length").empty() ? "0" : r.header("content-length"));
        while (m_buffer.size() < length) {
            fill(timeout);
        }
        r.body = m_buffer.substr(0, length);
        m_buffer.erase(0, length);
        return r;
    }

    // True when the server closed the connection (EOF) within `timeout`.
    bool closedByServer(std::chrono::milliseconds timeout = 30s) {
        try {
            for (;;) {
                fill(timeout);
            }
        } catch (const std::runtime_error &) {
            return m_eof;
        }
    }

private:
    void fill(std::chrono::milliseconds timeout) {
        pollfd p{m_fd, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
            throw std::runtime_error("timed out waiting for the server");
        }
        char buf[65536];
        const ssize_t n = recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0) {
            m_eof = true;
            throw std::runtime_error("connection closed by the server");
        }
        m_buffer.append(buf, static_cast<std::size_t>(n));
    }

    int m_fd = -1;
    std::string m_buffer;
    bool m_eof = false;
};

inline std::string predictBody(const std::string &store, const std::string &item,
                               int horizon = 28) {
    return "{\"store\":\"" + store + "\",\"item\":\"" + item +
           "\",\"horizon\":" + std::to_string(horizon) + "}";
}

// Starts forecast-api on a free port with a fresh model and waits until it is ready.
struct RunningServer {
    TempDir dir;
    std::string modelPath = dir.file("model.json");
    std::unique_ptr<ServerProcess> process;
    int port = 0;

    explicit RunningServer(std::map<std::string, std::string> env = {},
                           const std::string &version = "test-v1") {
        writeModel(modelPath, version);
        env.emplace("MODEL_PATH", modelPath);
        env.emplace("PORT", "0");
        env.emplace("HOST", "127.0.0.1");
        env.emplace("WORKERS", "2");
        process = std::make_unique<ServerProcess>(env);
        port = process->port();
        if (port == 0 || !process->waitForMessage("ready")) {
            throw std::runtime_error("forecast-api did not start:\n" + process->output());
        }
    }
};

} // namespace apitest
