// The pieces of the process runtime that need no kubelet: the crash-loop back-off, how an
// image rule and a container spec combine into argv/env/working directory, following a log
// file, and starting/reaping/signalling a process in its own session.
#include "kubelet/container_launch.h"
#include "kubelet/container_log_tail.h"
#include "kubelet/container_process.h"
#include "kubelet/restart_backoff.h"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

using namespace sandbox;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

object parse(std::string_view text) {
    return boost::json::parse(text).as_object();
}

std::string envValue(const LaunchSpec &spec, const std::string &name) {
    for (const auto &entry : spec.env) {
        if (entry.rfind(name + "=", 0) == 0) {
            return entry.substr(name.size() + 1);
        }
    }
    return "<unset>";
}

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "rf-proc-XXXXXX").string();
        path = ::mkdtemp(pattern.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::filesystem::path path;
};

std::optional<ProcessExit> waitExit(pid_t pid, std::chrono::seconds timeout = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto exit = reapChild(pid)) {
            return exit;
        }
        std::this_thread::sleep_for(5ms);
    }
    return std::nullopt;
}

} // namespace

TEST(ProcessRuntimeBackoff, FirstCrashRestartsAtOnceThenDoublesToFiveMinutes) {
    RestartBackoff backoff;
    std::vector<long long> waits;
    for (int i = 0; i < 8; ++i) {
        waits.push_back(backoff.onExit(100ms).count());
    }
    EXPECT_EQ(waits, (std::vector<long long>{0, 10, 20, 40, 80, 160, 300, 300}));
}

TEST(ProcessRuntimeBackoff, TenMinutesOfRunningForgetsEarlierCrashes) {
    RestartBackoff backoff;
    backoff.onExit(1s);
    backoff.onExit(1s);
    EXPECT_EQ(backoff.onExit(1s).count(), 20);
    EXPECT_EQ(backoff.onExit(std::chrono::minutes(10)).count(), 0);
    EXPECT_EQ(backoff.onExit(1s).count(), 10);
}

TEST(ProcessRuntimeBackoff, DurationsPrintLikeGo) {
    EXPECT_EQ(goDurationString(10s), "10s");
    EXPECT_EQ(goDurationString(160s), "2m40s");
    EXPECT_EQ(goDurationString(300s), "5m0s");
    EXPECT_EQ(goDurationString(3600s), "1h0m0s");
}

TEST(ProcessRuntimeLaunch, RuleGivesEntrypointAndEnvThatTheContainerCannotMove) {
    ImageRule rule;
    rule.mode = ImageMode::Process;
    rule.command = {"${BIN_DIR}/forecast-api", "--default"};
    rule.env = {{"HOST", "${POD_IP}"}, {"APP_VERSION", "${TAG}"}, {"MODEL_PATH", "${TAG_MODEL}"}};
    const object pod = parse(R"({"metadata":{"name":"web-1","namespace":"shop"}})");
    const object container = parse(R"({"name":"app","image":"ghcr.io/acme/retail-forecast:v2"})");
    LaunchInputs in;
    in.rule = &rule;
    in.image = "ghcr.io/acme/retail-forecast:v2";
    in.pod = &pod;
    in.container = &container;
    in.podIP = "127.1.0.7";
    in.binDir = "/opt/rf/bin";
    in.tagModel = std::filesystem::path("/state/models/v2.model");
    in.containerEnv = {{"HOST", "0.0.0.0"}, {"PORT", "5000"}, {"MODEL_PATH", "/models/m.json"}};
    const LaunchSpec spec = buildLaunchSpec(in);
    EXPECT_EQ(spec.argv, (std::vector<std::string>{"/opt/rf/bin/forecast-api", "--default"}));
    EXPECT_EQ(envValue(spec, "HOST"), "127.1.0.7");
    EXPECT_EQ(envValue(spec, "PORT"), "5000");
    EXPECT_EQ(envValue(spec, "APP_VERSION"), "v2");
    EXPECT_EQ(envValue(spec, "MODEL_PATH"), "/state/models/v2.model");
    EXPECT_EQ(envValue(spec, "HOSTNAME"), "web-1");
    EXPECT_NE(envValue(spec, "PATH"), "<unset>");
}

