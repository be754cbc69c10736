/* replay.c: a main() for a libFuzzer harness, so that `make check` (any
 * compiler, no libFuzzer) replays what fuzzing taught us: every crash
 * found, tests/fuzz/crashes/NAME-*, and the seeds, tests/fuzz/corpus/NAME/,
 * NAME being the harness (FUZZ_NAME, from the Makefile). A harness aborts
 * when a promise is broken and the sanitizers stop on memory errors, so an
 * input passes when the harness returns. Run from the top of the tree.
 * SPDX-License-Identifier: MIT
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int passed, failed;

/* Feeds the whole of @p path to the harness, named first on stderr so
 * that a crash shows which input caused it. */
static void replay(const char *path)
{
    FILE *fp = fopen(path, "rb");
    uint8_t *buf = NULL;
    long size = -1;
    if (fp && fseek(fp, 0, SEEK_END) == 0 && (size = ftell(fp)) >= 0 &&
        fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1)) &&
        fread(buf, 1, (size_t)size, fp) == (size_t)size) {
        fprintf(stderr, "replay %s\n", path);
        LLVMFuzzerTestOneInput(buf, (size_t)size);
        passed++;
    } else {
        fprintf(stderr, "FAIL: cannot read '%s'\n", path);
        failed++;
    }
    free(buf);
    if (fp)
        fclose(fp);
}

/* Replays the files of @p dir whose names start with @p prefix, in name
 * order. @return how many there were. */
static int replay_dir(const char *dir, const char *prefix)
{
    struct dirent **names;
    char path[1024];
    int n = scandir(dir, &names, NULL, alphasort), found = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (name[0] != '.' && strncmp(name, prefix, strlen(prefix)) == 0) {
            snprintf(path, sizeof path, "%s/%s", dir, name);
            replay(path);
            found++;
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
    return found;
}

int main(void)
{
    replay_dir("tests/fuzz/crashes", FUZZ_NAME "-");
    /* No seeds means a wrong directory, not a clean run. */
    if (replay_dir("tests/fuzz/corpus/" FUZZ_NAME, "") == 0) {
        fprintf(stderr, "FAIL: no seeds in tests/fuzz/corpus/%s\n", FUZZ_NAME);
        failed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
