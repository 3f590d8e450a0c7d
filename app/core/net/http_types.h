#pragma once
// Value types of the HTTP engine: what to send and what came back. Failures are data
// (HttpResult::status), never exceptions (STYLE rule 6).

#include "kube/rest_config.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QUrl>

#include <chrono>
#include <memory>

namespace dashboard {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// The value of the first header called `name` (case-insensitive), or empty.
QByteArray headerValue(const HttpHeaders &headers, const QByteArray &name);

struct HttpRequest {
    QByteArray method = "GET";
    QUrl url;
    HttpHeaders headers;
    QByteArray body;

    // Ordinary requests: connect + total timeouts. Streams (watch, followed logs) have no
    // total timeout; a dead peer is found by TCP keepalive and, when set, idleTimeout.
    std::chrono::milliseconds connectTimeout{10000};
    std::chrono::milliseconds timeout{30000};
    bool stream = false;
    bool splitLines = false;                  // streams: deliver whole lines, not chunks
    std::chrono::milliseconds idleTimeout{0}; // streams: give up after this long without bytes

    // 429 (any method) and 5xx (idempotent methods) are retried this many times, waiting
    // Retry-After when the server says so, else an exponential back-off.
    int maxRetries = 3;

    // TLS, proxy, credentials, impersonation and compression. Null: plain libcurl defaults
    // (no credentials), for test servers and Prometheus without a cluster.
    std::shared_ptr<const RestConfig> config;
};

struct HttpResult {
    enum class Status {
        Ok,                // a response arrived (any HTTP code: see httpCode)
        ConnectionRefused, // nothing listens at the address
        HostNotFound,      // DNS
        TlsError,          // handshake or certificate verification failed
        Timeout,           // connect, total or idle timeout
        NetworkError,      // anything else below HTTP (reset, proxy failure, ...)
        CredentialsError,  // the credential provider failed (exec plugin, token file)
        Cancelled,         // never delivered to a receiver; for completeness
    };

    Status status = Status::Ok;
    int httpCode = 0;
    QString errorString; // below-HTTP failures: what libcurl or the provider said
    HttpHeaders headers;
    QByteArray body; // streams: only a non-2xx body (the Status), lines went out as signals
    int attempts = 1;

    bool transportOk() const { return status == Status::Ok; }
    bool ok() const { return status == Status::Ok && httpCode >= 200 && httpCode < 300; }
    QByteArray header(const QByteArray &name) const { return headerValue(headers, name); }
};

QString statusName(HttpResult::Status status);

// "Authorization: Bearer <redacted>": header lines as debug output may show them.
QByteArray redactedHeaderLine(const QByteArray &name, const QByteArray &value);

} // namespace dashboard

Q_DECLARE_METATYPE(dashboard::HttpResult)
