#pragma once
// One sandbox per state directory: `up` holds an exclusive flock on DIR/sandbox.pid for
// its whole life and records where it listens in DIR/sandbox.json; `status` and `down`
// find the running instance from those two files. A crashed sandbox leaves the files but
// not the lock, so it never looks alive.

#include <rf/result.h>

#include <filesystem>
#include <optional>
#include <string>

namespace sandbox {

struct InstanceInfo {
    long pid = 0;
    unsigned short port = 0;
    std::string server;     // https://127.0.0.1:PORT
    std::string kubeconfig; // path
    std::string startedAt;  // RFC 3339
};

class InstanceLock final {
public:
    InstanceLock() = default;
    ~InstanceLock();
    InstanceLock(const InstanceLock &) = delete;
    InstanceLock &operator=(const InstanceLock &) = delete;

    // Takes the lock; fails with "already running (pid N) on https://..." when held.
    rf::Status acquire(const std::filesystem::path &stateDir);
    // Records the listening address (after the server started).
    rf::Status publish(const InstanceInfo &info);
    // Drops the lock and removes the files.
    void release();

private:
    std::filesystem::path m_dir;
    int m_fd = -1;
};

// The running instance of stateDir, or nullopt when none holds the lock.
std::optional<InstanceInfo> findRunningInstance(const std::filesystem::path &stateDir);

} // namespace sandbox
