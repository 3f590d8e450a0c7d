#pragma once
// How Kubernetes protobuf messages map onto their JSON form: for each message type, its
// field numbers with the JSON name and value kind. The numbers are those of the
// generated.proto files of k8s.io/api and k8s.io/apimachinery (v1.32); the JSON rules are
// Go's encoding/json over the same Go types, so a decoded body equals what kubectl would
// have sent as JSON. Tables are constant data (no static-initialisation order).

#include <span>
#include <string_view>

namespace sandbox::protobuf {

enum class ValueKind {
    String,
    Bytes, // []byte: base64 in JSON
    Int32,
    Int64,
    Bool,
    Message,     // nested message, decoded with `message`
    Inline,      // embedded Go struct with `json:",inline"`: its fields join the parent
    Quantity,    // resource.Quantity {string=1} -> "500m"
    IntOrString, // intstr.IntOrString {type=1, intVal=2, strVal=3} -> 80 or "http"
    Time,        // metav1.Time {seconds=1, nanos=2} -> RFC3339 seconds, null when zero
    MicroTime,   // metav1.MicroTime -> RFC3339 with microseconds
    RawJson,     // FieldsV1 / RawExtension {raw=1}: the bytes are JSON text
    MapString,   // map<string,string> (entries key=1, value=2)
    MapBytes,    // map<string,bytes>: values base64
    MapQuantity, // map<string,Quantity> (ResourceList)
};

// When a decoded value appears in JSON. Protobuf (gogo, proto2) writes every non-pointer
// scalar, zero or not, so presence on the wire means little; what JSON shows follows the
// Go field: `omitempty` drops zero values, no omitempty keeps them, a pointer keeps
// whatever was set.
enum class Emit {
    OmitEmpty, // non-pointer with omitempty (the usual case)
    Always,    // non-pointer without omitempty (`json:"name"`)
    IfPresent, // pointer (*int32, *bool, *string): present on the wire means set
};

struct MessageSchema;

struct FieldSchema {
    int number;
    std::string_view json;
    ValueKind kind;
    bool repeated = false;
    Emit emit = Emit::OmitEmpty;
    const MessageSchema *message = nullptr; // for Message and Inline
};

struct MessageSchema {
    std::string_view name; // Go type name, for error messages
    std::span<const FieldSchema> fields;

    const FieldSchema *field(int number) const {
        for (const FieldSchema &f : fields) {
            if (f.number == number) {
                return &f;
            }
        }
        return nullptr;
    }
};

// The schema of a top-level object (apiVersion "apps/v1", kind "Deployment"), or nullptr
// when the sandbox does not decode that kind from protobuf.
const MessageSchema *schemaForKind(std::string_view apiVersion, std::string_view kind);

// "ConfigMap (v1), Deployment (apps/v1), ..." for error messages.
std::string_view supportedKindsText();

// Shared message types, defined in protobuf_schema_core.cpp and used by the other tables.
extern const MessageSchema kObjectMeta;
extern const MessageSchema kLabelSelector;
extern const MessageSchema kLabelSelectorRequirement;
extern const MessageSchema kPodTemplateSpec;
extern const MessageSchema kLocalObjectReference;
extern const MessageSchema kTypedLocalObjectReference;
extern const MessageSchema kEmptyMessage; // status blocks: decoded as {} whatever they hold

} // namespace sandbox::protobuf
