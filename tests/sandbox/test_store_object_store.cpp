// ObjectStore: the sandbox's etcd. Versioning, conflicts, watch replay and ordering, 410 for
// old versions, persistence across restarts (torn log tails, snapshots), concurrency.
#include "store/object_store.h"

#include "util/clock.h"
#include "util/json_util.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <random>
#include <set>
#include <thread>

using namespace sandbox;
namespace fs = std::filesystem;
using boost::json::object;

namespace {

const ResourceType &pods() {
    return *ResourceRegistry::builtin().byResource("", "v1", "pods");
}
const ResourceType &deployments() {
    return *ResourceRegistry::builtin().byResource("apps", "v1", "deployments");
}
const ResourceType &namespaces() {
    return *ResourceRegistry::builtin().byResource("", "v1", "namespaces");
}

object pod(const std::string &ns, const std::string &name, const std::string &image = "nginx") {
    return object{
        {"apiVersion", "v1"},
        {"kind", "Pod"},
        {"metadata", object{{"name", name}, {"namespace", ns}}},
        {"spec",
         object{{"containers", boost::json::array{object{{"name", "app"}, {"image", image}}}}}}};
}

std::uint64_t rvOf(const object &o) {
    return std::stoull(json::stringAt(o, {"metadata", "resourceVersion"}));
}

class TempDir {
public:
    TempDir() {
        std::random_device rd;
        m_path = fs::temp_directory_path() /
                 ("store-test-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    const fs::path &path() const { return m_path; }

private:
    fs::path m_path;
};

struct Recorder {
    std::mutex mutex;
    std::vector<WatchEvent> events;
    WatchCallback callback() {
        return [this](const WatchEvent &e) {
            std::lock_guard lock(mutex);
            events.push_back(e);
        };
    }
    std::vector<WatchEvent> snapshot() {
        std::lock_guard lock(mutex);
        return events;
    }
};

class ObjectStoreTest : public ::testing::Test {
protected:
    ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
    ObjectStore store{{}, ResourceRegistry::builtin(), clock};
    void SetUp() override { ASSERT_TRUE(store.load().ok()); }
};

} // namespace

TEST_F(ObjectStoreTest, CreateAssignsUidTimestampAndVersion) {
    auto created = store.create(pods(), pod("demo", "web"));
    ASSERT_TRUE(created.ok()) << created.message();
    const std::string uid = json::stringAt(*created, {"metadata", "uid"});
    EXPECT_EQ(uid.size(), 36u);
    EXPECT_EQ(uid[14], '4') << "UUID version 4: " << uid;
    EXPECT_EQ(json::stringAt(*created, {"metadata", "creationTimestamp"}), "2027-01-15T08:00:00Z");
    EXPECT_EQ(rvOf(*created), 1u);
    EXPECT_EQ(store.resourceVersion(), 1u);
    auto second = store.create(pods(), pod("demo", "api"));
    EXPECT_NE(json::stringAt(*second, {"metadata", "uid"}), uid);
}

TEST_F(ObjectStoreTest, CreateTwiceIsAlreadyExists) {
    ASSERT_TRUE(store.create(pods(), pod("demo", "web")).ok());
    auto again = store.create(pods(), pod("demo", "web"));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, 409);
    EXPECT_EQ(again.error().reason, "AlreadyExists");
    EXPECT_EQ(again.message(), "pods \"web\" already exists");
    // The same name in another namespace is another object.
    EXPECT_TRUE(store.create(pods(), pod("other", "web")).ok());
}

TEST_F(ObjectStoreTest, UpdateChecksResourceVersionAndKeepsIdentity) {
    auto created = store.create(pods(), pod("demo", "web"));
    object changed = pod("demo", "web", "nginx:1.27");
    json::ensureObject(changed, {"metadata"})["resourceVersion"] = "1";
    json::ensureObject(changed, {"metadata"})["uid"] = "forged";
    auto updated = store.update(pods(), changed);
    ASSERT_TRUE(updated.ok()) << updated.message();
    EXPECT_EQ(rvOf(*updated), 2u);
    EXPECT_EQ(json::stringAt(*updated, {"metadata", "uid"}),
              json::stringAt(*created, {"metadata", "uid"}));

    auto stale = store.update(pods(), changed); // still says resourceVersion 1
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().reason, "Conflict");
    EXPECT_EQ(stale.message(),
              "Operation cannot be fulfilled on pods \"web\": the object has been modified; please "
              "apply your changes to the latest version and try again");

