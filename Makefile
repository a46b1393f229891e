# wrt: non-recursive Makefile. Out-of-tree builds in build/$(CONFIG)/.
#   make [CONFIG=debug|release|asan|fuzz] [CC=clang-19] [LLVM_CONFIG=llvm-config-19]
#   make check     unit + golden + spec + own .wast + differential and libFuzzer smoke runs
#                  (installs missing packages)
#   make demo      shows the pipeline on an example, as far as it reaches today
#   make bless     rewrites golden expectations
# `make asan check` is shorthand for `make CONFIG=asan check`.

CONFIG ?= debug
ifneq ($(filter asan,$(MAKECMDGOALS)),)
CONFIG := asan
endif
ifneq ($(filter release,$(MAKECMDGOALS)),)
CONFIG := release
endif

LLVM_CONFIG ?= llvm-config-19
CC ?= cc
ifeq ($(origin CC),default)
CC := cc
endif
FUZZ_CC ?= clang-19
WRT_TESTSUITE ?= $(abspath ../shared/testsuite)
JOBS ?= 2

B := build/$(CONFIG)
O := $(B)/obj

WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wimplicit-fallthrough -Wvla -Wundef -Wpointer-arith -Wcast-qual
WCONV := -Wconversion
CPPFLAGS := -D_GNU_SOURCE -Iaotc -Ilibwrt-rt -Ilibwrt-rt/include -MMD -MP

ifeq ($(CONFIG),debug)
OPT := -O0 -g
else ifeq ($(CONFIG),release)
OPT := -O2 -g -DNDEBUG
else ifeq ($(CONFIG),asan)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
else
$(error unknown CONFIG=$(CONFIG): use debug, release or asan)
endif
# Build paths stay out of the objects (debug info, __FILE__): libwrt-rt.a, and
# so executables made with --exe, are the same whichever directory built them.
REPRO := -ffile-prefix-map=$(CURDIR)=.
CFLAGS_ALL := $(WARN) $(OPT) $(REPRO) $(CFLAGS)
LDFLAGS_ALL := $(filter -fsanitize=%,$(OPT)) $(LDFLAGS)

# LLVM flags are evaluated lazily (after scripts/install-deps has run) and apply
# only to codegen/, trampolines/ and tools/.
LLVM_CFLAGS = $(filter -I% -D%,$(shell $(LLVM_CONFIG) --cflags))
LLVM_LIBS = $(shell $(LLVM_CONFIG) --ldflags --libs)

