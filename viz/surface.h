/* surface.h: viz-internal output and text helpers shared by render.c and plot.c.
 *
 * pl_viz_write() picks PNG, SVG or PDF from the output's extension, creates a w x h drawing (pixels
 * for PNG, points for SVG/PDF), runs the draw callback on it and writes the file through a temporary
 * name in the same folder renamed into place: never a partial output. The `cr` pointers below are
 * cairo_t * passed as void * so that no header outside viz/ sees Cairo types.
 * Errors: PL_EINVAL (extension, size), PL_EIO, PL_ENOTSUP when built without Cairo, or whatever the
 * draw callback returns. Text helpers use Cairo's toy font API ("sans-serif"). One thread per call;
 * the first write registers an atexit handler freeing Cairo's and fontconfig's font caches.
 */
#ifndef PL_VIZ_SURFACE_H
#define PL_VIZ_SURFACE_H

#include "core/status.h"

typedef enum pl_viz_format { PL_VIZ_PNG = 0, PL_VIZ_SVG, PL_VIZ_PDF } pl_viz_format;

/* 1 if the library was built with Cairo. */
int pl_viz_available(void);
/* Format from a path's extension (.png, .svg, .pdf; case-insensitive); PL_EINVAL otherwise. */
pl_status pl_viz_format_from_path(const char *path, pl_viz_format *fmt);

typedef pl_status (*pl_viz_draw_fn)(void *cr, int w, int h, void *user);
pl_status pl_viz_write(const char *path, int w, int h, pl_viz_draw_fn draw, void *user);

/* Text anchored at (x, y): ax 0 left, 0.5 centre, 1 right; ay 0 top, 0.5 middle, 1 baseline. */
void pl_viz_text(void *cr, double x, double y, double size, double ax, double ay, const char *s);
/* Width and height (ascent + descent of the font, not of the glyphs) of s at `size`. */
void pl_viz_text_size(void *cr, double size, const char *s, double *w, double *h);
/* Sets the source colour 0xRRGGBB with alpha. */
void pl_viz_rgb(void *cr, unsigned rgb, double alpha);

#endif
