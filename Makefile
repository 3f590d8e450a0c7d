# The two set-up commands (README): `make demo` and `make test`.
# Both install what they need first (scripts/install-deps is idempotent and fast when done).

PRESET ?= default
BUILD_DIR ?= build
CTEST_PARALLEL ?= 2

.PHONY: all deps configure build test demo demo-api bench clean format

all: build

deps:
	@scripts/install-deps

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(CTEST_PARALLEL)

demo: build
	@scripts/demo

# forecast-api alone: train the demo model, serve it, show /model and a /predict answer.
demo-api: build
	@scripts/demo-api

bench: build
	@bench/run-all

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
