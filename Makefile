# Makefile for placer: `make` builds build/placer, `make test` runs the Criterion suite.
# Options: CUDA=auto|0|1  MPI=auto|0|1  BUILD=dir  PREFIX=/usr/local  CI=true (adds -Werror)

CUDA   ?= auto
MPI    ?= auto
BUILD  ?= build
PREFIX ?= /usr/local
SHARED ?= ../shared

CC      ?= cc
NVCC    ?= $(firstword $(wildcard /usr/local/cuda/bin/nvcc) $(shell command -v nvcc 2>/dev/null))
OPT     ?= -O2
CFLAGS  += -std=c11 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-unused-parameter -I. -MMD -MP
LDLIBS  += -lz -lm -lpthread
ifeq ($(CI),true)
CFLAGS  += -Werror
endif
ifneq ($(SAN),)
CFLAGS  += -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=$(SAN)
endif

# ---- required libraries (make deps and make clean work without them) ----
have_pc = $(shell pkg-config --exists $(1) 2>/dev/null && echo 1)

# json-c: every JSON output and the training-log reader go through it (core/json.h)
ifeq ($(call have_pc,json-c),1)
CFLAGS  += $(shell pkg-config --cflags json-c)
LDLIBS  += $(shell pkg-config --libs json-c)
else ifneq ($(if $(MAKECMDGOALS),$(filter-out deps clean,$(MAKECMDGOALS)),all),)
$(error json-c not found by pkg-config: run 'make deps' (installs libjson-c-dev))
endif
# FFTW3: the electrostatic density's DCT/DST in standard-cell global placement (gplace/density.h)
ifeq ($(call have_pc,fftw3),1)
CFLAGS  += $(shell pkg-config --cflags fftw3)
LDLIBS  += $(shell pkg-config --libs fftw3)
else ifneq ($(if $(MAKECMDGOALS),$(filter-out deps clean,$(MAKECMDGOALS)),all),)
$(error fftw3 not found by pkg-config: run 'make deps' (installs libfftw3-dev))
endif

# ---- optional libraries, each decision printed once ----

ifeq ($(call have_pc,cairo),1)
CFLAGS  += -DPL_HAVE_CAIRO $(shell pkg-config --cflags cairo)
LDLIBS  += $(shell pkg-config --libs cairo)
CAIRO_MSG = cairo: yes
else
CAIRO_MSG = cairo: no (images disabled; make deps installs libcairo2-dev)
endif
ifeq ($(call have_pc,igraph),1)
CFLAGS  += -DPL_HAVE_IGRAPH $(shell pkg-config --cflags igraph)
LDLIBS  += $(shell pkg-config --libs igraph)
IGRAPH_MSG = igraph: yes
else
IGRAPH_MSG = igraph: no (LEF/DEF designs cannot be clustered: placer place, cluster, and eval, render, train \
  on a .def will fail; Circuit Training netlists work; make deps installs libigraph-dev)
