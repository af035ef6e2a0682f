#include "harness.h"
#include "buf.h"
#include "err.h"

#include <stdlib.h>

int main(void)
{
	struct buf b = BUF_INIT(0);
	struct buf small = BUF_INIT(8);
	struct m2j_err err;
	char *p;
	size_t n;
	int i;

	OK(b.data && b.data[0] == '\0' && b.len == 0, "buf: init is empty string");
	for (i = 0; i < 1000; i++)
		buf_addstr(&b, "abc");
	INT_EQ(b.len, 3000, "buf: 1000 appends");
	OK(!b.failed && b.data[3000] == '\0', "buf: NUL terminated");
	buf_addf(&b, "%d-%s", 42, "x");
	STR_EQ(b.data + 3000, "42-x", "buf: addf");
	p = buf_detach(&b, &n);
	INT_EQ(n, 3004, "buf: detach length");
	OK(b.len == 0 && b.data == buf_empty, "buf: detach resets");
	free(p);
	OK(buf_addstr(&small, "12345678") == 0, "buf: add up to the cap");
	OK(buf_addch(&small, '9') != 0 && small.failed && small.too_big,
	   "buf: add past the cap fails");
	STR_EQ(small.data, "12345678", "buf: failed add leaves contents");
	buf_release(&small);
	buf_release(&b);
	m2j_err_set(&err, M2J_EPARSE, "line %d", 3);
	m2j_err_prefix(&err, "feed %s", "x.xml");
	STR_EQ(err.msg, "feed x.xml: line 3", "err: prefix");
	INT_EQ(err.code, M2J_EPARSE, "err: code kept");
	return HARNESS_END();
}
