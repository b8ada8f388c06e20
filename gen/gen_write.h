/* gen_write.h: the output of `placer gen`: technology, cell and macro LEF, and the DEF (gen_write.c).
 *
 * Reads a finished gen only. Creates dir (with parents), writes NAME.tlef, NAME_cells.lef,
 * NAME_macros.lef and NAME.def to temporaries beside their destinations and renames them into place
 * only when all four were written; on failure no partial file is left. Errors: PL_EINVAL (path too
 * long), PL_EIO naming the file, PL_ENOMEM. Concurrent calls writing to different folders are safe.
 */
#ifndef PL_GEN_WRITE_H
#define PL_GEN_WRITE_H

#include "gen/gen_design.h"

pl_status pl_gen_files_write(const gen *g, const char *dir);

#endif
