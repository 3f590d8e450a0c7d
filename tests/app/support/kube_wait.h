#pragma once
// Test helper: run one asynchronous KubeClient call and wait (processing events) for its
// result. Usage:
//     auto result = waitFor([&](KubeCallback done) {
//         return client.get(resources::pods(), "ns", "name", &context, done); });
//     QVERIFY2(result.ok(), qPrintable(errorText(result)));

#include "kube/kube_client.h"

#include <QDeadlineTimer>
#include <QTest>

#include <optional>

namespace dashboard::test {

// The error's message, or empty when the result is a value (QVERIFY2 evaluates its message
// even when the check passes).
inline QString errorText(const KubeResult &result) {
    return result.ok() ? QString() : result.error().text();
}

template <class Start> KubeResult waitForResult(Start start, int timeoutMs = 60000) {
    std::optional<KubeResult> result;
    start([&result](const KubeResult &r) { result.emplace(r); });
    QDeadlineTimer deadline(timeoutMs);
    while (!result && !deadline.hasExpired()) {
        QTest::qWait(20);
    }
    if (!result) {
        KubeError error;
        error.message = "the test timed out waiting for the call";
        return error;
    }
    return *result;
}

} // namespace dashboard::test
