#include "model/nelder_mead.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace forecast {

namespace {

class Simplex {
public:
    Simplex(const std::function<double(std::span<const double>)> &f, std::size_t dims,
            int &evaluations)
        : m_f(f)
        , m_dims(dims)
        , m_points((dims + 1) * dims)
        , m_values(dims + 1)
        , m_order(dims + 1)
        , m_evaluations(evaluations) {}

    std::span<double> point(std::size_t i) { return {m_points.data() + i * m_dims, m_dims}; }
    double evaluate(std::span<const double> x) {
        ++m_evaluations;
        const double v = m_f(x);
        return std::isnan(v) ? HUGE_VAL : v;
    }

    void reset(std::span<const double> start, double step) {
        for (std::size_t i = 0; i <= m_dims; ++i) {
            std::span<double> p = point(i);
            std::copy(start.begin(), start.end(), p.begin());
            if (i > 0) {
                p[i - 1] += step;
            }
            m_values[i] = evaluate(p);
        }
        sort();
    }

    void sort() {
        std::iota(m_order.begin(), m_order.end(), 0);
        std::sort(m_order.begin(), m_order.end(),
                  [&](std::size_t a, std::size_t b) { return m_values[a] < m_values[b]; });
    }

    std::size_t best() const { return m_order.front(); }
    std::size_t worst() const { return m_order.back(); }
    std::size_t secondWorst() const { return m_order[m_dims - 1]; }
    double value(std::size_t i) const { return m_values[i]; }

    bool converged(double ftol, double xtol) {
        if (!(m_values[worst()] - m_values[best()] <= ftol)) {
            return false;
        }
        const std::span<double> b = point(best());
        for (std::size_t i = 0; i <= m_dims; ++i) {
            const std::span<double> p = point(i);
            for (std::size_t k = 0; k < m_dims; ++k) {
                if (std::abs(p[k] - b[k]) > xtol) {
                    return false;
                }
            }
        }
        return true;
    }

    // One Nelder-Mead iteration.
    void step(std::vector<double> &centroid, std::vector<double> &trial,
              std::vector<double> &trial2) {
        const std::size_t w = worst();
        std::fill(centroid.begin(), centroid.end(), 0.0);
        for (std::size_t i = 0; i <= m_dims; ++i) {
            if (i == w) {
                continue;
            }
            const std::span<double> p = point(i);
            for (std::size_t k = 0; k < m_dims; ++k) {
                centroid[k] += p[k] / static_cast<double>(m_dims);
            }
        }
        auto along = [&](double t, std::vector<double> &out) {
            const std::span<double> pw = point(w);
            for (std::size_t k = 0; k < m_dims; ++k) {
                out[k] = centroid[k] + t * (pw[k] - centroid[k]);
            }
            return evaluate(out);
        };
        const double fr = along(-1.0, trial);
        if (fr < m_values[best()]) {
            const double fe = along(-2.0, trial2);
            fe < fr ? replace(w, trial2, fe) : replace(w, trial, fr);
        } else if (fr < m_values[secondWorst()]) {
            replace(w, trial, fr);
        } else {
            const bool outside = fr < m_values[w];
            const double fc = along(outside ? -0.5 : 0.5, trial2);
            if (fc < (outside ? fr : m_values[w])) {
                replace(w, trial2, fc);
            } else {
                shrink();
            }
        }
        sort();
    }

private:
    void replace(std::size_t i, const std::vector<double> &x, double v) {
        std::copy(x.begin(), x.end(), point(i).begin());
        m_values[i] = v;
    }
    void shrink() {
        const std::size_t b = best();
        const std::span<double> pb = point(b);
        for (std::size_t i = 0; i <= m_dims; ++i) {
            if (i == b) {
                continue;
            }
            std::span<double> p = point(i);
            for (std::size_t k = 0; k < m_dims; ++k) {
                p[k] = pb[k] + 0.5 * (p[k] - pb[k]);
            }
            m_values[i] = evaluate(p);
        }
    }

    const std::function<double(std::span<const double>)> &m_f;
    std::size_t m_dims;
    std::vector<double> m_points; // (dims + 1) vertices, row-major
    std::vector<double> m_values;
    std::vector<std::size_t> m_order;
    int &m_evaluations;
};

} // namespace

NelderMeadResult minimizeNelderMead(const std::function<double(std::span<const double>)> &f,
                                    std::span<const double> start,
                                    const NelderMeadOptions &options) {
    NelderMeadResult result;
    result.point.assign(start.begin(), start.end());
    const std::size_t dims = start.size();
    if (dims == 0) {
        result.value = f(start);
        result.evaluations = 1;
        result.converged = true;
        return result;
    }
    Simplex simplex(f, dims, result.evaluations);
    std::vector<double> centroid(dims);
    std::vector<double> trial(dims);
    std::vector<double> trial2(dims);
    for (int round = 0; round <= options.restarts; ++round) {
        simplex.reset(result.point, options.initialStep / (1 << round));
        bool converged = false;
        while (result.evaluations < options.maxEvaluations) {
            if (simplex.converged(options.functionTolerance, options.pointTolerance)) {
                converged = true;
                break;
            }
            simplex.step(centroid, trial, trial2);
        }
        const std::span<double> best = simplex.point(simplex.best());
        const double improvement = result.value - simplex.value(simplex.best());
        result.point.assign(best.begin(), best.end());
        const bool firstRound = round == 0;
        result.value = simplex.value(simplex.best());
        result.converged = converged;
        // A restart that found nothing better confirms the optimum: stop there.
        if (!converged || (!firstRound && improvement <= options.functionTolerance)) {
            break;
        }
    }
    return result;
}

} // namespace forecast
