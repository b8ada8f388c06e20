/* def.c: the DEF reader (see def.h). One function per section; each entry function starts
 * with the lexer on the entry's '-' and leaves it on the entry's ';'. Coordinates are DEF
 * integers divided by the UNITS to give microns. */
#include "parsers/def.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/lexer.h"
#include "core/alloc.h"
#include "core/log.h"
#include "parsers/textfile.h"

#define TOKEQ(lx, w) pl_lex_is((lx), (w))

/* Limits checked before a value sizes anything: DEF coordinates are 32-bit integers; a DO count
 * (ROW, TRACKS, GCELLGRID) repeats a row or line at most this often. */
#define DEF_COORD_MAX 2147483647.0
enum { DEF_DO_MAX = 10000000 };

static pl_status check_do(pl_lexer *lx, int64_t n, const char *what)
{
    if (n < 0 || n > DEF_DO_MAX)
        return pl_lex_error(lx, "%s count %lld is out of range (0 to %d)", what, (long long)n, DEF_DO_MAX);
    return PL_OK;
}

/* A port whose PINS entry named a net; resolved after NETS. */
typedef struct pending_port {
    int32_t pin;
    const char *net; /* points into the DEF text */
    size_t net_len;
    int special;     /* + SPECIAL or USE POWER/GROUND: a supply pin, not on a signal net */
} pending_port;

typedef struct def_ctx {
    pl_netlist *nl;
    pl_lexer *lx;
    double dbu;
    pending_port *ports;
    int64_t nports, ports_cap;
    pl_strmap port_by_name; /* IO pin name -> index in ports */
    int64_t *place_off;      /* per node, see pl_place_source */
    int32_t *place_len;
    int64_t place_cap;
    int warned_star;
    int64_t dup_nets;      /* NETS entries that reuse an earlier net's name */
    const char *dup_first;
    int dup_line;
} def_ctx;

static pl_status oom(void) { return pl_err(PL_ENOMEM, "out of memory reading DEF"); }

static pl_status need_units(def_ctx *c)
{
    if (c->dbu > 0) return PL_OK;
    if (c->nl->lef_dbu_per_micron > 0) {
        pl_warn("parse", "%s:%d: no UNITS DISTANCE MICRONS before coordinates; using the LEF's %g",
                c->lx->path, c->lx->tok_line, c->nl->lef_dbu_per_micron);
        c->dbu = c->nl->dbu_per_micron = c->nl->lef_dbu_per_micron;
        return PL_OK;
    }
    return pl_lex_error(c->lx, "coordinates before UNITS DISTANCE MICRONS (and no LEF units)");
}

/* Reads "( x y )" with the lexer before '('; results in microns. */
static pl_status read_point(def_ctx *c, double *x, double *y, const char *what)
{
    pl_lexer *lx = c->lx;
    PL_TRY(pl_lex_expect(lx, "(", what));
    double vx, vy;
    PL_TRY(pl_lex_number(lx, &vx, what));
    PL_TRY(pl_lex_number(lx, &vy, what));
    if (!(fabs(vx) <= DEF_COORD_MAX && fabs(vy) <= DEF_COORD_MAX))
        return pl_lex_error(lx, "coordinate ( %g %g ) in %s is out of range (DEF coordinates are 32-bit integers)", vx,
                            vy, what);
    PL_TRY(pl_lex_expect(lx, ")", what));
    PL_TRY(need_units(c));
    *x = vx / c->dbu;
    *y = vy / c->dbu;
    return PL_OK;
}

static pl_status read_orient(pl_lexer *lx, pl_orient *o, const char *what)
{
    pl_lex_next(lx);
    int v = pl_orient_parse(lx->tok, lx->len);
    if (v < 0 || lx->quoted)
        return pl_lex_error(lx, "bad orientation %s in %s (expected N S E W FN FS FE FW)",
                            pl_lex_tokstr(lx), what);
    *o = (pl_orient)v;
    return PL_OK;
}

/* Skips the arguments of an option we don't use: up to the next '+' or ';' (left current). */
static pl_status skip_option(pl_lexer *lx, const char *what)
{
    int start = lx->tok_line;
    for (;;) {
        if (!pl_lex_next(lx))
            return pl_lex_error(lx, "unexpected end of file in %s started at line %d (missing ';')", what, start);
        if (!lx->quoted && lx->len == 1 && (lx->tok[0] == '+' || lx->tok[0] == ';')) return PL_OK;
    }
}

