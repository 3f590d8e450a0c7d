#pragma once
// The model currently served. Requests take a snapshot (a shared_ptr copy) and keep using it
// even if a reload swaps in a new model meanwhile: a swap never fails or blocks a request.

#include "model/forecast_model.h"

#include <atomic>
#include <memory>

namespace forecast::http {

class ModelHolder final {
public:
    std::shared_ptr<const Model> current() const { return m_model.load(std::memory_order_acquire); }
    void replace(std::shared_ptr<const Model> model) {
        m_model.store(std::move(model), std::memory_order_release);
    }

private:
    std::atomic<std::shared_ptr<const Model>> m_model;
};

} // namespace forecast::http
