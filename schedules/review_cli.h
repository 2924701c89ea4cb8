/* review_cli.h - `cohortbot reviews --round midterm|final|capstone [--db FILE]
 * [--guild ID]`: re-runs each cohort's stored review round of that kind from its
 * stored inputs and seed, prints it as CSV (author,reviewer,mentor,repeat) and says
 * on stderr whether it is identical to the stored result (exit 4 if not), like
 * `cohortbot pairs --round`. Main thread tool; opens the database shared. */
#ifndef COHORT_REVIEW_CLI_H
#define COHORT_REVIEW_CLI_H

int review_cli_main(int argc, char **argv);

#endif
