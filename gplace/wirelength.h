/* wirelength.h: weighted-average (WA) wirelength of global placement, with its gradient.
 *
 * WA_e = Σ_p x_p e^{x_p/γ} / Σ_p e^{x_p/γ} - Σ_p x_p e^{-x_p/γ} / Σ_p e^{-x_p/γ} per axis (Hsu et al.,
 * DAC 2011): a smooth HPWL that tends to it as γ -> 0. Layout: nobj movable objects (centres x, y,
 * µm); nets with at least two kept pins and one movable pin in CSR; a movable pin stores its offset
 * from its object's centre (orientation applied), a fixed pin its absolute position (µm).
 * Ownership: a pl_gp_wl owns its arrays; init/free pairs, free NULL-safe and idempotent, a failed init
 * leaves it freeable. Errors: init PL_ENOMEM/PL_EINVAL. Threads: forward and backward split nets and
 * objects over `threads`; each value is computed by one thread in a fixed order and the totals are
 * summed serially, so results are bit-identical for any thread count.
 */
#ifndef PL_GPLACE_WIRELENGTH_H
#define PL_GPLACE_WIRELENGTH_H

#include <stdint.h>

#include "core/netlist.h"

typedef struct pl_gp_wl {
    int32_t nobj;              /* movable objects */
    int64_t nnets, npins;      /* nets kept and their pins */
    int64_t *net_off;          /* (nnets + 1) pins of net e: [net_off[e], net_off[e + 1]) */
    double *net_w;             /* (nnets) net weight */
    int32_t *pin_obj;          /* (npins) movable object, -1 for a fixed pin */
    double *pin_dx, *pin_dy;   /* (npins) offset from the object's centre, or absolute position */
    int64_t *obj_off;          /* (nobj + 1) CSR object -> indices into the pin arrays */
    int64_t *obj_pins;         /* (npins) */
    double *obj_deg;           /* (nobj) Σ weights of the kept nets on the object's pins */
    /* the last forward: per pin d(WA)/d(pin) and per net values */
    double *pin_v, *pin_ep, *pin_en; /* (npins) scratch */
    double *pin_gx, *pin_gy;   /* (npins) */
    double *net_wa, *net_hp;   /* (nnets) weighted WA and HPWL */
} pl_gp_wl;

/* Builds the nets of a finalized nl. slot (N): the movable object of each node, -1 for a node
 * that stays where it is (its pins are fixed terminals), -2 for a node left out (its pins are
 * dropped). The offsets of movable pins come from the nodes' current centres and orientations.
 * Nets with more than max_degree kept pins are left out (max_degree 0: none). */
pl_status pl_gp_wl_init(pl_gp_wl *w, const pl_netlist *nl, const int32_t *slot, int32_t nobj, int max_degree);
void pl_gp_wl_free(pl_gp_wl *w);

/* Σ w_e (WA_x + WA_y) at the object centres x, y (nobj) for gamma > 0 (µm); *hpwl (if not NULL)
 * gets Σ w_e HPWL_e over the kept nets. Keeps the per-pin derivatives for backward. */
double pl_gp_wl_forward(pl_gp_wl *w, const double *x, const double *y, double gamma, int threads, double *hpwl);

/* Adds the gradient of the last forward's WA to gx, gy (nobj). */
void pl_gp_wl_backward(const pl_gp_wl *w, double *gx, double *gy, int threads);

#endif
