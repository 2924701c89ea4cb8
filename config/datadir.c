/* datadir.c - locating the shipped data (datadir.h). */
#include "config/datadir.h"
#include "bot/err.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef COHORTBOT_DATADIR
#define COHORTBOT_DATADIR "/usr/local/share/cohortbot"
#endif
#ifndef COHORTBOT_BINDIR
#define COHORTBOT_BINDIR "/usr/local/bin"
#endif

static char g_dir[PATH_MAX];

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Is the running program the installed binary (<bindir>/cohortbot)? */
static bool running_installed(void)
{
    char self[PATH_MAX], inst[PATH_MAX];
    if (!realpath("/proc/self/exe", self))
        return false;
    if (!realpath(COHORTBOT_BINDIR "/cohortbot", inst))
        return false;
    return strcmp(self, inst) == 0;
}

const char *data_dir(void)
{
    if (g_dir[0])
        return g_dir;
    const char *env = getenv("COHORTBOT_DATA_DIR");
    if (env && *env)
        snprintf(g_dir, sizeof(g_dir), "%s", env);
    else if (!running_installed() && is_dir(COHORTBOT_SRCDIR "/config/curricula"))
        snprintf(g_dir, sizeof(g_dir), "%s", COHORTBOT_SRCDIR "/config");
    else
        snprintf(g_dir, sizeof(g_dir), "%s", COHORTBOT_DATADIR);
    return g_dir;
}

int data_path(const char *sub, char *out, size_t outlen)
{
    int n = snprintf(out, outlen, "%s/%s", data_dir(), sub);
    return n < 0 || (size_t)n >= outlen ? BOT_ETOOBIG : 0;
}
