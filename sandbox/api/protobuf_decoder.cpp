#include "api/protobuf_decoder.h"

#include "api/protobuf_wire.h"
#include "util/base64.h"
#include "util/clock.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace sandbox {

namespace {

namespace bj = boost::json;
using protobuf::Emit;
using protobuf::FieldSchema;
using protobuf::MessageSchema;
using protobuf::ValueKind;
using protobuf::WireKey;
using protobuf::WireReader;
using protobuf::WireType;

constexpr std::string_view kMagic("k8s\0", 4);

bool isLengthDelimitedKind(ValueKind kind) {
    return kind != ValueKind::Int32 && kind != ValueKind::Int64 && kind != ValueKind::Bool;
}

class Decoder {
public:
    bool message(std::string_view data, const MessageSchema &schema, bj::object &out) {
        WireReader reader(data);
        while (!reader.atEnd()) {
            WireKey key;
            if (!reader.readKey(key)) {
                return fail(schema, reader.error());
            }
            const FieldSchema *field = schema.field(key.field);
            if (field == nullptr) {
                // Unknown fields are skipped, as protobuf readers do (newer kubectl fields).
                if (!reader.skip(key.type)) {
                    return fail(schema, reader.error());
                }
                continue;
            }
            if (!this->field(reader, key, *field, schema, out)) {
                return false;
            }
        }
        return true;
    }

    const std::string &error() const { return m_error; }

private:
    bool fail(const MessageSchema &schema, const std::string &what) {
        if (m_error.empty()) {
            m_error = what + " in " + std::string(schema.name);
        }
        return false;
    }
    bool fail(const MessageSchema &schema, const FieldSchema &field, const std::string &what) {
        if (m_error.empty()) {
            m_error = what + " in field " + std::to_string(field.number) + " (" +
                      std::string(field.json.empty() ? "inline" : field.json) + ") of " +
                      std::string(schema.name);
        }
        return false;
    }

    bool field(WireReader &reader, const WireKey &key, const FieldSchema &field,
               const MessageSchema &schema, bj::object &out) {
        if (!isLengthDelimitedKind(field.kind)) {
            if (key.type == WireType::Varint) {
                std::uint64_t raw = 0;
                if (!reader.readVarint(raw)) {
                    return fail(schema, field, reader.error());
                }
                storeScalar(field, raw, out);
                return true;
            }
            if (key.type == WireType::LengthDelimited && field.repeated) {
                return packed(reader, field, schema, out);
            }
            return fail(schema, field,
                        std::string("wire type ") + protobuf::wireTypeName(key.type) +
                            " where a varint belongs");
        }
        if (key.type != WireType::LengthDelimited) {
            return fail(schema, field,
                        std::string("wire type ") + protobuf::wireTypeName(key.type) +
                            " where a length-delimited value belongs");
        }
        std::string_view payload;
        if (!reader.readBytes(payload)) {
            return fail(schema, field, reader.error());
        }
        switch (field.kind) {
        case ValueKind::Inline:
            return message(payload, *field.message, out);
        case ValueKind::Message:
            return nested(payload, field, out);
        case ValueKind::MapString:
        case ValueKind::MapBytes:
        case ValueKind::MapQuantity:
            return mapEntry(payload, field, schema, out);
        default:
            break;
        }
        bj::value value;
        if (!convert(field.kind, payload, value)) {
            return fail(schema, field, m_detail);
        }
        if (field.repeated) {
            arrayAt(out, field.json).push_back(std::move(value));
        } else if (field.emit == Emit::OmitEmpty && value.is_string() &&
                   value.get_string().empty()) {
            out.erase(field.json);
        } else {
            out[field.json] = std::move(value);
        }
        return true;
    }

    static bj::array &arrayAt(bj::object &out, std::string_view name) {
        bj::value &slot = out[name];
        if (!slot.is_array()) {
            slot = bj::array();
        }
        return slot.get_array();
    }

    static bj::value scalarValue(ValueKind kind, std::uint64_t raw) {
        switch (kind) {
        case ValueKind::Bool:
            return bj::value(raw != 0);
        case ValueKind::Int32:
            // Negative int32s travel sign-extended to 64 bits.
            return bj::value(static_cast<std::int64_t>(static_cast<std::int32_t>(raw)));
        default:
            return bj::value(static_cast<std::int64_t>(raw));
        }
    }

    static void storeScalar(const FieldSchema &field, std::uint64_t raw, bj::object &out) {
        bj::value value = scalarValue(field.kind, raw);
        if (field.repeated) {
            arrayAt(out, field.json).push_back(std::move(value));
        } else if (field.emit == Emit::OmitEmpty && raw == 0) {
            out.erase(field.json); // last value wins, and zero is omitted
        } else {
            out[field.json] = std::move(value);
        }
    }

