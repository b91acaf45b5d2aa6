# pai-diag: plain make.  `make` builds build/pai-diag; `make check` runs the
# unit and end-to-end tests; `make demo` runs a diagnosis against the
# bundled aliyun simulator.  Each installs what it misses first: `make` the
# build dependencies, `make check` and `make demo` the test tools too.

CC ?= cc
PREFIX ?= /usr/local
BUILD ?= build
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wvla -Wpointer-arith -Wcast-qual
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifeq ($(SANITIZE),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
BUILD := build-san
endif

# Evaluated when used, after the dependencies are installed.
PKG_CFLAGS = $(shell pkg-config --cflags libcjson libbsd-overlay)
PKG_LIBS = $(shell pkg-config --libs libcjson libbsd-overlay) -pthread
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(CFLAGS) -Iinclude $(PKG_CFLAGS) -MMD -MP

SRC = $(wildcard src/*.c)
LIB_SRC = $(filter-out src/main.c,$(SRC))
OBJ = $(SRC:src/%.c=$(BUILD)/obj/%.o)
LIB_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
SIM_SRC = $(wildcard tests/sim/*.c)
UNIT_SRC = $(wildcard tests/unit/*.c)

BIN = $(BUILD)/pai-diag
SIM = $(BUILD)/sim/aliyun
UNIT = $(BUILD)/tests/unit

.PHONY: sim-env all deps check valgrind demo install uninstall clean fuzz fuzz-build \
	fuzz-regress lint bench bench-redact bench-rate mcp-interop
all: $(BIN) $(SIM)

deps:
	@scripts/install-deps

$(BUILD)/.deps-ok: scripts/install-deps
	@scripts/install-deps
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/.test-deps-ok: scripts/install-deps
	@scripts/install-deps --test
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BIN): $(OBJ)
	$(CC) $(LDFLAGS) $(OBJ) -o $@ $(PKG_LIBS)

$(SIM): $(SIM_SRC) | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(LDFLAGS) $(PKG_CFLAGS) $(SIM_SRC) -o $@ $(PKG_LIBS)

$(UNIT): $(UNIT_SRC) $(LIB_OBJ) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) $(UNIT_SRC) $(LIB_OBJ) -o $@ $(PKG_LIBS)

check: all $(UNIT) | $(BUILD)/.test-deps-ok
	@tests/run.sh $(BUILD)

# `pai-diag mcp` driven by the official MCP TypeScript SDK's client
# (tests/mcp/); `make check` runs it too when node and npm are here.  npm
# ci installs the SDK pinned by tests/mcp/package-lock.json the first time.
mcp-interop: all | $(BUILD)/.test-deps-ok
	@tests/mcp/run.sh $(BUILD)

# The whole suite with every pai-diag run (and the unit tests) under memcheck.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	   --errors-for-leak-kinds=definite,indirect
valgrind: all $(UNIT) | $(BUILD)/.test-deps-ok
	@scripts/install-deps valgrind
	@PAI_DIAG_WRAP="$(VALGRIND)" UNIT_WRAP="$(VALGRIND)" tests/run.sh $(BUILD)

demo: all | $(BUILD)/.test-deps-ok
	@tests/demo.sh $(BUILD)

# The environment in which pai-diag talks to the simulator, for eval (see
# the README and tests/sim/README.md): make -s sim-env SCENARIO=task-fail
SCENARIO ?= demo
sim-env: all
	@tests/sim/env.sh $(BUILD) $(SCENARIO)

# The binary, the man page, the shell completions and the documentation.
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions
DOCDIR = $(PREFIX)/share/doc/pai-diag
# The agent skill, with the references it links beside it (symbolic links
# in docs/skill/references, installed as the files they name).
SKILLDIR = $(PREFIX)/share/pai-diag/skill
DOCS = README.md LICENSE docs/cli.md docs/json-envelope.md \
       docs/envelope.schema.json references/*.md

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/pai-diag
	install -m 644 docs/pai-diag.1 $(DESTDIR)$(MANDIR)/pai-diag.1
	install -m 644 completions/pai-diag.bash $(DESTDIR)$(BASHCOMPDIR)/pai-diag
	install -m 644 completions/_pai-diag $(DESTDIR)$(ZSHCOMPDIR)/_pai-diag
	install -m 644 $(DOCS) $(DESTDIR)$(DOCDIR)/
	install -d $(DESTDIR)$(SKILLDIR)/references
	install -m 644 docs/skill/SKILL.md $(DESTDIR)$(SKILLDIR)/SKILL.md
	install -m 644 docs/skill/references/*.md $(DESTDIR)$(SKILLDIR)/references/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pai-diag $(DESTDIR)$(MANDIR)/pai-diag.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/pai-diag $(DESTDIR)$(ZSHCOMPDIR)/_pai-diag
	rm -rf $(DESTDIR)$(DOCDIR) $(DESTDIR)$(PREFIX)/share/pai-diag

clean:
	rm -rf build build-san build-fuzz

-include $(OBJ:.o=.d)

# --- Fuzzing and static analysis ---------------------------------------------
# `make fuzz` builds one libFuzzer target per parser of untrusted text
# (tests/fuzz/), replays the regressions, makes seeds from the simulator
# and fuzzes each target for FUZZ_SECONDS; it fails when one crashed.
# `make fuzz-regress` only replays tests/fuzz/regressions/ and the corpus.
# `make lint` runs cppcheck, clang-tidy (.clang-tidy) and gcc -fanalyzer.
FUZZ_CC = clang
FUZZ_BUILD = build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_TARGETS = classify result redact mask time description jscan
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	   -fno-omit-frame-pointer
# clang also says this of code gcc is quiet about: designated initialisers
# that leave fields to zero, and v*printf wrappers without a format
# attribute; the gcc build keeps those warnings.
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 $(WARN) \
	      -Wno-missing-field-initializers -Wno-format-nonliteral \
	      $(FUZZ_SAN) -Iinclude $(PKG_CFLAGS) -MMD -MP
FUZZ_LIB_OBJ = $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BINS = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_PKGS = clang libclang-rt-14-dev llvm
LINT_PKGS = cppcheck clang-tidy

$(FUZZ_BUILD)/.deps-ok: scripts/install-deps
	@scripts/install-deps $(FUZZ_PKGS)
	@mkdir -p $(FUZZ_BUILD) && touch $@

$(FUZZ_BUILD)/obj/%.o: src/%.c | $(FUZZ_BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Itests/fuzz -fsanitize=fuzzer $< \
	    $(FUZZ_LIB_OBJ) -o $@ $(PKG_LIBS)

fuzz-build: $(FUZZ_LIB_OBJ) $(FUZZ_BINS)

fuzz-regress: fuzz-build
	@tests/fuzz/run.sh --regress $(FUZZ_BUILD) $(FUZZ_TARGETS)

fuzz: fuzz-build $(SIM)
	@tests/fuzz/seeds.sh $(BUILD) $(FUZZ_BUILD)/seeds
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_BUILD) \
	    $(FUZZ_TARGETS)

# cppcheck: whole checks it may skip are in .cppcheck-suppressions, one
# finding at a time next to its line; .cppcheck-cjson.cfg tells it cJSON's
# iteration macro.  clang-tidy reads .clang-tidy.  gcc's analyzer sees the
# code as the build compiles it.  scripts/check-shape keeps the shape the
# code has (docs/architecture.md): files, functions, no include cycle.
LINT_CFLAGS = -std=c11 -D_GNU_SOURCE -Iinclude $(PKG_CFLAGS)
ANALYZER_CC = gcc
lint: | $(BUILD)/.deps-ok
	@scripts/install-deps $(LINT_PKGS)
	scripts/check-shape
	cppcheck --quiet --enable=warning,style,performance,portability \
	    --error-exitcode=1 --inline-suppr --std=c11 -D_GNU_SOURCE \
	    --library=posix --library=.cppcheck-cjson.cfg \
	    --suppressions-list=.cppcheck-suppressions -Iinclude \
	    src tests/sim tests/fuzz
	@echo "clang-tidy src/*.c"; rc=0; \
	printf '%s\n' src/*.c | xargs -P 2 -n 4 sh -c 'clang-tidy --quiet \
	    -warnings-as-errors="*" "$$@" -- $(LINT_CFLAGS)' clang-tidy \
	    >$(BUILD)/clang-tidy.log 2>&1 || rc=$$?; \
	grep -v 'warnings* generated\.$$' $(BUILD)/clang-tidy.log; exit $$rc
	@for f in src/*.c; do \
		echo "gcc -fanalyzer $$f"; \
		$(ANALYZER_CC) $(LINT_CFLAGS) $(WARN) $(CFLAGS) -fanalyzer \
		    -Werror -c $$f -o /dev/null || exit 1; \
	done

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_BINS:=.d)

# --- Benchmarks --------------------------------------------------------------
# `make bench` times pai-diag against the simulator next to a shell script
# with jq doing the same work, on results of many shapes (tests/bench/,
# shapes.py), and runs redact_bench; docs/performance.md explains the
# figures.  runstat is the timer: wall, CPU and peak RSS of one process.
BENCH_RUNSTAT = $(BUILD)/bench/runstat

$(BENCH_RUNSTAT): tests/bench/runstat.c | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) -O2 $< -o $@

bench: all $(BENCH_RUNSTAT) $(BENCH_REDACT)
	@scripts/install-deps time
	@tests/bench/run.sh $(BUILD)
	@tests/bench/rate.sh $(BUILD)

# `make bench-rate`: the rate bench alone, a fleet of 200 targets in three
# regions under a simulated limit of 20 calls a second (tests/bench/rate.sh).
bench-rate: all
	@tests/bench/rate.sh $(BUILD)

# `make bench-redact` times redact_mask(), redact() and redact_tree() over
# 20 MB documents of three shapes, then over adversarial inputs of 2 MB
# and 8 MB, with a linear or not verdict for each (tests/bench/redact_bench.c).
BENCH_REDACT = $(BUILD)/bench/redact_bench

$(BENCH_REDACT): tests/bench/redact_bench.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< $(LIB_OBJ) -o $@ $(PKG_LIBS)

bench-redact: $(BENCH_REDACT)
	@$(BENCH_REDACT)
