#include "api/field_selector.h"

#include "util/json_util.h"

#include <algorithm>

namespace sandbox {

namespace {

using Object = boost::json::object;

struct FieldLabel {
    std::string_view label;
    std::string (*value)(const Object &);
};

std::string str(const Object &o, json::Path path) {
    return json::stringAt(o, path);
}

std::string boolText(const Object &o, json::Path path) {
    return json::boolAt(o, path).value_or(false) ? "true" : "false";
}

// pkg/registry/core/pod/strategy.go PodToSelectableFields
const FieldLabel kPodFields[] = {
    {"spec.nodeName",
     [](const Object &o) {
         return str(o, {"spec", "nodeName"});
     }},
    {"spec.restartPolicy",
     [](const Object &o) {
         return str(o, {"spec", "restartPolicy"});
     }},
    {"spec.schedulerName",
     [](const Object &o) {
         return str(o, {"spec", "schedulerName"});
     }},
    {"spec.serviceAccountName",
     [](const Object &o) {
         return str(o, {"spec", "serviceAccountName"});
     }},
    {"spec.hostNetwork",
     [](const Object &o) {
         return boolText(o, {"spec", "hostNetwork"});
     }},
    {"status.phase",
     [](const Object &o) {
         return str(o, {"status", "phase"});
     }},
    {"status.podIP",
     [](const Object &o) {
         return str(o, {"status", "podIP"});
     }},
    {"status.nominatedNodeName",
     [](const Object &o) {
         return str(o, {"status", "nominatedNodeName"});
     }},
};

// pkg/registry/core/event/strategy.go ToSelectableFields
const FieldLabel kEventFields[] = {
    {"involvedObject.kind",
     [](const Object &o) {
         return str(o, {"involvedObject", "kind"});
     }},
    {"involvedObject.namespace",
     [](const Object &o) {
         return str(o, {"involvedObject", "namespace"});
     }},
    {"involvedObject.name",
     [](const Object &o) {
         return str(o, {"involvedObject", "name"});
     }},
    {"involvedObject.uid",
     [](const Object &o) {
         return str(o, {"involvedObject", "uid"});
     }},
    {"involvedObject.apiVersion",
     [](const Object &o) {
         return str(o, {"involvedObject", "apiVersion"});
     }},
    {"involvedObject.resourceVersion",
     [](const Object &o) {
         return str(o, {"involvedObject", "resourceVersion"});
     }},
    {"involvedObject.fieldPath",
     [](const Object &o) {
         return str(o, {"involvedObject", "fieldPath"});
     }},
    {"reason", [](const Object &o) { return str(o, {"reason"}); }},
    {"reportingComponent", [](const Object &o) { return str(o, {"reportingComponent"}); }},
    {"source",
     [](const Object &o) {
         return str(o, {"source", "component"});
     }},
    {"type", [](const Object &o) { return str(o, {"type"}); }},
};

const FieldLabel kSecretFields[] = {
    {"type", [](const Object &o) { return str(o, {"type"}); }},
};

const FieldLabel kNamespaceFields[] = {
    {"status.phase",
     [](const Object &o) {
         return str(o, {"status", "phase"});
     }},
};

const FieldLabel kReplicaSetFields[] = {
    {"status.replicas",
     [](const Object &o) {
         return std::to_string(json::intAt(o, {"status", "replicas"}).value_or(0));
     }},
};

struct KindFields {
    std::string_view kind;
    const FieldLabel *begin;
    const FieldLabel *end;
};

template <std::size_t N> KindFields fields(std::string_view kind, const FieldLabel (&labels)[N]) {
    return KindFields{kind, labels, labels + N};
}

const KindFields *kindFields(const ResourceType &type) {
    static const KindFields table[] = {
        fields("Pod", kPodFields),
        fields("Event", kEventFields),
        fields("Secret", kSecretFields),
        fields("Namespace", kNamespaceFields),
        fields("ReplicaSet", kReplicaSetFields),
    };
    for (const KindFields &k : table) {
        if (k.kind == type.kind && (type.group.empty() || type.kind == "ReplicaSet")) {
            return &k;
        }
    }
    return nullptr;
}

const FieldLabel *findLabel(const ResourceType &type, std::string_view label) {
    const KindFields *k = kindFields(type);
    if (k == nullptr) {
        return nullptr;
    }
    auto it = std::find_if(k->begin, k->end, [&](const FieldLabel &f) { return f.label == label; });
    return it == k->end ? nullptr : it;
}

// Splits on unescaped commas; `\,`, `\=`, `\\` are escapes (fields.EscapeValue).
std::vector<std::string> splitTerms(std::string_view text) {
    std::vector<std::string> terms;
    std::string current;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            current += text[i];
            current += text[++i];
        } else if (text[i] == ',') {
            terms.push_back(std::move(current));
            current.clear();
        } else {
            current += text[i];
        }
    }
    terms.push_back(std::move(current));
    return terms;
}

std::string unescape(std::string_view value) {
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
            ++i;
        }
        out += value[i];
    }
    return out;
}

// Position of the first unescaped occurrence of `what`.
std::size_t findUnescaped(std::string_view text, std::string_view what) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
            continue;
        }
        if (text.substr(i, what.size()) == what) {
            return i;
        }
    }
    return std::string_view::npos;
}

} // namespace

bool FieldSelector::supports(const ResourceType &type, std::string_view label) {
    if (label == "metadata.name" || (label == "metadata.namespace" && type.namespaced)) {
        return true;
    }
    return findLabel(type, label) != nullptr;
}

std::string FieldSelector::fieldValue(const ResourceType &type, const Object &object,
                                      std::string_view label) {
    if (label == "metadata.name") {
        return json::name(object);
    }
    if (label == "metadata.namespace") {
        return json::namespaceOf(object);
    }
    const FieldLabel *field = findLabel(type, label);
    return field != nullptr ? field->value(object) : std::string();
}

ApiResult<FieldSelector> FieldSelector::parse(std::string_view text, const ResourceType &type) {
    FieldSelector selector;
    selector.m_type = &type;
    if (text.find_first_not_of(" \t") == std::string_view::npos) {
        return selector;
    }
    for (const std::string &raw : splitTerms(text)) {
        Term term;
        std::size_t pos = findUnescaped(raw, "!=");
        std::size_t width = 2;
        if (pos != std::string::npos) {
            term.negated = true;
        } else if ((pos = findUnescaped(raw, "==")) != std::string::npos) {
            width = 2;
        } else if ((pos = findUnescaped(raw, "=")) != std::string::npos) {
            width = 1;
        } else {
            return ApiError::badRequest("invalid selector: '" + std::string(text) +
                                        "'; can't understand '" + raw + "'");
        }
        term.label = raw.substr(0, pos);
        term.value = unescape(std::string_view(raw).substr(pos + width));
        if (!supports(type, term.label)) {
            return ApiError::badRequest("field label not supported: " + term.label);
        }
        selector.m_terms.push_back(std::move(term));
    }
    return selector;
}

bool FieldSelector::matches(const Object &object) const {
    for (const Term &term : m_terms) {
        const bool equal = fieldValue(*m_type, object, term.label) == term.value;
        if (equal == term.negated) {
            return false;
        }
    }
    return true;
}

} // namespace sandbox
