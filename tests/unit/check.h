/* check.h: the whole unit-test framework (after Redis testhelp.h).
 * SPDX-License-Identifier: MIT
 *
 * CHECK(cond) counts a pass or prints the failing line; CHECK_NEAR compares
 * doubles within an absolute tolerance; CHECK_DONE() prints the closing
 * "N passed, N failed" line that the test runner sums, and returns the exit
 * status from main.
 */
#ifndef CW_TEST_CHECK_H
#define CW_TEST_CHECK_H

#include <math.h>
#include <stdio.h>

static int check_passed, check_failed;

#define CHECK(c) do { if (c) check_passed++; else { check_failed++;          \
    fprintf(stderr, "%s:%d: FAIL %s\n", __FILE__, __LINE__, #c); } } while (0)

#define CHECK_NEAR(a, b, tol) do { double a_ = (a), b_ = (b);                 \
    if (fabs(a_ - b_) <= (tol)) check_passed++; else { check_failed++;       \
    fprintf(stderr, "%s:%d: FAIL %s = %.17g, expected %.17g (tol %g)\n",     \
            __FILE__, __LINE__, #a, a_, b_, (double)(tol)); } } while (0)

#define CHECK_DONE() (printf("%d passed, %d failed\n", check_passed,         \
                             check_failed), check_failed != 0)

#endif
