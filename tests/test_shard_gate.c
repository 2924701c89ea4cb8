/* test_shard_gate.c - IDENTIFY pacing: buckets, guild routing, and the lock-file
 * claims that keep a bucket's IDENTIFYs SHARD_CLAIM_GAP_MS apart across processes
 * (a forked child claims against its parent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bot/discord/shard_gate.h"

static char g_dir[64];

static void pure_helpers(void **state)
{
    (void)state;
    assert_int_equal(shard_bucket(0, 1), 0);
    assert_int_equal(shard_bucket(5, 1), 0);
    assert_int_equal(shard_bucket(5, 16), 5);
    assert_int_equal(shard_bucket(17, 16), 1);
    assert_int_equal(shard_bucket(3, 0), 0);
    /* Discord's formula: (guild_id >> 22) % shard_count */
    assert_int_equal(shard_of_guild(UINT64_C(197038439483310086), 1), 0);
    assert_int_equal(shard_of_guild(UINT64_C(197038439483310086), 5),
                     (int)((UINT64_C(197038439483310086) >> 22) % 5));
    assert_int_equal(shard_of_guild((UINT64_C(1000000000001) << 22) | 12345, 2), 1);
}

static void claims_across_processes(void **state)
{
    (void)state;
    setenv("COHORTBOT_RUNTIME_DIR", g_dir, 1);
    assert_int_equal(shard_gate_claim(0, 1, 1), 0); /* unsharded: no pacing, no file */
    assert_int_equal(shard_gate_claim(0, 4, 2), 0); /* bucket 0: first claim goes */
    pid_t pid = fork();
    if (pid == 0) { /* another process, same bucket (2 % 2) and the other bucket */
        int64_t w = shard_gate_claim(2, 4, 2);
        int64_t other = shard_gate_claim(1, 4, 2);
        _exit(w > 0 && w <= SHARD_CLAIM_GAP_MS && other == 0 ? 0 : 1);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    /* an IDENTIFY re-stamps: the wait counts from it */
    shard_gate_identified(0, 4, 2);
    int64_t w = shard_gate_claim(2, 4, 2);
    assert_true(w > SHARD_CLAIM_GAP_MS - 1000 && w <= SHARD_CLAIM_GAP_MS);
    char path[128];
    snprintf(path, sizeof(path), "%s/identify-0.lock", g_dir);
    assert_int_equal(access(path, F_OK), 0);
    unlink(path);
    snprintf(path, sizeof(path), "%s/identify-1.lock", g_dir);
    unlink(path);
}

int main(void)
{
    snprintf(g_dir, sizeof(g_dir), "/tmp/cb-gate-XXXXXX");
    if (!mkdtemp(g_dir))
        return 1;
    const struct CMUnitTest tests[] = {cmocka_unit_test(pure_helpers),
                                       cmocka_unit_test(claims_across_processes)};
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(g_dir);
    return rc;
}
