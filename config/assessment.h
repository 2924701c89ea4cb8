/* assessment.h - the skills assessments' question banks as data:
 * config/assessments/<curriculum>-week-NN.json, one per assessment of a curriculum.
 * Loads (jansson) and validates a bank against its curriculum, collecting EVERY
 * problem as one line "file:line: questions[i] id=ID: field: message". A loaded bank
 * is immutable; its strings point into it and live until asm_banks_free. Loading
 * runs on the loop thread at start (file I/O only); reading is any thread. */
#ifndef COHORT_ASSESSMENT_H
#define COHORT_ASSESSMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/buf.h"

struct curriculum;
struct curricula;

#define ASM_FILE_MAX (2u << 20) /* bytes */
#define ASM_MAX_QUESTIONS 200
#define ASM_MIN_CHOICES 3
#define ASM_MAX_CHOICES 5
#define ASM_PROMPT_MAX 1000 /* characters (code points) */
#define ASM_CHOICE_MAX 80   /* fits a button or select label */
#define ASM_EXPLAIN_MAX 1000
#define ASM_ID_MAX 32 /* [A-Za-z0-9_.-] */
#define ASM_MAX_QDAYS 8
#define ASM_PLAN_MAX (ASM_MAX_QUESTIONS * (ASM_ID_MAX + 1) + 1) /* ids, space-separated */

struct asm_question {
    const char *id;
    int days[ASM_MAX_QDAYS]; /* curriculum days it covers, ascending, inside the bank's range */
    int n_days;
    const char *prompt; /* Discord markdown; code in ``` blocks */
    const char *choices[ASM_MAX_CHOICES];
    int n_choices;
    int correct; /* index into choices */
    const char *explanation;
};

struct asm_bank {
    char file[128];          /* base name, e.g. data-engineer-week-04.json */
    char slug[64];           /* curriculum slug */
    int week;                /* the assessment's week */
    int first_day, last_day; /* the days it may cover (asm_day_range) */
    int pass_percent;        /* from the curriculum */
    const char *topic;       /* the curriculum's assessment topic */
    const char *practical;   /* the curriculum's practical component, or NULL */
    struct asm_question *q;  /* owned */
    size_t n;                /* == the curriculum's question count */
    unsigned long long hash; /* FNV-1a of the file bytes */
    struct json_t *root_;    /* private */
};

struct asm_banks {
    struct asm_bank **items; /* owned */
    size_t n;
};

/* Days an assessment of `week` may cover: from the day after the previous
 * assessment's week (or day 1) to the last day of `week`. 0 or BOT_ENOTFOUND. */
int asm_day_range(const struct curriculum *cur, int week, int *first_day, int *last_day);

/* Parses and validates one bank (name = its file name, which must be
 * <slug>-week-NN.json and agree with the file's "curriculum" and "week"). Every
 * problem is appended to errs as one line; returns how many there were (0 = *out is a
 * new bank) or a negative BOT_E* (ENOMEM). *out is NULL whenever problems > 0. */
int asm_bank_load_buffer(const char *data, size_t len, const char *name,
                         const struct curricula *set, struct asm_bank **out, struct buf *errs);
void asm_bank_free(struct asm_bank *b); /* NULL is a no-op */

/* Loads every *.json in dir (a missing dir is no error: no banks). A broken bank is
 * left out; an assessment of a loaded curriculum without a bank is a problem too
 * ("no bank for the week 4 assessment"). Returns the number of problems, or a
 * negative BOT_E* (dir unreadable, described in errs). *out is always a set (maybe
 * empty) unless the result is negative. */
int asm_banks_load_dir(const char *dir, const struct curricula *set, struct asm_banks **out,
                       struct buf *errs);
void asm_banks_free(struct asm_banks *set); /* NULL is a no-op */
/* Borrowed, or NULL. */
const struct asm_bank *asm_banks_find(const struct asm_banks *set, const char *slug, int week);
const struct asm_question *asm_bank_question(const struct asm_bank *b, const char *id);

#endif
