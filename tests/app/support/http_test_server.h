#pragma once
// A scriptable HTTP/1.1 server on 127.0.0.1 (ephemeral port) for engine and client tests:
// the handler sees each request and answers it now, later, as a chunked stream, or never.
// It runs in the test's thread; the code under test talks to it from its own threads.

#include "net/http_types.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

namespace dashboard::test {

struct TestRequest {
    QByteArray method;
    QByteArray target; // path?query as sent (absolute URL when sent to a proxy)
    HttpHeaders headers;
    QByteArray body;
    QByteArray header(const QByteArray &name) const { return headerValue(headers, name); }
};

// One request/response on a connection.
class TestExchange final : public QObject {
    Q_OBJECT

public:
    explicit TestExchange(QTcpSocket *socket, TestRequest request);

    const TestRequest &request() const { return m_request; }
    bool isConnected() const;

    void respond(int code, const QByteArray &body, const HttpHeaders &headers = {});
    void startStream(int code, const HttpHeaders &headers = {}); // chunked
    void write(const QByteArray &data);                          // one chunk
    void end();                                                  // last chunk
    void abort();                                                // drop the connection

Q_SIGNALS:
    void disconnected();

private:
    QPointer<QTcpSocket> m_socket;
    TestRequest m_request;
};

class HttpTestServer final : public QObject {
    Q_OBJECT

public:
    using Handler = std::function<void(TestExchange *exchange)>;

    explicit HttpTestServer(QObject *parent = nullptr);
    bool listen(); // 127.0.0.1, ephemeral port
    quint16 port() const { return m_server.serverPort(); }
    QUrl url(const QString &path) const;

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    // Every request seen so far, in arrival order.
    const QList<TestRequest> &requests() const { return m_requests; }
    QList<qint64> arrivalTimesMs() const { return m_arrivals; } // since listen()
    QList<QPointer<TestExchange>> exchanges() const { return m_exchanges; }

private:
    void onConnection();
    void onReadable(QTcpSocket *socket);

    QTcpServer m_server;
    Handler m_handler;
    QList<TestRequest> m_requests;
    QList<qint64> m_arrivals;
    QList<QPointer<TestExchange>> m_exchanges;
    QElapsedTimer m_clock;
};

} // namespace dashboard::test
