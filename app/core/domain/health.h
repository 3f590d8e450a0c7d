#pragma once
// How a row should stand out in the UI. Ordered by severity so the worst of several
// (containers, pods of a workload) is simply the maximum.

#include <QString>

namespace dashboard {

enum class Health {
    Healthy,     // running and ready, or finished successfully
    Progressing, // on its way: pending, creating, starting, rolling out, terminating
    Warning,     // works but needs a look: not ready for a while, restarted recently
    Failed,      // will not get better by itself: crash loop, image pull, deadline exceeded
};

// "Healthy", "Progressing", ... (stable identifiers for tests, styling and logs).
QString healthName(Health health);

} // namespace dashboard
