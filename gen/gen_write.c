/* gen_write.c: output of `placer gen`: technology, cell and macro LEF, the DEF, atomic files. */
#include "gen/gen_write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/tmpfile.h"

/* ---- technology: routing layers ---- */

typedef struct layer_def {
    const char *name;
    char dir;                     /* 'H', 'V' */
    int pitch, width, spacing, offset;
} layer_def;

static const layer_def LAYERS[] = {
    {"metal1", 'H', 280, 140, 130, 140}, {"metal2", 'V', 380, 140, 140, 190},
    {"metal3", 'H', 280, 140, 140, 140}, {"metal4", 'V', 560, 280, 280, 280},
    {"metal5", 'H', 560, 280, 280, 280}, {"metal6", 'V', 560, 280, 280, 280},
};
enum { NLAYERS = sizeof LAYERS / sizeof LAYERS[0] };

/* Writes dbu as microns with no trailing zeros: 2000 -> "1", 190 -> "0.095". */
static const char *um(char *buf, int64_t dbu)
{
    const char *sign = dbu < 0 ? "-" : "";
    int64_t a = dbu < 0 ? -dbu : dbu;
    int64_t ip = a / DBU, frac = (a % DBU) * (10000 / DBU);
    if (frac == 0) {
        sprintf(buf, "%s%lld", sign, (long long)ip);
        return buf;
    }
    char f[8];
    sprintf(f, "%04lld", (long long)frac);
    for (int i = 3; i > 0 && f[i] == '0'; i--) f[i] = '\0';
    sprintf(buf, "%s%lld.%s", sign, (long long)ip, f);
    return buf;
}

/* ---- output files: each written to a temporary in the same folder, renamed at the end ---- */

typedef struct outfile {
    FILE *f;
    char *tmp;             /* pl_tmpfile_open's name; pl_tmpfile_finish frees it */
    char path[4096];
} outfile;

static pl_status out_open(outfile *o, const char *dir, const char *name, const char *suffix)
{
    int n = snprintf(o->path, sizeof o->path, "%s/%s%s", dir, name, suffix);
    if (n < 0 || (size_t)n >= sizeof o->path) return pl_err(PL_EINVAL, "gen: output path too long: %s", dir);
    return pl_tmpfile_open(o->path, &o->tmp, &o->f);
}

/* Flushes o and syncs it to disk, so that a failed write shows before any file is renamed. */
static pl_status out_sync(const outfile *o)
{
    if (ferror(o->f) || fflush(o->f) != 0 || fsync(fileno(o->f)) != 0)
        return pl_err(PL_EIO, "gen: cannot write %s: %s", o->path, strerror(errno));
    return PL_OK;
}

static void header_comment(FILE *f, const pl_gen_config *cfg, const char *what)
{
    fprintf(f, "# %s: written by `placer gen --name %s --macros %d --cells %d --ios %d "
               "--utilization %g --macro-ratio %g --seed %llu`\n",
            what, cfg->name, cfg->macros, cfg->cells, cfg->ios, cfg->utilization,
            cfg->macro_area_ratio, (unsigned long long)cfg->seed);
}

static void lef_head(FILE *f)
{
    fprintf(f, "VERSION 5.8 ;\nBUSBITCHARS \"[]\" ;\nDIVIDERCHAR \"/\" ;\n\n");
}

static void write_tlef(FILE *f, const pl_gen_config *cfg)
{
    char a[32], b[32], c[32], d[32];
    header_comment(f, cfg, "technology LEF");
    lef_head(f);
    fprintf(f, "UNITS\n  DATABASE MICRONS %d ;\nEND UNITS\n\n", DBU);
    fprintf(f, "MANUFACTURINGGRID %s ;\n\n", um(a, 10));
    fprintf(f, "SITE CoreSite\n  CLASS CORE ;\n  SYMMETRY Y ;\n  SIZE %s BY %s ;\nEND CoreSite\n\n",
            um(a, SITE_W), um(b, ROW_H));
    for (int i = 0; i < NLAYERS; i++) {
        const layer_def *l = &LAYERS[i];
        fprintf(f, "LAYER %s\n  TYPE ROUTING ;\n  DIRECTION %s ;\n  PITCH %s ;\n  WIDTH %s ;\n"
                   "  SPACING %s ;\n  OFFSET %s ;\nEND %s\n\n",
                l->name, l->dir == 'H' ? "HORIZONTAL" : "VERTICAL", um(a, l->pitch),
                um(b, l->width), um(c, l->spacing), um(d, l->offset), l->name);
        if (i + 1 < NLAYERS) {
            int w = LAYERS[i + 1].width < l->width ? LAYERS[i + 1].width : l->width;
            fprintf(f, "LAYER via%d\n  TYPE CUT ;\n  SPACING %s ;\n  WIDTH %s ;\nEND via%d\n\n", i + 1,
                    um(a, w + w / 7), um(b, w), i + 1);
        }
    }
    fprintf(f, "END LIBRARY\n");
}

