/* fuzz.h: helpers shared by the libFuzzer targets in tests/fuzz/ (header-only, static functions).
 *
 * Each target is one fuzz_<reader>.c defining LLVMFuzzerTestOneInput; `make fuzz` builds them with
 * clang -fsanitize=fuzzer,address,undefined (docs/fuzzing.md). Readers that only take a path get the
 * input through one temporary file per process, made on first use in $TMPDIR (default /tmp) and
 * removed at exit. Fixed inputs a target needs (the LEF library of the DEF target, the netlist of the
 * .plc target) come from the checkout named by PL_FUZZ_ROOT, which the Makefile defines. Set-up
 * failures are bugs of the harness, not findings: they print a message and abort(). Every target
 * frees what it allocates, so LeakSanitizer reports real leaks only. One thread.
 */
#ifndef PL_FUZZ_H
#define PL_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/status.h"

#ifndef PL_FUZZ_ROOT
#define PL_FUZZ_ROOT "."
#endif

/* Stops the process: the harness itself is broken (a missing data file, a full disk). */
static inline void pl_fuzz_die(const char *what, const char *detail)
{
    fprintf(stderr, "[fuzz] harness set-up failed: %s: %s\n", what, detail ? detail : "");
    abort();
}

/* "PL_FUZZ_ROOT/rel" in a static ring of buffers. */
static inline const char *pl_fuzz_path(const char *rel)
{
    static char buf[8][4096];
    static int k;
    char *b = buf[k++ & 7];
    snprintf(b, sizeof buf[0], "%s/%s", PL_FUZZ_ROOT, rel);
    return b;
}

static char pl_fuzz_tmp_name[4096];

static inline void pl_fuzz_tmp_remove(void)
{
    if (pl_fuzz_tmp_name[0]) unlink(pl_fuzz_tmp_name);
}

/* Writes the input to this process's temporary file (suffix such as ".def", for messages only)
 * and returns its path. */
static inline const char *pl_fuzz_tmp_write(const uint8_t *data, size_t size, const char *suffix)
{
    if (!pl_fuzz_tmp_name[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(pl_fuzz_tmp_name, sizeof pl_fuzz_tmp_name, "%s/pl_fuzz_XXXXXX%s", dir && *dir ? dir : "/tmp",
                 suffix);
        int fd = mkstemps(pl_fuzz_tmp_name, (int)strlen(suffix));
        if (fd < 0) pl_fuzz_die("mkstemps", pl_fuzz_tmp_name);
        close(fd);
        atexit(pl_fuzz_tmp_remove);
    }
    FILE *fp = fopen(pl_fuzz_tmp_name, "wb");
    if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0)
        pl_fuzz_die("writing the input", pl_fuzz_tmp_name);
    return pl_fuzz_tmp_name;
}

/* Silences warnings: the inputs are meant to be odd, and stderr is libFuzzer's channel. */
static inline void pl_fuzz_quiet(void)
{
    pl_log_set_level(PL_LOG_QUIET);
}

/* The libFuzzer entry points, and the LLVMFuzzerInitialize of a target that needs nothing but a
 * quiet log. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#define PL_FUZZ_QUIET_INITIALIZE                                                                    \
    int LLVMFuzzerInitialize(int *argc, char ***argv)                                              \
    {                                                                                              \
        (void)argc, (void)argv;                                                                    \
        pl_fuzz_quiet();                                                                           \
        return 0;                                                                                  \
    }

#endif
