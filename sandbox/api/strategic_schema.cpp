#include "api/strategic_schema.h"

#include <deque>
#include <unordered_map>

namespace sandbox {

const FieldSchema *SchemaNode::field(std::string_view name) const {
    auto it = fields.find(name);
    return it != fields.end() ? &it->second : nullptr;
}

namespace {

FieldSchema object(const SchemaNode *node) {
    FieldSchema f;
    f.node = node;
    return f;
}

FieldSchema keyed(std::string mergeKey, const SchemaNode *element, std::vector<ListKey> keys = {}) {
    FieldSchema f;
    f.list = ListKind::Keyed;
    if (keys.empty()) {
        keys.push_back({mergeKey, std::nullopt});
    }
    f.mergeKey = std::move(mergeKey);
    f.keys = std::move(keys);
    f.node = element;
    return f;
}

FieldSchema set() {
    FieldSchema f;
    f.list = ListKind::Set;
    return f;
}

// Every node lives here for the life of the process; nodes point at each other.
class SchemaBook {
public:
    SchemaBook() { build(); }

    const SchemaNode *kind(std::string_view name) const {
        auto it = m_kinds.find(std::string(name));
        return it != m_kinds.end() ? it->second : nullptr;
    }
    const SchemaNode *generic() const { return m_generic; }

private:
    SchemaNode *node(bool atomic = false) {
        SchemaNode &n = m_nodes.emplace_back();
        n.atomic = atomic;
        return &n;
    }

    // A top-level kind: metadata plus the given spec/status nodes.
    SchemaNode *root(const SchemaNode *meta, const SchemaNode *spec, const SchemaNode *status) {
        SchemaNode *n = node();
        n->fields["metadata"] = object(meta);
        if (spec != nullptr) {
            n->fields["spec"] = object(spec);
        }
        if (status != nullptr) {
            n->fields["status"] = object(status);
        }
        return n;
    }

    void build();

    std::deque<SchemaNode> m_nodes;
    std::unordered_map<std::string, const SchemaNode *> m_kinds;
    const SchemaNode *m_generic = nullptr;
};

void SchemaBook::build() {
    const std::vector<ListKey> portKeys{{"containerPort", std::nullopt}, {"protocol", "TCP"}};
    const std::vector<ListKey> servicePortKeys{{"port", std::nullopt}, {"protocol", "TCP"}};

    SchemaNode *meta = node();
    meta->fields["finalizers"] = set();
    meta->fields["ownerReferences"] = keyed("uid", node());

    SchemaNode *labelSelector = node(/*atomic=*/true);

    // Conditions of every status: merge by type.
    SchemaNode *conditionStatus = node();
    conditionStatus->fields["conditions"] = keyed("type", node());

    SchemaNode *resources = node();
    resources->fields["claims"] = keyed("name", node());

    SchemaNode *container = node();
    container->fields["ports"] = keyed("containerPort", node(), portKeys);
    container->fields["env"] = keyed("name", node());
    container->fields["volumeMounts"] = keyed("mountPath", node());
    container->fields["volumeDevices"] = keyed("devicePath", node());
    container->fields["resources"] = object(resources);

    SchemaNode *nodeAffinity = node();
    nodeAffinity->fields["requiredDuringSchedulingIgnoredDuringExecution"] =
        object(node(/*atomic=*/true));
    SchemaNode *affinity = node();
    affinity->fields["nodeAffinity"] = object(nodeAffinity);

    SchemaNode *topologySpread = node();
    topologySpread->fields["labelSelector"] = object(labelSelector);

    SchemaNode *podSpec = node();
    podSpec->fields["containers"] = keyed("name", container);
    podSpec->fields["initContainers"] = keyed("name", container);
    podSpec->fields["ephemeralContainers"] = keyed("name", container);
    podSpec->fields["volumes"] = keyed("name", node());
    podSpec->fields["imagePullSecrets"] = keyed("name", node());
    podSpec->fields["hostAliases"] = keyed("ip", node());
    podSpec->fields["topologySpreadConstraints"] =
        keyed("topologyKey", topologySpread,
              {{"topologyKey", std::nullopt}, {"whenUnsatisfiable", std::nullopt}});
    podSpec->fields["resourceClaims"] = keyed("name", node());
    podSpec->fields["schedulingGates"] = keyed("name", node());
    podSpec->fields["affinity"] = object(affinity);

    SchemaNode *podStatus = node();
    podStatus->fields["conditions"] = keyed("type", node());
    podStatus->fields["podIPs"] = keyed("ip", node());

    SchemaNode *podTemplate = node();
    podTemplate->fields["metadata"] = object(meta);
    podTemplate->fields["spec"] = object(podSpec);

    SchemaNode *workloadSpec = node();
    workloadSpec->fields["selector"] = object(labelSelector);
    workloadSpec->fields["template"] = object(podTemplate);
    // spec.strategy carries patchStrategy=retainKeys; $retainKeys is honoured on any map.

    SchemaNode *serviceSpec = node();
    serviceSpec->fields["ports"] = keyed("port", node(), servicePortKeys);
    serviceSpec->fields["selector"] = object(node(/*atomic=*/true));

    SchemaNode *pdbSpec = node();
    pdbSpec->fields["selector"] = object(labelSelector);

    SchemaNode *serviceAccount = root(meta, nullptr, nullptr);
    serviceAccount->fields["secrets"] = keyed("name", node());

    m_kinds["Pod"] = root(meta, podSpec, podStatus);
    m_kinds["Deployment"] = root(meta, workloadSpec, conditionStatus);
    m_kinds["ReplicaSet"] = root(meta, workloadSpec, conditionStatus);
    m_kinds["Service"] = root(meta, serviceSpec, conditionStatus);
    m_kinds["ConfigMap"] = root(meta, nullptr, nullptr);
    m_kinds["Secret"] = root(meta, nullptr, nullptr);
    m_kinds["HorizontalPodAutoscaler"] = root(meta, nullptr, conditionStatus);
    m_kinds["Ingress"] = root(meta, nullptr, nullptr);
    m_kinds["PodDisruptionBudget"] = root(meta, pdbSpec, conditionStatus);
    m_kinds["Namespace"] = root(meta, nullptr, conditionStatus);
    m_kinds["ServiceAccount"] = serviceAccount;
    m_kinds["Endpoints"] = root(meta, nullptr, nullptr);
    m_kinds["Event"] = root(meta, nullptr, nullptr);
    // Subresource bodies patched through /scale.
    m_kinds["Scale"] = root(meta, nullptr, nullptr);
    m_generic = root(meta, nullptr, nullptr);
}

const SchemaBook &book() {
    static const SchemaBook instance;
    return instance;
}

} // namespace

const SchemaNode *strategicSchemaFor(std::string_view kind) {
    return book().kind(kind);
}

const SchemaNode *genericObjectSchema() {
    return book().generic();
}

} // namespace sandbox
