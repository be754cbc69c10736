# Makefile: builds build/cityweave and build/libcityweave.a.
# SPDX-License-Identifier: MIT
#
#   make            build (B=build)
#   make check      unit and CLI tests, then all again under ASan + UBSan
#   make maps       the main job: regenerate maps/ from data/
#   make install    PREFIX=/usr/local
#   make SANITIZE=address,undefined B=build-asan   a sanitized build
#   make fuzz       libFuzzer harnesses, FUZZ_SECONDS (60) each
#   make check CI=true   (or FUZZ_SECONDS=N) also fuzzes, 30 s each in CI
#   make check-valgrind   CLI tests under valgrind memcheck (slow)

PREFIX  ?= /usr/local
B       ?= build
PKGS     = gdal proj geos shapelib igraph qhull_r cairo pangocairo
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
FUZZERS  = csv units geojson links classmap style
REPLAYS  = $(FUZZERS:%=$(B)/tests/test_fuzz_%)
SUBCMDS  = network cluster linkage green map

all: $(B)/cityweave $(UNITS) $(REPLAYS)

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

# Each fuzz harness with a plain main() (tests/fuzz/replay.c) is also a
# test: it replays that harness's crashes and seeds, so check needs no clang.
$(B)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(B)/libcityweave.a
	@mkdir -p $(dir $@)
	$(CC) $(CW_CFLAGS) $(CFLAGS) -DFUZZ_NAME='"$*"' $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
	    $(B)/libcityweave.a $(LIBS)

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
	@if [ -n "$(CHECK_FUZZ)" ]; then \
	    if scripts/install-deps.sh fuzz; then $(MAKE) fuzz FUZZ_SECONDS=$(FUZZ_SECONDS); \
	    else echo "check: fuzzing skipped: no clang with libFuzzer (scripts/install-deps.sh fuzz)"; fi; \
	fi

maps: deps
	$(MAKE) B=build all
	@scripts/make-maps.sh build/cityweave

install: $(B)/cityweave
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/cityweave $(DESTDIR)$(PREFIX)/bin/cityweave
	for c in $(SUBCMDS); do ln -sf cityweave $(DESTDIR)$(PREFIX)/bin/cityweave-$$c; done
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -d $(DESTDIR)$(PREFIX)/share/cityweave/world
	install -m 644 data/world/* $(DESTDIR)$(PREFIX)/share/cityweave/world/

# libFuzzer harnesses (tests/fuzz/fuzz_*.c), library and all built with
# clang into build-fuzz/, each run FUZZ_SECONDS with its dictionary
# (tests/fuzz/<name>.dict), growing build-fuzz/corpus/<name>/ from the seeds
# in tests/fuzz/corpus/<name>/ (only read); a crash stops the run and
# leaves its input in build-fuzz/crash-<name>-*.
# check fuzzes too when FUZZ_SECONDS is given or in CI (CI=true, 30 s a
# harness), where clang and libFuzzer are there or can be installed.
ifeq ($(CI),true)
FUZZ_SECONDS ?= 30
endif
CHECK_FUZZ = $(or $(filter true,$(CI)),$(filter environment command line,$(origin FUZZ_SECONDS)))
FUZZ_SECONDS ?= 60

$(B)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(B)/libcityweave.a
	$(CC) $(CW_CFLAGS) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(B)/libcityweave.a $(LIBS)

fuzz:
	@scripts/install-deps.sh fuzz
	$(MAKE) B=build-fuzz CC=clang CFLAGS="-O1 -g" \
	    SANITIZE=fuzzer-no-link,address,undefined $(FUZZERS:%=build-fuzz/fuzz_%)
	@for f in $(FUZZERS); do \
	    mkdir -p build-fuzz/corpus/$$f && \
	    LSAN_OPTIONS="suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0" \
	    build-fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=build-fuzz/crash-$$f- -dict=tests/fuzz/$$f.dict \
	        build-fuzz/corpus/$$f tests/fuzz/corpus/$$f || exit 1; \
	done

# The CLI tests with every cityweave run under valgrind memcheck: CW is
# build/valgrind/cityweave, a link to tests/valgrind-cw.sh, which keeps one
# log per process there; any error or definite leak fails the target.
# Slow (13 minutes on 2 cores), so not part of check. No suppressions are
# needed: what GDAL, PROJ and igraph keep until exit is "still reachable".
check-valgrind: deps-check
	$(MAKE) B=build all
	rm -rf build/valgrind && mkdir -p build/valgrind
	ln -s ../../tests/valgrind-cw.sh build/valgrind/cityweave
	@CW_VALGRIND_LOGS=$(CURDIR)/build/valgrind tests/run.sh build/valgrind
	@bad=$$(grep -L 'ERROR SUMMARY: 0 errors' build/valgrind/*.vg); \
	if [ -n "$$bad" ]; then cat $$bad; echo "valgrind: errors in $$bad"; exit 1; fi; \
	echo "valgrind: $$(ls build/valgrind/*.vg | wc -l) runs, no errors, no definite leaks"

clean:
	rm -rf build build-asan build-fuzz

.PHONY: all deps deps-check check maps install clean fuzz check-valgrind
.DELETE_ON_ERROR:
