// Model file reading and writing (format specified in docs/model.md).
#include "model/forecast_model.h"

#include "model/exact_json.h"

#include <boost/json.hpp>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>
#include <unistd.h>

namespace forecast {

namespace bj = boost::json;

namespace {

// Walks a JSON document and remembers the first problem with its path ("series[3].alpha").
class Reader {
public:
    explicit Reader(std::string source)
        : m_source(std::move(source)) {}

    bool failed() const { return !m_error.empty(); }
    rf::Error error() const { return rf::fail(m_source + ": " + m_error); }
    void fail(const std::string &path, const std::string &what) {
        if (m_error.empty()) {
            m_error = (path.empty() ? "" : path + ": ") + what;
        }
    }

    const bj::value *field(const bj::object &obj, const std::string &path, std::string_view name) {
        const bj::value *v = obj.if_contains(name);
        if (v == nullptr) {
            fail(path, "missing field '" + std::string(name) + "'");
        }
        return v;
    }

    double number(const bj::object &obj, const std::string &path, std::string_view name,
                  double lo = -HUGE_VAL, double hi = HUGE_VAL) {
        const std::string at = join(path, name);
        const bj::value *v = field(obj, path, name);
        if (v == nullptr) {
            return 0.0;
        }
        double x = 0.0;
        if (v->is_double()) {
            x = v->get_double();
        } else if (v->is_int64()) {
            x = static_cast<double>(v->get_int64());
        } else if (v->is_uint64()) {
            x = static_cast<double>(v->get_uint64());
        } else {
            fail(at, std::string("expected a number, found ") + kindName(*v));
            return 0.0;
        }
        if (!std::isfinite(x) || x < lo || x > hi) {
            fail(at,
                 "bad number " + fmt(x) + " (must be within [" + fmt(lo) + ", " + fmt(hi) + "])");
        }
        return x;
    }

    std::string string(const bj::object &obj, const std::string &path, std::string_view name) {
        const bj::value *v = field(obj, path, name);
        if (v == nullptr) {
            return {};
        }
        if (!v->is_string()) {
            fail(join(path, name), std::string("expected a string, found ") + kindName(*v));
            return {};
        }
        return std::string(v->get_string());
    }

    Date date(const bj::object &obj, const std::string &path, std::string_view name) {
        const std::string text = string(obj, path, name);
        if (failed()) {
            return {};
        }
        auto d = parseDate(text);
        if (!d) {
            fail(join(path, name), d.message());
            return {};
        }
        return *d;
    }

    const bj::object *object(const bj::value *v, const std::string &path) {
        if (v == nullptr) {
            return nullptr;
        }
        if (!v->is_object()) {
            fail(path, std::string("expected an object, found ") + kindName(*v));
            return nullptr;
        }
        return &v->get_object();
    }

    const bj::array *array(const bj::value *v, const std::string &path) {
        if (v == nullptr) {
            return nullptr;
        }
        if (!v->is_array()) {
            fail(path, std::string("expected an array, found ") + kindName(*v));
            return nullptr;
        }
        return &v->get_array();
    }

    static std::string join(const std::string &path, std::string_view name) {
        return path.empty() ? std::string(name) : path + "." + std::string(name);
    }

private:
    static const char *kindName(const bj::value &v) {
        switch (v.kind()) {
        case bj::kind::null:
            return "null";
        case bj::kind::bool_:
            return "a boolean";
        case bj::kind::string:
            return "a string";
        case bj::kind::array:
            return "an array";
        case bj::kind::object:
            return "an object";
        default:
            return "a number";
        }
    }
    static std::string fmt(double x) {
        if (std::isinf(x)) {
            return x < 0 ? "-inf" : "inf";
        }
        if (std::isnan(x)) {
            return "nan";
        }
        char buf[32];
        const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x); // shortest exact form
        return std::string(buf, ec == std::errc{} ? end : buf);
    }

    std::string m_source;
    std::string m_error;
};

Accuracy readAccuracy(Reader &r, const bj::object &obj, const std::string &path) {
    Accuracy a;
    a.mase = r.number(obj, path, "mase", 0.0);
    a.smape = r.number(obj, path, "smape", 0.0, 200.0);
    a.coverage80 = r.number(obj, path, "coverage80", 0.0, 1.0);
    a.naiveMase = r.number(obj, path, "naive_mase", 0.0);
    a.naiveSmape = r.number(obj, path, "naive_smape", 0.0, 200.0);
    a.days = static_cast<int>(r.number(obj, path, "days", 0.0, 1e6));
    return a;
}

bj::object writeAccuracy(const Accuracy &a) {
    return {{"mase", a.mase},
            {"smape", a.smape},
            {"coverage80", a.coverage80},
            {"naive_mase", a.naiveMase},
            {"naive_smape", a.naiveSmape},
            {"days", a.days}};
}

SeriesModel readSeries(Reader &r, const bj::object &obj, const std::string &path) {
    SeriesModel s;
    s.store = r.string(obj, path, "store");
    s.item = r.string(obj, path, "item");
    s.firstDate = r.date(obj, path, "first_date");
    s.lastDate = r.date(obj, path, "last_date");
    if (!r.failed() && s.lastDate < s.firstDate) {
        r.fail(path, "last_date is before first_date");
    }
    s.params.alpha = r.number(obj, path, "alpha", 0.0, 1.0);
    s.params.beta = r.number(obj, path, "beta", 0.0, 1.0);
    s.params.gamma = r.number(obj, path, "gamma", 0.0, 1.0);
    s.params.phi = r.number(obj, path, "phi", 0.0, 1.0);
    s.sigma = r.number(obj, path, "sigma", 0.0);
    s.state.level = r.number(obj, path, "level");
    s.state.trend = r.number(obj, path, "trend");
    if (const bj::array *season =
            r.array(r.field(obj, path, "season"), Reader::join(path, "season"))) {
        if (season->size() != kSeasonPeriod) {
            r.fail(Reader::join(path, "season"), "expected " + std::to_string(kSeasonPeriod) +
                                                     " values, found " +
                                                     std::to_string(season->size()));
        } else {
            for (std::size_t k = 0; k < kSeasonPeriod; ++k) {
                const bj::value &v = (*season)[k];
                const std::string at = Reader::join(path, "season") + "[" + std::to_string(k) + "]";
                if (!v.is_number() || !std::isfinite(v.to_number<double>())) {
                    r.fail(at, "bad number " + bj::serialize(v));
                    break;
                }
                s.state.season[k] = v.to_number<double>();
            }
        }
    }
    if (const bj::object *holdout =
            r.object(r.field(obj, path, "holdout"), Reader::join(path, "holdout"))) {
        s.holdout = readAccuracy(r, *holdout, Reader::join(path, "holdout"));
    }
    return s;
}

} // namespace

