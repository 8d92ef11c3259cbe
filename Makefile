# Thin wrapper over CMake. `make test` and `make demo` install what is
# missing first (tools/install-deps.sh), then configure, build and run.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all deps configure build test test-asan demo bench bench-compile clean

all: build

deps:
	@bash tools/install-deps.sh

configure:
	@cmake -S . -B $(BUILD) $(CMAKE_ARGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

test: deps
	@$(MAKE) --no-print-directory build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The whole suite again with ASan + UBSan (host code; stencils are copied
# byte for byte and are never instrumented).
test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCPJIT_SANITIZE=ON $(CMAKE_ARGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

demo: deps
	@$(MAKE) --no-print-directory build
	@bash tools/demo.sh $(BUILD)

# Execution speed against lua5.4 and LuaJIT: `make bench`, `make bench
# BENCH=nbody`, `BENCH_RUNS=3`. Reports go to $(BUILD)/bench/.
bench: deps
	@$(MAKE) --no-print-directory build
	@python3 bench/run_exec.py --cpjit $(BUILD)/runtime/cpjit-lua \
	  --out $(BUILD)/bench $(if $(BENCH),--bench $(BENCH)) \
	  $(if $(BENCH_RUNS),--runs $(BENCH_RUNS))

bench-compile: deps
	@$(MAKE) --no-print-directory build
	@./$(BUILD)/bench/bench-compile
	@bench/llvm/run_compile_bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