    bool packed(WireReader &reader, const FieldSchema &field, const MessageSchema &schema,
                bj::object &out) {
        std::string_view payload;
        if (!reader.readBytes(payload)) {
            return fail(schema, field, reader.error());
        }
        WireReader values(payload);
        while (!values.atEnd()) {
            std::uint64_t raw = 0;
            if (!values.readVarint(raw)) {
                return fail(schema, field, values.error());
            }
            storeScalar(field, raw, out);
        }
        return true;
    }

    bool nested(std::string_view payload, const FieldSchema &field, bj::object &out) {
        if (field.repeated) {
            bj::object child;
            if (!message(payload, *field.message, child)) {
                return false;
            }
            arrayAt(out, field.json).push_back(std::move(child));
            return true;
        }
        // A singular message seen twice merges, as protobuf specifies.
        bj::value &slot = out[field.json];
        if (!slot.is_object()) {
            slot = bj::object();
        }
        return message(payload, *field.message, slot.get_object());
    }

    bool mapEntry(std::string_view payload, const FieldSchema &field, const MessageSchema &schema,
                  bj::object &out) {
        WireReader reader(payload);
        std::string key;
        std::string_view valueBytes;
        while (!reader.atEnd()) {
            WireKey entryKey;
            if (!reader.readKey(entryKey)) {
                return fail(schema, field, reader.error());
            }
            if ((entryKey.field == 1 || entryKey.field == 2) &&
                entryKey.type == WireType::LengthDelimited) {
                std::string_view bytes;
                if (!reader.readBytes(bytes)) {
                    return fail(schema, field, reader.error());
                }
                if (entryKey.field == 1) {
                    key = std::string(bytes);
                } else {
                    valueBytes = bytes;
                }
            } else if (!reader.skip(entryKey.type)) {
                return fail(schema, field, reader.error());
            }
        }
        bj::value value;
        if (field.kind == ValueKind::MapString) {
            value = bj::string(valueBytes);
        } else if (field.kind == ValueKind::MapBytes) {
            value = base64Encode(valueBytes);
        } else if (!convert(ValueKind::Quantity, valueBytes, value)) {
            return fail(schema, field, m_detail);
        }
        bj::value &slot = out[field.json];
        if (!slot.is_object()) {
            slot = bj::object();
        }
        slot.get_object()[key] = std::move(value);
        return true;
    }

    // Length-delimited values that become one JSON value.
    bool convert(ValueKind kind, std::string_view payload, bj::value &out) {
        switch (kind) {
        case ValueKind::String:
            out = bj::string(payload);
            return true;
        case ValueKind::Bytes:
            out = base64Encode(payload);
            return true;
        case ValueKind::Quantity:
            return quantity(payload, out);
        case ValueKind::IntOrString:
            return intOrString(payload, out);
        case ValueKind::Time:
        case ValueKind::MicroTime:
            return time(payload, kind == ValueKind::MicroTime, out);
        case ValueKind::RawJson:
            return rawJson(payload, out);
        default:
            break;
        }
        m_detail = "unexpected value kind";
        return false;
    }

    // Reads the varint and string fields of a small special message into slots by number.
    bool smallMessage(std::string_view payload, std::uint64_t (&ints)[4],
                      std::string_view (&texts)[4]) {
        WireReader reader(payload);
        while (!reader.atEnd()) {
            WireKey key;
            if (!reader.readKey(key)) {
                m_detail = reader.error();
                return false;
            }
            const bool known = key.field < 4;
            if (known && key.type == WireType::Varint) {
                if (!reader.readVarint(ints[key.field])) {
                    m_detail = reader.error();
                    return false;
                }
            } else if (known && key.type == WireType::LengthDelimited) {
                if (!reader.readBytes(texts[key.field])) {
                    m_detail = reader.error();
                    return false;
                }
            } else if (!reader.skip(key.type)) {
                m_detail = reader.error();
                return false;
            }
        }
        return true;
    }

    bool quantity(std::string_view payload, bj::value &out) {
        std::uint64_t ints[4] = {};
        std::string_view texts[4] = {};
        if (!smallMessage(payload, ints, texts)) {
            return false;
        }
        // A zero Quantity prints as "0" in JSON.
        out = bj::string(texts[1].empty() ? std::string_view("0") : texts[1]);
        return true;
    }

    bool intOrString(std::string_view payload, bj::value &out) {
        std::uint64_t ints[4] = {};
        std::string_view texts[4] = {};
        if (!smallMessage(payload, ints, texts)) {
            return false;
        }
        if (ints[1] == 1) { // intstr.String
            out = bj::string(texts[3]);
        } else {
            out = static_cast<std::int64_t>(static_cast<std::int32_t>(ints[2]));
        }
        return true;
    }

