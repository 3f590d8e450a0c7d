#include "kube/status_error.h"

#include <QJsonDocument>
#include <QUrl>

namespace dashboard {

namespace {

QString clusterPhrase(const ErrorContext &context) {
    QString phrase = context.server.isEmpty()
                         ? QStringLiteral("the cluster")
                         : QStringLiteral("the cluster at %1").arg(context.server);
    if (!context.clusterName.isEmpty()) {
        phrase += QStringLiteral(" (cluster \"%1\"").arg(context.clusterName);
        if (!context.sourceFile.isEmpty()) {
            phrase += QStringLiteral(" in %1").arg(context.sourceFile);
        }
        phrase += QLatin1Char(')');
    }
    return phrase;
}

QString reasonPhrase(int code) {
    switch (code) {
    case 400:
        return QStringLiteral("BadRequest");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("NotFound");
    case 405:
        return QStringLiteral("MethodNotAllowed");
    case 409:
        return QStringLiteral("Conflict");
    case 410:
        return QStringLiteral("Gone");
    case 415:
        return QStringLiteral("UnsupportedMediaType");
    case 422:
        return QStringLiteral("Invalid");
    case 429:
        return QStringLiteral("TooManyRequests");
    case 500:
        return QStringLiteral("InternalError");
    case 503:
        return QStringLiteral("ServiceUnavailable");
    case 504:
        return QStringLiteral("Timeout");
    default:
        return QStringLiteral("HTTP %1").arg(code);
    }
}

QString unauthorizedMessage(const ErrorContext &context) {
    const QString user = context.userName.isEmpty()
                             ? QStringLiteral("(anonymous)")
                             : QStringLiteral("\"%1\"").arg(context.userName);
    QString text = QStringLiteral("Unauthorized: the credentials of user %1").arg(user);
    if (!context.credentialKind.isEmpty()) {
        text += QStringLiteral(" (%1)").arg(context.credentialKind);
    }
    text += QStringLiteral(" were rejected by %1 — log in again or refresh the credentials")
                .arg(clusterPhrase(context));
    if (!context.sourceFile.isEmpty()) {
        text += QStringLiteral(" in %1").arg(context.sourceFile);
    }
    return text;
}

KubeError transportError(const HttpResult &result, const ErrorContext &context) {
    KubeError error;
    error.transport = result.status;
    error.reason = statusName(result.status);
    const QString where = clusterPhrase(context);
    const QString detail = result.errorString;
    QString text;
    switch (result.status) {
    case HttpResult::Status::ConnectionRefused:
        text = QStringLiteral("Cannot connect to %1: connection refused. Is the API server "
                              "running and is the address right? (%2)")
                   .arg(where, detail);
        break;
    case HttpResult::Status::HostNotFound:
        text = QStringLiteral("Cannot find the host of %1 (DNS lookup failed: %2). Check the "
                              "server address in the kubeconfig, your network or VPN.")
                   .arg(where, detail);
        break;
    case HttpResult::Status::TlsError:
        text = QStringLiteral("TLS verification of %1 failed: %2. The server's certificate is "
                              "not trusted by the kubeconfig's certificate-authority, or its "
                              "name does not match (see tls-server-name).")
                   .arg(where, detail);
        break;
    case HttpResult::Status::Timeout:
        text = QStringLiteral("%1 did not answer in time (%2).").arg(where, detail);
        text[0] = text[0].toUpper();
        break;
    case HttpResult::Status::CredentialsError:
        text = QStringLiteral("Cannot get credentials for user \"%1\": %2")
                   .arg(context.userName, detail);
        break;
    case HttpResult::Status::Cancelled:
        text = QStringLiteral("The request was cancelled.");
        break;
    default:
        text = QStringLiteral("Lost the connection to %1: %2").arg(where, detail);
        break;
    }
    error.message = text.toStdString();
    return error;
}

} // namespace

KubeError decodeStatus(const QJsonObject &status, int httpCode, const ErrorContext &context) {
    KubeError error;
    error.status = status;
    error.httpCode = status.value(QLatin1String("code")).toInt(httpCode);
    if (error.httpCode == 0) {
        error.httpCode = httpCode;
    }
    error.reason = status.value(QLatin1String("reason")).toString();
    if (error.reason.isEmpty()) {
        error.reason = reasonPhrase(error.httpCode);
    }
    error.serverMessage = status.value(QLatin1String("message")).toString();
    error.retryAfterSeconds = status.value(QLatin1String("details"))
                                  .toObject()
                                  .value(QLatin1String("retryAfterSeconds"))
                                  .toInt();
    QString text;
    if (error.httpCode == 401) {
        text = unauthorizedMessage(context);
    } else if (!error.serverMessage.isEmpty()) {
        // The server's message already names the object and the problem, as kubectl shows
        // it ("deployments.apps \"web\" not found", "... is forbidden: User ...").
        text = error.serverMessage;
    } else {
        text = QStringLiteral("The server answered %1 (HTTP %2)")
                   .arg(error.reason)
                   .arg(error.httpCode);
    }
    error.message = text.toStdString();
    return error;
}

KubeError decodeError(const HttpResult &result, const ErrorContext &context) {
    if (!result.transportOk()) {
        return transportError(result, context);
    }
    const QJsonObject object = QJsonDocument::fromJson(result.body).object();
    if (object.value(QLatin1String("kind")).toString() == QLatin1String("Status")) {
        KubeError error = decodeStatus(object, result.httpCode, context);
        if (error.retryAfterSeconds == 0) {
            error.retryAfterSeconds = result.header("Retry-After").toInt();
        }
        return error;
    }
    // Not a Status: a proxy or load balancer answered, or an endpoint with a plain body.
    KubeError error;
    error.httpCode = result.httpCode;
    error.reason = reasonPhrase(result.httpCode);
    error.retryAfterSeconds = result.header("Retry-After").toInt();
    if (result.httpCode == 401) {
        error.message = unauthorizedMessage(context).toStdString();
        return error;
    }
    QString body = QString::fromUtf8(result.body.left(300)).simplified();
    error.serverMessage = body;
    QString text = QStringLiteral("%1 answered HTTP %2 (%3)")
                       .arg(clusterPhrase(context))
                       .arg(result.httpCode)
                       .arg(error.reason);
    text[0] = text[0].toUpper();
    if (!body.isEmpty()) {
        text += QStringLiteral(": ") + body;
    }
    error.message = text.toStdString();
    return error;
}

} // namespace dashboard
