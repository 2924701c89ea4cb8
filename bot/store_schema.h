/* store_schema.h - the migrations, in order; migration i brings user_version from
 * i to i+1. Private to the store module (bot/store*.c). Never edit a shipped step:
 * add a new one. */
#ifndef COHORT_STORE_SCHEMA_H
#define COHORT_STORE_SCHEMA_H

static const char *const store_migrations[] = {
    /* 1: the whole first schema */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE cohorts("
    " id INTEGER PRIMARY KEY, guild_id TEXT NOT NULL UNIQUE, curriculum TEXT NOT NULL,"
    " start_date TEXT NOT NULL, timezone TEXT NOT NULL, post_time TEXT NOT NULL,"
    " fallback_channel TEXT, mentors_channel TEXT,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE week_channels("
    " cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,"
    " week INTEGER NOT NULL CHECK(week >= 0), channel_id TEXT NOT NULL,"
    " PRIMARY KEY(cohort_id, week));"
    "CREATE TABLE deliveries("
    " key TEXT PRIMARY KEY, kind TEXT NOT NULL, target TEXT, nonce TEXT NOT NULL,"
    " due_at INTEGER NOT NULL, state INTEGER NOT NULL DEFAULT 0 CHECK(state BETWEEN 0 AND 3),"
    " attempts INTEGER NOT NULL DEFAULT 0, message_id TEXT, detail TEXT,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE INDEX deliveries_state ON deliveries(state, due_at);"
    "CREATE TABLE members("
    " guild_id TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT, timezone TEXT,"
    " progress_public INTEGER NOT NULL DEFAULT 0, leaderboard INTEGER NOT NULL DEFAULT 1,"
    " nudges INTEGER NOT NULL DEFAULT 1, last_nudge_day INTEGER,"
    " PRIMARY KEY(guild_id, user_id));"
    "CREATE TABLE checkins("
    " id INTEGER PRIMARY KEY, cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,"
    " user_id TEXT NOT NULL, day INTEGER NOT NULL CHECK(day >= 1),"
    " hours REAL CHECK(hours IS NULL OR (hours >= 0 AND hours <= 24)), note TEXT, link TEXT,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    " UNIQUE(cohort_id, user_id, day));"
    "CREATE TABLE mentors("
    " cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE, user_id TEXT NOT NULL,"
    " tracks TEXT NOT NULL, capacity INTEGER NOT NULL CHECK(capacity BETWEEN 1 AND 5),"
    " timezone TEXT, paused_until TEXT, active INTEGER NOT NULL DEFAULT 1,"
    " joined_at INTEGER NOT NULL, PRIMARY KEY(cohort_id, user_id));"
    "CREATE TABLE mentees("
    " cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE, user_id TEXT NOT NULL,"
    " interest TEXT, timezone TEXT, active INTEGER NOT NULL DEFAULT 1,"
    " joined_at INTEGER NOT NULL, PRIMARY KEY(cohort_id, user_id));"
    "CREATE TABLE pair_rounds("
    " id INTEGER PRIMARY KEY, cohort_id INTEGER NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,"
    " round_no INTEGER NOT NULL CHECK(round_no >= 1), seed INTEGER NOT NULL,"
    " run_at INTEGER NOT NULL, manual INTEGER NOT NULL DEFAULT 0,"
    " inputs TEXT NOT NULL, result TEXT NOT NULL, UNIQUE(cohort_id, round_no));"
    "CREATE TABLE pairs("
    " round_id INTEGER NOT NULL REFERENCES pair_rounds(id) ON DELETE CASCADE,"
    " mentor_id TEXT, mentee_id TEXT NOT NULL, cost REAL NOT NULL, reason TEXT NOT NULL,"
    " slot_at INTEGER, repeat INTEGER NOT NULL DEFAULT 0,"
    " met INTEGER CHECK(met IS NULL OR met IN (0, 1)), met_at INTEGER,"
    " mentor_met INTEGER CHECK(mentor_met IS NULL OR mentor_met IN (0, 1)), mentor_met_at INTEGER,"
    " PRIMARY KEY(round_id, mentee_id));"
    "CREATE INDEX pairs_mentor ON pairs(mentor_id);"
    "CREATE TABLE calendar_feeds("
    " id INTEGER PRIMARY KEY, guild_id TEXT NOT NULL, source TEXT NOT NULL,"
    " channel_id TEXT NOT NULL, leads TEXT NOT NULL, etag TEXT, last_modified TEXT,"
    " content_hash TEXT, body BLOB, last_ok_at INTEGER, last_error TEXT,"
    " error_notified INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
    " UNIQUE(guild_id, source, channel_id));",
};

#define STORE_NMIGRATIONS ((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

#endif