static void write_rect(FILE *f, const char *indent, int64_t x0, int64_t y0, int64_t x1, int64_t y1)
{
    char a[32], b[32], c[32], d[32];
    fprintf(f, "%sRECT %s %s %s %s ;\n", indent, um(a, x0), um(b, y0), um(c, x1), um(d, y1));
}

static void write_cells_lef(FILE *f, const pl_gen_config *cfg)
{
    char a[32], b[32];
    header_comment(f, cfg, "standard-cell LEF");
    lef_head(f);
    for (int i = 0; i < NCELLS; i++) {
        const cell_def *c = &CELLS[i];
        int64_t w = (int64_t)c->sites * SITE_W;
        fprintf(f, "MACRO %s\n  CLASS CORE ;\n  ORIGIN 0 0 ;\n  FOREIGN %s 0 0 ;\n  SIZE %s BY %s ;\n"
                   "  SYMMETRY X Y ;\n  SITE CoreSite ;\n",
                c->name, c->name, um(a, w), um(b, ROW_H));
        int nsig = c->nin + 1;
        for (int k = 0; k < nsig; k++) {
            int64_t x = w * (2 * k + 1) / (2 * nsig) / 10 * 10;
            const char *dir = k == c->nin ? "OUTPUT" : "INPUT";
            const char *use = k == c->clock_pin ? "CLOCK" : "SIGNAL";
            fprintf(f, "  PIN %s\n    DIRECTION %s ;\n    USE %s ;\n    PORT\n      LAYER metal1 ;\n",
                    c->pins[k], dir, use);
            write_rect(f, "        ", x - 70, 700, x + 70, 2100);
            fprintf(f, "    END\n  END %s\n", c->pins[k]);
        }
        static const char *PWR[2] = {"VDD", "VSS"};
        for (int k = 0; k < 2; k++) {
            fprintf(f, "  PIN %s\n    DIRECTION INOUT ;\n    USE %s ;\n    SHAPE ABUTMENT ;\n    PORT\n"
                       "      LAYER metal1 ;\n",
                    PWR[k], k == 0 ? "POWER" : "GROUND");
            if (k == 0) write_rect(f, "        ", 0, ROW_H - 170, w, ROW_H);
            else write_rect(f, "        ", 0, 0, w, 170);
            fprintf(f, "    END\n  END %s\n", PWR[k]);
        }
        fprintf(f, "  OBS\n    LAYER metal1 ;\n");
        write_rect(f, "      ", 0, 240, w, 560);
        fprintf(f, "  END\nEND %s\n\n", c->name);
    }
    fprintf(f, "END LIBRARY\n");
}

static void write_macros_lef(FILE *f, const gen *g)
{
    char a[32], b[32];
    header_comment(f, g->cfg, "macro LEF");
    lef_head(f);
    for (int i = 0; i < g->nmasters; i++) {
        const gmaster *m = &g->masters[i];
        fprintf(f, "MACRO %s\n  CLASS BLOCK ;\n  ORIGIN 0 0 ;\n  FOREIGN %s 0 0 ;\n  SIZE %s BY %s ;\n"
                   "  SYMMETRY X Y R90 ;\n",
                m->name, m->name, um(a, m->w), um(b, m->h));
        for (int k = 0; k < m->npins; k++) {
            const gmpin *p = &m->pins[k];
            fprintf(f, "  PIN %s\n    DIRECTION %s ;\n    USE %s ;\n    PORT\n      LAYER %s ;\n", p->name,
                    p->is_out ? "OUTPUT" : "INPUT", p->is_clock ? "CLOCK" : "SIGNAL", p->layer);
            write_rect(f, "        ", p->x0, p->y0, p->x1, p->y1);
            fprintf(f, "    END\n  END %s\n", p->name);
        }
        /* power stripes on metal4, clear of the pins and their keep-out */
        int64_t inset = MPIN_LEN + 2 * MPIN_MARGIN;
        static const char *PWR[2] = {"VDD", "VSS"};
        for (int k = 0; k < 2; k++) {
            int64_t x = (m->w * (1 + 2 * k) / 4) / 10 * 10;
            fprintf(f, "  PIN %s\n    DIRECTION INOUT ;\n    USE %s ;\n    PORT\n      LAYER metal4 ;\n",
                    PWR[k], k == 0 ? "POWER" : "GROUND");
            write_rect(f, "        ", x - 560, inset, x + 560, m->h - inset);
            fprintf(f, "    END\n  END %s\n", PWR[k]);
        }
        int64_t side = TEMPLATES[m->tpl].sides ? MPIN_LEN + 280 : 0;
        fprintf(f, "  OBS\n    LAYER metal1 ;\n");
        write_rect(f, "      ", 0, 0, m->w, m->h);
        fprintf(f, "    LAYER metal2 ;\n");
        write_rect(f, "      ", 0, 0, m->w, m->h);
        fprintf(f, "    LAYER metal3 ;\n");
        write_rect(f, "      ", side, 0, m->w - side, m->h);
        fprintf(f, "  END\nEND %s\n\n", m->name);
    }
    fprintf(f, "END LIBRARY\n");
}

