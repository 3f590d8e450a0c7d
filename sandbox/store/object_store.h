#pragma once
// The sandbox's etcd: a versioned key-value store of JSON objects with one global,
// monotonically increasing resourceVersion, a bounded event history for watches, and
// persistence in the state directory (write-ahead log + snapshot) so that `kill -9` and a
// restart lose nothing. It knows nothing of Kubernetes semantics beyond metadata
// bookkeeping; validation, defaults, generation and cascades live in ResourceService.

#include "api/api_error.h"
#include "api/resource_registry.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

class Clock;

enum class WatchEventType { Added, Modified, Deleted };

// A stored object together with its JSON text, immutable and shared by the store, lists
// and watch events: responses write `json` out instead of copying and serializing the
// object again (a list of 5,000 pods is then a memory copy).
struct StoredObject {
    boost::json::object object;
    std::string json; // boost::json::serialize(object)
};
using StoredPtr = std::shared_ptr<const StoredObject>;

struct WatchEvent {
    WatchEventType type;
    const ResourceType *resource = nullptr;
    boost::json::object object; // full object; for Deleted its last state at the deletion's RV
    std::uint64_t resourceVersion = 0;
    // The state before this event (null for Added and for replays of recovered history
    // whose previous state is unknown): lets watchers with selectors tell an object that
    // stopped matching from one that never matched.
    std::shared_ptr<const boost::json::object> previous;
    // `object` as stored, with its JSON text (null for events the store did not write).
    StoredPtr stored;
};

struct StoreList {
    std::vector<boost::json::object> items; // ordered by namespace, then name
    std::uint64_t resourceVersion = 0;      // the store's version when the list was taken
};

using WatchCallback = std::function<void(const WatchEvent &)>;
using WatchId = std::uint64_t;

class ObjectStore final {
public:
    // stateDir empty: memory only (unit tests). Otherwise the store owns that directory
    // (snapshot.json + wal-<rv>.log files directly in it) and load() recovers from it.
    ObjectStore(std::filesystem::path stateDir, const ResourceRegistry &registry,
                const Clock &clock);
    ~ObjectStore();
    ObjectStore(const ObjectStore &) = delete;
    ObjectStore &operator=(const ObjectStore &) = delete;

    // Reads snapshot + log; a torn last log record (crash mid-write) is dropped. Every
    // object, resourceVersion and UID comes back; watch history starts empty at the
    // recovered version (watches from it resume, older ones get 410).
    rf::Status load();

    // Create: sets metadata.uid (random UUID v4), creationTimestamp (now, unless already
    // set by the service), resourceVersion. AlreadyExists if the key is taken.
    ApiResult<boost::json::object> create(const ResourceType &type, boost::json::object object);
    // Update: the object must exist. If metadata.resourceVersion is non-empty and differs
    // from the stored one -> Conflict. uid and creationTimestamp are kept from the stored
    // object. Writes a new resourceVersion. An update that changes nothing (byte-equal
    // JSON ignoring resourceVersion) writes nothing and returns the stored object.
    ApiResult<boost::json::object> update(const ResourceType &type, boost::json::object object);
    // Delete: returns the last state with a new (deletion) resourceVersion.
    // If expectedUid/expectedRv are non-empty they are preconditions (Conflict on mismatch).
    ApiResult<boost::json::object> remove(const ResourceType &type, std::string_view ns,
                                          std::string_view name, std::string_view expectedUid = {},
                                          std::string_view expectedRv = {});

    std::optional<boost::json::object> get(const ResourceType &type, std::string_view ns,
                                           std::string_view name) const;
    // ns empty: all namespaces (or a cluster-scoped type).
    StoreList list(const ResourceType &type, std::string_view ns = {}) const;
    // The same without copying: shared, immutable stored objects (for filtering large lists).
    std::vector<std::shared_ptr<const boost::json::object>>
    listShared(const ResourceType &type, std::string_view ns, std::uint64_t *resourceVersion) const;
    // The stored objects with their JSON text (see StoredObject).
    std::vector<StoredPtr> listStored(const ResourceType &type, std::string_view ns,
                                      std::uint64_t *resourceVersion) const;
    std::shared_ptr<const boost::json::object>
    getShared(const ResourceType &type, std::string_view ns, std::string_view name) const;

    std::uint64_t resourceVersion() const;
    // Oldest RV a watch may start from; older -> 410 Expired.
    std::uint64_t oldestWatchableVersion() const;

    // Starts a watch on `type` (nullptr = every type) in `ns` (empty = all). Events after
    // fromVersion that are still in history are replayed first, in order, then live events
    // follow. fromVersion older than the history -> ApiError::expired("too old resource
    // version: N (M)"). Callbacks run on the writing thread, in commit order, never
    // concurrently with each other and never with the store's data lock held; they must
    // be quick (queue the event and return) and may not call the store.
    ApiResult<WatchId> watch(const ResourceType *type, std::string_view ns,
                             std::uint64_t fromVersion, WatchCallback callback);
    void unwatch(WatchId id);

    // Tuning (call before load()): events kept for watches (default 10,000) and log
    // records between snapshots (default 20,000); fsync every log append (default off:
    // survives kill -9, not power loss).
    void setHistoryLimit(std::size_t events);
    void setSnapshotEvery(std::size_t records);
    void setSyncEveryWrite(bool sync);
    // A fresh random (v4) UUID, as create() assigns; for dry-run answers.
    static std::string generateUid();

    // Writes a snapshot now and drops the logs it covers.
    rf::Status snapshot();
    // Records dropped at load() because they were torn or corrupt.
    std::size_t droppedRecords() const;

private:
    void maybeSnapshot();

    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace sandbox
