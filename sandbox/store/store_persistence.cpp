#include "store/store_persistence.h"

#include "util/json_util.h"

#include <boost/crc.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace sandbox {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSnapshotName = "snapshot.json";
constexpr std::string_view kLogPrefix = "wal-";
constexpr std::string_view kLogSuffix = ".log";

std::uint32_t crc32(std::string_view data) {
    boost::crc_32_type crc;
    crc.process_bytes(data.data(), data.size());
    return crc.checksum();
}

std::string frame(std::string_view payload) {
    char head[10];
    std::snprintf(head, sizeof head, "%08x ", crc32(payload));
    std::string line;
    line.reserve(payload.size() + 10);
    line.append(head, 9);
    line.append(payload);
    line.push_back('\n');
    return line;
}

// One framed line at `text[pos...]`: the payload when complete and intact.
std::optional<std::string_view> unframe(std::string_view text, std::size_t pos, std::size_t &next) {
    const std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
        return std::nullopt; // no newline: the write was torn
    }
    next = end + 1;
    const std::string_view line = text.substr(pos, end - pos);
    if (line.size() < 10 || line[8] != ' ') {
        return std::nullopt;
    }
    std::uint32_t expected = 0;
    const auto parsed = std::from_chars(line.data(), line.data() + 8, expected, 16);
    if (parsed.ec != std::errc() || parsed.ptr != line.data() + 8) {
        return std::nullopt;
    }
    const std::string_view payload = line.substr(9);
    if (crc32(payload) != expected) {
        return std::nullopt;
    }
    return payload;
}

std::string quote(std::string_view text) {
    return boost::json::serialize(boost::json::string(text));
}

rf::Status writeAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return rf::fail(std::string("write failed: ") + std::strerror(errno));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return rf::ok();
}

bool readFile(const fs::path &path, std::string &out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    out = std::move(buffer).str();
    return true;
}

void syncDirectory(const fs::path &dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Log files with the RV each starts after, oldest first.
std::vector<std::pair<std::uint64_t, fs::path>> logFiles(const fs::path &dir) {
    std::vector<std::pair<std::uint64_t, fs::path>> logs;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(dir, ec)) {
        const std::string file = entry.path().filename().string();
        if (!file.starts_with(kLogPrefix) || !file.ends_with(kLogSuffix)) {
            continue;
        }
        const std::string digits =
            file.substr(kLogPrefix.size(), file.size() - kLogPrefix.size() - kLogSuffix.size());
        std::uint64_t start = 0;
        const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), start);
        if (parsed.ec == std::errc() && parsed.ptr == digits.data() + digits.size()) {
            logs.emplace_back(start, entry.path());
        }
    }
    std::sort(logs.begin(), logs.end());
    return logs;
}

fs::path logPath(const fs::path &dir, std::uint64_t start) {
    char name[64];
    std::snprintf(name, sizeof name, "wal-%020llu.log", static_cast<unsigned long long>(start));
    return dir / name;
}

std::optional<PersistedRecord> parseRecord(std::string_view payload) {
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(payload, ec);
    if (ec || !value.is_object()) {
        return std::nullopt;
    }
    boost::json::object &root = value.get_object();
    PersistedRecord record;
    const auto rv = json::intAt(root, {"rv"});
    const std::string op = json::stringAt(root, {"op"});
    record.typeKey = json::stringAt(root, {"type"});
    if (!rv || *rv <= 0 || record.typeKey.empty() || (op != "put" && op != "del")) {
        return std::nullopt;
    }
    record.resourceVersion = static_cast<std::uint64_t>(*rv);
    record.deleted = op == "del";
    if (record.deleted) {
        record.ns = json::stringAt(root, {"ns"});
        record.name = json::stringAt(root, {"name"});
    } else {
        boost::json::value *object = root.if_contains("object");
        if (object == nullptr || !object->is_object()) {
            return std::nullopt;
        }
        record.ns = json::namespaceOf(object->get_object());
        record.name = json::name(object->get_object());
        record.object =
            std::make_shared<const boost::json::object>(std::move(object->get_object()));
    }
    return record;
}

} // namespace

StorePersistence::StorePersistence(fs::path directory, bool syncEveryWrite)
    : m_directory(std::move(directory))
    , m_syncEveryWrite(syncEveryWrite) {}

StorePersistence::~StorePersistence() {
    closeLog();
}

void StorePersistence::closeLog() {
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

rf::Status StorePersistence::openLog(const fs::path &path) {
    closeLog();
    m_fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        return rf::fail("cannot open " + path.string() + ": " + std::strerror(errno));
    }
    return rf::ok();
}

