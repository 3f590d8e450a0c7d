#include "kubelet/tag_model_cache.h"

#include "controllers/pod_template_hash.h"
#include "kubelet/container_process.h"

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>

namespace sandbox {

namespace {

// Small enough to synthesize and fit in about a second on a 2-core machine, big enough to
// look like a model: 5 stores x 20 items (the ids the manifests' and tests' example requests
// use, e.g. store 3 item 17) over two years, so the weekly and yearly seasons both show.
constexpr int kStores = 5;
constexpr int kItems = 20;
constexpr int kDays = 730;
constexpr auto kTrainTimeout = std::chrono::minutes(2);

std::string safeTag(const std::string &tag) {
    std::string out = tag.empty() ? std::string("latest") : tag;
    for (char &c : out) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        if (!ok) {
            c = '_';
        }
    }
    if (out.front() == '.') {
        out.front() = '_';
    }
    return out;
}

std::string lastLines(const std::filesystem::path &file, std::size_t count) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    std::string out;
    for (std::size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i) {
        out += (out.empty() ? "" : "; ") + lines[i];
    }
    return out;
}

rf::Status runToEnd(std::vector<std::string> argv, const std::filesystem::path &log) {
    LaunchSpec spec;
    spec.argv = std::move(argv);
    spec.env = {"PATH=/usr/local/bin:/usr/bin:/bin"};
    spec.logFile = log;
    auto launched = launchProcess(spec);
    if (!launched) {
        return rf::fail(launched.message());
    }
    const auto deadline = std::chrono::steady_clock::now() + kTrainTimeout;
    for (;;) {
        if (auto exit = reapChild(launched->pid)) {
            if (exit->exitCode == 0) {
                return rf::ok();
            }
            return rf::fail(spec.argv[0] + " " + spec.argv[1] + " exited with code " +
                            std::to_string(exit->exitCode) + ": " + lastLines(log, 3));
        }
        if (std::chrono::steady_clock::now() > deadline) {
            signalProcessGroup(launched->pid, SIGKILL);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

} // namespace

TagModelCache::TagModelCache(std::filesystem::path trainBinary, std::filesystem::path dir)
    : m_trainBinary(std::move(trainBinary))
    , m_dir(std::move(dir)) {}

TagModelCache::~TagModelCache() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(m_mutex);
        threads.swap(m_threads);
    }
    for (auto &t : threads) {
        t.join();
    }
}

std::filesystem::path TagModelCache::fileFor(const std::string &tag) const {
    return m_dir / (safeTag(tag) + ".model");
}

std::optional<rf::Result<std::filesystem::path>>
TagModelCache::get(const std::string &tag, const std::function<void()> &whenDone) {
    const auto file = fileFor(tag);
    std::lock_guard lock(m_mutex);
    Entry &entry = m_entries[safeTag(tag)];
    if (entry.training) {
        if (whenDone) {
            entry.waiting.push_back(whenDone);
        }
        return std::nullopt;
    }
    std::error_code ec;
    if (std::filesystem::is_regular_file(file, ec)) {
        return rf::Result<std::filesystem::path>(file);
    }
    if (entry.error) {
        std::string error = *entry.error;
        entry.error.reset(); // the next call trains again
        return rf::Result<std::filesystem::path>(rf::fail(error));
    }
    entry.training = true;
    if (whenDone) {
        entry.waiting.push_back(whenDone);
    }
    m_threads.emplace_back([this, t = tag] { train(t); });
    return std::nullopt;
}

void TagModelCache::train(std::string tag) {
    const rf::Status trained = runTrain(tag);
    std::vector<std::function<void()>> waiting;
    {
        std::lock_guard lock(m_mutex);
        Entry &entry = m_entries[safeTag(tag)];
        entry.training = false;
        if (!trained) {
            entry.error = "cannot train the model for tag \"" + tag + "\": " + trained.message();
        }
        waiting.swap(entry.waiting);
    }
    for (auto &callback : waiting) {
        callback();
    }
}

rf::Status TagModelCache::runTrain(const std::string &tag) {
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    if (ec) {
        return rf::fail("cannot create " + m_dir.string() + ": " + ec.message());
    }
    const std::string base = (m_dir / safeTag(tag)).string();
    const std::string csv = base + ".sales.csv";
    const std::string log = base + ".train.log";
    std::filesystem::remove(log, ec);
    const std::string seed = std::to_string(fnv32a(tag.empty() ? "latest" : tag));
    auto synthesized = runToEnd({m_trainBinary.string(), "synthesize", "--out", csv, "--stores",
                                 std::to_string(kStores), "--items", std::to_string(kItems),
                                 "--days", std::to_string(kDays), "--seed", seed},
                                log);
    if (!synthesized) {
        return synthesized;
    }
    auto fitted = runToEnd(
        {m_trainBinary.string(), "fit", "--data", csv, "--out", fileFor(tag).string(), "--quiet"},
        log);
    std::filesystem::remove(csv, ec);
    return fitted;
}

} // namespace sandbox
