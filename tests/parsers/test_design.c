/* test_design.c: finding the LEF files of a folder (parsers/def.h: pl_lef_find_dir, pl_def_find_lefs):
 * technology first (a .tlef, or a LEF that defines layers or sites and no macro, gzipped or not), then
 * LEFs that define them before their macros, then the rest, each group by name; other files are left
 * out, a folder named with a trailing slash gives the same paths, and an unlistable folder is an error
 * naming it. A design read with the LEFs of a folder equals one read with them listed by hand. */
#include "parsers/def.h"
#include "core/log.h"
#include "tests/testutil.h"

#include <zlib.h>

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

static void write_gz(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gzFile f = gzopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(gzputs(f, text), (int)strlen(text));
    cr_assert_eq(gzclose(f), Z_OK);
}

#define TECH "VERSION 5.8 ;\nUNITS\n  DATABASE MICRONS 1000 ;\nEND UNITS\nLAYER metal1\n  TYPE ROUTING ;\nEND metal1\n"
#define SITE_AND_CELLS "SITE core\n  SIZE 0.2 BY 1.4 ;\nEND core\nMACRO INV\n  SIZE 0.4 BY 1.4 ;\nEND INV\n"
#define CELLS "MACRO BUF\n  SIZE 0.4 BY 1.4 ;\n  PIN A\n    PORT\n      LAYER metal1 ;\n    END\n  END A\nEND BUF\n"

/* The base names of the paths, joined by spaces; every path starts with prefix. */
static void names_of(char **v, int n, const char *prefix, char *buf, size_t len)
{
    buf[0] = 0;
    for (int i = 0; i < n; i++) {
        cr_assert(!strncmp(v[i], prefix, strlen(prefix)), "%s does not start with %s", v[i], prefix);
        const char *b = strrchr(v[i], '/');
        cr_assert_not_null(b);
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? " " : "", b + 1);
    }
}

Test(design_lefs, technology_first_by_content_then_by_name)
{
    const char *d = pl_test_tmpdir();
    write_text(d, "a_cells.lef", CELLS);
    write_text(d, "b_sites.lef", SITE_AND_CELLS);
    write_text(d, "c_cells.lef", CELLS);
    write_text(d, "z_tech.lef", TECH); /* no "tech" ranking by name: by content, and it comes first */
    write_gz(d, "m_layers.lef.gz", TECH);
    write_text(d, "y.tlef", CELLS); /* a .tlef is technology whatever it holds */
    write_text(d, "notes.txt", TECH);
    write_text(d, "design.def", "VERSION 5.8 ;\n");
    char **v, buf[512], pre[256];
    int n;
    cr_assert_eq(pl_lef_find_dir(d, &v, &n), PL_OK, "%s", pl_errmsg());
    snprintf(pre, sizeof pre, "%s/", d);
    names_of(v, n, pre, buf, sizeof buf);
    cr_assert_str_eq(buf, "m_layers.lef.gz y.tlef z_tech.lef b_sites.lef a_cells.lef c_cells.lef");
    pl_def_free_lefs(v, n);

    /* DIR/ gives DIR/name, and the DEF's folder gives the same list */
    char slash[300];
    snprintf(slash, sizeof slash, "%s/", d);
    cr_assert_eq(pl_lef_find_dir(slash, &v, &n), PL_OK, "%s", pl_errmsg());
    names_of(v, n, pre, buf, sizeof buf);
    cr_assert_eq(n, 6);
    cr_assert(!strstr(v[0], "//"), "%s", v[0]);
    pl_def_free_lefs(v, n);
    char def[300];
    snprintf(def, sizeof def, "%s/design.def", d);
    cr_assert_eq(pl_def_find_lefs(def, &v, &n), PL_OK, "%s", pl_errmsg());
    names_of(v, n, pre, buf, sizeof buf);
    cr_assert_str_eq(buf, "m_layers.lef.gz y.tlef z_tech.lef b_sites.lef a_cells.lef c_cells.lef");
    pl_def_free_lefs(v, n);
}

Test(design_lefs, empty_and_missing_folders)
{
    const char *d = pl_test_tmpdir();
    char **v, missing[300];
    int n = -1;
    cr_assert_eq(pl_lef_find_dir(d, &v, &n), PL_OK);
    cr_assert_eq(n, 0, "an empty folder is no error");
    pl_def_free_lefs(v, n);
    snprintf(missing, sizeof missing, "%s/none", d);
    cr_assert_eq(pl_lef_find_dir(missing, &v, &n), PL_EIO);
    cr_assert(strstr(pl_errmsg(), missing), "%s", pl_errmsg());
    cr_assert_null(v);
    cr_assert_eq(n, 0);
}

Test(design_lefs, a_folder_reads_as_the_list_by_hand)
{
    pl_log_set_level(PL_LOG_QUIET);
    const char *d = pl_test_tmpdir();
    const char *names[] = {"small.tlef", "small_cells.lef", "small_macros.lef"};
    const char *lefs[3];
    char paths[3][256];
    for (int i = 0; i < 3; i++) {
        char from[256];
        snprintf(from, sizeof from, "designs/small/%s", names[i]);
        size_t len;
        char *s = pl_test_slurp(from, &len);
        /* the technology LEF renamed so that it sorts last by name: found first all the same */
        write_text(d, i == 0 ? "zz.lef" : names[i], s);
        free(s);
        snprintf(paths[i], sizeof paths[i], "designs/small/%s", names[i]);
        lefs[i] = paths[i];
    }
    char **v;
    int n;
    cr_assert_eq(pl_lef_find_dir(d, &v, &n), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(n, 3);
    cr_assert(strstr(v[0], "/zz.lef"), "%s", v[0]);
    pl_netlist a, b;
    pl_netlist_init(&a), pl_netlist_init(&b);
    cr_assert_eq(pl_design_read(&a, "designs/small/small.def", (const char *const *)v, n), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(pl_design_read(&b, "designs/small/small.def", lefs, 3), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(a.nnodes, b.nnodes);
    cr_assert_eq(a.nsites, b.nsites);
    cr_assert_eq(a.nlayers, b.nlayers);
    cr_assert_eq(a.nmasters, b.nmasters);
    pl_netlist_free(&a), pl_netlist_free(&b);
    pl_def_free_lefs(v, n);
}
