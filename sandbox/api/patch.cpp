#include "api/patch.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

// JSON patch (RFC 6902) and JSON merge patch (RFC 7386). Error messages follow the
// evanphx/json-patch library the API server uses, so a failing `kubectl patch --type json`
// reads the same as against a real cluster.

namespace sandbox {

namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

ApiError patchFailure(std::string message) {
    // The API server wraps a failed application as a 422 without resource details.
    // The real server answers a bare "the server rejected our request due to an error in
    // our request"; the cause carries the jsonpatch message so kubectl shows it:
    // `The deployments "web" is invalid: patch: testing value /x failed: test failed`.
    ApiError error;
    error.code = 422;
    error.reason = "Invalid";
    error.causes.push_back({"FieldValueInvalid", message, "patch"});
    error.message = std::move(message);
    return error;
}

ApiError decodeFailure(std::string message) {
    ApiError error;
    error.code = 400;
    error.reason = "BadRequest";
    error.message = std::move(message);
    return error;
}

// RFC 6901: split "/a/b~1c" into {"a", "b/c"}; "" is the whole document.
bool parsePointer(std::string_view pointer, std::vector<std::string> &tokens) {
    tokens.clear();
    if (pointer.empty()) {
        return true;
    }
    if (pointer.front() != '/') {
        return false;
    }
    std::string token;
    for (std::size_t i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer[i] == '/') {
            tokens.push_back(std::move(token));
            token.clear();
            continue;
        }
        char c = pointer[i];
        if (c == '~') {
            if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) {
                return false;
            }
            token.push_back(pointer[i + 1] == '0' ? '~' : '/');
            ++i;
            continue;
        }
        token.push_back(c);
    }
    return true;
}

// An array index as RFC 6901 allows it: "0" or digits without a leading zero.
bool parseIndex(const std::string &token, std::size_t &index) {
    if (token.empty() || (token.size() > 1 && token.front() == '0')) {
        return false;
    }
    for (char c : token) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
    return ec == std::errc() && ptr == token.data() + token.size();
}

// The container holding the pointer's last token, or nullptr when a step is missing.
value *parentOf(value &doc, const std::vector<std::string> &tokens) {
    value *current = &doc;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        if (auto *obj = current->if_object()) {
            current = obj->if_contains(tokens[i]);
        } else if (auto *arr = current->if_array()) {
            std::size_t index = 0;
            if (!parseIndex(tokens[i], index) || index >= arr->size()) {
                return nullptr;
            }
            current = &(*arr)[index];
        } else {
            return nullptr;
        }
        if (current == nullptr) {
            return nullptr;
        }
    }
    return (current->is_object() || current->is_array()) ? current : nullptr;
}

std::string invalidIndex(const std::string &token) {
    return "Unable to access invalid index: " + token + ": invalid index referenced";
}

struct Op {
    std::string name;
    std::string path;
    std::vector<std::string> tokens;
    std::string from;
    std::vector<std::string> fromTokens;
    const value *val = nullptr;
};

// Inserts `item` at the pointer (add semantics). Returns an error message or "".
std::string addAt(value &doc, const std::vector<std::string> &tokens, value item,
                  std::string_view opName, const std::string &path) {
    if (tokens.empty()) {
        doc = std::move(item);
        return {};
    }
    value *parent = parentOf(doc, tokens);
    if (parent == nullptr) {
        return std::string(opName) + " operation does not apply: doc is missing path: \"" + path +
               "\": missing value";
    }
    const std::string &key = tokens.back();
    if (auto *obj = parent->if_object()) {
        (*obj)[key] = std::move(item);
        return {};
    }
    array &arr = parent->get_array();
    if (key == "-") {
        arr.push_back(std::move(item));
        return {};
    }
    std::size_t index = 0;
    if (!parseIndex(key, index) || index > arr.size()) {
        return "error in " + std::string(opName) + " for path: '" + path +
               "': " + invalidIndex(key);
    }
    arr.insert(arr.begin() + static_cast<std::ptrdiff_t>(index), std::move(item));
    return {};
}

// The value at the pointer, or nullptr.
value *find(value &doc, const std::vector<std::string> &tokens) {
    if (tokens.empty()) {
        return &doc;
    }
    value *parent = parentOf(doc, tokens);
    if (parent == nullptr) {
        return nullptr;
    }
    if (auto *obj = parent->if_object()) {
        return obj->if_contains(tokens.back());
    }
    array &arr = parent->get_array();
    std::size_t index = 0;
    if (!parseIndex(tokens.back(), index) || index >= arr.size()) {
        return nullptr;
    }
    return &arr[index];
}

