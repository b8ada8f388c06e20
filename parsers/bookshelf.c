/* bookshelf.c: the GSRC Bookshelf reader (see bookshelf.h); the .pl writer is bookshelf_write.c. Each file
 * is read whole (parsers/textfile.h) and cut into lines of tokens: blanks are spaces, tabs and '\r'; ':' is
 * always a token of its own; '#' at a token's start comments out the rest of the line; lines without tokens
 * are skipped. One function per file; each leaves its facts on the nodes and in per-node flags, and the
 * node kinds and states are decided at the end (classify). */
#include "parsers/bookshelf.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/log.h"
#include "parsers/textfile.h"

enum { BK_MAXTOK = 32 };
#define BK_COORD_MAX 1e12 /* largest size, coordinate or pin offset accepted */

/* One input file and its current line's tokens (tok[i] for i < min(ntok, BK_MAXTOK)). */
typedef struct bk_file {
    pl_textfile f;
    const char *path;
    const char *p; /* start of the next line */
    int line;      /* 1-based number of the current line */
    int ntok;      /* tokens on the line, all counted */
    const char *tok[BK_MAXTOK];
    size_t len[BK_MAXTOK];
} bk_file;

/* The files of a design, by kind. */
enum { BK_NODES = 0, BK_NETS, BK_WTS, BK_PL, BK_SCL, BK_NKINDS };
static const char *const bk_ext[BK_NKINDS] = {".nodes", ".nets", ".wts", ".pl", ".scl"};

/* Per-node facts gathered while reading. */
enum { BK_TERM = 1, BK_TERM_NI = 2, BK_LISTED_PL = 4, BK_FIXED = 8, BK_FIXED_NI = 16, BK_LISTED = 32 };

typedef struct bk_ctx {
    pl_netlist *nl;
    pl_bookshelf_options opt;
    char *path[BK_NKINDS]; /* NULL: not named by the .aux */
    uint8_t *flags;        /* (nnodes) BK_* bits */
    int64_t flags_cap;
    int64_t *place_off;    /* (nnodes) see pl_place_source */
    int32_t *place_len;
    double row_h;          /* the smallest row height */
} bk_ctx;

static pl_status oom(void) { return pl_err(PL_ENOMEM, "out of memory reading a Bookshelf design"); }

/* ---- lines and tokens ---- */

static int is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f'; }

static pl_status bk_open(bk_file *b, const char *path, const char *what)
{
    memset(b, 0, sizeof *b);
    b->path = path;
    PL_TRY(pl_textfile_read_text(&b->f, path, what));
    b->p = b->f.data;
    return PL_OK;
}

static void bk_close(bk_file *b) { pl_textfile_free(&b->f); }

/* Cuts the next line with tokens into tokens; 0 at the end of the file. */
static int next_line(bk_file *b)
{
    const char *end = b->f.data + b->f.len;
    while (b->p < end) {
        const char *s = b->p, *e = memchr(s, '\n', (size_t)(end - s));
        if (!e) e = end;
        b->p = e < end ? e + 1 : end;
        b->line++;
        b->ntok = 0;
        for (const char *q = s; q < e;) {
            if (is_blank(*q)) {
                q++;
                continue;
            }
            if (*q == '#') break;
            const char *t = q++;
            if (*t != ':')
                while (q < e && !is_blank(*q) && *q != ':') q++;
            if (b->ntok < BK_MAXTOK) b->tok[b->ntok] = t, b->len[b->ntok] = (size_t)(q - t);
            b->ntok++;
        }
        if (b->ntok) return 1;
    }
    b->ntok = 0;
    return 0;
}

/* Records "path:line: message" (the last line read, at least 1) and returns PL_EPARSE. */
static pl_status __attribute__((format(printf, 2, 3))) bk_error(const bk_file *b, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pl_err(PL_EPARSE, "%s:%d: %s", b->path, b->line > 0 ? b->line : 1, msg);
}

/* Token i as a printable name for messages ("" past the line's end). */
static const char *tok_name(const bk_file *b, int i)
{
    return i < b->ntok && i < BK_MAXTOK ? pl_err_name(b->tok[i], b->len[i]) : "";
}

static int tok_is(const bk_file *b, int i, const char *w)
{
    return i < b->ntok && i < BK_MAXTOK && b->len[i] == strlen(w) && memcmp(b->tok[i], w, b->len[i]) == 0;
}

/* Case-insensitive: Bookshelf writers differ in the case of keywords (NumRows, Numrows). */
static int tok_is_ci(const bk_file *b, int i, const char *w)
{
    return i < b->ntok && i < BK_MAXTOK && b->len[i] == strlen(w) && strncasecmp(b->tok[i], w, b->len[i]) == 0;
}

/* Token i as a finite number of magnitude at most BK_COORD_MAX; 0 if it is not one. A token ends at a blank,
 * ':' or the line's end, none of which strtod reads on. */
static int tok_num(const bk_file *b, int i, double *v)
{
    if (i >= b->ntok || i >= BK_MAXTOK) return 0;
    char *end;
    double x = strtod(b->tok[i], &end);
    if (end != b->tok[i] + b->len[i] || !(fabs(x) <= BK_COORD_MAX)) return 0;
    *v = x;
    return 1;
}

