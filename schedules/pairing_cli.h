/* pairing_cli.h - `cohortbot pairs --dry-run [--db FILE] [--guild ID] [--config FILE]`:
 * prints the next mentorship round of each cohort as CSV
 * (mentor_id,mentee_id,cost,reason) without storing or sending anything;
 * `cohortbot pairs --round N` re-runs stored round N from its stored inputs and seed
 * and says whether the result is identical (exit 4 if not). Main thread tool; opens
 * the database shared (beside a running bot). */
#ifndef COHORT_PAIRING_CLI_H
#define COHORT_PAIRING_CLI_H

int pairing_cli_main(int argc, char **argv);

#endif
