# medium2jekyll - see README.md.  `make` builds build/medium2jekyll;
# `make check` installs missing Debian packages (as root), builds the
# sanitizer build and runs every test; `make demo` imports the bundled feed.

CC       ?= cc
PKGS      = libcurl libxml-2.0 yaml-0.1 libarchive
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
VERSION   = 0.1.0

# Without the libraries, say how to get them (rather than failing on
# libxml/parser.h).  Goals that install them or need no compiler are spared.
NOLIB_GOALS = deps deps-test deps-demo check demo clean uninstall lint
ifneq ($(filter-out $(NOLIB_GOALS),$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell pkg-config --exists $(PKGS) 2>/dev/null && echo ok),ok)
$(error the libraries ($(PKGS)) or pkg-config are missing: run 'make deps' as root, or 'sudo scripts/deps.sh build' (Debian packages: gcc make pkg-config libcurl4-openssl-dev libxml2-dev libyaml-dev libarchive-dev); 'make demo' installs them and imports the bundled feed)
endif
endif

WARN = -Wall -Wextra -Wpedantic -Werror -Wstrict-prototypes \
       -Wmissing-prototypes -Wold-style-definition -Wshadow -Wformat=2 \
       -Wwrite-strings -Wcast-qual -Wpointer-arith -Wundef -Wvla \
       -Wnull-dereference -Wimplicit-fallthrough -Wdouble-promotion
IS_CLANG := $(shell $(CC) -dM -E - </dev/null 2>/dev/null | grep -c __clang__)
ifeq ($(IS_CLANG),0)
WARN += -Wlogical-op -Wduplicated-cond -Wduplicated-branches -Wjump-misses-init
endif

BASE_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -DM2J_VERSION='"$(VERSION)"' \
              -Iinclude $(PKG_CFLAGS) $(WARN)
REL_CFLAGS  = -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
SAN_CFLAGS  = -fsanitize=address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer -g -O1
CFLAGS ?=
Q = $(if $(V),,@)
LDFLAGS ?=