/* Token i as an integer in [0, max]; 0 if it is not one. */
static int tok_count(const bk_file *b, int i, int64_t max, int64_t *v)
{
    if (i >= b->ntok || i >= BK_MAXTOK || b->tok[i][0] == '-' || b->tok[i][0] == '+') return 0;
    char *end;
    errno = 0;
    long long x = strtoll(b->tok[i], &end, 10);
    if (end != b->tok[i] + b->len[i] || errno || x > max) return 0;
    *v = x;
    return 1;
}

/* The first line must be "UCLA <kind> <version>". */
static pl_status read_header(bk_file *b, const char *kind)
{
    if (!next_line(b) || !tok_is(b, 0, "UCLA") || !tok_is_ci(b, 1, kind))
        return bk_error(b, "missing header 'UCLA %s 1.0' (not a Bookshelf .%s file?)", kind, kind);
    return PL_OK;
}

/* A "Key : n" line; stores n and the line. 0 if the line is not one for `key`. */
static int is_count_line(const bk_file *b, const char *key)
{
    return tok_is_ci(b, 0, key) && tok_is(b, 1, ":");
}

static pl_status read_count(const bk_file *b, const char *key, int64_t *v, int *line)
{
    if (*line) return bk_error(b, "a second '%s' line (the first is line %d)", key, *line);
    if (b->ntok != 3 || !tok_count(b, 2, INT32_MAX, v))
        return bk_error(b, "expected '%s : N' with N a count, found '%s'", key, tok_name(b, 2));
    *line = b->line;
    return PL_OK;
}

/* A declared count against the lines counted; `what` names them. */
static pl_status check_count(const bk_file *b, const char *key, int64_t declared, int line, int64_t seen,
                             const char *what)
{
    if (!line) return pl_err(PL_EPARSE, "%s:1: no '%s : N' line", b->path, key);
    if (declared != seen)
        return pl_err(PL_EPARSE, "%s:%d: %s says %lld but the file has %lld %s%s", b->path, line, key,
                      (long long)declared, (long long)seen, what, seen < declared ? " (truncated file?)" : "");
    return PL_OK;
}

static int32_t node_of(const bk_ctx *c, const bk_file *b, int i)
{
    return pl_strmap_get(&c->nl->node_by_name, b->tok[i], b->len[i]);
}

/* ---- .aux ---- */

static int ends_with_ci(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && strncasecmp(s + n - k, suf, k) == 0;
}

/* "dir-of-aux/name" (name as is when absolute); malloc'd, NULL when out of memory. */
static char *beside(const char *aux, const char *name, size_t len)
{
    const char *slash = strrchr(aux, '/');
    size_t dlen = name[0] == '/' || !slash ? 0 : (size_t)(slash - aux) + 1;
    char *p = malloc(dlen + len + 1);
    if (!p) return NULL;
    memcpy(p, aux, dlen);
    memcpy(p + dlen, name, len);
    p[dlen + len] = 0;
    return p;
}

static void free_paths(char **paths, int n)
{
    for (int i = 0; i < n; i++) free(paths[i]);
    free(paths);
}

/* Every file the .aux names ("Keyword : file file ..." lines), as paths beside it, with their lines. */
static pl_status aux_files(const char *aux, char ***paths, int **lines, int *n)
{
    *paths = NULL, *lines = NULL, *n = 0;
    bk_file b;
    PL_TRY(bk_open(&b, aux, ".aux"));
    int64_t cap = 0, lcap = 0;
    pl_status s = PL_OK;
    while (s == PL_OK && next_line(&b)) {
        if (!tok_is(&b, 1, ":"))
            s = bk_error(&b, "expected 'RowBasedPlacement : NAME.nodes NAME.nets ...', found '%s'", tok_name(&b, 0));
        else if (b.ntok > BK_MAXTOK)
            s = bk_error(&b, "more than %d files on one line", BK_MAXTOK - 2);
        for (int i = 2; i < b.ntok && s == PL_OK; i++) {
            if (PL_GROW(*paths, cap, *n + 1) != PL_OK || PL_GROW(*lines, lcap, *n + 1) != PL_OK ||
                !((*paths)[*n] = beside(aux, b.tok[i], b.len[i]))) {
                s = oom();
                break;
            }
            (*lines)[(*n)++] = b.line;
        }
    }
    if (s == PL_OK && *n == 0)
        s = bk_error(&b, "the .aux names no files (expected 'RowBasedPlacement : NAME.nodes NAME.nets NAME.wts "
                         "NAME.pl NAME.scl')");
    bk_close(&b);
    if (s != PL_OK) {
        free_paths(*paths, *n);
        free(*lines);
        *paths = NULL, *lines = NULL, *n = 0;
    }
    return s;
}

