/* shard_gate.h - IDENTIFY pacing across shard processes. Discord lets a bot start
 * max_concurrency sessions per 5 s: shard id mod max_concurrency is its bucket, and
 * within a bucket one IDENTIFY per 5 s. Every process of a deployment claims its slot
 * in a lock file per bucket, <runtime dir>/identify-<bucket>.lock (flock'd only while
 * read and written, never held), holding the wall-clock ms of the bucket's last claim.
 * The runtime dir is $COHORTBOT_RUNTIME_DIR, else $RUNTIME_DIRECTORY (systemd's
 * RuntimeDirectory=), else /tmp/cohortbot-<uid>. Loop thread. A claim never waits (a
 * lock held by another process means "ask again in 50 ms"); the stamp at IDENTIFY
 * waits at most for another process's read and write of a few bytes. Also the pure
 * helpers of `cohortbot shards` (shards_cli.c). */
#ifndef COHORT_SHARD_GATE_H
#define COHORT_SHARD_GATE_H

#include <stddef.h>
#include <stdint.h>

#define SHARD_IDENTIFY_GAP_MS 5000
/* what the processes keep between claims: the gap plus room for network jitter, so
 * Discord sees no two IDENTIFYs of a bucket closer than 5 s */
#define SHARD_CLAIM_GAP_MS (SHARD_IDENTIFY_GAP_MS + 250)

/* Pure: the bucket of a shard (max_concurrency < 1 counts as 1). */
int shard_bucket(int shard_id, int max_concurrency);
/* Pure: the shard that owns a guild, (guild_id >> 22) % count. */
int shard_of_guild(uint64_t guild_id, int count);
/* The runtime dir into out (created 0700 when missing). 0 or BOT_E*. */
int shard_runtime_dir(char *out, size_t outlen);
/* Ms to wait before this shard may IDENTIFY; 0 = go (the slot is claimed at the
 * current time). Unsharded (count <= 1): always 0, no file. An unusable runtime dir
 * is logged once and pacing falls back to this process alone (returns 0). */
int64_t shard_gate_claim(int shard_id, int shard_count, int max_concurrency);
/* The IDENTIFY is being sent now: the bucket's next claim counts from here (the
 * connect before it may have taken a while). */
void shard_gate_identified(int shard_id, int shard_count, int max_concurrency);

#endif