static pl_status read_units(def_ctx *c)
{
    pl_lexer *lx = c->lx;
    PL_TRY(pl_lex_expect(lx, "DISTANCE", "UNITS"));
    PL_TRY(pl_lex_expect(lx, "MICRONS", "UNITS"));
    double v;
    pl_lex_next(lx);
    if (!pl_lex_tok_number(lx, &v) || v <= 0 || v != floor(v) || v > 1e6)
        return pl_lex_error(lx, "bad units: UNITS DISTANCE MICRONS needs a positive integer, found %s",
                            pl_lex_tokstr(lx));
    double lef = c->nl->lef_dbu_per_micron;
    if (lef > 0 && (v > lef || fmod(lef, v) != 0))
        pl_warn("parse", "%s:%d: DEF units %g per micron do not divide the LEF's %g", lx->path,
                lx->tok_line, v, lef);
    c->dbu = c->nl->dbu_per_micron = v;
    return pl_lex_expect(lx, ";", "UNITS");
}

static pl_status read_diearea(def_ctx *c)
{
    pl_lexer *lx = c->lx;
    int line = lx->tok_line, n = 0;
    pl_rect bb = {0};
    double pts[4] = {0}; /* the first two points, um */
    for (;;) {
        pl_lex_next(lx);
        if (lx->eof) return pl_lex_error(lx, "unexpected end of file in DIEAREA");
        if (TOKEQ(lx, ";")) break;
        if (!TOKEQ(lx, "(")) return pl_lex_error(lx, "expected '(' in DIEAREA, found %s", pl_lex_tokstr(lx));
        lx->p = lx->tok; /* let read_point see the '(' again */
        double x, y;
        PL_TRY(read_point(c, &x, &y, "DIEAREA"));
        if (n < 2) pts[2 * n] = x, pts[2 * n + 1] = y;
        pl_rect_include(&bb, !n, x, y);
        n++;
    }
    if (n < 2) return pl_lex_error(lx, "DIEAREA needs at least two points");
    if (n == 2 && !(pts[2] > pts[0] && pts[3] > pts[1]))
        return pl_err(PL_EPARSE, "%s:%d: DIEAREA ( %g %g ) ( %g %g ) has zero or negative extent (the second corner "
                      "must lie above and right of the first)", lx->path, line, pts[0] * c->dbu, pts[1] * c->dbu,
                      pts[2] * c->dbu, pts[3] * c->dbu);
    if (!(bb.x1 > bb.x0 && bb.y1 > bb.y0))
        return pl_err(PL_EPARSE, "%s:%d: DIEAREA has zero extent (%g x %g um)", lx->path, line, bb.x1 - bb.x0,
                      bb.y1 - bb.y0);
    if (n > 2)
        pl_warn("parse", "%s:%d: DIEAREA is a polygon of %d points; using its bounding box", lx->path,
                line, n);
    c->nl->die = bb;
    c->nl->has_die = 1;
    return PL_OK;
}

static pl_status read_row(def_ctx *c)
{
    pl_lexer *lx = c->lx;
    pl_netlist *nl = c->nl;
    pl_row r = {.nx = 1, .ny = 1};
    pl_lex_next(lx);
    r.name = pl_netlist_str(nl, lx->tok, lx->len);
    pl_lex_next(lx);
    r.site = pl_netlist_str(nl, lx->tok, lx->len);
    if (!r.name || !r.site) return oom();
    double x, y;
    PL_TRY(pl_lex_number(lx, &x, "ROW origin"));
    PL_TRY(pl_lex_number(lx, &y, "ROW origin"));
    PL_TRY(need_units(c));
    r.x = x / c->dbu;
    r.y = y / c->dbu;
    PL_TRY(read_orient(lx, &r.orient, "ROW"));
    pl_lex_next(lx);
    if (TOKEQ(lx, "DO")) {
        int64_t nx, ny;
        PL_TRY(pl_lex_int(lx, &nx, "ROW DO"));
        PL_TRY(pl_lex_expect(lx, "BY", "ROW DO"));
        PL_TRY(pl_lex_int(lx, &ny, "ROW DO"));
        PL_TRY(check_do(lx, nx, "ROW DO"));
        PL_TRY(check_do(lx, ny, "ROW BY"));
        r.nx = (int32_t)nx;
        r.ny = (int32_t)ny;
        pl_lex_next(lx);
        if (TOKEQ(lx, "STEP")) {
            PL_TRY(pl_lex_number(lx, &r.sx, "ROW STEP"));
            PL_TRY(pl_lex_number(lx, &r.sy, "ROW STEP"));
            r.sx /= c->dbu;
            r.sy /= c->dbu;
            pl_lex_next(lx);
        }
    }
    if (!TOKEQ(lx, ";")) PL_TRY(pl_lex_skip_statement(lx, "ROW"));
    PL_TRY(PL_GROW(nl->rows, nl->rows_cap, nl->nrows + 1));
    nl->rows[nl->nrows++] = r;
    return PL_OK;
}

/* TRACKS [MASK...] {X|Y} start DO num STEP step [MASK m [SAMEMASK]] [LAYER l ...] ;
 * GCELLGRID {X|Y} start DO num STEP step ; */