/* Sorts the .aux's files by kind into c->path; every kind but .wts must be there and exist. */
static pl_status read_aux(bk_ctx *c, const char *aux)
{
    char **paths;
    int *lines, n;
    PL_TRY(aux_files(aux, &paths, &lines, &n));
    pl_status s = PL_OK;
    int skipped = 0, line_of[BK_NKINDS] = {0};
    for (int i = 0; i < n && s == PL_OK; i++) {
        size_t len = strlen(paths[i]);
        const char *base = strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1 : paths[i];
        int k = 0;
        while (k < BK_NKINDS && !ends_with_ci(paths[i], len, bk_ext[k])) k++;
        struct stat st;
        int missing = stat(paths[i], &st) != 0 ? errno : !S_ISREG(st.st_mode) ? EISDIR : 0;
        if (k == BK_NKINDS) {
            if (ends_with_ci(paths[i], len, ".shapes") || ends_with_ci(paths[i], len, ".route")) skipped++;
            else
                pl_warn("parse", "%s:%d: '%s' is not a Bookshelf file this reader knows; skipped", aux, lines[i],
                        pl_err_name(base, strlen(base)));
        } else if (c->path[k]) {
            s = pl_err(PL_EPARSE, "%s:%d: a second %s file '%s' (the first is on line %d)", aux, lines[i],
                       bk_ext[k], pl_err_name(base, strlen(base)), line_of[k]);
        } else if (missing) {
            s = pl_err(PL_EPARSE, "%s:%d: cannot open '%s' (%s): %s", aux, lines[i], pl_err_name(base, strlen(base)),
                       pl_err_name(paths[i], len), missing == EISDIR ? "not a file" : strerror(missing));
        } else {
            c->path[k] = paths[i];
            paths[i] = NULL;
            line_of[k] = lines[i];
        }
    }
    for (int k = 0; k < BK_NKINDS && s == PL_OK; k++)
        if (!c->path[k] && k != BK_WTS)
            s = pl_err(PL_EPARSE, "%s:%d: the .aux names no %s file", aux, lines[n - 1], bk_ext[k]);
    if (s == PL_OK && skipped) pl_info("parse", "%s: %d file(s) skipped (.shapes, .route)", aux, skipped);
    free_paths(paths, n);
    free(lines);
    return s;
}

/* ---- .nodes ---- */

static pl_status read_node(bk_ctx *c, bk_file *b, int64_t *terminals)
{
    pl_netlist *nl = c->nl;
    uint8_t fl = 0;
    if (b->ntok == 4 && tok_is_ci(b, 3, "terminal")) fl = BK_TERM;
    else if (b->ntok == 4 && tok_is_ci(b, 3, "terminal_NI")) fl = BK_TERM_NI;
    else if (b->ntok == 4)
        return bk_error(b, "unknown node type '%s' of node '%s' (expected terminal or terminal_NI)", tok_name(b, 3),
                        tok_name(b, 0));
    else if (b->ntok != 3)
        return bk_error(b, "expected 'name width height [terminal|terminal_NI]', found %d fields", b->ntok);
    double w, h;
    if (!tok_num(b, 1, &w) || !tok_num(b, 2, &h) || w < 0 || h < 0)
        return bk_error(b, "bad size '%s x %s' of node '%s' (two numbers >= 0)", tok_name(b, 1), tok_name(b, 2),
                        tok_name(b, 0));
    int32_t i;
    pl_status s = pl_netlist_add_node(nl, b->tok[0], b->len[0], PL_NODE_STDCELL, &i);
    if (s == PL_EINVAL) return bk_error(b, "duplicate node '%s'", tok_name(b, 0));
    PL_TRY(s);
    nl->nodes[i].w = w;
    nl->nodes[i].h = h;
    if (PL_GROW(c->flags, c->flags_cap, i + 1) != PL_OK) return oom();
    c->flags[i] = fl;
    *terminals += fl != 0;
    return PL_OK;
}

static pl_status read_nodes(bk_ctx *c, bk_file *b)
{
    PL_TRY(read_header(b, "nodes"));
    int64_t num_nodes = 0, num_terms = 0, terms = 0;
    int nodes_line = 0, terms_line = 0;
    while (next_line(b)) {
        if (is_count_line(b, "NumNodes")) PL_TRY(read_count(b, "NumNodes", &num_nodes, &nodes_line));
        else if (is_count_line(b, "NumTerminals")) PL_TRY(read_count(b, "NumTerminals", &num_terms, &terms_line));
        else PL_TRY(read_node(c, b, &terms));
    }
    PL_TRY(check_count(b, "NumNodes", num_nodes, nodes_line, c->nl->nnodes, "nodes"));
    return check_count(b, "NumTerminals", num_terms, terms_line, terms, "terminals");
}

/* ---- .nets ---- */

typedef struct bk_net {
    int32_t net;      /* current net, -1 before the first NetDegree */
    int64_t left;     /* its pins still to come */
    int64_t degree;
    int line;         /* its NetDegree line */
} bk_net;

static pl_status net_done(const bk_file *b, const pl_netlist *nl, const bk_net *cur, const char *where)
{
    if (cur->net < 0 || cur->left == 0) return PL_OK;
    return bk_error(b, "%s in net '%s' (NetDegree %lld on line %d): %lld pin(s) missing%s", where,
                    nl->nets[cur->net].name, (long long)cur->degree, cur->line, (long long)cur->left,
                    b->ntok ? "" : " (truncated file?)");
}