/* Instance name of owner o into buf. */
static const char *owner_name(const gen *g, int32_t o, char *buf, size_t n)
{
    const gowner *w = &g->owners[o];
    if (w->kind == OWN_MACRO) snprintf(buf, n, "mem%d/u_sram", o);
    else if (w->kind == OWN_CELL)
        snprintf(buf, n, "%s_%d_", w->cluster >= 0 ? g->clusters[w->cluster].prefix : "", w->serial);
    else snprintf(buf, n, "%s", g->ports[o - g->cfg->macros - g->cfg->cells].name);
    return buf;
}

static const char *pin_name(const gen *g, int32_t p)
{
    const gpin *pp = &g->pins[p];
    const gowner *w = &g->owners[pp->owner];
    if (w->kind == OWN_MACRO) return g->masters[w->type].pins[pp->mpin].name;
    if (w->kind == OWN_CELL) return CELLS[w->type].pins[pp->mpin];
    return "PIN";
}

/* Net names: an input port's net takes the port's name, a net feeding an output port that
 * port's name, an SRAM output `memK/rdata\[b\]` (an escaped name), the rest n<k>. */
static void net_names(const gen *g, char (*names)[48])
{
    int32_t serial = 0;
    for (int32_t p = 0; p < g->npins; p++) {
        const gpin *dp = &g->pins[p];
        if (!dp->is_out || dp->net < 0) continue;
        char *nm = names[dp->net];
        const gowner *w = &g->owners[dp->owner];
        int32_t port_sink = -1;
        for (int32_t q = g->nets[dp->net].driver; q >= 0 && port_sink < 0; q = g->pins[q].next)
            if (g->owners[g->pins[q].owner].kind == OWN_PORT && !g->pins[q].is_out) port_sink = q;
        if (w->kind == OWN_PORT) snprintf(nm, 48, "%s", g->ports[dp->owner - g->cfg->macros - g->cfg->cells].name);
        else if (port_sink >= 0)
            snprintf(nm, 48, "%s", g->ports[g->pins[port_sink].owner - g->cfg->macros - g->cfg->cells].name);
        else if (w->kind == OWN_MACRO) {
            const char *pn = g->masters[w->type].pins[dp->mpin].name; /* "Q[5]" */
            snprintf(nm, 48, "mem%d/rdata\\[%s", dp->owner, strchr(pn, '[') + 1);
            nm[strlen(nm) - 1] = '\0';
            strcat(nm, "\\]");
        } else snprintf(nm, 48, "n%d", serial++);
    }
}

static const char *ORIENT_OF_EDGE[4] = {"N", "W", "S", "E"};