rf::Result<Model> Model::parse(std::string_view json, std::string_view sourceName) {
    const std::string source(sourceName);
    auto parsed = parseJsonExact(json);
    if (!parsed) {
        return rf::fail(source + ": not valid JSON (" + parsed.message() + ")");
    }
    const bj::value doc = std::move(*parsed);
    Reader r(source);
    const bj::object *root = r.object(&doc, "");
    if (root == nullptr) {
        return r.error();
    }
    Model model;
    // The format version is checked before anything else: a newer file may have any shape.
    const bj::value *fv = r.field(*root, "", "format_version");
    if (fv == nullptr) {
        return r.error();
    }
    // 1 and 1.0 are the same number to most JSON writers.
    const bool supported = (fv->is_int64() && fv->get_int64() == kModelFormatVersion) ||
                           (fv->is_double() && fv->get_double() == kModelFormatVersion);
    if (!supported) {
        return rf::fail(source + ": format_version " + bj::serialize(*fv) +
                        " is not supported (this build reads format_version " +
                        std::to_string(kModelFormatVersion) + ")");
    }
    model.version = r.string(*root, "", "version");
    model.trainedAt = r.string(*root, "", "trained_at");
    model.holdoutDays = static_cast<int>(r.number(*root, "", "holdout_days", 0.0, 1e6));
    if (const bj::object *window =
            r.object(r.field(*root, "", "training_window"), "training_window")) {
        model.windowStart = r.date(*window, "training_window", "start");
        model.windowEnd = r.date(*window, "training_window", "end");
    }
    if (const bj::object *overall = r.object(r.field(*root, "", "overall"), "overall")) {
        model.overall = readAccuracy(r, *overall, "overall");
    }
    std::vector<SeriesModel> series;
    if (const bj::array *list = r.array(r.field(*root, "", "series"), "series")) {
        series.reserve(list->size());
        for (std::size_t i = 0; i < list->size() && !r.failed(); ++i) {
            const std::string path = "series[" + std::to_string(i) + "]";
            if (const bj::object *obj = r.object(&(*list)[i], path)) {
                series.push_back(readSeries(r, *obj, path));
            }
        }
    }
    if (r.failed()) {
        return r.error();
    }
    model.setSeries(std::move(series));
    if (model.m_index.size() != model.m_series.size()) {
        return rf::fail(source + ": series: a store/item pair appears more than once");
    }
    return model;
}

rf::Result<Model> Model::load(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        return rf::fail(
            "model file '" + path + "': " +
            (err == ENOENT ? std::string("not found") : std::generic_category().message(err)));
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) {
        return rf::fail("model file '" + path + "': read error");
    }
    return parse(buf.str(), "model file '" + path + "'");
}

std::string Model::serialize() const {
    bj::array list;
    list.reserve(m_series.size());
    for (const SeriesModel &s : m_series) {
        bj::array season;
        for (double v : s.state.season) {
            season.emplace_back(v);
        }
        list.emplace_back(bj::object{{"store", s.store},
                                     {"item", s.item},
                                     {"first_date", formatDate(s.firstDate)},
                                     {"last_date", formatDate(s.lastDate)},
                                     {"alpha", s.params.alpha},
                                     {"beta", s.params.beta},
                                     {"gamma", s.params.gamma},
                                     {"phi", s.params.phi},
                                     {"sigma", s.sigma},
                                     {"level", s.state.level},
                                     {"trend", s.state.trend},
                                     {"season", std::move(season)},
                                     {"holdout", writeAccuracy(s.holdout)}});
    }
    bj::object root{
        {"format_version", formatVersion},
        {"model", "ETS(A,Ad,A)"},
        {"season_period", kSeasonPeriod},
        {"version", version},
        {"trained_at", trainedAt},
        {"training_window",
         bj::object{{"start", formatDate(windowStart)}, {"end", formatDate(windowEnd)}}},
        {"holdout_days", holdoutDays},
        {"overall", writeAccuracy(overall)},
        {"series", std::move(list)},
    };
    return bj::serialize(root);
}

rf::Status Model::save(const std::string &path) const {
    const std::string text = serialize();
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    auto failWith = [&](const char *what) {
        const int err = errno;
        std::remove(tmp.c_str());
        return rf::fail("cannot write model file '" + path + "': " + what + ": " +
                        std::generic_category().message(err));
    };
    std::FILE *f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) {
        return failWith("open");
    }
    const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size() &&
                         std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
    if (std::fclose(f) != 0 || !written) {
        return failWith("write");
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        return failWith("rename");
    }
    return rf::ok();
}

} // namespace forecast
