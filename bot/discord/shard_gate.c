/* shard_gate.c - IDENTIFY pacing across processes (shard_gate.h). */
#include "bot/discord/shard_gate.h"
#include "bot/err.h"
#include "bot/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MOD "shards"

int shard_bucket(int shard_id, int max_concurrency)
{
    return max_concurrency > 1 ? shard_id % max_concurrency : 0;
}

int shard_of_guild(uint64_t guild_id, int count)
{
    return count > 1 ? (int)((guild_id >> 22) % (uint64_t)count) : 0;
}

int shard_runtime_dir(char *out, size_t outlen)
{
    const char *d = getenv("COHORTBOT_RUNTIME_DIR");
    if (!d || !*d)
        d = getenv("RUNTIME_DIRECTORY"); /* systemd; may list several, the first is ours */
    int n;
    if (d && *d)
        n = snprintf(out, outlen, "%.*s", (int)strcspn(d, ":"), d);
    else
        n = snprintf(out, outlen, "/tmp/cohortbot-%u", (unsigned)getuid());
    if (n < 0 || (size_t)n >= outlen)
        return BOT_ETOOBIG;
    if (mkdir(out, 0700) != 0 && errno != EEXIST)
        return BOT_EIO;
    return 0;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads the last claim, writes ours when the gap has passed (always when force);
 * ms to wait or 0. */
static int64_t claim_locked(int fd, int64_t now, bool force)
{
    char text[32] = "";
    ssize_t got = pread(fd, text, sizeof(text) - 1, 0);
    text[got > 0 ? got : 0] = '\0';
    char *end = NULL;
    long long last = strtoll(text, &end, 10);
    if (end == text || last > now + 60000) /* empty, or from a clock far ahead: ignore */
        last = 0;
    if (!force && last && now - last < SHARD_CLAIM_GAP_MS)
        return SHARD_CLAIM_GAP_MS - (now - last);
    int n = snprintf(text, sizeof(text), "%lld\n", (long long)now);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)n, 0) != n)
        log_warn(MOD, "cannot record the identify claim: %s", strerror(errno));
    return 0;
}

/* The bucket's lock file, opened; -1 when pacing cannot be shared (logged once). */
static int open_bucket(int shard_id, int max_concurrency)
{
    static bool warned;
    char dir[512], path[600];
    if (shard_runtime_dir(dir, sizeof(dir))) {
        if (!warned)
            log_warn(MOD, "no usable runtime dir: identify pacing is per process only");
        warned = true;
        return -1;
    }
    snprintf(path, sizeof(path), "%s/identify-%d.lock", dir,
             shard_bucket(shard_id, max_concurrency));
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 && !warned)
        log_warn(MOD, "cannot open %s: %s; identify pacing is per process only", path,
                 strerror(errno));
    warned = warned || fd < 0;
    return fd;
}

void shard_gate_identified(int shard_id, int shard_count, int max_concurrency)
{
    int fd = shard_count > 1 ? open_bucket(shard_id, max_concurrency) : -1;
    if (fd < 0)
        return;
    if (flock(fd, LOCK_EX) == 0) { /* held by others only for a read and a write */
        claim_locked(fd, wall_ms(), true);
        flock(fd, LOCK_UN);
    }
    close(fd);
}

int64_t shard_gate_claim(int shard_id, int shard_count, int max_concurrency)
{
    int fd = shard_count > 1 ? open_bucket(shard_id, max_concurrency) : -1;
    if (fd < 0)
        return 0;
    int bucket = shard_bucket(shard_id, max_concurrency);
    int64_t wait = 50; /* another process holds it for a moment */
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        wait = claim_locked(fd, wall_ms(), false);
        flock(fd, LOCK_UN);
    }
    close(fd);
    if (wait)
        log_info(MOD, "identify of shard %d waits %lld ms (bucket %d, one per %d ms)", shard_id,
                 (long long)wait, bucket, SHARD_CLAIM_GAP_MS);
    else
        log_info(MOD, "identify slot claimed shard=%d bucket=%d", shard_id, bucket);
    return wait;
}
