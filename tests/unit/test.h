/*
 * A tiny unit-test framework.  CHECK(cond), CHECK_STR(got, want) (C strings,
 * NULL allowed on either side), CHECK_INT(got, want), CHECK_DBL(got, want)
 * (exact), and CHECK_HAS / CHECK_LACKS (a substring present / absent).
 * Each failure prints "file:line: expression: got X, want Y" on stderr;
 * main.c prints the totals.  Every macro evaluates its arguments once.
 */
#ifndef PAI_DIAG_TEST_H
#define PAI_DIAG_TEST_H

#include <stdbool.h>
#include <stddef.h>

extern int test_passed, test_failed;

bool test_check(bool ok, const char *file, int line, const char *expr);
bool test_check_str(const char *got, const char *want, const char *file,
    int line, const char *expr);
bool test_check_int(long long got, long long want, const char *file, int line,
    const char *expr);
bool test_check_dbl(double got, double want, const char *file, int line,
    const char *expr);
bool test_check_has(const char *hay, const char *needle, bool want,
    const char *file, int line, const char *expr);

#define CHECK(cond) test_check((cond) ? true : false, __FILE__, __LINE__, #cond)
#define CHECK_STR(got, want) \
	test_check_str((got), (want), __FILE__, __LINE__, #got)
#define CHECK_INT(got, want) \
	test_check_int((long long)(got), (long long)(want), __FILE__, __LINE__, \
	    #got)
#define CHECK_DBL(got, want) \
	test_check_dbl((got), (want), __FILE__, __LINE__, #got)
/* hay (NULL fails) contains needle. */
#define CHECK_HAS(hay, needle) \
	test_check_has((hay), (needle), true, __FILE__, __LINE__, #hay)
/* hay (NULL passes) does not contain needle. */
#define CHECK_LACKS(hay, needle) \
	test_check_has((hay), (needle), false, __FILE__, __LINE__, #hay)

/* The test groups, one per file. */
void test_params(void);
void test_redact(void);
void test_secrets(void);
void test_aliyun(void);
void test_formats(void);
void test_json(void);
void test_buf(void);
void test_report(void);
void test_outcome(void);
void test_cli(void);
void test_jscan(void);
void test_rate(void);
void test_history(void);
void test_wrap(void);

#endif
