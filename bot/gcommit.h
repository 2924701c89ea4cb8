/* gcommit.h - group commit for acknowledged writes. It wraps a struct chat: between
 * gc_begin and gc_flush one store transaction stays open and interaction replies are
 * held; gc_flush commits (one fsync for the whole batch) and only then sends the held
 * replies, or sends apologies instead when the commit failed. So every acknowledged
 * write is durable before its acknowledgement leaves, at one fsync per batch rather
 * than per write. Posts, DMs and deferrals pass straight through. Loop thread only. */
#ifndef COHORT_GCOMMIT_H
#define COHORT_GCOMMIT_H

#include <stdbool.h>

#include "bot/chat.h"

struct store;
struct gc;

/* Borrows store and inner (both must outlive the gc). NULL on allocation failure. */
struct gc *gc_new(struct store *store, struct chat inner);
void gc_free(struct gc *g); /* flushes anything held first */
/* The wrapping chat to install as app->chat (its impl is g). */
struct chat gc_chat(struct gc *g);
/* Opens a batch (BEGIN IMMEDIATE). 0 or BOT_E*; on error replies pass straight through. */
int gc_begin(struct gc *g);
/* Commits the batch, then sends the held replies in order. Returns the commit's rc. */
int gc_flush(struct gc *g);
/* Replies held right now (tests, metrics). */
int gc_held(const struct gc *g);

#endif
