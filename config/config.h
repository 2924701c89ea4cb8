/* config.h - configuration: built-in defaults < JSON file < environment
 * (DISCORD_TOKEN, COHORTBOT_API_BASE, COHORTBOT_DB) < command-line flags (applied by
 * main). Validation collects every problem as "file:line: key: message". The token
 * is a secret: it is never printed; config_describe() shows it as "(set)". Loop
 * thread (read-only after start). */
#ifndef COHORT_CONFIG_H
#define COHORT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/buf.h"
#include "bot/log.h"

#define CFG_MAX_LEADS 8
#define CFG_MAX_FEEDS 16
#define CFG_MAX_ALLOW 32 /* feeds_allow_private entries */

struct cfg_feed {
    char *source;  /* https URL or file path */
    char *channel; /* channel id */
};

struct config {
    char *token;    /* secret; NULL when unset */
    char *api_base; /* default https://discord.com/api/v10 */
    char *db_path;  /* default cohortbot.db */
    enum log_level log_level;
    char *guild_id; /* register commands in this guild (instant); NULL = global */
    uint64_t intents;
    int shard_id, shard_count; /* count 0 = no shard field */
    int http_port;             /* health endpoint on 127.0.0.1; 0 = off */
    size_t max_frame_bytes;    /* gateway reassembly cap */
    bool gateway_compress;     /* gateway_compression: zlib-stream (default) or none */
    int rest_queue_max;        /* bounded REST queue */
    char *curricula_dir;       /* default <srcdir>/config/curricula */
    char *default_timezone;    /* default America/New_York */
    char *default_post_time;   /* default 09:00 */
    int catchup_hours;         /* default 12 */
    char *fallback_channel;    /* id, or NULL */
    int leads[CFG_MAX_LEADS];  /* calendar reminder lead minutes */
    int nleads;
    int feed_refresh_minutes; /* default 15 */
    size_t feed_max_bytes;    /* default 5 MiB */
    int feed_timeout_s;       /* default 20 */
    struct cfg_feed feeds[CFG_MAX_FEEDS];
    int nfeeds;
    int pair_weekday; /* 1 = Monday … 7 = Sunday */
    char *pair_time;  /* HH:MM local */
    int grace_days_per_week;
    int nudge_after_days; /* default 3 */
    /* One host, many guilds (README "Security model"): */
    char *allow_private[CFG_MAX_ALLOW]; /* exact "host:port" feed endpoints that may be private */
    size_t nallow;
    int feed_connect_timeout_s; /* connect + TLS + first bytes, default 5 */
    int guild_max_feeds;        /* calendars per guild, default 10 */
    size_t guild_feed_bytes;    /* stored calendar bytes per guild, default 20 MiB */
    int guild_post_slots;       /* reminder posts in flight per guild, default 8 */
    int ledger_retention_days;  /* delivery ledger rows older than this are pruned, default 120 */
    char *config_path;    /* the file loaded, or NULL */
    char *assessments_dir;           /* question banks; default <srcdir>/config/assessments */
    int assessment_time_limit_min;   /* default 60 */
    int assessment_max_attempts;     /* default 3 */
    int assessment_retake_hours;     /* default 24 */
    int project_close_days;          /* submissions close this many days after the
                                        evaluation week's end; default 0 */
    int review_days;                 /* days reviewers have after the close; default 7 */
    /* PEM CA bundle for REST and gateway TLS instead of the system store; NULL = system
     * store (ca_file, COHORTBOT_CA_FILE) */
    char *ca_file;
    int sg_window_days;    /* study-group events are created this far ahead; default 14 */
    int sg_reminder_min;   /* reminder to interested members before a session; 15, 0 = off */
    int sg_present_min;    /* minutes in voice during a session to count as present; 10 */
    char *sg_voice_prefix; /* voice channel name = prefix + group name; default "🔊 " */
    char *backup_dir; /* daily online backups go here; NULL = off */
    int backup_keep;  /* newest backups kept in backup_dir; default 7 */
};

/* Fills built-in defaults (all strings owned). 0 or BOT_ENOMEM. */
int config_defaults(struct config *c);
void config_free(struct config *c);

/* Loads a JSON file over the current values. Every problem is appended to errs as a
 * line "file:line: key: message"; returns the number of problems (0 = fine) or a
 * negative BOT_E* code when the file cannot be read at all (also described in errs).
 * Warns (log) when the file holds a token and is readable by others. */
int config_load_file(struct config *c, const char *path, struct buf *errs);
/* Same, from memory (name used in messages). */
int config_load_buffer(struct config *c, const char *data, size_t len, const char *name,
                       struct buf *errs);
/* Applies DISCORD_TOKEN, COHORTBOT_API_BASE, COHORTBOT_DB from the environment. */
int config_apply_env(struct config *c);
/* Checks cross-field rules (zone exists, api_base scheme, …); appends problems to errs
 * and returns their count. */
int config_validate(const struct config *c, struct buf *errs);
/* Replaces *slot with a copy of value (NULL allowed). 0 or BOT_ENOMEM. */
int config_set_str(char **slot, const char *value);

#endif