static pl_status read_grid_line(def_ctx *c, char *axis, double *start, int32_t *num, double *step,
                                const char *what)
{
    pl_lexer *lx = c->lx;
    pl_lex_next(lx);
    if (!(TOKEQ(lx, "X") || TOKEQ(lx, "Y")))
        return pl_lex_error(lx, "expected X or Y in %s, found %s", what, pl_lex_tokstr(lx));
    *axis = lx->tok[0];
    int64_t n;
    PL_TRY(pl_lex_number(lx, start, what));
    PL_TRY(pl_lex_expect(lx, "DO", what));
    PL_TRY(pl_lex_int(lx, &n, what));
    PL_TRY(check_do(lx, n, what));
    PL_TRY(pl_lex_expect(lx, "STEP", what));
    PL_TRY(pl_lex_number(lx, step, what));
    PL_TRY(need_units(c));
    *start /= c->dbu;
    *step /= c->dbu;
    *num = (int32_t)n;
    return PL_OK;
}

static pl_status read_tracks(def_ctx *c)
{
    pl_netlist *nl = c->nl;
    pl_lexer *lx = c->lx;
    pl_tracks t = {0};
    PL_TRY(read_grid_line(c, &t.axis, &t.start, &t.num, &t.step, "TRACKS"));
    char layers[256];
    size_t n = 0;
    int in_layers = 0;
    for (;;) {
        if (!pl_lex_next(lx)) return pl_lex_error(lx, "unexpected end of file in TRACKS");
        if (TOKEQ(lx, ";")) break;
        if (TOKEQ(lx, "LAYER")) {
            in_layers = 1;
            continue;
        }
        if (in_layers && n + lx->len + 2 < sizeof layers) {
            if (n) layers[n++] = ' ';
            memcpy(layers + n, lx->tok, lx->len);
            n += lx->len;
        }
    }
    t.layers = pl_netlist_str(nl, layers, n);
    if (!t.layers) return oom();
    PL_TRY(PL_GROW(nl->tracks, nl->tracks_cap, nl->ntracks + 1));
    nl->tracks[nl->ntracks++] = t;
    return PL_OK;
}

static pl_status read_gcellgrid(def_ctx *c)
{
    pl_netlist *nl = c->nl;
    pl_gcellgrid g = {0};
    PL_TRY(read_grid_line(c, &g.axis, &g.start, &g.num, &g.step, "GCELLGRID"));
    PL_TRY(pl_lex_expect(c->lx, ";", "GCELLGRID"));
    PL_TRY(PL_GROW(nl->gcells, nl->gcells_cap, nl->ngcells + 1));
    nl->gcells[nl->ngcells++] = g;
    return PL_OK;
}

static pl_status track_node(def_ctx *c, int32_t node, int64_t off, int32_t len)
{
    if (node >= c->place_cap) {
        int64_t cap = c->place_cap;
        PL_TRY(pl_grow((void **)&c->place_off, &cap, node + 1, sizeof *c->place_off));
        cap = c->place_cap;
        PL_TRY(pl_grow((void **)&c->place_len, &cap, node + 1, sizeof *c->place_len));
        c->place_cap = cap;
    }
    c->place_off[node] = off;
    c->place_len[node] = len;
    return PL_OK;
}

/* Reads a placement "PLACED ( x y ) N" with the lexer on the keyword. */
static pl_status read_placement(def_ctx *c, pl_node *n, const char *what)
{
    pl_lexer *lx = c->lx;
    if (TOKEQ(lx, "PLACED")) n->state = PL_PLACE_PLACED;
    else if (TOKEQ(lx, "FIXED")) n->state = PL_PLACE_FIXED;
    else n->state = PL_PLACE_COVER;
    PL_TRY(read_point(c, &n->x, &n->y, what));
    return read_orient(lx, &n->orient, what);
}

