// /proc readers behind container CPU/memory (metrics, HPA, OOMKilled) and process
// adoption: real child process trees, numbers that move the right way, no timing bounds.

#include "kubelet/proc_stats.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace sandbox {
namespace {

bool waitUntil(const std::function<bool()> &done,
               std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

double ownCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Burns CPU until this process has used `seconds` of it (CPU time, not wall time).
void burn(double seconds) {
    volatile unsigned long sink = 0;
    while (ownCpuSeconds() < seconds) {
        for (int i = 0; i < 100000; ++i) {
            sink = sink + static_cast<unsigned long>(i);
        }
    }
}

// A child in its own process group; killed with its whole tree on destruction.
struct ChildTree {
    pid_t pid = -1;
    ~ChildTree() {
        if (pid > 0) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
    }
};

TEST(ProcStatsTest, ReadsOwnProcess) {
    const auto usage = readProcessTree(getpid());
    ASSERT_TRUE(usage.has_value());
    EXPECT_GE(usage->processes, 1);
    EXPECT_GT(usage->residentBytes, 0);
    EXPECT_GE(usage->cpuSeconds, 0.0);
    EXPECT_TRUE(processStartTicks(getpid()).has_value());
    EXPECT_FALSE(processCommandLine(getpid()).empty());
}

TEST(ProcStatsTest, MissingProcessIsNullopt) {
    // pid_max is at most 4194304, so this pid never exists.
    EXPECT_FALSE(readProcessTree(4194305 + 17).has_value());
    EXPECT_FALSE(processStartTicks(4194305 + 17).has_value());
    EXPECT_TRUE(processCommandLine(4194305 + 17).empty());
}

TEST(ProcStatsTest, TreeCpuAndMemoryGrowWithDescendants) {
    int toChild[2];
    int fromChild[2];
    ASSERT_EQ(pipe(toChild), 0);
    ASSERT_EQ(pipe(fromChild), 0);
    ChildTree tree;
    tree.pid = fork();
    ASSERT_GE(tree.pid, 0);
    if (tree.pid == 0) {
        setpgid(0, 0);
        if (fork() == 0) {
            burn(1e9); // a grandchild spinning until killed
            _exit(0);
        }
        char go = 0;
        if (read(toChild[0], &go, 1) != 1) {
            _exit(1);
        }
        constexpr std::size_t size = 96u << 20;
        auto *block = static_cast<char *>(std::malloc(size));
        std::memset(block, 1, size);
        if (write(fromChild[1], "k", 1) != 1) {
            _exit(1);
        }
        pause();
        _exit(0);
    }
    close(toChild[0]);
    close(fromChild[1]);

    std::optional<ProcessTreeUsage> before;
    ASSERT_TRUE(waitUntil([&] {
        before = readProcessTree(tree.pid);
        return before && before->processes >= 2;
    })) << "the grandchild never showed up in the tree";

    // The spinning grandchild's CPU counts for the tree.
    EXPECT_TRUE(waitUntil([&] {
        const auto now = readProcessTree(tree.pid);
        return now && now->cpuSeconds >= before->cpuSeconds + 0.3;
    }));

    // Memory the child touches shows up as resident.
    ASSERT_EQ(write(toChild[1], "g", 1), 1);
    char ack = 0;
    ASSERT_EQ(read(fromChild[0], &ack, 1), 1);
    EXPECT_TRUE(waitUntil([&] {
        const auto after = readProcessTree(tree.pid);
        return after && after->residentBytes >= before->residentBytes + (64 << 20);
    }));
    close(toChild[1]);
    close(fromChild[0]);
}

TEST(ProcStatsTest, CpuOfReapedChildrenStaysCounted) {
    int done[2];
    ASSERT_EQ(pipe(done), 0);
    ChildTree tree;
    tree.pid = fork();
    ASSERT_GE(tree.pid, 0);
    if (tree.pid == 0) {
        setpgid(0, 0);
        const pid_t worker = fork();
        if (worker == 0) {
            burn(0.4);
            _exit(0);
        }
        waitpid(worker, nullptr, 0);
        if (write(done[1], "d", 1) != 1) {
            _exit(1);
        }
        pause();
        _exit(0);
    }
    close(done[1]);
    char byte = 0;
    ASSERT_EQ(read(done[0], &byte, 1), 1);
    close(done[0]);
    const auto usage = readProcessTree(tree.pid);
    ASSERT_TRUE(usage.has_value());
    EXPECT_EQ(usage->processes, 1);
    // The worker used 0.4 s of CPU; allow for tick granularity.
    EXPECT_GE(usage->cpuSeconds, 0.3);
}

TEST(ProcStatsTest, ZombieRootIsNullopt) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        _exit(3);
    }
    EXPECT_TRUE(waitUntil([&] { return !readProcessTree(pid).has_value(); }));
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_EQ(WEXITSTATUS(status), 3);
    EXPECT_FALSE(processStartTicks(pid).has_value());
}

TEST(ProcStatsTest, CommandLineAndStartTicksIdentifyAProcess) {
    ChildTree tree;
    tree.pid = fork();
    ASSERT_GE(tree.pid, 0);
    if (tree.pid == 0) {
        setpgid(0, 0);
        execlp("sleep", "sleep", "300", static_cast<char *>(nullptr));
        _exit(127);
    }
    ASSERT_TRUE(waitUntil([&] {
        const auto argv = processCommandLine(tree.pid);
        return argv.size() == 2 && argv[0] == "sleep";
    }));
    EXPECT_EQ(processCommandLine(tree.pid), (std::vector<std::string>{"sleep", "300"}));
    const auto ticks = processStartTicks(tree.pid);
    ASSERT_TRUE(ticks.has_value());
    EXPECT_EQ(processStartTicks(tree.pid), ticks);
    // A process started later has a later (or equal, within a tick) start time.
    const auto own = processStartTicks(getpid());
    ASSERT_TRUE(own.has_value());
    EXPECT_GE(*ticks, *own);
}

TEST(CpuRateMeterTest, TurnsCumulativeSecondsIntoMillicores) {
    CpuRateMeter meter;
    const auto t0 = std::chrono::steady_clock::time_point(std::chrono::seconds(100));
    EXPECT_FALSE(meter.sample(10.0, t0).has_value());
    EXPECT_EQ(meter.sample(10.5, t0 + std::chrono::seconds(1)), 500);
    EXPECT_EQ(meter.sample(12.5, t0 + std::chrono::seconds(2)), 2000);
    // No time passed: no rate, and the sample is not consumed.
    EXPECT_FALSE(meter.sample(13.0, t0 + std::chrono::seconds(2)).has_value());
    EXPECT_EQ(meter.sample(12.75, t0 + std::chrono::seconds(3)), 250);
    // A tree that lost a process: never a negative rate.
    EXPECT_EQ(meter.sample(1.0, t0 + std::chrono::seconds(4)), 0);
    EXPECT_EQ(meter.sample(1.1, t0 + std::chrono::milliseconds(4100)), 1000);
}

} // namespace
} // namespace sandbox
