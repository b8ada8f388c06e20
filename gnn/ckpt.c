/* ckpt.c: see ckpt.h and docs/checkpoint.md. Integers and floats are encoded byte by byte, so the
 * file is little-endian on every host. */
#include "gnn/ckpt.h"
#include "core/tmpfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static const char ckpt_magic[8] = {'P', 'L', 'G', 'N', 'N', 'C', 'K', 'P'};

enum { FLAG_ADAM = 1, FLAG_SIDE = 2, OFF_CFG = 16, OFF_SEED = 48, OFF_STEP = 56, OFF_NPARAMS = 64, OFF_ADAM_T = 72,
       OFF_FLAGS = 80, OFF_PAYLOAD_BYTES = 84, OFF_PAYLOAD_CRC = 92, OFF_HEADER_CRC = 96 };

/* The header, decoded. */
typedef struct ckpt_header {
    uint32_t version, header_bytes, flags, payload_crc;
    pl_gnn_config cfg;
    uint64_t seed, step, nparams, adam_t, payload_bytes;
} ckpt_header;

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}
static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)p[i] << (8 * i);
    return v;
}
static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static uint32_t crc_of(const unsigned char *p, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);
    while (n > 0) {
        const uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
        c = crc32(c, p, chunk);
        p += chunk, n -= chunk;
    }
    return (uint32_t)c;
}

/* The config fields in header order, for encoding, decoding and comparing. */
static int32_t *cfg_field(pl_gnn_config *c, int i)
{
    int32_t *f[8] = {&c->node_feats, &c->meta_feats, &c->hidden, &c->layers,
                     &c->head, &c->grid_embed, &c->conv_channels, &c->conv_layers};
    return f[i];
}
static const char *const cfg_names[8] = {"node features", "metadata features", "hidden size", "edge-conv layers",
                                         "policy head (0 conv, 1 deconv)", "grid embedding channels",
                                         "conv channels", "conv layers"};

static void encode_floats(unsigned char *p, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], 4);
        put_u32(p + 4 * i, u);
    }
}
static void decode_floats(float *x, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u = get_u32(p + 4 * i);
        memcpy(&x[i], &u, 4);
    }
}

/* Writes all n bytes to a temporary beside path, syncs it to disk, then renames it over path. */
static pl_status write_atomic(const char *path, const unsigned char *buf, size_t n)
{
    char *tmp;
    FILE *fp;
    PL_TRY(pl_tmpfile_open(path, &tmp, &fp));
    pl_status st = PL_OK;
    if (fwrite(buf, 1, n, fp) != n || fflush(fp) != 0 || fsync(fileno(fp)) != 0)
        st = pl_err(PL_EIO, "checkpoint %s: write failed: %s", path, strerror(errno));
    return pl_tmpfile_finish(st, fp, tmp, path);
}

pl_status pl_gnn_ckpt_write(const char *path, const pl_gnn_model *m, const pl_gnn_adam *adam, uint64_t step)
{
    if (adam && adam->n != m->nparams)
        return pl_err(PL_EINVAL, "checkpoint %s: Adam holds %zu moments, the network %zu parameters", path, adam->n,
                      m->nparams);
    const size_t nfloat = m->nparams * (adam ? 3 : 1), payload = 4 * nfloat;
    unsigned char *buf = calloc(PL_GNN_CKPT_HEADER_BYTES + payload, 1);
    if (!buf) return pl_err(PL_ENOMEM, "checkpoint %s: out of memory for %zu bytes", path, payload);
    unsigned char *p = buf + PL_GNN_CKPT_HEADER_BYTES;
    encode_floats(p, m->params_mem, m->nparams);
    if (adam) {
        encode_floats(p + 4 * m->nparams, adam->m, m->nparams);
        encode_floats(p + 8 * m->nparams, adam->v, m->nparams);
    }
    memcpy(buf, ckpt_magic, 8);
    put_u32(buf + 8, PL_GNN_CKPT_VERSION);
    put_u32(buf + 12, PL_GNN_CKPT_HEADER_BYTES);
    pl_gnn_config cfg = m->cfg;
    for (int i = 0; i < 8; i++) put_u32(buf + OFF_CFG + 4 * i, (uint32_t)*cfg_field(&cfg, i));
    put_u64(buf + OFF_SEED, m->seed);
    put_u64(buf + OFF_STEP, step);
    put_u64(buf + OFF_NPARAMS, m->nparams);
    put_u64(buf + OFF_ADAM_T, adam ? adam->t : 0);
    put_u32(buf + OFF_FLAGS, (adam ? FLAG_ADAM : 0) | (cfg.side ? FLAG_SIDE : 0));
    put_u64(buf + OFF_PAYLOAD_BYTES, payload);
    put_u32(buf + OFF_PAYLOAD_CRC, crc_of(p, payload));
    put_u32(buf + OFF_HEADER_CRC, crc_of(buf, OFF_HEADER_CRC));
    pl_status st = write_atomic(path, buf, PL_GNN_CKPT_HEADER_BYTES + payload);
    free(buf);
    return st;
}

