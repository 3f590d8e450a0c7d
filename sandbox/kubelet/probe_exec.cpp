// exec probes (pkg/probe/exec): the command runs as a local process in its own process
// group, with the container's environment and working directory; stdout and stderr go to
// one pipe of which the first 10 KiB are kept as the probe's output. Exit 0 succeeds; any
// other exit fails with the output as the message; at the timeout the whole group gets
// SIGKILL and the probe fails with `command "<argv joined>" timed out`.
//
// The exit is observed through a pidfd (poll-ready when the process ends) and reaped with
// waitpid(pid) of that pid only, so other children of the sandbox are left alone; kernels
// without pidfd_open fall back to polling waitpid(WNOHANG).

#include "kubelet/probe_check.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace sandbox {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxOutput = 10 * 1024;
constexpr auto kReapPoll = std::chrono::milliseconds(20);

std::string joined(const std::vector<std::string> &argv) {
    std::string out;
    for (const auto &arg : argv) {
        if (!out.empty()) {
            out.push_back(' ');
        }
        out += arg;
    }
    return out;
}

// The executable for argv[0]: as given when it holds a '/', else the first executable match
// on PATH (the container's PATH when its environment has one).
std::string findExecutable(const std::string &name, const std::map<std::string, std::string> &env,
                           const std::string &workingDir) {
    if (name.find('/') != std::string::npos) {
        return name;
    }
    std::string path;
    if (const auto it = env.find("PATH"); it != env.end()) {
        path = it->second;
    } else if (const char *own = std::getenv("PATH")) {
        path = own;
    } else {
        path = "/usr/local/bin:/usr/bin:/bin";
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find(':', start);
        if (end == std::string::npos) {
            end = path.size();
        }
        std::string dir = path.substr(start, end - start);
        if (dir.empty()) {
            dir = workingDir.empty() ? "." : workingDir;
        }
        const std::string candidate = dir + "/" + name;
        if (access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        start = end + 1;
    }
    return {};
}

class ExecCheck final : public ProbeCheck, public std::enable_shared_from_this<ExecCheck> {
public:
    ExecCheck(asio::io_context &io, const ProbeSpec &spec, ProbeDone done)
        : m_io(io)
        , m_timer(io)
        , m_reapTimer(io)
        , m_output(io)
        , m_exit(io)
        , m_command(spec.command)
        , m_done(std::move(done)) {}

    ~ExecCheck() override {
        // The io_context went away with the probe still running (runner shutdown).
        killAndReap();
    }

    void start(const std::map<std::string, std::string> &env, const std::string &workingDir,
               Duration timeout) {
        std::string error = spawn(env, workingDir);
        if (!error.empty()) {
            asio::post(m_io, [self = shared_from_this(), error = std::move(error)] {
                self->finish({ProbeResult::Failure, error});
            });
            return;
        }
        m_timer.expires_after(timeout);
        m_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec && !self->m_finished) {
                self->m_timedOut = true;
                self->signalGroup(SIGKILL);
            }
        });
        readOutput();
        waitExit();
    }

    void cancel() override {
        if (m_finished) {
            return;
        }
        killAndReap();
        finish({ProbeResult::Unknown, "probe cancelled"});
    }

