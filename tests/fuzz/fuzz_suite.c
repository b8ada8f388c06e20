/* fuzz_suite.c: libFuzzer target for the training-suite reader (rl/suite.h: XML through libxml2).
 * The reader takes a path, so the input goes through a temporary file; a suite that reads is also
 * scheduled (pl_suite_schedule) for one iteration of 16 episodes. The design paths are only stored,
 * never opened. libxml2 itself is not instrumented: coverage is that of rl/suite.c. */
#include "rl/suite.h"
#include "tests/fuzz/fuzz.h"

PL_FUZZ_QUIET_INITIALIZE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = pl_fuzz_tmp_write(data, size, ".xml");
    pl_suite s;
    pl_suite_init(&s);
    if (pl_suite_read(&s, path) == PL_OK) {
        int32_t designs[16];
        pl_suite_schedule(&s, 16, designs);
        for (int j = 0; j < 16; j++)
            if (designs[j] < 0 || designs[j] >= s.n) {
                fprintf(stderr, "[fuzz] pl_suite_schedule gave design %d of %d\n", (int)designs[j], s.n);
                abort();
            }
    }
    pl_suite_free(&s);
    return 0;
}