endif
ifeq ($(call have_pc,libxml-2.0),1)
CFLAGS  += -DPL_HAVE_LIBXML2 $(shell pkg-config --cflags libxml-2.0)
LDLIBS  += $(shell pkg-config --libs libxml-2.0)
XML_MSG = libxml2: yes
else
XML_MSG = libxml2: no (placer train --suite FILE.xml is refused; make deps installs libxml2-dev)
endif
ifneq ($(wildcard /usr/include/x86_64-linux-gnu/cblas.h /usr/include/cblas.h /usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h),)
CFLAGS  += -DPL_HAVE_OPENBLAS
LDLIBS  += -lopenblas
BLAS_MSG = OpenBLAS: yes
else
BLAS_MSG = OpenBLAS: no (the network's GEMMs run as plain loops, slower; make deps installs libopenblas-dev)
endif

# MPI: auto = use it when mpicc is present
MPICC := $(shell command -v mpicc 2>/dev/null)
ifeq ($(MPI),auto)
MPI_ON := $(if $(MPICC),1,0)
else
MPI_ON := $(MPI)
endif
ifeq ($(MPI_ON),1)
ifeq ($(MPICC),)
$(error MPI=1 but mpicc was not found: run 'make deps' (libopenmpi-dev openmpi-bin))
endif
CFLAGS  += -DPL_HAVE_MPI $(shell $(MPICC) --showme:compile)
LDLIBS  += $(shell $(MPICC) --showme:link)
MPI_MSG = MPI: yes ($(MPICC))
else
MPI_MSG = MPI: no
endif

# CUDA: auto = build the CUDA twin when nvcc is present (running it needs a GPU at run time)
ifeq ($(CUDA),auto)
CUDA_ON := $(if $(NVCC),1,0)
else
CUDA_ON := $(CUDA)
endif
CU_SRC := $(wildcard gnn/cuda/*.cu)
ifeq ($(CUDA_ON),1)
ifeq ($(NVCC),)
$(error CUDA=1 but nvcc was not found (looked in /usr/local/cuda/bin and PATH))
endif
CUDA_HOME := $(patsubst %/bin/nvcc,%,$(NVCC))
CFLAGS  += -DPL_HAVE_CUDA
LDLIBS  += -L$(CUDA_HOME)/lib64 -Wl,-rpath,$(CUDA_HOME)/lib64 -lcudart -lcublas -lstdc++
# sm_90 machine code (H100/H200) plus compute_90 PTX that the driver JIT-compiles on newer GPUs
NVFLAGS ?= -O2 -I. -std=c++17 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90 \
           -Xcompiler -Wall
ifeq ($(CI),true)
NVFLAGS += -Werror all-warnings -Xcompiler -Werror
endif
CUDA_MSG = CUDA: yes ($(NVCC))
else
CU_SRC  :=
CUDA_MSG = CUDA: no
endif

ifneq ($(if $(MAKECMDGOALS),$(filter-out deps clean,$(MAKECMDGOALS)),all),)
$(info [build] json-c: yes (required))
$(info [build] fftw3: yes (required))
$(info [build] $(IGRAPH_MSG))
$(info [build] $(XML_MSG))
$(info [build] $(BLAS_MSG))
$(info [build] $(CAIRO_MSG))
$(info [build] $(MPI_MSG))
$(info [build] $(CUDA_MSG))
endif

# ---- sources ----
LIB_SRC  := $(filter-out placer/main.c,$(wildcard core/*.c gen/*.c placer/*.c parsers/*.c cost/*.c cluster/*.c gplace/*.c gnn/*.c rl/*.c search/*.c viz/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(CU_SRC:%.cu=$(BUILD)/obj/%.cu.o)
TEST_SRC := $(wildcard tests/*/test_*.c)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)
BENCH_SRC := $(wildcard tests/bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/%)

.PHONY: all test bench ablation demo deps asan fuzz install clean policy
all: $(BUILD)/placer

# Objects depend on a stamp of the flags, so changing CI=, SAN=, CUDA=... rebuilds them.
FLAGS_STAMP := $(BUILD)/flags.stamp
FLAGS_NOW := $(CC) $(CFLAGS) | $(NVCC) $(NVFLAGS) | $(LDLIBS)
$(shell mkdir -p $(BUILD); [ "$$(cat $(FLAGS_STAMP) 2>/dev/null)" = '$(FLAGS_NOW)' ] || echo '$(FLAGS_NOW)' > $(FLAGS_STAMP))

$(BUILD)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.cu.o: %.cu $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(NVCC) $(NVFLAGS) -MMD -MP -MF $(@:.o=.d) -c $< -o $@

$(BUILD)/libplacer.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/placer: $(BUILD)/obj/placer/main.o $(BUILD)/libplacer.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/test_all: $(TEST_OBJ) $(BUILD)/libplacer.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcriterion -o $@

$(BUILD)/bench_%: tests/bench/bench_%.c $(BUILD)/libplacer.a $(FLAGS_STAMP)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(BUILD)/libplacer.a $(LDLIBS) -o $@

# Tests run from the repository root; designs in $(SHARED) are used when present.
test: $(BUILD)/placer $(BUILD)/test_all
	PL_SHARED=$(SHARED) PL_PLACER=$(BUILD)/placer $(BUILD)/test_all $(TEST_ARGS)
	python3 tools/ablation.py --self-test

bench: $(BUILD)/placer $(BENCH_BIN)
	PL_SHARED=$(SHARED) BUILD=$(BUILD) sh tests/bench/run.sh

# The ablation of issue 14 (docs/training.md, "Ablation"): the priors none, uniform, the default policy and
# the default policy with --online 8 at equal wall time on the shared designs, about 1 h 30 min; resumable;
# tables in out/ablation/.
# ABLATION_ARGS="--quick" for a smoke run of a few minutes.
ablation: $(BUILD)/placer
	PL_SHARED=$(SHARED) python3 tools/ablation.py --placer $(BUILD)/placer $(ABLATION_ARGS)

