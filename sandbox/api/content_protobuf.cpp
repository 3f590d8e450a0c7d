#include "api/content_protobuf.h"

#include "util/clock.h"

#include <boost/json/array.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace sandbox {

namespace {

namespace bj = boost::json;

// Wire-format reader: varints and length-delimited fields are all these kinds use.
class Reader {
public:
    explicit Reader(std::string_view data)
        : m_data(data) {}

    bool done() const { return m_pos >= m_data.size(); }
    bool ok() const { return m_ok; }

    bool next(int &field, int &wireType) {
        std::uint64_t key = 0;
        if (!varint(key)) {
            return false;
        }
        field = static_cast<int>(key >> 3);
        wireType = static_cast<int>(key & 7);
        return true;
    }
    bool varint(std::uint64_t &out) {
        out = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_data.size()) {
                return m_ok = false;
            }
            auto byte = static_cast<unsigned char>(m_data[m_pos++]);
            out |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if ((byte & 0x80) == 0) {
                return true;
            }
        }
        return m_ok = false;
    }
    bool bytes(std::string_view &out) {
        std::uint64_t length = 0;
        if (!varint(length) || length > m_data.size() - m_pos) {
            return m_ok = false;
        }
        out = m_data.substr(m_pos, length);
        m_pos += length;
        return true;
    }
    bool skip(int wireType) {
        std::uint64_t ignored = 0;
        std::string_view view;
        switch (wireType) {
        case 0:
            return varint(ignored);
        case 1:
            return advance(8);
        case 2:
            return bytes(view);
        case 5:
            return advance(4);
        default:
            return m_ok = false;
        }
    }

private:
    bool advance(std::size_t n) {
        if (n > m_data.size() - m_pos) {
            return m_ok = false;
        }
        m_pos += n;
        return true;
    }
    std::string_view m_data;
    std::size_t m_pos = 0;
    bool m_ok = true;
};

enum class Kind {
    String,
    Bytes,
    Int,
    Bool,
    Time,
    MapString,
    MapBytes,
    RepeatedString,
    Message,
    RepeatedMessage
};

struct Message;
struct Field {
    int number;
    const char *name;
    Kind kind;
    const Message *message = nullptr;
};
struct Message {
    std::vector<Field> fields;
};

