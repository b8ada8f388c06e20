/* lef.c: see lef.h. One function per LEF construct; each starts with the lexer on the
 * construct's keyword and leaves it on the construct's last token. */
#include "parsers/lef.h"

#include <math.h>
#include <string.h>

#include "parsers/lexer.h"
#include "core/log.h"
#include "parsers/textfile.h"

#define TOKEQ(lx, w) pl_lex_is((lx), (w))

static const char *tok_str(pl_netlist *nl, const pl_lexer *lx)
{
    return pl_netlist_str(nl, lx->tok, lx->len);
}

static pl_status oom(void) { return pl_err(PL_ENOMEM, "out of memory reading LEF"); }

static pl_status read_units(pl_netlist *nl, pl_lexer *lx)
{
    int open = lx->tok_line;
    for (;;) {
        if (!pl_lex_next(lx))
            return pl_lex_error(lx, "unexpected end of file in UNITS opened at line %d", open);
        if (TOKEQ(lx, "END")) return pl_lex_expect(lx, "UNITS", "UNITS");
        if (TOKEQ(lx, "DATABASE")) {
            PL_TRY(pl_lex_expect(lx, "MICRONS", "UNITS DATABASE"));
            double v;
            PL_TRY(pl_lex_number(lx, &v, "UNITS DATABASE MICRONS"));
            if (v <= 0 || v != floor(v) || v > 1e6)
                return pl_lex_error(lx, "bad units: DATABASE MICRONS must be a positive integer, found %s",
                                    pl_lex_tokstr(lx));
            if (nl->lef_dbu_per_micron > 0 && nl->lef_dbu_per_micron != v)
                pl_warn("parse", "%s:%d: DATABASE MICRONS %g differs from an earlier LEF's %g",
                        lx->path, lx->tok_line, v, nl->lef_dbu_per_micron);
            nl->lef_dbu_per_micron = v;
            PL_TRY(pl_lex_expect(lx, ";", "UNITS DATABASE"));
        } else {
            PL_TRY(pl_lex_skip_statement(lx, "UNITS"));
        }
    }
}

static pl_status read_site(pl_netlist *nl, pl_lexer *lx)
{
    int open = lx->tok_line;
    pl_lex_next(lx);
    const char *name = tok_str(nl, lx);
    size_t nlen = lx->len;
    if (!name) return oom();
    pl_site site = {.name = name};
    for (;;) {
        if (!pl_lex_next(lx))
            return pl_lex_error(lx, "unexpected end of file in SITE %s opened at line %d", name, open);
        if (TOKEQ(lx, "END")) {
            pl_lex_next(lx);
            break;
        }
        if (TOKEQ(lx, "CLASS")) {
            pl_lex_next(lx);
            site.cls = tok_str(nl, lx);
            PL_TRY(pl_lex_skip_statement(lx, "SITE CLASS"));
        } else if (TOKEQ(lx, "SIZE")) {
            PL_TRY(pl_lex_number(lx, &site.w, "SITE SIZE"));
            PL_TRY(pl_lex_expect(lx, "BY", "SITE SIZE"));
            PL_TRY(pl_lex_number(lx, &site.h, "SITE SIZE"));
            PL_TRY(pl_lex_expect(lx, ";", "SITE SIZE"));
        } else {
            PL_TRY(pl_lex_skip_statement(lx, "SITE"));
        }
    }
    if (pl_strmap_get(&nl->site_by_name, name, nlen) >= 0) return PL_OK;
    PL_TRY(PL_GROW(nl->sites, nl->sites_cap, nl->nsites + 1));
    nl->sites[nl->nsites] = site;
    if (pl_strmap_put(&nl->site_by_name, name, nlen, (int32_t)nl->nsites, NULL) != PL_OK) return oom();
    nl->nsites++;
    return PL_OK;
}

/* Reads one or two numbers up to ';' (PITCH 0.2 or PITCH 0.2 0.3). */
static pl_status read_xy(pl_lexer *lx, double *x, double *y, const char *what)
{
    PL_TRY(pl_lex_number(lx, x, what));
    *y = *x;
    pl_lex_next(lx);
    if (pl_lex_tok_number(lx, y)) pl_lex_next(lx);
    if (!TOKEQ(lx, ";")) return pl_lex_skip_statement(lx, what);
    return PL_OK;
}

