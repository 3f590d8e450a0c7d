#include "commands.h"

#include "arguments.h"
#include "progress_bar.h"

#include "model/synthesizer.h"
#include "model/trainer.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <optional>
#include <system_error>
#include <unistd.h>

namespace forecast {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

int usageError(const std::string &message) {
    std::fprintf(stderr, "forecast-train: %s\n(run 'forecast-train --help' for usage)\n",
                 message.c_str());
    return kExitUsage;
}

int failed(const std::string &message) {
    std::fprintf(stderr, "forecast-train: %s\n", message.c_str());
    return kExitFailed;
}

// Temporary file + rename, so a reader never sees half a file and a failure leaves no file.
class PendingFile final {
public:
    explicit PendingFile(std::string path)
        : m_path(std::move(path))
        , m_tmp(m_path + ".tmp." + std::to_string(::getpid())) {}
    ~PendingFile() {
        if (!m_committed) {
            std::remove(m_tmp.c_str());
        }
    }
    PendingFile(const PendingFile &) = delete;
    PendingFile &operator=(const PendingFile &) = delete;

    rf::Status write(const std::string &text) {
        std::FILE *f = std::fopen(m_tmp.c_str(), "wb");
        if (f == nullptr) {
            return error();
        }
        const bool ok =
            std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0;
        if (std::fclose(f) != 0 || !ok) {
            return error();
        }
        return rf::ok();
    }
    rf::Status commit() {
        if (std::rename(m_tmp.c_str(), m_path.c_str()) != 0) {
            return error();
        }
        m_committed = true;
        return rf::ok();
    }

private:
    rf::Error error() const {
        return rf::fail("cannot write '" + m_path + "': " + std::generic_category().message(errno));
    }
    std::string m_path;
    std::string m_tmp;
    bool m_committed = false;
};

void printSeriesTable(const TrainResult &result) {
    std::printf("%-10s %-10s %6s %6s %6s %5s %9s %6s %6s %7s %7s %5s\n", "store", "item", "alpha",
                "beta", "gamma", "phi", "sigma", "MASE", "naive", "sMAPE", "naive", "cov80");
    for (const SeriesModel &s : result.model.series()) {
        std::printf("%-10s %-10s %6.3f %6.4f %6.3f %5.3f %9.3f", s.store.c_str(), s.item.c_str(),
                    s.params.alpha, s.params.beta, s.params.gamma, s.params.phi, s.sigma);
        if (s.holdout.days > 0) {
            std::printf(" %6.3f %6.3f %6.2f%% %6.2f%% %4.0f%%\n", s.holdout.mase,
                        s.holdout.naiveMase, s.holdout.smape, s.holdout.naiveSmape,
                        100.0 * s.holdout.coverage80);
        } else {
            std::printf("   (too short to score)\n");
        }
    }
}

void printOverall(const TrainResult &result, std::size_t rows, const std::string &refit) {
    const Model &m = result.model;
    const Accuracy &a = m.overall;
    std::printf("\nseries fitted   %zu (%d scored on the last %d days), %zu rows, %s .. %s\n",
                m.series().size(), result.scoredSeries, m.holdoutDays, rows,
                formatDate(m.windowStart).c_str(), formatDate(m.windowEnd).c_str());
    if (result.scoredSeries > 0) {
        std::printf("\n%-22s %10s %10s\n", "holdout accuracy", "ETS(A,Ad,A)", "seas.naive");
        std::printf("%-22s %10.3f %10.3f   (%+.1f%%)\n", "MASE (mean)", a.mase, a.naiveMase,
                    100.0 * (a.mase / a.naiveMase - 1.0));
        std::printf("%-22s %9.2f%% %9.2f%%\n", "sMAPE (mean)", a.smape, a.naiveSmape);
        std::printf("%-22s %9.1f%% %10s   (%d days)\n", "80% interval coverage",
                    100.0 * a.coverage80, "-", a.days);
    }
    std::printf(
        "\nfit time        %.2f s wall on %d threads (holdout fits %.2f s, %s refits %.2f s "
        "CPU; %lld likelihood evaluations)\n",
        result.wallSeconds, result.threads, result.holdoutCpuSeconds, refit.c_str(),
        result.refitCpuSeconds, result.evaluations);
}

} // namespace

void printUsage(std::FILE *out) {
    std::fputs(
        "usage:\n"
        "  forecast-train synthesize --out FILE [--stores 10] [--items 50]\n"
        "                 [--start 2021-01-01] [--days 1826] [--seed 42]\n"
        "      Writes a realistic date,store,item,sales CSV; the same seed gives the same bytes.\n"
        "  forecast-train fit --data FILE --out MODEL [--holdout 28] [--report REPORT.json]\n"
        "                 [--threads N] [--refit full|states] [--quiet]\n"
        "      Fits ETS(A,Ad,A), period 7, per store/item by maximum likelihood, scores the\n"
        "      last --holdout days against a seasonal-naive baseline, then fits the served\n"
        "      model on all days (--refit full re-estimates the parameters; states keeps the\n"
        "      holdout parameters and only updates the states). --quiet skips the per-series\n"
        "      table; --threads 0 (default) uses one thread per core. Nothing is written when\n"
        "      the data has an error.\n",
        out);
}

