/* inputs.h: the input files of a command: its LEF list from the options, and every input declared to its
 * output set (core/tmpfile.h) before any work, so that no output replaces one of them.
 *
 * A design brings the files its reader will open: the design; for a DEF the given LEFs, else the .tlef/.lef
 * beside it (never beside a --placement); for a Bookshelf .aux the files it names; for a Circuit Training netlist the placement, or initial.plc beside
 * it when plc_beside. An unlistable folder adds nothing: the reader reports it. --lef, --lef-dir and
 * --lef-from (eval, render) become one list by pl_inputs_lefs; the paths it makes are owned by its
 * pl_lef_extra (pl_inputs_lefs_free: NULL-safe, idempotent). Errors: pl_status, one line naming the
 * command. No global state.
 */
#ifndef PL_PLACER_INPUTS_H
#define PL_PLACER_INPUTS_H

#include "core/status.h"
#include "core/tmpfile.h"
#include "placer/options.h"

/* Declares design (NULL: none), placement (NULL: none) and the LEFs (nlef may be 0) to os. */
pl_status pl_inputs_design(pl_outset *os, const char *design, const char *placement, const char *const *lefs,
                           int nlef, int plc_beside);

enum { PL_INPUTS_MAX_LEF_DIRS = 16 };

/* --lef-dir and --lef-from, and the paths they bring. Zero it (or memset) before parsing. */
typedef struct pl_lef_extra {
    const char *dirs[PL_INPUTS_MAX_LEF_DIRS]; /* --lef-dir DIR, in order */
    int ndir;
    const char *from;                         /* --lef-from REPORT.json, NULL: none */
    char **owned;                             /* (nowned) paths made by pl_inputs_lefs */
    int nowned;
} pl_lef_extra;

/* Table entries of an option table (placer/options.h). */
#define PL_OPTS_LEF_DIR(x) {PL_OPT_REPEAT("lef-dir", 0, (x)->dirs, &(x)->ndir, PL_INPUTS_MAX_LEF_DIRS)}
#define PL_OPTS_LEF_FROM(x) {PL_OPT_STRING("lef-from", 0, &(x)->from)}
/* --macros RULE into a pl_bookshelf_options (parsers/bookshelf.h): which nodes of a Bookshelf design are
 * the hard macros. */
int pl_inputs_macros_conv(const char *value, void *dst);
#define PL_OPTS_MACROS(b) {PL_OPT_CUSTOM("macros", 0, (b), pl_inputs_macros_conv, "auto, terminals, rows:K or @FILE")}
/* --device auto|cpu|cuda into a pl_gnn_device (gnn/gpu.h), as given: the command resolves it. */
int pl_inputs_device_conv(const char *value, void *dst);
#define PL_OPTS_DEVICE(d) {PL_OPT_CUSTOM("device", 0, (d), pl_inputs_device_conv, "auto, cpu or cuda")}
/* The --help lines of --macros. */
#define PL_INPUTS_MACROS_HELP \
    "  --macros RULE       Bookshelf (.aux) designs: which nodes are the hard macros: auto (movable\n" \
    "                      nodes taller than a row; the default), terminals (fixed blocks become movable\n" \
    "                      macros: MaskPlace's ISPD2005 convention), rows:K (movable, taller than K rows)\n" \
    "                      or @FILE (the names in FILE, one per line)\n"

/* Completes lefs[0 .. *nlef) (the --lef files, room for max): appends each --lef-dir folder's .tlef/.lef files
 * (technology first, parsers/def.h's pl_lef_find_dir), or, with --lef-from, sets the list to the "lefs" of
 * that `placer place` report (not with --lef or --lef-dir). When beside is a DEF and no LEF is given at all,
 * the list is the LEFs beside it (pl_def_find_lefs; left empty, for the reader to find them, when they are
 * more than max), so that a caller can report what it read. Errors
 * (PL_EINVAL, PL_EIO, PL_EPARSE) are one line starting with cmd: a folder without LEF files, a report
 * without a "lefs" list, more than max files. */
pl_status pl_inputs_lefs(pl_lef_extra *x, const char *cmd, const char **lefs, int *nlef, int max, const char *beside);
void pl_inputs_lefs_free(pl_lef_extra *x);

#endif
