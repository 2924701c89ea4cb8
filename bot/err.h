/* err.h - project-wide error codes.
 * Functions return 0 or one of these negative codes; details go into a caller's
 * `char err[BOT_ERR_LEN]` buffer or are logged once where the error is handled. */
#ifndef COHORT_ERR_H
#define COHORT_ERR_H

#define BOT_ERR_LEN 256

enum bot_err {
    BOT_OK = 0,
    BOT_ENOMEM = -1,    /* allocation failed */
    BOT_EINVAL = -2,    /* bad input (outside data or argument) */
    BOT_ETOOBIG = -3,   /* a bounded buffer or limit was exceeded */
    BOT_EIO = -4,       /* file or network I/O failed */
    BOT_EPROTO = -5,    /* peer spoke the protocol wrongly */
    BOT_ENOTFOUND = -6, /* no such row / file / thing */
    BOT_EBUSY = -7,     /* locked by someone else */
    BOT_ECORRUPT = -8,  /* stored data is damaged or not ours */
    BOT_ESCHEMA = -9,   /* database schema newer than this binary */
    BOT_EFULL = -10,    /* a bounded queue is full */
    BOT_EAUTH = -11,    /* credentials refused */
    BOT_EDENIED = -12,  /* permission denied */
};

/* Static, never NULL. */
const char *bot_strerror(int code);

#endif
