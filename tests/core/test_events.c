/* test_events.c: the event bus: sinks run in subscription order, the first failure is returned
 * with its message while later sinks still run, a full bus and a NULL callback are refused. */
#include "core/events.h"
#include "tests/testutil.h"

typedef struct rec {
    char log[64];
    int fail;
} rec;

static rec recs[3];

static pl_status sink(void *user, const pl_event *ev)
{
    rec *r = user;
    size_t n = strlen(recs[0].log);
    snprintf(recs[0].log + n, sizeof recs[0].log - n, "%d%c", (int)(r - recs), ev->kind == PL_EVENT_ITERATION ? 'i' : 'd');
    if (r->fail) return pl_err(PL_EIO, "sink %d failed", (int)(r - recs));
    return PL_OK;
}

Test(events, order_failure_and_limits)
{
    memset(recs, 0, sizeof recs);
    pl_event_bus bus;
    pl_event_bus_init(&bus);
    for (int i = 0; i < 3; i++) {
        pl_event_sink s = {sink, &recs[i]};
        cr_assert_eq(pl_event_bus_subscribe(&bus, s), PL_OK);
    }
    pl_event ev = pl_event_make(PL_EVENT_ITERATION);
    cr_assert_eq(ev.iteration, -1);
    cr_assert_null(ev.nl);
    cr_assert_eq(pl_event_bus_publish(&bus, &ev), PL_OK);
    cr_assert_str_eq(recs[0].log, "0i1i2i");
    recs[0].log[0] = 0;
    recs[1].fail = recs[2].fail = 1;
    ev.kind = PL_EVENT_PLACEMENT_DONE;
    cr_assert_eq(pl_event_bus_publish(&bus, &ev), PL_EIO);
    cr_assert_str_eq(pl_errmsg(), "sink 1 failed", "the first failure's message");
    cr_assert_str_eq(recs[0].log, "0d1d2d", "later sinks still run");
    pl_event_sink null_fn = {NULL, NULL};
    cr_assert_eq(pl_event_bus_subscribe(&bus, null_fn), PL_EINVAL);
    for (int i = 3; i < PL_EVENT_MAX_SINKS; i++) {
        pl_event_sink s = {sink, &recs[0]};
        cr_assert_eq(pl_event_bus_subscribe(&bus, s), PL_OK);
    }
    pl_event_sink s = {sink, &recs[0]};
    cr_assert_eq(pl_event_bus_subscribe(&bus, s), PL_EINVAL, "bus full");
    cr_assert_str_eq(pl_event_kind_name(PL_EVENT_PLACEMENT_DONE), "placement_done");
    cr_assert_str_eq(pl_event_kind_name(PL_EVENT_STAGE_BEGIN), "stage_begin");
}
