/* discord_metrics.c - /healthz and /metrics for Discord mode (discord_int.h): gateway
 * state and last ACK age, events by type, REST by route and status, 429s,
 * reconnects, resumes, interaction latency histogram. Loop thread only. */
#include "bot/app.h"
#include "bot/discord/chat_discord.h"
#include "bot/discord/discord_int.h"
#include "render/pool.h"
#include "bot/discord/events.h"

#include <inttypes.h>

static void ev_line(void *arg, const char *t, uint64_t n)
{
    buf_printf(arg, "cohortbot_gateway_events_total{type=\"%s\"} %" PRIu64 "\n", t, n);
}

static void route_line(void *arg, const char *route, int status, uint64_t n)
{
    buf_printf(arg, "cohortbot_rest_requests_total{route=\"%s\",status=\"%d\"} %" PRIu64 "\n",
               route, status, n);
}

int discord_healthz(void *arg, struct buf *out)
{
    struct discord *d = arg;
    int64_t now = app_mono_ms();
    enum gw_state st = gw_get_state(d->gw);
    int64_t ack = gw_last_ack_ms(d->gw);
    int64_t age = ack >= 0 ? now - ack : -1;
    int64_t iv = gw_heartbeat_interval(d->gw);
    /* healthy: READY and the last heartbeat was acknowledged (or none due yet) */
    bool ok =
        st == GW_READY && (age < 0 ? now - d->started_ms < 2 * iv + 5000 : age <= 2 * iv + 5000);
    buf_printf(out,
               "{\"status\":\"%s\",\"gateway\":\"%s\",\"last_ack_age_ms\":%lld,"
               "\"heartbeat_interval_ms\":%lld,\"seq\":%lld}\n",
               ok ? "ok" : "unhealthy", gw_state_name(st), (long long)age, (long long)iv,
               (long long)gw_seq(d->gw));
    return ok ? 200 : 503;
}

void discord_metrics(void *arg, struct buf *out)
{
    struct discord *d = arg;
    const struct gw_stats *g = gw_get_stats(d->gw);
    struct rest_stats rs;
    rest_get_stats(d->rest, &rs);
    buf_printf(out, "# TYPE cohortbot_gateway_ready gauge\ncohortbot_gateway_ready %d\n",
               gw_get_state(d->gw) == GW_READY);
    buf_puts(out, "# TYPE cohortbot_gateway_events_total counter\n");
    events_each_count(d->ev, ev_line, out);
    buf_printf(out,
               "# TYPE cohortbot_gateway_reconnects_total counter\n"
               "cohortbot_gateway_reconnects_total %" PRIu64 "\n"
               "# TYPE cohortbot_gateway_resumes_total counter\n"
               "cohortbot_gateway_resumes_total %" PRIu64 "\n"
               "# TYPE cohortbot_gateway_identifies_total counter\n"
               "cohortbot_gateway_identifies_total %" PRIu64 "\n"
               "# TYPE cohortbot_gateway_bad_frames_total counter\n"
               "cohortbot_gateway_bad_frames_total %" PRIu64 "\n"
               "# TYPE cohortbot_gateway_zombies_total counter\n"
               "cohortbot_gateway_zombies_total %" PRIu64 "\n",
               g->reconnects, g->resumes, g->identifies, g->bad_frames, g->zombies);
    buf_printf(out,
               "# TYPE cohortbot_gateway_wire_bytes_total counter\n"
               "cohortbot_gateway_wire_bytes_total %" PRIu64 "\n"
               "# TYPE cohortbot_gateway_payload_bytes_total counter\n"
               "cohortbot_gateway_payload_bytes_total %" PRIu64 "\n",
               g->wire_bytes, g->bytes);
    buf_puts(out, "# TYPE cohortbot_rest_requests_total counter\n");
    rest_each_route(d->rest, route_line, out);
    buf_printf(out,
               "# TYPE cohortbot_rest_429_total counter\ncohortbot_rest_429_total %" PRIu64
               "\n# TYPE cohortbot_rest_retries_total counter\n"
               "cohortbot_rest_retries_total %" PRIu64 "\n",
               rs.rate_limited, rs.retries);
    buf_printf(out,
               "# TYPE cohortbot_rest_invalid_requests_10m gauge\n"
               "cohortbot_rest_invalid_requests_10m %ld\n"
               "# TYPE cohortbot_rest_network_failures_total counter\n"
               "cohortbot_rest_network_failures_total %" PRIu64 "\n",
               rs.invalid_10min, rs.net_failures);
    const struct cd_stats *c = chat_discord_stats(d->cd);
    buf_puts(out, "# TYPE cohortbot_interaction_latency_seconds histogram\n");
    for (int i = 0; i < CD_LAT_BUCKETS; i++)
        buf_printf(out, "cohortbot_interaction_latency_seconds_bucket{le=\"%g\"} %" PRIu64 "\n",
                   cd_lat_bounds_s[i], c->lat_le[i]);
    buf_printf(out,
               "cohortbot_interaction_latency_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n"
               "cohortbot_interaction_latency_seconds_sum %.6f\n"
               "cohortbot_interaction_latency_seconds_count %" PRIu64 "\n",
               c->lat_count, c->lat_sum_s, c->lat_count);
    struct render_pool_stats rp;
    render_pool_get_stats(d->app->render, &rp);
    buf_printf(out,
               "# TYPE cohortbot_pictures_total counter\n"
               "cohortbot_pictures_total{result=\"drawn\"} %" PRIu64 "\n"
               "cohortbot_pictures_total{result=\"failed\"} %" PRIu64 "\n"
               "cohortbot_pictures_total{result=\"queue_full\"} %" PRIu64 "\n"
               "# TYPE cohortbot_picture_draw_seconds_total counter\n"
               "cohortbot_picture_draw_seconds_total %.6f\n"
               "# TYPE cohortbot_picture_queue gauge\ncohortbot_picture_queue %d\n",
               rp.drawn, rp.failed, rp.refused, (double)rp.draw_us / 1e6, rp.pending);
    buf_printf(out,
               "# TYPE cohortbot_interaction_edits_total counter\n"
               "cohortbot_interaction_edits_total{result=\"ok\"} %" PRIu64 "\n"
               "cohortbot_interaction_edits_total{result=\"failed\"} %" PRIu64 "\n",
               c->edits - c->edit_failures, c->edit_failures);
}
