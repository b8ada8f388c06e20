/* textfile.c: see textfile.h. */
#include "parsers/textfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static pl_status read_raw(const char *path, unsigned char **out, size_t *outlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return pl_err(PL_EIO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 20, len = 0;
    unsigned char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(fp);
        return pl_err(PL_ENOMEM, "%s: out of memory", path);
    }
    for (;;) {
        if (len == cap) {
            cap *= 2;
            unsigned char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                fclose(fp);
                return pl_err(PL_ENOMEM, "%s: out of memory", path);
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0) break;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        return pl_err(PL_EIO, "%s: read error (is it a directory?)", path);
    }
    buf[len] = 0;
    *out = buf;
    *outlen = len;
    return PL_OK;
}

/* Inflates a gzip stream (members concatenated are read one after another). */
static pl_status gunzip(const char *path, const unsigned char *in, size_t inlen, char **out,
                        size_t *outlen)
{
    size_t cap = inlen * 8 + 1024, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf) return pl_err(PL_ENOMEM, "%s: out of memory", path);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 32) != Z_OK) {
        free(buf);
        return pl_err(PL_ENOMEM, "%s: cannot start zlib", path);
    }
    zs.next_in = (unsigned char *)in;
    zs.avail_in = (uInt)inlen;
    for (;;) {
        if (len == cap) {
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                inflateEnd(&zs);
                free(buf);
                return pl_err(PL_ENOMEM, "%s: out of memory", path);
            }
            buf = nb;
        }
        zs.next_out = (unsigned char *)buf + len;
        zs.avail_out = (uInt)(cap - len);
        int rc = inflate(&zs, Z_NO_FLUSH);
        len = cap - zs.avail_out;
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0) break;
            inflateReset(&zs); /* another gzip member follows */
            continue;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            inflateEnd(&zs);
            free(buf);
            return pl_err(PL_EPARSE, "%s: corrupt gzip data (%s)", path, zs.msg ? zs.msg : "?");
        }
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
            inflateEnd(&zs);
            free(buf);
            return pl_err(PL_EPARSE, "%s: truncated gzip data", path);
        }
    }
    inflateEnd(&zs);
    buf[len] = 0;
    *out = buf;
    *outlen = len;
    return PL_OK;
}

pl_status pl_textfile_read(pl_textfile *f, const char *path)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    unsigned char *raw = NULL;
    size_t rawlen = 0;
    PL_TRY(read_raw(path, &raw, &rawlen));
    if (rawlen >= 2 && raw[0] == 0x1f && raw[1] == 0x8b) {
        pl_status s = gunzip(path, raw, rawlen, &f->data, &f->len);
        free(raw);
        f->gzipped = 1;
        return s;
    }
    f->data = (char *)raw;
    f->len = rawlen;
    return PL_OK;
}

pl_status pl_textfile_read_text(pl_textfile *f, const char *path, const char *what)
{
    PL_TRY(pl_textfile_read(f, path));
    int64_t nul = pl_textfile_find_nul(f);
    if (nul < 0) return PL_OK;
    int line = pl_textfile_line_of(f, (size_t)nul);
    pl_textfile_free(f);
    return pl_err(PL_EPARSE, "%s:%d: binary data (a NUL byte): not a %s file", path, line, what);
}

void pl_textfile_free(pl_textfile *f)
{
    if (!f) return;
    free(f->data);
    f->data = NULL;
    f->len = 0;
}

int64_t pl_textfile_find_nul(const pl_textfile *f)
{
    const char *p = memchr(f->data, 0, f->len);
    return p ? (int64_t)(p - f->data) : -1;
}

int pl_textfile_line_of(const pl_textfile *f, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off && i < f->len; i++) line += f->data[i] == '\n';
    return line;
}

uint32_t pl_textfile_crc(const pl_textfile *f)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    size_t off = 0;
    while (off < f->len) {
        size_t n = f->len - off > (1u << 30) ? (1u << 30) : f->len - off;
        crc = crc32(crc, (const Bytef *)f->data + off, (uInt)n);
        off += n;
    }
    return (uint32_t)crc;
}
