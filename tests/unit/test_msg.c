/* msg: every message has its control characters escaped (issue 11 point 6). */
#include "harness.h"
#include "msg.h"
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char path[] = "/tmp/m2j-test-msg-XXXXXX";
	int fd = mkstemp(path);
	struct buf b = BUF_INIT(0);
	char big[2000];

	OK(fd >= 0, "msg: temporary file");
	if (fd < 0)
		return HARNESS_END();
	fflush(stderr);
	OK(dup2(fd, STDERR_FILENO) >= 0, "msg: stderr redirected");
	msg_set_level(MSG_VERBOSE);
	msg_error("member %s: refused", "a\nb\x1b[2Jc\rd\te\x7f");
	msg_warn("title %s", "C1 \xC2\x9B" "31m and bidi \xE2\x80\xAE" "gpj.exe \xE2\x81\xA6" "x \xD8\x9C");
	msg_note("ok: caf\xC3\xA9 \xE6\xBC\xA2 \xF0\x9F\x8E\x89 \xE2\x80\x99");
	memset(big, 'x', sizeof big - 2);
	big[sizeof big - 2] = '\x1b';
	big[sizeof big - 1] = 0;
	msg_warn("%s", big);
	fflush(stderr);
	OK(buf_read_file(&b, path) == 0, "msg: read back");
	buf_addch(&b, 0);
	OK(strstr(b.data, "medium2jekyll: error: member a\\nb\\x1b[2Jc\\rd\\te\\x7f: refused\n") != NULL,
	   "msg: C0 controls and DEL escaped");
	OK(strstr(b.data, "title C1 \\u009B31m and bidi \\u202Egpj.exe \\u2066x \\u061C\n") != NULL,
	   "msg: C1 controls and bidi overrides escaped");
	OK(strstr(b.data, "ok: caf\xC3\xA9 \xE6\xBC\xA2 \xF0\x9F\x8E\x89 \xE2\x80\x99\n") != NULL,
	   "msg: other text unchanged");
	OK(strstr(b.data, "xxx\\x1b\n") != NULL, "msg: a long message is escaped too");
	OK(memchr(b.data, 0x1b, b.len) == NULL, "msg: no raw ESC in any message");
	buf_release(&b);
	unlink(path);
	return HARNESS_END();
}
