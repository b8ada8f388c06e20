/* netlist.h: the design in memory: library (LEF), instances, IO ports, nets, floorplan.
 *
 * Layout: nodes (hard macros, standard cells, IO ports, soft macros, others) and pins live in
 * flat arrays; nets are a CSR hypergraph (net_pin_off/net_pins: net -> pins) and there is a
 * second CSR node -> pins, both built by pl_netlist_finalize(). All lengths are in microns
 * (double); dbu_per_micron says how DEF integers map to them. A node's (x, y) is the lower-left
 * corner of its placed, oriented bounding box, as in DEF; pin offsets are stored for the
 * unrotated (N) master and turned with pl_orient_apply().
 * Ownership: a pl_netlist owns everything it points to, strings in its pool included.
 * pl_netlist_free() is NULL-safe and idempotent; a failed parser leaves the netlist freeable.
 * Errors: pl_status; builders return PL_ENOMEM only. Threads: read-only use is thread-safe.
 */
#ifndef PL_NETLIST_H
#define PL_NETLIST_H

#include <stdint.h>

#include "core/alloc.h"
#include "core/status.h"
#include "core/strmap.h"

/* ---- small value types ---- */

typedef struct pl_rect {
    double x0, y0, x1, y1;
} pl_rect;

/* Grows r to contain (x, y); when first is nonzero r becomes that single point. */
void pl_rect_include(pl_rect *r, int first, double x, double y);

/* DEF orientations. N = R0, S = R180, W = R90 (counter-clockwise), E = R270,
 * FN = mirror about the Y axis, FS = mirror about the X axis, FW = FS then R90, FE = FN then R90. */
typedef enum pl_orient {
    PL_ORIENT_N = 0,
    PL_ORIENT_S,
    PL_ORIENT_E,
    PL_ORIENT_W,
    PL_ORIENT_FN,
    PL_ORIENT_FS,
    PL_ORIENT_FE,
    PL_ORIENT_FW
} pl_orient;

/* "N", "S", ... */
const char *pl_orient_name(pl_orient o);
/* Parses an orientation name of `len` bytes; -1 if it is none. */
int pl_orient_parse(const char *s, size_t len);
/* 1 if the orientation swaps width and height (E, W, FE, FW). */
int pl_orient_swaps(pl_orient o);
/* Maps a point (px, py) given in the unrotated w x h master frame to the frame of the oriented
 * bounding box (its lower-left corner at the origin). */
void pl_orient_apply(pl_orient o, double w, double h, double px, double py, double *ox, double *oy);

typedef enum pl_place_state {
    PL_PLACE_UNPLACED = 0,
    PL_PLACE_PLACED,
    PL_PLACE_FIXED,
    PL_PLACE_COVER
} pl_place_state;

typedef enum pl_node_kind {
    PL_NODE_MACRO = 0, /* hard macro: LEF CLASS BLOCK */
    PL_NODE_STDCELL,   /* LEF CLASS CORE */
    PL_NODE_PORT,      /* a design IO pin (DEF PINS), or a Circuit Training PORT */
    PL_NODE_SOFT,      /* soft macro: a cluster of standard cells */
    PL_NODE_OTHER      /* PAD, COVER, RING, ENDCAP... */
} pl_node_kind;

typedef enum pl_pin_dir {
    PL_DIR_UNKNOWN = 0,
    PL_DIR_INPUT,
    PL_DIR_OUTPUT,
    PL_DIR_INOUT,
    PL_DIR_FEEDTHRU
} pl_pin_dir;

/* Parses INPUT/OUTPUT/INOUT/FEEDTHRU (OUTPUT TRISTATE is OUTPUT); -1 if none. */
int pl_pin_dir_parse(const char *s, size_t len);

/* ---- library (LEF) ---- */

typedef enum pl_layer_dir { PL_LAYER_NONE = 0, PL_LAYER_HORIZONTAL, PL_LAYER_VERTICAL } pl_layer_dir;

typedef struct pl_layer {
    const char *name;
    const char *type;       /* ROUTING, CUT, MASTERSLICE, OVERLAP, IMPLANT... */
    pl_layer_dir dir;       /* routing layers only */
    double pitch_x, pitch_y; /* µm; PITCH p sets both */
    double width;           /* µm */
    double offset_x, offset_y;
} pl_layer;

typedef struct pl_site {
    const char *name;
    const char *cls; /* CORE, PAD */
    double w, h;     /* µm */
} pl_site;

typedef struct pl_mpin {
    const char *name;
    pl_pin_dir dir;
    const char *use;  /* SIGNAL, POWER, GROUND, CLOCK... or NULL */
    double x, y;      /* centre of the port shapes' bounding box, µm from the master's lower-left */
    int has_shape;    /* 0 when the PIN has no PORT geometry (centre then = master centre) */
} pl_mpin;

enum { PL_SYM_X = 1, PL_SYM_Y = 2, PL_SYM_R90 = 4 };

