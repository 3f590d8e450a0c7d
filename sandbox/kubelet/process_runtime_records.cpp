// ProcessRuntime's records of running containers, one JSON file per container under
// <stateDir>/kubelet/containers/: enough for a restarted sandbox to recognise a process that
// is still alive (pid + start ticks) and to sweep the session of one that is not.
#include "kubelet/process_runtime.h"

#include "api/http_log.h"
#include "util/json_util.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <csignal>
#include <fstream>
#include <set>
#include <sstream>

namespace sandbox {

std::filesystem::path ProcessRuntime::recordFile(const std::string &uid,
                                                 const std::string &container) const {
    return m_recordDir / (uid + "_" + container + ".json");
}

void ProcessRuntime::writeRecord(const Pod &pod, const Container &c) const {
    if (m_recordDir.empty()) {
        return;
    }
    const boost::json::object record{{"podUid", pod.uid},
                                     {"pod", pod.key},
                                     {"container", c.name},
                                     {"pid", c.pid},
                                     {"startTicks", c.startTicks},
                                     {"containerID", c.containerID},
                                     {"startedAt", c.startedAtText},
                                     {"logFile", c.tail.file().string()}};
    const auto file = recordFile(pod.uid, c.name);
    const auto temporary = file.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << boost::json::serialize(record) << "\n";
        if (!out) {
            logLine(LogLevel::Warn, "cannot write a container record", {{"file", temporary}});
            return;
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, file, ec);
}

void ProcessRuntime::removeRecord(const Pod &pod, const Container &c) const {
    if (m_recordDir.empty()) {
        return;
    }
    std::error_code ec;
    std::filesystem::remove(recordFile(pod.uid, c.name), ec);
}

void ProcessRuntime::loadRecords() {
    if (m_recordDir.empty()) {
        return;
    }
    std::set<std::string> podUids;
    if (const ResourceType *pods = m_context.service.registry().byResource("", "v1", "pods")) {
        if (auto listed = m_context.service.list(*pods, "", ListOptions{})) {
            for (const auto &pod : listed->items) {
                podUids.insert(json::stringAt(pod, {"metadata", "uid"}));
            }
        }
    }
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(m_recordDir, ec)) {
        if (entry.path().extension() != ".json") {
            continue;
        }
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        boost::system::error_code parseError;
        const auto value = boost::json::parse(text.str(), parseError);
        std::error_code removeError;
        if (parseError || !value.is_object()) {
            std::filesystem::remove(entry.path(), removeError);
            continue;
        }
        const auto &object = value.get_object();
        Record record;
        record.pid = static_cast<pid_t>(json::intAt(object, {"pid"}).value_or(-1));
        record.startTicks =
            static_cast<std::uint64_t>(json::intAt(object, {"startTicks"}).value_or(0));
        record.containerID = json::stringAt(object, {"containerID"});
        record.startedAt = json::stringAt(object, {"startedAt"});
        record.logFile = json::stringAt(object, {"logFile"});
        const std::string uid = json::stringAt(object, {"podUid"});
        const std::string container = json::stringAt(object, {"container"});
        const bool alive = processStillRuns(record.pid, record.startTicks);
        if (alive && podUids.count(uid) != 0) {
            m_records[uid][container] = std::move(record);
            continue;
        }
        // Gone with the previous sandbox (or its pod is gone): whatever the container left
        // in its session goes too.
        if (alive) {
            signalProcessGroup(record.pid, SIGKILL);
        }
        // Only while the leader's pid is free: a live process with that pid and other start
        // ticks leads a session of its own that is none of ours.
        const int swept = !alive && ::kill(record.pid, 0) != 0 ? killSession(record.pid) : 0;
        if (swept > 0) {
            logLine(LogLevel::Info, "killed processes left by a container of the last run",
                    {{"pod", json::stringAt(object, {"pod"})},
                     {"container", container},
                     {"processes", swept}});
        }
        std::filesystem::remove(entry.path(), removeError);
    }
}

} // namespace sandbox