static pl_status read_component(def_ctx *c)
{
    pl_lexer *lx = c->lx;
    pl_netlist *nl = c->nl;
    pl_lex_next(lx);
    if (lx->eof || TOKEQ(lx, ";")) return pl_lex_error(lx, "expected a component name after '-'");
    const char *name = lx->tok;
    size_t nlen = lx->len;
    int line = lx->tok_line;
    pl_lex_next(lx);
    int32_t m = pl_strmap_get(&nl->master_by_name, lx->tok, lx->len);
    if (m < 0 || lx->quoted) {
        if (nl->nmasters == 0)
            return pl_lex_error(lx, "unknown master %s of component '%.*s': no LEF macros were read "
                                    "(give --lef FILE)", pl_lex_tokstr(lx), (int)nlen, name);
        return pl_lex_error(lx, "unknown master %s of component '%.*s' (not in the LEF files read)",
                            pl_lex_tokstr(lx), (int)nlen, name);
    }
    const pl_master *ms = &nl->masters[m];
    int32_t idx;
    pl_status s = pl_netlist_add_node(nl, name, nlen, ms->kind, &idx);
    if (s == PL_EINVAL)
        return pl_err(PL_EPARSE, "%s:%d: duplicate component '%.*s'", lx->path, line, (int)nlen, name);
    PL_TRY(s);
    pl_node *n = &nl->nodes[idx];
    n->master = m;
    n->w = ms->w;
    n->h = ms->h;
    int64_t clause_off = -1;
    int32_t clause_len = 0;
    pl_lex_next(lx);
    for (;;) {
        if (lx->eof) return pl_lex_error(lx, "unexpected end of file in component '%.*s'", (int)nlen, name);
        if (TOKEQ(lx, ";")) break;
        if (!TOKEQ(lx, "+"))
            return pl_lex_error(lx, "expected '+' or ';' in component '%.*s', found %s", (int)nlen, name,
                                pl_lex_tokstr(lx));
        int64_t plus_off = pl_lex_offset(lx);
        pl_lex_next(lx);
        if (TOKEQ(lx, "PLACED") || TOKEQ(lx, "FIXED") || TOKEQ(lx, "COVER")) {
            PL_TRY(read_placement(c, n, "COMPONENTS"));
            clause_off = plus_off;
            clause_len = (int32_t)(pl_lex_offset(lx) + (int64_t)lx->len - plus_off);
            pl_lex_next(lx);
        } else if (TOKEQ(lx, "UNPLACED")) {
            n->state = PL_PLACE_UNPLACED;
            clause_off = plus_off;
            clause_len = (int32_t)(pl_lex_offset(lx) + (int64_t)lx->len - plus_off);
            pl_lex_next(lx);
        } else if (TOKEQ(lx, "HALO")) {
            pl_lex_next(lx);
            if (TOKEQ(lx, "SOFT")) {
                n->halo_soft = 1;
                pl_lex_next(lx);
            }
            for (int k = 0; k < 4; k++) {
                double v;
                if (k > 0) pl_lex_next(lx);
                if (!pl_lex_tok_number(lx, &v))
                    return pl_lex_error(lx, "expected 4 numbers after HALO, found %s", pl_lex_tokstr(lx));
                PL_TRY(need_units(c));
                n->halo[k] = v / c->dbu;
            }
            pl_lex_next(lx);
        } else if (TOKEQ(lx, "SOURCE")) {
            pl_lex_next(lx);
            n->source = pl_netlist_str(nl, lx->tok, lx->len);
            pl_lex_next(lx);
        } else if (TOKEQ(lx, "WEIGHT")) {
            PL_TRY(pl_lex_number(lx, &n->weight, "component WEIGHT"));
            pl_lex_next(lx);
        } else {
            PL_TRY(skip_option(lx, "component")); /* EEQMASTER, REGION, PROPERTY, ROUTEHALO... */
        }
    }
    if (clause_off < 0) { /* no placement clause: the writer inserts one before the ';' */
        clause_off = pl_lex_offset(lx);
        clause_len = 0;
    }
    return track_node(c, idx, clause_off, clause_len);
}