/* Opens path and reads its header bytes (at most PL_GNN_CKPT_HEADER_BYTES) into b; *n is how many were
 * read, *size the file's size. Nothing is sized by the file's contents here. */
static pl_status open_header(const char *path, FILE **fpo, unsigned char *b, size_t *n, uint64_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return pl_err(PL_EIO, "checkpoint %s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(fp);
        return pl_err(PL_EIO, "checkpoint %s: not a regular file", path);
    }
    *n = fread(b, 1, PL_GNN_CKPT_HEADER_BYTES, fp);
    if (ferror(fp)) {
        fclose(fp);
        return pl_err(PL_EIO, "checkpoint %s: read error", path);
    }
    *size = (uint64_t)st.st_size;
    *fpo = fp;
    return PL_OK;
}

static pl_status parse_header(const char *path, const unsigned char *b, size_t n, ckpt_header *h)
{
    if (n < 12 || memcmp(b, ckpt_magic, 8) != 0)
        return pl_err(PL_EPARSE, "checkpoint %s: not a placer GNN checkpoint (bad magic)", path);
    h->version = get_u32(b + 8);
    if (h->version != PL_GNN_CKPT_VERSION)
        return pl_err(PL_EPARSE, "checkpoint %s: format version %u, this build reads version %d", path,
                      (unsigned)h->version, PL_GNN_CKPT_VERSION);
    if (n < PL_GNN_CKPT_HEADER_BYTES)
        return pl_err(PL_EPARSE, "checkpoint %s: truncated: %zu bytes, the header alone is %d", path, n,
                      PL_GNN_CKPT_HEADER_BYTES);
    h->header_bytes = get_u32(b + 12);
    const uint32_t hcrc = get_u32(b + OFF_HEADER_CRC), want = crc_of(b, OFF_HEADER_CRC);
    if (h->header_bytes != PL_GNN_CKPT_HEADER_BYTES || hcrc != want)
        return pl_err(PL_EPARSE, "checkpoint %s: header checksum 0x%08x does not match its contents (0x%08x): corrupted",
                      path, (unsigned)hcrc, (unsigned)want);
    for (int i = 0; i < 8; i++) *cfg_field(&h->cfg, i) = (int32_t)get_u32(b + OFF_CFG + 4 * i);
    h->seed = get_u64(b + OFF_SEED);
    h->step = get_u64(b + OFF_STEP);
    h->nparams = get_u64(b + OFF_NPARAMS);
    h->adam_t = get_u64(b + OFF_ADAM_T);
    h->flags = get_u32(b + OFF_FLAGS);
    h->cfg.side = (h->flags & FLAG_SIDE) != 0;
    h->payload_bytes = get_u64(b + OFF_PAYLOAD_BYTES);
    h->payload_crc = get_u32(b + OFF_PAYLOAD_CRC);
    return PL_OK;
}

/* The header against itself and the file's size, before anything is allocated: an architecture in
 * pl_gnn_config_check's ranges, the parameter count it implies, the payload that count needs, and a
 * file of exactly that size. A crafted header therefore never sizes a model or a buffer. */
static pl_status check_sizes(const char *path, const ckpt_header *h, uint64_t file_size)
{
    if (pl_gnn_config_check(&h->cfg) != PL_OK)
        return pl_err(PL_EPARSE, "checkpoint %s: impossible architecture: %s", path, pl_errmsg());
    const uint64_t want = pl_gnn_config_nparams(&h->cfg);
    if (h->nparams != want)
        return pl_err(PL_EPARSE, "checkpoint %s: header says %llu parameters, its architecture has %llu: corrupted",
                      path, (unsigned long long)h->nparams, (unsigned long long)want);
    const int has_adam = (h->flags & FLAG_ADAM) != 0;
    if (h->payload_bytes != 4 * h->nparams * (has_adam ? 3 : 1))
        return pl_err(PL_EPARSE, "checkpoint %s: payload of %llu bytes does not fit %llu parameters%s", path,
                      (unsigned long long)h->payload_bytes, (unsigned long long)h->nparams,
                      has_adam ? " with Adam moments" : "");
    const uint64_t have = file_size - PL_GNN_CKPT_HEADER_BYTES; /* parse_header saw a whole header */
    if (have != h->payload_bytes)
        return pl_err(PL_EPARSE, "checkpoint %s: %s: payload has %llu bytes, header says %llu", path,
                      have < h->payload_bytes ? "truncated" : "trailing bytes", (unsigned long long)have,
                      (unsigned long long)h->payload_bytes);
    return PL_OK;
}

