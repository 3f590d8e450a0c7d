#include "kubelet/image_table.h"

#include "util/json_util.h"
#include "util/yaml_json.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <fstream>
#include <sstream>

namespace sandbox {

namespace {

// Docker Official Images people use in examples; as short names they resolve to
// docker.io/library/<name>.
constexpr std::string_view kOfficialImages[] = {
    "nginx",       "busybox",  "alpine",  "ubuntu",        "debian",   "httpd",
    "redis",       "postgres", "mysql",   "mariadb",       "mongo",    "memcached",
    "rabbitmq",    "python",   "node",    "golang",        "openjdk",  "eclipse-temurin",
    "hello-world", "traefik",  "haproxy", "caddy",         "registry", "nats",
    "consul",      "vault",    "fedora",  "centos",        "php",      "ruby",
    "perl",        "bash",     "tomcat",  "elasticsearch",
};

bool isRegistryHost(std::string_view component) {
    return component.find('.') != std::string_view::npos ||
           component.find(':') != std::string_view::npos || component == "localhost";
}

} // namespace

std::string ImageRef::fullName() const {
    std::string out = normalized;
    if (!tag.empty()) {
        out += ":" + tag;
    } else if (digest.empty()) {
        out += ":latest";
    }
    if (!digest.empty()) {
        out += "@" + digest;
    }
    return out;
}

ImageRef ImageRef::parse(std::string_view image) {
    ImageRef ref;
    ref.written = std::string(image);
    std::string_view rest = image;
    if (const auto at = rest.find('@'); at != std::string_view::npos) {
        ref.digest = std::string(rest.substr(at + 1));
        rest = rest.substr(0, at);
    }
    const auto slash = rest.rfind('/');
    const auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        ref.tag = std::string(rest.substr(colon + 1));
        rest = rest.substr(0, colon);
    }
    ref.repository = std::string(rest);
    const auto firstSlash = rest.find('/');
    if (firstSlash == std::string_view::npos) {
        ref.normalized = "docker.io/library/" + std::string(rest);
    } else if (isRegistryHost(rest.substr(0, firstSlash))) {
        const std::string_view host = rest.substr(0, firstSlash);
        const std::string_view path = rest.substr(firstSlash + 1);
        const bool dockerHub = host == "docker.io" || host == "index.docker.io";
        if (dockerHub && path.find('/') == std::string_view::npos) {
            ref.normalized = "docker.io/library/" + std::string(path);
        } else {
            ref.normalized = (dockerHub ? std::string("docker.io") : std::string(host)) + "/" +
                             std::string(path);
        }
    } else {
        ref.normalized = "docker.io/" + std::string(rest);
    }
    return ref;
}

bool globMatch(std::string_view pattern, std::string_view text) {
    std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

std::string expandImageVariables(std::string_view text,
                                 const std::map<std::string, std::string> &vars) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
            const auto end = text.find('}', i + 2);
            if (end != std::string_view::npos) {
                const std::string name(text.substr(i + 2, end - i - 2));
                if (auto it = vars.find(name); it != vars.end()) {
                    out += it->second;
                    i = end + 1;
                    continue;
                }
            }
        }
        out.push_back(text[i++]);
    }
    return out;
}

ImageTable ImageTable::builtin() {
    std::vector<ImageRule> rules;
    auto simulate = [&](std::string pattern) {
        ImageRule rule;
        rule.pattern = std::move(pattern);
        rules.push_back(std::move(rule));
    };
    // A bad release to roll out and back (docs/sandbox-images.md): its LOG_LEVEL is one
    // forecast-api's own configuration check rejects, so it logs the variable and exits 2.
    ImageRule broken;
    broken.pattern = "*retail-forecast:broken";
    broken.mode = ImageMode::Process;
    broken.command = {"${BIN_DIR}/forecast-api"};
    broken.env = {{"APP_VERSION", "${TAG}"}, {"HOST", "${POD_IP}"}, {"LOG_LEVEL", "verbose"}};
    rules.push_back(std::move(broken));
    // Every other tag: the built forecast-api serving a model trained for that tag.
    ImageRule forecast;
    forecast.pattern = "*retail-forecast";
    forecast.mode = ImageMode::Process;
    forecast.command = {"${BIN_DIR}/forecast-api"};
    forecast.env = {
        {"APP_VERSION", "${TAG}"}, {"HOST", "${POD_IP}"}, {"MODEL_PATH", "${TAG_MODEL}"}};
    rules.push_back(std::move(forecast));
    simulate("registry.k8s.io/*");
    simulate("docker.io/library/*");
    simulate("library/*");
    for (std::string_view name : kOfficialImages) {
        simulate(std::string(name));
    }
    return ImageTable(std::move(rules));
}

