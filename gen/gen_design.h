/* gen_design.h: the design `placer gen` builds, shared by the driver gen.c and its stages
 * (gen_nets.h, gen_write.h), which include this and never gen.h.
 * Layout: one `gen` holds masters, then owners (macros, cells, ports, in that order, each with a
 * hidden location), then pins and nets (each net a linked list of pins). Steps: library and
 * floorplan (gen.c), nets, files. Ownership: pl_gen_design_init zeroes a `gen` and
 * pl_gen_design_free frees all its arrays; steps only fill it. Errors: pl_status with a message
 * (gen_oom when an allocation fails). Determinism: one pl_rng in `gen`, drawn in a fixed order;
 * geometry is integer DBU, hidden locations are doubles from + - * / and sqrt only, so the output
 * is the same on every platform. Threads: one per `gen`.
 */
#ifndef PL_GEN_DESIGN_H
#define PL_GEN_DESIGN_H

#include <stdint.h>
#include <stdlib.h>

#include "gen/gen_config.h"
#include "core/alloc.h"
#include "core/rng.h"
#include "core/status.h"

/* ---- technology (DBU = 1/2000 µm); the routing layers are in gen_write.c ---- */

enum {
    DBU = 2000,
    SITE_W = 380,   /* 0.19 µm */
    ROW_H = 2800,   /* 1.4 µm */
    CORE_MARGIN = 4 * ROW_H,
    IO_SLOT = 1120,        /* spacing of IO pin slots along the die edge */
    IO_CORNER_X = 4200,    /* first IO slot on the bottom/top edges: a metal4 track */
    IO_CORNER_Y = 4340,    /* first IO slot on the left/right edges: a metal3 track */
    IO_LEN = 560,          /* IO pin shape length into the die */
    MPIN_PITCH = 560,      /* macro pin pitch along an edge */
    MPIN_MARGIN = 1120,    /* no macro pins this close to a macro corner */
    MPIN_LEN = 560,        /* macro pin shape length into the macro */
    MACRO_MIN_SIDE = 16000 /* 8 µm */
};

/* ---- standard cells ---- */

typedef struct cell_def {
    const char *name;
    int sites;
    int nin;                 /* inputs; the last pin is the single output */
    const char *pins[5];
    int clock_pin;           /* index of a clock input, -1 if none */
    int weight;              /* relative frequency */
} cell_def;

static const cell_def CELLS[] = {
    {"INV_X1", 2, 1, {"A", "ZN"}, -1, 10},
    {"BUF_X2", 3, 1, {"A", "Z"}, -1, 5},
    {"NAND2_X1", 3, 2, {"A1", "A2", "ZN"}, -1, 20},
    {"NOR2_X1", 3, 2, {"A1", "A2", "ZN"}, -1, 12},
    {"AOI21_X1", 4, 3, {"A", "B1", "B2", "ZN"}, -1, 12},
    {"OAI21_X1", 4, 3, {"A", "B1", "B2", "ZN"}, -1, 10},
    {"XOR2_X1", 5, 2, {"A", "B", "Z"}, -1, 6},
    {"MUX2_X1", 6, 3, {"A", "B", "S", "Z"}, -1, 8},
    {"DFF_X1", 18, 2, {"D", "CK", "Q"}, 1, 12},
};
enum { NCELLS = sizeof CELLS / sizeof CELLS[0] };

/* ---- macro templates ---- */

typedef struct macro_tpl {
    double aspect;  /* width / height */
    double rel;     /* relative area */
    int sides;      /* 0: all pins on the bottom edge; 1: inputs left, outputs right */
    int abits;      /* address bits: 2^abits words */
} macro_tpl;

static const macro_tpl TEMPLATES[] = {
    {1.0, 1.0, 0, 7}, {2.4, 2.0, 0, 8}, {0.45, 1.5, 1, 9}, {1.4, 0.6, 1, 6},
};
enum { NTEMPLATES = sizeof TEMPLATES / sizeof TEMPLATES[0], MAX_BITS = 64 };

