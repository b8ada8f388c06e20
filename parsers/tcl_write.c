/* tcl_write.c: pl_tcl_write (see tcl_write.h). */
#include "parsers/tcl_write.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/tmpfile.h"

const char *pl_tcl_orient_name(pl_orient o)
{
    switch (o) {
    case PL_ORIENT_N: return "R0";
    case PL_ORIENT_S: return "R180";
    case PL_ORIENT_W: return "R90";
    case PL_ORIENT_E: return "R270";
    case PL_ORIENT_FN: return "MY";
    case PL_ORIENT_FS: return "MX";
    case PL_ORIENT_FW: return "MXR90";
    case PL_ORIENT_FE: return "MYR90";
    }
    return "R0";
}

/* 1 when the name can go between braces unchanged: no brace, no line break, no trailing backslash
 * (which would escape the closing brace). */
static int brace_safe(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || s[n - 1] == '\\') return 0;
    return strpbrk(s, "{}\n\r") == NULL;
}

static void put_name(FILE *f, const char *s)
{
    if (brace_safe(s)) {
        fprintf(f, "{%s}", s);
        return;
    }
    if (!*s) {
        fputs("{}", f);
        return;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) fprintf(f, "\\%03o", *p); /* exactly three octal digits */
        else if (strchr("\\[]{}$\";# ", *p)) fprintf(f, "\\%c", *p);
        else fputc(*p, f);
    }
}

/* um in microns as the exact decimal of its DEF database units: 2000 DBU/um gives 4 decimals. */
static void put_um(FILE *f, double um, double dbu)
{
    long long v = llround(um * dbu), d = llround(dbu), p10 = 1;
    int digits = 0, whole = d > 0 && fabs(dbu - (double)d) < 1e-9;
    while (whole && p10 % d != 0 && digits < 9) p10 *= 10, digits++;
    if (!whole || p10 % d != 0) { /* DBU per micron not dividing a power of ten (never in practice) */
        fprintf(f, "%.9g", (double)v / dbu);
        return;
    }
    long long scaled = v * (p10 / d), a = scaled < 0 ? -scaled : scaled;
    fprintf(f, "%s%lld", scaled < 0 ? "-" : "", a / p10);
    if (digits) fprintf(f, ".%0*lld", digits, a % p10);
}

/* The comment with control characters replaced, so it stays one comment line. */
static void put_comment(FILE *f, const char *c)
{
    fputs("# ", f);
    for (const unsigned char *p = (const unsigned char *)c; *p; p++) fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
    fputc('\n', f);
}

pl_status pl_tcl_write(const pl_netlist *nl, const char *path, const char *comment, int64_t *nmacros)
{
    if (nmacros) *nmacros = 0;
    if (!(nl->dbu_per_micron > 0)) return pl_err(PL_EINVAL, "%s: the design has no DEF UNITS", path);
    int64_t n = 0;
    for (int64_t i = 0; i < nl->nnodes; i++)
        n += nl->nodes[i].kind == PL_NODE_MACRO && nl->nodes[i].state != PL_PLACE_UNPLACED;
    char *tmp;
    FILE *f;
    PL_TRY(pl_tmpfile_open(path, &tmp, &f));
    if (comment) put_comment(f, comment);
    fprintf(f, "# %lld hard macros for OpenROAD (ORFS: MACRO_PLACEMENT_TCL): lower-left corner in microns,\n"
               "# OpenDB orientation; -exact: no snapping to the tracks; -allow_overlap: a macro may land\n"
               "# where another still is while the script runs (the placement as a whole has no overlap)\n",
            (long long)n);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *nd = &nl->nodes[i];
        if (nd->kind != PL_NODE_MACRO || nd->state == PL_PLACE_UNPLACED) continue;
        fputs("place_macro -macro_name ", f);
        put_name(f, nd->name);
        fputs(" -location {", f);
        put_um(f, nd->x, nl->dbu_per_micron);
        fputc(' ', f);
        put_um(f, nd->y, nl->dbu_per_micron);
        fprintf(f, "} -orientation %s -exact -allow_overlap\n", pl_tcl_orient_name(nd->orient));
    }
    pl_status s = ferror(f) ? pl_err(PL_EIO, "%s: write failed: %s", path, strerror(errno)) : PL_OK;
    s = pl_tmpfile_finish(s, f, tmp, path);
    if (s == PL_OK && nmacros) *nmacros = n;
    return s;
}
