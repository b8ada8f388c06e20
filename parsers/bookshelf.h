/* bookshelf.h: GSRC Bookshelf designs (.aux -> .nodes .nets .wts .pl .scl) in, the .pl out.
 *
 * pl_bookshelf_read() reads the files an .aux names (.nodes .nets .pl .scl required, .wts optional) into an
 * empty netlist: nodes (w x h, no master), nets (pins at the node centre plus the offset a pin line gives,
 * ISPD2005 style; IBM-MS gives none, nor net names: those nets are "net0", "net1"... in file order), rows from
 * .scl (one pl_row per subrow, a site per distinct width x height: "bookshelf_site", "bookshelf_site1"...),
 * positions from .pl (lower-left, orientation, /FIXED and /FIXED_NI; nodes it does not list stay unplaced),
 * net weights from .wts (node weights are skipped with one note). .shapes and .route files are skipped with
 * one note. One Bookshelf unit is taken as one micron (dbu_per_micron 1); nl->design is the .aux's name less
 * ".aux". The row height is the smallest CoreRow Height. Which nodes are hard macros is a rule:
 *   PL_BK_MACROS_AUTO      movable nodes taller than the row height (IBM-MS, ISPD2005's movable blocks);
 *                          fixed blocks stay fixed
 *   PL_BK_MACROS_TERMINALS every `terminal` node larger than one row height in both sides becomes a movable
 *                          macro (MaskPlace's ISPD2005 convention: the fixed blocks are the macros to place)
 *   PL_BK_MACROS_ROWS      movable nodes taller than `rows` row heights
 *   PL_BK_MACROS_LIST      the nodes named in the file `list` (one name per line, '#' comments; a name not in
 *                          .nodes is an error), movable even when they are terminals
 * Other nodes: a `terminal` or `terminal_NI` node no larger than a row height on both sides is an IO port
 * (PL_NODE_PORT, fixed); a larger fixed one is a fixed hard macro (PL_NODE_MACRO, PL_PLACE_FIXED) unless it
 * is terminal_NI (PL_NODE_OTHER, fixed: it does not block placement); the rest are standard cells. The die
 * is the bounding box of the rows and every fixed node. The netlist is finalized; nl->placesrc (format
 * PL_PLACE_BOOKSHELF) records where each node's line lies in the .pl.
 * pl_bookshelf_write_pl() writes the .pl read with the lines of nodes whose position, orientation or state
 * changed rewritten ("name x y : ORIENT" plus " /FIXED" for fixed nodes, or for every macro when
 * fix_macros; /FIXED_NI stays /FIXED_NI), every other byte copied; placed nodes the .pl did not list are
 * appended. Coordinates are written exactly (integers as integers, otherwise the shortest decimal that reads
 * back the same). It checks the .pl is unchanged since it was read (size and CRC) and writes through
 * core/tmpfile (never a partial file).
 * Errors: PL_EPARSE "file:line: ..." (a bad or missing header, a count that disagrees with the lines, a net
 * naming a node not in .nodes, a pin line outside a net, a truncated file, binary data, a file the .aux names
 * that is missing: named at the .aux's line); PL_EIO. The netlist stays freeable after a failure. Not
 * thread-safe per netlist.
 */
#ifndef PL_PARSERS_BOOKSHELF_H
#define PL_PARSERS_BOOKSHELF_H

#include "core/netlist.h"

typedef enum pl_bookshelf_macros {
    PL_BK_MACROS_AUTO = 0,
    PL_BK_MACROS_TERMINALS,
    PL_BK_MACROS_ROWS,
    PL_BK_MACROS_LIST
} pl_bookshelf_macros;

typedef struct pl_bookshelf_options {
    pl_bookshelf_macros macros;
    double rows;          /* PL_BK_MACROS_ROWS: the height threshold in row heights */
    const char *list;     /* PL_BK_MACROS_LIST: the file of names */
} pl_bookshelf_options;

void pl_bookshelf_options_default(pl_bookshelf_options *o);
/* Parses a --macros value: "auto", "terminals", "rows:K" (K > 0) or "@FILE"; PL_EINVAL naming it. The
 * file name is borrowed from `s`. */
pl_status pl_bookshelf_options_parse(pl_bookshelf_options *o, const char *s);

/* 1 when `path` names a Bookshelf design (.aux). */
int pl_bookshelf_is_aux(const char *path);

pl_status pl_bookshelf_read(pl_netlist *nl, const char *aux_path, const pl_bookshelf_options *opt);
pl_status pl_bookshelf_write_pl(const pl_netlist *nl, const char *out_path, int fix_macros);

/* Applies the positions of another .pl of the same design (our output, say) to a netlist read by
 * pl_bookshelf_read: each line's node moves there, with its orientation and /FIXED state (without /FIXED a
 * node keeps the state the design gave it, so terminals stay fixed, and an unplaced one becomes placed);
 * nodes the file does not list keep theirs; names not in the design are counted, not errors. Errors as the
 * reader's. */
typedef struct pl_bookshelf_pl_stats {
    int64_t lines, applied, missing;
} pl_bookshelf_pl_stats;
pl_status pl_bookshelf_apply_pl(pl_netlist *nl, const char *pl_path, pl_bookshelf_pl_stats *st);

/* The files an .aux names, as paths beside it (malloc'd strings in a malloc'd array; free each, then the
 * array), in the .aux's order. Errors: the .aux unreadable or naming no file. */
pl_status pl_bookshelf_files(const char *aux_path, char ***paths, int *n);

#endif