/* "NetDegree : k [name]": a new net, named "net<index>" when the line gives no name (IBM-MS). */
static pl_status read_netdegree(bk_ctx *c, bk_file *b, bk_net *cur)
{
    pl_netlist *nl = c->nl;
    PL_TRY(net_done(b, nl, cur, "a new NetDegree line"));
    if (!tok_is(b, 1, ":") || !tok_count(b, 2, INT32_MAX, &cur->degree) || b->ntok > 4)
        return bk_error(b, "expected 'NetDegree : k [name]' with k a count, found '%s'", tok_name(b, 2));
    char auto_name[32];
    const char *name = auto_name;
    size_t len = (size_t)snprintf(auto_name, sizeof auto_name, "net%lld", (long long)nl->nnets);
    if (b->ntok == 4) name = b->tok[3], len = b->len[3];
    PL_TRY(pl_netlist_append_net(nl, name, len, &cur->net));
    cur->left = cur->degree;
    cur->line = b->line;
    return PL_OK;
}

static int pin_dir(const bk_file *b, int i, pl_pin_dir *d)
{
    if (tok_is_ci(b, i, "I")) *d = PL_DIR_INPUT;
    else if (tok_is_ci(b, i, "O")) *d = PL_DIR_OUTPUT;
    else if (tok_is_ci(b, i, "B")) *d = PL_DIR_INOUT;
    else return 0;
    return 1;
}

/* "node [I|O|B] [: dx dy]": a pin of the current net, dx dy from the node's centre. */
static pl_status read_pin(bk_ctx *c, bk_file *b, bk_net *cur, int64_t *npins)
{
    pl_netlist *nl = c->nl;
    if (cur->net < 0) return bk_error(b, "a pin line '%s' before any NetDegree line", tok_name(b, 0));
    if (cur->left == 0)
        return bk_error(b, "a pin line '%s' outside a net (net '%s' on line %d has its %lld pins)", tok_name(b, 0),
                        nl->nets[cur->net].name, cur->line, (long long)cur->degree);
    int32_t node = node_of(c, b, 0);
    if (node < 0)
        return bk_error(b, "net '%s' names node '%s', which the .nodes file does not define", nl->nets[cur->net].name,
                        tok_name(b, 0));
    pl_pin_dir dir = PL_DIR_UNKNOWN;
    int k = 1 + (b->ntok > 1 && !tok_is(b, 1, ":"));
    if (k == 2 && !pin_dir(b, 1, &dir))
        return bk_error(b, "bad pin direction '%s' (expected I, O or B)", tok_name(b, 1));
    double ox = 0, oy = 0;
    if (b->ntok > k && !(b->ntok == k + 3 && tok_is(b, k, ":") && tok_num(b, k + 1, &ox) && tok_num(b, k + 2, &oy)))
        return bk_error(b, "expected 'node [I|O|B] [: dx dy]' with numbers dx dy, found '%s'", tok_name(b, k));
    int32_t pin;
    PL_TRY(pl_netlist_add_pin(nl, node, cur->net, &pin));
    pl_pin *p = &nl->pins[pin];
    p->dir = dir;
    p->dx = 0.5 * nl->nodes[node].w + ox;
    p->dy = 0.5 * nl->nodes[node].h + oy;
    cur->left--;
    (*npins)++;
    return PL_OK;
}

static pl_status read_nets(bk_ctx *c, bk_file *b)
{
    PL_TRY(read_header(b, "nets"));
    int64_t num_nets = 0, num_pins = 0, npins = 0;
    int nets_line = 0, pins_line = 0;
    bk_net cur = {.net = -1};
    while (next_line(b)) {
        if (is_count_line(b, "NumNets")) PL_TRY(read_count(b, "NumNets", &num_nets, &nets_line));
        else if (is_count_line(b, "NumPins")) PL_TRY(read_count(b, "NumPins", &num_pins, &pins_line));
        else if (tok_is_ci(b, 0, "NetDegree")) PL_TRY(read_netdegree(c, b, &cur));
        else PL_TRY(read_pin(c, b, &cur, &npins));
    }
    PL_TRY(net_done(b, c->nl, &cur, "unexpected end of file"));
    PL_TRY(check_count(b, "NumNets", num_nets, nets_line, c->nl->nnets, "nets"));
    return check_count(b, "NumPins", num_pins, pins_line, npins, "pins");
}

/* ---- .wts ---- */

/* "name weight" lines: a net's weight is kept; node weights are counted and skipped. */
static pl_status read_wts(bk_ctx *c, bk_file *b)
{
    pl_netlist *nl = c->nl;
    PL_TRY(read_header(b, "wts"));
    int64_t nodes = 0, unknown = 0;
    int first_unknown = 0;
    while (next_line(b)) {
        double w;
        if (b->ntok != 2 || !tok_num(b, 1, &w) || w < 0)
            return bk_error(b, "expected 'name weight' with a weight >= 0, found '%s'", tok_name(b, b->ntok > 1));
        int32_t net = pl_strmap_get(&nl->net_by_name, b->tok[0], b->len[0]);
        if (net >= 0) nl->nets[net].weight = w;
        else if (node_of(c, b, 0) >= 0) nodes++;
        else if (unknown++ == 0) first_unknown = b->line;
    }
    if (nodes) pl_info("parse", "%s: %lld node weights skipped (only net weights are used)", b->path, (long long)nodes);
    if (unknown)
        pl_warn("parse", "%s:%d: %lld weights name neither a net nor a node; ignored", b->path, first_unknown,
                (long long)unknown);
    return PL_OK;
}

