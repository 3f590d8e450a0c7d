#pragma once
// An HTTP/1.1 request parser on Beast's basic_parser that keeps only what routing needs
// (method, target, version, Content-Type, Expect, body) in buffers owned by the connection,
// instead of a header container that allocates per field. A new parser is made per request;
// the RequestHead it fills lives as long as the connection, so its strings keep their
// capacity from one keep-alive request to the next. Includes Beast: transport sources only.

#include <boost/beast/http/basic_parser.hpp>

#include <cstdint>
#include <string>

namespace forecast::http {

struct RequestHead {
    std::string method;
    std::string target;
    std::string contentType;
    std::string body;
    int version = 11; // 10 for HTTP/1.0
    bool expectContinue = false;

    void clear();
};

class RequestParser final : public boost::beast::http::basic_parser<true> {
public:
    explicit RequestParser(RequestHead &head);

private:
    using error_code = boost::beast::error_code;
    using string_view = boost::beast::string_view;

    void on_request_impl(boost::beast::http::verb method, string_view methodString,
                         string_view target, int version, error_code &ec) override;
    void on_response_impl(int status, string_view reason, int version, error_code &ec) override;
    void on_field_impl(boost::beast::http::field name, string_view nameString, string_view value,
                       error_code &ec) override;
    void on_header_impl(error_code &ec) override;
    void on_body_init_impl(const boost::optional<std::uint64_t> &contentLength,
                           error_code &ec) override;
    std::size_t on_body_impl(string_view body, error_code &ec) override;
    void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code &ec) override;
    std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code &ec) override;
    void on_finish_impl(error_code &ec) override;

    RequestHead &m_head;
};

} // namespace forecast::http
