/* picture.h - pictures that follow a text reply (/progress, /cohort report,
 * /leaderboard). A handler builds its picture's input from its data (SQL runs here, on
 * the loop thread) and hands the copy to pic_want; once the text reply went out, the
 * dispatcher calls pic_start, which queues the drawing on the render worker
 * (render/pool.h). When the PNG is ready, the reply is edited to show it: the same
 * reply plus an embed with the picture (attachment://FILE) and the file (multipart).
 * In console mode the PNG is written beside the database and the edit is one line
 * naming the file. The text reply never waits for or depends on the picture: a full
 * queue, missing fonts, a cairo error, an edit Discord refuses or the interaction's 15
 * minutes running out is logged and the text stays alone. Loop thread only. */
#ifndef COHORT_PICTURE_H
#define COHORT_PICTURE_H

#include "bot/message.h"

struct app;
struct cmd_ctx;
struct interaction;
struct render_job;

/* A handler's request, kept by the dispatcher until the reply is out. */
struct pic_req {
    struct render_job *job; /* owned; NULL = no picture */
    char file[64];          /* attachment name, e.g. "progress.png" */
    char title[64];         /* the picture's embed title */
    char console_name[96];  /* file name beside the database in console mode */
};

/* Asks for a picture after c's reply (job is taken, also on failure; NULL job = none).
 * Without a dispatcher request slot (c->pic NULL) or a render worker the job is
 * dropped: the reply goes out as text. */
void pic_want(struct cmd_ctx *c, struct render_job *job, const char *file, const char *title,
              const char *console_name);
/* The reply to ix went out (queued): draws req's picture and edits reply to show it.
 * reply is copied; req is emptied. */
void pic_start(struct app *app, const struct interaction *ix, const struct message *reply,
               struct pic_req *req);
/* Drops a request that will not be used (the handler failed or deferred). */
void pic_drop(struct pic_req *req);

#endif