# ------------------------------------------------------------------ sources
AOTC_SRC := $(sort $(wildcard aotc/*.c))
AOTC_OBJ := $(AOTC_SRC:%.c=$(O)/%.o)
LIBAOTC := $(B)/lib/libaotc.a

CG_SRC := $(sort $(wildcard codegen/*.c trampolines/*.c))
CG_OBJ := $(CG_SRC:%.c=$(O)/%.o)
LIBCG := $(B)/lib/libcg.a

# arch/<cpu>.S: the fiber context switch, each file empty on other CPUs.
RT_SRC := $(sort $(wildcard libwrt-rt/*.c libwrt-rt/wasi/*.c libwrt-rt/arch/*.S))
RT_OBJ := $(patsubst %.S,$(O)/%.o,$(RT_SRC:%.c=$(O)/%.o))
LIBRT := $(B)/lib/libwrt-rt.a
TEST_WRT := $(B)/bin/test_wrt

WASM2OBJ := $(B)/bin/wasm2obj
WRT_WAST := $(B)/bin/wrt-wast
TEST_AOTC := $(B)/bin/test_aotc
BENCH_VALIDATE := $(B)/bin/bench_validate
TEST_HOST := $(B)/bin/test_host
TEST_EMBED := $(B)/bin/test_embed
TEST_CG := $(B)/bin/test_cg
GEN_HOSTILE := $(B)/bin/gen_hostile
BINS := $(WASM2OBJ) $(WRT_WAST) $(TEST_AOTC) $(BENCH_VALIDATE) $(LIBRT) $(TEST_WRT) $(TEST_HOST) \
        $(TEST_EMBED) $(TEST_CG)

.PHONY: install uninstall bench all deps check check-deps check-unit check-golden check-spec fuzz-smoke fuzz bless demo clean \
        check-spec-validate check-spec-guard check-spec-explicit check-spec-pool-guard \
        check-spec-pool-explicit check-cross check-cross-host \
        check-spec-aarch64 check-programs check-programs-levels check-programs-cross check-install \
        check-headers check-wast check-hostile check-fuzz-diff fuzz-diff fuzz-wasi fuzz-wasi-smoke \
        check-realworld \
        asan release format format-check
all: $(BINS)
asan release: ;   # config selectors, see above

$(O)/aotc/%.o: aotc/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS_ALL) $(WCONV) -c $< -o $@

$(O)/libwrt-rt/%.o: libwrt-rt/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS_ALL) $(WCONV) -fno-omit-frame-pointer -c $< -o $@

$(O)/libwrt-rt/arch/%.o: libwrt-rt/arch/%.S
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -c $< -o $@

$(O)/codegen/%.o: codegen/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Icodegen -Itrampolines $(LLVM_CFLAGS) $(CFLAGS_ALL) -c $< -o $@

$(O)/trampolines/%.o: trampolines/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(LLVM_CFLAGS) $(CFLAGS_ALL) -c $< -o $@

$(O)/tools/%.o: tools/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Icodegen $(LLVM_CFLAGS) $(CFLAGS_ALL) -c $< -o $@

# wasm2obj --exe runs the clang of the LLVM it was built with.
$(O)/tools/wasm2obj_link.o: tools/wasm2obj_link.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DWRT_LLVM_BINDIR='"$(shell $(LLVM_CONFIG) --bindir)"' -Icodegen \
	  $(LLVM_CFLAGS) $(CFLAGS_ALL) -c $< -o $@

$(O)/test/%.o: test/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itest/unit $(CFLAGS_ALL) -c $< -o $@

$(LIBAOTC): $(AOTC_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(LIBCG): $(CG_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(LIBRT): $(RT_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

W2O_OBJ := $(patsubst %.c,$(O)/%.o,$(sort $(wildcard tools/wasm2obj*.c)))
# The runtime for another target: `make TARGET=aarch64-linux-gnu` (also
# arm-linux-gnueabihf, riscv64-linux-gnu) builds $(B)/lib/TARGET/libwrt-rt.a
# with clang-19 against Debian's cross libc (scripts/install-deps --cross);
# `wasm2obj --exe --target=TARGET` links with it.
TARGET ?=
RT_HDR := $(wildcard libwrt-rt/*.h libwrt-rt/include/*.h libwrt-rt/wasi/*.h)
RT_CROSS_FLAGS = --target=$* $(WARN) $(WCONV) $(REPRO) -D_GNU_SOURCE -O2 -g -fno-omit-frame-pointer \
  -Ilibwrt-rt -Ilibwrt-rt/include
$(B)/lib/%/libwrt-rt.a: $(RT_SRC) $(RT_HDR)
	@mkdir -p $(O)/$*/libwrt-rt $(@D)
	@for f in $(RT_SRC); do echo "clang-19 --target=$* -c $$f"; \
	  b=$${f##*/}; clang-19 $(RT_CROSS_FLAGS) -c $$f -o $(O)/$*/libwrt-rt/$${b%.*}.o || exit 1; done
	rm -f $@ && llvm-ar-19 rcs $@ $(O)/$*/libwrt-rt/*.o
ifneq ($(TARGET),)
all: $(B)/lib/$(TARGET)/libwrt-rt.a
endif

$(WASM2OBJ): $(W2O_OBJ) $(LIBCG) $(LIBAOTC)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) $^ $(LLVM_LIBS) -lm -o $@

# The runner dlopens compiled modules, which call the runtime's wrt_rt_*
# functions: export the whole runtime from the executable.
WAST_OBJ := $(patsubst %.c,$(O)/%.o,tools/wrt-wast.c $(sort $(wildcard tools/wast_*.c)))
$(WRT_WAST): $(WAST_OBJ) $(LIBCG) $(LIBAOTC) $(LIBRT)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -rdynamic $(WAST_OBJ) $(LIBCG) $(LIBAOTC) \
	  -Wl,--whole-archive $(LIBRT) -Wl,--no-whole-archive $(LLVM_LIBS) -ljson-c -ldl -lm -o $@

$(TEST_WRT): $(patsubst %.c,$(O)/%.o,$(sort $(wildcard test/unit/test_wrt*.c))) $(LIBRT)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) $^ -lm -o $@

$(TEST_AOTC): $(patsubst %.c,$(O)/%.o,$(sort $(wildcard test/unit/test_aotc*.c))) $(LIBAOTC)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) $^ -o $@

# Codegen's unit tests: the layout contract (codegen's offsets compiled against
# wrt_abi.h for each target) and out-of-memory paths on a sample module.
$(B)/test/unit/cg_sample.wasm: test/unit/cg_sample.wat
	@mkdir -p $(@D)
	wat2wasm $< -o $@
$(O)/test/unit/test_cg.o: test/unit/test_cg.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itest/unit -Icodegen -DWRT_ABI_INCLUDE='"$(CURDIR)/libwrt-rt"' \
	  -DWRT_CG_SAMPLE='"$(CURDIR)/$(B)/test/unit/cg_sample.wasm"' $(CFLAGS_ALL) -c $< -o $@
$(TEST_CG): $(O)/test/unit/test_cg.o $(LIBCG) $(LIBAOTC) $(B)/test/unit/cg_sample.wasm
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) $(filter %.o %.a,$^) $(LLVM_LIBS) -lm -o $@

$(BENCH_VALIDATE): $(O)/test/bench/bench_validate.o $(LIBAOTC)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) $^ -o $@

# Host tests: Wasm modules in test/host/*.wat, compiled by our own wasm2obj
# (prefix = file stem; extra flags from a line ";; wasm2obj: FLAGS") and
# linked into one C host with the runtime.
HOST_WAT := $(sort $(wildcard test/host/*.wat))
HOST_MOD_OBJ := $(HOST_WAT:test/host/%.wat=$(B)/test/host/%.o) $(B)/test/host/bigframe.o
$(B)/test/host/%.o: test/host/%.wat $(WASM2OBJ)
	@mkdir -p $(@D)
	wat2wasm $< -o $(@:.o=.wasm)
	$(WASM2OBJ) $$(sed -n 's/^;; wasm2obj: //p' $<) --name=$* --header=$(@:.o=.h) $(@:.o=.wasm) -o $@

# A hostile frame (65,000 locals), generated and compiled at -O0 (see gen_hostile.c).
$(B)/test/host/bigframe.o: $(GEN_HOSTILE) $(WASM2OBJ)
	@mkdir -p $(@D)/gen
	$(GEN_HOSTILE) $(@D)/gen bigframe
	$(WASM2OBJ) -O0 --name=bigframe $(@D)/gen/bigframe.wasm -o $@

$(TEST_HOST): $(patsubst %.c,$(O)/%.o,$(sort $(wildcard test/host/*.c))) $(HOST_MOD_OBJ) $(LIBRT)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) $^ -lm -lpthread -o $@

# Host tests include the headers wasm2obj --header wrote next to the objects.
$(O)/test/host/%.o: test/host/%.c | $(HOST_MOD_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itest/unit -I$(B)/test/host $(CFLAGS_ALL) -fno-omit-frame-pointer -c $< -o $@

# Embedding WASI modules (test/embed): a reactor and a command written in C,
# compiled to wasm32-wasi, then by wasm2obj with typed headers, driven by
# embed_host.c through the WASI embedding API. Compiled with -O2 and linked
# without -O: an optimising link runs binaryen's wasm-opt whenever it is on
# the PATH (it is: differential fuzzing uses it), which strips the name
# section that the backtrace checks need.
EMBED_MOD_OBJ := $(B)/test/embed/reactor.o $(B)/test/embed/command.o
$(B)/test/embed/reactor.o: EXEC_MODEL := -mexec-model=reactor
$(B)/test/embed/%.o: test/embed/%.c $(WASM2OBJ)
	@mkdir -p $(@D)
	clang-19 --target=wasm32-wasi -O2 -c $< -o $(@:.o=.wasm.o)
	clang-19 --target=wasm32-wasi $(EXEC_MODEL) $(@:.o=.wasm.o) -o $(@:.o=.wasm)
	$(WASM2OBJ) --name=$* --header=$(@:.o=.h) $(@:.o=.wasm) -o $@
$(O)/test/embed/%.o: test/embed/%.c | $(EMBED_MOD_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itest/unit -I$(B)/test/embed $(CFLAGS_ALL) -c $< -o $@
$(TEST_EMBED): $(O)/test/embed/embed_host.o $(EMBED_MOD_OBJ) $(LIBRT)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) $^ -lm -o $@

# ------------------------------------------------------------------ tests
# Every test step writes a log ending in "N passed, N failed[, N skipped]";
# scripts/summarize adds them up and prints the final line.
T := $(B)/test
deps:
	@scripts/install-deps

check: deps
	@scripts/install-deps --cross
	@$(MAKE) --no-print-directory -j$(JOBS) CONFIG=$(CONFIG) all
	@rm -rf $(T)/logs && mkdir -p $(T)/logs
	@$(MAKE) --no-print-directory -j$(JOBS) CONFIG=$(CONFIG) -k check-deps check-unit check-golden \
	  check-spec-validate check-spec-guard check-spec-explicit check-spec-pool-guard \
	  check-spec-pool-explicit check-cross-host check-spec-aarch64 check-wast check-hostile check-fuzz-diff check-programs check-programs-levels check-programs-cross \
	  check-install check-headers fuzz-smoke fuzz-wasi-smoke; \
	  scripts/summarize $(T)/logs

check-unit: $(TEST_AOTC) $(TEST_WRT) $(TEST_HOST) $(TEST_EMBED) $(TEST_CG)
	@mkdir -p $(T)/logs
	@rc=0; for t in aotc wrt host embed cg; do \
	  $(B)/bin/test_$$t > $(T)/logs/unit-$$t.log 2>&1 || rc=1; \
	  tail -n 1 $(T)/logs/unit-$$t.log | sed "s/^/unit-$$t: /"; done; exit $$rc

# The include rule of DESIGN.md §3 (and a proof the check can fail).
check-deps:
	@mkdir -p $(T)/logs
	@scripts/check-deps > $(T)/logs/deps.log 2>&1; rc=$$?; \
	  scripts/check-deps --self-test > $(T)/logs/deps-selftest.log 2>&1 || rc=1; \
	  grep -h ': includes' $(T)/logs/deps.log; \
	  echo "deps: $$(tail -n 1 $(T)/logs/deps.log), self-test: $$(tail -n 1 $(T)/logs/deps-selftest.log)"; exit $$rc

check-golden: $(WASM2OBJ)
	@mkdir -p $(T)/logs
	@scripts/golden $(WASM2OBJ) $(T)/golden > $(T)/logs/golden.log 2>&1; rc=$$?; \
	  tail -n 1 $(T)/logs/golden.log | sed 's/^/golden: /'; exit $$rc

# The spec suite three times: validity of every module and binary assertion
# (all files), then execution in both bounds-check modes (test/spec/skip.txt
# lists what is not run yet, with reasons; skips are counted, never hidden).
SPEC_RUN = $(WRT_WAST) --suite=$(WRT_TESTSUITE)
check-spec: check-spec-validate check-spec-guard check-spec-explicit
check-spec-validate: $(WRT_WAST)
	@mkdir -p $(T)/logs
	@$(SPEC_RUN) --validate-only --workdir=$(T)/spec > $(T)/logs/spec-validate.log 2>&1; rc=$$?; \
	  tail -n 1 $(T)/logs/spec-validate.log | sed 's/^/spec (validate): /'; exit $$rc
check-spec-guard check-spec-explicit: check-spec-%: $(WRT_WAST)
	@mkdir -p $(T)/logs
	@$(SPEC_RUN) --bounds-checks=$* --skip=test/spec/skip.txt --workdir=$(T)/spec-$* \
	  > $(T)/logs/spec-$*.log 2>&1; rc=$$?; \
	  grep -E 'FAIL' $(T)/logs/spec-$*.log | head -n 20; \
	  tail -n 1 $(T)/logs/spec-$*.log | sed 's/^/spec ($*): /'; exit $$rc

# The same legs with the pooling instance allocator (#13): every script's
# engine takes its instances, memories and tables from pool slots; and the
# code carries epoch checks (no deadline is set, so they never fire).
check-spec-pool-guard check-spec-pool-explicit: check-spec-pool-%: $(WRT_WAST)
	@mkdir -p $(T)/logs
	@$(SPEC_RUN) --bounds-checks=$* --allocator=pooling --epoch-interruption --skip=test/spec/skip.txt \
	  --workdir=$(T)/spec-pool-$* > $(T)/logs/spec-pool-$*.log 2>&1; rc=$$?; \
	  grep -E 'FAIL' $(T)/logs/spec-pool-$*.log | head -n 20; \
	  tail -n 1 $(T)/logs/spec-pool-$*.log | sed 's/^/spec (pooling, $*): /'; exit $$rc

# Cross targets (aarch64, riscv64, armv7): the runtime and the host integration
# test, cross-compiled and run under qemu-user (seconds; part of check).
check-cross-host: $(WASM2OBJ) $(GEN_HOSTILE)
	@scripts/install-deps --cross
	@mkdir -p $(T)/logs
	@GEN_HOSTILE=$(GEN_HOSTILE) scripts/check-cross $(WASM2OBJ) $(B)/cross > $(T)/logs/cross.log 2>&1; rc=$$?; \
	  grep ': test_host' $(T)/logs/cross.log; exit $$rc

# `make check-cross` (#6): the host tests and the whole spec suite on every
# cross target: wrt-wast compiles and links here, wrt-exec (tools/wrt-exec.c,
# built by scripts/cross-exec) executes under qemu-user. aarch64 and riscv64
# in both bounds-check modes, armv7 (32-bit) in explicit mode; 2-3 minutes
# per leg. `make check` runs the aarch64 guard leg (check-spec-aarch64).
CROSS_SPEC_LEGS ?= aarch64-linux-gnu:guard aarch64-linux-gnu:explicit riscv64-linux-gnu:guard \
                   riscv64-linux-gnu:explicit arm-linux-gnueabihf:explicit
check-cross: check-cross-host $(WRT_WAST) \
  $(foreach t,$(sort $(foreach l,$(CROSS_SPEC_LEGS),$(firstword $(subst :, ,$(l))))),$(B)/cross-exec/$(t)/wrt-exec)
	@rm -rf $(T)/cross-spec/logs && mkdir -p $(T)/cross-spec/logs && cp $(T)/logs/cross.log $(T)/cross-spec/logs/
	@for l in $(CROSS_SPEC_LEGS); do t=$${l%%:*}; m=$${l##*:}; \
	  start=$$(date +%s); \
	  $(SPEC_RUN) --target=$$t --bounds-checks=$$m --skip=test/spec/skip.txt \
	    --workdir=$(T)/cross-spec/$$t-$$m > $(T)/cross-spec/logs/$$t-$$m.log 2>&1; \
	  grep -E 'FAIL' $(T)/cross-spec/logs/$$t-$$m.log | head -n 20; \
	  echo "spec ($$t, $$m, $$(($$(date +%s) - start)) s): $$(tail -n 1 $(T)/cross-spec/logs/$$t-$$m.log)"; \
	done; scripts/summarize $(T)/cross-spec/logs

# wrt-exec for a cross target (scripts/cross-exec), one rule so that legs
# running in parallel never build it twice at once.
CROSS_EXEC_SRC := $(RT_SRC) $(RT_HDR) $(wildcard tools/wrt-exec.c tools/wast_*.c tools/*.h)
$(B)/cross-exec/%/wrt-exec: $(CROSS_EXEC_SRC)
	@scripts/install-deps --cross
	@scripts/cross-exec $(B)/cross-exec $* > /dev/null

check-spec-aarch64: $(WRT_WAST) $(B)/cross-exec/aarch64-linux-gnu/wrt-exec
	@mkdir -p $(T)/logs
	@$(SPEC_RUN) --target=aarch64-linux-gnu --skip=test/spec/skip.txt --workdir=$(T)/spec-aarch64 \
	  > $(T)/logs/spec-aarch64.log 2>&1; rc=$$?; \
	  grep -E 'FAIL' $(T)/logs/spec-aarch64.log | head -n 20; \
	  tail -n 1 $(T)/logs/spec-aarch64.log | sed 's/^/spec (aarch64, qemu): /'; exit $$rc

# Our own .wast scripts (test/wast/: traps of dead, folded, narrowed and merged
# accesses, ...; test/fuzz/regressions/: minimised fuzzing failures) at -O0..-O3
# in both bounds-check modes here and on aarch64 and riscv64 under qemu-user.
WAST_TARGETS ?= aarch64-linux-gnu riscv64-linux-gnu
check-wast: $(WRT_WAST) $(foreach t,$(WAST_TARGETS),$(B)/cross-exec/$(t)/wrt-exec)
	@mkdir -p $(T)/logs
	@scripts/check-wast $(WRT_WAST) $(T)/wast $(WAST_TARGETS) > $(T)/logs/wast.log 2>&1; rc=$$?; \
	  grep -E 'FAIL' $(T)/logs/wast.log | head -n 20; \
	  tail -n 1 $(T)/logs/wast.log | sed 's/^/wast (own scripts, -O0..3, both modes, 3 targets): /'; \
	  exit $$rc

# The hostile-module set (scripts/check-hostile): escapes and exhaustion
# attempts, hand-written (test/hostile/*.wast) and generated (gen_hostile).
$(GEN_HOSTILE): test/hostile/gen_hostile.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $< -o $@
check-hostile: $(WASM2OBJ) $(WRT_WAST) $(GEN_HOSTILE)
	@mkdir -p $(T)/logs
	@scripts/check-hostile $(WASM2OBJ) $(WRT_WAST) $(GEN_HOSTILE) $(T)/hostile \
	  > $(T)/logs/hostile.log 2>&1; rc=$$?; \
	  grep -E '^FAIL' $(T)/logs/hostile.log | head -n 20; \
	  tail -n 1 $(T)/logs/hostile.log | sed 's/^/hostile modules: /'; exit $$rc

# Differential execution (scripts/fuzz-diff): random modules from `wasm-opt
# -ttf` against binaryen's interpreter (every export's result, trap, logged
# values and memory hash compared) and template modules from
# test/fuzz/fuzz_templates.cjs (SIMD, bulk memory, reference types,
# multi-value, traps) against wabt's spectest-interp; each seed gives one of
# each. check runs a smoke of FUZZ_DIFF_SMOKE seeds; `make fuzz-diff` the full
# run (FUZZ_DIFF_COUNT seeds, FUZZ_DIFF_SOURCE=ttf|templates|both, failures
# minimised into $(B)/fuzz-diff/failures/).
FUZZ_DIFF_SMOKE ?= 30
FUZZ_DIFF_COUNT ?= 500
FUZZ_DIFF_SEED ?= 1
FUZZ_DIFF_MODES ?= guard explicit
FUZZ_DIFF_SOURCE ?= both
check-fuzz-diff: $(WRT_WAST)
	@mkdir -p $(T)/logs
	@rm -rf $(T)/fuzz-diff
	@scripts/fuzz-diff --count=$(FUZZ_DIFF_SMOKE) --modes="guard explicit" --jobs=1 --no-reduce \
	  $(WRT_WAST) $(T)/fuzz-diff > $(T)/logs/fuzz-diff.log 2>&1; rc=$$?; \
	  grep -E '^FAIL' $(T)/logs/fuzz-diff.log | head -n 20; \
	  tail -n 1 $(T)/logs/fuzz-diff.log | sed 's/^/fuzz-diff (ttf vs binaryen, templates vs wabt; -O0 -O2, both modes): /'; \
	  exit $$rc
# `make fuzz-diff FUZZ_SECONDS=3600` runs for a time instead of a count.
FUZZ_DIFF_LIMIT = $(if $(filter command line environment,$(origin FUZZ_SECONDS)),--seconds=$(FUZZ_SECONDS),--count=$(FUZZ_DIFF_COUNT))
fuzz-diff: $(WRT_WAST)
	@scripts/install-deps
	@scripts/fuzz-diff $(FUZZ_DIFF_LIMIT) --seed=$(FUZZ_DIFF_SEED) --source=$(FUZZ_DIFF_SOURCE) \
	  --modes="$(FUZZ_DIFF_MODES)" --jobs=$(JOBS) $(WRT_WAST) $(B)/fuzz-diff

# Under ASan the runtime library is instrumented: executables made by
# wasm2obj --exe (host target) must link the sanitizer runtime too.
EXE_LINK_ENV := $(if $(filter asan,$(CONFIG)),WRT_CC="$(CC) $(filter -fsanitize=%,$(OPT))")

# WASI programs (test/programs/*.c): compiled to wasm32-wasi, run under Node's
# WASI (the reference) and as `wasm2obj --exe` executables; outputs, exit
# status and sandbox contents must match (scripts/check-programs).
check-programs: $(WASM2OBJ) $(LIBRT)
	@mkdir -p $(T)/logs
	@$(EXE_LINK_ENV) scripts/check-programs $(WASM2OBJ) $(T)/programs > $(T)/logs/programs.log 2>&1; rc=$$?; \
	  grep -E '^FAIL' $(T)/logs/programs.log | head -n 20; \
	  tail -n 1 $(T)/logs/programs.log | sed 's/^/programs (WASI, vs Node): /'; exit $$rc

# The same programs at the other optimisation levels (-O2 is the default
# above), and compiled in 2 KiB shards on 2 threads (what modules over 1 MiB
# of code get: cross-shard calls, the descriptor in shard 0, ld.lld -r).
check-programs-levels: $(WASM2OBJ) $(LIBRT)
	@mkdir -p $(T)/logs
	@rc=0; for o in -O0 -O1 -O3 sharded; do \
	  flags=$$o; [ $$o = sharded ] && flags="-j2 --shard-bytes=2048"; \
	  W2O_FLAGS="$$flags" $(EXE_LINK_ENV) scripts/check-programs $(WASM2OBJ) $(T)/programs$$o \
	    > $(T)/logs/programs$$o.log 2>&1 || rc=1; \
	  grep -E '^FAIL' $(T)/logs/programs$$o.log | head -n 20; \
	  tail -n 1 $(T)/logs/programs$$o.log | sed "s/^/programs ($$o): /"; done; exit $$rc

# The same programs cross-compiled (--exe --target, static) and run under
# qemu-user, against Node's output: aarch64, armv7 and riscv64 (~35 s each).
PROGRAM_TARGETS ?= aarch64-linux-gnu arm-linux-gnueabihf riscv64-linux-gnu
check-programs-cross: $(WASM2OBJ) $(foreach t,$(PROGRAM_TARGETS),$(B)/lib/$(t)/libwrt-rt.a)
	@mkdir -p $(T)/logs
	@rc=0; for t in $(PROGRAM_TARGETS); do \
	  scripts/check-programs --target=$$t $(WASM2OBJ) $(T)/programs-$$t \
	    > $(T)/logs/programs-$$t.log 2>&1 || rc=1; \
	  grep -E '^FAIL' $(T)/logs/programs-$$t.log | head -n 20; \
	  tail -n 1 $(T)/logs/programs-$$t.log | sed "s/^/programs ($$t, qemu): /"; done; exit $$rc

# The typed header of every valid spec module compiles as C11 -Wall -Wextra
# -Werror (names of every shape, every signature): scripts/check-headers.
check-headers: $(WASM2OBJ) check-spec-validate
	@mkdir -p $(T)/logs
	@scripts/check-headers $(WASM2OBJ) $(T)/spec $(T)/headers > $(T)/logs/headers.log 2>&1; rc=$$?; \
	  grep -E '^FAIL' -A5 $(T)/logs/headers.log | head -n 20; \
	  tail -n 1 $(T)/logs/headers.log | sed 's/^/headers (spec modules): /'; exit $$rc

# make install into a scratch prefix, used as docs/USING.md says; uninstall.
check-install: all $(foreach t,$(PROGRAM_TARGETS),$(B)/lib/$(t)/libwrt-rt.a)
	@mkdir -p $(T)/logs
	@rm -rf $(T)/prefix
	@$(MAKE) --no-print-directory -s install PREFIX=$(abspath $(T)/prefix) > /dev/null
	@$(EXE_LINK_ENV) scripts/check-install $(T)/prefix $(T)/install > $(T)/logs/install.log 2>&1; rc=$$?; \
	  grep -E '^FAIL' -A5 $(T)/logs/install.log | head -n 20; \
	  tail -n 1 $(T)/logs/install.log | sed 's/^/install: /'; exit $$rc

# A real-world WASI command of >= 10 MiB (scripts/realworld: yosys from npm
# @yowasp/yosys), compiled with --exe at -O0 and -O2 and compared with Node.
# Not part of check: it downloads ~30 MB and compiles for minutes.
check-realworld: $(WASM2OBJ) $(LIBRT)
	@scripts/realworld $(WASM2OBJ) $(B)/realworld $(REALWORLD_LEVELS)

bless: $(WASM2OBJ)
	@scripts/golden --bless $(WASM2OBJ) $(T)/golden

# ------------------------------------------------------------------ fuzzing (clang + libFuzzer)
FUZZ_B := build/fuzz
FUZZ_BIN := $(FUZZ_B)/fuzz_validate
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS ?= 60
$(FUZZ_BIN): test/fuzz/fuzz_validate.c $(AOTC_SRC) $(wildcard aotc/*.h aotc/*.def)
	@mkdir -p $(@D)
	$(FUZZ_CC) -D_GNU_SOURCE -Iaotc $(WARN) $(FUZZ_FLAGS) test/fuzz/fuzz_validate.c $(AOTC_SRC) -o $@

fuzz-smoke: $(FUZZ_BIN) check-spec-validate
	@mkdir -p $(T)/logs
	@scripts/fuzz-run $(FUZZ_BIN) $(FUZZ_SECONDS) $(FUZZ_B) $(T)/spec > $(T)/logs/fuzz.log 2>&1; rc=$$?; \
	  tail -n 1 $(T)/logs/fuzz.log | sed 's/^/fuzz: /'; exit $$rc

fuzz: $(FUZZ_BIN)
	@scripts/fuzz-run $(FUZZ_BIN) $${FUZZ_SECONDS:-600} $(FUZZ_B) $(T)/spec

# The WASI fuzzer (test/fuzz/fuzz_wasi.c): random calls of every WASI function
# against a scratch tree. The runtime is built with the fuzzing flags; the guest
# module test/fuzz/wasi_calls.wat is compiled by our own wasm2obj, with --header.
# check runs a 30 s smoke with a fixed seed and a fresh corpus; `make fuzz-wasi
# FUZZ_SECONDS=N` a longer run (default 600) whose corpus and crashes stay in
# $(FUZZ_B)/wasi/.
FUZZ_WASI := $(FUZZ_B)/fuzz_wasi
FUZZ_WASI_SMOKE ?= 30
FUZZ_WASI_RUN := scripts/fuzz-run --max-len=4096
$(FUZZ_B)/wasi_calls.o: test/fuzz/wasi_calls.wat $(WASM2OBJ)
	@mkdir -p $(@D)
	wat2wasm $< -o $(@:.o=.wasm)
	$(WASM2OBJ) --name=wasi_calls --header=$(@:.o=.h) $(@:.o=.wasm) -o $@
$(FUZZ_WASI): test/fuzz/fuzz_wasi.c $(FUZZ_B)/wasi_calls.o $(RT_SRC) $(RT_HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) -D_GNU_SOURCE -Ilibwrt-rt -Ilibwrt-rt/include -I$(FUZZ_B) $(WARN) $(FUZZ_FLAGS) \
	  test/fuzz/fuzz_wasi.c $(RT_SRC) $(FUZZ_B)/wasi_calls.o -lm -o $@

fuzz-wasi-smoke: $(FUZZ_WASI)
	@mkdir -p $(T)/logs
	@rm -rf $(T)/fuzz-wasi
	@$(FUZZ_WASI_RUN) --seed=1 $(FUZZ_WASI) $(FUZZ_WASI_SMOKE) $(T)/fuzz-wasi \
	  > $(T)/logs/fuzz-wasi.log 2>&1; rc=$$?; \
	  tail -n 1 $(T)/logs/fuzz-wasi.log | sed 's/^/fuzz-wasi: /'; exit $$rc

fuzz-wasi: $(FUZZ_WASI)
	@$(FUZZ_WASI_RUN) $(FUZZ_WASI) $${FUZZ_SECONDS:-600} $(FUZZ_B)/wasi

# ------------------------------------------------------------------ demo
demo: deps
	@$(MAKE) --no-print-directory -j$(JOBS) CONFIG=$(CONFIG) all
	@scripts/demo $(B)

# Benchmarks (never part of check); release build, ratios against peers.
bench: deps
	@$(MAKE) --no-print-directory -j$(JOBS) CONFIG=release all
	@scripts/bench build/release

# Installation: the compiler, the runtime library, its headers, pkg-config file
# and man page. `make install PREFIX=/usr/local DESTDIR=/tmp/stage`.
PREFIX ?= /usr/local
DESTDIR ?=
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/include/wrt $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(WASM2OBJ) $(DESTDIR)$(PREFIX)/bin/wasm2obj
	install -m 644 $(LIBRT) $(DESTDIR)$(PREFIX)/lib/libwrt-rt.a
	install -m 644 libwrt-rt/include/wrt.h libwrt-rt/wrt_abi.h $(DESTDIR)$(PREFIX)/include/wrt/
	for d in $(wildcard $(B)/lib/*/libwrt-rt.a); do t=$$(basename $$(dirname $$d)); \
	  install -d $(DESTDIR)$(PREFIX)/lib/$$t && install -m 644 $$d $(DESTDIR)$(PREFIX)/lib/$$t/; done
	sed 's|@PREFIX@|$(PREFIX)|' scripts/wrt.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/wrt.pc
	install -m 644 docs/wasm2obj.1 $(DESTDIR)$(PREFIX)/share/man/man1/wasm2obj.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/wasm2obj $(DESTDIR)$(PREFIX)/lib/libwrt-rt.a \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/wrt.pc $(DESTDIR)$(PREFIX)/share/man/man1/wasm2obj.1 \
	  $(DESTDIR)$(PREFIX)/include/wrt/wrt.h $(DESTDIR)$(PREFIX)/include/wrt/wrt_abi.h \
	  $(DESTDIR)$(PREFIX)/lib/*-linux-gnu*/libwrt-rt.a
	-rmdir $(DESTDIR)$(PREFIX)/include/wrt 2>/dev/null

format:
	clang-format -i $(AOTC_SRC) aotc/*.h tools/*.c test/unit/*.c test/unit/*.h test/fuzz/*.c

clean:
	rm -rf build

-include $(shell find $(O) -name '*.d' 2>/dev/null)
