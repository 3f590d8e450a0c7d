#include "store/object_store.h"

#include "store/store_persistence.h"
#include "util/clock.h"
#include "util/json_util.h"

#include <boost/json/serialize.hpp>
#include <openssl/rand.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <random>
#include <unordered_map>

namespace sandbox {

namespace {

using ObjectPtr = std::shared_ptr<const boost::json::object>;

StoredPtr makeStored(boost::json::object object) {
    auto stored = std::make_shared<StoredObject>();
    stored->object = std::move(object);
    stored->json = boost::json::serialize(stored->object);
    return stored;
}

// The object inside a StoredObject, sharing its lifetime.
ObjectPtr objectOf(const StoredPtr &stored) {
    return stored ? ObjectPtr(stored, &stored->object) : nullptr;
}

// Keys sort by namespace, then name: '\0' sorts before every name character.
std::string makeKey(std::string_view ns, std::string_view name) {
    std::string key;
    key.reserve(ns.size() + name.size() + 1);
    key.append(ns);
    key.push_back('\0');
    key.append(name);
    return key;
}

std::string uuidV4() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        static thread_local std::mt19937_64 fallback{std::random_device{}()};
        for (unsigned char &b : bytes) {
            b = static_cast<unsigned char>(fallback());
        }
    }
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);
    char text[37];
    std::snprintf(text, sizeof text,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                  bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                  bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    return text;
}

bool isEmptyString(const boost::json::value *v) {
    return v == nullptr || v->is_null() || (v->is_string() && v->get_string().empty());
}

struct Bucket {
    const ResourceType *type = nullptr;
    std::map<std::string, StoredPtr, std::less<>> items;
};

struct HistoryEntry {
    WatchEventType type;
    const ResourceType *resource;
    std::string typeKey;
    std::string ns;
    StoredPtr object;
    StoredPtr previous;
    std::uint64_t resourceVersion;
};

struct Watcher {
    WatchId id;
    std::string typeKey; // empty: every type
    std::string ns;      // empty: every namespace
    WatchCallback callback;

    bool wants(const HistoryEntry &e) const {
        return (typeKey.empty() || typeKey == e.typeKey) && (ns.empty() || ns == e.ns);
    }
};

WatchEvent toEvent(const HistoryEntry &entry) {
    return WatchEvent{entry.type,
                      entry.resource,
                      entry.object->object,
                      entry.resourceVersion,
                      objectOf(entry.previous),
                      entry.object};
}

} // namespace

struct ObjectStore::Impl {
    Impl(std::filesystem::path dir, const ResourceRegistry &reg, const Clock &c)
        : stateDir(std::move(dir))
        , registry(reg)
        , clock(c) {}

    std::filesystem::path stateDir;
    const ResourceRegistry &registry;
    const Clock &clock;

    // Guards everything down to `nextTicket`.
    mutable std::mutex data;
    std::unordered_map<std::string, Bucket> buckets;
    std::uint64_t version = 0;
    std::deque<HistoryEntry> history;
    std::uint64_t historyBase = 0; // every event after this RV is in `history`
    std::size_t historyLimit = 10000;
    std::size_t snapshotEvery = 20000;
    bool syncEveryWrite = false;
    std::size_t dropped = 0;
    std::unique_ptr<StorePersistence> persistence;
    std::uint64_t nextTicket = 0;

    // Delivery runs outside `data`, in ticket (= commit) order.
    std::mutex delivery;
    std::condition_variable deliveryTurn;
    std::uint64_t turn = 0;
    std::vector<Watcher> watchers;
    std::atomic<WatchId> nextWatchId{1};

    std::mutex snapshotting;

    Bucket &bucketFor(const ResourceType &type) {
        Bucket &bucket = buckets[type.storageKey()];
        if (bucket.type == nullptr) {
            const ResourceType *known =
                registry.byResource(type.group, type.version, type.resource);
            bucket.type = known != nullptr ? known : &type;
        }
        return bucket;
    }

    const Bucket *findBucket(const ResourceType &type) const {
        auto it = buckets.find(type.storageKey());
        return it == buckets.end() ? nullptr : &it->second;
    }

    const ResourceType *typeForKey(const std::string &key) const {
        for (const ResourceType &type : registry.all()) {
            if (type.storageKey() == key) {
                return &type;
            }
        }
        return nullptr;
    }

