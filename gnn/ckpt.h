/* ckpt.h: GNN checkpoints: a versioned 100-byte header and a little-endian float32 payload
 * (parameters, then optionally Adam's m and v). The format is specified in docs/checkpoint.md.
 *
 * Writes are atomic: a temporary file in the target's folder, fsync, rename(); a failed write leaves
 * any previous checkpoint untouched and no temporary behind. Reads check magic, version, both CRC-32s,
 * every architecture field, sizes; a mismatch is PL_EPARSE (corruption) or PL_EINVAL (another
 * architecture) with a message naming the file and both values. The header is checked (architecture
 * in range, parameter count, payload size = file size) before anything is allocated, so a crafted
 * header cannot size a model. The model is left untouched on error.
 * Ownership: callers own the model and Adam state. Threads: none; the error message is thread-local.
 */
#ifndef PL_GNN_CKPT_H
#define PL_GNN_CKPT_H

#include <stdint.h>

#include "gnn/adam.h"
#include "gnn/model.h"

enum { PL_GNN_CKPT_VERSION = 1, PL_GNN_CKPT_HEADER_BYTES = 100 };

/* Saves m (and adam's moments and step count when adam is not NULL), with training step `step`. */
pl_status pl_gnn_ckpt_write(const char *path, const pl_gnn_model *m, const pl_gnn_adam *adam, uint64_t step);
/* Loads into an initialised m of the same architecture; seed and step come back through m->seed and
 * *step (may be NULL). With adam not NULL the file must hold moments of the same size. */
pl_status pl_gnn_ckpt_read(const char *path, pl_gnn_model *m, pl_gnn_adam *adam, uint64_t *step);
/* Reads only the header: the architecture, seed and step, to build a model before loading. */
pl_status pl_gnn_ckpt_peek(const char *path, pl_gnn_config *cfg, uint64_t *seed, uint64_t *step);

#endif
