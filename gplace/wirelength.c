/* wirelength.c: WA wirelength and its gradient; see wirelength.h.
 *
 * Per net and axis, with v_p the pin coordinates, M = max v, m = min v: e+_p = e^{(v_p - M)/γ},
 * e-_p = e^{(m - v_p)/γ} (shifted so nothing overflows), WA = Σ v e+ / Σ e+ - Σ v e- / Σ e-, and
 * ∂WA/∂v_p = e+_p / Σe+ · (1 + (v_p - WA+)/γ) - e-_p / Σe- · (1 - (v_p - WA-)/γ). Since
 * e+_p · e-_p = e^{-(M - m)/γ}, e-_p costs a division instead of an exp unless that underflows.
 */
#include "gplace/wirelength.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gplace/parallel.h"

void pl_gp_wl_free(pl_gp_wl *w)
{
    if (!w) return;
    free(w->net_off), free(w->net_w), free(w->pin_obj), free(w->pin_dx), free(w->pin_dy);
    free(w->obj_off), free(w->obj_pins), free(w->obj_deg);
    free(w->pin_v), free(w->pin_ep), free(w->pin_en), free(w->pin_gx), free(w->pin_gy);
    free(w->net_wa), free(w->net_hp);
    memset(w, 0, sizeof *w);
}

/* Kept pins of net n (slot != -2), 0 when the net is left out. */
static int64_t kept_pins(const pl_netlist *nl, const int32_t *slot, int64_t n, int max_degree)
{
    int64_t k = 0, mov = 0;
    for (int64_t q = nl->net_pin_off[n]; q < nl->net_pin_off[n + 1]; q++) {
        int32_t s = slot[nl->pins[nl->net_pins[q]].node];
        k += s != -2, mov += s >= 0;
    }
    if (k < 2 || mov == 0 || (max_degree > 0 && k > max_degree)) return 0;
    return k;
}

static pl_status wl_alloc(pl_gp_wl *w)
{
    int64_t E = w->nnets, P = w->npins;
    if (!PL_CALLOC(w->net_off, E + 1) || !PL_CALLOC(w->net_w, E) || !PL_CALLOC(w->pin_obj, P) ||
        !PL_CALLOC(w->pin_dx, P) || !PL_CALLOC(w->pin_dy, P) || !PL_CALLOC(w->obj_off, w->nobj + 1) ||
        !PL_CALLOC(w->obj_pins, P) || !PL_CALLOC(w->obj_deg, w->nobj) || !PL_CALLOC(w->pin_v, P) ||
        !PL_CALLOC(w->pin_ep, P) || !PL_CALLOC(w->pin_en, P) || !PL_CALLOC(w->pin_gx, P) || !PL_CALLOC(w->pin_gy, P) ||
        !PL_CALLOC(w->net_wa, E) || !PL_CALLOC(w->net_hp, E))
        return pl_err(PL_ENOMEM, "gplace: out of memory for %lld nets with %lld pins", (long long)E, (long long)P);
    return PL_OK;
}

pl_status pl_gp_wl_init(pl_gp_wl *w, const pl_netlist *nl, const int32_t *slot, int32_t nobj, int max_degree)
{
    memset(w, 0, sizeof *w);
    if (!nl->finalized) return pl_err(PL_EINVAL, "gplace: the netlist is not finalized");
    w->nobj = nobj;
    for (int64_t n = 0; n < nl->nnets; n++) {
        int64_t k = kept_pins(nl, slot, n, max_degree);
        w->nnets += k > 0, w->npins += k;
    }
    PL_TRY(wl_alloc(w));
    int64_t e = 0, p = 0;
    for (int64_t n = 0; n < nl->nnets; n++) {
        if (!kept_pins(nl, slot, n, max_degree)) continue;
        w->net_w[e] = nl->nets[n].weight;
        w->net_off[e] = p;
        for (int64_t q = nl->net_pin_off[n]; q < nl->net_pin_off[n + 1]; q++) {
            int32_t pin = nl->net_pins[q], nd = nl->pins[pin].node, s = slot[nd];
            if (s == -2) continue;
            double px, py, cx = 0, cy = 0;
            pl_pin_position(nl, pin, &px, &py);
            if (s >= 0) {
                pl_node_center(&nl->nodes[nd], &cx, &cy);
                w->obj_off[s + 1]++;
                w->obj_deg[s] += w->net_w[e];
            }
            w->pin_obj[p] = s >= 0 ? s : -1;
            w->pin_dx[p] = px - cx, w->pin_dy[p] = py - cy;
            p++;
        }
        e++;
    }
    w->net_off[e] = p;
    /* object -> pins CSR, pins in net order */
    for (int32_t o = 0; o < nobj; o++) w->obj_off[o + 1] += w->obj_off[o];
    int64_t *fill;
    if (!PL_ALLOC(fill, nobj + 1)) return pl_err(PL_ENOMEM, "gplace: out of memory");
    memcpy(fill, w->obj_off, (size_t)(nobj + 1) * sizeof *fill);
    for (int64_t q = 0; q < w->npins; q++)
        if (w->pin_obj[q] >= 0) w->obj_pins[fill[w->pin_obj[q]]++] = q;
    free(fill);
    return PL_OK;
}

