#pragma once
// Failures of Kubernetes requests as values a user can act on (k8s-api-notes §10): a
// Status body decoded into reason, code and the server's message, a 401 naming the user
// whose credentials were rejected, and transport failures (refused, DNS, TLS, timeout)
// worded for humans with the address they concern.

#include "net/http_types.h"

#include <QJsonObject>
#include <QString>

#include <string>

namespace dashboard {

struct KubeError {
    std::string message;   // what the user reads (rf::Result uses this member)
    int httpCode = 0;      // 0: no HTTP response
    QString reason;        // Status reason ("NotFound", "Expired", ...) or the transport status
    QString serverMessage; // Status.message as the server sent it
    QJsonObject status;    // the whole Status (details, causes), when there was one
    HttpResult::Status transport = HttpResult::Status::Ok;
    int retryAfterSeconds = 0;

    QString text() const { return QString::fromStdString(message); }
    bool isTransport() const { return transport != HttpResult::Status::Ok; }
    bool isNotFound() const { return httpCode == 404; }
    bool isConflict() const { return httpCode == 409; }
    bool isGone() const { return httpCode == 410; } // Expired/Gone: relist
    bool isUnauthorized() const { return httpCode == 401; }
    bool isForbidden() const { return httpCode == 403; }
};

// Who asked where, so messages can say "user X" and "the cluster at URL".
struct ErrorContext {
    QString server; // https://host:port
    QString clusterName;
    QString userName;
    QString credentialKind; // CredentialProvider::describe(), never the secret
    QString sourceFile;     // the kubeconfig that defined the context
};

// A failed HttpResult (transport error or non-2xx response).
KubeError decodeError(const HttpResult &result, const ErrorContext &context);
// A Status object (a watch ERROR event, or the body of a failed response).
KubeError decodeStatus(const QJsonObject &status, int httpCode, const ErrorContext &context);

} // namespace dashboard
