/* curriculum.h - curricula as data: loads and validates config/curricula/<slug>.json
 * (jansson) into plain read-only structs, naming the exact JSON path of any problem
 * ("data-engineer.json: weeks[3].days[2].lab: missing"). Loading runs on the loop
 * thread (file I/O only, no network); a loaded curriculum is immutable and may be read
 * from any thread. Does no scheduling or day arithmetic (that is the cohort code's). */
#ifndef COHORT_CURRICULUM_H
#define COHORT_CURRICULUM_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/buf.h"
#include "bot/err.h"

#define CUR_FILE_MAX (4u << 20) /* bytes; bigger files are refused */
#define CUR_MAX_WEEKS 52
#define CUR_MAX_DAYS 366

/* Every `const char *` below points into the curriculum (UTF-8, non-empty, no control
 * characters but '\n') and lives until curriculum_free(); optional ones are NULL when
 * absent. Every array pointer is non-NULL when its count is > 0. */

enum cur_read_kind { CUR_READ = 0, CUR_STUDY = 1 }; /* "📖 Read:" or "📖 Study:" */

/* Bits of `derived`: fields the source left absent and the data file derived from the
 * same day's or week's text (the bot may say so). */
enum cur_field {
    CUR_F_TOPIC = 1u << 0,
    CUR_F_READ = 1u << 1,
    CUR_F_LAB = 1u << 2,
    CUR_F_SUCCESS = 1u << 3,
    CUR_F_TIME = 1u << 4,
    CUR_F_OBJECTIVES = 1u << 5,
};

struct cur_capstone;

struct cur_day {
    int number;        /* 1..n_days, contiguous */
    int week;          /* 1..n_weeks */
    int part, parts;   /* 1/1 alone; "Day 1-2" gives day 1 = 1/2 and day 2 = 2/2 */
    const char *topic; /* shared by all parts of a block, as are the fields below */
    enum cur_read_kind read_kind;
    const char *read;
    const char *read_link; /* optional; a link relative to the source site, not a URL */
    const char *lab;
    const char *success;
    double time_hours;                       /* this day's share, 0-24 */
    double block_hours_min, block_hours_max; /* the whole block's estimate */
    const char *time_text;                   /* original, e.g. "6-8 hours" (whole block) */
    unsigned derived;                        /* enum cur_field bits */
    const struct cur_capstone *capstone;     /* non-NULL on capstone days only */
};

struct cur_week {
    int number; /* 1..n_weeks, in order */
    const char *title;
    const char *theme;    /* the two-week phase, e.g. "Data Engineering Fundamentals" */
    const char *icon;     /* optional, e.g. "🏗️" */
    const char *headline; /* optional, e.g. "Master the Data Foundation" */
    const char *summary;  /* optional */
    const char **objectives;
    size_t n_objectives;     /* >= 1 */
    const char *project_set; /* optional, e.g. "Foundation Projects" */
    const char **projects;
    size_t n_projects;
    unsigned derived;        /* enum cur_field bits (CUR_F_OBJECTIVES) */
    int first_day, last_day; /* this week's days: days[first_day-1 .. last_day-1] */
};

struct cur_group {
    int first_week, last_week;
    const char *name;     /* channel-style, e.g. "data-foundations" (no '#') */
    const char *focus;    /* e.g. "Data Fundamentals" */
    unsigned weekdays;    /* bit d set = meets on weekday d, 0 = Sunday (struct civil) */
    int hour, minute;     /* local meeting time in `zone` */
    const char *time;     /* "20:00" */
    const char *zone;     /* IANA name, valid for tz.h */
    const char *schedule; /* optional, original text, e.g. "Mon/Wed 8pm EST" */
};

struct cur_assessment {
    int week;
    const char *topic;
    int questions;         /* 1-1000 */
    int pass_percent;      /* 1-100 */
    const char *format;    /* optional */
    const char *practical; /* optional */
};

struct cur_evaluation {
    int week;
    const char *kind; /* "Mid-term", "Final" */
    const char *project;
};

struct cur_weighted {
    const char *name;
    int weight_percent; /* the weights of one list add up to 100 */
};

struct cur_scenario {
    const char *name;
    int first_week, last_week;
    const char **items;
    size_t n_items;
};

struct cur_pair {
    const char *key, *value; /* e.g. "Infrastructure" / "Multi-cloud data platform" */
};

struct cur_area {
    const char *name;
    const char **items;
    size_t n_items;
};

struct cur_rubric_row {
    const char *component;
    int weight_percent;
    const char *excellent, *good, *fair, *poor; /* 4, 3, 2, 1 points */
};

