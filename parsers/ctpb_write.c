/* ctpb_write.c: Circuit Training protobuf-text netlist writer; see ctpb_write.h. */
#include "parsers/ctpb_write.h"
#include "core/tmpfile.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/log.h"

/* ---- CT records: a node, or one named pin of a macro ---- */

typedef struct ct_rec {
    int32_t node;      /* owner node */
    int32_t pin;       /* first pl_pin of a pin record, -1 for a node record */
    const char *name;  /* the netlist's name ("macro/pin" for a pin record) */
    const char *out;   /* the name as written: `name` without backslashes (see ct_names) */
} ct_rec;

typedef struct ct_plan {
    ct_rec *recs;
    int64_t nrecs, recs_cap;
    int32_t *pin_rec;  /* (npins) record of each pin, -1 if its node is not written */
    int32_t *node_rec; /* (nnodes) */
    int32_t *drv_off;  /* (nrecs + 1) CSR record -> nets it drives */
    int32_t *drv_nets;
    pl_strpool pool;
} ct_plan;

static void plan_free(ct_plan *p)
{
    free(p->recs);
    free(p->pin_rec);
    free(p->node_rec);
    free(p->drv_off);
    free(p->drv_nets);
    pl_strpool_free(&p->pool);
    memset(p, 0, sizeof *p);
}

static int has_pin_nodes(pl_node_kind k) { return k == PL_NODE_MACRO || k == PL_NODE_SOFT; }

static pl_status add_rec(ct_plan *p, int32_t node, int32_t pin, const char *name, int32_t *idx)
{
    PL_TRY(PL_GROW(p->recs, p->recs_cap, p->nrecs + 1));
    *idx = (int32_t)p->nrecs;
    p->recs[p->nrecs++] = (ct_rec){node, pin, name, name};
    return PL_OK;
}

/* The CT name of a macro pin: its own (already "macro/pin") or node name + "/" + LEF pin name. */
static const char *pin_full_name(const pl_netlist *nl, ct_plan *p, int32_t pin)
{
    const pl_pin *pp = &nl->pins[pin];
    if (pp->name) return pp->name;
    const char *node = nl->nodes[pp->node].name, *pn = pl_pin_name(nl, pin);
    size_t a = strlen(node), b = strlen(pn);
    char *tmp = malloc(a + b + 2);
    if (!tmp) return NULL;
    memcpy(tmp, node, a);
    tmp[a] = '/';
    memcpy(tmp + a + 1, pn, b + 1);
    const char *s = pl_strpool_add(&p->pool, tmp, a + b + 1);
    free(tmp);
    return s;
}

/* CT names carry no DEF escapes: Circuit Training's LEF/DEF translator (MacroPlacement's
 * FormatTranslators/src/gen_pb_or.tcl) deletes every backslash from the netlist it writes, so a DEF
 * `sram_block\[0\]` is `sram_block[0]` in a CT netlist, and TILOS's plc_client_os reads a name only
 * up to its first backslash (distinct macros would merge into one). Every record's written name is
 * its name without backslashes, unless that makes two different names equal: then every name is
 * written as it is (with a warning). */
static pl_status ct_names(ct_plan *p)
{
    int any = 0;
    for (int64_t r = 0; r < p->nrecs && !any; r++) any = strchr(p->recs[r].name, '\\') != NULL;
    if (!any) return PL_OK;
    size_t cap = 0;
    char *tmp = NULL;
    for (int64_t r = 0; r < p->nrecs; r++) {
        const char *s = p->recs[r].name;
        if (!strchr(s, '\\')) continue;
        size_t n = strlen(s), k = 0;
        if (n + 1 > cap) {
            char *t = realloc(tmp, n + 1);
            if (!t) {
                free(tmp);
                return pl_err(PL_ENOMEM, "ctpb write: out of memory");
            }
            tmp = t, cap = n + 1;
        }
        for (size_t i = 0; i < n; i++)
            if (s[i] != '\\') tmp[k++] = s[i];
        tmp[k] = 0;
        const char *o = pl_strpool_add(&p->pool, tmp, k);
        if (!o) {
            free(tmp);
            return pl_err(PL_ENOMEM, "ctpb write: out of memory");
        }
        p->recs[r].out = o;
    }
    free(tmp);
    /* a collision: an unescaped name equal to another record's different name */
    pl_strmap seen;
    pl_strmap_init(&seen);
    pl_status s = PL_OK;
    int64_t clash = -1;
    for (int64_t r = 0; r < p->nrecs && clash < 0; r++) {
        int32_t old = -1;
        pl_status t = pl_strmap_put(&seen, p->recs[r].out, strlen(p->recs[r].out), (int32_t)r, &old);
        if (t == PL_EINVAL && old >= 0) {
            if (strcmp(p->recs[old].name, p->recs[r].name)) clash = r;
        } else if (t != PL_OK) {
            s = t;
            break;
        }
    }
    pl_strmap_free(&seen);
    if (s != PL_OK) return s;
    if (clash >= 0) {
        pl_warn("parse",
                "ctpb write: '%s' without its backslashes is another node's or pin's name: every name is written "
                "with its DEF escapes (which TILOS's plc_client_os cannot read)",
                p->recs[clash].name);
        for (int64_t r = 0; r < p->nrecs; r++) p->recs[r].out = p->recs[r].name;
    }
    return PL_OK;
}

