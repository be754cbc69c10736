# Makefile: builds build/cityweave and build/libcityweave.a.
# SPDX-License-Identifier: MIT
#
#   make            build (B=build)
#   make check      unit and CLI tests, then all again under ASan + UBSan
#   make maps       the main job: regenerate maps/ from data/
#   make install    PREFIX=/usr/local
#   make SANITIZE=address,undefined B=build-asan   a sanitized build

PREFIX  ?= /usr/local
B       ?= build
PKGS     = gdal proj geos shapelib igraph qhull_r
CC      ?= cc
CFLAGS  ?= -O2 -g
CW_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -pthread -Wall -Wextra -Werror -Iinclude \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS     = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
ifdef SANITIZE
CW_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS   += -fsanitize=$(SANITIZE)
endif

LIB_SRC  = $(sort $(wildcard src/*.c))
TOOL_SRC = $(sort $(wildcard tools/*.c))
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(B)/%.o)
TOOL_OBJ = $(TOOL_SRC:%.c=$(B)/%.o)
UNITS    = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
SUBCMDS  = network cluster

all: $(B)/cityweave $(UNITS)

$(B)/%.o: %.c $(wildcard include/cityweave/*.h src/*.h tools/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CW_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/libcityweave.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(B)/cityweave: $(TOOL_OBJ) $(B)/libcityweave.a
	$(CC) $(LDFLAGS) -o $@ $(TOOL_OBJ) $(B)/libcityweave.a $(LIBS)
	for c in $(SUBCMDS); do ln -sf cityweave $(B)/cityweave-$$c; done

$(B)/tests/%: $(B)/tests/unit/%.o $(B)/tests/unit/testdata.o $(B)/libcityweave.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

deps:
	@scripts/install-deps.sh build

deps-check:
	@scripts/install-deps.sh check

# The plain suite, then the same suite on a sanitized build; the last line
# is the sum of both runs.
check: deps-check
	$(MAKE) B=build all
	$(MAKE) B=build-asan SANITIZE=address,undefined all
	@tests/run.sh build build-asan

maps: deps
	$(MAKE) B=build all
	@scripts/make-maps.sh build/cityweave

install: $(B)/cityweave
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/cityweave $(DESTDIR)$(PREFIX)/bin/cityweave
	for c in $(SUBCMDS); do ln -sf cityweave $(DESTDIR)$(PREFIX)/bin/cityweave-$$c; done
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build build-asan

.PHONY: all deps deps-check check maps install clean
.DELETE_ON_ERROR:
