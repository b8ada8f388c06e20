/* test_ckpt.c: checkpoint round trips (bit-exact parameters, Adam moments, seed, step), refusal of
 * corrupted, truncated, foreign and mismatched files with a message naming the problem, atomic writes. */
#include <dirent.h>
#include <zlib.h>

#include "gnn/ckpt.h"
#include "tests/testutil.h"

TestSuite(gnn_ckpt);

static pl_gnn_config cfg_small(void)
{
    pl_gnn_config c;
    pl_gnn_config_default(&c);
    c.hidden = 12, c.layers = 2;
    return c;
}

/* A model with seed `seed` and an Adam state with non-trivial moments. */
static void make(pl_gnn_model *m, pl_gnn_adam *a, const pl_gnn_config *c, uint64_t seed)
{
    cr_assert_eq(pl_gnn_model_init(m, c, seed), PL_OK, "%s", pl_errmsg());
    pl_gnn_adam_config ac;
    pl_gnn_adam_config_default(&ac);
    cr_assert_eq(pl_gnn_adam_init(a, &ac, m->nparams), PL_OK);
    for (size_t i = 0; i < m->nparams; i++) m->grads_mem[i] = (float)((double)(i % 17) - 8.0) * 1e-3f;
    for (int s = 0; s < 3; s++) cr_assert_eq(pl_gnn_adam_step(a, m->params_mem, m->grads_mem, NULL), PL_OK);
}

static long file_size(const char *p)
{
    FILE *f = fopen(p, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void patch_byte(const char *p, long off, unsigned char xor_with)
{
    FILE *f = fopen(p, "r+b");
    cr_assert_not_null(f);
    fseek(f, off, SEEK_SET);
    int c = fgetc(f);
    fseek(f, off, SEEK_SET);
    fputc(c ^ xor_with, f);
    fclose(f);
}

Test(gnn_ckpt, round_trip_is_bit_exact)
{
    const char *dir = pl_test_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/p.ckpt", dir);
    pl_gnn_config c = cfg_small();
    pl_gnn_model m, m2;
    pl_gnn_adam a, a2;
    make(&m, &a, &c, 17);
    cr_assert_eq(pl_gnn_ckpt_write(path, &m, &a, 1234), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(file_size(path), PL_GNN_CKPT_HEADER_BYTES + 12 * (long)m.nparams);
    make(&m2, &a2, &c, 99); /* different seed: every value differs before the load */
    uint64_t step = 0;
    cr_assert_eq(pl_gnn_ckpt_read(path, &m2, &a2, &step), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(memcmp(m.params_mem, m2.params_mem, m.nparams * sizeof(float)), 0);
    cr_assert_eq(memcmp(a.m, a2.m, m.nparams * sizeof(float)), 0);
    cr_assert_eq(memcmp(a.v, a2.v, m.nparams * sizeof(float)), 0);
    cr_assert_eq(a2.t, 3);
    cr_assert_eq(step, 1234);
    cr_assert_eq(m2.seed, 17);
    pl_gnn_config pc;
    uint64_t seed, pstep;
    cr_assert_eq(pl_gnn_ckpt_peek(path, &pc, &seed, &pstep), PL_OK);
    cr_assert_eq(memcmp(&pc, &c, sizeof c), 0);
    cr_assert_eq(seed, 17);
    cr_assert_eq(pstep, 1234);
    /* parameters only: the moments are not needed to load */
    pl_gnn_model m3;
    cr_assert_eq(pl_gnn_model_init(&m3, &c, 5), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_read(path, &m3, NULL, NULL), PL_OK);
    cr_assert_eq(memcmp(m.params_mem, m3.params_mem, m.nparams * sizeof(float)), 0);
    /* a file without moments refuses an Adam load */
    cr_assert_eq(pl_gnn_ckpt_write(path, &m, NULL, 7), PL_OK);
    cr_assert_eq(file_size(path), PL_GNN_CKPT_HEADER_BYTES + 4 * (long)m.nparams);
    cr_assert_eq(pl_gnn_ckpt_read(path, &m3, &a2, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "holds no Adam moments"), "%s", pl_errmsg());
    pl_gnn_model_free(&m), pl_gnn_model_free(&m2), pl_gnn_model_free(&m3);
    pl_gnn_adam_free(&a), pl_gnn_adam_free(&a2);
}

Test(gnn_ckpt, mismatched_architecture_is_named)
{
    const char *dir = pl_test_tmpdir();
    char path[256], want[512];
    snprintf(path, sizeof path, "%s/p.ckpt", dir);
    pl_gnn_config c = cfg_small(), big = c;
    big.hidden = 64;
    pl_gnn_model mb, ms;
    cr_assert_eq(pl_gnn_model_init(&mb, &big, 1), PL_OK);
    cr_assert_eq(pl_gnn_model_init(&ms, &c, 1), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_write(path, &mb, NULL, 0), PL_OK);
    const float keep = ms.params_mem[0];
    cr_assert_eq(pl_gnn_ckpt_read(path, &ms, NULL, NULL), PL_EINVAL);
    snprintf(want, sizeof want, "checkpoint %s: hidden size 64, this network 12", path);
    cr_assert_str_eq(pl_errmsg(), want);
    cr_assert_eq(ms.params_mem[0], keep, "a refused load leaves the model untouched");
    pl_gnn_config hd = c;
    hd.head = PL_GNN_HEAD_DECONV;
    pl_gnn_model mh;
    cr_assert_eq(pl_gnn_model_init(&mh, &hd, 1), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_write(path, &mh, NULL, 0), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_read(path, &ms, NULL, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "policy head (0 conv, 1 deconv) 1, this network 0"), "%s", pl_errmsg());
    /* the side term travels as flag bit 1: peeked, compared, and read back into a network that has it */
    pl_gnn_config sc = c;
    sc.side = 1;
    pl_gnn_model mside, mside2;
    cr_assert_eq(pl_gnn_model_init(&mside, &sc, 1), PL_OK);
    mside.params.side_w[0] = -1.5f;
    cr_assert_eq(pl_gnn_ckpt_write(path, &mside, NULL, 0), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_read(path, &ms, NULL, NULL), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), "side term 1, this network 0"), "%s", pl_errmsg());
    pl_gnn_config peek;
    cr_assert_eq(pl_gnn_ckpt_peek(path, &peek, NULL, NULL), PL_OK);
    cr_assert_eq(peek.side, 1);
    cr_assert_eq(pl_gnn_model_init(&mside2, &peek, 2), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_read(path, &mside2, NULL, NULL), PL_OK, "%s", pl_errmsg());
    cr_assert_eq(mside2.params.side_w[0], -1.5f);
    cr_assert_eq(mside2.nparams, ms.nparams + 1);
    pl_gnn_model_free(&mside), pl_gnn_model_free(&mside2);
    pl_gnn_model_free(&mb), pl_gnn_model_free(&ms), pl_gnn_model_free(&mh);
}

/* Writes a fresh checkpoint, damages it with f, and expects `code` and `msg` on read. */
static void expect_refused(void (*damage)(const char *path), pl_status code, const char *msg)
{
    const char *dir = pl_test_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/p.ckpt", dir);
    pl_gnn_config c = cfg_small();
    pl_gnn_model m;
    pl_gnn_adam a;
    make(&m, &a, &c, 3);
    cr_assert_eq(pl_gnn_ckpt_write(path, &m, &a, 5), PL_OK);
    damage(path);
    cr_assert_eq(pl_gnn_ckpt_read(path, &m, &a, NULL), code, "%s", pl_errmsg());
    cr_assert(strstr(pl_errmsg(), msg), "message '%s' lacks '%s'", pl_errmsg(), msg);
    cr_assert(strstr(pl_errmsg(), path), "message '%s' does not name the file", pl_errmsg());
    pl_gnn_model_free(&m);
    pl_gnn_adam_free(&a);
}

static void flip_payload(const char *p) { patch_byte(p, PL_GNN_CKPT_HEADER_BYTES + 1001, 0x10); }
static void flip_seed(const char *p) { patch_byte(p, 50, 0x01); }
static void flip_magic(const char *p) { patch_byte(p, 0, 0x20); }
static void bump_version(const char *p) { patch_byte(p, 8, 0x03); }
static void truncate_payload(const char *p) { cr_assert_eq(truncate(p, file_size(p) - 4), 0); }
static void truncate_header(const char *p) { cr_assert_eq(truncate(p, 40), 0); }
static void append_bytes(const char *p)
{
    FILE *f = fopen(p, "ab");
    fputs("junk", f);
    fclose(f);
}

Test(gnn_ckpt, corrupted_files_are_refused_clearly)
{
    expect_refused(flip_payload, PL_EPARSE, "payload checksum");
    expect_refused(flip_seed, PL_EPARSE, "header checksum");
    expect_refused(flip_magic, PL_EPARSE, "not a placer GNN checkpoint");
    expect_refused(bump_version, PL_EPARSE, "format version 2, this build reads version 1");
    expect_refused(truncate_payload, PL_EPARSE, "truncated");
    expect_refused(truncate_header, PL_EPARSE, "truncated");
    expect_refused(append_bytes, PL_EPARSE, "trailing bytes");
}

Test(gnn_ckpt, writes_are_atomic)
{
    const char *dir = pl_test_tmpdir();
    char path[256], bad[256];
    snprintf(path, sizeof path, "%s/p.ckpt", dir);
    snprintf(bad, sizeof bad, "%s/no/such/dir/p.ckpt", dir);
    pl_gnn_config c = cfg_small();
    pl_gnn_model m;
    cr_assert_eq(pl_gnn_model_init(&m, &c, 1), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_write(bad, &m, NULL, 0), PL_EIO);
    cr_assert(strstr(pl_errmsg(), bad), "%s", pl_errmsg());
    cr_assert_eq(pl_gnn_ckpt_write(path, &m, NULL, 1), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_write(path, &m, NULL, 2), PL_OK); /* replaces the first */
    uint64_t step;
    cr_assert_eq(pl_gnn_ckpt_peek(path, NULL, NULL, &step), PL_OK);
    cr_assert_eq(step, 2);
    DIR *d = opendir(dir);
    int files = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') {
            files++;
            cr_assert_str_eq(e->d_name, "p.ckpt", "left behind: %s", e->d_name);
        }
    closedir(d);
    cr_assert_eq(files, 1);
    cr_assert_eq(pl_gnn_ckpt_read("/nonexistent/x.ckpt", &m, NULL, NULL), PL_EIO);
    cr_assert(strstr(pl_errmsg(), "checkpoint /nonexistent/x.ckpt: cannot open"), "%s", pl_errmsg());
    pl_gnn_model_free(&m);
}

/* A header that is internally consistent (CRC, architecture in range, parameter count and payload size
 * of that architecture) on a file without the payload: peek and read refuse it from the file's size, so
 * that nothing is allocated for its 600 M parameters. An architecture out of range or a parameter count
 * that does not match it is refused as corrupted. */
static void craft(const char *path, const pl_gnn_config *c, uint64_t nparams)
{
    /* a real header, re-encoded with the crafted fields */
    pl_gnn_config small = cfg_small();
    pl_gnn_model m;
    cr_assert_eq(pl_gnn_model_init(&m, &small, 1), PL_OK);
    cr_assert_eq(pl_gnn_ckpt_write(path, &m, NULL, 0), PL_OK);
    pl_gnn_model_free(&m);
    FILE *f = fopen(path, "r+b");
    cr_assert_not_null(f);
    unsigned char b[PL_GNN_CKPT_HEADER_BYTES];
    cr_assert_eq(fread(b, 1, sizeof b, f), sizeof b);
    const int32_t cf[8] = {c->node_feats, c->meta_feats, c->hidden, c->layers, c->head, c->grid_embed,
                           c->conv_channels, c->conv_layers};
    for (int k = 0; k < 8; k++)
        for (int i = 0; i < 4; i++) b[16 + 4 * k + i] = (unsigned char)((uint32_t)cf[k] >> (8 * i));
    uint64_t payload = 4 * nparams;
    for (int i = 0; i < 8; i++) b[64 + i] = (unsigned char)(nparams >> (8 * i)), b[84 + i] = (unsigned char)(payload >> (8 * i));
    uLong crc = crc32(crc32(0L, Z_NULL, 0), b, 96);
    for (int i = 0; i < 4; i++) b[96 + i] = (unsigned char)(crc >> (8 * i));
    fclose(f);
    f = fopen(path, "wb"); /* the header alone: 100 bytes */
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(b, 1, sizeof b, f), sizeof b);
    fclose(f);
}