struct cur_capstone {
    int week;
    const char *title, *build, *overview;
    const char **platform_requirements;
    size_t n_platform_requirements;
    struct cur_pair *components; /* area: requirement */
    size_t n_components;
    struct cur_area *technical; /* "Data Ingestion": [...] */
    size_t n_technical;
    struct cur_pair *performance; /* metric: target */
    size_t n_performance;
    struct cur_rubric_row *rubric;
    size_t n_rubric;
    int points_max, points_pass, points_excellent;
};

struct cur_track {
    const char *slug;  /* unique, e.g. "streaming" */
    const char *label; /* e.g. "Real-time/streaming systems" */
};

struct cur_mentorship {
    int session_minutes; /* e.g. 45 */
    int every_days;      /* e.g. 14 */
    const char *text;    /* original, e.g. "45 minutes bi-weekly" */
    const char **agenda;
    size_t n_agenda;
    struct cur_track *tracks;
    size_t n_tracks;
};

struct cur_activity {
    const char *activity;
    double min_hours, max_hours; /* per week */
};

struct cur_time_target {
    double min_hours_per_week, max_hours_per_week;
    const char *text; /* "15-20 hours/week" */
    struct cur_activity *breakdown;
    size_t n_breakdown;
};

struct cur_icons { /* all optional */
    const char *read, *lab, *success, *time, *overview, *capstone;
};

struct curriculum {
    const char *file; /* the file name it came from (base name) */
    const char *slug; /* unique among loaded curricula, [a-z0-9-] */
    const char *name, *title, *description;
    const char *summary, *difficulty, *last_updated; /* optional */
    struct cur_icons icons;
    const char **prerequisites;
    size_t n_prerequisites;
    const char **recommended;
    size_t n_recommended;
    const char **outcomes;
    size_t n_outcomes;
    struct cur_time_target time_target;
    struct cur_week *weeks;
    size_t n_weeks;
    struct cur_day *days; /* all days, days[i].number == i + 1 */
    size_t n_days;
    struct cur_group *groups;
    size_t n_groups;
    struct cur_assessment *assessments; /* at most one per week */
    size_t n_assessments;
    struct cur_evaluation *evaluations;
    size_t n_evaluations;
    struct cur_weighted *criteria; /* project evaluation criteria */
    size_t n_criteria;
    struct cur_scenario *scenarios;
    size_t n_scenarios;
    const struct cur_capstone *capstone; /* optional */
    struct cur_mentorship mentorship;
    /* private to curriculum.c */
    struct json_t *root_;
    void *mem_;
    char file_[64];
};

/* Loads one file. On success *out is a new curriculum (free with curriculum_free).
 * On failure *out is NULL, err holds one line naming the file and the JSON path (or
 * line:column for syntax errors), and the result is BOT_EINVAL (bad content),
 * BOT_ENOTFOUND, BOT_EIO, BOT_ETOOBIG (over CUR_FILE_MAX) or BOT_ENOMEM. */
int curriculum_load_file(const char *path, struct curriculum **out, char err[BOT_ERR_LEN]);
/* Same from memory; `name` (borrowed, may be NULL) is used in messages and as `file`. */
int curriculum_load_buffer(const char *data, size_t len, const char *name, struct curriculum **out,
                           char err[BOT_ERR_LEN]);
void curriculum_free(struct curriculum *c); /* NULL is a no-op */

/* Accessors: borrowed pointers into c, NULL when out of range / absent. */
const struct cur_day *curriculum_day(const struct curriculum *c, int number);
const struct cur_week *curriculum_week(const struct curriculum *c, int number);
const struct cur_week *curriculum_week_of_day(const struct curriculum *c, int day);
const struct cur_assessment *curriculum_assessment_of_week(const struct curriculum *c, int week);
const struct cur_evaluation *curriculum_evaluation_of_week(const struct curriculum *c, int week);
const struct cur_track *curriculum_track(const struct curriculum *c, const char *slug);
/* Fills out[0..max) with the study groups meeting in `week`, in file order; returns
 * how many there are in total (may exceed max). */
size_t curriculum_groups_of_week(const struct curriculum *c, int week, const struct cur_group **out,
                                 size_t max);
/* Same for the industry scenarios that span `week`. */
size_t curriculum_scenarios_of_week(const struct curriculum *c, int week,
                                    const struct cur_scenario **out, size_t max);

/* Every *.json in one folder (names starting with '.' skipped), in name order. */
struct curricula {
    struct curriculum **items; /* owned */
    size_t n;
};

/* Loads every *.json in dir into a new set (*out, free with curricula_free). A broken
 * file, or one whose slug is already taken, is left out and described as one line in
 * errs; the others still load. Returns the number of files left out (0 = all fine),
 * or a negative BOT_E* code when dir itself cannot be read (also described in errs;
 * *out is NULL then). errs is required (not NULL). */
int curricula_load_dir(const char *dir, struct curricula **out, struct buf *errs);
void curricula_free(struct curricula *set); /* NULL is a no-op */
const struct curriculum *curricula_find(const struct curricula *set, const char *slug);

#endif