std::string base64(std::string_view bytes) {
    static const char *table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                     (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                     static_cast<unsigned char>(bytes[i + 2]);
        out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
    }
    if (i + 1 == bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        out += {table[v >> 18], table[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                     (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
    }
    return out;
}

bool decode(std::string_view data, const Message &schema, bj::object &out);

bool decodeMapEntry(std::string_view data, bool bytesValue, std::string &key, bj::value &value) {
    Reader reader(data);
    value = bytesValue ? bj::value(bj::string()) : bj::value(bj::string());
    while (!reader.done()) {
        int field = 0;
        int wire = 0;
        if (!reader.next(field, wire)) {
            return false;
        }
        std::string_view text;
        if (wire == 2 && (field == 1 || field == 2)) {
            if (!reader.bytes(text)) {
                return false;
            }
            if (field == 1) {
                key = std::string(text);
            } else {
                value = bytesValue ? bj::value(base64(text)) : bj::value(bj::string(text));
            }
        } else if (!reader.skip(wire)) {
            return false;
        }
    }
    return true;
}

bool decodeTime(std::string_view data, bj::value &out) {
    Reader reader(data);
    std::int64_t seconds = 0;
    while (!reader.done()) {
        int field = 0;
        int wire = 0;
        if (!reader.next(field, wire)) {
            return false;
        }
        std::uint64_t v = 0;
        if (field == 1 && wire == 0) {
            if (!reader.varint(v)) {
                return false;
            }
            seconds = static_cast<std::int64_t>(v);
        } else if (!reader.skip(wire)) {
            return false;
        }
    }
    // The zero time is how protobuf carries an unset metav1.Time (JSON null).
    out = seconds == 0 ? bj::value(nullptr)
                       : bj::value(formatRfc3339(TimePoint(std::chrono::seconds(seconds))));
    return true;
}

bool decode(std::string_view data, const Message &schema, bj::object &out) {
    Reader reader(data);
    while (!reader.done()) {
        int number = 0;
        int wire = 0;
        if (!reader.next(number, wire)) {
            return false;
        }
        const Field *field = nullptr;
        for (const auto &f : schema.fields) {
            if (f.number == number) {
                field = &f;
            }
        }
        if (!field) {
            if (!reader.skip(wire)) {
                return false;
            }
            continue;
        }
        if (field->kind == Kind::Int || field->kind == Kind::Bool) {
            std::uint64_t v = 0;
            if (wire != 0 || !reader.varint(v)) {
                return false;
            }
            if (field->kind == Kind::Bool) {
                out[field->name] = v != 0;
            } else {
                out[field->name] = static_cast<std::int64_t>(v);
            }
            continue;
        }
        std::string_view payload;
        if (wire != 2 || !reader.bytes(payload)) {
            return false;
        }
        switch (field->kind) {
        case Kind::String:
            out[field->name] = bj::string(payload);
            break;
        case Kind::Bytes:
            out[field->name] = base64(payload);
            break;
        case Kind::Time: {
            bj::value t;
            if (!decodeTime(payload, t)) {
                return false;
            }
            if (!t.is_null()) {
                out[field->name] = std::move(t);
            }
            break;
        }
        case Kind::MapString:
        case Kind::MapBytes: {
            std::string key;
            bj::value value;
            if (!decodeMapEntry(payload, field->kind == Kind::MapBytes, key, value)) {
                return false;
            }
            auto &map = out[field->name];
            if (!map.is_object()) {
                map = bj::object();
            }
            map.get_object()[key] = std::move(value);
            break;
        }
        case Kind::RepeatedString: {
            auto &list = out[field->name];
            if (!list.is_array()) {
                list = bj::array();
            }
            list.get_array().push_back(bj::string(payload));
            break;
        }
        case Kind::Message: {
            bj::object child;
            if (!decode(payload, *field->message, child)) {
                return false;
            }
            out[field->name] = std::move(child);
            break;
        }
        case Kind::RepeatedMessage: {
            bj::object child;
            if (!decode(payload, *field->message, child)) {
                return false;
            }
            auto &list = out[field->name];
            if (!list.is_array()) {
                list = bj::array();
            }
            list.get_array().push_back(std::move(child));
            break;
        }
        default:
            break;
        }
    }
    return reader.ok();
}

// Field numbers of k8s.io/api and apimachinery's generated.proto (v1).
const Message kOwnerReference{{{1, "kind", Kind::String},
                               {3, "name", Kind::String},
                               {4, "uid", Kind::String},
                               {5, "apiVersion", Kind::String},
                               {6, "controller", Kind::Bool},
                               {7, "blockOwnerDeletion", Kind::Bool}}};
const Message kObjectMeta{{{1, "name", Kind::String},
                           {2, "generateName", Kind::String},
                           {3, "namespace", Kind::String},
                           {5, "uid", Kind::String},
                           {6, "resourceVersion", Kind::String},
                           {7, "generation", Kind::Int},
                           {8, "creationTimestamp", Kind::Time},
                           {11, "labels", Kind::MapString},
                           {12, "annotations", Kind::MapString},
                           {13, "ownerReferences", Kind::RepeatedMessage, &kOwnerReference},
                           {14, "finalizers", Kind::RepeatedString}}};
const Message kTypeMeta{{{1, "apiVersion", Kind::String}, {2, "kind", Kind::String}}};
const Message kUnknown{{{1, "typeMeta", Kind::Message, &kTypeMeta},
                        {2, "raw", Kind::Bytes},
                        {3, "contentEncoding", Kind::String},
                        {4, "contentType", Kind::String}}};
const Message kConfigMap{{{1, "metadata", Kind::Message, &kObjectMeta},
                          {2, "data", Kind::MapString},
                          {3, "binaryData", Kind::MapBytes},
                          {4, "immutable", Kind::Bool}}};
const Message kSecret{{{1, "metadata", Kind::Message, &kObjectMeta},
                       {2, "data", Kind::MapBytes},
                       {3, "type", Kind::String},
                       {4, "stringData", Kind::MapString},
                       {5, "immutable", Kind::Bool}}};
const Message kNamespaceSpec{{{1, "finalizers", Kind::RepeatedString}}};
const Message kNamespace{
    {{1, "metadata", Kind::Message, &kObjectMeta}, {2, "spec", Kind::Message, &kNamespaceSpec}}};
const Message kObjectReference{{{1, "kind", Kind::String},
                                {2, "namespace", Kind::String},
                                {3, "name", Kind::String},
                                {4, "uid", Kind::String},
                                {5, "apiVersion", Kind::String}}};
const Message kLocalObjectReference{{{1, "name", Kind::String}}};
const Message kServiceAccount{
    {{1, "metadata", Kind::Message, &kObjectMeta},
     {2, "secrets", Kind::RepeatedMessage, &kObjectReference},
     {3, "imagePullSecrets", Kind::RepeatedMessage, &kLocalObjectReference},
     {4, "automountServiceAccountToken", Kind::Bool}}};

const std::map<std::string, const Message *> &kinds() {
    static const std::map<std::string, const Message *> table = {
        {"v1/ConfigMap", &kConfigMap},
        {"v1/Secret", &kSecret},
        {"v1/Namespace", &kNamespace},
        {"v1/ServiceAccount", &kServiceAccount},
    };
    return table;
}

ApiError malformed() {
    return ApiError::badRequest("the protobuf body of the request could not be decoded");
}

} // namespace

ApiResult<boost::json::object> decodeProtobufObject(std::string_view body) {
    constexpr std::string_view magic("k8s\0", 4);
    if (body.substr(0, 4) != magic) {
        return malformed();
    }
    // runtime.Unknown: the raw field is bytes; read it by hand rather than as base64.
    Reader reader(body.substr(4));
    std::string apiVersion;
    std::string kind;
    std::string_view raw;
    while (!reader.done()) {
        int field = 0;
        int wire = 0;
        if (!reader.next(field, wire)) {
            return malformed();
        }
        std::string_view payload;
        if (wire == 2 && (field == 1 || field == 2)) {
            if (!reader.bytes(payload)) {
                return malformed();
            }
            if (field == 2) {
                raw = payload;
                continue;
            }
            bj::object typeMeta;
            if (!decode(payload, kTypeMeta, typeMeta)) {
                return malformed();
            }
            if (const auto *v = typeMeta.if_contains("apiVersion")) {
                apiVersion = std::string(v->get_string());
            }
            if (const auto *v = typeMeta.if_contains("kind")) {
                kind = std::string(v->get_string());
            }
        } else if (!reader.skip(wire)) {
            return malformed();
        }
    }
    auto schema = kinds().find(apiVersion + "/" + kind);
    if (schema == kinds().end()) {
        return ApiError::unsupportedMediaType(
            "forecast-sandbox decodes application/vnd.kubernetes.protobuf only for ConfigMap, "
            "Secret, Namespace and ServiceAccount, not " +
            (kind.empty() ? std::string("this object") : kind) +
            " - send it as application/json or application/yaml (e.g. `kubectl create ... "
            "--dry-run=client -o yaml | kubectl apply -f -`)");
    }
    bj::object object{{"apiVersion", apiVersion}, {"kind", kind}};
    if (!decode(raw, *schema->second, object)) {
        return malformed();
    }
    return object;
}

} // namespace sandbox