static pl_status read_pin(def_ctx *c)
{
    pl_lexer *lx = c->lx;
    pl_netlist *nl = c->nl;
    pl_lex_next(lx);
    if (lx->eof || TOKEQ(lx, ";")) return pl_lex_error(lx, "expected a pin name after '-'");
    const char *name = lx->tok;
    size_t nlen = lx->len;
    int line = lx->tok_line;
    pl_node tmp = {0};
    pending_port pp = {.pin = -1};
    pl_pin_dir dir = PL_DIR_UNKNOWN;
    pl_rect shape = {0};
    int has_shape = 0, nports = 0;
    pl_lex_next(lx);
    for (;;) {
        if (lx->eof) return pl_lex_error(lx, "unexpected end of file in pin '%.*s'", (int)nlen, name);
        if (TOKEQ(lx, ";")) break;
        if (!TOKEQ(lx, "+"))
            return pl_lex_error(lx, "expected '+' or ';' in pin '%.*s', found %s", (int)nlen, name,
                                pl_lex_tokstr(lx));
        pl_lex_next(lx);
        if (TOKEQ(lx, "NET")) {
            pl_lex_next(lx);
            pp.net = lx->tok;
            pp.net_len = lx->len;
            pl_lex_next(lx);
        } else if (TOKEQ(lx, "SPECIAL")) {
            pp.special = 1;
            pl_lex_next(lx);
        } else if (TOKEQ(lx, "DIRECTION")) {
            pl_lex_next(lx);
            int d = pl_pin_dir_parse(lx->tok, lx->len);
            if (d < 0) return pl_lex_error(lx, "bad pin DIRECTION %s", pl_lex_tokstr(lx));
            dir = (pl_pin_dir)d;
            PL_TRY(skip_option(lx, "pin DIRECTION")); /* OUTPUT TRISTATE */
        } else if (TOKEQ(lx, "USE")) {
            pl_lex_next(lx);
            if (TOKEQ(lx, "POWER") || TOKEQ(lx, "GROUND")) pp.special = 1;
            pl_lex_next(lx);
        } else if (TOKEQ(lx, "PORT")) {
            nports++;
            pl_lex_next(lx);
        } else if ((TOKEQ(lx, "LAYER") || TOKEQ(lx, "POLYGON")) && nports <= 1 && !has_shape) {
            int poly = TOKEQ(lx, "POLYGON");
            pl_lex_next(lx); /* layer name */
            int n = 0;
            for (;;) {
                pl_lex_next(lx);
                if (lx->eof) return pl_lex_error(lx, "unexpected end of file in pin '%.*s'", (int)nlen, name);
                if (TOKEQ(lx, "+") || TOKEQ(lx, ";")) break;
                if (TOKEQ(lx, "MASK") || TOKEQ(lx, "SPACING") || TOKEQ(lx, "DESIGNRULEWIDTH")) {
                    pl_lex_next(lx);
                    continue;
                }
                if (!TOKEQ(lx, "("))
                    return pl_lex_error(lx, "expected '(' in pin '%.*s' shape, found %s", (int)nlen, name,
                                        pl_lex_tokstr(lx));
                lx->p = lx->tok;
                double x, y;
                PL_TRY(read_point(c, &x, &y, "PINS shape"));
                pl_rect_include(&shape, !n, x, y);
                n++;
            }
            if (n < 2 && !poly) return pl_lex_error(lx, "pin '%.*s' LAYER needs two points", (int)nlen, name);
            has_shape = n >= 2;
        } else if ((TOKEQ(lx, "PLACED") || TOKEQ(lx, "FIXED") || TOKEQ(lx, "COVER")) && nports <= 1) {
            PL_TRY(read_placement(c, &tmp, "PINS"));
            pl_lex_next(lx);
        } else {
            PL_TRY(skip_option(lx, "pin")); /* NETEXPR, VIA, ANTENNA..., later PORTs */
        }
    }
    int32_t idx;
    pl_status s = pl_netlist_add_node(nl, name, nlen, PL_NODE_PORT, &idx);
    if (s == PL_EINVAL)
        return pl_err(PL_EPARSE, "%s:%d: IO pin '%.*s' has the name of another pin or component",
                      lx->path, line, (int)nlen, name);
    PL_TRY(s);
    pl_node *n = &nl->nodes[idx];
    n->state = tmp.state;
    n->orient = tmp.orient;
    /* the shape is given relative to the placement point, turned by the orientation */
    double ax, ay, bx, by;
    pl_orient_apply(tmp.orient, 0, 0, shape.x0, shape.y0, &ax, &ay);
    pl_orient_apply(tmp.orient, 0, 0, shape.x1, shape.y1, &bx, &by);
    n->w = shape.x1 - shape.x0;
    n->h = shape.y1 - shape.y0;
    n->x = tmp.x + (ax < bx ? ax : bx);
    n->y = tmp.y + (ay < by ? ay : by);
    int32_t pin;
    PL_TRY(pl_netlist_add_pin(nl, idx, -1, &pin));
    nl->pins[pin].dir = dir;
    nl->pins[pin].dx = 0.5 * n->w;
    nl->pins[pin].dy = 0.5 * n->h;
    pp.pin = pin;
    PL_TRY(PL_GROW(c->ports, c->ports_cap, c->nports + 1));
    c->ports[c->nports] = pp;
    const char *key = nl->nodes[idx].name;
    if (pl_strmap_put(&c->port_by_name, key, nlen, (int32_t)c->nports, NULL) != PL_OK) return oom();
    c->nports++;
    return track_node(c, idx, -1, 0);
}

static pl_status read_blockage(def_ctx *c)
{
    pl_lexer *lx = c->lx;
    pl_netlist *nl = c->nl;
    pl_blockage b = {0};
    pl_lex_next(lx);
    if (TOKEQ(lx, "PLACEMENT")) b.kind = PL_BLOCK_PLACEMENT;
    else if (TOKEQ(lx, "LAYER")) {
        b.kind = PL_BLOCK_ROUTING;
        pl_lex_next(lx);
        b.layer = pl_netlist_str(nl, lx->tok, lx->len);
    } else
        return pl_lex_error(lx, "expected PLACEMENT or LAYER in BLOCKAGES, found %s", pl_lex_tokstr(lx));
    pl_lex_next(lx);
    for (;;) {
        if (lx->eof) return pl_lex_error(lx, "unexpected end of file in BLOCKAGES");
        if (TOKEQ(lx, ";")) return PL_OK;
        if (TOKEQ(lx, "+")) {
            pl_lex_next(lx);
            if (TOKEQ(lx, "SOFT")) b.soft = 1;
            else if (TOKEQ(lx, "PARTIAL")) PL_TRY(pl_lex_number(lx, &b.partial, "BLOCKAGES PARTIAL"));
            else if (TOKEQ(lx, "COMPONENT") || TOKEQ(lx, "SPACING") || TOKEQ(lx, "DESIGNRULEWIDTH") ||
                     TOKEQ(lx, "MASK"))
                pl_lex_next(lx);
            pl_lex_next(lx);
        } else if (TOKEQ(lx, "RECT") || TOKEQ(lx, "POLYGON")) {
            int n = 0;
            pl_rect r = {0};
            for (;;) {
                pl_lex_next(lx);
                if (!TOKEQ(lx, "(")) break;
                lx->p = lx->tok;
                double x, y;
                PL_TRY(read_point(c, &x, &y, "BLOCKAGES"));
                pl_rect_include(&r, !n, x, y);
                n++;
            }
            if (n < 2) return pl_lex_error(lx, "a blockage RECT needs two points");
            b.r = r;
            PL_TRY(PL_GROW(nl->blockages, nl->blockages_cap, nl->nblockages + 1));
            nl->blockages[nl->nblockages++] = b;
        } else {
            return pl_lex_error(lx, "unexpected %s in BLOCKAGES", pl_lex_tokstr(lx));
        }
    }
}