const ImageRule *ImageTable::match(std::string_view image) const {
    const ImageRef ref = ImageRef::parse(image);
    std::string normalizedWithTag = ref.normalized;
    if (!ref.tag.empty()) {
        normalizedWithTag += ":" + ref.tag;
    }
    // A bare name ("nosuch") is matched only as written, never through its normalized
    // docker.io/library/ form: only the official names listed in the table are official
    // images here, so a typo fails like a missing image instead of being simulated.
    const bool qualified = ref.repository.find('/') != std::string::npos;
    for (const ImageRule &rule : m_rules) {
        if (globMatch(rule.pattern, ref.written) || globMatch(rule.pattern, ref.repository) ||
            (qualified && (globMatch(rule.pattern, normalizedWithTag) ||
                           globMatch(rule.pattern, ref.normalized)))) {
            return &rule;
        }
    }
    return nullptr;
}

namespace {

rf::Result<ImageRule> ruleFromJson(const boost::json::value &value, std::size_t index) {
    const std::string where = "images[" + std::to_string(index) + "]";
    if (!value.is_object()) {
        return rf::fail(where + ": must be a mapping with pattern and mode");
    }
    const auto &object = value.get_object();
    ImageRule rule;
    rule.pattern = json::stringAt(object, {"pattern"});
    if (rule.pattern.empty()) {
        return rf::fail(where + ".pattern: required");
    }
    const std::string mode = json::stringAt(object, {"mode"}, "simulate");
    if (mode == "simulate") {
        rule.mode = ImageMode::Simulate;
    } else if (mode == "process") {
        rule.mode = ImageMode::Process;
    } else {
        return rf::fail(where + ".mode: Unsupported value: \"" + mode +
                        "\": supported values: \"simulate\", \"process\"");
    }
    if (const auto *command = object.if_contains("command")) {
        if (command->is_string()) {
            std::istringstream words(std::string(command->get_string()));
            for (std::string word; words >> word;) {
                rule.command.push_back(word);
            }
        } else if (command->is_array()) {
            for (const auto &item : command->get_array()) {
                if (!item.is_string()) {
                    return rf::fail(where + ".command: must be strings");
                }
                rule.command.emplace_back(item.get_string());
            }
        } else {
            return rf::fail(where + ".command: must be a list of strings");
        }
    }
    if (rule.mode == ImageMode::Process && rule.command.empty()) {
        return rf::fail(where + ".command: required for mode process");
    }
    if (const auto *env = object.if_contains("env")) {
        if (env->is_object()) {
            for (const auto &[k, v] : env->get_object()) {
                rule.env[std::string(k)] =
                    v.is_string() ? std::string(v.get_string()) : boost::json::serialize(v);
            }
        } else if (env->is_array()) { // [{name, value}] like a container's env
            for (const auto &item : env->get_array()) {
                if (!item.is_object() || json::stringAt(item.get_object(), {"name"}).empty()) {
                    return rf::fail(where + ".env: entries need a name");
                }
                rule.env[json::stringAt(item.get_object(), {"name"})] =
                    json::stringAt(item.get_object(), {"value"});
            }
        } else {
            return rf::fail(where + ".env: must be a mapping or a list of {name, value}");
        }
    }
    rule.workingDir = json::stringAt(object, {"workingDir"});
    if (const auto *start = object.if_contains("startSeconds")) {
        if (!start->is_number() || start->to_number<double>() < 0) {
            return rf::fail(where + ".startSeconds: must be a number >= 0");
        }
        rule.startSeconds = start->to_number<double>();
    }
    return rule;
}

} // namespace

rf::Result<ImageTable> ImageTable::fromText(std::string_view text) {
    auto parsed = yaml::toJson(text);
    if (!parsed) {
        return rf::fail("image table: " + parsed.message());
    }
    const boost::json::value *list = &parsed.value();
    if (list->is_object()) {
        list = list->get_object().if_contains("images");
    }
    if (list == nullptr || !list->is_array()) {
        return rf::fail("image table: expected a list of rules or {images: [...]}");
    }
    std::vector<ImageRule> rules;
    std::size_t index = 0;
    for (const auto &item : list->get_array()) {
        auto rule = ruleFromJson(item, index++);
        if (!rule) {
            return rf::fail("image table: " + rule.message());
        }
        rules.push_back(std::move(rule.value()));
    }
    return ImageTable(std::move(rules));
}

rf::Result<ImageTable> ImageTable::fromFile(const std::filesystem::path &file) {
    std::ifstream in(file);
    if (!in) {
        return rf::fail("image table " + file.string() + ": cannot read the file");
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto table = fromText(buffer.str());
    if (!table) {
        return rf::fail(file.string() + ": " + table.message());
    }
    return table;
}

} // namespace sandbox
