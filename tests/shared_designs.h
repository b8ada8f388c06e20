/* shared_designs.h: the full LEF/DEF designs of ../shared/designs with the figures their
 * README gives (used by tests and benchmarks). Paths are relative to the shared folder. */
#ifndef PL_SHARED_DESIGNS_H
#define PL_SHARED_DESIGNS_H

#include <stdio.h>
#include <string.h>

typedef struct pl_shared_design {
    const char *name;
    const char *def;
    const char *lefs[6];
    int macros, std_cells, nets, io_pins, dbu;
    double macro_ratio, std_cell_ratio; /* README, rounded to 0.1 % */
    double die_w, die_h;                /* µm */
} pl_shared_design;

static const pl_shared_design PL_SHARED_DESIGNS[] = {
    {"ng45_bp_fe_top", "designs/ng45_bp_fe_top/bp_fe_top.def.gz",
     {"designs/nangate45/Nangate45_tech.lef", "designs/nangate45/Nangate45_stdcell.lef",
      "designs/ng45_bp_fe_top/fakeram45_512x64.lef", "designs/ng45_bp_fe_top/fakeram45_64x7.lef",
      "designs/ng45_bp_fe_top/fakeram45_64x96.lef", 0},
     11, 29855, 32096, 2511, 2000, 0.339, 0.102, 800, 600},
    {"ng45_mempool_tile", "designs/ng45_mempool_tile/mempool_tile_wrap.def.gz",
     {"designs/nangate45/Nangate45_tech.lef", "designs/nangate45/Nangate45_stdcell.lef",
      "designs/ng45_mempool_tile/fakeram45_256x32.lef", "designs/ng45_mempool_tile/fakeram45_64x64.lef", 0},
     20, 137327, 142790, 1272, 2000, 0.231, 0.254, 900.03, 900.06},
    {"asap7_ariane133", "designs/asap7_ariane133/ariane.def.gz",
     {"designs/asap7/asap7_tech_1x_201209.lef", "designs/asap7/asap7sc7p5t_27_R_1x_201211.lef",
      "designs/asap7_ariane133/sram_asap7_16x256_1rw.lef", 0},
     133, 100702, 103057, 495, 1000, 0.365, 0.290, 226.44, 225.972},
    {"ct_ariane133", "designs/ct_ariane133/ariane.def.gz", {"designs/ct_ariane133/ariane.lef", 0},
     133, 82821, 85193, 1231, 2000, 0.591, 0.097, 356.592, 356.64},
    {"sky130hd_ariane136", "designs/sky130hd_ariane136/ariane.def.gz",
     {"designs/sky130hd_fs/9M_li_2Ma_2Mb_2Mc_2Md_1Me.tlef", "designs/sky130hd_fs/sky130_fd_sc_hd_merged.lef",
      "designs/sky130hd_ariane136/fakeram130_256x16.lef", 0},
     136, 85297, 90714, 495, 1000, 0.517, 0.073, 3755.9, 3754.96},
};
enum { PL_NSHARED_DESIGNS = sizeof PL_SHARED_DESIGNS / sizeof PL_SHARED_DESIGNS[0] };

/* The design called name, or NULL. */
static inline const pl_shared_design *pl_shared_design_find(const char *name)
{
    for (int i = 0; i < PL_NSHARED_DESIGNS; i++)
        if (!strcmp(PL_SHARED_DESIGNS[i].name, name)) return &PL_SHARED_DESIGNS[i];
    return NULL;
}

/* A design's DEF and LEF paths under the shared folder; lp[0 .. nlef) point into lefs. */
typedef struct pl_shared_paths {
    char def[1024], lefs[6][1024];
    const char *lp[6];
    int nlef;
} pl_shared_paths;

/* Fills p for d under the folder `shared`; 1 when the DEF is there. */
static inline int pl_shared_design_paths(const pl_shared_design *d, const char *shared, pl_shared_paths *p)
{
    snprintf(p->def, sizeof p->def, "%s/%s", shared, d->def);
    for (p->nlef = 0; d->lefs[p->nlef]; p->nlef++) {
        snprintf(p->lefs[p->nlef], sizeof p->lefs[0], "%s/%s", shared, d->lefs[p->nlef]);
        p->lp[p->nlef] = p->lefs[p->nlef];
    }
    FILE *f = fopen(p->def, "rb");
    if (f) fclose(f);
    return f != NULL;
}

#endif
