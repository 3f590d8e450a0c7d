#pragma once
// The dashboard's HTTP engine: one network thread drives every transfer through a libcurl
// multi handle, so the GUI thread never blocks on I/O (DESIGN §6). send() returns at once;
// the result, stream lines or chunks arrive later as queued signals of the returned
// HttpCall in the caller's thread. TLS, proxy, compression, impersonation and credentials
// come from the request's RestConfig; credentials are fetched on the network thread (an
// exec plugin may take seconds), and a 401 invalidates them and retries once.

#include "net/http_call.h"
#include "net/http_types.h"

#include <QObject>

#include <memory>

namespace dashboard {

class HttpEngine final {
public:
    HttpEngine();
    // Stops the network thread; calls still running are abandoned without a signal.
    ~HttpEngine();
    HttpEngine(const HttpEngine &) = delete;
    HttpEngine &operator=(const HttpEngine &) = delete;

    // Starts `request`. The call is a child of `context` (which must live in a thread with
    // an event loop): destroying the context cancels it.
    HttpCall *send(HttpRequest request, QObject *context);

    // The User-Agent sent unless a request sets its own.
    static QByteArray userAgent();

    // Transfers currently known to the network thread (running or waiting to retry).
    int activeTransfers() const;

    struct Core;

private:
    std::shared_ptr<Core> m_core;
};

} // namespace dashboard
