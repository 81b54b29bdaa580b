# gonghui — build, run and test.
#
#   make            release build: build/gonghui
#   make san        ASan+UBSan build used by the tests: build/san/gonghui
#   make run        install what is missing, build, create demo data, serve
#   make test       every test: unit (cmocka), API (node:test), browser, fuzz smoke
#   make lint       style and layering rules (scripts/check-style.sh)
#   make bench      the benchmarks under bench/
#
# Dependencies come from Debian packages through pkg-config; scripts/deps.sh
# installs whatever is missing.

CC      ?= cc
# Where objects and binaries go; engineers working side by side on one
# checkout may each use their own (make BUILD=build-mine).
BUILD   ?= build
PKGS    := libmicrohttpd jansson sqlite3 libsodium libpq nettle xlsxwriter libqrencode libzip expat
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -Wno-unused-parameter \
           -Wmissing-prototypes -Wstrict-prototypes -Wno-missing-field-initializers
BASEFL  := -std=c17 -D_GNU_SOURCE -I. -DGH_VERSION='"$(VERSION)"' $(WARN) $(PKG_CFLAGS) -MMD -MP
REL_CFLAGS := $(BASEFL) -O2 -g
SAN_CFLAGS := $(BASEFL) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined
LIBS    := $(PKG_LIBS) -lpthread -lm

LIB_SRCS := $(wildcard base/*.c store/*.c domain/*/*.c http/*.c) $(BUILD)/gen/migrations.c
BIN_SRCS := main.c $(wildcard cli/*.c)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
MIGRATIONS := $(sort $(wildcard store/migrations/*.sql))

REL_OBJS := $(LIB_SRCS:%.c=$(BUILD)/rel/%.o)
SAN_OBJS := $(LIB_SRCS:%.c=$(BUILD)/san/obj/%.o)
REL_BIN_OBJS := $(BIN_SRCS:%.c=$(BUILD)/rel/%.o)
SAN_BIN_OBJS := $(BIN_SRCS:%.c=$(BUILD)/san/obj/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/san/tests/%)

# Quiet by default; `make V=1` shows full command lines.
ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all san run test unit bench clean deps fuzz lint
all: $(BUILD)/gonghui

$(BUILD)/gonghui: $(REL_BIN_OBJS) $(BUILD)/librel.a
	@echo "  LINK $@"
	$(Q)$(CC) $(REL_CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/gen/migrations.c: $(MIGRATIONS) scripts/gen-migrations.sh
	@mkdir -p $(dir $@)
	$(Q)scripts/gen-migrations.sh $@ $(MIGRATIONS)

$(BUILD)/librel.a: $(REL_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/rel/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC   $<"
	$(Q)$(CC) $(REL_CFLAGS) -c -o $@ $<

san: $(BUILD)/san/gonghui $(UNIT_BINS)

$(BUILD)/san/gonghui: $(SAN_BIN_OBJS) $(BUILD)/san/libsan.a
	@echo "  LINK $@"
	$(Q)$(CC) $(SAN_CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/san/libsan.a: $(SAN_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/san/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC   $< (san)"
	$(Q)$(CC) $(SAN_CFLAGS) -c -o $@ $<

$(BUILD)/san/tests/%: $(BUILD)/san/obj/tests/unit/%.o $(BUILD)/san/libsan.a
	@mkdir -p $(dir $@)
	@echo "  LINK $@"
	$(Q)$(CC) $(SAN_CFLAGS) -o $@ $^ $(LIBS) -lcmocka

unit: $(UNIT_BINS)
	@scripts/run-unit.sh $(UNIT_BINS)

deps:
	@scripts/deps.sh

# deps first, then a fresh make reads the pkg-config flags of what deps
# installed (this make parsed them before the packages were there).
run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run.sh

test:
	@scripts/test.sh

# Style and the layering of docs/architecture.md (make test runs it too).
lint:
	@scripts/check-style.sh

fuzz:
	@scripts/fuzz.sh

bench: all
	@bench/run-all.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