    bool time(std::string_view payload, bool micro, bj::value &out) {
        std::uint64_t ints[4] = {};
        std::string_view texts[4] = {};
        if (!smallMessage(payload, ints, texts)) {
            return false;
        }
        const auto seconds = static_cast<std::int64_t>(ints[1]);
        const auto nanos = static_cast<std::int32_t>(ints[2]);
        if (seconds == 0 && nanos == 0) {
            out = nullptr; // Go's zero time marshals as null
            return true;
        }
        const TimePoint point(std::chrono::duration_cast<TimePoint::duration>(
            std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos)));
        out = micro ? formatRfc3339Micro(point) : formatRfc3339(point);
        return true;
    }

    bool rawJson(std::string_view payload, bj::value &out) {
        std::uint64_t ints[4] = {};
        std::string_view texts[4] = {};
        if (!smallMessage(payload, ints, texts)) {
            return false;
        }
        if (texts[1].empty()) {
            out = nullptr;
            return true;
        }
        bj::error_code ec;
        out = bj::parse(texts[1], ec);
        if (ec) {
            m_detail = "embedded JSON does not parse (" + ec.message() + ")";
            return false;
        }
        return true;
    }

    std::string m_error;
    std::string m_detail;
};

ApiError malformed(const std::string &what) {
    return ApiError::badRequest("the body of the request is not valid Kubernetes protobuf (" +
                                what + ")");
}

struct Envelope {
    std::string apiVersion;
    std::string kind;
    std::string_view raw;
    std::string contentEncoding;
};

// runtime.Unknown {typeMeta{apiVersion=1, kind=2}=1, raw=2, contentEncoding=3, contentType=4}.
bool readEnvelope(std::string_view data, Envelope &envelope, std::string &error) {
    WireReader reader(data);
    while (!reader.atEnd()) {
        WireKey key;
        if (!reader.readKey(key)) {
            error = reader.error() + " in runtime.Unknown";
            return false;
        }
        if (key.field > 4 || key.type != WireType::LengthDelimited) {
            if (!reader.skip(key.type)) {
                error = reader.error() + " in runtime.Unknown";
                return false;
            }
            continue;
        }
        std::string_view bytes;
        if (!reader.readBytes(bytes)) {
            error = reader.error() + " in runtime.Unknown";
            return false;
        }
        if (key.field == 2) {
            envelope.raw = bytes;
        } else if (key.field == 3) {
            envelope.contentEncoding = std::string(bytes);
        } else if (key.field == 1) {
            WireReader typeMeta(bytes);
            while (!typeMeta.atEnd()) {
                WireKey inner;
                std::string_view text;
                if (!typeMeta.readKey(inner)) {
                    error = typeMeta.error() + " in runtime.TypeMeta";
                    return false;
                }
                if ((inner.field == 1 || inner.field == 2) &&
                    inner.type == WireType::LengthDelimited) {
                    if (!typeMeta.readBytes(text)) {
                        error = typeMeta.error() + " in runtime.TypeMeta";
                        return false;
                    }
                    (inner.field == 1 ? envelope.apiVersion : envelope.kind) = std::string(text);
                } else if (!typeMeta.skip(inner.type)) {
                    error = typeMeta.error() + " in runtime.TypeMeta";
                    return false;
                }
            }
        }
    }
    return true;
}

} // namespace

ApiResult<boost::json::object> decodeProtobufMessage(std::string_view bytes,
                                                     const protobuf::MessageSchema &schema) {
    Decoder decoder;
    bj::object out;
    if (!decoder.message(bytes, schema, out)) {
        return malformed(decoder.error());
    }
    return out;
}

ApiResult<boost::json::object> decodeKubernetesProtobuf(std::string_view body) {
    if (body.size() < kMagic.size() || body.substr(0, kMagic.size()) != kMagic) {
        return malformed("it does not start with the 4-byte prefix \"k8s\\0\"");
    }
    Envelope envelope;
    std::string error;
    if (!readEnvelope(body.substr(kMagic.size()), envelope, error)) {
        return malformed(error);
    }
    if (!envelope.contentEncoding.empty()) {
        return ApiError::unsupportedMediaType("forecast-sandbox does not decode protobuf bodies "
                                              "with content encoding \"" +
                                              envelope.contentEncoding + "\"");
    }
    if (envelope.apiVersion.empty() || envelope.kind.empty()) {
        return malformed("the runtime.Unknown envelope has no apiVersion or kind");
    }
    const protobuf::MessageSchema *schema =
        protobuf::schemaForKind(envelope.apiVersion, envelope.kind);
    if (schema == nullptr) {
        return ApiError::unsupportedMediaType(
            "forecast-sandbox decodes application/vnd.kubernetes.protobuf bodies only for " +
            std::string(protobuf::supportedKindsText()) + "; send " + envelope.kind + " (" +
            envelope.apiVersion + ") as application/json or application/yaml");
    }
    Decoder decoder;
    bj::object object{{"apiVersion", envelope.apiVersion}, {"kind", envelope.kind}};
    if (!decoder.message(envelope.raw, *schema, object)) {
        return malformed(decoder.error());
    }
    return object;
}

} // namespace sandbox