TEST(ProcessRuntimeLaunch, CommandReplacesEntrypointAndArgsReplaceCmd) {
    ImageRule rule;
    rule.mode = ImageMode::Process;
    rule.command = {"/usr/bin/app", "--serve"};
    const object pod = parse(R"({"metadata":{"name":"p","namespace":"d"}})");
    LaunchInputs in;
    in.rule = &rule;
    in.image = "example.com/app:1";
    in.pod = &pod;
    in.containerEnv = {{"NAME", "world"}};

    const object argsOnly = parse(R"J({"name":"a","args":["--greet","$(NAME)","$$(NAME)"]})J");
    in.container = &argsOnly;
    EXPECT_EQ(buildLaunchSpec(in).argv,
              (std::vector<std::string>{"/usr/bin/app", "--greet", "world", "$(NAME)"}));

    // The image's own binary under its in-image path runs the rule's binary.
    const object sameBinary = parse(R"({"name":"a","command":["/app/bin/app"],"args":["-v"]})");
    in.container = &sameBinary;
    EXPECT_EQ(buildLaunchSpec(in).argv, (std::vector<std::string>{"/usr/bin/app", "-v"}));

    const object other = parse(R"J({"name":"a","command":["sh","-c","echo $(NAME)"]})J");
    in.container = &other;
    EXPECT_EQ(buildLaunchSpec(in).argv, (std::vector<std::string>{"sh", "-c", "echo world"}));
}

TEST(ProcessRuntimeLaunch, WorkingDirectoryIsTheRulesThenAnExistingOneThenPrivate) {
    TempDir tmp;
    ImageRule rule;
    rule.mode = ImageMode::Process;
    rule.command = {"/bin/true"};
    const object pod = parse(R"({"metadata":{"name":"p","namespace":"d"}})");
    const object container = parse(R"({"name":"a","workingDir":"/no/such/dir/in/image"})");
    LaunchInputs in;
    in.rule = &rule;
    in.image = "x/y:1";
    in.pod = &pod;
    in.container = &container;
    in.privateDir = tmp.path / "private";
    EXPECT_EQ(buildLaunchSpec(in).workingDir, tmp.path / "private");
    EXPECT_TRUE(std::filesystem::is_directory(tmp.path / "private"));
    const object existing = parse(R"({"name":"a","workingDir":"/tmp"})");
    in.container = &existing;
    EXPECT_EQ(buildLaunchSpec(in).workingDir, "/tmp");
    rule.workingDir = "/";
    EXPECT_EQ(buildLaunchSpec(in).workingDir, "/");
}

TEST(ProcessRuntimeLogTail, DeliversWholeLinesAndTheLastPartialOneAtTheEnd) {
    TempDir tmp;
    const auto file = tmp.path / "c.log";
    std::ofstream(file) << "one\ntw";
    ContainerLogTail tail(file);
    std::vector<std::string> lines;
    auto collect = [&](std::string_view line) { lines.emplace_back(line); };
    tail.poll(collect);
    EXPECT_EQ(lines, (std::vector<std::string>{"one"}));
    std::ofstream(file, std::ios::app) << "o\nthree";
    tail.poll(collect);
    EXPECT_EQ(lines, (std::vector<std::string>{"one", "two"}));
    tail.poll(collect, true);
    EXPECT_EQ(lines, (std::vector<std::string>{"one", "two", "three"}));
}