typedef struct pl_master {
    const char *name;
    const char *cls;   /* the full CLASS text: "BLOCK", "CORE", "CORE TIEHIGH", "PAD INPUT"... */
    pl_node_kind kind; /* what instances of it become */
    double w, h;       /* SIZE, µm */
    double ox, oy;     /* ORIGIN, µm */
    int symmetry;      /* PL_SYM_* bits */
    const char *site;  /* SITE name or NULL */
    int32_t pin_begin, pin_count; /* range in pl_netlist.mpins */
    int32_t obs_count; /* OBS rectangles seen */
    const char *file;  /* LEF file that defined it */
} pl_master;

/* ---- design ---- */

typedef struct pl_node {
    const char *name;
    int32_t master;      /* index into masters; -1 for ports and soft macros */
    pl_node_kind kind;
    pl_orient orient;
    pl_place_state state;
    double w, h;         /* µm, unrotated (N) size */
    double x, y;         /* µm, lower-left of the oriented bounding box */
    double halo[4];      /* µm: left, bottom, right, top (DEF HALO); zeros if none */
    int halo_soft;       /* HALO SOFT */
    double weight;       /* DEF WEIGHT (0 if none) */
    const char *source;  /* DEF SOURCE (NETLIST, DIST, USER, TIMING) or NULL */
    int32_t ct_index;    /* Circuit Training node index (.plc body); valid when nl->ct_indexed */
} pl_node;

typedef struct pl_pin {
    int32_t node;        /* owner (for an IO port: the port's node) */
    int32_t net;         /* -1: unconnected */
    int32_t mpin;        /* index into mpins, -1 for ports and non-LEF pins */
    pl_pin_dir dir;
    double dx, dy;       /* µm from the owner's lower-left, for orientation N */
    const char *name;    /* own name for non-LEF pins (Circuit Training), else NULL */
    double weight;       /* Circuit Training pin weight (1 if none) */
} pl_pin;

typedef struct pl_net {
    const char *name;
    double weight;       /* 1 unless the input says otherwise */
    int32_t driver;      /* pin index of the driver, -1 if unknown; it is first in the CSR row */
} pl_net;

typedef struct pl_row {
    const char *name, *site;
    double x, y;         /* origin, µm */
    pl_orient orient;
    int32_t nx, ny;      /* DO nx BY ny (1 x 1 if absent) */
    double sx, sy;       /* STEP, µm */
} pl_row;

typedef struct pl_tracks {
    char axis;           /* 'X' (vertical tracks, x positions) or 'Y' */
    double start, step;  /* µm */
    int32_t num;
    const char *layers;  /* the layer names, space-separated */
} pl_tracks;

typedef struct pl_gcellgrid {
    char axis;
    double start, step;
    int32_t num;
} pl_gcellgrid;

typedef enum pl_blockage_kind { PL_BLOCK_PLACEMENT = 0, PL_BLOCK_ROUTING } pl_blockage_kind;

typedef struct pl_blockage {
    pl_blockage_kind kind;
    pl_rect r;           /* µm */
    int soft;            /* + SOFT */
    double partial;      /* + PARTIAL max density in %, 0 if not partial */
    const char *layer;   /* routing blockages: layer name */
} pl_blockage;

/* Bookkeeping that lets a writer copy the placement file read (a DEF, or a Bookshelf .pl) byte-for-byte
 * and rewrite only the placement clauses of nodes that moved (see parsers/def.h, parsers/bookshelf.h). */
typedef enum pl_place_format { PL_PLACE_DEF = 0, PL_PLACE_BOOKSHELF } pl_place_format;

typedef struct pl_place_source {
    pl_place_format format;
    const char *path;       /* the DEF or .pl read */
    int64_t size;           /* its decompressed length */
    uint32_t crc;           /* CRC-32 of its decompressed text */
    int64_t *place_off;     /* per node: byte offset of the placement clause, -1 if none */
    int32_t *place_len;     /* per node: its length (0: insert before the ';') */
    pl_node *orig;          /* per node: copy as read (position, orientation, state) */
    int32_t nnodes;         /* components + ports when read */
} pl_place_source;