    auto missing = store.update(pods(), pod("demo", "nope"));
    EXPECT_EQ(missing.error().code, 404);
    EXPECT_EQ(missing.message(), "pods \"nope\" not found");
}

TEST_F(ObjectStoreTest, UpdateWithoutChangesWritesNothing) {
    ASSERT_TRUE(store.create(pods(), pod("demo", "web")).ok());
    Recorder recorder;
    ASSERT_TRUE(store.watch(&pods(), "", 1, recorder.callback()).ok());
    auto same = store.update(pods(), pod("demo", "web"));
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(rvOf(*same), 1u);
    EXPECT_EQ(store.resourceVersion(), 1u);
    EXPECT_TRUE(recorder.snapshot().empty());
}

TEST_F(ObjectStoreTest, RemoveReturnsLastStateAtDeletionVersion) {
    auto created = store.create(pods(), pod("demo", "web"));
    auto wrongUid = store.remove(pods(), "demo", "web", "not-the-uid");
    ASSERT_FALSE(wrongUid.ok());
    EXPECT_EQ(wrongUid.error().reason, "Conflict");
    EXPECT_NE(wrongUid.message().find("Precondition failed: UID in precondition: not-the-uid"),
              std::string::npos);
    auto wrongRv = store.remove(pods(), "demo", "web", {}, "7");
    EXPECT_NE(wrongRv.message().find("ResourceVersion in precondition: 7"), std::string::npos);

    auto removed =
        store.remove(pods(), "demo", "web", json::stringAt(*created, {"metadata", "uid"}));
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(rvOf(*removed), 2u);
    EXPECT_FALSE(store.get(pods(), "demo", "web").has_value());
    EXPECT_EQ(store.remove(pods(), "demo", "web").error().code, 404);
}

TEST_F(ObjectStoreTest, ListIsOrderedByNamespaceThenName) {
    for (const auto &[ns, name] : std::vector<std::pair<std::string, std::string>>{
             {"b", "x"}, {"a", "z"}, {"a-b", "a"}, {"a", "b"}}) {
        ASSERT_TRUE(store.create(pods(), pod(ns, name)).ok());
    }
    auto all = store.list(pods());
    ASSERT_EQ(all.items.size(), 4u);
    std::vector<std::string> keys;
    for (const object &o : all.items) {
        keys.push_back(json::namespaceOf(o) + "/" + json::name(o));
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"a/b", "a/z", "a-b/a", "b/x"}));
    EXPECT_EQ(all.resourceVersion, 4u);
    EXPECT_EQ(store.list(pods(), "a").items.size(), 2u);
    EXPECT_EQ(store.list(deployments()).items.size(), 0u);
}

TEST_F(ObjectStoreTest, ClusterScopedObjectsIgnoreNamespace) {
    object ns{{"apiVersion", "v1"},
              {"kind", "Namespace"},
              {"metadata", object{{"name", "demo"}, {"namespace", "x"}}}};
    auto created = store.create(namespaces(), ns);
    ASSERT_TRUE(created.ok());
    EXPECT_EQ(json::valueAt(*created, {"metadata", "namespace"}), nullptr);
    EXPECT_TRUE(store.get(namespaces(), "", "demo").has_value());
}

