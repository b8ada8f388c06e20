/* ctpb.c: Circuit Training protobuf-text netlist reader; see ctpb.h. */
#include "parsers/ctpb.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/textfile.h"
#include "core/log.h"

/* ---- tokenizer ---- */

typedef enum { TK_EOF, TK_IDENT, TK_STRING, TK_NUMBER, TK_PUNCT } tk_kind;

typedef struct pb_lexer {
    const char *path;
    char *p;
    int line;
    tk_kind kind;
    char *tok; /* points into the buffer; strings are unescaped in place */
    size_t len;
    int tok_line;
    double fp_bbox[4];
    int has_bbox;
} pb_lexer;

static pl_status lex_error(const pb_lexer *lx, const char *what)
{
    if (lx->kind == TK_EOF)
        return pl_err(PL_EPARSE, "%s:%d: %s (found end of file)", lx->path, lx->tok_line, what);
    return pl_err(PL_EPARSE, "%s:%d: %s (found '%s')", lx->path, lx->tok_line, what,
                  pl_err_name(lx->tok, lx->len > 40 ? 40 : lx->len));
}

/* A header comment such as "# FP bbox: {0.0 0.0} {1357.36 1356.88}" sets the canvas. */
static void scan_comment(pb_lexer *lx, const char *s, const char *e)
{
    const char *k = NULL;
    for (const char *q = s; q + 7 <= e; q++)
        if (!memcmp(q, "FP bbox", 7)) {
            k = q + 7;
            break;
        }
    if (!k) return;
    double v[4];
    int n = 0;
    while (k < e && n < 4) {
        if (isdigit((unsigned char)*k) || *k == '-' || *k == '.') {
            char *end;
            v[n++] = strtod(k, &end);
            k = end;
        } else {
            k++;
        }
    }
    if (n == 4) {
        memcpy(lx->fp_bbox, v, sizeof v);
        lx->has_bbox = 1;
    }
}

static int is_ident_char(int c) { return isalnum(c) || c == '_' || c == '.' || c == '-' || c == '+'; }

static pl_status lex_next(pb_lexer *lx)
{
    char *p = lx->p;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
            if (*p == '\n') lx->line++;
            p++;
        }
        if (*p != '#') break;
        char *s = p;
        while (*p && *p != '\n') p++;
        scan_comment(lx, s, p);
    }
    lx->tok = p;
    lx->tok_line = lx->line;
    if (!*p) {
        lx->kind = TK_EOF;
        lx->len = 0;
        lx->p = p;
        return PL_OK;
    }
    if (*p == '"' || *p == '\'') {
        char q = *p++;
        char *out = p;
        lx->tok = p;
        while (*p && *p != q) {
            if (*p == '\n') return pl_err(PL_EPARSE, "%s:%d: string not closed before the end of the line", lx->path, lx->line);
            if (*p == '\\' && p[1]) {
                p++;
                char c = *p++;
                switch (c) {
                case 'n': *out++ = '\n'; break;
                case 't': *out++ = '\t'; break;
                case 'r': *out++ = '\r'; break;
                default:
                    if (c >= '0' && c <= '7') {
                        int v = c - '0';
                        for (int i = 0; i < 2 && *p >= '0' && *p <= '7'; i++) v = v * 8 + (*p++ - '0');
                        *out++ = (char)v;
                    } else {
                        *out++ = c; /* \" \\ \' and the rest stand for themselves */
                    }
                }
                continue;
            }
            *out++ = *p++;
        }
        if (!*p) return pl_err(PL_EPARSE, "%s:%d: string not closed", lx->path, lx->tok_line);
        lx->len = (size_t)(out - lx->tok);
        *out = 0; /* NUL-terminated in place: names are map keys (the closing quote is consumed) */
        lx->kind = TK_STRING;
        lx->p = p + 1;
        return PL_OK;
    }
    if (strchr("{}:<>[],;", *p)) {
        lx->kind = TK_PUNCT;
        lx->len = 1;
        lx->p = p + 1;
        return PL_OK;
    }
    if (is_ident_char((unsigned char)*p)) {
        while (is_ident_char((unsigned char)*p)) p++;
        lx->len = (size_t)(p - lx->tok);
        lx->kind = (isdigit((unsigned char)lx->tok[0]) || lx->tok[0] == '-' || lx->tok[0] == '+' ||
                    lx->tok[0] == '.')
                       ? TK_NUMBER
                       : TK_IDENT;
        lx->p = p;
        return PL_OK;
    }
    lx->kind = TK_PUNCT;
    lx->len = 1;
    return lex_error(lx, "unexpected character");
}

