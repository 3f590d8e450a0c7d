#pragma once
// A reader of the protobuf wire format (proto2, as gogo-protobuf writes Kubernetes
// objects): a key varint (field number << 3 | wire type) before each value; values are
// varints, fixed 64-bit, length-delimited bytes or fixed 32-bit. The reader only walks the
// bytes; what a field means is the schema's business (protobuf_schema.h).

#include <cstdint>
#include <string>
#include <string_view>

namespace sandbox::protobuf {

enum class WireType : std::uint8_t {
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3, // deprecated groups: never written by Kubernetes, refused
    EndGroup = 4,
    Fixed32 = 5,
};

struct WireKey {
    int field = 0;
    WireType type = WireType::Varint;
};

class WireReader {
public:
    explicit WireReader(std::string_view data)
        : m_data(data) {}

    bool atEnd() const { return m_pos >= m_data.size(); }
    std::size_t position() const { return m_pos; }

    // Each returns false on truncated or malformed input; error() then says why.
    bool readKey(WireKey &key);
    bool readVarint(std::uint64_t &value);
    bool readFixed64(std::uint64_t &value);
    bool readFixed32(std::uint32_t &value);
    bool readBytes(std::string_view &value);
    // Skips the value of a field of this wire type (unknown fields are ignored).
    bool skip(WireType type);

    const std::string &error() const { return m_error; }

private:
    bool fail(std::string message);

    std::string_view m_data;
    std::size_t m_pos = 0;
    std::string m_error;
};

const char *wireTypeName(WireType type);

} // namespace sandbox::protobuf