TEST_F(ObjectStoreTest, WatchReplaysHistoryThenLiveEventsInOrder) {
    ASSERT_TRUE(store.create(pods(), pod("demo", "a")).ok()); // rv 1
    ASSERT_TRUE(store.create(pods(), pod("demo", "b")).ok()); // rv 2
    ASSERT_TRUE(store
                    .create(deployments(),
                            object{{"metadata", object{{"name", "d"}, {"namespace", "demo"}}}})
                    .ok());                              // rv 3
    ASSERT_TRUE(store.remove(pods(), "demo", "a").ok()); // rv 4

    Recorder recorder;
    auto id = store.watch(&pods(), "demo", 1, recorder.callback());
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE(store.update(pods(), pod("demo", "b", "nginx:2")).ok()); // rv 5
    ASSERT_TRUE(store.create(pods(), pod("other", "c")).ok());           // rv 6, other ns

    const auto events = recorder.snapshot();
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].type, WatchEventType::Added);
    EXPECT_EQ(json::name(events[0].object), "b");
    EXPECT_EQ(events[0].resourceVersion, 2u);
    EXPECT_EQ(events[1].type, WatchEventType::Deleted);
    EXPECT_EQ(json::name(events[1].object), "a");
    EXPECT_EQ(rvOf(events[1].object), 4u) << "DELETED carries the deletion's resourceVersion";
    EXPECT_EQ(events[2].type, WatchEventType::Modified);
    EXPECT_EQ(events[2].resourceVersion, 5u);
    ASSERT_NE(events[2].previous, nullptr);
    EXPECT_EQ(json::stringAt(*events[2].previous, {"spec", "containers"}), "");
    EXPECT_EQ(events[2].resource, &pods());

    store.unwatch(*id);
    ASSERT_TRUE(store.create(pods(), pod("demo", "d")).ok());
    EXPECT_EQ(recorder.snapshot().size(), 3u) << "no events after unwatch";
}

TEST_F(ObjectStoreTest, WatchAllTypes) {
    Recorder recorder;
    ASSERT_TRUE(store.watch(nullptr, "", 0, recorder.callback()).ok());
    ASSERT_TRUE(store.create(pods(), pod("demo", "a")).ok());
    ASSERT_TRUE(store
                    .create(deployments(),
                            object{{"metadata", object{{"name", "d"}, {"namespace", "demo"}}}})
                    .ok());
    EXPECT_EQ(recorder.snapshot().size(), 2u);
}

TEST_F(ObjectStoreTest, WatchFromTooOldVersionIsExpired) {
    store.setHistoryLimit(3);
    for (int i = 0; i < 6; ++i) {
        ASSERT_TRUE(store.create(pods(), pod("demo", "p" + std::to_string(i))).ok());
    }
    EXPECT_EQ(store.oldestWatchableVersion(), 3u);
    Recorder recorder;
    auto old = store.watch(&pods(), "", 2, recorder.callback());
    ASSERT_FALSE(old.ok());
    EXPECT_EQ(old.error().code, 410);
    EXPECT_EQ(old.error().reason, "Expired");
    EXPECT_EQ(old.message(), "too old resource version: 2 (3)");
    auto fine = store.watch(&pods(), "", 3, recorder.callback());
    ASSERT_TRUE(fine.ok());
    EXPECT_EQ(recorder.snapshot().size(), 3u);
}

TEST(ObjectStorePersistence, RestartRecoversObjectsVersionsUidsAndWatchHistory) {
    TempDir dir;
    SystemClock clock;
    std::string uid;
    {
        ObjectStore store(dir.path(), ResourceRegistry::builtin(), clock);
        ASSERT_TRUE(store.load().ok());
        uid = json::stringAt(*store.create(pods(), pod("demo", "web")), {"metadata", "uid"});
        ASSERT_TRUE(store.create(pods(), pod("demo", "gone")).ok());
        ASSERT_TRUE(store.update(pods(), pod("demo", "web", "nginx:2")).ok());
        ASSERT_TRUE(store.remove(pods(), "demo", "gone").ok()); // rv 4
    }
    ObjectStore store(dir.path(), ResourceRegistry::builtin(), clock);
    ASSERT_TRUE(store.load().ok());
    EXPECT_EQ(store.resourceVersion(), 4u);
    auto web = store.get(pods(), "demo", "web");
    ASSERT_TRUE(web.has_value());
    EXPECT_EQ(json::stringAt(*web, {"metadata", "uid"}), uid);
    EXPECT_EQ(rvOf(*web), 3u);
    EXPECT_FALSE(store.get(pods(), "demo", "gone").has_value());

    // A watch from the persisted version resumes; older ones are told to relist.
    Recorder recorder;
    EXPECT_EQ(store.oldestWatchableVersion(), 4u);
    auto old = store.watch(&pods(), "", 2, recorder.callback());
    ASSERT_FALSE(old.ok());
    EXPECT_EQ(old.message(), "too old resource version: 2 (4)");
    ASSERT_TRUE(store.watch(&pods(), "", 4, recorder.callback()).ok());
    // New writes continue the counter and reach the resumed watch.
    auto next = store.create(pods(), pod("demo", "new"));
    EXPECT_EQ(rvOf(*next), 5u);
    auto events = recorder.snapshot();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].type, WatchEventType::Added);
    EXPECT_EQ(events[0].resourceVersion, 5u);
}

