/* textfile.h: whole-file input, gzip-compressed or plain, decided by the file's magic bytes.
 *
 * Contract: pl_textfile_read() fills a caller-owned pl_textfile with the decompressed bytes plus
 * a terminating NUL (data[len] == 0) so parsers can scan without bounds checks. Errors
 * (missing, unreadable, corrupt gzip) name the path. pl_textfile_free() is NULL-safe and
 * idempotent. Binary detection is the parser's job (pl_textfile_find_nul()).
 */
#ifndef PL_TEXTFILE_H
#define PL_TEXTFILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

typedef struct pl_textfile {
    char *data;   /* len bytes + NUL */
    size_t len;
    const char *path; /* borrowed from the caller */
    int gzipped;
} pl_textfile;

pl_status pl_textfile_read(pl_textfile *f, const char *path);
/* pl_textfile_read() plus a check that the data is text: a NUL byte gives PL_EPARSE
 * "path:line: binary data (a NUL byte): not a WHAT file" and nothing to free. */
pl_status pl_textfile_read_text(pl_textfile *f, const char *path, const char *what);
void pl_textfile_free(pl_textfile *f);
/* Offset of the first NUL byte inside the text, or -1 if there is none. */
int64_t pl_textfile_find_nul(const pl_textfile *f);
/* 1-based line number of byte offset `off`. */
int pl_textfile_line_of(const pl_textfile *f, size_t off);
/* CRC-32 (zlib's) of the text. */
uint32_t pl_textfile_crc(const pl_textfile *f);

#endif