/* Finds pin `name` of master m; -1 if it has none. */
static int32_t master_pin(const pl_netlist *nl, const pl_master *m, const char *name, size_t len)
{
    for (int32_t i = 0; i < m->pin_count; i++) {
        const char *pn = nl->mpins[m->pin_begin + i].name;
        if (strncmp(pn, name, len) == 0 && pn[len] == '\0') return m->pin_begin + i;
    }
    return -1;
}

/* Reads "( comp pin [+ SYNTHESIZED] )" with the lexer on '(' and adds the pin to net `net`. */
static pl_status read_connection(def_ctx *c, int32_t net)
{
    pl_lexer *lx = c->lx;
    pl_netlist *nl = c->nl;
    pl_lex_next(lx);
    const char *comp = lx->tok;
    size_t clen = lx->len;
    int is_port = TOKEQ(lx, "PIN"), is_star = TOKEQ(lx, "*");
    pl_lex_next(lx);
    const char *pname = lx->tok;
    size_t plen = lx->len;
    if (lx->eof) return pl_lex_error(lx, "unexpected end of file in a net connection");
    for (;;) { /* only "+ SYNTHESIZED" may come before the ')' */
        pl_lex_next(lx);
        if (TOKEQ(lx, ")")) break;
        if (TOKEQ(lx, "+")) {
            pl_lex_next(lx);
            continue;
        }
        return pl_lex_error(lx, "unterminated net connection '( %.*s %.*s' (missing ')'), found %s", (int)clen,
                            comp, (int)plen, pname, pl_lex_tokstr(lx));
    }
    if (is_star) {
        if (!c->warned_star)
            pl_warn("parse", "%s:%d: '( * %.*s )' connections are ignored", lx->path, lx->tok_line,
                    (int)plen, pname);
        c->warned_star = 1;
        return PL_OK;
    }
    if (is_port) {
        int32_t k = pl_strmap_get(&c->port_by_name, pname, plen);
        if (k < 0)
            return pl_lex_error(lx, "net '%s' names IO pin '%.*s', which PINS does not define",
                                nl->nets[net].name, (int)plen, pname);
        pl_pin *p = &nl->pins[c->ports[k].pin];
        if (p->net >= 0 && p->net != net)
            return pl_lex_error(lx, "IO pin '%.*s' is on two nets ('%s' and '%s')", (int)plen, pname,
                                nl->nets[p->net].name, nl->nets[net].name);
        p->net = net;
        return PL_OK;
    }
    int32_t node = pl_strmap_get(&nl->node_by_name, comp, clen);
    if (node < 0 || nl->nodes[node].kind == PL_NODE_PORT)
        return pl_lex_error(lx, "net '%s' names component '%.*s', which COMPONENTS does not define",
                            nl->nets[net].name, (int)clen, comp);
    const pl_node *n = &nl->nodes[node];
    const pl_master *m = &nl->masters[n->master];
    int32_t mp = master_pin(nl, m, pname, plen);
    if (mp < 0)
        return pl_lex_error(lx, "master %s of component '%s' has no pin '%.*s' (net '%s')", m->name,
                            n->name, (int)plen, pname, nl->nets[net].name);
    int32_t pin;
    PL_TRY(pl_netlist_add_pin(nl, node, net, &pin));
    pl_pin *p = &nl->pins[pin];
    p->mpin = mp;
    p->dir = nl->mpins[mp].dir;
    p->dx = nl->mpins[mp].x;
    p->dy = nl->mpins[mp].y;
    return PL_OK;
}

