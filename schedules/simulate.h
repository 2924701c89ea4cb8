/* simulate.h - `cohortbot simulate`: prints, without sending, every post the schedules
 * would make in a window (local time, UTC time, channel, title). Main thread tool. */
#ifndef COHORT_SIMULATE_H
#define COHORT_SIMULATE_H

int simulate_main(int argc, char **argv);

#endif
