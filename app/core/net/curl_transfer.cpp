#include "net/curl_transfer.h"

#include "net/http_engine.h"

#include <QLoggingCategory>

namespace dashboard {

Q_LOGGING_CATEGORY(lcHttp, "dashboard.http", QtWarningMsg)

namespace {

void setBlob(CURL *easy, CURLoption option, const QByteArray &data) {
    curl_blob blob;
    blob.data = const_cast<char *>(data.constData());
    blob.len = static_cast<size_t>(data.size());
    blob.flags = CURL_BLOB_COPY; // libcurl keeps its own copy in memory; nothing on disk
    curl_easy_setopt(easy, option, &blob);
}

void appendHeader(CurlTransfer &t, const QByteArray &name, const QByteArray &value) {
    const QByteArray line = name + ": " + value;
    t.headerList = curl_slist_append(t.headerList, line.constData());
    qCDebug(lcHttp).noquote() << "  " << redactedHeaderLine(name, value);
}

bool hasHeader(const HttpHeaders &headers, const QByteArray &name) {
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            return true;
        }
    }
    return false;
}

void deliverLines(CurlTransfer &t, bool flushPartial) {
    QList<QByteArray> lines;
    qsizetype start = 0;
    for (;;) {
        const qsizetype end = t.partialLine.indexOf('\n', start);
        if (end < 0) {
            break;
        }
        qsizetype stop = end;
        if (stop > start && t.partialLine.at(stop - 1) == '\r') {
            --stop;
        }
        lines.append(t.partialLine.mid(start, stop - start));
        start = end + 1;
    }
    t.partialLine.remove(0, start);
    if (flushPartial && !t.partialLine.isEmpty()) {
        lines.append(t.partialLine);
        t.partialLine.clear();
    }
    if (!lines.isEmpty()) {
        CallDelivery delivery;
        delivery.kind = CallDelivery::Kind::Lines;
        delivery.lines = std::move(lines);
        t.channel->deliver(std::move(delivery));
    }
}

size_t onHeader(char *buffer, size_t size, size_t count, void *userData) {
    auto &t = *static_cast<CurlTransfer *>(userData);
    const size_t total = size * count;
    const QByteArray line = QByteArray(buffer, static_cast<qsizetype>(total)).trimmed();
    if (line.startsWith("HTTP/")) {
        // A new response (after 100 Continue, or a retried auth round): start over.
        t.responseHeaders.clear();
        t.headersDone = false;
        const QList<QByteArray> parts = line.split(' ');
        t.httpCode = parts.size() > 1 ? parts.at(1).toInt() : 0;
        return total;
    }
    if (line.isEmpty()) {
        if (t.httpCode >= 200 && !t.headersDone) {
            t.headersDone = true;
            t.streaming = t.request.stream && t.httpCode >= 200 && t.httpCode < 300;
            if (t.streaming) {
                CallDelivery delivery;
                delivery.kind = CallDelivery::Kind::Started;
                delivery.httpCode = t.httpCode;
                delivery.headers = t.responseHeaders;
                t.channel->deliver(std::move(delivery));
            }
        }
        return total;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon > 0) {
        t.responseHeaders.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return total;
}

size_t onWrite(char *data, size_t size, size_t count, void *userData) {
    auto &t = *static_cast<CurlTransfer *>(userData);
    const size_t total = size * count;
    if (t.channel->cancelled.load()) {
        return 0; // aborts the transfer; the engine drops it
    }
    if (!t.streaming) {
        t.body.append(data, static_cast<qsizetype>(total));
        return total;
    }
    if (t.request.splitLines) {
        t.partialLine.append(data, static_cast<qsizetype>(total));
        deliverLines(t, false);
    } else {
        CallDelivery delivery;
        delivery.kind = CallDelivery::Kind::Chunk;
        delivery.chunk = QByteArray(data, static_cast<qsizetype>(total));
        t.channel->deliver(std::move(delivery));
    }
    return total;
}

HttpResult::Status statusOf(CURLcode code) {
    switch (code) {
    case CURLE_OK:
        return HttpResult::Status::Ok;
    case CURLE_COULDNT_CONNECT:
        return HttpResult::Status::ConnectionRefused;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return HttpResult::Status::HostNotFound;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CRL_BADFILE:
        return HttpResult::Status::TlsError;
    case CURLE_OPERATION_TIMEDOUT:
        return HttpResult::Status::Timeout;
    default:
        return HttpResult::Status::NetworkError;
    }
}

// The URL libcurl connects to, with tls-server-name applied: the URL names the TLS server
// name (so SNI and certificate verification use it) and CONNECT_TO sends the connection to
// the real host; the Host header keeps the real host, as client-go does.
QUrl effectiveUrl(CurlTransfer &t, QByteArray &hostHeader, QByteArray &connectTo) {
    QUrl url = t.request.url;
    const RestConfig *config = t.request.config.get();
    if (!config || config->tlsServerName.isEmpty() || url.scheme() != QLatin1String("https") ||
        url.host() == config->tlsServerName) {
        return url;
    }
    const int port = url.port(443);
    QString realHost = url.host();
    const QString connectHost = realHost.contains(QLatin1Char(':'))
                                    ? QLatin1Char('[') + realHost + QLatin1Char(']')
                                    : realHost;
    connectTo = QStringLiteral("%1:%2:%3:%2")
                    .arg(config->tlsServerName)
                    .arg(port)
                    .arg(connectHost)
                    .toUtf8();
    hostHeader = url.port() > 0 ? (connectHost + QLatin1Char(':') + QString::number(port)).toUtf8()
                                : connectHost.toUtf8();
    url.setHost(config->tlsServerName);
    return url;
}

} // namespace