/* ---- .scl ---- */

/* The site of width w and height h: "bookshelf_site", then "bookshelf_site1", ... for other sizes. */
static pl_status row_site(pl_netlist *nl, double w, double h, const char **name)
{
    for (int64_t i = 0; i < nl->nsites; i++) {
        if (nl->sites[i].w == w && nl->sites[i].h == h) {
            *name = nl->sites[i].name;
            return PL_OK;
        }
    }
    char buf[40];
    size_t len = nl->nsites ? (size_t)snprintf(buf, sizeof buf, "bookshelf_site%lld", (long long)nl->nsites)
                            : (size_t)snprintf(buf, sizeof buf, "bookshelf_site");
    PL_TRY(PL_GROW(nl->sites, nl->sites_cap, nl->nsites + 1));
    const char *nm = pl_netlist_str(nl, buf, len), *cls = pl_netlist_str(nl, "CORE", 4);
    if (!nm || !cls || pl_strmap_put(&nl->site_by_name, nm, len, (int32_t)nl->nsites, NULL) != PL_OK) return oom();
    nl->sites[nl->nsites++] = (pl_site){.name = nm, .cls = cls, .w = w, .h = h};
    *name = nm;
    return PL_OK;
}

typedef struct bk_corerow {
    double y, h, sw, sp;
    int have_y, have_h, have_sw, have_sp;
    pl_orient orient;
    int64_t first; /* its first subrow in nl->rows */
} bk_corerow;

static pl_status row_orient(const bk_file *b, int i, pl_orient *o)
{
    int v = i < b->ntok && i < BK_MAXTOK ? pl_orient_parse(b->tok[i], b->len[i]) : -1;
    if (tok_is(b, i, "0")) v = PL_ORIENT_N;
    else if (tok_is(b, i, "1")) v = PL_ORIENT_FS;
    if (v < 0) return bk_error(b, "bad Siteorient '%s' (expected N, FS, ... or 0/1)", tok_name(b, i));
    *o = (pl_orient)v;
    return PL_OK;
}

/* "SubrowOrigin : x Numsites : n": one pl_row, finished at the CoreRow's End. */
static pl_status read_subrow(bk_ctx *c, bk_file *b, int i)
{
    pl_netlist *nl = c->nl;
    double x;
    int64_t n;
    if (!tok_num(b, i + 2, &x) || !tok_is_ci(b, i + 3, "Numsites") || !tok_is(b, i + 4, ":") ||
        !tok_count(b, i + 5, INT32_MAX, &n))
        return bk_error(b, "expected 'SubrowOrigin : x Numsites : n', found '%s'", tok_name(b, i + 2));
    PL_TRY(PL_GROW(nl->rows, nl->rows_cap, nl->nrows + 1));
    char name[32];
    size_t len = (size_t)snprintf(name, sizeof name, "row%lld", (long long)nl->nrows);
    const char *nm = pl_netlist_str(nl, name, len);
    if (!nm) return oom();
    nl->rows[nl->nrows++] = (pl_row){.name = nm, .x = x, .nx = (int32_t)n, .ny = 1};
    return PL_OK;
}

/* One "Key : value" pair of a CoreRow at token i; returns the tokens it used through *used. */
static pl_status read_row_field(bk_ctx *c, bk_file *b, bk_corerow *r, int i, int *used)
{
    if (!tok_is(b, i + 1, ":")) return bk_error(b, "expected 'Key : value' in a CoreRow, found '%s'", tok_name(b, i));
    *used = 3;
    if (tok_is_ci(b, i, "SubrowOrigin")) {
        *used = 6;
        return read_subrow(c, b, i);
    }
    if (tok_is_ci(b, i, "Siteorient")) return row_orient(b, i + 2, &r->orient);
    if (tok_is_ci(b, i, "Sitesymmetry")) return PL_OK;
    double *v = NULL;
    int *have = NULL;
    if (tok_is_ci(b, i, "Coordinate")) v = &r->y, have = &r->have_y;
    else if (tok_is_ci(b, i, "Height")) v = &r->h, have = &r->have_h;
    else if (tok_is_ci(b, i, "Sitewidth")) v = &r->sw, have = &r->have_sw;
    else if (tok_is_ci(b, i, "Sitespacing")) v = &r->sp, have = &r->have_sp;
    else return bk_error(b, "unknown CoreRow field '%s'", tok_name(b, i));
    if (!tok_num(b, i + 2, v) || (have != &r->have_y && *v <= 0))
        return bk_error(b, "bad %s '%s'", tok_name(b, i), tok_name(b, i + 2));
    *have = 1;
    return PL_OK;
}

