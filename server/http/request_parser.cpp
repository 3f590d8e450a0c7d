#include "http/request_parser.h"

#include <boost/beast/core/string.hpp>

namespace forecast::http {

namespace bhttp = boost::beast::http;

void RequestHead::clear() {
    method.clear();
    target.clear();
    contentType.clear();
    body.clear();
    version = 11;
    expectContinue = false;
}

RequestParser::RequestParser(RequestHead &head)
    : m_head(head) {
    m_head.clear();
}

void RequestParser::on_request_impl(bhttp::verb, string_view methodString, string_view target,
                                    int version, error_code &) {
    m_head.method.assign(methodString.data(), methodString.size());
    m_head.target.assign(target.data(), target.size());
    m_head.version = version;
}

void RequestParser::on_response_impl(int, string_view, int, error_code &ec) {
    ec = bhttp::error::bad_method; // a request parser never sees a status line
}

void RequestParser::on_field_impl(bhttp::field name, string_view, string_view value, error_code &) {
    // Connection, Content-Length and Transfer-Encoding are interpreted by basic_parser itself.
    // Trailers of a chunked body arrive here too: they never change what the header said.
    // A repeated field keeps its first value.
    if (is_header_done()) {
        return;
    }
    if (name == bhttp::field::content_type) {
        if (m_head.contentType.empty()) {
            m_head.contentType.assign(value.data(), value.size());
        }
    } else if (name == bhttp::field::expect && !m_head.expectContinue) {
        m_head.expectContinue = boost::beast::iequals(value, "100-continue");
    }
}

void RequestParser::on_header_impl(error_code &) {}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t> &contentLength,
                                      error_code &) {
    // basic_parser has already refused a length over the body limit.
    if (contentLength) {
        m_head.body.reserve(static_cast<std::size_t>(*contentLength));
    }
}

std::size_t RequestParser::on_body_impl(string_view body, error_code &) {
    m_head.body.append(body.data(), body.size());
    return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, string_view, error_code &) {}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code &) {
    m_head.body.append(body.data(), body.size());
    return body.size();
}

void RequestParser::on_finish_impl(error_code &) {}

} // namespace forecast::http
