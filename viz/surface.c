/* surface.c: PNG/SVG/PDF output with an atomic rename, and text helpers (see surface.h). */
#include "viz/surface.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/tmpfile.h"

#ifdef PL_HAVE_CAIRO
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#endif

static int ends_with_ci(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    if (n < m) return 0;
    for (size_t i = 0; i < m; i++)
        if (tolower((unsigned char)s[n - m + i]) != suf[i]) return 0;
    return 1;
}

pl_status pl_viz_format_from_path(const char *path, pl_viz_format *fmt)
{
    if (ends_with_ci(path, ".png")) *fmt = PL_VIZ_PNG;
    else if (ends_with_ci(path, ".svg")) *fmt = PL_VIZ_SVG;
    else if (ends_with_ci(path, ".pdf")) *fmt = PL_VIZ_PDF;
    else return pl_err(PL_EINVAL, "%s: the image format comes from the extension: .png, .svg or .pdf", path);
    return PL_OK;
}

#ifndef PL_HAVE_CAIRO

int pl_viz_available(void)
{
    return 0;
}

pl_status pl_viz_write(const char *path, int w, int h, pl_viz_draw_fn draw, void *user)
{
    return pl_err(PL_ENOTSUP, "%s: images need Cairo, and this placer was built without it "
                              "(install libcairo2-dev, e.g. with make deps, and rebuild)", path);
}

void pl_viz_text(void *cr, double x, double y, double size, double ax, double ay, const char *s) {}
void pl_viz_text_size(void *cr, double size, const char *s, double *w, double *h)
{
    *w = *h = 0;
}
void pl_viz_rgb(void *cr, unsigned rgb, double alpha) {}

#else

int pl_viz_available(void)
{
    return 1;
}

static cairo_status_t write_fp(void *closure, const unsigned char *data, unsigned int len)
{
    FILE *fp = closure;
    return fwrite(data, 1, len, fp) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static pl_status cairo_fail(const char *path, cairo_status_t cs)
{
    if (cs == CAIRO_STATUS_NO_MEMORY) return pl_err(PL_ENOMEM, "%s: out of memory while drawing", path);
    return pl_err(PL_EIO, "%s: cannot write the image: %s", path, cairo_status_to_string(cs));
}

static void register_release(void);

/* Cairo and fontconfig keep font caches for the process' lifetime; leak checkers (make asan) report
 * them. Release them at exit, when every surface of ours is destroyed. */
static void release_static(void)
{
    cairo_debug_reset_static_data();
    void (*fcfini)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "FcFini");
    if (fcfini) fcfini();
}

static void register_release(void)
{
    atexit(release_static);
}

pl_status pl_viz_write(const char *path, int w, int h, pl_viz_draw_fn draw, void *user)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_release);
    pl_viz_format fmt;
    PL_TRY(pl_viz_format_from_path(path, &fmt));
    if (w < 16 || h < 16 || w > 32768 || h > 32768)
        return pl_err(PL_EINVAL, "%s: image size %dx%d out of range (16 to 32768)", path, w, h);
    char *tmp;
    FILE *fp;
    PL_TRY(pl_tmpfile_open(path, &tmp, &fp));
    cairo_surface_t *sf;
    if (fmt == PL_VIZ_PNG) sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    else if (fmt == PL_VIZ_SVG) sf = cairo_svg_surface_create_for_stream(write_fp, fp, w, h);
    else sf = cairo_pdf_surface_create_for_stream(write_fp, fp, w, h);
    if (fmt == PL_VIZ_SVG) cairo_svg_surface_restrict_to_version(sf, CAIRO_SVG_VERSION_1_1);
    if (fmt == PL_VIZ_PDF) cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "placer");
    cairo_t *cr = cairo_create(sf);
    pl_status s = PL_OK;
    cairo_status_t cs = cairo_status(cr);
    if (cs != CAIRO_STATUS_SUCCESS) s = cairo_fail(path, cs);
    if (s == PL_OK) s = draw(cr, w, h, user);
    if (s == PL_OK && (cs = cairo_status(cr)) != CAIRO_STATUS_SUCCESS) s = cairo_fail(path, cs);
    cairo_destroy(cr);
    if (s == PL_OK && fmt == PL_VIZ_PNG) {
        cs = cairo_surface_write_to_png_stream(sf, write_fp, fp);
        if (cs != CAIRO_STATUS_SUCCESS) s = cairo_fail(path, cs);
    }
    cairo_surface_finish(sf); /* SVG and PDF are written here */
    if (s == PL_OK && (cs = cairo_surface_status(sf)) != CAIRO_STATUS_SUCCESS) s = cairo_fail(path, cs);
    cairo_surface_destroy(sf);
    return pl_tmpfile_finish(s, fp, tmp, path);
}

/* Selects the label font at `size` and measures s with it. */
static void measure(cairo_t *cr, double size, const char *s, cairo_text_extents_t *te, cairo_font_extents_t *fe)
{
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents(cr, s, te);
    cairo_font_extents(cr, fe);
}

void pl_viz_text(void *vcr, double x, double y, double size, double ax, double ay, const char *s)
{
    cairo_t *cr = vcr;
    cairo_text_extents_t te;
    cairo_font_extents_t fe;
    measure(cr, size, s, &te, &fe);
    double bx = x - ax * te.x_advance;
    double by = ay >= 1 ? y : y + fe.ascent - ay * (fe.ascent + fe.descent);
    cairo_move_to(cr, bx, by);
    cairo_show_text(cr, s);
    cairo_new_path(cr);
}

void pl_viz_text_size(void *vcr, double size, const char *s, double *w, double *h)
{
    cairo_t *cr = vcr;
    cairo_text_extents_t te;
    cairo_font_extents_t fe;
    measure(cr, size, s, &te, &fe);
    *w = te.x_advance;
    *h = fe.ascent + fe.descent;
}

void pl_viz_rgb(void *cr, unsigned rgb, double alpha)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0, (rgb & 255) / 255.0, alpha);
}

#endif
