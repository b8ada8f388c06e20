/* test_render.c: floorplan images. A hand-built netlist (two macros, placed N and fixed FS, an IO
 * pin) checks the image size, the macros' fill colours and pin-1 corners pixel by pixel, the density
 * heatmap colour, SVG (libxml2) and PDF (header, MediaBox) validity, errors and atomic output, and
 * the event sink; designs/demo checks that unplaced macros stay out of the die; shared designs check
 * every macro's colour (ct_ariane133) and the eight asap7_ariane133 reference placements. */
#include <dirent.h>
#include <math.h>

#include "cost/proxy.h"
#include "parsers/def.h"
#include "parsers/def_place.h"
#include "tests/shared_designs.h"
#include "tests/testutil.h"
#include "viz/colors.h"
#include "viz/render.h"

#ifdef PL_HAVE_CAIRO
#include <cairo.h>
#endif
#ifdef PL_HAVE_LIBXML2
#include <libxml/parser.h>
#include <libxml/tree.h>
#endif

static pl_netlist nl;
static pl_cost cost;

static void setup(void)
{
    pl_netlist_init(&nl);
    memset(&cost, 0, sizeof cost);
}
static void teardown(void)
{
    pl_cost_free(&cost);
    pl_netlist_free(&nl);
}

TestSuite(viz_render, .init = setup, .fini = teardown, .timeout = 120);

#define NEED_CAIRO()                                                                     \
    do {                                                                                 \
        if (!pl_render_available()) cr_skip_test("built without Cairo (see no_cairo)"); \
    } while (0)

/* Die 100 x 50 µm; A: macro 30 x 20 PLACED N at (10, 10); B: macro 20 x 30 FIXED FS at (60, 10);
 * P: an IO pin at (0, 25); one net A-B-P. */
static void build_tiny(void)
{
    int32_t a, b, p, n, pin;
    cr_assert_eq(pl_netlist_add_node(&nl, "A", 1, PL_NODE_MACRO, &a), PL_OK);
    cr_assert_eq(pl_netlist_add_node(&nl, "B", 1, PL_NODE_MACRO, &b), PL_OK);
    cr_assert_eq(pl_netlist_add_node(&nl, "P", 1, PL_NODE_PORT, &p), PL_OK);
    pl_node *A = &nl.nodes[a], *B = &nl.nodes[b], *P = &nl.nodes[p];
    A->master = B->master = P->master = -1;
    A->w = 30, A->h = 20, A->x = 10, A->y = 10, A->orient = PL_ORIENT_N, A->state = PL_PLACE_PLACED;
    B->w = 20, B->h = 30, B->x = 60, B->y = 10, B->orient = PL_ORIENT_FS, B->state = PL_PLACE_FIXED;
    P->x = 0, P->y = 25, P->state = PL_PLACE_FIXED;
    cr_assert_eq(pl_netlist_add_net(&nl, "n", 1, &n), PL_OK);
    int32_t owners[3] = {a, b, p};
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(pl_netlist_add_pin(&nl, owners[i], n, &pin), PL_OK);
        nl.pins[pin].dx = i < 2 ? 1 : 0;
        nl.pins[pin].dy = i < 2 ? 1 : 0;
        nl.pins[pin].dir = i == 0 ? PL_DIR_OUTPUT : PL_DIR_INPUT;
        nl.pins[pin].weight = 1;
    }
    nl.nets[n].weight = 1;
    pl_rect die = {0, 0, 100, 50};
    nl.die = die;
    nl.has_die = 1;
    nl.design = "tiny";
    cr_assert_eq(pl_netlist_finalize(&nl), PL_OK, "%s", pl_errmsg());
}

static const char *tmp_path(const char *name)
{
    static char buf[8][512];
    static int k;
    char *b = buf[k++ & 7];
    snprintf(b, sizeof buf[0], "%s/%s", pl_test_tmpdir(), name);
    return b;
}

#ifdef PL_HAVE_CAIRO
typedef struct png {
    cairo_surface_t *s;
    int w, h, stride;
    unsigned char *data;
} png;