/* Finishes a CoreRow's subrows: their y, site, step and orientation. */
static pl_status end_corerow(bk_ctx *c, const bk_file *b, bk_corerow *r, int open)
{
    pl_netlist *nl = c->nl;
    if (!r->have_y || !r->have_h)
        return bk_error(b, "the CoreRow opened on line %d has no %s", open, r->have_y ? "Height" : "Coordinate");
    if (nl->nrows == r->first) return bk_error(b, "the CoreRow opened on line %d has no SubrowOrigin", open);
    double sw = r->have_sw ? r->sw : r->have_sp ? r->sp : 1, sp = r->have_sp ? r->sp : sw;
    const char *site = NULL;
    PL_TRY(row_site(nl, sw, r->h, &site));
    for (int64_t i = r->first; i < nl->nrows; i++) {
        nl->rows[i].y = r->y;
        nl->rows[i].site = site;
        nl->rows[i].sx = sp;
        nl->rows[i].orient = r->orient;
    }
    if (c->row_h == 0 || r->h < c->row_h) c->row_h = r->h;
    return PL_OK;
}

/* "CoreRow Horizontal" ... "End". */
static pl_status read_corerow(bk_ctx *c, bk_file *b)
{
    int open = b->line;
    if (b->ntok != 2 || !tok_is_ci(b, 1, "Horizontal"))
        return bk_error(b, "expected 'CoreRow Horizontal' (other rows are not supported), found '%s'", tok_name(b, 1));
    bk_corerow r = {.first = c->nl->nrows};
    while (next_line(b)) {
        if (tok_is_ci(b, 0, "End")) return end_corerow(c, b, &r, open);
        for (int i = 0, used = 0; i < b->ntok; i += used) PL_TRY(read_row_field(c, b, &r, i, &used));
    }
    return bk_error(b, "unexpected end of file in the CoreRow opened on line %d (missing 'End'; truncated file?)", open);
}

static pl_status read_scl(bk_ctx *c, bk_file *b)
{
    PL_TRY(read_header(b, "scl"));
    int64_t num_rows = 0, corerows = 0;
    int rows_line = 0;
    while (next_line(b)) {
        if (is_count_line(b, "NumRows")) PL_TRY(read_count(b, "NumRows", &num_rows, &rows_line));
        else if (tok_is_ci(b, 0, "CoreRow")) {
            PL_TRY(read_corerow(c, b));
            corerows++;
        } else
            return bk_error(b, "expected 'CoreRow' or 'NumRows : N', found '%s'", tok_name(b, 0));
    }
    PL_TRY(check_count(b, "NumRows", num_rows, rows_line, corerows, "CoreRows"));
    if (corerows == 0) return bk_error(b, "no CoreRow (the row height decides which nodes are macros)");
    return PL_OK;
}

/* ---- .pl ---- */

typedef struct bk_place {
    double x, y;
    pl_orient orient;
    int fixed;       /* 0, BK_FIXED or BK_FIXED_NI */
    int64_t off;     /* the clause after the name: from x to the line's last token */
    int32_t len;
} bk_place;

/* "name x y [: ORIENT] [/FIXED|/FIXED_NI]". */
static pl_status parse_place(const bk_file *b, bk_place *p)
{
    int n = b->ntok, i = 3;
    if (n < 3 || n > 6 || !tok_num(b, 1, &p->x) || !tok_num(b, 2, &p->y))
        return bk_error(b, "expected 'name x y : ORIENT [/FIXED]' with numbers x y, found '%s %s'", tok_name(b, 1),
                        tok_name(b, 2));
    p->orient = PL_ORIENT_N;
    p->fixed = 0;
    if (tok_is(b, i, ":")) {
        int o = i + 1 < n ? pl_orient_parse(b->tok[i + 1], b->len[i + 1]) : -1;
        if (o < 0) return bk_error(b, "bad orientation '%s' (expected N S E W FN FS FE FW)", tok_name(b, i + 1));
        p->orient = (pl_orient)o;
        i += 2;
    }
    if (tok_is_ci(b, i, "/FIXED")) p->fixed = BK_FIXED, i++;
    else if (tok_is_ci(b, i, "/FIXED_NI")) p->fixed = BK_FIXED_NI, i++;
    if (i < n) return bk_error(b, "unexpected '%s' after the position of node '%s'", tok_name(b, i), tok_name(b, 0));
    p->off = (int64_t)(b->tok[1] - b->f.data);
    p->len = (int32_t)(b->tok[n - 1] + b->len[n - 1] - b->tok[1]);
    return PL_OK;
}

static pl_status read_pl(bk_ctx *c, bk_file *b)
{
    pl_netlist *nl = c->nl;
    PL_TRY(read_header(b, "pl"));
    while (next_line(b)) {
        int32_t i = node_of(c, b, 0);
        if (i < 0) return bk_error(b, "node '%s' is not in the .nodes file", tok_name(b, 0));
        if (c->flags[i] & BK_LISTED_PL) return bk_error(b, "node '%s' is placed twice", tok_name(b, 0));
        bk_place p;
        PL_TRY(parse_place(b, &p));
        pl_node *n = &nl->nodes[i];
        n->x = p.x, n->y = p.y, n->orient = p.orient;
        c->flags[i] |= (uint8_t)(BK_LISTED_PL | p.fixed);
        c->place_off[i] = p.off;
        c->place_len[i] = p.len;
    }
    return PL_OK;
}

