#pragma once
// Per-image-tag model files for the built-in retail-forecast image (${TAG_MODEL} in an image
// rule): the first container of a tag has `forecast-train` synthesize a small data set seeded
// from the tag and fit it, so `:v1` and `:v2` serve different model versions like two real
// releases would. Files live in <dir>/<tag>.model and are reused (also across sandbox
// restarts when <dir> is in the state directory). Training runs on a thread of its own;
// the container waits in ContainerCreating meanwhile.

#include <rf/result.h>

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sandbox {

class TagModelCache final {
public:
    // `trainBinary`: the forecast-train executable; `dir`: where model files go.
    TagModelCache(std::filesystem::path trainBinary, std::filesystem::path dir);
    ~TagModelCache();
    TagModelCache(const TagModelCache &) = delete;
    TagModelCache &operator=(const TagModelCache &) = delete;

    // The model file of `tag` when it exists; an error when training it failed (retried on
    // the next call after that); nullopt while it is being trained, in which case
    // `whenDone` runs (on the training thread) once it is finished either way.
    std::optional<rf::Result<std::filesystem::path>> get(const std::string &tag,
                                                         const std::function<void()> &whenDone);
    std::filesystem::path fileFor(const std::string &tag) const;

private:
    struct Entry {
        bool training = false;
        std::optional<std::string> error;
        std::vector<std::function<void()>> waiting;
    };
    void train(std::string tag);
    rf::Status runTrain(const std::string &tag);

    std::filesystem::path m_trainBinary;
    std::filesystem::path m_dir;
    std::mutex m_mutex;
    std::map<std::string, Entry> m_entries;
    std::vector<std::thread> m_threads;
};

} // namespace sandbox