static png png_load(const char *path)
{
    png p;
    p.s = cairo_image_surface_create_from_png(path);
    cr_assert_eq(cairo_surface_status(p.s), CAIRO_STATUS_SUCCESS, "%s is not a readable PNG", path);
    p.w = cairo_image_surface_get_width(p.s);
    p.h = cairo_image_surface_get_height(p.s);
    p.stride = cairo_image_surface_get_stride(p.s);
    p.data = cairo_image_surface_get_data(p.s);
    return p;
}

/* 0xRRGGBB of pixel (x, y) (an opaque image: RGB24 or ARGB32 with alpha 255). */
static unsigned png_at(const png *p, double x, double y)
{
    int ix = (int)floor(x), iy = (int)floor(y);
    cr_assert(ix >= 0 && iy >= 0 && ix < p->w && iy < p->h, "pixel (%d, %d) outside %dx%d", ix, iy, p->w, p->h);
    uint32_t v = *(const uint32_t *)(p->data + (size_t)iy * (size_t)p->stride + 4 * (size_t)ix);
    return v & 0xffffffu;
}

/* The pixel at µm (x, y). */
static unsigned png_at_um(const png *p, const pl_render_layout *L, double x, double y)
{
    double px, py;
    pl_render_layout_map(L, x, y, &px, &py);
    return png_at(p, px, py);
}

static int near_rgb(unsigned a, unsigned b, int tol)
{
    for (int sh = 0; sh <= 16; sh += 8)
        if (abs((int)((a >> sh) & 255) - (int)((b >> sh) & 255)) > tol) return 0;
    return 1;
}
#endif

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

Test(viz_render, png_size_colours_and_pin1_corners)
{
    NEED_CAIRO();
    build_tiny();
    pl_render_config cfg;
    pl_render_config_default(&cfg);
    cfg.size = 800;
    const char *out = tmp_path("tiny.png");
    cr_assert_eq(pl_render_file(&nl, NULL, &cfg, out), PL_OK, "%s", pl_errmsg());
#ifdef PL_HAVE_CAIRO
    pl_render_layout L;
    pl_render_layout_compute(&nl, &cfg, &L);
    png p = png_load(out);
    cr_assert_eq(p.w, L.width);
    cr_assert_eq(p.h, L.height);
    cr_assert_eq(p.w > p.h ? p.w : p.h, 800, "the longer side is --size");
    /* A (placed) and B (fixed): inside, away from the centred label and the corners */
    cr_assert_eq(png_at_um(&p, &L, 25, 13), PL_VIZ_MACRO_PLACED, "A's fill: %06x", png_at_um(&p, &L, 25, 13));
    cr_assert_eq(png_at_um(&p, &L, 70, 14), PL_VIZ_MACRO_FIXED, "B's fill: %06x", png_at_um(&p, &L, 70, 14));
    cr_assert_eq(pl_render_macro_color(PL_NODE_MACRO, PL_PLACE_PLACED), PL_VIZ_MACRO_PLACED);
    cr_assert_eq(pl_render_macro_color(PL_NODE_MACRO, PL_PLACE_FIXED), PL_VIZ_MACRO_FIXED);
    /* pin-1 marks: A is N, so its master's lower-left is the box's lower-left; B is FS (mirrored
     * about the X axis), so its master's lower-left is the box's upper-left. */
    double e = 0.5; /* µm in from the corner, inside the white triangle */
    cr_assert(near_rgb(png_at_um(&p, &L, 10 + e, 10 + e), 0xffffff, 40), "A's pin-1 mark, lower-left");
    cr_assert_eq(png_at_um(&p, &L, 40 - 1.5, 10 + 1.5), PL_VIZ_MACRO_PLACED, "A's lower-right corner has no mark");
    cr_assert(near_rgb(png_at_um(&p, &L, 60 + e, 40 - e), 0xffffff, 40), "B's pin-1 mark, upper-left");
    cr_assert_eq(png_at_um(&p, &L, 60 + 1.5, 10 + 1.5), PL_VIZ_MACRO_FIXED, "B's lower-left has no mark");
    /* the die around them, and the white page outside the die */
    cr_assert_eq(png_at_um(&p, &L, 50, 45), PL_VIZ_DIE_FILL);
    cr_assert_eq(png_at(&p, 2, p.h - 2), PL_VIZ_BACKGROUND);
    cairo_surface_destroy(p.s);
#endif
}