static pl_status plan_build(const pl_netlist *nl, ct_plan *p)
{
    memset(p, 0, sizeof *p);
    pl_strpool_init(&p->pool);
    if (!nl->finalized) return pl_err(PL_EINVAL, "ctpb write: the netlist is not finalized");
    if (!PL_ALLOC(p->pin_rec, nl->npins) || !PL_ALLOC(p->node_rec, nl->nnodes))
        return pl_err(PL_ENOMEM, "ctpb write: out of memory");
    for (int64_t i = 0; i < nl->npins; i++) p->pin_rec[i] = -1;
    pl_strmap names;
    pl_strmap_init(&names);
    pl_status s = PL_OK;
    for (int64_t n = 0; n < nl->nnodes && s == PL_OK; n++) {
        const pl_node *nd = &nl->nodes[n];
        int32_t r;
        s = add_rec(p, (int32_t)n, -1, nd->name, &r);
        if (s != PL_OK) break;
        p->node_rec[n] = r;
        int64_t b = nl->node_pin_off[n], e = nl->node_pin_off[n + 1];
        if (!has_pin_nodes(nd->kind)) {
            for (int64_t k = b; k < e; k++) p->pin_rec[nl->node_pins[k]] = r;
            continue;
        }
        /* one record per distinct pin name, in pin order */
        pl_strmap_free(&names);
        pl_strmap_init(&names);
        for (int64_t k = b; k < e && s == PL_OK; k++) {
            int32_t pin = nl->node_pins[k];
            const char *full = pin_full_name(nl, p, pin);
            if (!full) {
                s = pl_err(PL_ENOMEM, "ctpb write: out of memory");
                break;
            }
            int32_t old = pl_strmap_gets(&names, full);
            if (old >= 0) {
                p->pin_rec[pin] = old;
                continue;
            }
            s = add_rec(p, (int32_t)n, pin, full, &r);
            if (s == PL_OK) s = pl_strmap_put(&names, full, strlen(full), r, NULL);
            p->pin_rec[pin] = r;
        }
    }
    pl_strmap_free(&names);
    if (s != PL_OK) return s;
    /* record -> driven nets */
    if (!PL_CALLOC(p->drv_off, (int64_t)p->nrecs + 1) || !PL_ALLOC(p->drv_nets, nl->nnets))
        return pl_err(PL_ENOMEM, "ctpb write: out of memory");
    for (int64_t n = 0; n < nl->nnets; n++) {
        if (nl->net_pin_off[n + 1] - nl->net_pin_off[n] < 2) continue;
        int32_t r = p->pin_rec[nl->net_pins[nl->net_pin_off[n]]];
        if (r >= 0) p->drv_off[r + 1]++;
    }
    for (int64_t r = 0; r < p->nrecs; r++) p->drv_off[r + 1] += p->drv_off[r];
    int32_t *fill;
    if (!PL_ALLOC(fill, p->nrecs)) return pl_err(PL_ENOMEM, "ctpb write: out of memory");
    memcpy(fill, p->drv_off, (size_t)p->nrecs * sizeof *fill);
    for (int64_t n = 0; n < nl->nnets; n++) {
        if (nl->net_pin_off[n + 1] - nl->net_pin_off[n] < 2) continue;
        int32_t r = p->pin_rec[nl->net_pins[nl->net_pin_off[n]]];
        if (r >= 0) p->drv_nets[fill[r]++] = (int32_t)n;
    }
    free(fill);
    return PL_OK;
}

pl_status pl_ctpb_index(pl_netlist *nl)
{
    ct_plan p;
    pl_status s = plan_build(nl, &p);
    if (s == PL_OK) {
        for (int64_t n = 0; n < nl->nnodes; n++) nl->nodes[n].ct_index = p.node_rec[n];
        nl->ct_indexed = 1;
        nl->ct_count = (int32_t)p.nrecs;
    }
    plan_free(&p);
    return s;
}

