// Row printers for apps/v1: Deployment and ReplicaSet, as `kubectl get deploy,rs -o wide`.
#include "api/printers.h"

#include "api/printer_util.h"
#include "util/json_util.h"

#include <boost/json.hpp>

#include <string>

namespace sandbox {

namespace {

namespace bj = boost::json;
using namespace printing;

const char *kContainersDescription = "Names of each container in the template.";
const char *kImagesDescription = "Images referenced by each container in the template.";

void printDeployment(const bj::object &deploy, Now now, bj::array &cells) {
    // spec.replicas defaults to 1 on the server; an undefaulted object still prints sensibly.
    const std::int64_t desired = intOr(deploy, {"spec", "replicas"}, 1);
    const std::int64_t ready = intOr(deploy, {"status", "readyReplicas"}, 0);
    std::string names, images;
    containerCells(json::objectAt(deploy, {"spec", "template", "spec"}), names, images);
    cells.emplace_back(bj::string(name(deploy)));
    cells.emplace_back(bj::string(std::to_string(ready) + "/" + std::to_string(desired)));
    cells.emplace_back(intOr(deploy, {"status", "updatedReplicas"}, 0));
    cells.emplace_back(intOr(deploy, {"status", "availableReplicas"}, 0));
    cells.emplace_back(bj::string(age(deploy, now)));
    cells.emplace_back(bj::string(names));
    cells.emplace_back(bj::string(images));
    // The deployment printer uses the selector's String(): empty, not "<none>", when unset.
    cells.emplace_back(bj::string(selectorString(json::objectAt(deploy, {"spec", "selector"}))));
}

void printReplicaSet(const bj::object &rs, Now now, bj::array &cells) {
    std::string names, images;
    containerCells(json::objectAt(rs, {"spec", "template", "spec"}), names, images);
    cells.emplace_back(bj::string(name(rs)));
    cells.emplace_back(intOr(rs, {"spec", "replicas"}, 1));
    cells.emplace_back(intOr(rs, {"status", "replicas"}, 0));
    cells.emplace_back(intOr(rs, {"status", "readyReplicas"}, 0));
    cells.emplace_back(bj::string(age(rs, now)));
    cells.emplace_back(bj::string(names));
    cells.emplace_back(bj::string(images));
    cells.emplace_back(bj::string(formatLabelSelector(json::objectAt(rs, {"spec", "selector"}))));
}

} // namespace

PrinterSpec deploymentPrinter() {
    return {{nameColumn(), column("Ready", "string", "Number of the pod with ready state"),
             column("Up-to-date", "string",
                    "Total number of non-terminating pods targeted by this deployment that have "
                    "the desired template spec."),
             column("Available", "string",
                    "Total number of available non-terminating pods (ready for at least "
                    "minReadySeconds) targeted by this deployment."),
             ageColumn(), column("Containers", "string", kContainersDescription, 1),
             column("Images", "string", kImagesDescription, 1),
             column("Selector", "string",
                    "Label selector for pods. Existing ReplicaSets whose pods are selected by "
                    "this will be the ones affected by this deployment.",
                    1)},
            printDeployment};
}

PrinterSpec replicaSetPrinter() {
    return {{nameColumn(),
             column("Desired", "integer",
                    "Replicas is the number of desired pods. This is a pointer to distinguish "
                    "between explicit zero and unspecified. Defaults to 1."),
             column("Current", "integer",
                    "Replicas is the most recently observed number of non-terminating pods."),
             column("Ready", "integer",
                    "The number of non-terminating pods targeted by this ReplicaSet with a "
                    "Ready Condition."),
             ageColumn(), column("Containers", "string", kContainersDescription, 1),
             column("Images", "string", kImagesDescription, 1),
             column("Selector", "string",
                    "Selector is a label query over pods that should match the replica count.", 1)},
            printReplicaSet};
}

} // namespace sandbox
