#include "kubelet/container_process.h"

#include "kubelet/proc_stats.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sandbox {

namespace {

bool isExecutableFile(const std::string &path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
}

// The child's side between fork and exec: only async-signal-safe calls (the parent is
// multithreaded), every string prepared before the fork.
[[noreturn]] void runChild(pid_t parent, int deathSignal, int logFd, int nullFd, int errorPipe,
                           int maxFd, const char *dir, const char *path, char *const *argv,
                           char *const *envp) {
    auto fail = [errorPipe](int stage) {
        const int report[2] = {stage, errno};
        [[maybe_unused]] auto written = ::write(errorPipe, report, sizeof report);
        ::_exit(127);
    };
    ::setsid();
    // Die with the sandbox, even on SIGKILL; and if the sandbox died before this line the
    // signal would never come, so check the parent is still the one that forked.
    ::prctl(PR_SET_PDEATHSIG, deathSignal);
    if (::getppid() != parent) {
        ::_exit(137);
    }
    // The runtime's threads may block signals; a container starts with a clean mask.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction defaults {};
    defaults.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            ::sigaction(sig, &defaults, nullptr); // SIG_IGN (e.g. SIGPIPE) survives exec
        }
    }
    if (::dup2(nullFd, STDIN_FILENO) < 0 || ::dup2(logFd, STDOUT_FILENO) < 0 ||
        ::dup2(logFd, STDERR_FILENO) < 0) {
        fail(1);
    }
    // The sandbox's own descriptors (listening sockets, the store's files) must not leak
    // into containers: Asio does not open sockets close-on-exec. Everything above stderr is
    // closed at exec (the error pipe stays open until then).
    if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        for (int fd = 3; fd < maxFd; ++fd) {
            if (fd != errorPipe) {
                ::close(fd);
            }
        }
    }
    if (dir[0] != '\0' && ::chdir(dir) != 0) {
        fail(2);
    }
    ::execve(path, argv, envp);
    fail(3);
}

} // namespace

std::string findExecutable(const std::string &name, const std::string &pathVariable) {
    if (name.empty()) {
        return {};
    }
    if (name.find('/') != std::string::npos) {
        return isExecutableFile(name) ? name : std::string();
    }
    std::stringstream dirs(pathVariable);
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        if (isExecutableFile(candidate)) {
            return candidate;
        }
    }
    return {};
}