Test(viz_render, density_overlay_colours_cells)
{
    NEED_CAIRO();
    build_tiny();
    pl_cost_config cc;
    pl_cost_config_default(&cc);
    cc.canvas_w = 100, cc.canvas_h = 50, cc.cols = 10, cc.rows = 5;
    cr_assert_eq(pl_cost_init(&cost, &nl, &cc), PL_OK, "%s", pl_errmsg());
    pl_cost_terms t;
    pl_cost_full(&cost, &t);
    pl_render_config cfg;
    pl_render_config_default(&cfg);
    cfg.size = 700;
    cfg.overlay = PL_RENDER_OVERLAY_DENSITY;
    cfg.terms = t;
    cfg.has_terms = 1;
    const char *out = tmp_path("dens.png");
    cr_assert_eq(pl_render_file(&nl, &cost, &cfg, out), PL_OK, "%s", pl_errmsg());
#ifdef PL_HAVE_CAIRO
    pl_render_layout L;
    pl_render_layout_compute(&nl, &cfg, &L);
    png p = png_load(out);
    /* cell (1, 1) = [10, 20] x [10, 20] is covered by A: density 1 = the maximum, the ramp's end,
     * painted at alpha 190/255 over the die; cell (4, 4) is empty: the ramp's start. */
    double a = 190.0 / 255;
    unsigned full = pl_viz_heat(1), empty = pl_viz_heat(0), want_full = 0, want_empty = 0;
    for (int sh = 0; sh <= 16; sh += 8) {
        double d = (PL_VIZ_DIE_FILL >> sh) & 255;
        want_full |= (unsigned)lround(a * ((full >> sh) & 255) + (1 - a) * d) << sh;
        want_empty |= (unsigned)lround(a * ((empty >> sh) & 255) + (1 - a) * d) << sh;
    }
    unsigned got = png_at_um(&p, &L, 15, 15), got0 = png_at_um(&p, &L, 45, 45);
    cr_assert(near_rgb(got, want_full, 3), "covered cell %06x, want %06x", got, want_full);
    cr_assert(near_rgb(got0, want_empty, 3), "empty cell %06x, want %06x", got0, want_empty);
    cairo_surface_destroy(p.s);
#endif
}

#ifdef PL_HAVE_LIBXML2
static int count_elements(xmlNodePtr n)
{
    int k = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) k += 1 + count_elements(c);
    return k;
}
#endif