/* One axis of net e: returns the weighted WA and adds the weighted HPWL; fills g (pins). */
static double net_axis(pl_gp_wl *w, int64_t e, const double *c, const double *off, double ig, double *g, double *hp)
{
    int64_t b = w->net_off[e], end = w->net_off[e + 1];
    double *v = w->pin_v, *ep = w->pin_ep, *en = w->pin_en, wt = w->net_w[e];
    double mx = -INFINITY, mn = INFINITY;
    for (int64_t p = b; p < end; p++) {
        int32_t o = w->pin_obj[p];
        v[p] = o >= 0 ? c[o] + off[p] : off[p];
        mx = v[p] > mx ? v[p] : mx, mn = v[p] < mn ? v[p] : mn; /* ?: not fmax: no libm call */
    }
    *hp += wt * (mx - mn);
    double sp = 0, spx = 0, sn = 0, snx = 0, spanr = (mx - mn) * ig, kk = exp(-spanr);
    for (int64_t p = b; p < end; p++) {
        ep[p] = exp((v[p] - mx) * ig);
        en[p] = spanr < 600 ? kk / ep[p] : exp((mn - v[p]) * ig);
        sp += ep[p], spx += v[p] * ep[p], sn += en[p], snx += v[p] * en[p];
    }
    double wp = spx / sp, wn = snx / sn, isp = 1 / sp, isn = 1 / sn;
    for (int64_t p = b; p < end; p++)
        g[p] = wt * (ep[p] * isp * (1 + (v[p] - wp) * ig) - en[p] * isn * (1 - (v[p] - wn) * ig));
    return wt * (wp - wn);
}

typedef struct wl_job {
    pl_gp_wl *w;
    const double *x, *y;
    double ig;
    double *gx, *gy;
} wl_job;

/* First net of worker t: nets split by pin counts. */
static int64_t net_split(const pl_gp_wl *w, int t, int nt)
{
    int64_t target = w->npins * t / nt, lo = 0, hi = w->nnets;
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        if (w->net_off[mid] < target) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void forward_task(void *ctx, int t, int nt)
{
    wl_job *jb = ctx;
    pl_gp_wl *w = jb->w;
    int64_t lo = net_split(w, t, nt), hi = net_split(w, t + 1, nt);
    for (int64_t e = lo; e < hi; e++) {
        double hp = 0;
        double wa = net_axis(w, e, jb->x, w->pin_dx, jb->ig, w->pin_gx, &hp);
        wa += net_axis(w, e, jb->y, w->pin_dy, jb->ig, w->pin_gy, &hp);
        w->net_wa[e] = wa, w->net_hp[e] = hp;
    }
}

double pl_gp_wl_forward(pl_gp_wl *w, const double *x, const double *y, double gamma, int threads, double *hpwl)
{
    wl_job jb = {w, x, y, 1 / gamma, NULL, NULL};
    int nt = w->npins < 8192 ? 1 : threads;
    pl_gp_parallel(nt, forward_task, &jb);
    double wa = 0, hp = 0;
    for (int64_t e = 0; e < w->nnets; e++) wa += w->net_wa[e], hp += w->net_hp[e];
    if (hpwl) *hpwl = hp;
    return wa;
}

static void backward_task(void *ctx, int t, int nt)
{
    wl_job *jb = ctx;
    const pl_gp_wl *w = jb->w;
    int64_t lo, hi;
    pl_gp_range(w->nobj, t, nt, &lo, &hi);
    for (int64_t o = lo; o < hi; o++) {
        double sx = 0, sy = 0;
        for (int64_t k = w->obj_off[o]; k < w->obj_off[o + 1]; k++) {
            int64_t p = w->obj_pins[k];
            sx += w->pin_gx[p], sy += w->pin_gy[p];
        }
        jb->gx[o] += sx, jb->gy[o] += sy;
    }
}

void pl_gp_wl_backward(const pl_gp_wl *w, double *gx, double *gy, int threads)
{
    wl_job jb = {(pl_gp_wl *)w, NULL, NULL, 0, gx, gy};
    int nt = w->nobj < 4096 ? 1 : threads;
    pl_gp_parallel(nt, backward_task, &jb);
}