int runSynthesize(const std::vector<std::string> &argv) {
    auto args = Arguments::parse(argv, {"out", "stores", "items", "start", "days", "seed"});
    if (!args) {
        return usageError(args.message());
    }
    if (!args->has("out")) {
        return usageError("synthesize needs --out FILE");
    }
    SynthesizeOptions options;
    auto stores = args->integer("stores", options.stores, 1, 100000);
    auto items = args->integer("items", options.items, 1, 100000);
    auto days = args->integer("days", options.days, 1, 100000);
    auto seed = args->unsignedInteger("seed", options.seed);
    for (const auto *r : {&stores, &items, &days}) {
        if (!*r) {
            return usageError(r->message());
        }
    }
    if (!seed) {
        return usageError(seed.message());
    }
    if (args->has("start")) {
        auto start = parseDate(args->text("start"));
        if (!start) {
            return usageError("option --start: " + start.message());
        }
        options.start = *start;
    }
    // The CSV is built in memory (about 20 bytes a row): refuse sizes that cannot fit.
    constexpr long long kMaxRows = 100'000'000;
    if (*stores * *items * *days > kMaxRows) {
        return usageError("--stores x --items x --days is over " + std::to_string(kMaxRows) +
                          " rows");
    }
    options.stores = static_cast<int>(*stores);
    options.items = static_cast<int>(*items);
    options.days = static_cast<int>(*days);
    options.seed = *seed;

    const SalesData data = synthesize(options);
    PendingFile out(args->text("out"));
    if (auto st = out.write(formatSalesCsv(data)); !st) {
        return failed(st.message());
    }
    if (auto st = out.commit(); !st) {
        return failed(st.message());
    }
    std::printf("wrote %zu rows (%d stores x %d items x %d days, %s .. %s, seed %llu) to %s\n",
                data.rows, options.stores, options.items, options.days,
                formatDate(data.start).c_str(), formatDate(data.end).c_str(),
                static_cast<unsigned long long>(options.seed), args->text("out").c_str());
    return 0;
}

int runFit(const std::vector<std::string> &argv) {
    auto args =
        Arguments::parse(argv, {"data", "out", "holdout", "report", "threads", "refit"}, {"quiet"});
    if (!args) {
        return usageError(args.message());
    }
    if (!args->has("data") || !args->has("out")) {
        return usageError("fit needs --data FILE and --out MODEL");
    }
    auto holdout = args->integer("holdout", 28, 0, 3650);
    auto threads = args->integer("threads", 0, 0, 1024);
    if (!holdout) {
        return usageError(holdout.message());
    }
    if (!threads) {
        return usageError(threads.message());
    }
    const std::string refit = args->text("refit", "full");
    if (refit != "full" && refit != "states") {
        return usageError("option --refit: '" + refit + "' is not one of full, states");
    }

    auto data = readSalesCsv(args->text("data"));
    if (!data) {
        return failed(data.message() + "\nnothing was written");
    }

    TrainOptions options;
    options.holdoutDays = static_cast<int>(*holdout);
    options.threads = static_cast<int>(*threads);
    options.refit = refit == "full" ? Refit::Full : Refit::States;
    ProgressBar bar(::isatty(STDOUT_FILENO) ? stdout : stderr, "fitting");
    if (bar.enabled()) {
        options.progress = [&bar](std::size_t done, std::size_t total) { bar.update(done, total); };
    }
    auto result = train(*data, options);
    bar.finish();
    if (!result) {
        return failed(result.message() + "\nnothing was written");
    }
    for (const std::string &w : result->warnings) {
        std::fprintf(stderr, "warning: %s\n", w.c_str());
    }
    if (!args->has("quiet")) {
        printSeriesTable(*result);
    }
    printOverall(*result, data->rows, refit);

    // Both files are complete on disk before either appears under its name.
    PendingFile model(args->text("out"));
    std::optional<PendingFile> report;
    if (auto st = model.write(result->model.serialize()); !st) {
        return failed(st.message());
    }
    if (args->has("report")) {
        report.emplace(args->text("report"));
        if (auto st = report->write(reportJson(*result)); !st) {
            return failed(st.message());
        }
    }
    for (PendingFile *f : {report ? &*report : nullptr, &model}) {
        if (f != nullptr) {
            if (auto st = f->commit(); !st) {
                return failed(st.message());
            }
        }
    }
    std::printf("\nmodel %s written to %s%s%s\n", result->model.version.c_str(),
                args->text("out").c_str(), args->has("report") ? ", report to " : "",
                args->text("report").c_str());
    return 0;
}

} // namespace forecast