    void remember(HistoryEntry entry) {
        history.push_back(std::move(entry));
        while (history.size() > historyLimit) {
            historyBase = history.front().resourceVersion;
            history.pop_front();
        }
    }

    // With `data` held: persists and applies one write. object == nullptr deletes.
    rf::Status commit(Bucket &bucket, const std::string &key, std::string_view ns,
                      std::string_view name, StoredPtr object, StoredPtr previous, std::uint64_t rv,
                      WatchEventType type) {
        if (persistence) {
            PersistedRecord record;
            record.resourceVersion = rv;
            record.deleted = type == WatchEventType::Deleted;
            record.typeKey = bucket.type->storageKey();
            record.ns = std::string(ns);
            record.name = std::string(name);
            if (!record.deleted) {
                record.object = objectOf(object);
                record.json = object->json;
            }
            auto written = persistence->append(record);
            if (!written) {
                return written;
            }
        }
        version = rv;
        if (type == WatchEventType::Deleted) {
            bucket.items.erase(key);
        } else {
            bucket.items.insert_or_assign(key, object);
        }
        remember(HistoryEntry{type, bucket.type, bucket.type->storageKey(), std::string(ns),
                              std::move(object), std::move(previous), rv});
        return rf::ok();
    }

    void deliver(std::uint64_t ticket, const HistoryEntry &entry) {
        std::unique_lock lock(delivery);
        deliveryTurn.wait(lock, [&] { return turn == ticket; });
        std::optional<WatchEvent> event;
        for (const Watcher &watcher : watchers) {
            if (!watcher.wants(entry)) {
                continue;
            }
            if (!event) {
                event = toEvent(entry);
            }
            try {
                watcher.callback(*event);
            } catch (...) {
                // A throwing callback must not stall every later write.
            }
        }
        ++turn;
        deliveryTurn.notify_all();
    }

    // With `data` held, after commit(): the event to deliver and its turn.
    std::uint64_t enqueue(HistoryEntry &out) {
        out = history.back();
        return nextTicket++;
    }
};

ObjectStore::ObjectStore(std::filesystem::path stateDir, const ResourceRegistry &registry,
                         const Clock &clock)
    : m_impl(std::make_unique<Impl>(std::move(stateDir), registry, clock)) {}

ObjectStore::~ObjectStore() = default;

std::string ObjectStore::generateUid() {
    return uuidV4();
}

void ObjectStore::setHistoryLimit(std::size_t events) {
    std::lock_guard lock(m_impl->data);
    m_impl->historyLimit = std::max<std::size_t>(events, 1);
}

void ObjectStore::setSnapshotEvery(std::size_t records) {
    std::lock_guard lock(m_impl->data);
    m_impl->snapshotEvery = std::max<std::size_t>(records, 1);
}

void ObjectStore::setSyncEveryWrite(bool sync) {
    std::lock_guard lock(m_impl->data);
    m_impl->syncEveryWrite = sync;
}

std::size_t ObjectStore::droppedRecords() const {
    std::lock_guard lock(m_impl->data);
    return m_impl->dropped;
}

