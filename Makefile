# Image Panel: the commands people type.
#   make run    install what is missing, build, start the panel on http://127.0.0.1:9090
#   make test   install what is missing, build, run every test tier
#   make demo   the panel against the bundled mock upstream (no API key needed)
#   make bench  the benchmarks (ratios against baselines measured in the same run)

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: run test demo bench deps build web configure test-unit test-api test-e2e test-mock test-fuzz clean help

help:
	@sed -n '2,6p' Makefile | sed 's/^# //'

deps:
	@bash scripts/setup-deps.sh --test

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

web: deps
	@bash scripts/build-web.sh

run: deps configure web
	cmake --build $(BUILD_DIR) -j $(JOBS) --target image-panel
	@BUILD_DIR=$(BUILD_DIR) bash scripts/run.sh

demo: build web
	@bash scripts/demo.sh

test: build web
	@BUILD_DIR=$(BUILD_DIR) bash scripts/test.sh

test-unit test-api test-e2e test-mock test-fuzz: build web
	@BUILD_DIR=$(BUILD_DIR) bash scripts/test.sh $(patsubst test-%,%,$@)

bench: build
	@BUILD_DIR=$(BUILD_DIR) bash scripts/bench.sh

clean:
	rm -rf $(BUILD_DIR) web/build web/.svelte-kit
