#pragma once
// What the Kubernetes API server's registry layer does, without HTTP: defaults,
// validation, generation, status/scale subresources, patches, server-side apply, dryRun,
// label/field selectors, paging, watch start, and cascading deletion. The HTTP handlers
// and the in-process controllers both go through this one class, so an object written by
// a controller obeys the same rules as one written by kubectl.

#include "api/api_error.h"
#include "api/resource_registry.h"
#include "store/object_store.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

class Clock;

enum class PatchType {
    Json,           // application/json-patch+json (RFC 6902)
    Merge,          // application/merge-patch+json (RFC 7386)
    StrategicMerge, // application/strategic-merge-patch+json
    Apply,          // application/apply-patch+yaml (server-side apply)
};

// Which part of the object a write addresses.
enum class Subresource { Main, Status, Scale };

struct WriteOptions {
    bool dryRun = false;         // dryRun=All: validate and answer, store nothing
    std::string fieldManager;    // ?fieldManager=; required for Apply
    bool force = false;          // ?force=true for Apply conflicts
    std::string fieldValidation; // "Strict", "Warn", "Ignore" or empty
};

enum class PropagationPolicy { Background, Foreground, Orphan };

struct DeleteOptions {
    bool dryRun = false;
    PropagationPolicy propagation = PropagationPolicy::Background;
    std::optional<std::int64_t> gracePeriodSeconds;
    std::string preconditionUid;
    std::string preconditionResourceVersion;
};

struct ListOptions {
    std::string labelSelector; // "app=web,tier!=db,env in (a,b),!x"
    std::string fieldSelector; // "metadata.name=x,status.phase!=Running"
    std::int64_t limit = 0;    // 0 = all
    std::string continueToken;
    std::string resourceVersion;      // "", "0" or a number
    std::string resourceVersionMatch; // "", "NotOlderThan", "Exact"
    // Answer with `ListResult::stored` (shared, pre-serialized) instead of copies in
    // `items`: what a handler that only writes the list out should ask for.
    bool sharedItems = false;
};

struct ListResult {
    std::vector<boost::json::object> items;
    std::string resourceVersion;
    std::string continueToken; // empty when complete
    std::optional<std::int64_t> remainingItemCount;
    // With ListOptions::sharedItems: the matches as stored, each with its JSON text
    // (items stays empty). Writing `stored[i]->json` costs a memory copy per object.
    std::vector<StoredPtr> stored;
};

// A parsed label selector, from the query-string form or from a LabelSelector object
// (matchLabels + matchExpressions).
class LabelSelector final {
public:
    static ApiResult<LabelSelector> parse(std::string_view text);
    static ApiResult<LabelSelector> fromObject(const boost::json::object &selector);
    bool matches(const boost::json::object &labels) const;
    bool empty() const { return m_requirements.empty(); }
    std::string toString() const; // canonical query-string form, "app=web"

    struct Requirement {
        std::string key;
        enum class Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist } op;
        std::vector<std::string> values;
    };

private:
    std::vector<Requirement> m_requirements;
};

class ResourceService final {
public:
    ResourceService(ObjectStore &store, const ResourceRegistry &registry, const Clock &clock);

    const ResourceRegistry &registry() const { return m_registry; }
    ObjectStore &store() { return m_store; }
    const Clock &clock() const { return m_clock; }

    ApiResult<boost::json::object> get(const ResourceType &type, std::string_view ns,
                                       std::string_view name,
                                       Subresource sub = Subresource::Main) const;
    ApiResult<ListResult> list(const ResourceType &type, std::string_view ns,
                               const ListOptions &options) const;

    // Bodies are JSON (the HTTP layer converts YAML bodies, e.g. apply-patch+yaml, first).
    // body must carry apiVersion/kind matching `type` (or omit them); namespace in the
    // body must match ns when both are set. Returns the stored (or dry-run) object.
    ApiResult<boost::json::object> create(const ResourceType &type, std::string_view ns,
                                          boost::json::object body, const WriteOptions &options);
    // PUT. For Subresource::Status only status changes are taken; for Main the old status
    // is kept (when the type has a status subresource); for Scale body is an
    // autoscaling/v1 Scale and the answer is the new Scale.
    ApiResult<boost::json::object> update(const ResourceType &type, std::string_view ns,
                                          std::string_view name, boost::json::object body,
                                          const WriteOptions &options,
                                          Subresource sub = Subresource::Main);
    // PATCH of any PatchType. Apply creates the object when absent (the caller learns
    // which from `created`).
    ApiResult<boost::json::object> patch(const ResourceType &type, std::string_view ns,
                                         std::string_view name, PatchType patchType,
                                         std::string_view body, const WriteOptions &options,
                                         Subresource sub = Subresource::Main,
                                         bool *created = nullptr);
    // DELETE. Background: the object goes now, dependents are collected by the garbage
    // collector. Foreground: the object gets deletionTimestamp + the foregroundDeletion
    // finalizer and goes when its dependents are gone. Orphan: dependents lose the
    // ownerReference. Objects with finalizers get deletionTimestamp and stay until the
    // finalizers are cleared. Pods with a grace period get deletionTimestamp and
    // deletionGracePeriodSeconds; the kubelet removes them (gracePeriodSeconds=0 removes now).
    ApiResult<boost::json::object> remove(const ResourceType &type, std::string_view ns,
                                          std::string_view name, const DeleteOptions &options);

    // Namespace deletion: remove() marks the namespace Terminating (deletionTimestamp,
    // status.phase) and calls this, which deletes everything in it (pods without grace)
    // and, once nothing is left, the namespace itself. Objects held by finalizers keep it
    // Terminating; whoever clears those (the garbage collector) calls this again.
    // Returns true when the namespace is gone.
    bool finishNamespaceDeletion(std::string_view name);

    // Starts a watch with list semantics for resourceVersion ("" or "0": synthetic ADDED
    // events for the current matches first; "N": events after N; too old: 410).
    // Selectors filter events; an object that stops matching is sent as DELETED, one that
    // starts matching as ADDED (as the real watch cache does).
    ApiResult<WatchId> watch(const ResourceType &type, std::string_view ns,
                             const ListOptions &options, WatchCallback callback);
    void unwatch(WatchId id) { m_store.unwatch(id); }

    // The range Service ClusterIPs are allocated from, as a CIDR. The sandbox sets its
    // address block's range (network/address_plan.h) before serving; the default is
    // kubeadm's 10.96.0.0/16. Set before the first write.
    void setServiceCidr(std::string cidr) { m_serviceCidr = std::move(cidr); }
    const std::string &serviceCidr() const { return m_serviceCidr; }

private:
    // Orphan propagation: dependents lose their ownerReference to `owner` now.
    void orphanDependents(const ResourceType &ownerType, const boost::json::object &owner);

    ObjectStore &m_store;
    const ResourceRegistry &m_registry;
    const Clock &m_clock;
    std::string m_serviceCidr = "10.96.0.0/16";
};

} // namespace sandbox