static pl_status read_layer(pl_netlist *nl, pl_lexer *lx)
{
    int open = lx->tok_line;
    pl_lex_next(lx);
    if (lx->eof) return pl_lex_error(lx, "unexpected end of file after LAYER");
    const char *name = tok_str(nl, lx);
    size_t nlen = lx->len;
    if (!name) return oom();
    pl_layer L = {.name = name};
    for (;;) {
        if (!pl_lex_next(lx))
            return pl_lex_error(lx, "unexpected end of file in LAYER %s opened at line %d (missing 'END %s')",
                                name, open, name);
        if (TOKEQ(lx, "END")) {
            pl_lex_next(lx);
            if (lx->len == nlen && memcmp(lx->tok, name, nlen) == 0) break;
            continue; /* an inner END (e.g. of a table) */
        }
        if (TOKEQ(lx, "TYPE")) {
            pl_lex_next(lx);
            L.type = tok_str(nl, lx);
            PL_TRY(pl_lex_skip_statement(lx, "LAYER TYPE"));
        } else if (TOKEQ(lx, "DIRECTION")) {
            pl_lex_next(lx);
            if (TOKEQ(lx, "HORIZONTAL")) L.dir = PL_LAYER_HORIZONTAL;
            else if (TOKEQ(lx, "VERTICAL")) L.dir = PL_LAYER_VERTICAL;
            PL_TRY(pl_lex_skip_statement(lx, "LAYER DIRECTION"));
        } else if (TOKEQ(lx, "PITCH")) {
            PL_TRY(read_xy(lx, &L.pitch_x, &L.pitch_y, "LAYER PITCH"));
        } else if (TOKEQ(lx, "OFFSET")) {
            PL_TRY(read_xy(lx, &L.offset_x, &L.offset_y, "LAYER OFFSET"));
        } else if (TOKEQ(lx, "WIDTH")) {
            PL_TRY(pl_lex_number(lx, &L.width, "LAYER WIDTH"));
            PL_TRY(pl_lex_skip_statement(lx, "LAYER WIDTH"));
        } else {
            PL_TRY(pl_lex_skip_statement(lx, "LAYER"));
        }
    }
    if (pl_strmap_get(&nl->layer_by_name, name, nlen) >= 0) return PL_OK;
    PL_TRY(PL_GROW(nl->layers, nl->layers_cap, nl->nlayers + 1));
    nl->layers[nl->nlayers] = L;
    if (pl_strmap_put(&nl->layer_by_name, name, nlen, (int32_t)nl->nlayers, NULL) != PL_OK) return oom();
    nl->nlayers++;
    return PL_OK;
}

/* Bounding box accumulator for pin shapes. */
typedef struct bbox {
    pl_rect r;
    int n;
} bbox;

static void bbox_add(bbox *b, double x, double y)
{
    pl_rect_include(&b->r, b->n == 0, x, y);
    b->n++;
}

/* Reads the shapes of a PORT or OBS body up to its END. Adds points to `b` (may be NULL) and
 * counts rectangles in *nrect. */