TEST(ProcessRuntimeProcess, RunsInItsOwnSessionWithOutputInTheLogFile) {
    TempDir tmp;
    LaunchSpec spec;
    spec.argv = {"/bin/sh", "-c", "echo out; echo err >&2; echo \"$GREETING\"; pwd; exit 7"};
    spec.env = {"PATH=/usr/bin:/bin", "GREETING=hello"};
    spec.workingDir = tmp.path;
    spec.logFile = tmp.path / "run.log";
    auto launched = launchProcess(spec);
    ASSERT_TRUE(launched.ok()) << launched.message();
    EXPECT_GT(launched->startTicks, 0u);
    auto exit = waitExit(launched->pid);
    ASSERT_TRUE(exit.has_value());
    EXPECT_EQ(exit->exitCode, 7);
    EXPECT_EQ(exit->signal, 0);
    std::vector<std::string> lines;
    ContainerLogTail(spec.logFile).poll([&](std::string_view l) { lines.emplace_back(l); }, true);
    EXPECT_EQ(lines, (std::vector<std::string>{"out", "err", "hello", tmp.path.string()}));
}

TEST(ProcessRuntimeProcess, SignalsReachTheWholeGroupAndExitCodesFollowThem) {
    TempDir tmp;
    LaunchSpec spec;
    spec.argv = {"/bin/sh", "-c", "sleep 300 & wait"};
    spec.env = {"PATH=/usr/bin:/bin"};
    spec.logFile = tmp.path / "run.log";
    auto launched = launchProcess(spec);
    ASSERT_TRUE(launched.ok()) << launched.message();
    EXPECT_TRUE(processStillRuns(launched->pid, launched->startTicks));
    EXPECT_FALSE(processStillRuns(launched->pid, launched->startTicks + 1));
    signalProcessGroup(launched->pid, SIGTERM);
    auto exit = waitExit(launched->pid);
    ASSERT_TRUE(exit.has_value());
    EXPECT_EQ(exit->exitCode, 143);
    EXPECT_EQ(exit->signal, SIGTERM);
    // The background sleep was in the group: nothing of the session is left.
    for (int i = 0; i < 500 && killSession(launched->pid) > 0; ++i) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(killSession(launched->pid), 0);
}

TEST(ProcessRuntimeProcess, AMissingProgramIsAnErrorLikeTheRuntimes) {
    TempDir tmp;
    LaunchSpec spec;
    spec.argv = {"no-such-program-rf"};
    spec.env = {"PATH=/usr/bin:/bin"};
    spec.logFile = tmp.path / "run.log";
    auto launched = launchProcess(spec);
    ASSERT_FALSE(launched.ok());
    EXPECT_EQ(launched.message(),
              "exec: \"no-such-program-rf\": executable file not found in $PATH");
}

TEST(ProcessRuntimeProcess, ContainersInheritNoDescriptorOfTheSandbox) {
    TempDir tmp;
    // No O_CLOEXEC, as Asio's sockets; a high number, away from what the shell itself opens.
    const int opened = ::open("/dev/null", O_RDONLY);
    const int leaked = ::dup2(opened, 57);
    ::close(opened);
    ASSERT_EQ(leaked, 57);
    LaunchSpec spec;
    spec.argv = {"/bin/sh", "-c", "for f in /proc/$$/fd/*; do echo ${f##*/}; done"};
    spec.env = {"PATH=/usr/bin:/bin"};
    spec.logFile = tmp.path / "run.log";
    auto launched = launchProcess(spec);
    ::close(leaked);
    ASSERT_TRUE(launched.ok()) << launched.message();
    ASSERT_TRUE(waitExit(launched->pid).has_value());
    std::vector<std::string> fds;
    ContainerLogTail(spec.logFile).poll([&](std::string_view l) { fds.emplace_back(l); }, true);
    EXPECT_EQ(std::count(fds.begin(), fds.end(), std::to_string(leaked)), 0)
        << testing::PrintToString(fds);
    EXPECT_EQ(std::count(fds.begin(), fds.end(), "1"), 1);
}