rf::Result<LaunchedProcess> launchProcess(const LaunchSpec &spec) {
    if (spec.argv.empty()) {
        return rf::fail("no command specified");
    }
    std::string pathVariable = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (const auto &entry : spec.env) {
        if (entry.rfind("PATH=", 0) == 0) {
            pathVariable = entry.substr(5);
        }
    }
    const std::string path = findExecutable(spec.argv[0], pathVariable);
    if (path.empty()) {
        if (spec.argv[0].find('/') != std::string::npos) {
            return rf::fail("exec: \"" + spec.argv[0] + "\": stat " + spec.argv[0] +
                            ": no such file or directory (or not executable)");
        }
        return rf::fail("exec: \"" + spec.argv[0] + "\": executable file not found in $PATH");
    }
    if (!spec.workingDir.empty()) {
        std::error_code ignored;
        if (!std::filesystem::is_directory(spec.workingDir, ignored)) {
            return rf::fail("chdir to cwd (\"" + spec.workingDir.string() +
                            "\") set in config.json failed: no such file or directory");
        }
    }

    std::vector<char *> argv;
    for (const auto &arg : spec.argv) {
        argv.push_back(const_cast<char *>(arg.c_str()));
    }
    argv.push_back(nullptr);
    std::vector<char *> envp;
    for (const auto &entry : spec.env) {
        envp.push_back(const_cast<char *>(entry.c_str()));
    }
    envp.push_back(nullptr);
    const std::string dir = spec.workingDir.string();

    const int logFd = ::open(spec.logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logFd < 0) {
        return rf::fail("cannot open the container log " + spec.logFile.string() + ": " +
                        std::strerror(errno));
    }
    const int nullFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int errorPipe[2];
    if (nullFd < 0 || ::pipe2(errorPipe, O_CLOEXEC) != 0) {
        const std::string why = std::strerror(errno);
        ::close(logFd);
        if (nullFd >= 0) {
            ::close(nullFd);
        }
        return rf::fail("cannot prepare the container process: " + why);
    }
    const int maxFd = static_cast<int>(std::min<long>(::sysconf(_SC_OPEN_MAX), 65536));
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(errorPipe[0]);
        runChild(parent, spec.deathSignal, logFd, nullFd, errorPipe[1], maxFd, dir.c_str(),
                 path.c_str(), argv.data(), envp.data());
    }
    const int forkErrno = errno;
    ::close(logFd);
    ::close(nullFd);
    ::close(errorPipe[1]);
    if (pid < 0) {
        ::close(errorPipe[0]);
        return rf::fail(std::string("fork: ") + std::strerror(forkErrno));
    }
    // The pipe closes on a successful exec (O_CLOEXEC) and carries {stage, errno} otherwise.
    int report[2] = {0, 0};
    ssize_t got;
    do {
        got = ::read(errorPipe[0], report, sizeof report);
    } while (got < 0 && errno == EINTR);
    ::close(errorPipe[0]);
    if (got == static_cast<ssize_t>(sizeof report)) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        const std::string why = std::strerror(report[1]);
        switch (report[0]) {
        case 2:
            return rf::fail("chdir to cwd (\"" + dir + "\") set in config.json failed: " + why);
        case 3:
            return rf::fail("exec: \"" + spec.argv[0] + "\": " + why);
        default:
            return rf::fail("cannot redirect the container's output: " + why);
        }
    }
    LaunchedProcess launched;
    launched.pid = pid;
    launched.startTicks = processStartTicks(pid).value_or(0);
    return launched;
}

std::optional<ProcessExit> reapChild(pid_t pid) {
    int status = 0;
    pid_t done;
    do {
        done = ::waitpid(pid, &status, WNOHANG);
    } while (done < 0 && errno == EINTR);
    if (done == 0) {
        return std::nullopt;
    }
    ProcessExit exit;
    if (done < 0) {
        // Not our child (any more): report it as gone without a known status.
        exit.exitCode = 255;
        return exit;
    }
    if (WIFEXITED(status)) {
        exit.exitCode = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        exit.signal = WTERMSIG(status);
        exit.exitCode = 128 + exit.signal;
    } else {
        return std::nullopt; // stopped/continued: still there
    }
    return exit;
}

void signalProcessGroup(pid_t group, int sig) {
    if (group > 1) {
        ::kill(-group, sig);
    }
}

bool processStillRuns(pid_t pid, std::uint64_t startTicks) {
    if (pid <= 1) {
        return false;
    }
    const auto ticks = processStartTicks(pid);
    if (!ticks || *ticks != startTicks) {
        return false;
    }
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    const auto close = text.rfind(')');
    return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

int killSession(pid_t sid) {
    if (sid <= 1) {
        return 0;
    }
    int killed = 0;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        std::ifstream stat(entry.path() / "stat");
        std::string text;
        std::getline(stat, text);
        const auto close = text.rfind(')');
        if (close == std::string::npos) {
            continue;
        }
        // After ")": state ppid pgrp session ...
        std::istringstream fields(text.substr(close + 1));
        std::string state;
        long ppid = 0, pgrp = 0, session = 0;
        fields >> state >> ppid >> pgrp >> session;
        if (session == sid && state != "Z") {
            if (::kill(static_cast<pid_t>(std::stol(name)), SIGKILL) == 0) {
                ++killed;
            }
        }
    }
    return killed;
}

} // namespace sandbox
