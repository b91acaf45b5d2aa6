# pai-diag: plain make.  `make` builds build/pai-diag; `make check` runs the
# unit and end-to-end tests; `make demo` runs a diagnosis against the
# bundled aliyun simulator.  Both install missing build dependencies first.

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
PKG_LIBS = $(shell pkg-config --libs libcjson libbsd-overlay)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude $(PKG_CFLAGS) -MMD -MP

SRC = $(wildcard src/*.c)
LIB_SRC = $(filter-out src/main.c,$(SRC))
OBJ = $(SRC:src/%.c=$(BUILD)/obj/%.o)
LIB_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
SIM_SRC = $(wildcard tests/sim/*.c)
UNIT_SRC = $(wildcard tests/unit/*.c)

BIN = $(BUILD)/pai-diag
SIM = $(BUILD)/sim/aliyun
UNIT = $(BUILD)/tests/unit

.PHONY: all deps check valgrind demo install uninstall clean
all: $(BIN) $(SIM)

deps:
	@scripts/install-deps

$(BUILD)/.deps-ok: scripts/install-deps
	@scripts/install-deps
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

check: all $(UNIT)
	@tests/run.sh $(BUILD)

# The whole suite with every pai-diag run (and the unit tests) under memcheck.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	   --errors-for-leak-kinds=definite,indirect
valgrind: all $(UNIT)
	@scripts/install-deps valgrind
	@PAI_DIAG_WRAP="$(VALGRIND)" UNIT_WRAP="$(VALGRIND)" tests/run.sh $(BUILD)

demo: all
	@tests/demo.sh $(BUILD)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/pai-diag

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pai-diag

clean:
	rm -rf build build-san

-include $(OBJ:.o=.d)
