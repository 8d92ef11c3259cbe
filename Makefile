# Thin wrapper over CMake. `make test` and `make demo` install what is
# missing first (tools/install-deps.sh), then configure, build and run.
BUILD      ?= build
ASAN_BUILD ?= build-asan
AARCH64_BUILD ?= build-aarch64
HARDEN_BUILD ?= build-harden
AARCH64_HARDEN_BUILD ?= build-aarch64-harden
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all deps configure build test test-asan test-aarch64 test-harden test-aarch64-harden demo bench bench-compile bench-backends bench-instr fuzz-jit clean

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
# byte for byte and are never instrumented). Built with clang-19: its
# sanitizer runtime follows cpjit-lua's coroutine stack switches, gcc 12's
# reports false errors on them.
test-asan: deps
	@CC=clang-19 cmake -S . -B $(ASAN_BUILD) -DCPJIT_SANITIZE=ON $(CMAKE_ARGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# The whole suite built for AArch64 Linux (clang-19, tools/aarch64-linux-gnu.cmake)
# and run under qemu-aarch64; stencilgen is built for this machine. Installs
# the cross packages and an arm64 cmocka (into $(AARCH64_BUILD)) first.
test-aarch64: deps
	@bash tools/install-deps.sh --aarch64 $(CURDIR)/$(AARCH64_BUILD)/cmocka-arm64
	@cmake -S . -B $(AARCH64_BUILD) \
	  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/tools/aarch64-linux-gnu.cmake \
	  -DCPJIT_AARCH64_CMOCKA_ROOT=$(CURDIR)/$(AARCH64_BUILD)/cmocka-arm64 \
	  -DCPJIT_BENCH=OFF $(CMAKE_ARGS) >/dev/null
	@cmake --build $(AARCH64_BUILD) -j $(JOBS)
	@ctest --test-dir $(AARCH64_BUILD) --output-on-failure -j $(JOBS)

# The whole suite built with control-flow protection (CPJIT_HARDEN:
# -fcf-protection=full for host and stencils, clang-19), plus its own
# checks (harden/*: IBT/SHSTK property notes, endbr64 at every trace entry
# and no tracked indirect branch in trace code; unit/test_harden: landing
# pads at the helpers trace code reaches through veneers). Its
# interpreter uses computed-goto dispatch (CPJIT_VM_DISPATCH=goto), so that
# form runs the whole suite built with clang-19 too: make test-asan and the
# AArch64 builds get the default, tail calls, with clang-19.
test-harden: deps
	@CC=clang-19 cmake -S . -B $(HARDEN_BUILD) -DCPJIT_HARDEN=ON -DCPJIT_BENCH=OFF \
	  -DCPJIT_VM_DISPATCH=goto $(CMAKE_ARGS) >/dev/null
	@cmake --build $(HARDEN_BUILD) -j $(JOBS)
	@ctest --test-dir $(HARDEN_BUILD) --output-on-failure -j $(JOBS)

# AArch64 with -mbranch-protection=standard (BTI + PAC) under qemu-aarch64:
# trace code is mapped PROT_BTI and qemu enforces it, so the landing pads
# are exercised, not only looked at. Not the whole suite (make test-aarch64
# runs that unhardened): the JIT harness with its random traces, the
# landing-pad tests, the Lua programs with the JIT on (default and
# -Ohotloop=1), and unwinding through traces whose uops sign their return
# addresses (test_debug with libgcc's unwinder; gdb through qemu's stub,
# skipped when the stub gives gdb no pauth registers, as qemu 7.2's does not).
AARCH64_HARDEN_TESTS = ^(unit/test_jit|unit/test_harden|unit/test_debug|debug/gdb_backtrace_qemu|lua/prog_.*/(default|hotloop1))$$
test-aarch64-harden: deps
	@bash tools/install-deps.sh --aarch64 $(CURDIR)/$(AARCH64_HARDEN_BUILD)/cmocka-arm64
	@cmake -S . -B $(AARCH64_HARDEN_BUILD) \
	  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/tools/aarch64-linux-gnu.cmake \
	  -DCPJIT_AARCH64_CMOCKA_ROOT=$(CURDIR)/$(AARCH64_HARDEN_BUILD)/cmocka-arm64 \
	  -DCPJIT_BENCH=OFF -DCPJIT_HARDEN=ON $(CMAKE_ARGS) >/dev/null
	@cmake --build $(AARCH64_HARDEN_BUILD) -j $(JOBS) --target test_jit test_harden test_debug cpjit-lua
	@ctest --test-dir $(AARCH64_HARDEN_BUILD) --output-on-failure -j $(JOBS) \
	  -R '$(AARCH64_HARDEN_TESTS)'

demo: deps
	@$(MAKE) --no-print-directory build
	@bash tools/demo.sh $(BUILD)

# Execution speed against lua5.4 and LuaJIT: `make bench`, `make bench
# BENCH=nbody`, `BENCH_RUNS=3`, `JSTATS=1` (adds a -jstats run per program:
# share of bytecodes in traces, top abort/EXEC reasons). Reports go to
# $(BUILD)/bench/.
bench: deps
	@$(MAKE) --no-print-directory build
	@python3 bench/run_exec.py --cpjit $(BUILD)/runtime/cpjit-lua \
	  --out $(BUILD)/bench $(if $(BENCH),--bench $(BENCH)) \
	  $(if $(BENCH_RUNS),--runs $(BENCH_RUNS)) $(if $(JSTATS),--jstats)

bench-compile: deps
	@$(MAKE) --no-print-directory build
	@./$(BUILD)/bench/bench-compile 7 $(BUILD)/runtime/cpjit-lua bench/programs
	@bench/llvm/run_compile_bench.sh $(BUILD)

# Run time of the same traces compiled by cpjit and by LLVM ORC -O0/-O2
# (cpjit-lua-llvm -jbackend=...; needs llvm-19-dev). BENCH=, BENCH_RUNS=.
bench-backends: deps
	@$(MAKE) --no-print-directory build
	@python3 bench/run_backends.py --exe $(BUILD)/bench/llvm/cpjit-lua-llvm \
	  --ref $(BUILD)/runtime/cpjit-lua --out $(BUILD)/bench \
	  $(if $(BENCH),--bench $(BENCH)) $(if $(BENCH_RUNS),--runs $(BENCH_RUNS))

# Instructions executed with the JIT on and off (valgrind callgrind, no
# timing noise): fails when the JIT runs more than 5% more on a program.
bench-instr: deps
	@$(MAKE) --no-print-directory build
	@python3 bench/run_instr.py --cpjit $(BUILD)/runtime/cpjit-lua \
	  --out $(BUILD)/bench $(if $(BENCH),--bench $(BENCH))

# Open-ended JIT differential fuzzing (-joff vs -Ohotloop=1 vs lua5.4);
# FUZZ_COUNT / FUZZ_SEED bound and seed it. Failures land in $(BUILD)/fuzz-failures.
fuzz-jit: deps
	@$(MAKE) --no-print-directory build
	@tests/fuzz/run_fuzz.sh --count $(or $(FUZZ_COUNT),0) \
	  --seed $(or $(FUZZ_SEED),$$(date +%s)) \
	  --interp $(BUILD)/runtime/cpjit-lua --keep $(BUILD)/fuzz-failures

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(AARCH64_BUILD) $(HARDEN_BUILD) $(AARCH64_HARDEN_BUILD)