TEST(ObjectStorePersistence, TornLogTailIsDropped) {
    TempDir dir;
    SystemClock clock;
    {
        ObjectStore store(dir.path(), ResourceRegistry::builtin(), clock);
        ASSERT_TRUE(store.load().ok());
        ASSERT_TRUE(store.create(pods(), pod("demo", "a")).ok());
        ASSERT_TRUE(store.create(pods(), pod("demo", "b")).ok());
    }
    // Simulate a crash in the middle of writing a third record.
    fs::path log;
    for (const auto &entry : fs::directory_iterator(dir.path())) {
        if (entry.path().filename().string().starts_with("wal-")) {
            log = entry.path();
        }
    }
    ASSERT_FALSE(log.empty());
    {
        std::ofstream out(log, std::ios::app | std::ios::binary);
        out << "0badc0de {\"rv\":3,\"op\":\"put\",\"type\":\"core/pods\",\"obj";
    }
    {
        ObjectStore store(dir.path(), ResourceRegistry::builtin(), clock);
        ASSERT_TRUE(store.load().ok());
        EXPECT_EQ(store.droppedRecords(), 1u);
        EXPECT_EQ(store.resourceVersion(), 2u);
        EXPECT_EQ(store.list(pods()).items.size(), 2u);
        // Appends after recovery land after the last good record.
        ASSERT_TRUE(store.create(pods(), pod("demo", "c")).ok());
    }
    ObjectStore store(dir.path(), ResourceRegistry::builtin(), clock);
    ASSERT_TRUE(store.load().ok());
    EXPECT_EQ(store.droppedRecords(), 0u);
    EXPECT_EQ(store.list(pods()).items.size(), 3u);
    EXPECT_EQ(store.resourceVersion(), 3u);
}

TEST(ObjectStorePersistence, CorruptChecksumIsDropped) {
    TempDir dir;
    SystemClock clock;
    {
        ObjectStore store(dir.path(), ResourceRegistry::builtin(), clock);
        ASSERT_TRUE(store.load().ok());
        ASSERT_TRUE(store.create(pods(), pod("demo", "a")).ok());
        ASSERT_TRUE(store.create(pods(), pod("demo", "b")).ok());
    }
    for (const auto &entry : fs::directory_iterator(dir.path())) {
        if (entry.path().filename().string().starts_with("wal-")) {
            std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
            f.seekg(0, std::ios::end);
            const auto size = static_cast<long>(f.tellg());
            f.seekp(size - 5);
            f.put('X'); // flip a byte inside the last record
        }
    }
    ObjectStore store(dir.path(), ResourceRegistry::builtin(), clock);
    ASSERT_TRUE(store.load().ok());
    EXPECT_EQ(store.droppedRecords(), 1u);
    EXPECT_EQ(store.list(pods()).items.size(), 1u);
}