static pl_status read_shapes(pl_lexer *lx, bbox *b, int32_t *nrect, const char *what)
{
    int open = lx->tok_line;
    for (;;) {
        if (!pl_lex_next(lx))
            return pl_lex_error(lx, "unexpected end of file in %s opened at line %d (missing END)", what, open);
        if (TOKEQ(lx, "END")) return PL_OK;
        if (TOKEQ(lx, "RECT") || TOKEQ(lx, "POLYGON") || TOKEQ(lx, "PATH")) {
            int is_rect = TOKEQ(lx, "RECT");
            double v[2];
            int k = 0, npts = 0;
            for (;;) {
                if (!pl_lex_next(lx))
                    return pl_lex_error(lx, "unexpected end of file in %s shape", what);
                if (TOKEQ(lx, ";")) break;
                if (TOKEQ(lx, "MASK") || TOKEQ(lx, "ITERATE")) {
                    if (TOKEQ(lx, "MASK")) pl_lex_next(lx);
                    continue;
                }
                double d;
                if (!pl_lex_tok_number(lx, &d)) {
                    if (TOKEQ(lx, "DO") || TOKEQ(lx, "STEP") || TOKEQ(lx, "BY")) {
                        PL_TRY(pl_lex_skip_statement(lx, what));
                        break;
                    }
                    return pl_lex_error(lx, "expected a coordinate in %s shape, found %s", what,
                                        pl_lex_tokstr(lx));
                }
                v[k++] = d;
                if (k == 2) {
                    if (b) bbox_add(b, v[0], v[1]);
                    k = 0;
                    npts++;
                }
            }
            if (is_rect && npts != 2)
                return pl_lex_error(lx, "RECT needs 4 coordinates in %s", what);
            if (nrect) (*nrect)++;
        } else if (TOKEQ(lx, "VIA")) {
            /* VIA [ITERATE] [MASK m] x y name ; : its centre counts as a point */
            double pt[2];
            int k = 0;
            for (;;) {
                if (!pl_lex_next(lx)) return pl_lex_error(lx, "unexpected end of file in %s VIA", what);
                if (TOKEQ(lx, ";")) break;
                double d;
                if (k < 2 && pl_lex_tok_number(lx, &d)) pt[k++] = d;
            }
            if (b && k == 2) bbox_add(b, pt[0], pt[1]);
        } else {
            PL_TRY(pl_lex_skip_statement(lx, what)); /* LAYER, WIDTH, CLASS, DESIGNRULEWIDTH... */
        }
    }
}

static pl_status read_pin(pl_netlist *nl, pl_lexer *lx, pl_master *m)
{
    int open = lx->tok_line;
    pl_lex_next(lx);
    if (lx->eof) return pl_lex_error(lx, "unexpected end of file after PIN");
    const char *name = tok_str(nl, lx);
    size_t nlen = lx->len;
    if (!name) return oom();
    pl_mpin pin = {.name = name};
    bbox b = {0};
    for (;;) {
        if (!pl_lex_next(lx))
            return pl_lex_error(lx, "unexpected end of file in PIN %s of MACRO %s opened at line %d", name,
                                m->name, open);
        if (TOKEQ(lx, "END")) {
            pl_lex_next(lx);
            if (!(lx->len == nlen && memcmp(lx->tok, name, nlen) == 0))
                return pl_lex_error(lx, "expected 'END %s' closing PIN %s, found %s", name, name,
                                    pl_lex_tokstr(lx));
            break;
        }
        if (TOKEQ(lx, "DIRECTION")) {
            pl_lex_next(lx);
            int d = pl_pin_dir_parse(lx->tok, lx->len);
            pin.dir = d < 0 ? PL_DIR_UNKNOWN : (pl_pin_dir)d;
            PL_TRY(pl_lex_skip_statement(lx, "PIN DIRECTION"));
        } else if (TOKEQ(lx, "USE")) {
            pl_lex_next(lx);
            pin.use = tok_str(nl, lx);
            PL_TRY(pl_lex_skip_statement(lx, "PIN USE"));
        } else if (TOKEQ(lx, "PORT")) {
            PL_TRY(read_shapes(lx, &b, NULL, "PIN PORT"));
        } else {
            PL_TRY(pl_lex_skip_statement(lx, "PIN"));
        }
    }
    if (b.n) {
        pin.x = 0.5 * (b.r.x0 + b.r.x1) + m->ox;
        pin.y = 0.5 * (b.r.y0 + b.r.y1) + m->oy;
        pin.has_shape = 1;
    }
    PL_TRY(PL_GROW(nl->mpins, nl->mpins_cap, nl->nmpins + 1));
    nl->mpins[nl->nmpins++] = pin;
    m->pin_count++;
    return PL_OK;
}

static pl_node_kind kind_of_class(const char *cls)
{
    if (!cls) return PL_NODE_STDCELL;
    if (!strncmp(cls, "BLOCK", 5)) return PL_NODE_MACRO;
    if (!strncmp(cls, "CORE", 4)) return PL_NODE_STDCELL;
    return PL_NODE_OTHER;
}