asan:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  $(MAKE) BUILD=build-asan SAN=address,undefined OPT=-O1 test

# ---- fuzzing (docs/fuzzing.md): one libFuzzer target per reader, built with clang in $(FUZZ_BUILD) ----
# `make fuzz FUZZ_SECONDS=N` replays tests/fuzz/regress/<target>/ and then fuzzes each target for N seconds
# (0: the replay only), one after the other; it fails if any target crashes. The library objects the
# targets need (core, parsers, gnn, rl/suite) are compiled again with clang; the gcc build is untouched.
FUZZ_SECONDS ?= 30
FUZZ_BUILD   ?= build-fuzz
FUZZ_CC      ?= clang
FUZZ_TARGETS := def lef ctpb plc ckpt suite bookshelf
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
                -Wno-unused-parameter -I. -MMD -MP $(FUZZ_SAN) -DPL_FUZZ_ROOT='"$(CURDIR)"' \
                -DPL_HAVE_LIBXML2 $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
FUZZ_LDLIBS  := $(shell pkg-config --libs libxml-2.0 2>/dev/null) -lz -lm -lpthread
ifeq ($(CI),true)
FUZZ_CFLAGS  += -Werror
endif
FUZZ_LIB_SRC := $(filter-out core/json.c,$(wildcard core/*.c parsers/*.c)) $(wildcard gnn/*.c) rl/suite.c
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_STAMP   := $(FUZZ_BUILD)/flags.stamp
.SECONDARY: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/obj/tests/fuzz/fuzz_%.o)
ifneq ($(findstring fuzz,$(MAKECMDGOALS)),)
ifeq ($(shell command -v $(FUZZ_CC) 2>/dev/null),)
$(error $(FUZZ_CC) not found: make fuzz needs clang with libFuzzer: run 'make deps' (clang, libclang-rt-14-dev))
endif
ifneq ($(call have_pc,libxml-2.0),1)
$(error libxml2 not found by pkg-config: the suite target needs it: run 'make deps' (libxml2-dev))
endif
FUZZ_NOW := $(FUZZ_CC) $(FUZZ_CFLAGS) | $(FUZZ_LDLIBS)
$(shell mkdir -p $(FUZZ_BUILD); [ "$$(cat $(FUZZ_STAMP) 2>/dev/null)" = '$(FUZZ_NOW)' ] || echo '$(FUZZ_NOW)' > $(FUZZ_STAMP))
endif

$(FUZZ_BUILD)/obj/%.o: %.c $(FUZZ_STAMP)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/libplacer.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/obj/tests/fuzz/fuzz_%.o $(FUZZ_BUILD)/libplacer.a
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) $^ $(FUZZ_LDLIBS) -o $@

$(FUZZ_BUILD)/mkseeds: $(FUZZ_BUILD)/obj/tests/fuzz/mkseeds.o $(FUZZ_BUILD)/libplacer.a
	$(FUZZ_CC) -fsanitize=fuzzer-no-link $(FUZZ_SAN) $^ $(FUZZ_LDLIBS) -o $@

fuzz: $(FUZZ_BIN) $(FUZZ_BUILD)/mkseeds
	sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

demo: deps all
	@mkdir -p out
	$(BUILD)/placer designs/demo/demo.def -o out/demo.def --report out/demo.json --image out/demo.png --effort fast
	@echo "[demo] wrote out/demo.def, out/demo.json, out/demo.png"

deps:
	@sh tools/deps.sh

install: $(BUILD)/placer
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/placer $(DESTDIR)$(PREFIX)/bin/placer
	install -d $(DESTDIR)$(PREFIX)/share/placer
	install -m 644 policies/default.ckpt $(DESTDIR)$(PREFIX)/share/placer/default.ckpt

# The default policy (policies/default.ckpt): generated designs, fixed seeds, no time limit, so the
# checkpoint is byte-identical on every run (docs/training.md). POLICY_ITERS=2 for a quick check.
POLICY_OUT   ?= policies/default.ckpt
POLICY_ITERS ?= 20
policy: $(BUILD)/placer
	sh tools/train_policy.sh $(BUILD)/placer $(POLICY_OUT) $(BUILD)/policy $(POLICY_ITERS)

clean:
	rm -rf build build-asan $(FUZZ_BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
-include $(shell find $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)