static pl_status read_net(def_ctx *c)
{
    pl_lexer *lx = c->lx;
    pl_netlist *nl = c->nl;
    pl_lex_next(lx);
    if (lx->eof || TOKEQ(lx, ";")) return pl_lex_error(lx, "expected a net name after '-'");
    if (TOKEQ(lx, "MUSTJOIN")) return pl_lex_skip_statement(lx, "NETS MUSTJOIN");
    int32_t net;
    if (pl_strmap_get(&nl->net_by_name, lx->tok, lx->len) >= 0) {
        if (c->dup_nets++ == 0) {
            c->dup_first = pl_netlist_str(nl, lx->tok, lx->len);
            c->dup_line = lx->tok_line;
        }
    }
    PL_TRY(pl_netlist_append_net(nl, lx->tok, lx->len, &net));
    pl_lex_next(lx);
    for (;;) {
        if (lx->eof) return pl_lex_error(lx, "unexpected end of file in net '%s' (missing ';')", nl->nets[net].name);
        if (TOKEQ(lx, ";")) return PL_OK;
        if (TOKEQ(lx, "(")) {
            PL_TRY(read_connection(c, net));
            pl_lex_next(lx);
        } else if (TOKEQ(lx, "+")) {
            pl_lex_next(lx);
            if (TOKEQ(lx, "WEIGHT")) {
                PL_TRY(pl_lex_number(lx, &nl->nets[net].weight, "net WEIGHT"));
                pl_lex_next(lx);
            } else {
                PL_TRY(skip_option(lx, "net")); /* USE, ROUTED, SOURCE, PROPERTY... */
            }
        } else {
            return pl_lex_error(lx, "expected '(' '+' or ';' in net '%s', found %s", nl->nets[net].name,
                                pl_lex_tokstr(lx));
        }
    }
}

typedef pl_status (*entry_fn)(def_ctx *c);

/* Reads "NAME count ; - ... ; ... END NAME" with the lexer on NAME. */
static pl_status read_section(def_ctx *c, const char *name, entry_fn fn)
{
    pl_lexer *lx = c->lx;
    int open = lx->tok_line;
    int64_t declared, seen = 0;
    PL_TRY(pl_lex_int(lx, &declared, name));
    if (declared < 0) return pl_lex_error(lx, "%s declares %lld entries", name, (long long)declared);
    PL_TRY(pl_lex_expect(lx, ";", name));
    for (;;) {
        if (!pl_lex_next(lx))
            return pl_lex_error(lx, "unexpected end of file in %s opened at line %d (truncated file? missing 'END %s')",
                                name, open, name);
        if (TOKEQ(lx, "-")) {
            PL_TRY(fn(c));
            seen++;
        } else if (TOKEQ(lx, "END")) {
            PL_TRY(pl_lex_expect(lx, name, "END of section"));
            break;
        } else {
            return pl_lex_error(lx, "expected '-' or 'END %s' in %s, found %s", name, name, pl_lex_tokstr(lx));
        }
    }
    if (seen != declared)
        pl_warn("parse", "%s:%d: %s declares %lld entries but has %lld", lx->path, open, name,
                (long long)declared, (long long)seen);
    return PL_OK;
}

