/* fuzz.h: what the libFuzzer harnesses share: one library context per
 * process and a private scratch directory, removed at exit.
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_FUZZ_H
#define CW_FUZZ_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cityweave/cityweave.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The context lives as long as the process: making one per input would
 * make GEOS and PROJ start-up the bulk of every run. */
static inline struct cw_ctx *fuzz_ctx(void)
{
    static struct cw_ctx *ctx;
    if (!ctx) {
        if (!(ctx = cw_ctx_new()))
            abort();
        cw_ctx_set_threads(ctx, 1);
    }
    return ctx;
}

static inline char *fuzz_dir(void)
{
    static char dir[64];
    return dir;
}

static inline void fuzz_dir_remove(void)
{
    DIR *d = opendir(fuzz_dir());
    struct dirent *e;
    char path[512];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", fuzz_dir(), e->d_name);
            unlink(path);
        }
    }
    if (d)
        closedir(d);
    rmdir(fuzz_dir());
}

/* Writes "DIR/name" into @p buf, DIR being the scratch directory, made on
 * first use: under /dev/shm when there is one, as our writers fsync. */
static inline const char *fuzz_path(char *buf, size_t size, const char *name)
{
    char *dir = fuzz_dir();
    if (!*dir) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(dir, 64, "%s/cw-fuzz.XXXXXX", base);
        if (!mkdtemp(dir))
            abort();
        atexit(fuzz_dir_remove);
    }
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

#endif
