/* fuzz_lef.c: libFuzzer target for the LEF reader (parsers/lef.h). The input is read into an empty
 * netlist and, when that succeeds, a second time into the same one, as a second LEF that repeats
 * the first one's layers, sites and macros (the duplicate paths). */
#include "parsers/lef.h"
#include "tests/fuzz/fuzz.h"

PL_FUZZ_QUIET_INITIALIZE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = pl_fuzz_tmp_write(data, size, ".lef");
    pl_netlist nl;
    pl_netlist_init(&nl);
    if (pl_lef_read(&nl, path) == PL_OK) (void)pl_lef_read(&nl, path);
    pl_netlist_free(&nl);
    return 0;
}
