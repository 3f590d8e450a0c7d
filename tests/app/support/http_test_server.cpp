#include "support/http_test_server.h"

#include <QUrl>

namespace dashboard::test {

namespace {

const char *reasonFor(int code) {
    switch (code) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 410:
        return "Gone";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

QByteArray statusLine(int code, const HttpHeaders &headers) {
    QByteArray out = "HTTP/1.1 " + QByteArray::number(code) + ' ' + reasonFor(code) + "\r\n";
    for (const auto &[name, value] : headers) {
        out += name + ": " + value + "\r\n";
    }
    return out;
}

} // namespace

TestExchange::TestExchange(QTcpSocket *socket, TestRequest request)
    : QObject(socket)
    , m_socket(socket)
    , m_request(std::move(request)) {
    connect(socket, &QTcpSocket::disconnected, this, &TestExchange::disconnected);
}

bool TestExchange::isConnected() const {
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void TestExchange::respond(int code, const QByteArray &body, const HttpHeaders &headers) {
    if (!m_socket) {
        return;
    }
    QByteArray out = statusLine(code, headers);
    if (headerValue(headers, "Content-Type").isEmpty()) {
        out += "Content-Type: application/json\r\n";
    }
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    m_socket->write(out);
    m_socket->flush();
}

void TestExchange::startStream(int code, const HttpHeaders &headers) {
    if (!m_socket) {
        return;
    }
    QByteArray out = statusLine(code, headers);
    out += "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    m_socket->write(out);
    m_socket->flush();
}

void TestExchange::write(const QByteArray &data) {
    if (!m_socket || data.isEmpty()) {
        return;
    }
    m_socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    m_socket->flush();
}

void TestExchange::end() {
    if (!m_socket) {
        return;
    }
    m_socket->write("0\r\n\r\n");
    m_socket->flush();
}

void TestExchange::abort() {
    if (m_socket) {
        m_socket->abort();
    }
}

HttpTestServer::HttpTestServer(QObject *parent)
    : QObject(parent) {
    connect(&m_server, &QTcpServer::newConnection, this, &HttpTestServer::onConnection);
}

bool HttpTestServer::listen() {
    m_clock.start();
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl HttpTestServer::url(const QString &path) const {
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path));
}

void HttpTestServer::onConnection() {
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void HttpTestServer::onReadable(QTcpSocket *socket) {
    // Requests are small: parse from the accumulated buffer (property on the socket).
    QByteArray buffer = socket->property("rf_buffer").toByteArray() + socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            break;
        }
        TestRequest request;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        request.method = first.value(0);
        request.target = first.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0) {
                request.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            }
        }
        const qsizetype length = request.header("Content-Length").toLongLong();
        if (buffer.size() < headerEnd + 4 + length) {
            break;
        }
        request.body = buffer.mid(headerEnd + 4, length);
        buffer.remove(0, headerEnd + 4 + length);
        m_requests.append(request);
        m_arrivals.append(m_clock.elapsed());
        auto *exchange = new TestExchange(socket, request);
        m_exchanges.append(exchange);
        if (m_handler) {
            m_handler(exchange);
        } else {
            exchange->respond(404, R"({"kind":"Status","code":404})");
        }
    }
    socket->setProperty("rf_buffer", buffer);
}

} // namespace dashboard::test
