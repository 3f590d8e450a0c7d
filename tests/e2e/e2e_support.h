#pragma once
// Fixture for end-to-end tests: runs real processes (forecast-sandbox, kubectl, curl) and
// hands out a kubeconfig. Tests read as a user's session at a terminal.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace e2e {

using namespace std::chrono_literals;

struct RunResult {
    int exitCode = -1;
    bool timedOut = false;
    std::string out;
    std::string err;
    bool ok() const { return exitCode == 0 && !timedOut; }
    // For assertion messages.
    std::string describe() const;
};

using Env = std::map<std::string, std::string>;

// Runs argv[0] (searched on PATH) with the current environment plus `env`, feeding
// `input` to stdin; kills it after `timeout`.
RunResult run(const std::vector<std::string> &argv, const Env &env = {},
              std::chrono::milliseconds timeout = 60s, const std::string &input = {});

std::optional<std::string> findOnPath(const std::string &name);
// build/bin/<name>, or $RF_E2E_BIN_DIR/<name> when that is set.
std::filesystem::path binPath(const std::string &name);
std::filesystem::path sourcePath(const std::string &rel); // repository root / rel

// Polls `condition` every `interval` until true or `timeout`; true when it held.
bool waitUntil(const std::function<bool()> &condition, std::chrono::milliseconds timeout,
               std::chrono::milliseconds interval = 200ms);

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::filesystem::path &path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

bool kubectlAvailable();

// A command left running (e.g. `kubectl get -w`) while the test acts; its stdout and stderr
// go to a file readable at any time. Killed (its whole process group) by stop() or on
// destruction.
class BackgroundProcess {
public:
    explicit BackgroundProcess(const std::vector<std::string> &argv, const Env &env = {});
    ~BackgroundProcess();
    BackgroundProcess(const BackgroundProcess &) = delete;
    BackgroundProcess &operator=(const BackgroundProcess &) = delete;

    std::string output() const; // everything written so far
    void stop();

private:
    TempDir m_dir;
    int m_pid = -1;
};

// A loopback address 127.0.0.N (N in 2..254) on which `port` can be bound right now, chosen
// at random so sandboxes of tests running in parallel get different node IPs; empty when
// none was found.
std::string freeLoopbackAddress(std::uint16_t port);

// A forecast-sandbox process with its own state directory.
class Sandbox {
public:
    struct Options {
        double timeScale = 20.0;
        std::string imagesFile;
        // Passed as `--node-ip` when set: the node's InternalIP, where NodePorts listen.
        std::string nodeIp;
    };
    Sandbox();
    explicit Sandbox(Options options);
    ~Sandbox();
    Sandbox(const Sandbox &) = delete;
    Sandbox &operator=(const Sandbox &) = delete;

    // Starts (or restarts, keeping the state dir) and waits until the API answers.
    bool start();
    void stop();  // SIGTERM, then SIGKILL after a grace period
    void kill9(); // crash it
    bool running() const { return m_pid > 0; }

    const std::string &startError() const { return m_startError; }
    const Options &options() const { return m_options; }
    // The node's InternalIP as the API reports it (Node status.addresses); empty on error.
    std::string nodeInternalIp() const;
    std::filesystem::path kubeconfig() const { return m_state.path() / "kubeconfig"; }
    std::filesystem::path stateDir() const { return m_state.path() / "state"; }
    std::string log() const;

    // kubectl ... left running, e.g. a watch.
    std::unique_ptr<BackgroundProcess>
    kubectlBackground(const std::vector<std::string> &args) const;
    // kubectl with this sandbox's kubeconfig and a private discovery cache.
    RunResult kubectl(const std::vector<std::string> &args, std::chrono::milliseconds timeout = 60s,
                      const std::string &input = {}) const;
    // kubectl ... that must succeed: returns stdout, records a test failure otherwise.
    std::string kubectlOk(const std::vector<std::string> &args,
                          std::chrono::milliseconds timeout = 60s) const;

private:
    Options m_options;
    TempDir m_state;
    int m_pid = -1;
    std::string m_startError;
};

} // namespace e2e

// Skips (visibly) when kubectl is not installed: never a silent pass.
#define E2E_REQUIRE_KUBECTL()                                                                      \
    do {                                                                                           \
        if (!e2e::kubectlAvailable()) {                                                            \
            GTEST_SKIP()                                                                           \
                << "kubectl not found on PATH; this end-to-end test needs a real kubectl";         \
        }                                                                                          \
    } while (false)

// Starts a sandbox for the test or fails it with the sandbox's own log.
#define E2E_START_SANDBOX(sandbox)                                                                 \
    ASSERT_TRUE((sandbox).start()) << (sandbox).startError() << "\n--- sandbox log ---\n"          \
                                   << (sandbox).log()
