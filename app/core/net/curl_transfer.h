#pragma once
// Internal to the HTTP engine: one attempt of one request as a libcurl easy handle, with
// its callbacks. Lives on the network thread only.

#include "net/call_channel.h"
#include "net/http_types.h"

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <optional>

namespace dashboard {

struct CurlTransfer {
    std::shared_ptr<CallChannel> channel;
    HttpRequest request;
    int attempt = 1;                           // 1-based
    bool authRetried = false;                  // a 401 already led to invalidate() + retry
    std::chrono::steady_clock::time_point due; // when a retry may start

    // Per attempt:
    CURL *easy = nullptr;
    curl_slist *headerList = nullptr;
    curl_slist *connectToList = nullptr;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    bool sentCredentials = false;
    int httpCode = 0;
    HttpHeaders responseHeaders;
    bool headersDone = false;
    bool streaming = false; // 2xx stream: body goes out as lines/chunks
    QByteArray body;
    QByteArray partialLine;

    ~CurlTransfer() { release(); }
    void release(); // frees the easy handle and header list (not removed from a multi here)
    void resetResponse();
};

// Creates and configures the easy handle for the next attempt. Fetches credentials (may
// block in an exec plugin). On failure returns the result to deliver instead.
std::optional<HttpResult> prepareTransfer(CurlTransfer &transfer);

// The outcome of a finished attempt.
HttpResult transferResult(CurlTransfer &transfer, CURLcode code);

} // namespace dashboard
