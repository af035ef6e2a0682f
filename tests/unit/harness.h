/* harness.h - a tiny unit test harness.  Each check prints one line,
 * "PASS: name" or "FAIL: name: detail"; tests/run.sh counts them.  A test
 * program returns non-zero when any check failed. */
#ifndef M2J_HARNESS_H
#define M2J_HARNESS_H

#include <stdio.h>
#include <string.h>

static int harness_passed, harness_failed;

#define OK(cond, ...) do { \
	if (cond) { harness_passed++; printf("PASS: "); printf(__VA_ARGS__); printf("\n"); } \
	else { harness_failed++; printf("FAIL: "); printf(__VA_ARGS__); \
	       printf(" (%s:%d: %s)\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define INT_EQ(got, want, ...) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	if (g_ == w_) { harness_passed++; printf("PASS: "); printf(__VA_ARGS__); printf("\n"); } \
	else { harness_failed++; printf("FAIL: "); printf(__VA_ARGS__); \
	       printf(" (%s:%d: got %lld, want %lld)\n", __FILE__, __LINE__, g_, w_); } \
} while (0)

#define STR_EQ(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ && w_ && strcmp(g_, w_) == 0) { harness_passed++; printf("PASS: "); \
	       printf(__VA_ARGS__); printf("\n"); } \
	else { harness_failed++; printf("FAIL: "); printf(__VA_ARGS__); \
	       printf(" (%s:%d)\n  got:  [%s]\n  want: [%s]\n", __FILE__, __LINE__, \
	              g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
} while (0)

#define HARNESS_END() (harness_failed ? 1 : 0)

#endif