/* ---- the macro list, the node kinds, the die ---- */

static pl_status read_list(bk_ctx *c, bk_file *b)
{
    while (next_line(b)) {
        if (b->ntok != 1) return bk_error(b, "expected one node name per line, found %d fields", b->ntok);
        int32_t i = node_of(c, b, 0);
        if (i < 0) return bk_error(b, "'%s' is not a node of the design", tok_name(b, 0));
        c->flags[i] |= BK_LISTED;
    }
    return PL_OK;
}

/* 1 when the rule makes node i a movable hard macro. */
static int rule_macro(const bk_ctx *c, const pl_node *n, uint8_t fl)
{
    int fixed = (fl & (BK_TERM | BK_TERM_NI | BK_FIXED | BK_FIXED_NI)) != 0;
    switch (c->opt.macros) {
    case PL_BK_MACROS_TERMINALS: return (fl & BK_TERM) && n->w > c->row_h && n->h > c->row_h;
    case PL_BK_MACROS_ROWS: return !fixed && n->h > c->opt.rows * c->row_h;
    case PL_BK_MACROS_LIST: return (fl & BK_LISTED) != 0;
    default: return !fixed && n->h > c->row_h;
    }
}

/* Kinds and states by the rule (bookshelf.h); nodes the .pl does not list stay unplaced. */
static void classify(bk_ctx *c)
{
    pl_netlist *nl = c->nl;
    int64_t unlisted = 0;
    for (int64_t i = 0; i < nl->nnodes; i++) {
        pl_node *n = &nl->nodes[i];
        uint8_t fl = c->flags[i];
        int term = (fl & (BK_TERM | BK_TERM_NI)) != 0, fixed = term || (fl & (BK_FIXED | BK_FIXED_NI));
        int big = n->w > c->row_h || n->h > c->row_h;
        if (rule_macro(c, n, fl)) n->kind = PL_NODE_MACRO, fixed = 0;
        else if (term && !big) n->kind = PL_NODE_PORT;
        else if (fixed && big) n->kind = (fl & BK_TERM_NI) ? PL_NODE_OTHER : PL_NODE_MACRO;
        else n->kind = PL_NODE_STDCELL;
        n->state = !(fl & BK_LISTED_PL) ? PL_PLACE_UNPLACED : fixed ? PL_PLACE_FIXED : PL_PLACE_PLACED;
        unlisted += !(fl & BK_LISTED_PL);
    }
    if (unlisted)
        pl_warn("parse", "%s: %lld nodes are not in the .pl; left unplaced", c->path[BK_PL], (long long)unlisted);
}

static void set_die(pl_netlist *nl)
{
    nl->has_die = pl_netlist_rows_bbox(nl, &nl->die);
    for (int64_t i = 0; i < nl->nnodes; i++) {
        const pl_node *n = &nl->nodes[i];
        if (n->state != PL_PLACE_FIXED) continue;
        pl_rect_include(&nl->die, !nl->has_die, n->x, n->y);
        pl_rect_include(&nl->die, 0, n->x + pl_node_width(n), n->y + pl_node_height(n));
        nl->has_die = 1;
    }
}

static pl_status make_placesrc(bk_ctx *c, const pl_textfile *pl)
{
    pl_netlist *nl = c->nl;
    pl_place_source *d = calloc(1, sizeof *d);
    if (!d) return oom();
    nl->placesrc = d;
    d->format = PL_PLACE_BOOKSHELF;
    d->path = pl_netlist_str(nl, pl->path, strlen(pl->path));
    d->size = (int64_t)pl->len;
    d->crc = pl_textfile_crc(pl);
    d->nnodes = (int32_t)nl->nnodes;
    d->place_off = c->place_off, c->place_off = NULL;
    d->place_len = c->place_len, c->place_len = NULL;
    if (!d->path || !PL_ALLOC(d->orig, nl->nnodes)) return oom();
    if (nl->nnodes > 0) memcpy(d->orig, nl->nodes, (size_t)nl->nnodes * sizeof *d->orig);
    return PL_OK;
}

/* ---- entry points ---- */

typedef pl_status (*bk_reader)(bk_ctx *c, bk_file *b);

static pl_status read_file(bk_ctx *c, const char *path, const char *what, bk_reader fn)
{
    bk_file b;
    PL_TRY(bk_open(&b, path, what));
    pl_status s = fn(c, &b);
    bk_close(&b);
    return s;
}

/* The design's name: the .aux's file name without ".aux". */
static pl_status set_design(pl_netlist *nl, const char *aux)
{
    const char *base = strrchr(aux, '/') ? strrchr(aux, '/') + 1 : aux;
    size_t len = strlen(base);
    if (ends_with_ci(base, len, ".aux")) len -= 4;
    nl->design = pl_netlist_str(nl, base, len);
    nl->dbu_per_micron = 1;
    return nl->design ? PL_OK : oom();
}