rf::Result<RecoveredState> StorePersistence::recover() {
    std::error_code ec;
    fs::create_directories(m_directory, ec);
    if (ec) {
        return rf::fail("cannot create " + m_directory.string() + ": " + ec.message());
    }
    RecoveredState state;
    std::string text;
    if (readFile(m_directory / kSnapshotName, text)) {
        std::size_t pos = 0;
        std::size_t next = 0;
        bool header = true;
        while (pos < text.size()) {
            const auto payload = unframe(text, pos, next);
            if (!payload) {
                // Snapshots are renamed into place complete; damage here is not a crash.
                return rf::fail("snapshot " + (m_directory / kSnapshotName).string() +
                                " is corrupt at byte " + std::to_string(pos));
            }
            boost::json::value value = boost::json::parse(*payload, ec);
            if (ec || !value.is_object()) {
                return rf::fail("snapshot record at byte " + std::to_string(pos) + " is not JSON");
            }
            boost::json::object &root = value.get_object();
            if (header) {
                state.snapshotVersion =
                    static_cast<std::uint64_t>(json::intAt(root, {"rv"}).value_or(0));
                header = false;
            } else {
                boost::json::value *object = root.if_contains("object");
                if (object != nullptr && object->is_object()) {
                    state.objects.push_back(SnapshotItem{
                        json::stringAt(root, {"type"}), std::make_shared<const boost::json::object>(
                                                            std::move(object->get_object()))});
                }
            }
            pos = next;
        }
    }

    const auto logs = logFiles(m_directory);
    for (const auto &[start, path] : logs) {
        if (!readFile(path, text)) {
            return rf::fail("cannot read " + path.string());
        }
        std::size_t pos = 0;
        std::size_t next = 0;
        while (pos < text.size()) {
            const auto payload = unframe(text, pos, next);
            std::optional<PersistedRecord> record;
            if (payload) {
                record = parseRecord(*payload);
            }
            if (!record) {
                // Cut the log here so later appends follow the last good record.
                ++state.droppedRecords;
                fs::resize_file(path, pos, ec);
                break;
            }
            if (record->resourceVersion > state.snapshotVersion) {
                state.records.push_back(std::move(*record));
            }
            pos = next;
        }
    }
    m_recordsSinceSnapshot = state.records.size();
    const fs::path active =
        logs.empty() ? logPath(m_directory, state.snapshotVersion) : logs.back().second;
    auto opened = openLog(active);
    if (!opened) {
        return opened.error();
    }
    return state;
}

rf::Status StorePersistence::append(const PersistedRecord &record) {
    if (m_fd < 0) {
        return rf::fail("store log is not open");
    }
    std::string payload = "{\"rv\":" + std::to_string(record.resourceVersion) + ",\"op\":";
    if (record.deleted) {
        payload += "\"del\",\"type\":" + quote(record.typeKey) + ",\"ns\":" + quote(record.ns) +
                   ",\"name\":" + quote(record.name) + "}";
    } else {
        payload += "\"put\",\"type\":" + quote(record.typeKey) + ",\"object\":" +
                   (record.json.empty() ? boost::json::serialize(*record.object)
                                        : std::string(record.json)) +
                   "}";
    }
    auto written = writeAll(m_fd, frame(payload));
    if (!written) {
        return written;
    }
    if (m_syncEveryWrite) {
        ::fdatasync(m_fd);
    }
    ++m_recordsSinceSnapshot;
    return rf::ok();
}

rf::Status StorePersistence::rotate(std::uint64_t resourceVersion) {
    m_recordsSinceSnapshot = 0;
    return openLog(logPath(m_directory, resourceVersion));
}

rf::Status StorePersistence::writeSnapshot(std::uint64_t resourceVersion,
                                           const std::vector<SnapshotItem> &items) {
    const fs::path temp = m_directory / "snapshot.json.tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return rf::fail("cannot create " + temp.string() + ": " + std::strerror(errno));
    }
    std::string buffer = frame("{\"rv\":" + std::to_string(resourceVersion) +
                               ",\"count\":" + std::to_string(items.size()) + "}");
    rf::Status status = rf::ok();
    for (const SnapshotItem &item : items) {
        buffer += frame(
            "{\"type\":" + quote(item.typeKey) + ",\"object\":" +
            (item.json.empty() ? boost::json::serialize(*item.object) : std::string(item.json)) +
            "}");
        if (buffer.size() > (1u << 20)) {
            status = writeAll(fd, buffer);
            buffer.clear();
            if (!status) {
                break;
            }
        }
    }
    if (status) {
        status = writeAll(fd, buffer);
    }
    if (status && ::fsync(fd) != 0) {
        status = rf::fail(std::string("fsync failed: ") + std::strerror(errno));
    }
    ::close(fd);
    std::error_code ec;
    if (!status) {
        fs::remove(temp, ec);
        return status;
    }
    fs::rename(temp, m_directory / kSnapshotName, ec);
    if (ec) {
        return rf::fail("cannot install snapshot: " + ec.message());
    }
    syncDirectory(m_directory);
    for (const auto &[start, path] : logFiles(m_directory)) {
        if (start < resourceVersion) {
            fs::remove(path, ec);
        }
    }
    return rf::ok();
}

} // namespace sandbox
