#pragma once
// Table columns and row printers per kind, as the real API server's printers build them
// (kubernetes pkg/printers/internalversion). The server always prints the wide cells;
// kubectl hides the priority-1 columns unless `-o wide`. The registry attaches one
// PrinterSpec to each ResourceType.

#include "api/resource_registry.h"

#include <vector>

namespace sandbox {

struct PrinterSpec {
    std::vector<TableColumn> columns;
    RowPrinter printRow = nullptr;
};

// core/v1 (printers_pod.cpp, printers_core.cpp)
PrinterSpec podPrinter();
PrinterSpec servicePrinter();
PrinterSpec endpointsPrinter();
PrinterSpec configMapPrinter();
PrinterSpec secretPrinter();
PrinterSpec namespacePrinter();
PrinterSpec serviceAccountPrinter();
PrinterSpec nodePrinter();
PrinterSpec eventPrinter();

// apps/v1 (printers_apps.cpp)
PrinterSpec deploymentPrinter();
PrinterSpec replicaSetPrinter();

// autoscaling, networking, policy, apiextensions (printers_other.cpp)
PrinterSpec hpaPrinter();
PrinterSpec ingressPrinter();
PrinterSpec pdbPrinter();
// metrics.k8s.io (printers_metrics.cpp): NAME, CPU, MEMORY, WINDOW as metrics-server prints.
PrinterSpec podMetricsPrinter();
PrinterSpec nodeMetricsPrinter();
// CustomResourceDefinitions print as the server's default convertor does: NAME, CREATED AT
// (an RFC 3339 timestamp, not an age).
PrinterSpec crdPrinter();
// Kinds without a printer of their own (custom resources such as PrometheusRule, whose CRD
// has no additionalPrinterColumns): NAME, AGE.
PrinterSpec genericPrinter();

} // namespace sandbox
