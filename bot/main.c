/* main.c - entry point (grows with the foundation issue). */
#include <stdio.h>
int main(void)
{
    puts("cohortbot " COHORTBOT_VERSION);
    return 0;
}
