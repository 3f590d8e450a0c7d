#include "cli/instance_lock.h"

#include "cli/secure_files.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace sandbox {

namespace {

std::optional<InstanceInfo> readInfo(const std::filesystem::path &stateDir) {
    auto text = readFile(stateDir / "sandbox.json");
    if (!text.ok()) {
        return std::nullopt;
    }
    boost::json::error_code ec;
    auto value = boost::json::parse(text.value(), ec);
    if (ec || !value.is_object()) {
        return std::nullopt;
    }
    const auto &o = value.get_object();
    InstanceInfo info;
    if (const auto *p = o.if_contains("pid"); p && p->is_int64()) {
        info.pid = static_cast<long>(p->get_int64());
    }
    if (const auto *p = o.if_contains("port"); p && p->is_int64()) {
        info.port = static_cast<unsigned short>(p->get_int64());
    }
    for (auto [key, target] :
         {std::pair{"server", &info.server}, std::pair{"kubeconfig", &info.kubeconfig},
          std::pair{"startedAt", &info.startedAt}}) {
        if (const auto *p = o.if_contains(key); p && p->is_string()) {
            *target = std::string(p->get_string());
        }
    }
    return info;
}

} // namespace

InstanceLock::~InstanceLock() {
    release();
}

rf::Status InstanceLock::acquire(const std::filesystem::path &stateDir) {
    if (auto dir = ensurePrivateDirectory(stateDir); !dir.ok()) {
        return dir;
    }
    const auto pidPath = stateDir / "sandbox.pid";
    int fd = ::open(pidPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return rf::fail("cannot open " + pidPath.string() + ": " + std::strerror(errno));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        auto info = readInfo(stateDir);
        std::string where = info && !info->server.empty() ? " on " + info->server : "";
        std::string pid = info ? " (pid " + std::to_string(info->pid) + ")" : "";
        return rf::fail("a forecast-sandbox is already running for " + stateDir.string() + pid +
                        where + "; stop it with `forecast-sandbox down --state-dir " +
                        stateDir.string() + "`");
    }
    std::string text = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) < 0) {
        ::close(fd);
        return rf::fail("cannot write " + pidPath.string() + ": " + std::strerror(errno));
    }
    m_fd = fd;
    m_dir = stateDir;
    return rf::ok();
}

rf::Status InstanceLock::publish(const InstanceInfo &info) {
    boost::json::object o{{"pid", static_cast<std::int64_t>(info.pid)},
                          {"port", static_cast<std::int64_t>(info.port)},
                          {"server", info.server},
                          {"kubeconfig", info.kubeconfig},
                          {"startedAt", info.startedAt}};
    return writeFileAtomic(m_dir / "sandbox.json", boost::json::serialize(o) + "\n", 0644);
}

void InstanceLock::release() {
    if (m_fd < 0) {
        return;
    }
    std::error_code ec;
    std::filesystem::remove(m_dir / "sandbox.json", ec);
    std::filesystem::remove(m_dir / "sandbox.pid", ec);
    ::flock(m_fd, LOCK_UN);
    ::close(m_fd);
    m_fd = -1;
}

std::optional<InstanceInfo> findRunningInstance(const std::filesystem::path &stateDir) {
    const auto pidPath = stateDir / "sandbox.pid";
    int fd = ::open(pidPath.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    // If we can take the lock, nobody holds it: no sandbox runs (maybe a crashed one).
    if (::flock(fd, LOCK_SH | LOCK_NB) == 0) {
        ::flock(fd, LOCK_UN);
        ::close(fd);
        return std::nullopt;
    }
    char buffer[32] = {};
    ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    ::close(fd);
    auto info = readInfo(stateDir);
    if (!info) {
        info = InstanceInfo{};
    }
    if (n > 0) {
        info->pid = std::strtol(buffer, nullptr, 10);
    }
    return info;
}

} // namespace sandbox