static int tok_is(const pb_lexer *lx, const char *w)
{
    size_t n = strlen(w);
    return lx->len == n && !memcmp(lx->tok, w, n);
}

static int punct_is(const pb_lexer *lx, char c) { return lx->kind == TK_PUNCT && lx->tok[0] == c; }

static pl_status expect_punct(pb_lexer *lx, char c, const char *what)
{
    PL_TRY(lex_next(lx));
    if (!punct_is(lx, c)) return lex_error(lx, what);
    return PL_OK;
}

/* Skips the value of a field whose name was just read: ": scalar", ": { ... }" or "{ ... }". */
static pl_status skip_value(pb_lexer *lx)
{
    PL_TRY(lex_next(lx));
    if (punct_is(lx, ':')) PL_TRY(lex_next(lx));
    if (punct_is(lx, '{') || punct_is(lx, '<') || punct_is(lx, '[')) {
        int depth = 1;
        while (depth > 0) {
            PL_TRY(lex_next(lx));
            if (lx->kind == TK_EOF) return lex_error(lx, "unbalanced braces");
            if (punct_is(lx, '{') || punct_is(lx, '<') || punct_is(lx, '[')) depth++;
            if (punct_is(lx, '}') || punct_is(lx, '>') || punct_is(lx, ']')) depth--;
        }
        return PL_OK;
    }
    if (lx->kind == TK_STRING || lx->kind == TK_NUMBER || lx->kind == TK_IDENT) return PL_OK;
    return lex_error(lx, "expected a value");
}

/* ---- the records of one file ---- */

typedef struct strref {
    const char *s;
    int32_t len;
    int32_t line;
} strref;

enum { T_NONE = 0, T_MACRO, T_SOFT, T_HPIN, T_SPIN, T_PORT, T_STDCELL, T_META };

typedef struct ct_rec {
    strref name;
    int type;
    int32_t line;
    int64_t in_begin, in_count; /* range in the inputs array */
    double w, h, x, y, xo, yo, weight;
    int has_weight;
    int orient;
    strref macro_name;
    int32_t node;  /* pl node for macros/ports/stdcells */
    int32_t pin;   /* pl pin not yet on a net, -1 if all are taken (pins and ports) */
} ct_rec;

typedef struct ct_file {
    ct_rec *recs;
    int64_t nrecs, recs_cap;
    strref *inputs;
    int64_t ninputs, inputs_cap;
} ct_file;

static int type_of(const pb_lexer *lx)
{
    if (tok_is(lx, "MACRO")) return T_MACRO;
    if (tok_is(lx, "macro")) return T_SOFT;
    if (tok_is(lx, "MACRO_PIN")) return T_HPIN;
    if (tok_is(lx, "macro_pin")) return T_SPIN;
    if (tok_is(lx, "PORT")) return T_PORT;
    if (tok_is(lx, "STDCELL")) return T_STDCELL;
    return -1;
}

