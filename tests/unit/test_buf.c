/*
 * buf and strvec: the cap refuses whole appends, NUL bytes survive, detach
 * never returns NULL, vectors stay NULL-terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "strvec.h"
#include "test.h"

static void
test_buf_basic(void)
{
	struct buf b = BUF_INIT;
	char big[1000];
	char *s;
	size_t len = 99;

	CHECK_STR(buf_str(&b), "");
	CHECK_INT(b.len, 0);
	CHECK_INT(buf_adds(&b, "abc"), 0);
	CHECK_INT(b.len, 3);
	CHECK_STR(buf_str(&b), "abc");
	CHECK_INT(buf_add(&b, "x\0y", 3), 0);
	CHECK_INT(b.len, 6);
	CHECK(memcmp(b.data, "abcx\0y", 7) == 0);	/* NUL-terminated too */
	CHECK_INT(buf_addf(&b, "-%d-%s", 42, "z"), 0);
	CHECK_INT(b.len, 11);
	CHECK(memcmp(b.data, "abcx\0y-42-z", 12) == 0);
	CHECK_INT(buf_add(&b, "", 0), 0);
	CHECK_INT(b.len, 11);

	buf_reset(&b);
	CHECK_INT(b.len, 0);
	CHECK_STR(buf_str(&b), "");

	/* Growth past the first allocation. */
	memset(big, 'q', sizeof(big));
	for (int i = 0; i < 5; i++)
		CHECK_INT(buf_add(&b, big, sizeof(big)), 0);
	CHECK_INT(b.len, 5000);
	CHECK(b.data[0] == 'q' && b.data[4999] == 'q' && b.data[5000] == '\0');

	s = buf_detach(&b, &len);
	CHECK_INT(len, 5000);
	CHECK_INT(strlen(s), 5000);
	CHECK(b.data == NULL);
	CHECK_INT(b.len, 0);
	CHECK_STR(buf_str(&b), "");
	free(s);

	/* Detach of an empty buffer: "", never NULL. */
	len = 99;
	s = buf_detach(&b, &len);
	CHECK(s != NULL);
	CHECK_STR(s, "");
	CHECK_INT(len, 0);
	free(s);
	s = buf_detach(&b, NULL);
	CHECK_STR(s, "");
	free(s);

	/* Reusable after release. */
	buf_adds(&b, "again");
	buf_release(&b);
	CHECK(b.data == NULL);
	CHECK_INT(b.len, 0);
	CHECK_INT(buf_adds(&b, "x"), 0);
	CHECK_STR(buf_str(&b), "x");
	buf_release(&b);
}

static void
test_buf_cap(void)
{
	struct buf b = BUF_INIT;

	b.max = 5;
	CHECK_INT(buf_adds(&b, "abc"), 0);
	CHECK(!b.too_big);
	CHECK_INT(buf_adds(&b, "def"), -1);	/* 6 > 5: nothing appended */
	CHECK(b.too_big);
	CHECK_INT(b.len, 3);
	CHECK_STR(buf_str(&b), "abc");
	CHECK_INT(buf_adds(&b, "de"), 0);	/* exactly at the cap */
	CHECK_INT(b.len, 5);
	CHECK_STR(buf_str(&b), "abcde");
	CHECK_INT(buf_add(&b, "f", 1), -1);
	CHECK_INT(b.len, 5);
	CHECK_INT(buf_addf(&b, "%d", 1), -1);
	CHECK_STR(buf_str(&b), "abcde");
	CHECK_INT(buf_add(&b, "", 0), 0);

	buf_reset(&b);
	CHECK(!b.too_big);
	CHECK_INT(b.max, 5);			/* the cap survives a reset */
	CHECK_INT(buf_adds(&b, "123456"), -1);
	CHECK(b.too_big);
	CHECK_INT(b.len, 0);
	CHECK_STR(buf_str(&b), "");
	/* A size that would overflow is refused, not wrapped. */
	buf_reset(&b);
	CHECK_INT(buf_add(&b, "x", SIZE_MAX), -1);
	CHECK(b.too_big);
	CHECK_INT(buf_adds(&b, "ab"), 0);
	CHECK_INT(buf_add(&b, "x", SIZE_MAX - 1), -1);
	CHECK_STR(buf_str(&b), "ab");
	buf_release(&b);

	/* A cap of one byte. */
	b.max = 1;
	CHECK_INT(buf_add(&b, "\0", 1), 0);
	CHECK_INT(b.len, 1);
	CHECK_INT(buf_add(&b, "\0", 1), -1);
	buf_release(&b);
}

static void
test_strvec(void)
{
	struct strvec sv = STRVEC_INIT;
	char src[8] = "mutable";
	char *const *argv;

	argv = strvec_argv(&sv);
	CHECK(argv != NULL);
	CHECK(argv[0] == NULL);

	strvec_push(&sv, src);
	src[0] = 'M';				/* the vector holds a copy */
	strvec_pushf(&sv, "%s=%d", "KEY", 7);
	strvec_pushl(&sv, "c", "", "d", NULL);
	CHECK_INT(sv.n, 5);
	CHECK_STR(sv.v[0], "mutable");
	CHECK_STR(sv.v[1], "KEY=7");
	CHECK_STR(sv.v[2], "c");
	CHECK_STR(sv.v[3], "");
	CHECK_STR(sv.v[4], "d");
	CHECK(sv.v[5] == NULL);
	CHECK(strvec_argv(&sv) == sv.v);

	/* NULL-terminated after every push, across reallocations. */
	for (int i = 0; i < 40; i++) {
		strvec_pushf(&sv, "arg%d", i);
		if (sv.v[sv.n] != NULL)
			break;
	}
	CHECK_INT(sv.n, 45);
	CHECK(sv.v[45] == NULL);
	CHECK_STR(sv.v[44], "arg39");
	strvec_pushl(&sv, NULL);
	CHECK_INT(sv.n, 45);

	strvec_clear(&sv);
	CHECK_INT(sv.n, 0);
	CHECK(sv.v == NULL);
	CHECK(strvec_argv(&sv)[0] == NULL);
	strvec_push(&sv, "again");
	CHECK_INT(sv.n, 1);
	CHECK(sv.v[1] == NULL);
	strvec_clear(&sv);
}

/* buf_grow() reserves exactly, within the cap; buf_truncate() cuts. */
static void
test_buf_grow(void)
{
	struct buf b = BUF_INIT;
	const char *data;

	buf_grow(&b, 1000);
	CHECK_INT(b.alloc, 1001);
	CHECK_INT(b.len, 0);
	CHECK_STR(buf_str(&b), "");
	data = b.data;
	for (int i = 0; i < 100; i++)
		buf_adds(&b, "0123456789");
	CHECK(b.data == data);
	CHECK_INT(b.len, 1000);
	buf_grow(&b, 10);
	CHECK_INT(b.alloc, 1011);
	buf_grow(&b, 5);
	CHECK_INT(b.alloc, 1011);
	buf_truncate(&b, 3);
	CHECK_STR(buf_str(&b), "012");
	buf_truncate(&b, 10);
	CHECK_INT(b.len, 3);
	buf_release(&b);

	b.max = 8;
	buf_grow(&b, 100);
	CHECK_INT(b.alloc, 9);
	CHECK_INT(buf_adds(&b, "12345678"), 0);
	buf_grow(&b, 100);
	CHECK_INT(b.alloc, 9);
	buf_release(&b);
}

void
test_buf(void)
{
	test_buf_basic();
	test_buf_cap();
	test_buf_grow();
	test_strvec();
}
