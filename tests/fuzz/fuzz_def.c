/* fuzz_def.c: libFuzzer target for the DEF reader (parsers/def.h). The input is a DEF read into a
 * netlist whose library is tests/data/tiny/tiny.lef (masters INV and RAM), the library of the seed
 * tiny.def, which uses every construct the reader handles. Only that small LEF is read per run: the
 * generated designs' LEFs would cost 3 ms a run, ten times the DEF itself. */
#include "parsers/def.h"
#include "parsers/lef.h"
#include "tests/fuzz/fuzz.h"

PL_FUZZ_QUIET_INITIALIZE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = pl_fuzz_tmp_write(data, size, ".def");
    pl_netlist nl;
    pl_netlist_init(&nl);
    if (pl_lef_read(&nl, pl_fuzz_path("tests/data/tiny/tiny.lef")) != PL_OK)
        pl_fuzz_die("tests/data/tiny/tiny.lef", pl_errmsg());
    (void)pl_def_read(&nl, path);
    pl_netlist_free(&nl);
    return 0;
}
