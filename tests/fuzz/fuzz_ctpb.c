/* fuzz_ctpb.c: libFuzzer target for the Circuit Training netlist reader (parsers/ctpb.h), through its
 * in-memory entry point pl_ctpb_read_buffer (the input copied and NUL-terminated, as the file reader
 * hands it over). */
#include "parsers/ctpb.h"
#include "tests/fuzz/fuzz.h"

PL_FUZZ_QUIET_INITIALIZE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf) return 0;
    if (size) memcpy(buf, data, size);
    buf[size] = 0;
    pl_netlist nl;
    pl_netlist_init(&nl);
    (void)pl_ctpb_read_buffer(&nl, "fuzz.pb.txt", buf, size);
    pl_netlist_free(&nl);
    free(buf);
    return 0;
}
