#include "api/resource_service.h"

#include "api/field_selector.h"
#include "api/paging.h"
#include "api/service_internal.h"
#include "util/json_util.h"

#include <charconv>

namespace sandbox {

using service::Object;
using service::ObjectPtr;

namespace {

constexpr int kConflictRetries = 100;

// Selectors of one list or watch request.
struct Filter {
    LabelSelector labels;
    FieldSelector fields;

    bool matches(const Object &object) const {
        if (!labels.empty()) {
            static const Object none;
            const Object *l = json::labels(object);
            if (!labels.matches(l != nullptr ? *l : none)) {
                return false;
            }
        }
        return fields.empty() || fields.matches(object);
    }
};

ApiResult<Filter> parseFilter(const ResourceType &type, const ListOptions &options) {
    auto labels = LabelSelector::parse(options.labelSelector);
    if (!labels) {
        return labels.error();
    }
    auto fields = FieldSelector::parse(options.fieldSelector, type);
    if (!fields) {
        return fields.error();
    }
    return Filter{std::move(labels.value()), std::move(fields.value())};
}

std::optional<std::uint64_t> parseVersion(std::string_view text) {
    std::uint64_t value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

ApiError tooLargeVersion(std::uint64_t requested, std::uint64_t current) {
    ApiError error;
    error.code = 504;
    error.reason = "Timeout";
    error.message = "Too large resource version: " + std::to_string(requested) +
                    ", current: " + std::to_string(current);
    error.causes.push_back(
        StatusCause{"ResourceVersionTooLarge", "Too large resource version", ""});
    return error;
}

bool isConflict(const ApiError &error) {
    return error.code == 409 && error.reason == "Conflict";
}

} // namespace

ResourceService::ResourceService(ObjectStore &store, const ResourceRegistry &registry,
                                 const Clock &clock)
    : m_store(store)
    , m_registry(registry)
    , m_clock(clock) {
    // A real cluster starts with these; creates into them must work from the first request.
    const ResourceType *nsType = service::namespaceType(registry);
    if (nsType == nullptr) {
        return;
    }
    for (const char *name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
        if (!m_store.getShared(*nsType, "", name)) {
            WriteOptions options;
            options.fieldManager = "kube-apiserver";
            (void)create(*nsType, "", Object{{"metadata", Object{{"name", name}}}}, options);
        }
    }
}

ApiResult<Object> ResourceService::get(const ResourceType &type, std::string_view ns,
                                       std::string_view name, Subresource sub) const {
    const ObjectPtr found = m_store.getShared(type, ns, name);
    if (!found) {
        return ApiError::notFound(type, name);
    }
    if (sub == Subresource::Scale) {
        return service::scaleOf(type, *found);
    }
    return *found;
}

ApiResult<ListResult> ResourceService::list(const ResourceType &type, std::string_view ns,
                                            const ListOptions &options) const {
    auto filter = parseFilter(type, options);
    if (!filter) {
        return filter.error();
    }
    const std::string &rvText = options.resourceVersion;
    const std::string &match = options.resourceVersionMatch;
    if (!match.empty() && match != "NotOlderThan" && match != "Exact") {
        return ApiError::badRequest("resourceVersionMatch: Unsupported value: \"" + match +
                                    "\": supported values: \"Exact\", \"NotOlderThan\"");
    }
    if (!match.empty() && rvText.empty()) {
        return ApiError::badRequest(
            "resourceVersionMatch is forbidden unless resourceVersion is provided");
    }
    if (!options.continueToken.empty() && !rvText.empty() && rvText != "0") {
        return ApiError::badRequest(
            "specifying resource version is not allowed when using continue");
    }
    std::uint64_t requested = 0;
    if (!rvText.empty()) {
        const auto parsed = parseVersion(rvText);
        if (!parsed) {
            return ApiError::badRequest("invalid resource version: \"" + rvText + "\"");
        }
        requested = *parsed;
        if (match == "Exact" && requested == 0) {
            return ApiError::badRequest(
                "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
        }
    }

    std::optional<ContinueToken> token;
    if (!options.continueToken.empty()) {
        auto decoded = decodeContinueToken(options.continueToken);
        if (!decoded) {
            return decoded.error();
        }
        if (decoded->resourceVersion < m_store.oldestWatchableVersion()) {
            return ApiError::expired(
                "The provided continue parameter is too old to display a consistent list result. "
                "You can start a new list without the continue parameter.");
        }
        token = decoded.value();
    }

    std::uint64_t current = 0;
    const auto all = m_store.listStored(type, ns, &current);
    if (requested > current) {
        return tooLargeVersion(requested, current);
    }
    if (match == "Exact" && requested != current) {
        // The store keeps no old snapshots to list from.
        return ApiError::expired("too old resource version: " + rvText + " (" +
                                 std::to_string(current) + ")");
    }

    ListResult result;
    const std::uint64_t listVersion = token ? token->resourceVersion : current;
    result.resourceVersion = std::to_string(listVersion);
    std::vector<const StoredPtr *> matching;
    matching.reserve(all.size());
    for (const StoredPtr &stored : all) {
        const Object *object = &stored->object;
        if (token) {
            const std::string objectNs = json::namespaceOf(*object);
            if (objectNs < token->lastNamespace ||
                (objectNs == token->lastNamespace && json::name(*object) <= token->lastName)) {
                continue;
            }
        }
        if (filter->matches(*object)) {
            matching.push_back(&stored);
        }
    }
    std::size_t take = matching.size();
    // resourceVersion=0 is served like the watch cache does: whole, limit ignored.
    const bool paged = options.limit > 0 && rvText != "0";
    if (paged && static_cast<std::size_t>(options.limit) < matching.size()) {
        take = static_cast<std::size_t>(options.limit);
        const Object &last = (*matching[take - 1])->object;
        result.continueToken = encodeContinueToken(
            ContinueToken{listVersion, json::namespaceOf(last), json::name(last)});
        result.remainingItemCount = static_cast<std::int64_t>(matching.size() - take);
    }
    if (options.sharedItems) {
        result.stored.reserve(take);
        for (std::size_t i = 0; i < take; ++i) {
            result.stored.push_back(*matching[i]);
        }
    } else {
        result.items.reserve(take);
        for (std::size_t i = 0; i < take; ++i) {
            result.items.push_back((*matching[i])->object);
        }
    }
    return result;
}

ApiResult<Object> ResourceService::create(const ResourceType &type, std::string_view ns,
                                          Object body, const WriteOptions &options) {
    return service::createObject(*this, type, ns, std::move(body), options, false);
}

ApiResult<Object> ResourceService::update(const ResourceType &type, std::string_view ns,
                                          std::string_view name, Object body,
                                          const WriteOptions &options, Subresource sub) {
    if (sub == Subresource::Main) {
        if (auto error = service::checkIdentity(type, ns, body)) {
            return *error;
        }
    }
    const bool conditional = !json::stringAt(body, {"metadata", "resourceVersion"}).empty();
    for (int attempt = 0;; ++attempt) {
        const ObjectPtr old = m_store.getShared(type, ns, name);
        if (!old) {
            return ApiError::notFound(type, name);
        }
        auto result = service::updateObject(*this, type, *old, body, options, sub, false);
        // An unconditional update lost a race with another writer: redo it on the new state.
        if (!result && isConflict(result.error()) && !conditional && attempt < kConflictRetries) {
            continue;
        }
        return result;
    }
}

ApiResult<WatchId> ResourceService::watch(const ResourceType &type, std::string_view ns,
                                          const ListOptions &options, WatchCallback callback) {
    auto parsed = parseFilter(type, options);
    if (!parsed) {
        return parsed.error();
    }
    auto filter = std::make_shared<const Filter>(std::move(parsed.value()));
    const ResourceType *eventType = &type;
    // Translate store events through the selectors: leaving the selection is a DELETED,
    // entering it an ADDED (the watch cache's behaviour).
    WatchCallback filtered = [filter, callback, eventType](const WatchEvent &event) {
        const bool now = filter->matches(event.object);
        if (event.type == WatchEventType::Deleted) {
            if (now) {
                callback(event);
            }
            return;
        }
        const bool before = event.previous != nullptr && filter->matches(*event.previous);
        if (event.type == WatchEventType::Added || event.previous == nullptr) {
            if (now) {
                callback(event);
            }
            return;
        }
        if (now && before) {
            callback(event);
        } else if (now || before) {
            WatchEvent translated{now ? WatchEventType::Added : WatchEventType::Deleted,
                                  eventType,
                                  event.object,
                                  event.resourceVersion,
                                  event.previous,
                                  event.stored};
            callback(translated);
        }
    };

    // Cluster-scoped objects have no namespace to filter on.
    const std::string_view scope = type.namespaced ? ns : std::string_view();
    const std::string &rvText = options.resourceVersion;
    if (!rvText.empty() && rvText != "0") {
        const auto from = parseVersion(rvText);
        if (!from) {
            return ApiError::badRequest("invalid resource version: \"" + rvText + "\"");
        }
        return m_store.watch(&type, scope, *from, std::move(filtered));
    }
    // "" or "0": the current state as ADDED events, then everything after it.
    for (int attempt = 0;; ++attempt) {
        std::uint64_t listVersion = 0;
        const auto items = m_store.listStored(type, ns, &listVersion);
        if (listVersion < m_store.oldestWatchableVersion() && attempt < kConflictRetries) {
            continue; // history moved past the list while we took it
        }
        for (const StoredPtr &stored : items) {
            if (filter->matches(stored->object)) {
                const auto rv =
                    parseVersion(json::stringAt(stored->object, {"metadata", "resourceVersion"}));
                callback(WatchEvent{WatchEventType::Added, eventType, stored->object,
                                    rv.value_or(0), nullptr, stored});
            }
        }
        return m_store.watch(&type, scope, listVersion, std::move(filtered));
    }
}

} // namespace sandbox