Test(gnn_ckpt, crafted_headers_are_refused_before_allocating)
{
    const char *dir = pl_test_tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/evil.ckpt", dir);
    pl_gnn_config big;
    pl_gnn_config_default(&big);
    big.hidden = 1024, big.layers = 64, big.grid_embed = 1024, big.conv_channels = 1024, big.conv_layers = 64;
    size_t np = pl_gnn_config_nparams(&big);
    cr_assert_gt(np, 500000000, "the crafted architecture has %zu parameters", np);
    craft(path, &big, np);
    pl_gnn_config got;
    cr_assert_eq(pl_gnn_ckpt_peek(path, &got, NULL, NULL), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), path) && strstr(pl_errmsg(), "truncated"), "%s", pl_errmsg());
    craft(path, &big, 1000000000); /* a count its architecture does not have */
    cr_assert_eq(pl_gnn_ckpt_peek(path, &got, NULL, NULL), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "its architecture has"), "%s", pl_errmsg());
    pl_gnn_config odd = big;
    odd.hidden = 1 << 30; /* out of pl_gnn_config_check's range */
    craft(path, &odd, np);
    cr_assert_eq(pl_gnn_ckpt_peek(path, &got, NULL, NULL), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "impossible architecture") && strstr(pl_errmsg(), "hidden"), "%s", pl_errmsg());
    pl_gnn_config c = cfg_small();
    pl_gnn_model m;
    cr_assert_eq(pl_gnn_model_init(&m, &c, 1), PL_OK);
    craft(path, &c, m.nparams); /* the right architecture, no payload */
    cr_assert_eq(pl_gnn_ckpt_read(path, &m, NULL, NULL), PL_EPARSE);
    cr_assert(strstr(pl_errmsg(), "truncated"), "%s", pl_errmsg());
    pl_gnn_model_free(&m);
}
