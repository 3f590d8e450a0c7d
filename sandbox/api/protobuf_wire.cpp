#include "api/protobuf_wire.h"

namespace sandbox::protobuf {

bool WireReader::fail(std::string message) {
    m_error = std::move(message) + " at byte " + std::to_string(m_pos);
    return false;
}

bool WireReader::readVarint(std::uint64_t &value) {
    value = 0;
    // At most 10 bytes encode 64 bits; a longer run is corrupt, not just big.
    for (int shift = 0; shift < 70; shift += 7) {
        if (m_pos >= m_data.size()) {
            return fail("truncated varint");
        }
        const auto byte = static_cast<unsigned char>(m_data[m_pos++]);
        value |= static_cast<std::uint64_t>(byte & 0x7fU) << shift;
        if ((byte & 0x80U) == 0) {
            return true;
        }
    }
    return fail("varint longer than 10 bytes");
}

bool WireReader::readKey(WireKey &key) {
    std::uint64_t raw = 0;
    if (!readVarint(raw)) {
        return false;
    }
    const std::uint64_t field = raw >> 3;
    const auto type = static_cast<unsigned>(raw & 7U);
    if (field == 0 || field > 536870911U) { // 2^29 - 1, the largest field number
        return fail("invalid field number " + std::to_string(field));
    }
    if (type > 5) {
        return fail("invalid wire type " + std::to_string(type));
    }
    key.field = static_cast<int>(field);
    key.type = static_cast<WireType>(type);
    return true;
}

bool WireReader::readFixed64(std::uint64_t &value) {
    if (m_data.size() - m_pos < 8) {
        return fail("truncated 64-bit value");
    }
    value = 0;
    for (int i = 7; i >= 0; --i) { // little endian
        value = (value << 8) | static_cast<unsigned char>(m_data[m_pos + i]);
    }
    m_pos += 8;
    return true;
}

bool WireReader::readFixed32(std::uint32_t &value) {
    if (m_data.size() - m_pos < 4) {
        return fail("truncated 32-bit value");
    }
    value = 0;
    for (int i = 3; i >= 0; --i) {
        value = (value << 8) | static_cast<unsigned char>(m_data[m_pos + i]);
    }
    m_pos += 4;
    return true;
}

bool WireReader::readBytes(std::string_view &value) {
    std::uint64_t length = 0;
    if (!readVarint(length)) {
        return false;
    }
    if (length > m_data.size() - m_pos) {
        return fail("length " + std::to_string(length) + " runs past the end of the data");
    }
    value = m_data.substr(m_pos, static_cast<std::size_t>(length));
    m_pos += static_cast<std::size_t>(length);
    return true;
}

bool WireReader::skip(WireType type) {
    std::uint64_t ignored64 = 0;
    std::uint32_t ignored32 = 0;
    std::string_view ignoredBytes;
    switch (type) {
    case WireType::Varint:
        return readVarint(ignored64);
    case WireType::Fixed64:
        return readFixed64(ignored64);
    case WireType::LengthDelimited:
        return readBytes(ignoredBytes);
    case WireType::Fixed32:
        return readFixed32(ignored32);
    case WireType::StartGroup:
    case WireType::EndGroup:
        break;
    }
    return fail(std::string("unsupported wire type ") + wireTypeName(type));
}

const char *wireTypeName(WireType type) {
    switch (type) {
    case WireType::Varint:
        return "varint";
    case WireType::Fixed64:
        return "64-bit";
    case WireType::LengthDelimited:
        return "length-delimited";
    case WireType::StartGroup:
        return "start-group";
    case WireType::EndGroup:
        return "end-group";
    case WireType::Fixed32:
        return "32-bit";
    }
    return "unknown";
}

} // namespace sandbox::protobuf
