/* fuzz_ckpt.c: libFuzzer target for the GNN checkpoint reader (gnn/ckpt.h, format in docs/checkpoint.md).
 *
 * Each input is peeked, then read without and with Adam moments into one of two models built once: the
 * default architecture with the side term (that of policies/default.ckpt) or the small one of the generated seeds
 * (tests/fuzz/mkseeds.c), whichever the header names, else the default. Since nearly every mutation
 * breaks a CRC-32, the input is then read a second time with both checksums recomputed (header bytes
 * 0..95, payload from byte 100), so the checks behind them are reached as well.
 */
#include <zlib.h>

#include "gnn/ckpt.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz_ckpt.h"

static pl_gnn_model model[2];     /* default, small */
static pl_gnn_adam adam[2];
static uint8_t *fixed;            /* the input with its checksums recomputed */
static size_t fixed_cap;

static void free_models(void)
{
    for (int i = 0; i < 2; i++) pl_gnn_model_free(&model[i]), pl_gnn_adam_free(&adam[i]);
    free(fixed);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    pl_fuzz_quiet();
    pl_gnn_config cfg[2];
    pl_gnn_config_default(&cfg[0]);
    cfg[0].side = 1; /* as `make policy` trains it */
    pl_fuzz_ckpt_small_config(&cfg[1]);
    pl_gnn_adam_config ac;
    pl_gnn_adam_config_default(&ac);
    for (int i = 0; i < 2; i++)
        if (pl_gnn_model_init(&model[i], &cfg[i], 1) != PL_OK ||
            pl_gnn_adam_init(&adam[i], &ac, model[i].nparams) != PL_OK)
            pl_fuzz_die("model", pl_errmsg());
    atexit(free_models);
    return 0;
}

static int same_config(const pl_gnn_config *a, const pl_gnn_config *b)
{
    return a->node_feats == b->node_feats && a->meta_feats == b->meta_feats && a->hidden == b->hidden &&
           a->layers == b->layers && a->head == b->head && a->grid_embed == b->grid_embed &&
           a->conv_channels == b->conv_channels && a->conv_layers == b->conv_layers && a->side == b->side;
}

static void read_all(const uint8_t *data, size_t size)
{
    const char *path = pl_fuzz_tmp_write(data, size, ".ckpt");
    pl_gnn_config cfg;
    uint64_t seed, step;
    int k = 0;
    if (pl_gnn_ckpt_peek(path, &cfg, &seed, &step) == PL_OK && same_config(&cfg, &model[1].cfg)) k = 1;
    (void)pl_gnn_ckpt_read(path, &model[k], NULL, &step);
    (void)pl_gnn_ckpt_read(path, &model[k], &adam[k], NULL);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_all(data, size);
    if (size < PL_GNN_CKPT_HEADER_BYTES) return 0;
    if (size > fixed_cap) {
        uint8_t *p = realloc(fixed, size);
        if (!p) return 0;
        fixed = p, fixed_cap = size;
    }
    memcpy(fixed, data, size);
    const size_t payload = size - PL_GNN_CKPT_HEADER_BYTES;
    put_u32(fixed + 92, (uint32_t)crc32(0L, fixed + PL_GNN_CKPT_HEADER_BYTES, (uInt)payload));
    put_u32(fixed + 96, (uint32_t)crc32(0L, fixed, 96));
    read_all(fixed, size);
    return 0;
}