static void write_def(FILE *f, const gen *g, char (*names)[48])
{
    const pl_gen_config *cfg = g->cfg;
    char buf[128];
    header_comment(f, cfg, "design DEF");
    fprintf(f, "VERSION 5.8 ;\nDIVIDERCHAR \"/\" ;\nBUSBITCHARS \"[]\" ;\nDESIGN %s ;\n"
               "UNITS DISTANCE MICRONS %d ;\n\n",
            cfg->name, DBU);
    fprintf(f, "DIEAREA ( 0 0 ) ( %lld %lld ) ;\n\n", (long long)g->die_w, (long long)g->die_h);
    int64_t nsites = g->core_w / SITE_W;
    for (int32_t r = 0; r < g->nrows; r++)
        fprintf(f, "ROW ROW_%d CoreSite %lld %lld %s DO %lld BY 1 STEP %d 0 ;\n", r,
                (long long)g->core_x0, (long long)(g->core_y0 + (int64_t)r * ROW_H), r % 2 ? "FS" : "N",
                (long long)nsites, SITE_W);
    fprintf(f, "\n");
    for (int i = 0; i < NLAYERS; i++) {
        const layer_def *l = &LAYERS[i];
        for (int axis = 0; axis < 2; axis++) {
            int64_t len = axis == 0 ? g->die_w : g->die_h;
            int64_t num = (len - l->offset) / l->pitch + 1;
            fprintf(f, "TRACKS %c %d DO %lld STEP %d LAYER %s ;\n", axis == 0 ? 'X' : 'Y', l->offset,
                    (long long)num, l->pitch, l->name);
        }
    }
    fprintf(f, "\nCOMPONENTS %d ;\n", cfg->macros + cfg->cells);
    for (int32_t o = 0; o < cfg->macros + cfg->cells; o++) {
        const gowner *w = &g->owners[o];
        fprintf(f, "- %s %s + UNPLACED ;\n", owner_name(g, o, buf, sizeof buf),
                w->kind == OWN_MACRO ? g->masters[w->type].name : CELLS[w->type].name);
    }
    fprintf(f, "END COMPONENTS\n\n");

    fprintf(f, "PINS %d ;\n", cfg->ios);
    for (int32_t i = 0; i < cfg->ios; i++) {
        const gport *p = &g->ports[i];
        int32_t pin = g->owners[cfg->macros + cfg->cells + i].pin0;
        const layer_def *l = &LAYERS[(p->edge == 0 || p->edge == 2) ? 3 : 2];
        fprintf(f, "- %s + NET %s + DIRECTION %s + USE SIGNAL\n  + LAYER %s ( %d 0 ) ( %d %d )\n"
                   "  + PLACED ( %lld %lld ) %s ;\n",
                p->name, names[g->pins[pin].net], p->is_out ? "OUTPUT" : "INPUT", l->name,
                -l->width / 2, l->width / 2, IO_LEN, (long long)p->x, (long long)p->y,
                ORIENT_OF_EDGE[p->edge]);
    }
    fprintf(f, "END PINS\n\n");

    fprintf(f, "SPECIALNETS 2 ;\n- VDD ( * VDD ) + USE POWER ;\n- VSS ( * VSS ) + USE GROUND ;\n"
               "END SPECIALNETS\n\n");

    int32_t nout = 0;
    for (int32_t n = 0; n < g->nnets; n++) nout += g->nets[n].count >= 2;
    fprintf(f, "NETS %d ;\n", nout);
    for (int32_t p = 0; p < g->npins; p++) {
        const gpin *dp = &g->pins[p];
        if (!dp->is_out || dp->net < 0 || g->nets[dp->net].count < 2) continue;
        fprintf(f, "- %s", names[dp->net]);
        int k = 0;
        for (int32_t q = g->nets[dp->net].driver; q >= 0; q = g->pins[q].next, k++) {
            if (k > 0 && k % 4 == 0) fprintf(f, "\n ");
            const gowner *w = &g->owners[g->pins[q].owner];
            if (w->kind == OWN_PORT) fprintf(f, " ( PIN %s )", owner_name(g, g->pins[q].owner, buf, sizeof buf));
            else fprintf(f, " ( %s %s )", owner_name(g, g->pins[q].owner, buf, sizeof buf), pin_name(g, q));
        }
        fprintf(f, " + USE %s ;\n", dp->net == g->clock_net ? "CLOCK" : "SIGNAL");
    }
    fprintf(f, "END NETS\n\nEND DESIGN\n");
}

static pl_status make_dirs(const char *dir)
{
    char path[4096];
    size_t len = strlen(dir);
    if (len == 0 || len >= sizeof path) return pl_err(PL_EINVAL, "gen: bad output folder '%s'", dir);
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0') continue;
        char c = path[i];
        path[i] = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return pl_err(PL_EIO, "gen: cannot create folder %s: %s", path, strerror(errno));
        path[i] = c;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return pl_err(PL_EIO, "gen: %s is not a folder", dir);
    return PL_OK;
}

/* Writes the four files to temporaries, then renames them all into place only if every one was
 * written; on failure each temporary is removed. */
static pl_status write_all(const gen *g, const char *dir)
{
    const pl_gen_config *cfg = g->cfg;
    static const char *SUFFIX[4] = {".tlef", "_cells.lef", "_macros.lef", ".def"};
    char (*names)[48];
    if (!PL_CALLOC(names, (int64_t)g->nnets + 1)) return gen_oom("net names");
    net_names(g, names);
    outfile out[4];
    memset(out, 0, sizeof out);
    pl_status s = PL_OK;
    for (int i = 0; i < 4 && s == PL_OK; i++) {
        s = out_open(&out[i], dir, cfg->name, SUFFIX[i]);
        if (s != PL_OK) break;
        if (i == 0) write_tlef(out[i].f, cfg);
        else if (i == 1) write_cells_lef(out[i].f, cfg);
        else if (i == 2) write_macros_lef(out[i].f, g);
        else write_def(out[i].f, g, names);
        s = out_sync(&out[i]);
    }
    free(names);
    for (int i = 0; i < 4; i++)
        if (out[i].tmp) s = pl_tmpfile_finish(s, out[i].f, out[i].tmp, out[i].path);
    return s;
}

pl_status pl_gen_files_write(const gen *g, const char *dir)
{
    PL_TRY(make_dirs(dir));
    return write_all(g, dir);
}
