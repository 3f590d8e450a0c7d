#include "sandbox_process.h"

#include <boost/beast/core/detail/base64.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace rf::bench {
namespace {

std::string trimValue(std::string value) {
    while (!value.empty() && (value.back() == '\r' || value.back() == ' '))
        value.pop_back();
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\''))
        value = value.substr(1, value.size() - 2);
    return value;
}

std::string base64Decode(const std::string &text) {
    namespace b64 = boost::beast::detail::base64;
    std::string out(b64::decoded_size(text.size()), '\0');
    auto [written, read] = b64::decode(out.data(), text.data(), text.size());
    (void)read;
    out.resize(written);
    return out;
}

} // namespace

std::optional<Endpoint> readKubeconfig(const std::string &path, std::string &error) {
    std::ifstream in(path);
    if (!in) {
        error = "cannot read kubeconfig " + path;
        return std::nullopt;
    }
    // The sandbox writes flat `key: value` lines; the first cluster and user are the ones.
    Endpoint endpoint;
    std::string caData;
    for (std::string line; std::getline(in, line);) {
        auto colon = line.find(": ");
        if (colon == std::string::npos)
            continue;
        std::string key = line.substr(0, colon);
        key.erase(0, key.find_first_not_of(" -"));
        std::string value = trimValue(line.substr(colon + 2));
        if (key == "server" && endpoint.server.empty())
            endpoint.server = value;
        else if (key == "certificate-authority-data" && caData.empty())
            caData = value;
        else if (key == "token" && endpoint.token.empty())
            endpoint.token = value;
    }
    if (endpoint.server.empty() || caData.empty() || endpoint.token.empty()) {
        error = "kubeconfig " + path + " lacks server, certificate-authority-data or token";
        return std::nullopt;
    }
    endpoint.caPem = base64Decode(caData);
    return endpoint;
}

Memory readMemory(pid_t pid) {
    Memory memory;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("VmRSS:", 0) == 0)
            memory.rssKb = std::atol(line.c_str() + 6);
        else if (line.rfind("VmHWM:", 0) == 0)
            memory.hwmKb = std::atol(line.c_str() + 6);
    }
    return memory;
}

double readCpuSeconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    auto close = stat.rfind(')');
    if (close == std::string::npos)
        return -1;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i)
        if (i >= 14)
            ticks += std::atof(field.c_str());
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

SandboxProcess::~SandboxProcess() {
    stop();
}

std::optional<std::string> SandboxProcess::start(const std::string &binary, int timeScale) {
    char pattern[] = "/tmp/rf-sandbox-bench.XXXXXX";
    if (!mkdtemp(pattern))
        return std::string("mkdtemp failed");
    m_stateDir = pattern;
    std::string kubeconfig = m_stateDir + "/kubeconfig";
    std::string log = m_stateDir + "/sandbox.log";
    std::string scale = std::to_string(timeScale);
    pid_t child = fork();
    if (child < 0)
        return std::string("fork failed");
    if (child == 0) {
        int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        std::string stateDir = m_stateDir + "/state";
        execl(binary.c_str(), binary.c_str(), "up", "--state-dir", stateDir.c_str(), "--port", "0",
              "--kubeconfig-out", kubeconfig.c_str(), "--time-scale", scale.c_str(),
              static_cast<char *>(nullptr));
        _exit(127);
    }
    m_pid = child;
    m_owned = true;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return "forecast-sandbox exited early; log: " + log;
        }
        std::string error;
        if (auto endpoint = readKubeconfig(kubeconfig, error)) {
            SyncClient client(*endpoint);
            if (client.request("GET", "/readyz").status == 200)
                return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "forecast-sandbox not ready after 60 s; log: " + log;
}

void SandboxProcess::stop() {
    if (!m_owned)
        return;
    m_owned = false;
    if (m_pid > 0) {
        kill(m_pid, SIGTERM);
        int status = 0;
        bool exited = false;
        for (int i = 0; i < 300 && !exited; ++i) {
            exited = waitpid(m_pid, &status, WNOHANG) == m_pid;
            if (!exited)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (!exited) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, &status, 0);
        }
        m_pid = -1;
    }
    std::error_code ignored;
    if (!std::getenv("KEEP_STATE"))
        std::filesystem::remove_all(m_stateDir, ignored);
}

} // namespace rf::bench