Test(viz_render, svg_parses_with_libxml2)
{
    NEED_CAIRO();
    build_tiny();
    pl_render_config cfg;
    pl_render_config_default(&cfg);
    cfg.size = 640;
    cfg.overlay = PL_RENDER_OVERLAY_NETS;
    const char *out = tmp_path("tiny.svg");
    cr_assert_eq(pl_render_file(&nl, NULL, &cfg, out), PL_OK, "%s", pl_errmsg());
#ifndef PL_HAVE_LIBXML2
    cr_skip_test("built without libxml2");
#else
    pl_render_layout L;
    pl_render_layout_compute(&nl, &cfg, &L);
    xmlDocPtr doc = xmlReadFile(out, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    cr_assert_not_null(doc, "%s does not parse as XML", out);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    cr_assert_str_eq((const char *)root->name, "svg");
    xmlChar *w = xmlGetProp(root, (const xmlChar *)"width"), *h = xmlGetProp(root, (const xmlChar *)"height");
    cr_assert(w && h);
    cr_assert_eq(atoi((const char *)w), L.width, "width %s", w);
    cr_assert_eq(atoi((const char *)h), L.height, "height %s", h);
    cr_assert_eq(L.width > L.height ? L.width : L.height, 640);
    xmlFree(w);
    xmlFree(h);
    /* something was drawn: count elements */
    cr_assert_gt(count_elements(root), 20);
    xmlFreeDoc(doc);
#endif
}

Test(viz_render, pdf_header_and_page_size)
{
    NEED_CAIRO();
    build_tiny();
    pl_render_config cfg;
    pl_render_config_default(&cfg);
    cfg.size = 500;
    const char *out = tmp_path("tiny.pdf");
    cr_assert_eq(pl_render_file(&nl, NULL, &cfg, out), PL_OK, "%s", pl_errmsg());
    pl_render_layout L;
    pl_render_layout_compute(&nl, &cfg, &L);
    size_t len;
    char *s = pl_test_slurp(out, &len);
    cr_assert(len > 200 && !strncmp(s, "%PDF-1.", 7), "not a PDF header");
    char box[64];
    snprintf(box, sizeof box, "/MediaBox [ 0 0 %d %d ]", L.width, L.height);
    cr_assert_not_null(memmem(s, len, box, strlen(box)), "no '%s'", box);
    cr_assert_not_null(memmem(s + len - 16, 16, "%%EOF", 5), "no %%%%EOF at the end");
    free(s);
}

Test(viz_render, errors_leave_no_file)
{
    build_tiny();
    pl_render_config cfg;
    pl_render_config_default(&cfg);
    const char *bad = tmp_path("x.bmp");
    cr_assert_eq(pl_render_file(&nl, NULL, &cfg, bad), PL_EINVAL);
    cr_assert(strstr(pl_errmsg(), ".png"), "message names the formats: %s", pl_errmsg());
    cr_assert_eq(file_size(bad), -1);
    cfg.overlay = PL_RENDER_OVERLAY_CONGESTION;
    const char *p = tmp_path("y.png");
    cr_assert_eq(pl_render_file(&nl, NULL, &cfg, p), PL_EINVAL, "an overlay needs a cost");
    cr_assert_eq(file_size(p), -1);
    cfg.overlay = PL_RENDER_OVERLAY_NONE;
    cfg.size = 10;
    cr_assert_eq(pl_render_file(&nl, NULL, &cfg, p), PL_EINVAL);
    cfg.size = 512;
    if (!pl_render_available()) return;
    cr_assert_eq(pl_render_file(&nl, NULL, &cfg, "/nonexistent-dir/z.png"), PL_EIO);
    /* success leaves exactly the image: no temporary file beside it */
    char dir[512];
    snprintf(dir, sizeof dir, "%s", pl_test_tmpdir());
    char out[600];
    snprintf(out, sizeof out, "%s/ok.png", dir);
    cr_assert_eq(pl_render_file(&nl, NULL, &cfg, out), PL_OK, "%s", pl_errmsg());
    DIR *d = opendir(dir);
    int files = 0;
    for (struct dirent *de; (de = readdir(d));) files += de->d_name[0] != '.' || strlen(de->d_name) > 2;
    closedir(d);
    cr_assert_eq(files, 1, "only ok.png in %s", dir);
}

Test(viz_render, no_cairo)
{
    if (pl_render_available()) cr_skip_test("built with Cairo (this checks the build without it)");
    build_tiny();
    pl_render_config cfg;
    pl_render_config_default(&cfg);
    const char *p = tmp_path("n.png");
    cr_assert_eq(pl_render_file(&nl, NULL, &cfg, p), PL_ENOTSUP);
    cr_assert(strstr(pl_errmsg(), "Cairo"), "%s", pl_errmsg());
    cr_assert_eq(file_size(p), -1);
}

Test(viz_render, event_sink_renders_on_events)
{
    NEED_CAIRO();
    build_tiny();
    char dir[512], path[600], iter[640];
    snprintf(dir, sizeof dir, "%s", pl_test_tmpdir());
    snprintf(path, sizeof path, "%s/snap.png", dir);
    pl_render_config cfg;
    pl_render_config_default(&cfg);
    cfg.size = 300;
    pl_render_sink rs;
    pl_render_sink_init(&rs, path, &cfg);
    rs.kinds |= PL_EVENT_BIT(PL_EVENT_ITERATION);
    rs.every = 5;
    pl_event_bus bus;
    pl_event_bus_init(&bus);
    cr_assert_eq(pl_event_bus_subscribe(&bus, pl_render_sink_get(&rs)), PL_OK);
    pl_event ev = pl_event_make(PL_EVENT_STAGE_BEGIN);
    ev.nl = &nl;
    cr_assert_eq(pl_event_bus_publish(&bus, &ev), PL_OK);
    cr_assert_eq(rs.written, 0, "stage events are not rendered");
    ev = pl_event_make(PL_EVENT_ITERATION);
    ev.nl = &nl;
    ev.iteration = 7;
    cr_assert_eq(pl_event_bus_publish(&bus, &ev), PL_OK);
    cr_assert_eq(rs.written, 0, "iteration 7 is not a multiple of 5");
    ev.iteration = 10;
    cr_assert_eq(pl_event_bus_publish(&bus, &ev), PL_OK, "%s", pl_errmsg());
    snprintf(iter, sizeof iter, "%s/snap_iter10.png", dir);
    cr_assert_gt(file_size(iter), 100);
    ev = pl_event_make(PL_EVENT_PLACEMENT_DONE);
    ev.nl = &nl;
    ev.seed = 42;
    ev.has_seed = 1;
    cr_assert_eq(pl_event_bus_publish(&bus, &ev), PL_OK, "%s", pl_errmsg());
    cr_assert_gt(file_size(path), 100);
    cr_assert_eq(rs.written, 2);
    ev.nl = NULL; /* an event without a netlist is an error the publisher sees */
    cr_assert_eq(pl_event_bus_publish(&bus, &ev), PL_EINVAL);
}

/* designs/demo: every macro is UNPLACED, so no pixel of the die may have a macro's fill colour, and
 * the unplaced macros appear in the legend. Through the command line. */
Test(viz_render, demo_unplaced_macros_stay_out_of_the_die)
{
    NEED_CAIRO();
    const char *out = tmp_path("demo.png");
    char cmd[1024], *o, *e;
    snprintf(cmd, sizeof cmd, "%s render designs/demo/demo.def --size 640 -o %s", pl_test_placer(), out);
    cr_assert_eq(pl_test_run(cmd, &o, &e), 0, "%s", e);
    cr_assert(strstr(o, "wrote"), "%s", o);
    free(o);
    free(e);
#ifdef PL_HAVE_CAIRO
    cr_assert_eq(pl_design_read(&nl, "designs/demo/demo.def", NULL, 0), PL_OK, "%s", pl_errmsg());
    pl_render_config cfg;
    pl_render_config_default(&cfg);
    cfg.size = 640;
    pl_render_layout L;
    pl_render_layout_compute(&nl, &cfg, &L);
    png p = png_load(out);
    cr_assert_eq(p.w > p.h ? p.w : p.h, 640);
    cr_assert_eq(p.w, L.width);
    int in_die = 0, unplaced = 0;
    for (int y = 0; y < p.h; y++)
        for (int x = 0; x < p.w; x++) {
            unsigned c = png_at(&p, x, y);
            if (x < L.px0 + L.plot_w && (c == PL_VIZ_MACRO_PLACED || c == PL_VIZ_MACRO_FIXED)) in_die++;
            int r = (c >> 16) & 255, g = (c >> 8) & 255, b = c & 255; /* the unplaced rose, blended */
            if (x >= L.legend_x && r > g + 40 && r > b + 20) unplaced++;
        }
    cr_assert_eq(in_die, 0, "%d macro-coloured pixels in the die of an unplaced design", in_die);
    cr_assert_gt(unplaced, 200, "the unplaced macros are drawn apart in the legend");
    cairo_surface_destroy(p.s);
#endif
}

Test(viz_render, cli_help_and_errors)
{
    char cmd[1024], *o, *e;
    snprintf(cmd, sizeof cmd, "%s render --help", pl_test_placer());
    cr_assert_eq(pl_test_run(cmd, &o, &e), 0);
    cr_assert(strstr(o, "--overlay") && strstr(o, "--placement") && strstr(o, "--size"), "%s", o);
    free(o);
    free(e);
    const char *bad = tmp_path("x.gif");
    snprintf(cmd, sizeof cmd, "%s render designs/demo/demo.def -o %s", pl_test_placer(), bad);
    cr_assert_eq(pl_test_run(cmd, &o, &e), 2);
    cr_assert(strstr(e, ".svg") && pl_test_count_lines(e) == 1, "%s", e);
    cr_assert_eq(file_size(bad), -1);
    free(o);
    free(e);
    snprintf(cmd, sizeof cmd, "%s render designs/demo/demo.def --overlay heat -o %s", pl_test_placer(), bad);
    cr_assert_eq(pl_test_run(cmd, &o, &e), 2);
    cr_assert(strstr(e, "density"), "%s", e);
    free(o);
    free(e);
}

/* SVG through the command line with the congestion overlay: the document parses. */
Test(viz_render, cli_svg_congestion)
{
    NEED_CAIRO();
    const char *out = tmp_path("small.svg");
    char cmd[1024], *o, *e;
    snprintf(cmd, sizeof cmd, "%s render designs/small/small.def --overlay congestion --grid 8x8 -o %s",
             pl_test_placer(), out);
    cr_assert_eq(pl_test_run(cmd, &o, &e), 0, "%s", e);
    cr_assert(strstr(e, "unplaced"), "the overlay warns about unplaced nodes: %s", e);
    free(o);
    free(e);
#ifdef PL_HAVE_LIBXML2
    xmlDocPtr doc = xmlReadFile(out, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    cr_assert_not_null(doc);
    cr_assert_str_eq((const char *)xmlDocGetRootElement(doc)->name, "svg");
    xmlFreeDoc(doc);
#endif
}

static void shared_design(const char *name, const pl_shared_design **out)
{
    *out = NULL;
    for (int i = 0; i < PL_NSHARED_DESIGNS; i++)
        if (!strcmp(PL_SHARED_DESIGNS[i].name, name)) *out = &PL_SHARED_DESIGNS[i];
    cr_assert_not_null(*out);
}

static void read_shared(const pl_shared_design *sd)
{
    const char *lefs[6];
    int n = 0;
    for (; sd->lefs[n]; n++) lefs[n] = pl_test_shared_path(sd->lefs[n]);
    cr_assert_eq(pl_design_read(&nl, pl_test_shared_path(sd->def), lefs, n), PL_OK, "%s", pl_errmsg());
}

/* Every placed macro's centre has its fill colour, unless another macro covers that point. */
static void check_macro_pixels(const char *out, const pl_render_config *cfg, int64_t want_macros)
{
#ifdef PL_HAVE_CAIRO
    pl_render_layout L;
    pl_render_layout_compute(&nl, cfg, &L);
    png p = png_load(out);
    cr_assert_eq(p.w, L.width);
    cr_assert_eq(p.h, L.height);
    int64_t checked = 0, macros = 0;
    for (int64_t i = 0; i < nl.nnodes; i++) {
        const pl_node *n = &nl.nodes[i];
        if (n->kind != PL_NODE_MACRO || n->state == PL_PLACE_UNPLACED) continue;
        macros++;
        double cx, cy;
        pl_node_center(n, &cx, &cy);
        int covered = 0;
        for (int64_t j = 0; j < nl.nnodes && !covered; j++) {
            const pl_node *m = &nl.nodes[j];
            if (j == i || m->kind != PL_NODE_MACRO || m->state == PL_PLACE_UNPLACED) continue;
            covered = cx >= m->x && cx <= m->x + pl_node_width(m) && cy >= m->y && cy <= m->y + pl_node_height(m);
        }
        if (covered) continue;
        unsigned want = pl_render_macro_color(n->kind, n->state), got = png_at_um(&p, &L, cx, cy);
        cr_assert_eq(got, want, "macro %s: %06x at its centre, want %06x", n->name, got, want);
        checked++;
    }
    cr_assert_eq(macros, want_macros);
    cr_assert_gt(checked, want_macros * 9 / 10, "checked %lld of %lld", (long long)checked, (long long)macros);
    cairo_surface_destroy(p.s);
#endif
}

Test(viz_render, shared_ct_ariane133_macro_pixels)
{
    NEED_CAIRO();
    PL_NEED_SHARED("designs/ct_ariane133/ariane.def.gz");
    const pl_shared_design *sd;
    shared_design("ct_ariane133", &sd);
    read_shared(sd);
    pl_render_config cfg;
    pl_render_config_default(&cfg);
    cfg.labels = 0; /* centre pixels, not text */
    const char *out = tmp_path("ct.png");
    cr_assert_eq(pl_render_file(&nl, NULL, &cfg, out), PL_OK, "%s", pl_errmsg());
    check_macro_pixels(out, &cfg, sd->macros);
}

Test(viz_render, shared_asap7_reference_placements)
{
    NEED_CAIRO();
    PL_NEED_SHARED("designs/asap7_ariane133/refs/SA/ariane_fp_placed_macros.def");
    static const char *const REFS[] = {"CT_AC", "CT_AC_DP", "CT_Ours", "CT_Scratch", "Human", "Innovus_CMP",
                                       "RePlAce", "SA"};
    const pl_shared_design *sd;
    shared_design("asap7_ariane133", &sd);
    read_shared(sd);
    for (int r = 0; r < 8; r++) {
        char rel[256];
        snprintf(rel, sizeof rel, "designs/asap7_ariane133/refs/%s/ariane_fp_placed_macros.def", REFS[r]);
        pl_def_placement_stats st;
        cr_assert_eq(pl_def_placement_apply(&nl, pl_test_shared_path(rel), &st), PL_OK, "%s", pl_errmsg());
        cr_assert_eq(st.applied, 133, "%s: %lld applied", REFS[r], (long long)st.applied);
        cr_assert_eq(st.missing, 0);
        pl_render_config cfg;
        pl_render_config_default(&cfg);
        cfg.labels = 0;
        cfg.subtitle = REFS[r];
        const char *out = tmp_path("ref.png");
        cr_assert_eq(pl_render_file(&nl, NULL, &cfg, out), PL_OK, "%s", pl_errmsg());
        check_macro_pixels(out, &cfg, 133);
    }
}

/* --overlay cells|rudy on a DEF: the CLI places the unplaced cells (as eval --full does) and draws the
 * GCell map; a Circuit Training netlist (no standard cells) is refused with one line. */
Test(viz_render, cli_cells_and_rudy_overlays, .timeout = 120)
{
    NEED_CAIRO();
    const char *placed = tmp_path("small_placed.def");
    char cmd[1024], *o, *e;
    snprintf(cmd, sizeof cmd, "%s -q place designs/small/small.def --policy none --effort fast --time-limit 0 "
             "--rollouts 4 --chains 0 -o %s", pl_test_placer(), placed);
    cr_assert_eq(pl_test_run(cmd, &o, &e), 0, "%s", e);
    free(o), free(e);
    snprintf(cmd, sizeof cmd, "%s render designs/small/small.def --overlay rudy -o %s", pl_test_placer(),
             tmp_path("unplaced.png"));
    cr_assert_neq(pl_test_run(cmd, &o, &e), 0, "unplaced macros: no full placement to draw");
    cr_assert(strstr(e, "unplaced"), "%s", e);
    free(o), free(e);
    const char *kinds[] = {"cells", "rudy"};
    for (int k = 0; k < 2; k++) {
        char name[64];
        snprintf(name, sizeof name, "small_%s.png", kinds[k]);
        const char *out = tmp_path(name);
        snprintf(cmd, sizeof cmd, "%s render designs/small/small.def --placement %s --overlay %s -o %s",
                 pl_test_placer(), placed, kinds[k], out);
        cr_assert_eq(pl_test_run(cmd, &o, &e), 0, "%s", e);
        cr_assert(strstr(o, kinds[k]), "%s", o);
        free(o), free(e);
        cairo_surface_t *s = cairo_image_surface_create_from_png(out);
        cr_assert_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
        cairo_surface_destroy(s);
    }
}

/* render and eval set the design up the same way: the same proxy for the same inputs and seed. */
Test(viz_render, cli_render_prints_evals_proxy, .timeout = 60)
{
    NEED_CAIRO();
    for (int seed = 1; seed <= 2; seed++) {
        char cmd[1024], *o1, *e1, *o2, *e2;
        snprintf(cmd, sizeof cmd, "%s eval designs/small/small.def --seed %d", pl_test_placer(), seed);
        cr_assert_eq(pl_test_run(cmd, &o1, &e1), 0, "%s", e1);
        snprintf(cmd, sizeof cmd, "%s render designs/small/small.def --seed %d -o %s", pl_test_placer(), seed,
                 tmp_path("same.png"));
        cr_assert_eq(pl_test_run(cmd, &o2, &e2), 0, "%s", e2);
        const char *a = strstr(o1, "proxy_cost"), *b = strstr(o2, "proxy_cost");
        cr_assert(a && b, "eval: %s\nrender: %s", o1, o2);
        cr_assert_eq(strncmp(a, b, 28), 0, "eval %.28s vs render %.28s", a, b);
        free(o1), free(e1), free(o2), free(e2);
    }
}
