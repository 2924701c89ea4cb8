/* project.c - kinds, scales, windows and checklist blocks (see project.h). */
#include "schedules/project.h"
#include "bot/err.h"
#include "config/curriculum.h"

#include <stdio.h>
#include <string.h>

static const char *const SLUG[PROJ_KINDS] = {"midterm", "final", "capstone"};
static const char *const TITLE[PROJ_KINDS] = {"Mid-term project", "Final project", "Capstone"};
static const char *const EVAL_KIND[2] = {"Mid-term", "Final"};
static const char *const LEVEL[5] = {"", "poor", "fair", "good", "excellent"};

const char *proj_kind_slug(int kind)
{
    return kind >= 0 && kind < PROJ_KINDS ? SLUG[kind] : "?";
}

const char *proj_kind_title(int kind)
{
    return kind >= 0 && kind < PROJ_KINDS ? TITLE[kind] : "?";
}

int proj_kind_of(const char *slug)
{
    for (int k = 0; slug && k < PROJ_KINDS; k++)
        if (strcmp(slug, SLUG[k]) == 0)
            return k;
    return -1;
}

static const struct cur_evaluation *eval_of(const struct curriculum *cur, int kind)
{
    for (size_t i = 0; kind < 2 && i < cur->n_evaluations; i++)
        if (strcmp(cur->evaluations[i].kind, EVAL_KIND[kind]) == 0)
            return &cur->evaluations[i];
    return NULL;
}

int proj_kind_week(const struct curriculum *cur, int kind)
{
    if (kind == REV_CAPSTONE)
        return cur->capstone && cur->capstone->n_rubric ? cur->capstone->week : 0;
    const struct cur_evaluation *e = eval_of(cur, kind);
    return e && cur->n_criteria ? e->week : 0;
}

const char *proj_kind_project(const struct curriculum *cur, int kind)
{
    if (kind == REV_CAPSTONE)
        return cur->capstone ? cur->capstone->build : NULL;
    const struct cur_evaluation *e = eval_of(cur, kind);
    return e ? e->project : NULL;
}

int proj_scale(const struct curriculum *cur, int kind, struct rev_scale *out)
{
    memset(out, 0, sizeof(*out));
    if (!proj_kind_week(cur, kind))
        return BOT_ENOTFOUND;
    out->kind = (enum rev_kind)kind;
    if (kind == REV_CAPSTONE) {
        const struct cur_capstone *cp = cur->capstone;
        out->n_criteria = cp->n_rubric < REV_MAX_CRITERIA ? cp->n_rubric : REV_MAX_CRITERIA;
        for (size_t i = 0; i < out->n_criteria; i++)
            out->weight[i] = cp->rubric[i].weight_percent;
        out->points_pass = cp->points_pass ? cp->points_pass : 12;
        out->points_excellent = cp->points_excellent ? cp->points_excellent : 18;
        return 0;
    }
    out->n_criteria = cur->n_criteria < REV_MAX_CRITERIA ? cur->n_criteria : REV_MAX_CRITERIA;
    for (size_t i = 0; i < out->n_criteria; i++)
        out->weight[i] = cur->criteria[i].weight_percent;
    return 0;
}

const char *proj_criterion(const struct curriculum *cur, int kind, size_t i)
{
    if (kind == REV_CAPSTONE)
        return cur->capstone && i < cur->capstone->n_rubric ? cur->capstone->rubric[i].component
                                                            : "?";
    return i < cur->n_criteria ? cur->criteria[i].name : "?";
}

void proj_level_name(const struct curriculum *cur, int kind, size_t i, int level, char *out,
                     size_t outlen)
{
    if (level < 1 || level > 4) {
        snprintf(out, outlen, "?");
        return;
    }
    if (kind == REV_CAPSTONE && cur->capstone && i < cur->capstone->n_rubric) {
        const struct cur_rubric_row *r = &cur->capstone->rubric[i];
        const char *t[5] = {"", r->poor, r->fair, r->good, r->excellent};
        snprintf(out, outlen, "%d - %s", level, t[level]);
        return;
    }
    snprintf(out, outlen, "%d - %s", level, LEVEL[level]);
}

int proj_window(const struct cohort *co, const struct curriculum *cur, int kind, int close_days,
                int64_t *opens, int64_t *closes)
{
    const struct cur_week *w = curriculum_week(cur, proj_kind_week(cur, kind));
    if (!w)
        return BOT_ENOTFOUND;
    int rc = cohort_day_end(co->start_date, co->timezone, w->first_day - 1, opens);
    if (!rc)
        rc = cohort_day_end(co->start_date, co->timezone, w->last_day + close_days, closes);
    return rc;
}

static bool same_projects(const struct cur_week *a, const struct cur_week *b)
{
    if (a->n_projects != b->n_projects)
        return false;
    for (size_t i = 0; i < a->n_projects; i++)
        if (strcmp(a->projects[i], b->projects[i]) != 0)
            return false;
    return true;
}

int proj_block_of_week(const struct curriculum *cur, int week, const struct cur_week **first)
{
    int block = 0;
    const struct cur_week *start = NULL;
    *first = NULL;
    for (size_t i = 0; i < cur->n_weeks && (int)i < week; i++) {
        const struct cur_week *w = &cur->weeks[i];
        if (w->n_projects == 0) {
            start = NULL;
            continue;
        }
        if (!start || !same_projects(start, w)) {
            block++;
            start = w;
        }
    }
    if (week < 1 || week > (int)cur->n_weeks || cur->weeks[week - 1].n_projects == 0)
        return 0;
    *first = start;
    return block;
}

int proj_block_count(const struct curriculum *cur)
{
    const struct cur_week *f;
    int n = 0;
    for (size_t w = 1; w <= cur->n_weeks; w++) {
        int b = proj_block_of_week(cur, (int)w, &f);
        n = b > n ? b : n;
    }
    return n;
}

const struct cur_week *proj_block(const struct curriculum *cur, int block, int *first_week,
                                  int *last_week)
{
    const struct cur_week *f, *found = NULL;
    *first_week = *last_week = 0;
    for (size_t w = 1; w <= cur->n_weeks; w++)
        if (proj_block_of_week(cur, (int)w, &f) == block && block > 0) {
            if (!found)
                *first_week = (int)w;
            found = f;
            *last_week = (int)w;
        }
    return found;
}