/* attr { key: "k" value { f: 1.0 | placeholder: "s" | ... } } */
static pl_status parse_attr(pb_lexer *lx, ct_rec *r)
{
    PL_TRY(expect_punct(lx, '{', "expected '{' after attr"));
    char key[32] = "";
    for (;;) {
        PL_TRY(lex_next(lx));
        if (punct_is(lx, '}')) break;
        if (lx->kind != TK_IDENT) return lex_error(lx, "expected key or value in attr");
        if (tok_is(lx, "key")) {
            PL_TRY(expect_punct(lx, ':', "expected ':' after key"));
            PL_TRY(lex_next(lx));
            if (lx->kind != TK_STRING) return lex_error(lx, "expected a quoted attribute key");
            size_t n = lx->len < sizeof key - 1 ? lx->len : sizeof key - 1;
            memcpy(key, lx->tok, n);
            key[n] = 0;
            continue;
        }
        if (!tok_is(lx, "value")) {
            PL_TRY(skip_value(lx));
            continue;
        }
        PL_TRY(lex_next(lx));
        if (punct_is(lx, ':')) PL_TRY(lex_next(lx));
        if (!punct_is(lx, '{')) return lex_error(lx, "expected '{' after value");
        for (;;) {
            PL_TRY(lex_next(lx));
            if (punct_is(lx, '}')) break;
            if (lx->kind != TK_IDENT) return lex_error(lx, "expected a value field");
            int is_num = tok_is(lx, "f") || tok_is(lx, "i");
            int is_str = tok_is(lx, "placeholder") || tok_is(lx, "s");
            if (!is_num && !is_str) {
                PL_TRY(skip_value(lx));
                continue;
            }
            PL_TRY(expect_punct(lx, ':', "expected ':' in attribute value"));
            PL_TRY(lex_next(lx));
            if (is_num) {
                if (lx->kind != TK_NUMBER && lx->kind != TK_IDENT)
                    return lex_error(lx, "expected a number");
                char buf[64];
                size_t n = lx->len < sizeof buf - 1 ? lx->len : sizeof buf - 1;
                memcpy(buf, lx->tok, n);
                buf[n] = 0;
                char *end;
                double v = strtod(buf, &end);
                if (end == buf) return lex_error(lx, "expected a number");
                if (!strcmp(key, "width")) r->w = v;
                else if (!strcmp(key, "height")) r->h = v;
                else if (!strcmp(key, "x")) r->x = v;
                else if (!strcmp(key, "y")) r->y = v;
                else if (!strcmp(key, "x_offset")) r->xo = v;
                else if (!strcmp(key, "y_offset")) r->yo = v;
                else if (!strcmp(key, "weight")) {
                    r->weight = v;
                    r->has_weight = 1;
                }
            } else {
                if (lx->kind != TK_STRING) return lex_error(lx, "expected a quoted string");
                if (!strcmp(key, "type")) {
                    r->type = type_of(lx);
                    if (r->type < 0)
                        return pl_err(PL_EPARSE, "%s:%d: unknown node type '%s'", lx->path, lx->tok_line,
                                      pl_err_name(lx->tok, lx->len));
                } else if (!strcmp(key, "orientation")) {
                    r->orient = pl_orient_parse(lx->tok, lx->len);
                    if (r->orient < 0) return lex_error(lx, "unknown orientation");
                } else if (!strcmp(key, "macro_name")) {
                    r->macro_name = (strref){lx->tok, (int32_t)lx->len, lx->tok_line};
                }
            }
        }
    }
    return PL_OK;
}

static pl_status parse_node(pb_lexer *lx, ct_file *f)
{
    PL_TRY(PL_GROW(f->recs, f->recs_cap, f->nrecs + 1));
    ct_rec *r = &f->recs[f->nrecs];
    memset(r, 0, sizeof *r);
    r->line = lx->tok_line;
    r->weight = 1.0;
    r->node = r->pin = -1;
    r->in_begin = f->ninputs;
    PL_TRY(lex_next(lx));
    if (punct_is(lx, ':')) PL_TRY(lex_next(lx));
    if (!punct_is(lx, '{')) return lex_error(lx, "expected '{' after node");
    for (;;) {
        PL_TRY(lex_next(lx));
        if (punct_is(lx, '}')) break;
        if (lx->kind != TK_IDENT) return lex_error(lx, "expected a field name in node");
        if (tok_is(lx, "name") || tok_is(lx, "input")) {
            int is_name = tok_is(lx, "name");
            PL_TRY(expect_punct(lx, ':', "expected ':'"));
            PL_TRY(lex_next(lx));
            if (lx->kind != TK_STRING) return lex_error(lx, "expected a quoted name");
            strref s = {lx->tok, (int32_t)lx->len, lx->tok_line};
            if (is_name) {
                r->name = s;
            } else {
                PL_TRY(PL_GROW(f->inputs, f->inputs_cap, f->ninputs + 1));
                f->inputs[f->ninputs++] = s;
                r->in_count++;
            }
        } else if (tok_is(lx, "attr")) {
            PL_TRY(parse_attr(lx, r));
        } else {
            PL_TRY(skip_value(lx));
        }
    }
    if (r->name.len == 0) return pl_err(PL_EPARSE, "%s:%d: node without a name", lx->path, r->line);
    if (r->name.len == 12 && !memcmp(r->name.s, "__metadata__", 12)) r->type = T_META;
    if (r->type == T_NONE)
        return pl_err(PL_EPARSE, "%s:%d: node '%s' has no type attribute", lx->path, r->line,
                      pl_err_name(r->name.s, (size_t)r->name.len));
    f->nrecs++;
    return PL_OK;
}

static pl_status parse_file(pb_lexer *lx, ct_file *f)
{
    for (;;) {
        PL_TRY(lex_next(lx));
        if (lx->kind == TK_EOF) return PL_OK;
        if (lx->kind == TK_IDENT && tok_is(lx, "node")) {
            PL_TRY(parse_node(lx, f));
        } else if (lx->kind == TK_IDENT) {
            PL_TRY(skip_value(lx));
        } else {
            return lex_error(lx, "expected 'node'");
        }
    }
}

/* ---- building the netlist ---- */

