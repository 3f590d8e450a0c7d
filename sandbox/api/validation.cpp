#include "api/validation.h"

#include "util/json_util.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>

namespace sandbox::validation {

namespace {

bool lowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool alnum(char c) {
    return lowerAlnum(c) || (c >= 'A' && c <= 'Z');
}

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool isLabelToken(std::string_view v) {
    if (v.empty() || !lowerAlnum(v.front()) || !lowerAlnum(v.back())) {
        return false;
    }
    return std::all_of(v.begin(), v.end(), [](char c) { return lowerAlnum(c) || c == '-'; });
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool isQualifiedToken(std::string_view v) {
    if (v.empty() || !alnum(v.front()) || !alnum(v.back())) {
        return false;
    }
    return std::all_of(v.begin(), v.end(),
                       [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

const char *kSubdomainMessage =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const char *kLabelMessage =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const char *kDns1035Message =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const char *kQualifiedNameMessage =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const char *kQualifiedNameFormat =
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
    "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
    "subdomain prefix and '/' (e.g. 'example.com/MyName')";
const char *kLabelValueMessage =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
    "or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const char *kEnvNameMessage =
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', "
    "or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
    "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

constexpr std::size_t kAnnotationsMax = 256 * 1024;

std::string at(const std::string &path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

std::string intText(const boost::json::value &v) {
    return boost::json::serialize(v);
}

} // namespace

std::vector<std::string> dns1123Subdomain(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > 253) {
        errors.emplace_back("must be no more than 253 characters");
    }
    bool ok = !value.empty();
    std::size_t start = 0;
    while (ok) {
        const std::size_t dot = value.find('.', start);
        ok = isLabelToken(
            value.substr(start, dot == std::string_view::npos ? value.npos : dot - start));
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    if (!ok) {
        errors.emplace_back(kSubdomainMessage);
    }
    return errors;
}

std::vector<std::string> dns1123Label(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > 63) {
        errors.emplace_back("must be no more than 63 characters");
    }
    if (!isLabelToken(value)) {
        errors.emplace_back(kLabelMessage);
    }
    return errors;
}

std::vector<std::string> dns1035Label(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > 63) {
        errors.emplace_back("must be no more than 63 characters");
    }
    if (!isLabelToken(value) || !(value.front() >= 'a' && value.front() <= 'z')) {
        errors.emplace_back(kDns1035Message);
    }
    return errors;
}

std::vector<std::string> qualifiedName(std::string_view value) {
    std::vector<std::string> errors;
    std::string_view name = value;
    const std::size_t slash = value.find('/');
    if (slash != std::string_view::npos) {
        if (value.find('/', slash + 1) != std::string_view::npos) {
            errors.emplace_back(kQualifiedNameFormat);
            return errors;
        }
        const std::string_view prefix = value.substr(0, slash);
        name = value.substr(slash + 1);
        if (prefix.empty()) {
            errors.emplace_back("prefix part must be non-empty");
        } else {
            for (const std::string &e : dns1123Subdomain(prefix)) {
                errors.push_back("prefix part " + e);
            }
        }
    }
    if (name.empty()) {
        errors.emplace_back("name part must be non-empty");
    } else if (name.size() > 63) {
        errors.emplace_back("name part must be no more than 63 characters");
    }
    if (!name.empty() && !isQualifiedToken(name)) {
        errors.emplace_back(kQualifiedNameMessage);
    }
    return errors;
}

std::vector<std::string> labelValue(std::string_view value) {
    std::vector<std::string> errors;
    if (value.size() > 63) {
        errors.emplace_back("must be no more than 63 characters");
    }
    if (!value.empty() && !isQualifiedToken(value)) {
        errors.emplace_back(kLabelValueMessage);
    }
    return errors;
}

std::string goQuote(std::string_view value) {
    return boost::json::serialize(boost::json::string(value));
}

StatusCause invalid(std::string field, std::string valueText, std::string detail) {
    std::string message = "Invalid value: " + valueText;
    if (!detail.empty()) {
        message += ": " + detail;
    }
    return StatusCause{"FieldValueInvalid", std::move(message), std::move(field)};
}

StatusCause required(std::string field, std::string detail) {
    std::string message = "Required value";
    if (!detail.empty()) {
        message += ": " + detail;
    }
    return StatusCause{"FieldValueRequired", std::move(message), std::move(field)};
}

StatusCause notSupported(std::string field, std::string valueText,
                         const std::vector<std::string> &supported) {
    std::string message = "Unsupported value: " + valueText;
    if (!supported.empty()) {
        message += ": supported values: ";
        for (std::size_t i = 0; i < supported.size(); ++i) {
            message += (i > 0 ? ", " : "") + goQuote(supported[i]);
        }
    }
    return StatusCause{"FieldValueNotSupported", std::move(message), std::move(field)};
}

StatusCause duplicate(std::string field, std::string valueText) {
    return StatusCause{"FieldValueDuplicate", "Duplicate value: " + valueText, std::move(field)};
}

StatusCause forbidden(std::string field, std::string detail) {
    return StatusCause{"FieldValueForbidden", "Forbidden: " + detail, std::move(field)};
}

StatusCause tooLong(std::string field, std::size_t max) {
    return StatusCause{"FieldValueTooLong",
                       "Too long: must have at most " + std::to_string(max) + " bytes",
                       std::move(field)};
}

std::string goStringMap(const boost::json::object *map) {
    if (map == nullptr) {
        return "map[string]string(nil)";
    }
    // Go prints map keys sorted.
    std::vector<std::pair<std::string, std::string>> entries;
    for (const auto &[key, value] : *map) {
        entries.emplace_back(std::string(key),
                             value.is_string() ? std::string(value.get_string()) : std::string());
    }
    std::sort(entries.begin(), entries.end());
    std::string text = "map[string]string{";
    for (std::size_t i = 0; i < entries.size(); ++i) {
        text += (i > 0 ? ", " : "") + goQuote(entries[i].first) + ":" + goQuote(entries[i].second);
    }
    return text + "}";
}

void validateLabelsAndAnnotations(const boost::json::object *meta, const std::string &path,
                                  std::vector<StatusCause> &causes) {
    if (meta == nullptr) {
        return;
    }
    if (const boost::json::object *labels = json::objectAt(*meta, {"labels"})) {
        for (const auto &[key, value] : *labels) {
            for (const std::string &e : qualifiedName(key)) {
                causes.push_back(invalid(path + ".labels", goQuote(key), e));
            }
            const std::string text = value.is_string() ? std::string(value.get_string()) : "";
            for (const std::string &e : labelValue(text)) {
                causes.push_back(invalid(path + ".labels", goQuote(text), e));
            }
        }
    }
    if (const boost::json::object *annotations = json::objectAt(*meta, {"annotations"})) {
        std::size_t total = 0;
        for (const auto &[key, value] : *annotations) {
            std::string lower(key);
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            for (const std::string &e : qualifiedName(lower)) {
                causes.push_back(invalid(path + ".annotations", goQuote(key), e));
            }
            total += key.size() + (value.is_string() ? value.get_string().size() : 0);
        }
        if (total > kAnnotationsMax) {
            causes.push_back(tooLong(path + ".annotations", kAnnotationsMax));
        }
    }
}

namespace {

void validatePorts(const boost::json::object &container, const std::string &path,
                   std::vector<StatusCause> &causes) {
    const boost::json::array *ports = json::arrayAt(container, {"ports"});
    if (ports == nullptr) {
        return;
    }
    for (std::size_t i = 0; i < ports->size(); ++i) {
        const boost::json::object *port = (*ports)[i].if_object();
        const std::string p = at(path + ".ports", i);
        if (port == nullptr) {
            continue;
        }
        const auto number = json::intAt(*port, {"containerPort"});
        if (!number || *number == 0) {
            causes.push_back(required(p + ".containerPort"));
        } else if (*number < 1 || *number > 65535) {
            causes.push_back(invalid(p + ".containerPort", std::to_string(*number),
                                     "must be between 1 and 65535, inclusive"));
        }
        const std::string protocol = json::stringAt(*port, {"protocol"}, "TCP");
        if (protocol != "TCP" && protocol != "UDP" && protocol != "SCTP") {
            causes.push_back(
                notSupported(p + ".protocol", goQuote(protocol), {"SCTP", "TCP", "UDP"}));
        }
    }
}

void validateContainer(const boost::json::object &container, const std::string &path,
                       std::set<std::string> &names, std::vector<StatusCause> &causes) {
    const std::string name = json::stringAt(container, {"name"});
    if (name.empty()) {
        causes.push_back(required(path + ".name"));
    } else {
        for (const std::string &e : dns1123Label(name)) {
            causes.push_back(invalid(path + ".name", goQuote(name), e));
        }
        if (!names.insert(name).second) {
            causes.push_back(duplicate(path + ".name", goQuote(name)));
        }
    }
    if (json::stringAt(container, {"image"}).empty()) {
        causes.push_back(required(path + ".image"));
    }
    const std::string pullPolicy = json::stringAt(container, {"imagePullPolicy"});
    if (!pullPolicy.empty() && pullPolicy != "Always" && pullPolicy != "IfNotPresent" &&
        pullPolicy != "Never") {
        causes.push_back(notSupported(path + ".imagePullPolicy", goQuote(pullPolicy),
                                      {"Always", "IfNotPresent", "Never"}));
    }
    validatePorts(container, path, causes);
    if (const boost::json::array *env = json::arrayAt(container, {"env"})) {
        for (std::size_t i = 0; i < env->size(); ++i) {
            const boost::json::object *var = (*env)[i].if_object();
            const std::string envName = var != nullptr ? json::stringAt(*var, {"name"}) : "";
            const std::string p = at(path + ".env", i) + ".name";
            if (envName.empty()) {
                causes.push_back(required(p));
                continue;
            }
            const bool validStart = !(envName.front() >= '0' && envName.front() <= '9');
            const bool validChars = std::all_of(envName.begin(), envName.end(), [](char c) {
                return alnum(c) || c == '_' || c == '-' || c == '.';
            });
            if (!validStart || !validChars) {
                causes.push_back(invalid(p, goQuote(envName), kEnvNameMessage));
            }
        }
    }
}

} // namespace

void validatePodSpec(const boost::json::object *spec, const std::string &path, bool workload,
                     std::vector<StatusCause> &causes) {
    const boost::json::array *containers =
        spec != nullptr ? json::arrayAt(*spec, {"containers"}) : nullptr;
    std::set<std::string> names;
    if (containers == nullptr || containers->empty()) {
        causes.push_back(required(path + ".containers"));
    } else {
        for (std::size_t i = 0; i < containers->size(); ++i) {
            if (const boost::json::object *c = (*containers)[i].if_object()) {
                validateContainer(*c, at(path + ".containers", i), names, causes);
            }
        }
    }
    if (spec == nullptr) {
        return;
    }
    if (const boost::json::array *init = json::arrayAt(*spec, {"initContainers"})) {
        for (std::size_t i = 0; i < init->size(); ++i) {
            if (const boost::json::object *c = (*init)[i].if_object()) {
                validateContainer(*c, at(path + ".initContainers", i), names, causes);
            }
        }
    }
    const std::string restart = json::stringAt(*spec, {"restartPolicy"});
    if (workload && !restart.empty() && restart != "Always") {
        causes.push_back(notSupported(path + ".restartPolicy", goQuote(restart), {"Always"}));
    } else if (!restart.empty() && restart != "Always" && restart != "OnFailure" &&
               restart != "Never") {
        causes.push_back(notSupported(path + ".restartPolicy", goQuote(restart),
                                      {"Always", "OnFailure", "Never"}));
    }
    const std::string dns = json::stringAt(*spec, {"dnsPolicy"});
    if (!dns.empty() && dns != "ClusterFirstWithHostNet" && dns != "ClusterFirst" &&
        dns != "Default" && dns != "None") {
        causes.push_back(
            notSupported(path + ".dnsPolicy", goQuote(dns),
                         {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"}));
    }
    if (const boost::json::value *grace = spec->if_contains("terminationGracePeriodSeconds")) {
        const auto seconds = json::intAt(*spec, {"terminationGracePeriodSeconds"});
        if (seconds && *seconds < 0) {
            causes.push_back(invalid(path + ".terminationGracePeriodSeconds", intText(*grace),
                                     "must be greater than or equal to 0"));
        }
    }
}

} // namespace sandbox::validation