TEST(ObjectStorePersistence, SnapshotCompactsTheLog) {
    TempDir dir;
    SystemClock clock;
    {
        ObjectStore store(dir.path(), ResourceRegistry::builtin(), clock);
        store.setSnapshotEvery(10);
        ASSERT_TRUE(store.load().ok());
        for (int i = 0; i < 25; ++i) {
            ASSERT_TRUE(store.create(pods(), pod("demo", "p" + std::to_string(i))).ok());
        }
        ASSERT_TRUE(store.remove(pods(), "demo", "p0").ok()); // rv 26
    }
    EXPECT_TRUE(fs::exists(dir.path() / "snapshot.json"));
    std::size_t logs = 0;
    for (const auto &entry : fs::directory_iterator(dir.path())) {
        logs += entry.path().filename().string().starts_with("wal-") ? 1 : 0;
    }
    EXPECT_EQ(logs, 1u) << "logs covered by the snapshot are removed";

    ObjectStore store(dir.path(), ResourceRegistry::builtin(), clock);
    ASSERT_TRUE(store.load().ok());
    EXPECT_EQ(store.resourceVersion(), 26u);
    EXPECT_EQ(store.list(pods()).items.size(), 24u);
    EXPECT_FALSE(store.get(pods(), "demo", "p0").has_value());
    // History starts at the recovered version.
    EXPECT_EQ(store.oldestWatchableVersion(), 26u);
    Recorder recorder;
    EXPECT_EQ(store.watch(&pods(), "", 20, recorder.callback()).error().code, 410);
    ASSERT_TRUE(store.watch(&pods(), "", 26, recorder.callback()).ok());
    EXPECT_TRUE(recorder.snapshot().empty());
}

TEST(ObjectStorePersistence, ExplicitSnapshotThenRestart) {
    TempDir dir;
    SystemClock clock;
    std::string uid;
    {
        ObjectStore store(dir.path(), ResourceRegistry::builtin(), clock);
        ASSERT_TRUE(store.load().ok());
        uid = json::stringAt(*store.create(pods(), pod("demo", "web")), {"metadata", "uid"});
        ASSERT_TRUE(store.snapshot().ok());
        ASSERT_TRUE(store.create(pods(), pod("demo", "after")).ok());
    }
    ObjectStore store(dir.path(), ResourceRegistry::builtin(), clock);
    ASSERT_TRUE(store.load().ok());
    EXPECT_EQ(store.resourceVersion(), 2u);
    EXPECT_EQ(json::stringAt(*store.get(pods(), "demo", "web"), {"metadata", "uid"}), uid);
    EXPECT_TRUE(store.get(pods(), "demo", "after").has_value());
}

TEST(ObjectStoreConcurrency, WritersAndWatchersSeeOneTotalOrder) {
    SystemClock clock;
    ObjectStore store({}, ResourceRegistry::builtin(), clock);
    ASSERT_TRUE(store.load().ok());
    std::atomic<bool> stop{false};
    std::vector<std::unique_ptr<Recorder>> recorders;
    std::vector<std::thread> threads;
    constexpr int kWriters = 4;
    constexpr int kPerWriter = 200;
    for (int w = 0; w < kWriters; ++w) {
        threads.emplace_back([&, w] {
            for (int i = 0; i < kPerWriter; ++i) {
                const std::string name = "w" + std::to_string(w) + "-" + std::to_string(i % 20);
                if (!store.create(pods(), pod("demo", name)).ok()) {
                    (void)store.update(pods(), pod("demo", name, "img:" + std::to_string(i)));
                }
            }
        });
    }
    // Watchers join while writes are under way.
    for (int r = 0; r < 3; ++r) {
        recorders.push_back(std::make_unique<Recorder>());
        auto id = store.watch(&pods(), "", 0, recorders.back()->callback());
        ASSERT_TRUE(id.ok());
    }
    std::thread reader([&] {
        while (!stop) {
            (void)store.list(pods());
        }
    });
    for (auto &t : threads) {
        t.join();
    }
    stop = true;
    reader.join();
    const std::uint64_t last = store.resourceVersion();
    for (auto &recorder : recorders) {
        const auto events = recorder->snapshot();
        ASSERT_EQ(events.size(), last) << "every commit exactly once";
        for (std::size_t i = 0; i < events.size(); ++i) {
            ASSERT_EQ(events[i].resourceVersion, i + 1) << "commit order";
        }
    }
}
