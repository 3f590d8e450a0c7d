#pragma once
// How the kubelet runs an image (docs/sandbox-images.md): an ordered table of rules, first
// match wins. `simulate` pods go Running and Ready after a short time-scaled delay without
// any process; `process` pods (issue 4's process runtime) run a local command. An image that
// matches no rule fails as a missing image does: ErrImagePull, then ImagePullBackOff.

#include <rf/result.h>

#include <boost/json/fwd.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

// An image reference split the way container runtimes read it.
struct ImageRef {
    std::string written;    // "nginx:1.25"
    std::string repository; // as written, without tag or digest: "nginx"
    std::string tag;        // "1.25"; empty when absent
    std::string digest;     // "sha256:..."; empty when absent
    std::string normalized; // "docker.io/library/nginx"
    // What a runtime reports in containerStatuses[].image: "docker.io/library/nginx:1.25".
    std::string fullName() const;
    static ImageRef parse(std::string_view image);
};

enum class ImageMode { Simulate, Process };

struct ImageRule {
    std::string pattern; // glob: '*' any run of characters (also '/'), '?' one character
    ImageMode mode = ImageMode::Simulate;
    // process mode: argv and environment; values may use ${TAG}, ${IMAGE}, ${REPOSITORY},
    // ${POD_NAME}, ${POD_NAMESPACE}, ${POD_IP}, ${CONTAINER_NAME}, ${BIN_DIR}.
    std::vector<std::string> command;
    std::map<std::string, std::string> env;
    std::string workingDir;
    // simulate mode: seconds (time-scaled) from scheduling to Running; default 2.
    double startSeconds = 2.0;
};

class ImageTable final {
public:
    // The built-in table: registry.k8s.io/*, docker.io/library/* and official short names
    // (nginx, busybox, ...) simulated, with or without tag/digest; repositories ending in
    // retail-forecast run the built forecast-api (process mode).
    static ImageTable builtin();
    // YAML or JSON: a list of rules, or {"images": [rules]}. Errors name the entry.
    static rf::Result<ImageTable> fromText(std::string_view text);
    static rf::Result<ImageTable> fromFile(const std::filesystem::path &file);

    explicit ImageTable(std::vector<ImageRule> rules)
        : m_rules(std::move(rules)) {}
    // The first rule whose pattern matches the image as written, its repository (without
    // tag/digest), or the normalized repository with or without tag; nullptr: unknown image.
    const ImageRule *match(std::string_view image) const;
    const std::vector<ImageRule> &rules() const { return m_rules; }

private:
    std::vector<ImageRule> m_rules;
};

bool globMatch(std::string_view pattern, std::string_view text);
// Replaces ${NAME} with vars[NAME] (unknown names are left as written).
std::string expandImageVariables(std::string_view text,
                                 const std::map<std::string, std::string> &vars);

} // namespace sandbox