static pl_status read_macro(pl_netlist *nl, pl_lexer *lx)
{
    int open = lx->tok_line;
    pl_lex_next(lx);
    if (lx->eof) return pl_lex_error(lx, "unexpected end of file after MACRO");
    const char *name = tok_str(nl, lx);
    size_t nlen = lx->len;
    if (!name) return oom();
    pl_master m = {.name = name, .pin_begin = (int32_t)nl->nmpins, .file = lx->path};
    int64_t mpins_before = nl->nmpins;
    for (;;) {
        if (!pl_lex_next(lx))
            return pl_lex_error(lx, "unexpected end of file in MACRO %s opened at line %d (missing 'END %s')",
                                name, open, name);
        if (TOKEQ(lx, "END")) {
            pl_lex_next(lx);
            if (!(lx->len == nlen && memcmp(lx->tok, name, nlen) == 0))
                return pl_lex_error(lx, "expected 'END %s' closing MACRO %s, found %s", name, name,
                                    pl_lex_tokstr(lx));
            break;
        }
        if (TOKEQ(lx, "CLASS")) {
            char buf[128];
            size_t n = 0;
            while (pl_lex_next(lx) && !TOKEQ(lx, ";")) {
                if (n && n < sizeof buf - 1) buf[n++] = ' ';
                size_t c = lx->len < sizeof buf - 1 - n ? lx->len : sizeof buf - 1 - n;
                memcpy(buf + n, lx->tok, c);
                n += c;
            }
            if (lx->eof) return pl_lex_error(lx, "unexpected end of file in MACRO %s CLASS", name);
            m.cls = pl_netlist_str(nl, buf, n);
        } else if (TOKEQ(lx, "SIZE")) {
            PL_TRY(pl_lex_number(lx, &m.w, "MACRO SIZE"));
            PL_TRY(pl_lex_expect(lx, "BY", "MACRO SIZE"));
            PL_TRY(pl_lex_number(lx, &m.h, "MACRO SIZE"));
            PL_TRY(pl_lex_expect(lx, ";", "MACRO SIZE"));
            if (m.w < 0 || m.h < 0) return pl_lex_error(lx, "negative SIZE in MACRO %s", name);
        } else if (TOKEQ(lx, "ORIGIN")) {
            PL_TRY(pl_lex_number(lx, &m.ox, "MACRO ORIGIN"));
            PL_TRY(pl_lex_number(lx, &m.oy, "MACRO ORIGIN"));
            PL_TRY(pl_lex_expect(lx, ";", "MACRO ORIGIN"));
        } else if (TOKEQ(lx, "SYMMETRY")) {
            while (pl_lex_next(lx) && !TOKEQ(lx, ";")) {
                if (TOKEQ(lx, "X")) m.symmetry |= PL_SYM_X;
                else if (TOKEQ(lx, "Y")) m.symmetry |= PL_SYM_Y;
                else if (TOKEQ(lx, "R90")) m.symmetry |= PL_SYM_R90;
            }
            if (lx->eof) return pl_lex_error(lx, "unexpected end of file in MACRO %s SYMMETRY", name);
        } else if (TOKEQ(lx, "SITE")) {
            pl_lex_next(lx);
            m.site = tok_str(nl, lx);
            PL_TRY(pl_lex_skip_statement(lx, "MACRO SITE"));
        } else if (TOKEQ(lx, "PIN")) {
            PL_TRY(read_pin(nl, lx, &m));
        } else if (TOKEQ(lx, "OBS")) {
            PL_TRY(read_shapes(lx, NULL, &m.obs_count, "OBS"));
        } else if (TOKEQ(lx, "DENSITY")) {
            PL_TRY(read_shapes(lx, NULL, NULL, "DENSITY"));
        } else {
            PL_TRY(pl_lex_skip_statement(lx, "MACRO")); /* FOREIGN, SOURCE, EEQ, PROPERTY... */
        }
    }
    m.kind = kind_of_class(m.cls);
    /* pins without shapes sit at the centre */
    for (int64_t i = mpins_before; i < nl->nmpins; i++) {
        if (!nl->mpins[i].has_shape) {
            nl->mpins[i].x = 0.5 * m.w;
            nl->mpins[i].y = 0.5 * m.h;
        }
    }
    if (pl_strmap_get(&nl->master_by_name, name, nlen) >= 0) {
        pl_warn("parse", "%s:%d: MACRO %s is defined again; the first definition is kept", lx->path,
                open, name);
        nl->nmpins = mpins_before; /* drop the duplicate's pins */
        return PL_OK;
    }
    PL_TRY(PL_GROW(nl->masters, nl->masters_cap, nl->nmasters + 1));
    nl->masters[nl->nmasters] = m;
    if (pl_strmap_put(&nl->master_by_name, name, nlen, (int32_t)nl->nmasters, NULL) != PL_OK) return oom();
    nl->nmasters++;
    return PL_OK;
}

