#include "kubelet/container_launch.h"

#include "util/json_util.h"

#include <boost/json/array.hpp>

#include <cstdlib>

namespace sandbox {

namespace {

constexpr std::string_view kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::vector<std::string> stringList(const boost::json::object &container, std::string_view key) {
    std::vector<std::string> out;
    if (const auto *list = json::arrayAt(container, {key})) {
        for (const auto &item : *list) {
            if (item.is_string()) {
                out.emplace_back(item.get_string());
            }
        }
    }
    return out;
}

std::string baseName(const std::string &path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

std::map<std::string, std::string> imageVariables(const LaunchInputs &in) {
    const ImageRef ref = ImageRef::parse(in.image);
    std::map<std::string, std::string> vars{
        {"TAG", ref.tag},
        {"IMAGE", ref.written},
        {"REPOSITORY", ref.repository},
        {"POD_NAME", in.pod ? json::name(*in.pod) : std::string()},
        {"POD_NAMESPACE", in.pod ? json::namespaceOf(*in.pod) : std::string()},
        {"POD_IP", in.podIP},
        {"CONTAINER_NAME", in.container ? json::stringAt(*in.container, {"name"}) : std::string()},
        {"BIN_DIR", in.binDir.string()},
    };
    if (in.tagModel) {
        vars["TAG_MODEL"] = in.tagModel->string();
    }
    return vars;
}

bool ruleUsesVariable(const ImageRule &rule, std::string_view name) {
    const std::string needle = "${" + std::string(name) + "}";
    auto uses = [&](const std::string &text) { return text.find(needle) != std::string::npos; };
    for (const auto &word : rule.command) {
        if (uses(word)) {
            return true;
        }
    }
    for (const auto &[key, value] : rule.env) {
        if (uses(value)) {
            return true;
        }
    }
    return uses(rule.workingDir);
}

std::string expandKubeReferences(std::string_view text,
                                 const std::map<std::string, std::string> &env) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '$' && i + 1 < text.size()) {
            if (text[i + 1] == '$') {
                out.push_back('$');
                i += 2;
                continue;
            }
            if (text[i + 1] == '(') {
                const auto close = text.find(')', i + 2);
                if (close != std::string_view::npos) {
                    const std::string name(text.substr(i + 2, close - i - 2));
                    if (auto it = env.find(name); it != env.end()) {
                        out += it->second;
                        i = close + 1;
                        continue;
                    }
                }
            }
        }
        out.push_back(text[i++]);
    }
    return out;
}

LaunchSpec buildLaunchSpec(const LaunchInputs &in) {
    const auto vars = imageVariables(in);
    const boost::json::object empty;
    const boost::json::object &container = in.container ? *in.container : empty;

    // Environment: defaults, then the container's, then the rule's (see the header).
    std::vector<std::pair<std::string, std::string>> ordered;
    std::map<std::string, std::size_t> position;
    auto set = [&](const std::string &name, const std::string &value) {
        if (auto it = position.find(name); it != position.end()) {
            ordered[it->second].second = value;
        } else {
            position[name] = ordered.size();
            ordered.emplace_back(name, value);
        }
    };
    const char *path = std::getenv("PATH"); // NOLINT(concurrency-mt-unsafe)
    set("PATH", path != nullptr && path[0] != '\0' ? path : std::string(kDefaultPath));
    const char *home = std::getenv("HOME"); // NOLINT(concurrency-mt-unsafe)
    set("HOME", home != nullptr && home[0] != '\0' ? home : "/");
    set("HOSTNAME", vars.at("POD_NAME"));
    for (const auto &[name, value] : in.containerEnv) {
        set(name, value);
    }
    if (in.rule != nullptr) {
        for (const auto &[name, value] : in.rule->env) {
            set(name, expandImageVariables(value, vars));
        }
    }
    std::map<std::string, std::string> envMap(ordered.begin(), ordered.end());

    // argv: ENTRYPOINT + CMD from the rule, replaced as Kubernetes replaces them.
    std::vector<std::string> entry;
    if (in.rule != nullptr) {
        for (const auto &word : in.rule->command) {
            entry.push_back(expandImageVariables(word, vars));
        }
    }
    const auto command = stringList(container, "command");
    const auto args = stringList(container, "args");
    std::vector<std::string> argv;
    if (!command.empty()) {
        for (const auto &word : command) {
            argv.push_back(expandKubeReferences(word, envMap));
        }
        if (!entry.empty() && baseName(argv[0]) == baseName(entry[0])) {
            argv[0] = entry[0];
        }
        for (const auto &word : args) {
            argv.push_back(expandKubeReferences(word, envMap));
        }
    } else if (!args.empty()) {
        if (!entry.empty()) {
            argv.push_back(entry[0]);
        }
        for (const auto &word : args) {
            argv.push_back(expandKubeReferences(word, envMap));
        }
    } else {
        argv = entry;
    }

    LaunchSpec spec;
    spec.argv = std::move(argv);
    for (const auto &[name, value] : ordered) {
        spec.env.push_back(name + "=" + value);
    }
    std::error_code ec;
    const std::string ownDir = json::stringAt(container, {"workingDir"});
    if (in.rule != nullptr && !in.rule->workingDir.empty()) {
        spec.workingDir = expandImageVariables(in.rule->workingDir, vars);
    } else if (!ownDir.empty() && std::filesystem::is_directory(ownDir, ec)) {
        spec.workingDir = ownDir;
    } else if (!in.privateDir.empty()) {
        std::filesystem::create_directories(in.privateDir, ec);
        spec.workingDir = in.privateDir;
    }
    return spec;
}

} // namespace sandbox
