/* colors.h: the palette of floorplan images and the heatmap colour scale (viz-internal, no Cairo).
 *
 * Colours are 0xRRGGBB. The palette follows Paul Tol's colour-blind-safe "bright" scheme; the heatmap
 * scale is a perceptually ordered light-yellow -> orange -> red -> dark-purple ramp (like ColorBrewer
 * YlOrRd extended), readable over a light die. Pure functions; thread-safe.
 */
#ifndef PL_VIZ_COLORS_H
#define PL_VIZ_COLORS_H

#define PL_VIZ_BACKGROUND 0xffffffu
#define PL_VIZ_DIE_FILL 0xf3f3f0u
#define PL_VIZ_DIE_LINE 0x303030u
#define PL_VIZ_CORE_LINE 0x7a7a7au
#define PL_VIZ_ROW_LINE 0xd8d8d8u
#define PL_VIZ_MACRO_PLACED 0x4477aau
#define PL_VIZ_MACRO_PLACED_LINE 0x1f3c5cu
#define PL_VIZ_MACRO_FIXED 0x8c5a3cu
#define PL_VIZ_MACRO_FIXED_LINE 0x4a2c1au
#define PL_VIZ_SOFT 0x228833u
#define PL_VIZ_STDCELL 0x6a6a8au
#define PL_VIZ_PORT 0xcc3344u
#define PL_VIZ_FLYLINE 0xaa3377u
#define PL_VIZ_BLOCKAGE 0x888888u
#define PL_VIZ_TEXT 0x202020u
#define PL_VIZ_TEXT_DIM 0x606060u
#define PL_VIZ_UNPLACED 0xbb5566u

/* Heatmap colour for t in [0, 1] (clamped; NaN -> 0). */
unsigned pl_viz_heat(double t);
/* A distinct colour for series k of a line plot. */
unsigned pl_viz_series(int k);

#endif