/* Sections skipped whole: "NAME ... END NAME". */
static int is_skipped_section(const pl_lexer *lx)
{
    static const char *const names[] = {"VIAS", "SPECIALNETS", "STYLES", "NONDEFAULTRULES", "REGIONS",
                                        "GROUPS", "SCANCHAINS", "FILLS", "SLOTS", "PINPROPERTIES",
                                        "PROPERTYDEFINITIONS"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (pl_lex_is(lx, names[i])) return 1;
    return 0;
}

/* Connects IO pins that PINS put on a net (+ NET name) but NETS did not list with
 * "( PIN name )". A net that NETS never defines is not created: the pin is its only terminal. */
static void resolve_ports(def_ctx *c)
{
    pl_netlist *nl = c->nl;
    int64_t lone = 0;
    for (int64_t i = 0; i < c->nports; i++) {
        pending_port *pp = &c->ports[i];
        pl_pin *p = &nl->pins[pp->pin];
        if (p->net >= 0 || !pp->net || pp->special) continue;
        int32_t net = pl_strmap_get(&nl->net_by_name, pp->net, pp->net_len);
        if (net >= 0) p->net = net;
        else lone++;
    }
    if (lone)
        pl_info("parse", "%s: %lld IO pins name a net that NETS does not define; left unconnected",
                c->lx->path, (long long)lone);
}

static pl_status parse_def(def_ctx *c)
{
    pl_lexer *lx = c->lx;
    pl_netlist *nl = c->nl;
    while (pl_lex_next(lx)) {
        if (TOKEQ(lx, "COMPONENTS")) PL_TRY(read_section(c, "COMPONENTS", read_component));
        else if (TOKEQ(lx, "NETS")) PL_TRY(read_section(c, "NETS", read_net));
        else if (TOKEQ(lx, "PINS")) PL_TRY(read_section(c, "PINS", read_pin));
        else if (TOKEQ(lx, "BLOCKAGES")) PL_TRY(read_section(c, "BLOCKAGES", read_blockage));
        else if (TOKEQ(lx, "ROW")) PL_TRY(read_row(c));
        else if (TOKEQ(lx, "TRACKS")) PL_TRY(read_tracks(c));
        else if (TOKEQ(lx, "GCELLGRID")) PL_TRY(read_gcellgrid(c));
        else if (TOKEQ(lx, "DIEAREA")) PL_TRY(read_diearea(c));
        else if (TOKEQ(lx, "UNITS")) PL_TRY(read_units(c));
        else if (TOKEQ(lx, "DESIGN")) {
            pl_lex_next(lx);
            nl->design = pl_netlist_str(nl, lx->tok, lx->len);
            PL_TRY(pl_lex_skip_statement(lx, "DESIGN"));
        } else if (TOKEQ(lx, "DIVIDERCHAR") || TOKEQ(lx, "BUSBITCHARS")) {
            int div = TOKEQ(lx, "DIVIDERCHAR");
            pl_lex_next(lx);
            if (!lx->quoted || lx->len != (div ? 1u : 2u))
                return pl_lex_error(lx, "%s needs a quoted string of %d character(s)",
                                    div ? "DIVIDERCHAR" : "BUSBITCHARS", div ? 1 : 2);
            if (div) nl->divider = lx->tok[0];
            else {
                nl->bus_open = lx->tok[0];
                nl->bus_close = lx->tok[1];
            }
            PL_TRY(pl_lex_expect(lx, ";", div ? "DIVIDERCHAR" : "BUSBITCHARS"));
        } else if (is_skipped_section(lx)) {
            char name[32];
            snprintf(name, sizeof name, "%.*s", (int)lx->len, lx->tok);
            PL_TRY(pl_lex_skip_block(lx, name, strlen(name), name, lx->tok_line));
        } else if (TOKEQ(lx, "BEGINEXT")) {
            int open = lx->tok_line;
            while (pl_lex_next(lx) && !TOKEQ(lx, "ENDEXT")) {}
            if (lx->eof) return pl_lex_error(lx, "unexpected end of file in BEGINEXT opened at line %d", open);
        } else if (TOKEQ(lx, "END")) {
            PL_TRY(pl_lex_expect(lx, "DESIGN", "END DESIGN"));
            resolve_ports(c);
            return PL_OK;
        } else if (TOKEQ(lx, "VERSION") || TOKEQ(lx, "NAMESCASESENSITIVE") || TOKEQ(lx, "TECHNOLOGY") ||
                   TOKEQ(lx, "HISTORY") || TOKEQ(lx, "COMPONENTMASKSHIFT")) {
            PL_TRY(pl_lex_skip_statement(lx, "DEF statement"));
        } else {
            return pl_lex_error(lx, "unexpected %s at the top level of a DEF file", pl_lex_tokstr(lx));
        }
    }
    return pl_lex_error(lx, "unexpected end of file: missing 'END DESIGN' (truncated file?)");
}

static pl_status make_placesrc(def_ctx *c, const pl_textfile *f)
{
    pl_netlist *nl = c->nl;
    pl_place_source *d = calloc(1, sizeof *d);
    if (!d) return oom();
    nl->placesrc = d;
    int64_t n = nl->nnodes;
    d->path = pl_netlist_str(nl, f->path, strlen(f->path));
    d->size = (int64_t)f->len;
    d->crc = pl_textfile_crc(f);
    d->nnodes = (int32_t)n;
    if (!d->path || !PL_ALLOC(d->place_off, n) || !PL_ALLOC(d->place_len, n) || !PL_ALLOC(d->orig, n))
        return oom();
    for (int64_t i = 0; i < n; i++) {
        d->place_off[i] = i < c->place_cap ? c->place_off[i] : -1;
        d->place_len[i] = i < c->place_cap ? c->place_len[i] : 0;
    }
    if (n > 0) memcpy(d->orig, nl->nodes, (size_t)n * sizeof *d->orig); /* no nodes: nl->nodes may be NULL */
    return PL_OK;
}

pl_status pl_def_read(pl_netlist *nl, const char *path)
{
    if (nl->placesrc || nl->nnodes)
        return pl_err(PL_EINVAL, "%s: a netlist can hold one DEF; this one already has a design", path);
    pl_textfile f;
    PL_TRY(pl_textfile_read_text(&f, path, "DEF"));
    pl_lexer lx;
    pl_lex_init(&lx, path, f.data, f.len);
    def_ctx c = {.nl = nl, .lx = &lx};
    pl_strmap_init(&c.port_by_name);
    pl_status s = parse_def(&c);
    if (s == PL_OK && c.dup_nets)
        pl_warn("parse", "%s:%d: %lld NETS entries reuse an earlier net's name (first: '%s'); "
                "each is kept as a separate net", path, c.dup_line, (long long)c.dup_nets,
                c.dup_first ? c.dup_first : "?");
    if (s == PL_OK) s = make_placesrc(&c, &f);
    if (s == PL_OK) s = pl_netlist_finalize(nl);
    free(c.ports);
    free(c.place_off);
    free(c.place_len);
    pl_strmap_free(&c.port_by_name);
    pl_textfile_free(&f);
    return s;
}