private:
    std::string spawn(const std::map<std::string, std::string> &env,
                      const std::string &workingDir) {
        if (m_command.empty()) {
            return "exec: no command";
        }
        const std::string executable = findExecutable(m_command.front(), env, workingDir);
        if (executable.empty()) {
            return "exec: " + probeGoQuote(m_command.front()) +
                   ": executable file not found in $PATH";
        }
        std::array<int, 2> pipeFds{-1, -1};
        if (pipe2(pipeFds.data(), O_CLOEXEC) != 0) {
            return std::string("pipe: ") + std::strerror(errno);
        }
        std::vector<std::string> envStrings;
        for (const auto &[name, value] : env) {
            envStrings.push_back(name + "=" + value);
        }
        if (env.find("PATH") == env.end()) {
            if (const char *own = std::getenv("PATH")) {
                envStrings.push_back(std::string("PATH=") + own);
            }
        }
        std::vector<char *> envp;
        for (auto &entry : envStrings) {
            envp.push_back(entry.data());
        }
        envp.push_back(nullptr);
        std::vector<char *> argv;
        for (auto &arg : m_command) {
            argv.push_back(arg.data());
        }
        argv.push_back(nullptr);

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
        posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2);
        if (!workingDir.empty()) {
            posix_spawn_file_actions_addchdir_np(&actions, workingDir.c_str());
        }
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        // Own process group (killed as a whole at the timeout), default signal handling and
        // an empty mask whatever the sandbox's threads block or ignore.
        sigset_t all;
        sigfillset(&all);
        sigset_t none;
        sigemptyset(&none);
        posix_spawnattr_setpgroup(&attributes, 0);
        posix_spawnattr_setsigdefault(&attributes, &all);
        posix_spawnattr_setsigmask(&attributes, &none);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                                  POSIX_SPAWN_SETSIGMASK);
        pid_t pid = -1;
        const int rc =
            posix_spawn(&pid, executable.c_str(), &actions, &attributes, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
        close(pipeFds[1]);
        if (rc != 0) {
            close(pipeFds[0]);
            if (rc == ENOENT && !workingDir.empty()) {
                return "chdir " + workingDir + ": no such file or directory";
            }
            return "fork/exec " + executable + ": " + std::strerror(rc);
        }
        m_pid = pid;
        m_output.assign(pipeFds[0]);
#ifdef SYS_pidfd_open
        const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
        if (pidfd >= 0) {
            fcntl(pidfd, F_SETFD, FD_CLOEXEC);
            m_exit.assign(pidfd);
        }
#endif
        return {};
    }

    void readOutput() {
        m_output.async_read_some(
            asio::buffer(m_chunk),
            [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                if (n > 0 && self->m_text.size() < kMaxOutput) {
                    self->m_text.append(self->m_chunk.data(),
                                        std::min(n, kMaxOutput - self->m_text.size()));
                }
                if (ec) {
                    self->m_outputDone = true;
                    self->maybeFinish();
                    return;
                }
                self->readOutput();
            });
    }

    void waitExit() {
        if (m_exit.is_open()) {
            m_exit.async_wait(asio::posix::descriptor_base::wait_read,
                              [self = shared_from_this()](boost::system::error_code ec) {
                                  if (!ec) {
                                      self->reap(true);
                                  }
                              });
            return;
        }
        m_reapTimer.expires_after(kReapPoll);
        m_reapTimer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec && !self->reap(false)) {
                self->waitExit();
            }
        });
    }

    // True once the process is reaped.
    bool reap(bool exited) {
        if (m_pid <= 0) {
            return true;
        }
        int status = 0;
        const pid_t rc = waitpid(m_pid, &status, exited ? 0 : WNOHANG);
        if (rc == 0) {
            return false;
        }
        // rc < 0 (ECHILD): someone else reaped it (SIGCHLD ignored); the status is unknown.
        m_status = rc == m_pid ? status : -1;
        m_pid = -1;
        m_exited = true;
        // Descendants that still hold the pipe open (a command that left a background
        // process behind) must not keep the probe waiting for the end of its output.
        drainOutput();
        m_outputDone = true;
        maybeFinish();
        return true;
    }

    void drainOutput() {
        if (!m_output.is_open()) {
            return;
        }
        boost::system::error_code ec;
        m_output.non_blocking(true, ec);
        while (!ec && m_text.size() < kMaxOutput) {
            const std::size_t n = m_output.read_some(asio::buffer(m_chunk), ec);
            m_text.append(m_chunk.data(), std::min(n, kMaxOutput - m_text.size()));
        }
    }

    void maybeFinish() {
        if (!m_exited || !m_outputDone || m_finished) {
            return;
        }
        if (m_timedOut) {
            finish({ProbeResult::Failure,
                    "command " + probeGoQuote(joined(m_command)) + " timed out"});
        } else if (m_status >= 0 && WIFEXITED(m_status) && WEXITSTATUS(m_status) == 0) {
            finish({ProbeResult::Success, m_text});
        } else {
            finish({ProbeResult::Failure, m_text});
        }
    }

    void signalGroup(int signal) const {
        if (m_pid > 0) {
            kill(-m_pid, signal);
        }
    }

    void killAndReap() {
        if (m_pid > 0) {
            signalGroup(SIGKILL);
            int status = 0;
            waitpid(m_pid, &status, 0);
            m_pid = -1;
        }
    }

    void finish(ProbeOutcome outcome) {
        if (m_finished) {
            return;
        }
        m_finished = true;
        m_timer.cancel();
        m_reapTimer.cancel();
        boost::system::error_code ignored;
        m_output.close(ignored);
        m_exit.close(ignored);
        auto done = std::move(m_done);
        done(std::move(outcome));
    }

    asio::io_context &m_io;
    asio::steady_timer m_timer;
    asio::steady_timer m_reapTimer;
    asio::posix::stream_descriptor m_output;
    asio::posix::stream_descriptor m_exit;
    std::vector<std::string> m_command;
    ProbeDone m_done;
    pid_t m_pid = -1;
    int m_status = -1;
    bool m_exited = false;
    bool m_outputDone = false;
    bool m_timedOut = false;
    bool m_finished = false;
    std::array<char, 4096> m_chunk{};
    std::string m_text;
};

} // namespace

std::shared_ptr<ProbeCheck> startExecCheck(asio::io_context &io, const ProbeSpec &spec,
                                           const std::map<std::string, std::string> &env,
                                           const std::string &workingDir, Duration timeout,
                                           ProbeDone done) {
    auto check = std::make_shared<ExecCheck>(io, spec, std::move(done));
    check->start(env, workingDir, timeout);
    return check;
}

} // namespace sandbox