rf::Status ObjectStore::load() {
    Impl &d = *m_impl;
    std::lock_guard lock(d.data);
    if (d.stateDir.empty()) {
        return rf::ok();
    }
    d.persistence = std::make_unique<StorePersistence>(d.stateDir, d.syncEveryWrite);
    auto recovered = d.persistence->recover();
    if (!recovered) {
        d.persistence.reset();
        return recovered.error();
    }
    RecoveredState &state = recovered.value();
    d.buckets.clear();
    d.history.clear();
    d.dropped = state.droppedRecords;
    d.version = state.snapshotVersion;
    d.historyBase = state.snapshotVersion;
    for (SnapshotItem &item : state.objects) {
        const ResourceType *type = d.typeForKey(item.typeKey);
        if (type == nullptr) {
            continue; // a kind this build no longer serves
        }
        Bucket &bucket = d.bucketFor(*type);
        bucket.items.insert_or_assign(
            makeKey(json::namespaceOf(*item.object), json::name(*item.object)),
            makeStored(*item.object));
    }
    for (PersistedRecord &record : state.records) {
        if (record.resourceVersion <= d.version) {
            continue;
        }
        const ResourceType *type = d.typeForKey(record.typeKey);
        d.version = record.resourceVersion;
        if (type == nullptr) {
            continue;
        }
        Bucket &bucket = d.bucketFor(*type);
        const std::string key = makeKey(record.ns, record.name);
        auto it = bucket.items.find(key);
        StoredPtr previous = it == bucket.items.end() ? nullptr : it->second;
        if (record.deleted) {
            if (!previous) {
                continue;
            }
            boost::json::object last = previous->object;
            json::ensureObject(last, {"metadata"})["resourceVersion"] =
                std::to_string(record.resourceVersion);
            bucket.items.erase(it);
            d.remember(HistoryEntry{WatchEventType::Deleted, bucket.type, record.typeKey, record.ns,
                                    makeStored(std::move(last)), previous, record.resourceVersion});
        } else {
            StoredPtr stored = makeStored(*record.object);
            bucket.items.insert_or_assign(key, stored);
            d.remember(HistoryEntry{previous ? WatchEventType::Modified : WatchEventType::Added,
                                    bucket.type, record.typeKey, record.ns, std::move(stored),
                                    previous, record.resourceVersion});
        }
    }
    // Watch history restarts at the recovered version, like a restarted API server's watch
    // cache: a watch from the current version resumes, older ones get 410 and relist.
    d.history.clear();
    d.historyBase = d.version;
    return rf::ok();
}

ApiResult<boost::json::object> ObjectStore::create(const ResourceType &type,
                                                   boost::json::object object) {
    Impl &d = *m_impl;
    boost::json::object &meta = json::ensureObject(object, {"metadata"});
    const std::string name = json::stringAt(meta, {"name"});
    const std::string ns = type.namespaced ? json::stringAt(meta, {"namespace"}) : std::string();
    if (!type.namespaced) {
        meta.erase("namespace");
    }
    meta["uid"] = uuidV4();
    if (isEmptyString(meta.if_contains("creationTimestamp"))) {
        meta["creationTimestamp"] = formatRfc3339(d.clock.now());
    }
    std::uint64_t ticket = 0;
    HistoryEntry event;
    StoredPtr stored;
    {
        std::lock_guard lock(d.data);
        Bucket &bucket = d.bucketFor(type);
        const std::string key = makeKey(ns, name);
        if (bucket.items.contains(key)) {
            return ApiError::alreadyExists(type, name);
        }
        const std::uint64_t rv = d.version + 1;
        json::ensureObject(object, {"metadata"})["resourceVersion"] = std::to_string(rv);
        stored = makeStored(std::move(object));
        auto committed =
            d.commit(bucket, key, ns, name, stored, nullptr, rv, WatchEventType::Added);
        if (!committed) {
            return ApiError::internal(committed.message());
        }
        ticket = d.enqueue(event);
    }
    d.deliver(ticket, event);
    maybeSnapshot();
    return stored->object;
}

ApiResult<boost::json::object> ObjectStore::update(const ResourceType &type,
                                                   boost::json::object object) {
    Impl &d = *m_impl;
    boost::json::object &meta = json::ensureObject(object, {"metadata"});
    const std::string name = json::stringAt(meta, {"name"});
    const std::string ns = type.namespaced ? json::stringAt(meta, {"namespace"}) : std::string();
    const std::string expected = json::stringAt(meta, {"resourceVersion"});
    std::uint64_t ticket = 0;
    HistoryEntry event;
    StoredPtr stored;
    {
        std::lock_guard lock(d.data);
        Bucket &bucket = d.bucketFor(type);
        const std::string key = makeKey(ns, name);
        auto it = bucket.items.find(key);
        if (it == bucket.items.end()) {
            return ApiError::notFound(type, name);
        }
        const StoredPtr previous = it->second;
        const boost::json::object &oldMeta = previous->object.at("metadata").as_object();
        if (!expected.empty() && expected != json::stringAt(oldMeta, {"resourceVersion"})) {
            return ApiError::conflict(type, name);
        }
        for (const char *kept : {"uid", "creationTimestamp", "resourceVersion"}) {
            if (const boost::json::value *v = oldMeta.if_contains(kept)) {
                meta[kept] = *v;
            }
        }
        if (!type.namespaced) {
            meta.erase("namespace");
        }
        if (object == previous->object) {
            return previous->object; // nothing changed: no write, no event, same RV
        }
        const std::uint64_t rv = d.version + 1;
        meta["resourceVersion"] = std::to_string(rv);
        stored = makeStored(std::move(object));
        auto committed =
            d.commit(bucket, key, ns, name, stored, previous, rv, WatchEventType::Modified);
        if (!committed) {
            return ApiError::internal(committed.message());
        }
        ticket = d.enqueue(event);
    }
    d.deliver(ticket, event);
    maybeSnapshot();
    return stored->object;
}

