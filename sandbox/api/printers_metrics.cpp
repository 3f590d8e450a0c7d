// Row printers for metrics.k8s.io PodMetrics and NodeMetrics, as metrics-server's table
// convertor prints them (`kubectl get podmetrics`): usage summed over a pod's containers.
#include "api/printer_util.h"
#include "api/printers.h"
#include "api/quantity.h"
#include "util/json_util.h"

#include <boost/json.hpp>

namespace sandbox {

namespace {

namespace bj = boost::json;
using namespace printing;

std::int64_t milliOf(const bj::object &usage, std::string_view resource) {
    const std::string text = json::stringAt(usage, {resource});
    return text.empty() ? 0 : quantity::parseMilli(text).value_or(0);
}

// The quantities as metrics-server prints them: CPU in nanocores, memory BinarySI.
void usageCells(std::int64_t cpuMilli, std::int64_t memoryMilli, const bj::object &object,
                bj::array &cells) {
    cells.emplace_back(bj::string(name(object)));
    cells.emplace_back(bj::string(quantity::formatNanoCores(cpuMilli * 1'000'000)));
    cells.emplace_back(bj::string(quantity::formatBinary(memoryMilli / 1000)));
    cells.emplace_back(bj::string(json::stringAt(object, {"window"})));
}

void printPodMetrics(const bj::object &object, Now, bj::array &cells) {
    std::int64_t cpu = 0;
    std::int64_t memory = 0;
    if (const bj::array *containers = json::arrayAt(object, {"containers"})) {
        for (const bj::value &c : *containers) {
            if (const bj::object *usage =
                    c.is_object() ? json::objectAt(c.get_object(), {"usage"}) : nullptr) {
                cpu += milliOf(*usage, "cpu");
                memory += milliOf(*usage, "memory");
            }
        }
    }
    usageCells(cpu, memory, object, cells);
}

void printNodeMetrics(const bj::object &object, Now, bj::array &cells) {
    const bj::object *usage = json::objectAt(object, {"usage"});
    usageCells(usage ? milliOf(*usage, "cpu") : 0, usage ? milliOf(*usage, "memory") : 0, object,
               cells);
}

std::vector<TableColumn> metricsColumns() {
    return {nameColumn(), column("CPU", "string", "CPU usage"),
            column("Memory", "string", "Memory usage"),
            column("Window", "string", "Length of the usage sample window")};
}

} // namespace

PrinterSpec podMetricsPrinter() {
    return {metricsColumns(), printPodMetrics};
}

PrinterSpec nodeMetricsPrinter() {
    return {metricsColumns(), printNodeMetrics};
}

} // namespace sandbox