std::string removeAt(value &doc, const std::vector<std::string> &tokens, std::string_view opName,
                     const std::string &path, value *removed) {
    if (tokens.empty()) {
        return std::string(opName) + " operation does not apply: cannot remove the whole document";
    }
    value *parent = parentOf(doc, tokens);
    if (parent == nullptr) {
        return std::string(opName) + " operation does not apply: doc is missing path: \"" + path +
               "\": missing value";
    }
    const std::string &key = tokens.back();
    if (auto *obj = parent->if_object()) {
        auto it = obj->find(key);
        if (it == obj->end()) {
            return "error in " + std::string(opName) + " for path: '" + path +
                   "': Unable to remove nonexistent key: " + key + ": missing value";
        }
        if (removed != nullptr) {
            *removed = std::move(it->value());
        }
        obj->erase(it);
        return {};
    }
    array &arr = parent->get_array();
    std::size_t index = 0;
    if (!parseIndex(key, index) || index >= arr.size()) {
        return "error in " + std::string(opName) + " for path: '" + path +
               "': " + invalidIndex(key);
    }
    if (removed != nullptr) {
        *removed = std::move(arr[index]);
    }
    arr.erase(arr.begin() + static_cast<std::ptrdiff_t>(index));
    return {};
}

bool isProperPrefix(const std::vector<std::string> &prefix, const std::vector<std::string> &path) {
    if (prefix.size() >= path.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (prefix[i] != path[i]) {
            return false;
        }
    }
    return true;
}

std::string applyOp(value &doc, const Op &op) {
    if (op.name == "add") {
        return addAt(doc, op.tokens, *op.val, "add", op.path);
    }
    if (op.name == "remove") {
        return removeAt(doc, op.tokens, "remove", op.path, nullptr);
    }
    if (op.name == "replace") {
        if (op.tokens.empty()) {
            doc = *op.val;
            return {};
        }
        if (parentOf(doc, op.tokens) == nullptr) {
            return "replace operation does not apply: doc is missing path: " + op.path +
                   ": missing value";
        }
        value *target = find(doc, op.tokens);
        if (target == nullptr) {
            return "replace operation does not apply: doc is missing key: " + op.path +
                   ": missing value";
        }
        *target = *op.val;
        return {};
    }
    if (op.name == "move" || op.name == "copy") {
        value *source = find(doc, op.fromTokens);
        if (source == nullptr) {
            return op.name + " operation does not apply: doc is missing from path: " + op.from +
                   ": missing value";
        }
        if (op.name == "copy") {
            value copied = *source;
            return addAt(doc, op.tokens, std::move(copied), "copy", op.path);
        }
        if (op.fromTokens == op.tokens) {
            return {};
        }
        if (isProperPrefix(op.fromTokens, op.tokens)) {
            return "move operation does not apply: path " + op.path + " is a child of from path " +
                   op.from;
        }
        value moved;
        if (std::string err = removeAt(doc, op.fromTokens, "move", op.from, &moved); !err.empty()) {
            return err;
        }
        return addAt(doc, op.tokens, std::move(moved), "move", op.path);
    }
    if (op.name == "test") {
        value *target = find(doc, op.tokens);
        bool same = target != nullptr ? jsonEquals(*target, *op.val) : op.val->is_null();
        if (!same) {
            return "testing value " + op.path + " failed: test failed";
        }
        return {};
    }
    return "Unexpected kind: " + op.name;
}

