#include "controllers/namespace_controller.h"

#include "controllers/controller_utils.h"
#include "controllers/deployment_util.h"

namespace sandbox {

NamespaceController::NamespaceController(ResourceService &service, int workers)
    : Controller("namespace-controller", service, workers)
    , m_namespaceType(type("", "namespaces")) {
    watch(m_namespaceType, [this](const WatchEvent &event) {
        if (event.type != WatchEventType::Deleted && deployment::beingDeleted(event.object)) {
            enqueue(objectKey(event.object));
        }
    });
}

NamespaceController::~NamespaceController() {
    stop();
}

SyncResult NamespaceController::sync(const std::string &key) {
    auto found = service().get(m_namespaceType, "", key);
    if (!found || !deployment::beingDeleted(*found)) {
        return SyncResult::done();
    }
    // DELETE of a terminating namespace deletes what is left and removes the namespace
    // once empty.
    auto removed = service().remove(m_namespaceType, "", key, DeleteOptions{});
    if (!removed && isNotFound(removed.error())) {
        return SyncResult::done();
    }
    if (service().get(m_namespaceType, "", key)) {
        return SyncResult::doneRequeueAfter(clock().scaled(std::chrono::seconds(2)));
    }
    return SyncResult::done();
}

} // namespace sandbox
