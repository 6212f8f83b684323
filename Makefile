# SPDX-License-Identifier: GPL-2.0-only
# Thin wrapper over CMake: `make run` and `make test` are the two set-up commands.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps configure build test run clean format-check

all: build

deps:
	@scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS)

test: build
	cd $(BUILD) && ctest -j$(JOBS) --output-on-failure

run: build
	@scripts/run

clean:
	rm -rf $(BUILD)
