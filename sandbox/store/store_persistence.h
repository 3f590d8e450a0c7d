#pragma once
// The store's files in its state directory: a snapshot of every object plus append-only
// write-ahead logs of the writes committed after it. Each line is `<crc32 hex> <json>\n`, so
// a record torn by a crash (kill -9 mid-write) fails its checksum or lacks its newline and
// is cut off at recovery. Logs are named after the resourceVersion they start after
// (wal-<rv>.log); a snapshot at RV S makes every log that starts before S obsolete.
//
// Durability: each record is handed to the kernel with write(2) before the write is
// acknowledged, which survives the process being killed; snapshots are fsync'ed and
// renamed into place atomically. Appends are not fsync'ed (a power loss may lose the last
// writes, never corrupt what is recovered) unless syncEveryWrite is set.

#include <rf/result.h>

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sandbox {

struct PersistedRecord {
    std::uint64_t resourceVersion = 0;
    bool deleted = false;
    std::string typeKey; // ResourceType::storageKey()
    std::string ns;
    std::string name;
    std::shared_ptr<const boost::json::object> object; // null for deletions
    std::string_view json; // object's serialization when the caller has it already
};

struct SnapshotItem {
    std::string typeKey;
    std::shared_ptr<const boost::json::object> object;
    std::string_view json; // object's serialization when known (kept alive by the caller)
};

struct RecoveredState {
    std::uint64_t snapshotVersion = 0; // RV the snapshot was taken at (0: none)
    std::vector<SnapshotItem> objects;
    std::vector<PersistedRecord> records; // after the snapshot, in commit order
    std::size_t droppedRecords = 0;       // torn or corrupt records cut off
};

class StorePersistence final {
public:
    explicit StorePersistence(std::filesystem::path directory, bool syncEveryWrite = false);
    ~StorePersistence();
    StorePersistence(const StorePersistence &) = delete;
    StorePersistence &operator=(const StorePersistence &) = delete;

    // Reads snapshot and logs, truncates a torn tail and opens the newest log for appends.
    rf::Result<RecoveredState> recover();
    rf::Status append(const PersistedRecord &record);
    std::size_t recordsSinceSnapshot() const { return m_recordsSinceSnapshot; }

    // Starts a new log for records after `resourceVersion` (call with the store locked, at
    // the RV the snapshot will have), then writeSnapshot() may run without the lock.
    rf::Status rotate(std::uint64_t resourceVersion);
    rf::Status writeSnapshot(std::uint64_t resourceVersion, const std::vector<SnapshotItem> &items);

private:
    rf::Status openLog(const std::filesystem::path &path);
    void closeLog();

    std::filesystem::path m_directory;
    bool m_syncEveryWrite = false;
    int m_fd = -1;
    std::size_t m_recordsSinceSnapshot = 0;
};

} // namespace sandbox