/* A pin of record r that is not on a net yet: the record's spare pin, else a new copy. */
static pl_status claim_pin(pl_netlist *nl, ct_rec *recs, int32_t ri, int32_t net, int32_t *pin)
{
    ct_rec *r = &recs[ri];
    if (r->pin >= 0 && nl->pins[r->pin].net < 0) {
        *pin = r->pin;
        nl->pins[*pin].net = net;
        return PL_OK;
    }
    int32_t node, p;
    double dx = 0, dy = 0;
    const char *name = NULL;
    if (r->type == T_HPIN || r->type == T_SPIN) {
        const pl_pin *proto = &nl->pins[r->pin];
        node = proto->node;
        dx = proto->dx;
        dy = proto->dy;
        name = proto->name;
    } else {
        node = r->node;
        dx = nl->nodes[node].w / 2;
        dy = nl->nodes[node].h / 2;
    }
    PL_TRY(pl_netlist_add_pin(nl, node, net, &p));
    nl->pins[p].dx = dx;
    nl->pins[p].dy = dy;
    nl->pins[p].name = name;
    nl->pins[p].weight = r->weight;
    if (r->pin < 0) r->pin = p;
    *pin = p;
    return PL_OK;
}

static pl_status build(pl_netlist *nl, const char *path, ct_file *f)
{
    pl_strmap byname;
    pl_strmap_init(&byname);
    pl_status s = PL_OK;
    int32_t ct = 0;
    for (int64_t i = 0; i < f->nrecs && s == PL_OK; i++) {
        ct_rec *r = &f->recs[i];
        int32_t old;
        if (pl_strmap_put(&byname, r->name.s, (size_t)r->name.len, (int32_t)i, &old) != PL_OK) {
            s = pl_err(PL_EPARSE, "%s:%d: duplicate node name '%s' (first at line %d)", path, r->line,
                       pl_err_name(r->name.s, (size_t)r->name.len), f->recs[old].line);
            break;
        }
        if (r->type == T_META) continue;
        int32_t idx = ct++;
        if (r->type == T_HPIN || r->type == T_SPIN) continue;
        pl_node_kind kind = r->type == T_MACRO ? PL_NODE_MACRO
                            : r->type == T_SOFT ? PL_NODE_SOFT
                            : r->type == T_PORT ? PL_NODE_PORT
                                                : PL_NODE_STDCELL;
        int32_t n;
        s = pl_netlist_add_node(nl, r->name.s, (size_t)r->name.len, kind, &n);
        if (s != PL_OK) break;
        pl_node *nd = &nl->nodes[n];
        nd->ct_index = idx;
        nd->orient = r->type == T_MACRO ? (pl_orient)r->orient : PL_ORIENT_N;
        nd->w = kind == PL_NODE_PORT ? 0 : r->w;
        nd->h = kind == PL_NODE_PORT ? 0 : r->h;
        nd->x = r->x - pl_node_width(nd) / 2;
        nd->y = r->y - pl_node_height(nd) / 2;
        nd->state = kind == PL_NODE_PORT ? PL_PLACE_FIXED : PL_PLACE_PLACED;
        nd->weight = r->has_weight ? r->weight : 0;
        r->node = n;
        if (kind == PL_NODE_PORT) {
            s = pl_netlist_add_pin(nl, n, -1, &r->pin);
            if (s == PL_OK) nl->pins[r->pin].weight = 1.0;
        }
    }
    /* pins, once every macro exists */
    for (int64_t i = 0; i < f->nrecs && s == PL_OK; i++) {
        ct_rec *r = &f->recs[i];
        if (r->type != T_HPIN && r->type != T_SPIN) continue;
        strref m = r->macro_name;
        if (m.len == 0) { /* the name up to its last '/' */
            m = r->name;
            while (m.len > 0 && m.s[m.len - 1] != '/') m.len--;
            if (m.len > 0) m.len--;
        }
        int32_t mi = pl_strmap_get(&byname, m.s, (size_t)m.len);
        int want = r->type == T_HPIN ? T_MACRO : T_SOFT;
        if (mi < 0 || f->recs[mi].type != want) {
            s = pl_err(PL_EPARSE, "%s:%d: pin '%s' names %s '%s' that is not in the netlist", path, r->line,
                       pl_err_name(r->name.s, (size_t)r->name.len), want == T_MACRO ? "macro" : "soft macro",
                       pl_err_name(m.s, (size_t)m.len));
            break;
        }
        int32_t node = f->recs[mi].node;
        const pl_node *nd = &nl->nodes[node];
        s = pl_netlist_add_pin(nl, node, -1, &r->pin);
        if (s != PL_OK) break;
        pl_pin *p = &nl->pins[r->pin];
        p->dx = nd->w / 2 + r->xo;
        p->dy = nd->h / 2 + r->yo;
        p->weight = r->weight;
        p->name = pl_netlist_str(nl, r->name.s, (size_t)r->name.len);
        if (!p->name) s = pl_err(PL_ENOMEM, "out of memory storing pin names");
    }
    /* nets: one per node with an input list */
    for (int64_t i = 0; i < f->nrecs && s == PL_OK; i++) {
        ct_rec *r = &f->recs[i];
        if (r->in_count == 0 || r->type == T_META) continue;
        if (r->type == T_MACRO || r->type == T_SOFT) {
            s = pl_err(PL_EPARSE, "%s:%d: macro '%s' has inputs; nets start at pins, ports or std cells",
                       path, r->line, pl_err_name(r->name.s, (size_t)r->name.len));
            break;
        }
        int32_t net, pin;
        s = pl_netlist_add_net(nl, r->name.s, (size_t)r->name.len, &net);
        if (s != PL_OK) {
            s = pl_err(PL_EPARSE, "%s:%d: duplicate net '%s'", path, r->line,
                       pl_err_name(r->name.s, (size_t)r->name.len));
            break;
        }
        nl->nets[net].weight = r->type == T_PORT ? 1.0 : r->weight;
        s = claim_pin(nl, f->recs, (int32_t)i, net, &pin);
        if (s != PL_OK) break;
        nl->pins[pin].dir = PL_DIR_OUTPUT;
        nl->nets[net].driver = pin;
        for (int64_t k = 0; k < r->in_count && s == PL_OK; k++) {
            strref in = f->inputs[r->in_begin + k];
            int32_t si = pl_strmap_get(&byname, in.s, (size_t)in.len);
            if (si < 0 || f->recs[si].type == T_META || f->recs[si].type == T_MACRO ||
                f->recs[si].type == T_SOFT) {
                s = pl_err(PL_EPARSE, "%s:%d: input '%s' of '%s' is not a pin, port or std cell of the netlist",
                           path, in.line, pl_err_name(in.s, (size_t)in.len),
                           pl_err_name(r->name.s, (size_t)r->name.len));
                break;
            }
            s = claim_pin(nl, f->recs, si, net, &pin);
            if (s == PL_OK && nl->pins[pin].dir == PL_DIR_UNKNOWN) nl->pins[pin].dir = PL_DIR_INPUT;
        }
    }
    pl_strmap_free(&byname);
    if (s == PL_OK) {
        nl->ct_indexed = 1;
        nl->ct_count = ct;
    }
    return s;
}