typedef struct pl_netlist {
    const char *design;      /* DEF DESIGN name or Circuit Training netlist name */
    double dbu_per_micron;   /* DEF UNITS, 0 if not given */
    double lef_dbu_per_micron; /* LEF UNITS DATABASE MICRONS, 0 if not given */
    double manufacturing_grid; /* µm, 0 if not given */
    pl_rect die;             /* µm; bounding box if DIEAREA was a polygon */
    int has_die;
    char divider, bus_open, bus_close; /* DEF DIVIDERCHAR, BUSBITCHARS */

    /* library */
    pl_layer *layers;   int64_t nlayers, layers_cap;
    pl_site *sites;     int64_t nsites, sites_cap;
    pl_master *masters; int64_t nmasters, masters_cap;
    pl_mpin *mpins;     int64_t nmpins, mpins_cap;

    /* design */
    pl_node *nodes;     int64_t nnodes, nodes_cap;
    pl_pin *pins;       int64_t npins, pins_cap;
    pl_net *nets;       int64_t nnets, nets_cap;
    pl_row *rows;       int64_t nrows, rows_cap;
    pl_tracks *tracks;  int64_t ntracks, tracks_cap;
    pl_gcellgrid *gcells; int64_t ngcells, gcells_cap;
    pl_blockage *blockages; int64_t nblockages, blockages_cap;

    /* CSR views, valid after pl_netlist_finalize() */
    int64_t *net_pin_off;  /* (nnets + 1) */
    int32_t *net_pins;     /* pins of net n: net_pins[net_pin_off[n] .. net_pin_off[n+1]) */
    int64_t *node_pin_off; /* (nnodes + 1) */
    int32_t *node_pins;
    int finalized;

    /* name lookup */
    pl_strmap node_by_name, net_by_name, master_by_name, layer_by_name, site_by_name;
    pl_strpool strings;

    pl_place_source *placesrc; /* set by the DEF and Bookshelf readers, NULL otherwise */
    int ct_indexed;        /* 1: read from a Circuit Training netlist; nodes carry ct_index */
    int32_t ct_count;      /* Circuit Training node count (pins included, __metadata__ not) */
} pl_netlist;

void pl_netlist_init(pl_netlist *nl);
void pl_netlist_free(pl_netlist *nl);

/* A view of base: its own copy of the nodes (positions, orientations and states may change), every
 * other array shared with base, which must outlive it and keep its arrays. pl_netlist_view_free
 * frees the copy only (NULL-safe); never pl_netlist_free a view. */
pl_status pl_netlist_view_init(pl_netlist *view, const pl_netlist *base);
void pl_netlist_view_free(pl_netlist *view);

/* Interns a string in the netlist's pool (NULL on out-of-memory). */
const char *pl_netlist_str(pl_netlist *nl, const char *s, size_t len);

/* Builders: each appends one item and returns its index through *idx. Adding a node or net
 * whose name exists returns PL_EINVAL with *idx set to the existing one (no message recorded);
 * the caller reports it with file and line. */
pl_status pl_netlist_add_node(pl_netlist *nl, const char *name, size_t len, pl_node_kind kind,
                              int32_t *idx);
pl_status pl_netlist_add_net(pl_netlist *nl, const char *name, size_t len, int32_t *idx);
/* Appends a net even if its name exists (real DEFs reuse names); lookup by name finds the
 * first net of that name. */
pl_status pl_netlist_append_net(pl_netlist *nl, const char *name, size_t len, int32_t *idx);
pl_status pl_netlist_add_pin(pl_netlist *nl, int32_t node, int32_t net, int32_t *idx);

/* Builds the CSR views (net -> pins with the driver first, node -> pins), sets each net's
 * driver when it is unknown (an OUTPUT component pin, else an INPUT port), and fills in
 * lookups. Call after the parsers; calling it again rebuilds. */
pl_status pl_netlist_finalize(pl_netlist *nl);

/* Index by name, -1 if none. */
int32_t pl_netlist_find_node(const pl_netlist *nl, const char *name);
int32_t pl_netlist_find_net(const pl_netlist *nl, const char *name);
int32_t pl_netlist_find_master(const pl_netlist *nl, const char *name);
int32_t pl_netlist_find_layer(const pl_netlist *nl, const char *name);

/* Placed footprint of a node (oriented width and height). */
double pl_node_width(const pl_node *n);
double pl_node_height(const pl_node *n);
/* Centre of the placed footprint, µm. */
void pl_node_center(const pl_node *n, double *cx, double *cy);
/* Absolute pin position (µm), orientation applied. */
void pl_pin_position(const pl_netlist *nl, int32_t pin, double *x, double *y);

/* A pin's name: its own, else its LEF master pin's name ("" for an IO port's single pin). */
const char *pl_pin_name(const pl_netlist *nl, int32_t pin);

/* Counts and areas for reports. Areas in µm². */
typedef struct pl_netlist_stats {
    int64_t components, macros, std_cells, others, soft_macros, io_pins;
    int64_t nets, net_pins;
    int64_t unplaced, placed, fixed, cover; /* over components (not IO pins) */
    double die_area, macro_area, std_cell_area;
} pl_netlist_stats;

void pl_netlist_stats_compute(const pl_netlist *nl, pl_netlist_stats *st);
/* The bounding box of the rows: a row spans (nx - 1) steps plus one site (its footprint turned with the
 * row's orientation) across and (ny - 1) steps plus one site up; rows without a known site are
 * skipped. 0 when no row counts (box untouched). */
int pl_netlist_rows_bbox(const pl_netlist *nl, pl_rect *box);

/* Approximate bytes held by the netlist (arrays, tables, strings). */
size_t pl_netlist_memory(const pl_netlist *nl);

#endif
