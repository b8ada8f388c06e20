/* density.h: the electrostatic density of global placement (ePlace): bins, charges, potential, field.
 *
 * Layout: a bx x by grid of bins over a region (bin (i, j) at index i·by + j, i along x); maps are
 * (bx·by) arrays of area in µm². Charges are rectangles (centre, half sizes, charge density q). The
 * solve takes ρ = (movable map + fixed_scale · fixed) / bin area, drops its mean and solves
 * ∇²ψ = -ρ with Neumann borders by a cosine expansion (FFTW's DCT/DST, no FFT of ours): ψ in µm²,
 * E = -∇ψ in µm. A charge's energy gradient is -Σ overlap · q · E over its bins (gather).
 * Ownership: a pl_gp_density owns its arrays and FFTW plans; init/free pairs, free NULL-safe and
 * idempotent, a failed init leaves it freeable. Errors: init PL_EINVAL/PL_ENOMEM; the rest cannot fail.
 * Threads: init and free are not thread-safe (FFTW's planner); spread/solve/gather split their
 * work over `threads` so that results are bit-identical for any thread count (fixed order).
 */
#ifndef PL_GPLACE_DENSITY_H
#define PL_GPLACE_DENSITY_H

#include <stdint.h>

#include "core/netlist.h"

typedef struct pl_gp_fft pl_gp_fft;

typedef struct pl_gp_density {
    int bx, by;             /* bins along x and y */
    double x0, y0, bw, bh;  /* the region's lower-left and the bin size, µm */
    double *fixed;          /* (B) fixed area in each bin, µm², at most the bin's area */
    double *mov;            /* (B) movable map that pl_gp_density_solve reads, µm² */
    double *psi, *ex, *ey;  /* (B) potential (µm², only when asked) and field (µm) at bin centres */
    double *exy;            /* (2B) the field interleaved (ex, ey) for the gather */
    pl_gp_fft *fft;         /* plans and spectra (private) */
} pl_gp_density;

/* A set of n rectangular charges; q NULL means 1 (the rectangle's own area). */
typedef struct pl_gp_charges {
    int64_t n;
    const double *x, *y;    /* (n) centres, µm */
    const double *hw, *hh;  /* (n) half width and height, µm */
    const double *q;        /* (n) charge per unit area, or NULL */
} pl_gp_charges;

/* A bx x by grid over `region` (bx, by >= 2). */
pl_status pl_gp_density_init(pl_gp_density *d, pl_rect region, int bx, int by);
void pl_gp_density_free(pl_gp_density *d);

/* Adds factor · (overlap of r with each bin) to d->fixed (call pl_gp_density_fixed_done after). */
void pl_gp_density_add_fixed(pl_gp_density *d, pl_rect r, double factor);
/* Clips each bin's fixed area to the bin's area (overlapping obstacles count once). */
void pl_gp_density_fixed_done(pl_gp_density *d);

/* map (B) = Σ q · overlap of each charge with each bin; parts outside the grid are dropped. */
void pl_gp_density_spread(const pl_gp_density *d, const pl_gp_charges *c, double *map, int threads);

/* The field (and the potential when want_psi) of d->mov + fixed_scale · d->fixed. */
void pl_gp_density_solve(pl_gp_density *d, double fixed_scale, int want_psi, int threads);

/* gx, gy (n) = the energy gradient of each charge, -Σ overlap · q · E (written, not added). */
void pl_gp_density_gather(const pl_gp_density *d, const pl_gp_charges *c, double *gx, double *gy, int threads);

/* Σ over bins of max(0, map - target · (bin area - fixed)), µm²: the area above capacity. */
double pl_gp_density_overflow(const pl_gp_density *d, const double *map, double target);

/* ½ Σ (map + fixed_scale · fixed) · ψ over bins, µm⁴ (after a solve with want_psi). */
double pl_gp_density_energy(const pl_gp_density *d, double fixed_scale);

#endif
