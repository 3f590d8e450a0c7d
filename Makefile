# The two set-up commands (README): `make demo` and `make test`.
# Both install what they need first (scripts/install-deps is idempotent and fast when done).

PRESET ?= default
BUILD_DIR ?= build
CTEST_PARALLEL ?= 2

.PHONY: all deps configure build test demo bench clean format

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

bench: build
	@bench/run-all

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
