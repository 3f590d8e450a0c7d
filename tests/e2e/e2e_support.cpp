#include "e2e_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

extern char **environ;

namespace e2e {

namespace fs = std::filesystem;

std::string RunResult::describe() const {
    std::ostringstream text;
    text << "exit code " << exitCode << (timedOut ? " (timed out)" : "") << "\n--- stdout ---\n"
         << out << "\n--- stderr ---\n"
         << err;
    return text.str();
}

namespace {

std::vector<std::string> mergedEnvironment(const Env &extra) {
    std::map<std::string, std::string> all;
    for (char **entry = environ; *entry != nullptr; ++entry) {
        std::string line(*entry);
        const auto eq = line.find('=');
        if (eq != std::string::npos) {
            all[line.substr(0, eq)] = line.substr(eq + 1);
        }
    }
    for (const auto &[key, value] : extra) {
        all[key] = value;
    }
    std::vector<std::string> out;
    out.reserve(all.size());
    for (const auto &[key, value] : all) {
        out.push_back(key + "=" + value);
    }
    return out;
}

std::vector<char *> cArgs(std::vector<std::string> &strings) {
    std::vector<char *> out;
    out.reserve(strings.size() + 1);
    for (auto &s : strings) {
        out.push_back(s.data());
    }
    out.push_back(nullptr);
    return out;
}

// Child side of fork: wire fds and exec; never returns.
[[noreturn]] void execChild(std::vector<std::string> argv, std::vector<std::string> env,
                            int stdinFd, int stdoutFd, int stderrFd) {
    dup2(stdinFd, 0);
    dup2(stdoutFd, 1);
    dup2(stderrFd, 2);
    setpgid(0, 0);
    auto args = cArgs(argv);
    auto envp = cArgs(env);
    execvpe(args[0], args.data(), envp.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
}

int exitCodeOf(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return -1;
}

} // namespace

RunResult run(const std::vector<std::string> &argv, const Env &env,
              std::chrono::milliseconds timeout, const std::string &input) {
    RunResult result;
    int inPipe[2], outPipe[2], errPipe[2];
    if (pipe2(inPipe, O_CLOEXEC) != 0 || pipe2(outPipe, O_CLOEXEC) != 0 ||
        pipe2(errPipe, O_CLOEXEC) != 0) {
        result.err = "pipe failed";
        return result;
    }
    auto environment = mergedEnvironment(env);
    const pid_t pid = fork();
    if (pid == 0) {
        execChild(argv, environment, inPipe[0], outPipe[1], errPipe[1]);
    }
    close(inPipe[0]);
    close(outPipe[1]);
    close(errPipe[1]);
    if (!input.empty()) {
        // Inputs are small manifests: they fit the pipe buffer.
        [[maybe_unused]] auto written = write(inPipe[1], input.data(), input.size());
    }
    close(inPipe[1]);

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::array<pollfd, 2> fds{pollfd{outPipe[0], POLLIN, 0}, pollfd{errPipe[0], POLLIN, 0}};
    int open = 2;
    char buffer[8192];
    while (open > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timedOut = true;
            kill(-pid, SIGKILL);
            break;
        }
        if (poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) {
            break;
        }
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
                continue;
            }
            const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
            } else {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    for (auto &f : fds) {
        if (f.fd >= 0) {
            close(f.fd);
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    result.exitCode = exitCodeOf(status);
    return result;
}

std::optional<std::string> findOnPath(const std::string &name) {
    const char *path = std::getenv("PATH");
    if (path == nullptr) {
        return std::nullopt;
    }
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const fs::path candidate = fs::path(dir) / name;
        if (access(candidate.c_str(), X_OK) == 0) {
            return candidate.string();
        }
    }
    return std::nullopt;
}

fs::path binPath(const std::string &name) {
    // RF_E2E_BIN_DIR runs the suites against binaries built elsewhere (an install, another
    // build type) without rebuilding the tests.
    if (const char *dir = std::getenv("RF_E2E_BIN_DIR"); dir != nullptr && *dir != '\0') {
        return fs::path(dir) / name;
    }
    return fs::path(RF_BIN_DIR) / name;
}
fs::path sourcePath(const std::string &rel) {
    return fs::path(RF_SOURCE_DIR) / rel;
}

bool waitUntil(const std::function<bool()> &condition, std::chrono::milliseconds timeout,
               std::chrono::milliseconds interval) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (condition()) {
            return true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(interval);
    }
}

TempDir::TempDir() {
    std::string pattern = (fs::temp_directory_path() / "rf-e2e-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    fs::remove_all(m_path, ignored);
}

bool kubectlAvailable() {
    return findOnPath("kubectl").has_value();
}

std::string freeLoopbackAddress(std::uint16_t port) {
    std::random_device seed;
    std::mt19937 random(seed());
    std::uniform_int_distribution<int> lastOctet(2, 254);
    for (int attempt = 0; attempt < 64; ++attempt) {
        const std::string address = "127.0.0." + std::to_string(lastOctet(random));
        const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return {};
        }
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
        // No SO_REUSEADDR: a port in TIME_WAIT from an earlier test counts as taken too.
        const bool free = bind(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) == 0;
        close(fd);
        if (free) {
            return address;
        }
    }
    return {};
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string> &argv, const Env &env) {
    const fs::path out = m_dir.path() / "output";
    const int outFd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int nullFd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    auto environment = mergedEnvironment(env);
    const pid_t pid = fork();
    if (pid == 0) {
        execChild(argv, environment, nullFd, outFd, outFd);
    }
    close(outFd);
    close(nullFd);
    m_pid = pid;
}

BackgroundProcess::~BackgroundProcess() {
    stop();
}

void BackgroundProcess::stop() {
    if (m_pid <= 0) {
        return;
    }
    kill(-m_pid, SIGKILL);
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = -1;
}

std::string BackgroundProcess::output() const {
    std::ifstream in(m_dir.path() / "output");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

Sandbox::Sandbox()
    : Sandbox(Options{}) {}

Sandbox::Sandbox(Options options)
    : m_options(std::move(options)) {}

Sandbox::~Sandbox() {
    stop();
}

bool Sandbox::start() {
    m_startError.clear();
    const fs::path binary = binPath("forecast-sandbox");
    if (!fs::exists(binary)) {
        m_startError = "forecast-sandbox not built at " + binary.string();
        return false;
    }
    std::error_code ignored;
    fs::remove(kubeconfig(), ignored);
    fs::create_directories(stateDir());

    std::vector<std::string> argv{binary.string(),    "up",
                                  "--state-dir",      stateDir().string(),
                                  "--port",           "0",
                                  "--kubeconfig-out", kubeconfig().string(),
                                  "--time-scale",     std::to_string(m_options.timeScale)};
    if (!m_options.imagesFile.empty()) {
        argv.insert(argv.end(), {"--images", m_options.imagesFile});
    }
    if (!m_options.nodeIp.empty()) {
        argv.insert(argv.end(), {"--node-ip", m_options.nodeIp});
    }
    const fs::path logFile = m_state.path() / "sandbox.log";
    const int logFd = open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const int nullFd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    auto environment = mergedEnvironment({});
    const pid_t pid = fork();
    if (pid == 0) {
        execChild(argv, environment, nullFd, logFd, logFd);
    }
    close(logFd);
    close(nullFd);
    m_pid = pid;

    const bool ready = waitUntil(
        [&] {
            int status = 0;
            if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_startError = "forecast-sandbox exited with code " +
                               std::to_string(exitCodeOf(status)) + " during start";
                m_pid = -1;
                return true;
            }
            if (!fs::exists(kubeconfig())) {
                return false;
            }
            return kubectl({"get", "--raw", "/readyz"}, 10s).ok();
        },
        60s, 100ms);
    if (m_pid < 0) {
        return false;
    }
    if (!ready) {
        m_startError = "forecast-sandbox did not become ready within 60 s";
        stop();
        return false;
    }
    return true;
}

void Sandbox::stop() {
    if (m_pid <= 0) {
        return;
    }
    kill(m_pid, SIGTERM);
    int status = 0;
    const bool exited =
        waitUntil([&] { return waitpid(m_pid, &status, WNOHANG) == m_pid; }, 30s, 50ms);
    if (!exited) {
        kill(-m_pid, SIGKILL);
        kill(m_pid, SIGKILL);
        waitpid(m_pid, &status, 0);
    }
    m_pid = -1;
}

void Sandbox::kill9() {
    if (m_pid <= 0) {
        return;
    }
    kill(m_pid, SIGKILL);
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = -1;
}

std::string Sandbox::nodeInternalIp() const {
    auto result = kubectl({"get", "nodes", "-o",
                           "jsonpath={.items[0].status.addresses[?(@.type==\"InternalIP\")]"
                           ".address}"});
    return result.ok() ? result.out : std::string();
}

std::string Sandbox::log() const {
    std::ifstream in(m_state.path() / "sandbox.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

RunResult Sandbox::kubectl(const std::vector<std::string> &args, std::chrono::milliseconds timeout,
                           const std::string &input) const {
    std::vector<std::string> argv{"kubectl", "--kubeconfig", kubeconfig().string(), "--cache-dir",
                                  (m_state.path() / "kube-cache").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, {}, timeout, input);
}

std::unique_ptr<BackgroundProcess>
Sandbox::kubectlBackground(const std::vector<std::string> &args) const {
    std::vector<std::string> argv{"kubectl", "--kubeconfig", kubeconfig().string(), "--cache-dir",
                                  (m_state.path() / "kube-cache").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<BackgroundProcess>(argv);
}

std::string Sandbox::kubectlOk(const std::vector<std::string> &args,
                               std::chrono::milliseconds timeout) const {
    RunResult result = kubectl(args, timeout);
    std::string command = "kubectl";
    for (const auto &a : args) {
        command += " " + a;
    }
    EXPECT_TRUE(result.ok()) << command << "\n" << result.describe();
    return result.out;
}

} // namespace e2e