/* Blocks skipped whole: "KEYWORD name ... END name" */
static int is_named_block(const pl_lexer *lx)
{
    return TOKEQ(lx, "VIA") || TOKEQ(lx, "VIARULE") || TOKEQ(lx, "NONDEFAULTRULE") ||
           TOKEQ(lx, "ARRAY");
}

/* Blocks skipped whole: "KEYWORD ... END KEYWORD" */
static int is_keyword_block(const pl_lexer *lx)
{
    return TOKEQ(lx, "PROPERTYDEFINITIONS") || TOKEQ(lx, "SPACING") || TOKEQ(lx, "IRDROP") ||
           TOKEQ(lx, "NOISETABLE") || TOKEQ(lx, "CORRECTIONTABLE");
}

static pl_status parse_lef(pl_netlist *nl, pl_lexer *lx)
{
    while (pl_lex_next(lx)) {
        if (TOKEQ(lx, "MACRO")) PL_TRY(read_macro(nl, lx));
        else if (TOKEQ(lx, "LAYER")) PL_TRY(read_layer(nl, lx));
        else if (TOKEQ(lx, "SITE")) PL_TRY(read_site(nl, lx));
        else if (TOKEQ(lx, "UNITS")) PL_TRY(read_units(nl, lx));
        else if (TOKEQ(lx, "MANUFACTURINGGRID")) {
            double g;
            PL_TRY(pl_lex_number(lx, &g, "MANUFACTURINGGRID"));
            if (g <= 0) return pl_lex_error(lx, "MANUFACTURINGGRID must be positive");
            nl->manufacturing_grid = g;
            PL_TRY(pl_lex_expect(lx, ";", "MANUFACTURINGGRID"));
        } else if (is_named_block(lx)) {
            int open = lx->tok_line;
            char what[32];
            snprintf(what, sizeof what, "%.*s", (int)lx->len, lx->tok);
            pl_lex_next(lx);
            if (lx->eof) return pl_lex_error(lx, "unexpected end of file after %s", what);
            const char *nm = lx->tok;
            size_t nlen = lx->len;
            PL_TRY(pl_lex_skip_block(lx, nm, nlen, what, open));
        } else if (is_keyword_block(lx)) {
            int open = lx->tok_line;
            char what[32];
            snprintf(what, sizeof what, "%.*s", (int)lx->len, lx->tok);
            PL_TRY(pl_lex_skip_block(lx, what, strlen(what), what, open));
        } else if (TOKEQ(lx, "BEGINEXT")) {
            int open = lx->tok_line;
            while (pl_lex_next(lx) && !TOKEQ(lx, "ENDEXT")) {}
            if (lx->eof) return pl_lex_error(lx, "unexpected end of file in BEGINEXT opened at line %d", open);
        } else if (TOKEQ(lx, "END")) {
            pl_lex_next(lx);
            if (TOKEQ(lx, "LIBRARY")) return PL_OK;
            return pl_lex_error(lx, "unexpected 'END %s' at the top level", pl_lex_tokstr(lx));
        } else {
            double d;
            if (pl_lex_tok_number(lx, &d) || TOKEQ(lx, ";"))
                return pl_lex_error(lx, "unexpected %s at the top level of a LEF file", pl_lex_tokstr(lx));
            PL_TRY(pl_lex_skip_statement(lx, "LEF statement")); /* VERSION, BUSBITCHARS... */
        }
    }
    return PL_OK; /* END LIBRARY is optional */
}

pl_status pl_lef_read(pl_netlist *nl, const char *path)
{
    pl_textfile f;
    PL_TRY(pl_textfile_read_text(&f, path, "LEF"));
    pl_lexer lx;
    pl_lex_init(&lx, path, f.data, f.len);
    const char *keep = pl_netlist_str(nl, path, strlen(path));
    lx.path = keep ? keep : path;
    pl_status s = parse_lef(nl, &lx);
    pl_textfile_free(&f);
    return s;
}
