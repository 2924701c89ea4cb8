/* err.c - names for the project error codes. */
#include "bot/err.h"

const char *bot_strerror(int code)
{
    switch (code) {
    case BOT_OK:
        return "ok";
    case BOT_ENOMEM:
        return "out of memory";
    case BOT_EINVAL:
        return "invalid input";
    case BOT_ETOOBIG:
        return "too big";
    case BOT_EIO:
        return "I/O error";
    case BOT_EPROTO:
        return "protocol error";
    case BOT_ENOTFOUND:
        return "not found";
    case BOT_EBUSY:
        return "busy or locked";
    case BOT_ECORRUPT:
        return "corrupt data";
    case BOT_ESCHEMA:
        return "schema too new";
    case BOT_EFULL:
        return "queue full";
    case BOT_EAUTH:
        return "authentication failed";
    case BOT_EDENIED:
        return "permission denied";
    default:
        return "unknown error";
    }
}