QByteArray redactedHeaderLine(const QByteArray &name, const QByteArray &value) {
    const QByteArray lower = name.toLower();
    if (lower == "authorization" || lower == "proxy-authorization" || lower == "cookie") {
        const qsizetype space = value.indexOf(' ');
        return name + ": " + (space > 0 ? value.left(space) + " <redacted>" : "<redacted>");
    }
    return name + ": " + value;
}

void CurlTransfer::release() {
    if (easy) {
        curl_easy_cleanup(easy);
        easy = nullptr;
    }
    if (headerList) {
        curl_slist_free_all(headerList);
        headerList = nullptr;
    }
    if (connectToList) {
        curl_slist_free_all(connectToList);
        connectToList = nullptr;
    }
}

void CurlTransfer::resetResponse() {
    errorBuffer[0] = '\0';
    httpCode = 0;
    responseHeaders.clear();
    headersDone = false;
    streaming = false;
    body.clear();
    partialLine.clear();
    sentCredentials = false;
}

std::optional<HttpResult> prepareTransfer(CurlTransfer &t) {
    t.release();
    t.resetResponse();
    const RestConfig *config = t.request.config.get();
    QByteArray hostHeader;
    QByteArray connectTo;
    const QUrl url = effectiveUrl(t, hostHeader, connectTo);
    const bool https = url.scheme() == QLatin1String("https");

    Credentials credentials;
    // kubectl sends no credentials to an http:// server: neither do we.
    if (config && config->credentials && https) {
        auto fetched = config->credentials->get();
        if (!fetched.ok()) {
            HttpResult result;
            result.status = HttpResult::Status::CredentialsError;
            result.errorString = QString::fromStdString(fetched.message());
            result.attempts = t.attempt;
            return result;
        }
        credentials = std::move(fetched.value());
        t.sentCredentials = true;
    }

    CURL *e = curl_easy_init();
    t.easy = e;
    const QByteArray urlBytes = url.toEncoded();
    curl_easy_setopt(e, CURLOPT_URL, urlBytes.constData());
    curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.errorBuffer);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &onHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &onWrite);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPIDLE, 15L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPINTVL, 5L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(t.request.connectTimeout.count()));
    if (!t.request.stream && t.request.timeout.count() > 0) {
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(t.request.timeout.count()));
    }
    if (t.request.stream && t.request.idleTimeout.count() > 0) {
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
                         static_cast<long>((t.request.idleTimeout.count() + 999) / 1000));
    }
    if (!config || !config->disableCompression) {
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip");
    }

    // Method and body.
    const QByteArray &method = t.request.method;
    if (method == "HEAD") {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (method == "GET" && t.request.body.isEmpty()) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
        if (!t.request.body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH") {
            curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(t.request.body.size()));
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, t.request.body.constData());
        }
        if (method != "POST") {
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method.constData());
        }
    }

    // TLS.
    if (config) {
        if (config->insecureSkipTlsVerify) {
            curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
        } else if (!config->caPem.isEmpty()) {
            setBlob(e, CURLOPT_CAINFO_BLOB, config->caPem);
        }
        if (!connectTo.isEmpty()) {
            t.connectToList = curl_slist_append(nullptr, connectTo.constData());
            curl_easy_setopt(e, CURLOPT_CONNECT_TO, t.connectToList);
        }
        if (!config->proxyUrl.isEmpty()) {
            QUrl proxy = config->proxyUrl;
            // socks5h: the proxy resolves names, as Go's socks5 dialer does.
            if (proxy.scheme() == QLatin1String("socks5")) {
                proxy.setScheme(QStringLiteral("socks5h"));
            }
            const QByteArray proxyBytes = proxy.toEncoded();
            curl_easy_setopt(e, CURLOPT_PROXY, proxyBytes.constData());
        }
    }
    if (!credentials.clientCertificatePem.isEmpty() && !credentials.clientKeyPem.isEmpty()) {
        curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
        setBlob(e, CURLOPT_SSLCERT_BLOB, credentials.clientCertificatePem);
        curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
        setBlob(e, CURLOPT_SSLKEY_BLOB, credentials.clientKeyPem);
    }

    // Headers.
    qCDebug(lcHttp).noquote() << method << url.toDisplayString();
    for (const auto &[name, value] : std::as_const(t.request.headers)) {
        appendHeader(t, name, value);
    }
    if (!hostHeader.isEmpty() && !hasHeader(t.request.headers, "Host")) {
        appendHeader(t, "Host", hostHeader);
    }
    if (!hasHeader(t.request.headers, "User-Agent")) {
        appendHeader(t, "User-Agent", HttpEngine::userAgent());
    }
    if (!credentials.bearerToken.isEmpty()) {
        appendHeader(t, "Authorization", "Bearer " + credentials.bearerToken);
    } else if (!credentials.username.isEmpty()) {
        appendHeader(t, "Authorization",
                     "Basic " +
                         (credentials.username.toUtf8() + ':' + credentials.password).toBase64());
    }
    if (config) {
        if (!config->impersonateUser.isEmpty()) {
            appendHeader(t, "Impersonate-User", config->impersonateUser.toUtf8());
        }
        if (!config->impersonateUid.isEmpty()) {
            appendHeader(t, "Impersonate-Uid", config->impersonateUid.toUtf8());
        }
        for (const QString &group : config->impersonateGroups) {
            appendHeader(t, "Impersonate-Group", group.toUtf8());
        }
        for (auto it = config->impersonateExtra.cbegin(); it != config->impersonateExtra.cend();
             ++it) {
            const QByteArray key = "Impersonate-Extra-" + QUrl::toPercentEncoding(it.key());
            for (const QString &value : it.value()) {
                appendHeader(t, key, value.toUtf8());
            }
        }
    }
    // No "Expect: 100-continue" round trip for large bodies.
    t.headerList = curl_slist_append(t.headerList, "Expect:");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headerList);
    return std::nullopt;
}

HttpResult transferResult(CurlTransfer &t, CURLcode code) {
    HttpResult result;
    result.attempts = t.attempt;
    result.status = statusOf(code);
    result.httpCode = t.httpCode;
    result.headers = t.responseHeaders;
    if (code != CURLE_OK) {
        result.errorString = t.errorBuffer[0] != '\0' ? QString::fromUtf8(t.errorBuffer)
                                                      : QString::fromUtf8(curl_easy_strerror(code));
    }
    if (t.streaming && t.request.splitLines) {
        // A stream that broke mid-line must not hand out half a JSON object.
        deliverLines(t, code == CURLE_OK);
    }
    if (!t.streaming) {
        result.body = std::move(t.body);
    }
    qCDebug(lcHttp).noquote() << "  ->" << result.httpCode << statusName(result.status)
                              << result.errorString;
    return result;
}

} // namespace dashboard
