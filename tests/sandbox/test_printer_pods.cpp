// Pod rows as `kubectl get pods -o wide` shows them: READY, STATUS (printPod's rules:
// waiting/terminated reasons, Init:, Terminating, Completed, ExitCode:N/Signal:N),
// RESTARTS with "(40s ago)", AGE, and the wide IP/NODE/NOMINATED NODE/READINESS GATES.
#include "api/printers.h"
#include "api/resource_registry.h"

#include "print_test_util.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bj = boost::json;

namespace {

std::vector<std::string> row(const std::string &fixtureName) {
    static const bj::object fixtures = printtest::loadFixtures("pods.json");
    const auto *pod = sandbox::ResourceRegistry::builtin().byKind("v1", "Pod");
    EXPECT_NE(pod, nullptr);
    bj::array cells;
    pod->printRow(printtest::fixture(fixtures, fixtureName), printtest::fixedNow(), cells);
    EXPECT_EQ(cells.size(), pod->columns.size()) << fixtureName;
    std::vector<std::string> out;
    for (const auto &cell : cells) {
        EXPECT_TRUE(cell.is_string()) << fixtureName << ": every pod cell is a string";
        out.push_back(cell.is_string() ? std::string(cell.get_string()) : "");
    }
    return out;
}

using Row = std::vector<std::string>;

} // namespace

TEST(PrinterPods, ColumnsMatchKubectl) {
    const auto *pod = sandbox::ResourceRegistry::builtin().byKind("v1", "Pod");
    ASSERT_NE(pod, nullptr);
    std::vector<std::string> names;
    for (const auto &c : pod->columns) {
        names.push_back(c.name);
        EXPECT_EQ(c.type, "string") << c.name;
        EXPECT_FALSE(c.description.empty()) << c.name;
        EXPECT_EQ(c.priority, (c.name == "IP" || c.name == "Node" || c.name == "Nominated Node" ||
                               c.name == "Readiness Gates")
                                  ? 1
                                  : 0)
            << c.name;
    }
    EXPECT_EQ(names, (Row{"Name", "Ready", "Status", "Restarts", "Age", "IP", "Node",
                          "Nominated Node", "Readiness Gates"}));
    EXPECT_EQ(pod->columns[0].format, "name");
}

TEST(PrinterPods, RunningPod) {
    EXPECT_EQ(row("running"), (Row{"web-7d9c6b5f4-abcde", "1/1", "Running", "0", "5m", "127.0.1.2",
                                   "forecast-sandbox", "<none>", "<none>"}));
}

TEST(PrinterPods, CrashLoopingPodShowsReasonAndLastRestart) {
    EXPECT_EQ(row("crashloop"), (Row{"web-bad-xyz12", "0/1", "CrashLoopBackOff", "5 (40s ago)",
                                     "30m", "127.0.1.3", "forecast-sandbox", "<none>", "<none>"}));
}

TEST(PrinterPods, DeletedRunningPodIsTerminating) {
    EXPECT_EQ(row("terminating")[2], "Terminating");
    EXPECT_EQ(row("terminating")[4], "27h");
}

TEST(PrinterPods, FinishedPodKeepsItsReasonEvenWhenDeleted) {
    const Row r = row("completed");
    EXPECT_EQ(r[1], "0/1");
    EXPECT_EQ(r[2], "Completed");
    EXPECT_EQ(r[4], "120m");
    EXPECT_EQ(r[5], "<none>"); // no IP
    EXPECT_EQ(r[6], "<none>"); // not scheduled
}

TEST(PrinterPods, TerminatedWithoutReasonShowsExitCodeOfFirstContainer) {
    // Containers are scanned last to first: b (Signal:9) is overridden by a (ExitCode:3).
    EXPECT_EQ(row("exitcode")[2], "ExitCode:3");
    EXPECT_EQ(row("exitcode")[1], "0/2");
}

TEST(PrinterPods, ImagePullFailure) {
    EXPECT_EQ(row("imagepull")[2], "ImagePullBackOff");
    EXPECT_EQ(row("imagepull")[4], "2m");
}

TEST(PrinterPods, InitContainersInProgressAndFailing) {
    const Row init = row("init");
    EXPECT_EQ(init[2], "Init:1/2");
    EXPECT_EQ(init[1], "0/1");
    EXPECT_EQ(init[4], "60s");
    EXPECT_EQ(init[8], "1/1") << "readiness gate condition True";
    const Row failed = row("initFailed");
    EXPECT_EQ(failed[2], "Init:CrashLoopBackOff");
    EXPECT_EQ(failed[3], "3 (10m ago)");
}

TEST(PrinterPods, SidecarsCountAsContainers) {
    const Row r = row("sidecar");
    EXPECT_EQ(r[1], "2/2");
    EXPECT_EQ(r[2], "Running");
    // 1 sidecar + 2 app restarts; the newest termination (sidecar, 10:00) two hours ago.
    EXPECT_EQ(r[3], "3 (120m ago)");
    EXPECT_EQ(r[4], "3h");
}

TEST(PrinterPods, BarePodWithoutStatusDetails) {
    EXPECT_EQ(row("pending"), (Row{"fresh", "0/1", "Pending", "0", "<unknown>", "<none>", "<none>",
                                   "<none>", "<none>"}));
}
