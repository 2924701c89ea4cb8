/* fuzz_studygroup_events.c - libFuzzer target for the study groups' gateway events:
 * untrusted JSON {"t": ..., "d": ...} -> sg_on_gateway (RSVPs, voice states,
 * GUILD_CREATE voice_states) against a real store holding one cohort with its events,
 * then the attendance accounting over whatever was recorded. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/store_studygroup.h"
#include "config/config.h"
#include "schedules/attendance.h"
#include "schedules/cohort.h"
#include "schedules/sessions_sync.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GUILD "1000000000000000001"
#define VOICE "1100000000000000003"

static struct app app;
static struct config cfg;

static void init(void)
{
    char path[64], err[BOT_ERR_LEN];
    log_set_level(LOGL_OFF);
    config_defaults(&cfg);
    app.cfg = &cfg;
    if (app_load_curricula(&app))
        abort();
    snprintf(path, sizeof(path), "/tmp/fuzz_sg_%d.db", (int)getpid());
    unlink(path);
    if (store_open(path, &app.store, err, sizeof(err)))
        abort();
    app.guilds = guilds_new();
    guilds_add(app.guilds, GUILD, "g");
    guilds_channel_upsert(app.guilds, GUILD, VOICE, "\xf0\x9f\x94\x8a data-foundations", 2);
    struct cohort co = {.guild_id = GUILD,
                        .curriculum = "data-engineer",
                        .start_date = "2027-01-04",
                        .timezone = "America/New_York",
                        .post_time = "09:00"};
    store_cohort_put(app.store, &co, 0);
    struct sg_event e = {.key = "data-foundations/1",
                         .event_id = "1200000000000000001",
                         .start = 1799110800,
                         .end = 1799114400,
                         .state = SG_EV_SCHEDULED};
    store_sg_event_put(app.store, co.id, &e, VOICE, 0);
}

int fuzz_target(const uint8_t *data, size_t size)
{
    if (!app.store)
        init();
    json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    const char *t = json_string_value(json_object_get(j, "t"));
    if (t) {
        int64_t now = 1799110800 + (int64_t)(size % 4000);
        sg_on_gateway(&app, t, json_object_get(j, "d"), now);
        struct sg_interval *v;
        size_t n;
        if (store_sg_voice_in(app.store, VOICE, 1799110800, 1799114400, &v, &n) == 0) {
            struct sg_presence *p = n ? calloc(n, sizeof(*p)) : NULL;
            if (p)
                sg_attendance(v, n, 1799110800, 1799114400, now, p);
            free(p);
            free(v);
        }
    }
    json_decref(j);
    return 0;
}
