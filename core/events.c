/* events.c: the event bus (see events.h). */
#include "core/events.h"

#include <string.h>

pl_event pl_event_make(pl_event_kind kind)
{
    pl_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.iteration = -1;
    return ev;
}

const char *pl_event_kind_name(pl_event_kind kind)
{
    switch (kind) {
    case PL_EVENT_STAGE_BEGIN: return "stage_begin";
    case PL_EVENT_STAGE_END: return "stage_end";
    case PL_EVENT_ITERATION: return "iteration";
    case PL_EVENT_PLACEMENT_DONE: return "placement_done";
    default: return "unknown";
    }
}

void pl_event_bus_init(pl_event_bus *bus)
{
    memset(bus, 0, sizeof *bus);
}

pl_status pl_event_bus_subscribe(pl_event_bus *bus, pl_event_sink sink)
{
    if (!sink.fn) return pl_err(PL_EINVAL, "events: a sink needs a callback");
    if (bus->nsinks == PL_EVENT_MAX_SINKS)
        return pl_err(PL_EINVAL, "events: at most %d sinks per bus", PL_EVENT_MAX_SINKS);
    bus->sinks[bus->nsinks++] = sink;
    return PL_OK;
}

pl_status pl_event_bus_publish(const pl_event_bus *bus, const pl_event *ev)
{
    pl_status first = PL_OK;
    char msg[512] = "";
    for (int i = 0; i < bus->nsinks; i++) {
        pl_status s = bus->sinks[i].fn(bus->sinks[i].user, ev);
        if (s != PL_OK && first == PL_OK) {
            first = s;
            snprintf(msg, sizeof msg, "%s", pl_errmsg());
        }
    }
    if (first != PL_OK) pl_err(first, "%s", msg);
    return first;
}