static pl_status read_design(bk_ctx *c, const char *aux)
{
    pl_netlist *nl = c->nl;
    PL_TRY(read_aux(c, aux));
    PL_TRY(read_file(c, c->path[BK_NODES], ".nodes", read_nodes));
    if (!PL_ALLOC(c->place_off, nl->nnodes) || !PL_ALLOC(c->place_len, nl->nnodes) ||
        PL_GROW(c->flags, c->flags_cap, nl->nnodes) != PL_OK)
        return oom();
    for (int64_t i = 0; i < nl->nnodes; i++) c->place_off[i] = -1, c->place_len[i] = 0;
    PL_TRY(read_file(c, c->path[BK_NETS], ".nets", read_nets));
    if (c->path[BK_WTS]) PL_TRY(read_file(c, c->path[BK_WTS], ".wts", read_wts));
    PL_TRY(read_file(c, c->path[BK_SCL], ".scl", read_scl));
    if (c->opt.macros == PL_BK_MACROS_LIST) PL_TRY(read_file(c, c->opt.list, "macro list", read_list));
    bk_file pl;
    PL_TRY(bk_open(&pl, c->path[BK_PL], ".pl"));
    pl_status s = read_pl(c, &pl);
    if (s == PL_OK) {
        classify(c);
        s = make_placesrc(c, &pl.f);
    }
    bk_close(&pl);
    PL_TRY(s);
    set_die(nl);
    PL_TRY(set_design(nl, aux));
    return pl_netlist_finalize(nl);
}

pl_status pl_bookshelf_read(pl_netlist *nl, const char *aux_path, const pl_bookshelf_options *opt)
{
    if (nl->placesrc || nl->nnodes)
        return pl_err(PL_EINVAL, "%s: a netlist can hold one design; this one already has one", aux_path);
    bk_ctx c = {.nl = nl};
    if (opt) c.opt = *opt;
    else pl_bookshelf_options_default(&c.opt);
    if (c.opt.macros == PL_BK_MACROS_LIST && !c.opt.list)
        return pl_err(PL_EINVAL, "%s: the macro rule is a list but no list file is given", aux_path);
    pl_status s = read_design(&c, aux_path);
    for (int k = 0; k < BK_NKINDS; k++) free(c.path[k]);
    free(c.flags);
    free(c.place_off);
    free(c.place_len);
    return s;
}

/* A line of another .pl: the node moves; /FIXED fixes it; without it a node keeps the state the design gave
 * it (a terminal stays fixed), an unplaced one becomes placed. */
static pl_status apply_line(pl_netlist *nl, const bk_file *b, pl_bookshelf_pl_stats *st)
{
    st->lines++;
    bk_place p;
    PL_TRY(parse_place(b, &p));
    int32_t i = pl_strmap_get(&nl->node_by_name, b->tok[0], b->len[0]);
    if (i < 0) return st->missing++, PL_OK;
    pl_node *n = &nl->nodes[i];
    const pl_place_source *d = nl->placesrc;
    pl_place_state own = d && i < d->nnodes ? d->orig[i].state : n->state;
    n->x = p.x, n->y = p.y, n->orient = p.orient;
    n->state = p.fixed ? PL_PLACE_FIXED : own == PL_PLACE_UNPLACED ? PL_PLACE_PLACED : own;
    st->applied++;
    return PL_OK;
}

pl_status pl_bookshelf_apply_pl(pl_netlist *nl, const char *pl_path, pl_bookshelf_pl_stats *st)
{
    memset(st, 0, sizeof *st);
    bk_file b;
    PL_TRY(bk_open(&b, pl_path, ".pl"));
    pl_status s = read_header(&b, "pl");
    while (s == PL_OK && next_line(&b)) s = apply_line(nl, &b, st);
    bk_close(&b);
    return s;
}

pl_status pl_bookshelf_files(const char *aux_path, char ***paths, int *n)
{
    int *lines;
    PL_TRY(aux_files(aux_path, paths, &lines, n));
    free(lines);
    return PL_OK;
}

void pl_bookshelf_options_default(pl_bookshelf_options *o)
{
    *o = (pl_bookshelf_options){.macros = PL_BK_MACROS_AUTO, .rows = 1, .list = NULL};
}

pl_status pl_bookshelf_options_parse(pl_bookshelf_options *o, const char *s)
{
    pl_bookshelf_options_default(o);
    if (strcmp(s, "auto") == 0) return PL_OK;
    if (strcmp(s, "terminals") == 0) return o->macros = PL_BK_MACROS_TERMINALS, PL_OK;
    if (s[0] == '@' && s[1]) return o->macros = PL_BK_MACROS_LIST, o->list = s + 1, PL_OK;
    if (strncmp(s, "rows:", 5) == 0) {
        char *end;
        double k = strtod(s + 5, &end);
        if (end != s + 5 && *end == 0 && k > 0 && isfinite(k)) return o->macros = PL_BK_MACROS_ROWS, o->rows = k, PL_OK;
    }
    return pl_err(PL_EINVAL, "bad --macros value '%s' (expected auto, terminals, rows:K with K > 0, or @FILE)",
                  pl_err_name(s, strlen(s)));
}

int pl_bookshelf_is_aux(const char *path)
{
    return path && ends_with_ci(path, strlen(path), ".aux");
}
