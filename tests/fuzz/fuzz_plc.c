/* fuzz_plc.c: libFuzzer target for the .plc reader (parsers/plc.h). The netlist is tests/data/tiny
 * (LEF + DEF) given Circuit Training indices by pl_ctpb_index, built once; each input is read into a
 * fresh header and applied to that netlist, whose nodes are then restored, so every run starts from
 * the same state. */
#include "parsers/ctpb_write.h"
#include "parsers/def.h"
#include "parsers/lef.h"
#include "parsers/plc.h"
#include "tests/fuzz/fuzz.h"

static pl_netlist nl;
static pl_node *nodes0; /* (nl.nnodes) the nodes as built */

static void free_netlist(void)
{
    pl_netlist_free(&nl);
    free(nodes0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    pl_fuzz_quiet();
    pl_netlist_init(&nl);
    if (pl_lef_read(&nl, pl_fuzz_path("tests/data/tiny/tiny.lef")) != PL_OK ||
        pl_def_read(&nl, pl_fuzz_path("tests/data/tiny/tiny.def")) != PL_OK || pl_ctpb_index(&nl) != PL_OK)
        pl_fuzz_die("tests/data/tiny", pl_errmsg());
    nodes0 = malloc((size_t)nl.nnodes * sizeof *nodes0);
    if (!nodes0) pl_fuzz_die("malloc", "nodes");
    memcpy(nodes0, nl.nodes, (size_t)nl.nnodes * sizeof *nodes0);
    atexit(free_netlist);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = pl_fuzz_tmp_write(data, size, ".plc");
    pl_plc_header h;
    pl_plc_header_init(&h);
    (void)pl_plc_read(path, &h, &nl);
    pl_plc_header_free(&h);
    memcpy(nl.nodes, nodes0, (size_t)nl.nnodes * sizeof *nodes0);
    return 0;
}
