/* def.h: DEF reader and writer.
 *
 * pl_def_read() reads a DEF (plain or .gz) into a netlist whose library was filled by
 * pl_lef_read(): DIEAREA, ROW, TRACKS, GCELLGRID, COMPONENTS, PINS, BLOCKAGES, NETS; VIAS,
 * SPECIALNETS and other sections are skipped by their syntax. Names are kept byte-for-byte
 * (escapes such as \[0\] included). It finalizes the netlist and records in nl->placesrc where
 * each component's placement clause lies, so that pl_def_write() can copy the input DEF
 * byte-for-byte and rewrite only the clauses of components whose placement changed. The writer
 * checks the source file is unchanged (size and CRC), writes a temporary file in the output's
 * folder and renames it into place (never a partial file); an output ending in .gz is gzipped.
 * Errors: PL_EPARSE "file:line: ..." (a DIEAREA of zero or negative extent, a coordinate beyond 32 bits
 * or a DO count past 10^7 too, before anything is sized), PL_EIO. The netlist stays freeable after a failure.
 */
#ifndef PL_DEF_H
#define PL_DEF_H

#include "core/netlist.h"

pl_status pl_def_read(pl_netlist *nl, const char *path);
pl_status pl_def_write(const pl_netlist *nl, const char *out_path);

/* Reads LEF files in order, then the DEF. With nlef == 0 it uses the LEF files found beside the
 * DEF (see pl_def_find_lefs). */
pl_status pl_design_read(pl_netlist *nl, const char *def_path, const char *const *lefs, int nlef);

/* Lists the *.tlef and *.lef (also .gz) files in the DEF's folder, as pl_lef_find_dir. */
pl_status pl_def_find_lefs(const char *def_path, char ***out, int *n);
/* Lists the *.tlef and *.lef (also .gz) files in folder dir, technology first: *.tlef and LEFs that define
 * LAYERs or SITEs and no MACRO, then LEFs that define them before their macros, then the rest, each group
 * sorted by name (the files are read up to their first MACRO to tell). *out is malloc'd strings "dir/name"
 * in a malloc'd array; free with pl_def_free_lefs(). Zero files is not an error; an unlistable folder is
 * PL_EIO naming it. */
pl_status pl_lef_find_dir(const char *dir, char ***out, int *n);
void pl_def_free_lefs(char **lefs, int n);

#endif
