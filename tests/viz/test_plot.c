/* test_plot.c: `placer plot` on a log the test writes: PNG of the requested size with each series'
 * colour present, SVG that parses, and errors (no plottable key, bad size, bad extension). */
#include <math.h>

#include "tests/testutil.h"
#include "viz/colors.h"
#include "viz/plot.h"
#include "viz/render.h"

#ifdef PL_HAVE_CAIRO
#include <cairo.h>
#endif
#ifdef PL_HAVE_LIBXML2
#include <libxml/parser.h>
#endif

TestSuite(viz_plot, .timeout = 60);

static const char *write_log(int records, int with_costs)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/train.jsonl", pl_test_tmpdir());
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    for (int i = 0; i < records; i++) {
        double wl = 0.1 + 0.1 * exp(-i / 30.0), d = 0.9 - 0.002 * i, c = 1.2 - 0.003 * i;
        fprintf(fp, "{\"iteration\": %d, \"reward_mean\": %.6f, \"reward_best\": %.6f", i, -(wl + 0.5 * d + 0.5 * c),
                -(wl + 0.5 * d + 0.5 * c) + 0.05);
        if (with_costs)
            fprintf(fp, ", \"wirelength_cost\": %.6f, \"density_cost\": %.6f, \"congestion_cost\": %.6f", wl, d, c);
        fprintf(fp, ", \"phase\": \"ppo\"}\n");
    }
    fclose(fp);
    return path;
}

Test(viz_plot, panel_of_columns)
{
    cr_assert_eq(pl_plot_panel_of("reward_mean"), 1);
    cr_assert_eq(pl_plot_panel_of("reward"), 1);
    cr_assert_eq(pl_plot_panel_of("density_cost"), 2);
    cr_assert_eq(pl_plot_panel_of("proxy_cost"), 2);
    cr_assert_eq(pl_plot_panel_of("_cost"), 0);
    cr_assert_eq(pl_plot_panel_of("loss"), 0);
}

/* Through the command line: a 900-wide PNG is 900 x 600 and shows all five series' colours. */
Test(viz_plot, png_size_and_series_colours)
{
    if (!pl_render_available()) cr_skip_test("built without Cairo");
    const char *log = write_log(120, 1);
    char out[256], cmd[1024], *o, *e;
    snprintf(out, sizeof out, "%s/curves.png", pl_test_tmpdir());
    snprintf(cmd, sizeof cmd, "%s plot %s --size 900 -o %s", pl_test_placer(), log, out);
    cr_assert_eq(pl_test_run(cmd, &o, &e), 0, "%s", e);
    cr_assert(strstr(o, "120 records"), "%s", o);
    free(o);
    free(e);
#ifdef PL_HAVE_CAIRO
    cairo_surface_t *s = cairo_image_surface_create_from_png(out);
    cr_assert_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    cr_assert_eq(w, 900);
    cr_assert_eq(h, 600);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    /* panel 1: reward_mean, reward_best (series 0, 1); panel 2: three costs (series 0, 1, 2) */
    long count[3] = {0, 0, 0};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned c = *(const uint32_t *)(d + (size_t)y * (size_t)stride + 4 * (size_t)x) & 0xffffffu;
            for (int k = 0; k < 3; k++) count[k] += c == pl_viz_series(k);
        }
    for (int k = 0; k < 3; k++) cr_assert_gt(count[k], 150, "series colour %d: %ld pixels", k, count[k]);
    cairo_surface_destroy(s);
#endif
}

Test(viz_plot, svg_parses)
{
    if (!pl_render_available()) cr_skip_test("built without Cairo");
    pl_trainlog log;
    pl_trainlog_init(&log);
    cr_assert_eq(pl_trainlog_read(&log, write_log(2, 0)), PL_OK, "%s", pl_errmsg());
    pl_plot_config cfg;
    pl_plot_config_default(&cfg);
    char out[256];
    snprintf(out, sizeof out, "%s/c.svg", pl_test_tmpdir());
    cr_assert_eq(pl_plot_file(&log, &cfg, out), PL_OK, "%s", pl_errmsg());
    pl_trainlog_free(&log);
#ifdef PL_HAVE_LIBXML2
    xmlDocPtr doc = xmlReadFile(out, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    cr_assert_not_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    cr_assert_str_eq((const char *)root->name, "svg");
    xmlChar *w = xmlGetProp(root, (const xmlChar *)"width");
    cr_assert_eq(atoi((const char *)w), 1200);
    xmlFree(w);
    xmlFreeDoc(doc);
#endif
}

Test(viz_plot, errors)
{
    pl_trainlog log;
    pl_trainlog_init(&log);
    cr_assert_eq(pl_trainlog_parse(&log, "x", "{\"iteration\": 1, \"loss\": 2}\n"), PL_OK);
    pl_plot_config cfg;
    pl_plot_config_default(&cfg);
    char out[256];
    snprintf(out, sizeof out, "%s/c.png", pl_test_tmpdir());
    cr_assert_eq(pl_plot_file(&log, &cfg, out), PL_EINVAL, "nothing to plot");
    cr_assert(strstr(pl_errmsg(), "reward"), "%s", pl_errmsg());
    pl_trainlog_free(&log);
    char cmd[1024], *o, *e;
    snprintf(cmd, sizeof cmd, "%s plot %s --size 50 -o %s", pl_test_placer(), write_log(3, 1), out);
    cr_assert_eq(pl_test_run(cmd, &o, &e), 2);
    cr_assert(strstr(e, "--size") && pl_test_count_lines(e) == 1, "%s", e);
    free(o);
    free(e);
    snprintf(cmd, sizeof cmd, "%s plot %s -o %s/c.jpg", pl_test_placer(), write_log(3, 1), pl_test_tmpdir());
    cr_assert_eq(pl_test_run(cmd, &o, &e), 2);
    cr_assert(strstr(e, ".png"), "%s", e);
    free(o);
    free(e);
    snprintf(cmd, sizeof cmd, "%s plot --help", pl_test_placer());
    cr_assert_eq(pl_test_run(cmd, &o, &e), 0);
    cr_assert(strstr(o, "reward_mean") && strstr(o, "JSON"), "%s", o);
    free(o);
    free(e);
}