// Reads one operation object; "" on success, else the decoding error.
std::string readOp(const value &raw, Op &op) {
    const object *obj = raw.if_object();
    if (obj == nullptr) {
        return "json: cannot unmarshal " +
               std::string(raw.is_array()    ? "array"
                           : raw.is_string() ? "string"
                                             : "number") +
               " into Go value of type jsonpatch.Operation";
    }
    const value *name = obj->if_contains("op");
    op.name = (name != nullptr && name->is_string()) ? std::string(name->get_string()) : "unknown";
    const value *path = obj->if_contains("path");
    if (path == nullptr || !path->is_string()) {
        return op.name +
               " operation failed to decode path: operation missing path field: " + "missing value";
    }
    op.path = std::string(path->get_string());
    if (!parsePointer(op.path, op.tokens)) {
        return op.name + " operation does not apply: invalid JSON pointer: " + op.path;
    }
    if (op.name == "move" || op.name == "copy") {
        const value *from = obj->if_contains("from");
        if (from == nullptr || !from->is_string()) {
            return op.name + " operation failed to decode from: operation, missing from field: " +
                   "missing value";
        }
        op.from = std::string(from->get_string());
        if (!parsePointer(op.from, op.fromTokens)) {
            return op.name + " operation does not apply: invalid JSON pointer: " + op.from;
        }
    }
    if (op.name == "add" || op.name == "replace" || op.name == "test") {
        op.val = obj->if_contains("value");
        if (op.val == nullptr) {
            return op.name + " operation, missing value field: missing value";
        }
    }
    return {};
}

} // namespace

bool jsonEquals(const boost::json::value &a, const boost::json::value &b) {
    // Numbers compare by value: 2, 2.0 and 2u are the same JSON number.
    if (a.is_number() && b.is_number()) {
        if (a.is_double() || b.is_double()) {
            return a.to_number<double>() == b.to_number<double>();
        }
        if (a.is_int64() && b.is_int64()) {
            return a.get_int64() == b.get_int64();
        }
        if (a.is_uint64() && b.is_uint64()) {
            return a.get_uint64() == b.get_uint64();
        }
        const value &s = a.is_int64() ? a : b;
        const value &u = a.is_int64() ? b : a;
        return s.get_int64() >= 0 && static_cast<std::uint64_t>(s.get_int64()) == u.get_uint64();
    }
    if (a.kind() != b.kind()) {
        return false;
    }
    if (const auto *ao = a.if_object()) {
        const object &bo = b.get_object();
        if (ao->size() != bo.size()) {
            return false;
        }
        for (const auto &entry : *ao) {
            const value *other = bo.if_contains(entry.key());
            if (other == nullptr || !jsonEquals(entry.value(), *other)) {
                return false;
            }
        }
        return true;
    }
    if (const auto *aa = a.if_array()) {
        const array &ba = b.get_array();
        if (aa->size() != ba.size()) {
            return false;
        }
        for (std::size_t i = 0; i < aa->size(); ++i) {
            if (!jsonEquals((*aa)[i], ba[i])) {
                return false;
            }
        }
        return true;
    }
    return a == b;
}

ApiResult<boost::json::value> applyJsonPatch(const boost::json::value &document,
                                             const boost::json::value &patch) {
    const array *ops = patch.if_array();
    if (ops == nullptr) {
        return decodeFailure("json: cannot unmarshal " +
                             std::string(patch.is_object() ? "object" : "value") +
                             " into Go value of type jsonpatch.Patch");
    }
    constexpr std::size_t maxOperations = 10000;
    if (ops->size() > maxOperations) {
        ApiError error;
        error.code = 413;
        error.reason = "RequestEntityTooLarge";
        error.message = "The allowed maximum operations in a JSON patch is 10000, got " +
                        std::to_string(ops->size());
        return error;
    }
    std::vector<Op> parsed(ops->size());
    for (std::size_t i = 0; i < ops->size(); ++i) {
        if (std::string err = readOp((*ops)[i], parsed[i]); !err.empty()) {
            // Shape errors surface when the op runs, after earlier ops applied (atomically
            // discarded either way), so they are 422 like other application failures.
            if (!(*ops)[i].is_object()) {
                return decodeFailure(err);
            }
            return patchFailure(err);
        }
    }
    value doc = document;
    for (const Op &op : parsed) {
        if (std::string err = applyOp(doc, op); !err.empty()) {
            return patchFailure(err);
        }
    }
    return doc;
}

boost::json::value applyMergePatch(const boost::json::value &document,
                                   const boost::json::value &patch) {
    const object *patchObj = patch.if_object();
    if (patchObj == nullptr) {
        return patch;
    }
    object result;
    if (const object *docObj = document.if_object()) {
        result = *docObj;
    }
    for (const auto &entry : *patchObj) {
        if (entry.value().is_null()) {
            result.erase(entry.key());
            continue;
        }
        const value *existing = result.if_contains(entry.key());
        value merged = applyMergePatch(existing != nullptr ? *existing : value(), entry.value());
        result[entry.key()] = std::move(merged);
    }
    return result;
}

} // namespace sandbox