static const char *design_name(const char *path, size_t *len)
{
    /* the folder holding the file, as Circuit Training names blocks; else the file's stem */
    const char *slash = strrchr(path, '/');
    if (slash && slash > path) {
        const char *b = slash;
        while (b > path && b[-1] != '/') b--;
        *len = (size_t)(slash - b);
        if (*len > 0 && !(*len == 1 && b[0] == '.')) return b;
    }
    const char *base = slash ? slash + 1 : path;
    const char *dot = strchr(base, '.');
    *len = dot ? (size_t)(dot - base) : strlen(base);
    return base;
}

pl_status pl_ctpb_read_buffer(pl_netlist *nl, const char *path, char *data, size_t len)
{
    (void)len;
    pb_lexer lx = {.path = path, .p = data, .line = 1};
    ct_file f = {0};
    pl_status s = parse_file(&lx, &f);
    if (s == PL_OK) s = build(nl, path, &f);
    free(f.recs);
    free(f.inputs);
    if (s != PL_OK) return s;
    if (nl->nnodes == 0)
        return pl_err(PL_EPARSE, "%s: no nodes: an empty Circuit Training netlist (expected 'node { ... }' entries)",
                      path);
    if (lx.has_bbox && !nl->has_die) {
        nl->die = (pl_rect){lx.fp_bbox[0], lx.fp_bbox[1], lx.fp_bbox[2], lx.fp_bbox[3]};
        nl->has_die = 1;
    }
    if (!nl->design) {
        size_t n;
        const char *d = design_name(path, &n);
        nl->design = pl_netlist_str(nl, d, n);
        if (!nl->design) return pl_err(PL_ENOMEM, "out of memory");
    }
    return pl_netlist_finalize(nl);
}

pl_status pl_ctpb_read(pl_netlist *nl, const char *path)
{
    pl_textfile tf;
    PL_TRY(pl_textfile_read_text(&tf, path, "protobuf text netlist"));
    pl_status s = pl_ctpb_read_buffer(nl, path, tf.data, tf.len);
    pl_textfile_free(&tf);
    return s;
}