SRC      = $(wildcard src/*.c)
LIBSRC   = $(filter-out src/main.c,$(SRC))
HDR      = $(wildcard include/*.h)
REL_OBJ  = $(SRC:src/%.c=build/rel/%.o)
SAN_OBJ  = $(SRC:src/%.c=build/san/%.o)
SAN_LIB  = $(LIBSRC:src/%.c=build/san/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=build/san/%)

.PHONY: all check check-run unit deps deps-test deps-demo demo demo-run clean bench deb \
        valgrind install uninstall fuzz lint

all: build/medium2jekyll

build/medium2jekyll: $(REL_OBJ)
	$(Q)$(CC) $(REL_CFLAGS) $(LDFLAGS) -o $@ $(REL_OBJ) $(PKG_LIBS)

build/rel/%.o: src/%.c $(HDR) | build/rel
	@echo '  CC    $@'
	$(Q)$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) $(CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c $(HDR) | build/san
	@echo '  CCSAN $@'
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) $(CFLAGS) -c -o $@ $<

build/san/medium2jekyll: $(SAN_OBJ)
	$(Q)$(CC) $(SAN_CFLAGS) $(LDFLAGS) -o $@ $(SAN_OBJ) $(PKG_LIBS)

build/san/test_%: tests/unit/test_%.c tests/unit/harness.h $(SAN_LIB)
	@echo '  TEST  $@'
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) -Itests/unit $(CFLAGS) -o $@ $< \
		$(SAN_LIB) $(PKG_LIBS)

build/rel build/san:
	mkdir -p $@

# Everything the tests need, built with ASan + UBSan.
unit: $(UNIT_BIN) build/san/medium2jekyll build/medium2jekyll

deps:
	@sh scripts/deps.sh build

deps-test:
	@sh scripts/deps.sh test

check: deps deps-test
	@$(MAKE) --no-print-directory check-run

check-run: unit
	@sh tests/run.sh

deps-demo:
	@sh scripts/deps.sh demo

demo: deps-demo
	@$(MAKE) --no-print-directory demo-run

demo-run: build/medium2jekyll
	@sh scripts/demo.sh

bench: build/medium2jekyll
	@sh bench/sync_bench.sh

valgrind: build/medium2jekyll
	@sh tests/valgrind.sh

clean:
	rm -rf build

# The Debian package medium2jekyll_VERSION_ARCH.deb, here: debian/rules run
# by dpkg-buildpackage on a copy of the tree in build/deb/ (so nothing is
# written beside the repository); the .deb is copied to DEBDIR (default .).
# Needs dpkg-dev (scripts/deps.sh deb).
DEBDIR ?= .
deb:
	rm -rf build/deb && mkdir -p build/deb/src
	tar --exclude=./build --exclude=./.git --exclude=./demo --exclude='./medium2jekyll_*' \
		-cf - . | tar -xf - -C build/deb/src
	cd build/deb/src && dpkg-buildpackage -us -uc -b
	cp build/deb/medium2jekyll_*.deb '$(DEBDIR)/'
	@ls -l '$(DEBDIR)'/medium2jekyll_*.deb

# Install like any Unix tool: `make install PREFIX=/usr DESTDIR=/tmp/pkg`.
# Only copies what `make` built (it builds build/medium2jekyll when missing).
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL ?= install

install: build/medium2jekyll
	$(INSTALL) -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(MANDIR)/man1' '$(DESTDIR)$(BASHCOMPDIR)'
	$(INSTALL) -m 755 build/medium2jekyll '$(DESTDIR)$(BINDIR)/medium2jekyll'
	$(INSTALL) -m 644 docs/medium2jekyll.1 '$(DESTDIR)$(MANDIR)/man1/medium2jekyll.1'
	$(INSTALL) -m 644 completions/medium2jekyll.bash '$(DESTDIR)$(BASHCOMPDIR)/medium2jekyll'

uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/medium2jekyll' \
	      '$(DESTDIR)$(MANDIR)/man1/medium2jekyll.1' \
	      '$(DESTDIR)$(BASHCOMPDIR)/medium2jekyll'

# ---- hardening: fuzzing (clang only), fault injection shim, lint ----------
# `make fuzz` builds one libFuzzer binary per entry point into build/fuzz/;
# `make fuzz-smoke` runs each FUZZ_SECONDS (default 60) from seed corpora
# (fixtures/, ../shared/corpus/ when present).  See tests/fuzz/smoke.sh.
FUZZ_CC      ?= clang
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer -g -O1
FUZZ_TARGETS  = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN      = $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
FUZZ_LIB      = $(LIBSRC:src/%.c=build/fuzz/%.o)
FUZZ_SECONDS ?= 60
# BASE_CFLAGS without the gcc-only warnings (CC may be gcc).
FUZZ_CFLAGS   = $(filter-out -Wlogical-op -Wduplicated-cond -Wduplicated-branches \
                -Wjump-misses-init,$(BASE_CFLAGS))

build/fuzz:
	mkdir -p $@

build/fuzz/%.o: src/%.c $(HDR) | build/fuzz
	@echo '  CCFUZ $@'
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/checks.h $(FUZZ_LIB)
	@echo '  FUZZ  $@'
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(PKG_LIBS)

fuzz: $(FUZZ_BIN)

.SECONDARY: $(FUZZ_LIB)

fuzz-smoke: fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/smoke.sh $(FUZZ_TARGETS)

# The regression replay runs the fuzzers' checks without libFuzzer.
build/san/test_fuzz_replay: tests/fuzz/checks.h

# LD_PRELOAD shim for tests/e2e/fault_injection.sh.
build/inject.so: tests/fault/inject.c | build/rel
	@echo '  SHIM  $@'
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O1 -g -fPIC -shared -Wall -Wextra -Werror \
		-o $@ $< -ldl

unit: build/inject.so

lint:
	@sh scripts/lint.sh

.PHONY: fuzz-smoke