typedef struct gmpin {
    char name[16];
    int is_out, is_clock;
    const char *layer;
    int64_t x0, y0, x1, y1;
} gmpin;

typedef struct gmaster {
    char name[32];
    int tpl, abits, bits;
    int64_t w, h;
    int npins;
    gmpin *pins;
} gmaster;

/* ---- the design being generated ---- */

enum { OWN_MACRO = 0, OWN_CELL, OWN_PORT };

typedef struct gowner {
    int kind;
    int32_t type;         /* macro master, cell master, or port direction (1: output port) */
    double x, y;          /* hidden location, DBU */
    int32_t pin0, npins;  /* range in pins */
    int32_t nfree;        /* inputs not yet on a net */
    int32_t cluster;      /* cells: cluster index, -1 for uniform */
    int32_t serial;       /* cells: running number in the name */
} gowner;

typedef struct gpin {
    int32_t owner;
    int32_t mpin;          /* pin index in the owner's master (0 for ports) */
    int32_t net;           /* -1: unconnected */
    int32_t next;          /* next pin on the same net, -1 at the end */
    uint8_t is_out, is_clock;
} gpin;

typedef struct gnet {
    int32_t driver, tail, count;
} gnet;

typedef struct gport {
    char name[40];
    int is_out;
    int64_t x, y;          /* placement point on the die edge */
    int edge;              /* 0 bottom, 1 right, 2 top, 3 left */
    int group;
} gport;

typedef struct gcluster {
    double x, y, sigma, weight;
    char prefix[48];       /* instance name prefix, "" for none */
} gcluster;

typedef struct grid {
    int gx, gy;
    double x0, y0, bw, bh;
    int32_t *off;          /* (gx*gy + 1) */
    int32_t *items;
} grid;

typedef struct gcand {
    double d2;
    int32_t id;
} gcand;

typedef struct gen {
    const pl_gen_config *cfg;
    pl_rng rng;
    int nmasters;
    gmaster masters[NTEMPLATES];
    int32_t *macro_master;           /* per macro instance */
    int32_t *cell_master;            /* per cell */
    int64_t core_x0, core_y0, core_w, core_h, die_w, die_h;
    int32_t nrows;
    gport *ports;
    int nclusters;
    gcluster *clusters;
    int32_t nowners;
    gowner *owners;
    int32_t npins, pins_cap;
    gpin *pins;
    int32_t nnets, nets_cap;
    gnet *nets;
    int32_t clock_net;
    int64_t free_total;
    /* sink-owner grid (owners with free inputs) and driver grid (driver pins) */
    grid sg, dg;
    int32_t *bucket_free;            /* per sink-grid bucket: free inputs in it */
    int32_t *owner_bucket;
    uint32_t *mark, stamp;
    gcand *cand;             /* nearby(): candidates sorted by (distance, id) */
    int32_t cand_cap;
} gen;

/* ---- small helpers ---- */

static inline double uniform(gen *g) { return pl_rng_uniform(&g->rng); }
static inline int32_t below(gen *g, int64_t n) { return (int32_t)pl_rng_below(&g->rng, (uint64_t)n); }

static inline void shuffle(gen *g, int32_t *a, int32_t n)
{
    for (int32_t i = n - 1; i > 0; i--) {
        int32_t j = below(g, i + 1);
        int32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* The error of a failed allocation of `what`. */
static inline pl_status gen_oom(const char *what) { return pl_err(PL_ENOMEM, "gen: out of memory (%s)", what); }

/* Zeroes g, borrows cfg and seeds the generator's one pl_rng from cfg->seed. */
void pl_gen_design_init(gen *g, const pl_gen_config *cfg);
/* Frees every array of g and zeroes it: safe on a partly built gen, on NULL and twice. */
void pl_gen_design_free(gen *g);

#endif
