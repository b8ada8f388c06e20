/* fuzz_bookshelf.c: libFuzzer target for the Bookshelf reader and .pl writer (parsers/bookshelf.h). An input
 * is a design's files one after another, each ended by a line "%%": .nodes, .nets, .wts, .pl, .scl and, when
 * there is a sixth section, the macro list (--macros @FILE; otherwise the auto rule). Missing sections are
 * empty files. They are written into one temporary folder per process (made on first use in $TMPDIR, removed
 * at exit) beside a fixed .aux naming them. After a successful read the first node is moved and the .pl is
 * written back with fix_macros, and the .pl written is applied to the netlist again. */
#include <sys/stat.h>

#include "parsers/bookshelf.h"
#include "tests/fuzz/fuzz.h"

enum { NSECTIONS = 6 };
static const char *const names[NSECTIONS] = {"f.nodes", "f.nets", "f.wts", "f.pl", "f.scl", "f.macros"};
static char dir[4096];

static const char *in_dir(const char *name)
{
    static char buf[4][4200];
    static int k;
    char *b = buf[k++ & 3];
    snprintf(b, sizeof buf[0], "%s/%s", dir, name);
    return b;
}

static void write_file(const char *name, const uint8_t *data, size_t size)
{
    FILE *fp = fopen(in_dir(name), "wb");
    if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) pl_fuzz_die("writing", in_dir(name));
}

static void remove_dir(void)
{
    static const char *const extra[] = {"f.aux", "out.pl"};
    for (int i = 0; i < NSECTIONS; i++) unlink(in_dir(names[i]));
    for (int i = 0; i < 2; i++) unlink(in_dir(extra[i]));
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    pl_fuzz_quiet();
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/pl_fuzz_bk_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) pl_fuzz_die("mkdtemp", dir);
    atexit(remove_dir);
    const char aux[] = "RowBasedPlacement : f.nodes f.nets f.wts f.pl f.scl\n";
    write_file("f.aux", (const uint8_t *)aux, sizeof aux - 1);
    return 0;
}

/* Writes the sections; returns how many the input had. */
static int write_sections(const uint8_t *data, size_t size)
{
    int n = 0;
    while (n < NSECTIONS && size > 0) {
        const uint8_t *end = memmem(data, size, "\n%%\n", 4);
        size_t len = end ? (size_t)(end - data) + 1 : size;
        write_file(names[n++], data, len);
        size_t skip = end ? len + 3 : len;
        data += skip, size -= skip;
    }
    for (int i = n; i < NSECTIONS; i++) write_file(names[i], NULL, 0);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int n = write_sections(data, size);
    pl_bookshelf_options opt;
    pl_bookshelf_options_default(&opt);
    if (n == NSECTIONS) opt.macros = PL_BK_MACROS_LIST, opt.list = in_dir("f.macros");
    pl_netlist nl;
    pl_netlist_init(&nl);
    if (pl_bookshelf_read(&nl, in_dir("f.aux"), &opt) == PL_OK) {
        if (nl.nnodes > 0) {
            nl.nodes[0].x += 0.5;
            nl.nodes[0].state = PL_PLACE_PLACED;
        }
        if (pl_bookshelf_write_pl(&nl, in_dir("out.pl"), 1) == PL_OK) {
            pl_bookshelf_pl_stats st;
            (void)pl_bookshelf_apply_pl(&nl, in_dir("out.pl"), &st);
        }
    }
    pl_netlist_free(&nl);
    return 0;
}
