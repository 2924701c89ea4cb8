/* tz_complete.c - autocomplete over IANA zone names (libical's zone list): the
 * choices whose name contains what the member typed, best (prefix) matches first. */
#include "commands/commands.h"

#include <libical/ical.h>
#include <string.h>
#include <strings.h>

int tz_complete(struct message *m, const char *typed)
{
    icalarray *zones = icaltimezone_get_builtin_timezones();
    size_t n = zones ? zones->num_elements : 0;
    typed = typed ? typed : "";
    m->kind = MSG_KIND_CHOICES;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n && m->nchoices < MSG_MAX_CHOICES; i++) {
            icaltimezone *z = icalarray_element_at(zones, i);
            const char *name = icaltimezone_get_location(z);
            if (!name)
                continue;
            bool prefix = strncasecmp(name, typed, strlen(typed)) == 0;
            bool inside = !prefix && strcasestr(name, typed) != NULL;
            if ((pass == 0 && prefix) || (pass == 1 && inside))
                msg_add_choice(m, name, name);
        }
    }
    return 0;
}
