/* progress_card.h - the /progress card: turns a learner's check-ins (states from
 * streak_compute_states), weekly hours, streaks and next milestone into the plain
 * render_progress input, and that into a render job (drawn on the render worker) or,
 * for `cohortbot render progress`, a PNG drawn from a database file on the calling
 * thread. Loop thread (or the CLI's main thread). The PNG belongs to the caller
 * (render_png_free), a job too (pic_want takes it). */
#ifndef COHORT_PROGRESS_CARD_H
#define COHORT_PROGRESS_CARD_H

#include "commands/ckcore.h"
#include "render/render.h"

struct render_job;

/* Draws w's learner's card. `name` is the display name (NULL: member name or id),
 * `extra` an optional line (assessments). 0 or BOT_E* with err. */
int progress_card_png(struct cmd_ctx *c, const struct ck_who *w, const struct ck_stats *st,
                      const char *name, const char *extra, struct render_png *png, char *err,
                      size_t errlen);

/* Fills the card input (no drawing). `milestone` is storage for the milestone line. */
int progress_card_input(struct cmd_ctx *c, const struct ck_who *w, const struct ck_stats *st,
                        struct render_progress *p, char *milestone, size_t mlen);

/* The same card as a render job for the render worker (render/pool.h), or NULL with
 * the reason in err. */
struct render_job *progress_card_job(struct cmd_ctx *c, const struct ck_who *w,
                                     const struct ck_stats *st, const char *name, const char *extra,
                                     char *err, size_t errlen);

/* cohortbot render progress --user ID --db FILE --out FILE.png [--guild ID]
 * [--config FILE] [--at UNIX_SECONDS]. Returns the exit code. */
int render_cli_main(int argc, char **argv);

#endif