/* ---- text output ---- */

typedef struct outbuf {
    char *data;
    int64_t len, cap;
    int failed;
} outbuf;

static void put(outbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(outbuf *b, const char *fmt, ...)
{
    if (b->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int64_t room = b->cap - b->len;
        int n = vsnprintf(b->data ? b->data + b->len : NULL, (size_t)(room > 0 ? room : 0), fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if (n < room) {
            b->len += n;
            return;
        }
        if (PL_GROW(b->data, b->cap, b->len + n + 4096) != PL_OK) {
            b->failed = 1;
            return;
        }
    }
}

/* Shortest text that reads back as the same double, always with a '.' or an exponent. */
static void fmt_f(char *buf, size_t n, double v)
{
    if (v == 0) v = 0; /* no "-0" */
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    if (!strpbrk(buf, ".eEni")) strncat(buf, ".0", n - strlen(buf) - 1);
}

static void put_str(outbuf *b, const char *s)
{
    put(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') put(b, "\\%c", *s);
        else if (*s == '\n') put(b, "\\n");
        else put(b, "%c", *s);
    }
    put(b, "\"");
}

static void attr_f(outbuf *b, const char *key, double v)
{
    char t[48];
    fmt_f(t, sizeof t, v);
    put(b, "  attr {\n    key: \"%s\"\n    value {\n      f: %s\n    }\n  }\n", key, t);
}

static void attr_s(outbuf *b, const char *key, const char *v)
{
    put(b, "  attr {\n    key: \"%s\"\n    value {\n      placeholder: ", key);
    put_str(b, v);
    put(b, "\n    }\n  }\n");
}

static const char *port_side(const pl_netlist *nl, double x, double y)
{
    if (!nl->has_die) return "LEFT";
    const pl_rect *d = &nl->die;
    double dl = x - d->x0, dr = d->x1 - x, db = y - d->y0, dt = d->y1 - y;
    double m = dl;
    const char *side = "LEFT";
    if (dr < m) m = dr, side = "RIGHT";
    if (dt < m) m = dt, side = "TOP";
    if (db < m) side = "BOTTOM";
    return side;
}

static void write_record(outbuf *b, const pl_netlist *nl, const ct_plan *p, int32_t r, int32_t *stamp)
{
    const ct_rec *rc = &p->recs[r];
    const pl_node *nd = &nl->nodes[rc->node];
    put(b, "node {\n  name: ");
    put_str(b, rc->out);
    put(b, "\n");
    /* inputs: sinks of the nets this record drives, each record once */
    int32_t nb = p->drv_off[r], ne = p->drv_off[r + 1];
    if (ne - nb > 1)
        pl_debug("parse", "ctpb write: '%s' drives %d nets; merged into one input list", rc->name, ne - nb);
    stamp[r] = r;
    for (int32_t k = nb; k < ne; k++) {
        int32_t net = p->drv_nets[k];
        for (int64_t q = nl->net_pin_off[net] + 1; q < nl->net_pin_off[net + 1]; q++) {
            int32_t sr = p->pin_rec[nl->net_pins[q]];
            if (sr < 0 || stamp[sr] == r) continue;
            stamp[sr] = r;
            put(b, "  input: ");
            put_str(b, p->recs[sr].out);
            put(b, "\n");
        }
    }
    int drives = ne > nb;
    double weight = drives ? nl->nets[p->drv_nets[nb]].weight : 1.0;
    if (rc->pin >= 0) {
        const pl_pin *pin = &nl->pins[rc->pin];
        double px, py;
        pl_pin_position(nl, rc->pin, &px, &py);
        attr_s(b, "macro_name", p->recs[p->node_rec[rc->node]].out);
        attr_s(b, "type", nd->kind == PL_NODE_MACRO ? "MACRO_PIN" : "macro_pin");
        if (drives && weight != 1.0) attr_f(b, "weight", weight);
        attr_f(b, "x", px);
        attr_f(b, "x_offset", pin->dx - 0.5 * nd->w);
        attr_f(b, "y", py);
        attr_f(b, "y_offset", pin->dy - 0.5 * nd->h);
    } else {
        double cx, cy;
        pl_node_center(nd, &cx, &cy);
        switch (nd->kind) {
        case PL_NODE_MACRO:
            attr_f(b, "height", nd->h);
            attr_s(b, "orientation", pl_orient_name(nd->orient));
            attr_s(b, "type", "MACRO");
            attr_f(b, "width", nd->w);
            break;
        case PL_NODE_SOFT:
            attr_f(b, "height", nd->h);
            attr_s(b, "type", "macro");
            attr_f(b, "width", nd->w);
            break;
        case PL_NODE_PORT: {
            int64_t pb = nl->node_pin_off[rc->node];
            if (pb < nl->node_pin_off[rc->node + 1]) pl_pin_position(nl, nl->node_pins[pb], &cx, &cy);
            attr_s(b, "side", port_side(nl, cx, cy));
            attr_s(b, "type", "PORT");
            break;
        }
        default:
            attr_f(b, "height", nd->h);
            attr_s(b, "type", "STDCELL");
            if (drives && weight != 1.0) attr_f(b, "weight", weight);
            attr_f(b, "width", nd->w);
            break;
        }
        attr_f(b, "x", cx);
        attr_f(b, "y", cy);
    }
    put(b, "}\n");
}

static pl_status write_file(const char *path, const outbuf *b)
{
    size_t n = strlen(path);
    char *tmp;
    if (n > 3 && !strcmp(path + n - 3, ".gz")) {
        int fd;
        PL_TRY(pl_tmpfile_create(path, &tmp, &fd));
        gzFile gz = gzdopen(fd, "wb");
        if (!gz) {
            close(fd);
            return pl_tmpfile_finish(pl_err(PL_EIO, "%s: cannot open a gzip stream", path), NULL, tmp, path);
        }
        int ok = 1;
        for (int64_t off = 0; ok && off < b->len;) {
            int chunk = (int)(b->len - off > (1 << 30) ? (1 << 30) : b->len - off);
            ok = gzwrite(gz, b->data + off, (unsigned)chunk) == chunk;
            off += chunk;
        }
        if (gzclose(gz) != Z_OK) ok = 0;
        pl_status s = ok ? PL_OK : pl_err(PL_EIO, "%s: write failed: %s", path, strerror(errno));
        return pl_tmpfile_finish(s, NULL, tmp, path);
    }
    FILE *f;
    PL_TRY(pl_tmpfile_open(path, &tmp, &f));
    pl_status s = fwrite(b->data, 1, (size_t)b->len, f) == (size_t)b->len
                      ? PL_OK
                      : pl_err(PL_EIO, "%s: write failed: %s", path, strerror(errno));
    return pl_tmpfile_finish(s, f, tmp, path);
}

pl_status pl_ctpb_write(const pl_netlist *nl, const char *path, const pl_ctpb_write_opts *opts)
{
    ct_plan p;
    pl_status s = plan_build(nl, &p);
    if (s == PL_OK) s = ct_names(&p);
    int32_t *stamp = NULL;
    if (s == PL_OK && !PL_ALLOC(stamp, p.nrecs)) s = pl_err(PL_ENOMEM, "ctpb write: out of memory");
    if (s != PL_OK) {
        plan_free(&p);
        return s;
    }
    for (int64_t r = 0; r < p.nrecs; r++) stamp[r] = -1;
    outbuf b = {0};
    put(&b, "# Circuit Training netlist (protobuf text) written by placer\n");
    if (opts && opts->comment) {
        const char *c = opts->comment;
        while (*c) {
            const char *e = strchr(c, '\n');
            int len = (int)(e ? e - c : (ptrdiff_t)strlen(c));
            put(&b, "# %.*s\n", len, c);
            c += len + (e ? 1 : 0);
        }
    }
    if (nl->has_die) {
        char t[4][48];
        fmt_f(t[0], sizeof t[0], nl->die.x0);
        fmt_f(t[1], sizeof t[1], nl->die.y0);
        fmt_f(t[2], sizeof t[2], nl->die.x1);
        fmt_f(t[3], sizeof t[3], nl->die.y1);
        put(&b, "# FP bbox: {%s %s} {%s %s}\n", t[0], t[1], t[2], t[3]);
    }
    put(&b, "node {\n  name: \"__metadata__\"\n");
    if (opts && opts->bloat > 0) attr_f(&b, "soft_macro_area_bloating_ratio", opts->bloat);
    put(&b, "}\n");
    for (int64_t r = 0; r < p.nrecs; r++) write_record(&b, nl, &p, (int32_t)r, stamp);
    if (b.failed) s = pl_err(PL_ENOMEM, "ctpb write: out of memory formatting %s", path);
    else s = write_file(path, &b);
    free(b.data);
    free(stamp);
    plan_free(&p);
    return s;
}