ApiResult<boost::json::object> ObjectStore::remove(const ResourceType &type, std::string_view ns,
                                                   std::string_view name,
                                                   std::string_view expectedUid,
                                                   std::string_view expectedRv) {
    Impl &d = *m_impl;
    const std::string_view effectiveNs = type.namespaced ? ns : std::string_view();
    std::uint64_t ticket = 0;
    HistoryEntry event;
    StoredPtr last;
    {
        std::lock_guard lock(d.data);
        Bucket &bucket = d.bucketFor(type);
        const std::string key = makeKey(effectiveNs, name);
        auto it = bucket.items.find(key);
        if (it == bucket.items.end()) {
            return ApiError::notFound(type, name);
        }
        const StoredPtr previous = it->second;
        const std::string uid = json::stringAt(previous->object, {"metadata", "uid"});
        const std::string rvNow = json::stringAt(previous->object, {"metadata", "resourceVersion"});
        if (!expectedUid.empty() && expectedUid != uid) {
            ApiError error = ApiError::conflict(type, name);
            error.message = "Operation cannot be fulfilled on " + type.groupResource() + " \"" +
                            std::string(name) + "\": Precondition failed: UID in precondition: " +
                            std::string(expectedUid) + ", UID in object meta: " + uid;
            return error;
        }
        if (!expectedRv.empty() && expectedRv != rvNow) {
            ApiError error = ApiError::conflict(type, name);
            error.message = "Operation cannot be fulfilled on " + type.groupResource() + " \"" +
                            std::string(name) +
                            "\": Precondition failed: ResourceVersion in precondition: " +
                            std::string(expectedRv) + ", ResourceVersion in meta: " + rvNow;
            return error;
        }
        const std::uint64_t rv = d.version + 1;
        boost::json::object copy = previous->object;
        json::ensureObject(copy, {"metadata"})["resourceVersion"] = std::to_string(rv);
        last = makeStored(std::move(copy));
        auto committed =
            d.commit(bucket, key, effectiveNs, name, last, previous, rv, WatchEventType::Deleted);
        if (!committed) {
            return ApiError::internal(committed.message());
        }
        ticket = d.enqueue(event);
    }
    d.deliver(ticket, event);
    maybeSnapshot();
    return last->object;
}

std::shared_ptr<const boost::json::object>
ObjectStore::getShared(const ResourceType &type, std::string_view ns, std::string_view name) const {
    std::lock_guard lock(m_impl->data);
    const Bucket *bucket = m_impl->findBucket(type);
    if (bucket == nullptr) {
        return nullptr;
    }
    auto it = bucket->items.find(makeKey(type.namespaced ? ns : std::string_view(), name));
    return it == bucket->items.end() ? nullptr : objectOf(it->second);
}

std::optional<boost::json::object> ObjectStore::get(const ResourceType &type, std::string_view ns,
                                                    std::string_view name) const {
    ObjectPtr found = getShared(type, ns, name);
    if (!found) {
        return std::nullopt;
    }
    return *found;
}

std::vector<std::shared_ptr<const boost::json::object>>
ObjectStore::listShared(const ResourceType &type, std::string_view ns,
                        std::uint64_t *resourceVersion) const {
    const auto stored = listStored(type, ns, resourceVersion);
    std::vector<ObjectPtr> items;
    items.reserve(stored.size());
    for (const StoredPtr &s : stored) {
        items.push_back(objectOf(s));
    }
    return items;
}