/* Opens, parses and checks the header; on success *fpo is positioned at the payload. */
static pl_status read_header(const char *path, ckpt_header *h, FILE **fpo)
{
    unsigned char b[PL_GNN_CKPT_HEADER_BYTES];
    size_t n = 0;
    uint64_t size = 0;
    FILE *fp = NULL;
    PL_TRY(open_header(path, &fp, b, &n, &size));
    pl_status st = parse_header(path, b, n, h);
    if (st == PL_OK) st = check_sizes(path, h, size);
    if (st != PL_OK) {
        fclose(fp);
        return st;
    }
    *fpo = fp;
    return PL_OK;
}

pl_status pl_gnn_ckpt_peek(const char *path, pl_gnn_config *cfg, uint64_t *seed, uint64_t *step)
{
    ckpt_header h;
    FILE *fp = NULL;
    PL_TRY(read_header(path, &h, &fp));
    fclose(fp);
    if (cfg) *cfg = h.cfg;
    if (seed) *seed = h.seed;
    if (step) *step = h.step;
    return PL_OK;
}

/* Architecture of a checked header against the model and Adam state. */
static pl_status check_match(const char *path, const ckpt_header *h, const pl_gnn_model *m, const pl_gnn_adam *adam)
{
    pl_gnn_config fc = h->cfg, mc = m->cfg;
    for (int i = 0; i < 8; i++)
        if (*cfg_field(&fc, i) != *cfg_field(&mc, i))
            return pl_err(PL_EINVAL, "checkpoint %s: %s %d, this network %d", path, cfg_names[i],
                          (int)*cfg_field(&fc, i), (int)*cfg_field(&mc, i));
    if (fc.side != mc.side)
        return pl_err(PL_EINVAL, "checkpoint %s: side term %d, this network %d", path, (int)fc.side, (int)mc.side);
    if (h->nparams != m->nparams)
        return pl_err(PL_EINVAL, "checkpoint %s: %llu parameters, this network %zu", path,
                      (unsigned long long)h->nparams, m->nparams);
    const int has_adam = (h->flags & FLAG_ADAM) != 0;
    if (adam && !has_adam) return pl_err(PL_EINVAL, "checkpoint %s: holds no Adam moments (saved without them)", path);
    if (adam && adam->n != m->nparams)
        return pl_err(PL_EINVAL, "checkpoint %s: Adam state sized for %zu parameters, this network %zu", path, adam->n,
                      m->nparams);
    return PL_OK;
}

/* The payload (its size checked against the file already) and its checksum. */
static pl_status read_payload(const char *path, FILE *fp, const ckpt_header *h, unsigned char **out)
{
    unsigned char *b = malloc(h->payload_bytes ? (size_t)h->payload_bytes : 1);
    if (!b) return pl_err(PL_ENOMEM, "checkpoint %s: out of memory for %llu bytes", path,
                          (unsigned long long)h->payload_bytes);
    if (fread(b, 1, (size_t)h->payload_bytes, fp) != h->payload_bytes) {
        free(b);
        return pl_err(PL_EPARSE, "checkpoint %s: truncated: the payload ends early (changed while read?)", path);
    }
    const uint32_t crc = crc_of(b, (size_t)h->payload_bytes);
    if (crc != h->payload_crc) {
        free(b);
        return pl_err(PL_EPARSE, "checkpoint %s: payload checksum 0x%08x, header says 0x%08x: corrupted", path,
                      (unsigned)crc, (unsigned)h->payload_crc);
    }
    *out = b;
    return PL_OK;
}

pl_status pl_gnn_ckpt_read(const char *path, pl_gnn_model *m, pl_gnn_adam *adam, uint64_t *step)
{
    ckpt_header h;
    FILE *fp = NULL;
    unsigned char *p = NULL;
    PL_TRY(read_header(path, &h, &fp));
    pl_status st = check_match(path, &h, m, adam);
    if (st == PL_OK) st = read_payload(path, fp, &h, &p);
    fclose(fp);
    if (st != PL_OK) return st;
    decode_floats(m->params_mem, p, m->nparams);
    if (adam) {
        decode_floats(adam->m, p + 4 * m->nparams, m->nparams);
        decode_floats(adam->v, p + 8 * m->nparams, m->nparams);
        adam->t = h.adam_t;
    }
    m->seed = h.seed;
    if (step) *step = h.step;
    free(p);
    return PL_OK;
}
