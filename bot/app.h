/* app.h - the application context handed to commands and schedules: config, store,
 * curricula, the chat seam, the guild cache and the clock. Owned by main; loop
 * thread only. No globals: everything reaches its collaborators through this. */
#ifndef COHORT_APP_H
#define COHORT_APP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "bot/chat.h"

struct config;
struct store;
struct guilds;
struct curricula;
struct sched;
struct gc;
struct asm_banks;
struct render_pool;

struct app {
    struct config *cfg;
    struct store *store;
    struct curricula *curricula;
    struct asm_banks *banks; /* assessment question banks (app_load_curricula), may be NULL */
    struct guilds *guilds;
    struct sched *sched;
    struct chat chat;
    struct gc *gc;              /* group commit of acknowledged writes (Discord mode), or NULL */
    struct render_pool *render; /* the render worker (render/pool.h) of the running mode, or NULL */
    int64_t clock_offset;       /* added to the wall clock (COHORTBOT_CLOCK_OFFSET, tests) */
    volatile sig_atomic_t *stop; /* set by SIGINT/SIGTERM */
    bool console;
    int exit_code; /* set by a fatal condition (e.g. 2 = bad token) */
};

/* UTC seconds: wall clock + clock_offset. */
int64_t app_now(const struct app *a);
/* Loads every curriculum in cfg->curricula_dir into a->curricula (broken files are
 * reported and skipped), then the assessment banks of cfg->assessments_dir into
 * a->banks (a broken bank is logged and its assessment unavailable). 0, or BOT_E*
 * when no curriculum could be loaded. */
int app_load_curricula(struct app *a);
void app_free_curricula(struct app *a); /* and the banks */
/* (Re)loads a->banks from cfg->assessments_dir; problems are logged. */
void app_load_banks(struct app *a);
/* Milliseconds on the monotonic clock. */
int64_t app_mono_ms(void);

#endif