std::vector<StoredPtr> ObjectStore::listStored(const ResourceType &type, std::string_view ns,
                                               std::uint64_t *resourceVersion) const {
    std::vector<StoredPtr> items;
    std::lock_guard lock(m_impl->data);
    if (resourceVersion != nullptr) {
        *resourceVersion = m_impl->version;
    }
    const Bucket *bucket = m_impl->findBucket(type);
    if (bucket == nullptr) {
        return items;
    }
    if (ns.empty() || !type.namespaced) {
        items.reserve(bucket->items.size());
        for (const auto &[key, object] : bucket->items) {
            items.push_back(object);
        }
        return items;
    }
    const std::string prefix = makeKey(ns, "");
    for (auto it = bucket->items.lower_bound(prefix);
         it != bucket->items.end() && std::string_view(it->first).starts_with(prefix); ++it) {
        items.push_back(it->second);
    }
    return items;
}

StoreList ObjectStore::list(const ResourceType &type, std::string_view ns) const {
    StoreList result;
    const auto shared = listShared(type, ns, &result.resourceVersion);
    result.items.reserve(shared.size());
    for (const ObjectPtr &object : shared) {
        result.items.push_back(*object);
    }
    return result;
}

std::uint64_t ObjectStore::resourceVersion() const {
    std::lock_guard lock(m_impl->data);
    return m_impl->version;
}

std::uint64_t ObjectStore::oldestWatchableVersion() const {
    std::lock_guard lock(m_impl->data);
    return m_impl->historyBase;
}

ApiResult<WatchId> ObjectStore::watch(const ResourceType *type, std::string_view ns,
                                      std::uint64_t fromVersion, WatchCallback callback) {
    Impl &d = *m_impl;
    Watcher watcher{d.nextWatchId++, type != nullptr ? type->storageKey() : std::string(),
                    std::string(ns), std::move(callback)};
    std::vector<HistoryEntry> replay;
    std::uint64_t ticket = 0;
    {
        std::lock_guard lock(d.data);
        if (fromVersion < d.historyBase) {
            return ApiError::expired("too old resource version: " + std::to_string(fromVersion) +
                                     " (" + std::to_string(d.historyBase) + ")");
        }
        auto first = std::upper_bound(
            d.history.begin(), d.history.end(), fromVersion,
            [](std::uint64_t rv, const HistoryEntry &e) { return rv < e.resourceVersion; });
        for (auto it = first; it != d.history.end(); ++it) {
            if (watcher.wants(*it)) {
                replay.push_back(*it);
            }
        }
        // Registration takes a delivery turn like a write: every commit before it is in
        // `replay`, every commit after it is delivered live.
        ticket = d.nextTicket++;
    }
    std::unique_lock lock(d.delivery);
    d.deliveryTurn.wait(lock, [&] { return d.turn == ticket; });
    for (const HistoryEntry &entry : replay) {
        try {
            watcher.callback(toEvent(entry));
        } catch (...) {
        }
    }
    const WatchId id = watcher.id;
    d.watchers.push_back(std::move(watcher));
    ++d.turn;
    d.deliveryTurn.notify_all();
    return id;
}

void ObjectStore::unwatch(WatchId id) {
    std::lock_guard lock(m_impl->delivery);
    auto &watchers = m_impl->watchers;
    watchers.erase(std::remove_if(watchers.begin(), watchers.end(),
                                  [id](const Watcher &w) { return w.id == id; }),
                   watchers.end());
}

rf::Status ObjectStore::snapshot() {
    Impl &d = *m_impl;
    std::lock_guard snapshotLock(d.snapshotting);
    std::vector<SnapshotItem> items;
    std::uint64_t rv = 0;
    {
        std::lock_guard lock(d.data);
        if (!d.persistence) {
            return rf::ok();
        }
        for (const auto &[key, bucket] : d.buckets) {
            for (const auto &[itemKey, object] : bucket.items) {
                items.push_back(SnapshotItem{key, objectOf(object), object->json});
            }
        }
        rv = d.version;
        auto rotated = d.persistence->rotate(rv);
        if (!rotated) {
            return rotated;
        }
    }
    // Writing happens outside the data lock; the files it touches are not the live log.
    return d.persistence->writeSnapshot(rv, items);
}

void ObjectStore::maybeSnapshot() {
    Impl &d = *m_impl;
    {
        std::lock_guard lock(d.data);
        if (!d.persistence || d.persistence->recordsSinceSnapshot() < d.snapshotEvery) {
            return;
        }
    }
    std::unique_lock busy(d.snapshotting, std::try_to_lock);
    if (!busy.owns_lock()) {
        return; // another writer is already taking it
    }
    busy.unlock();
    (void)snapshot();
}

} // namespace sandbox
