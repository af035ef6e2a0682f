/* test_utf8.c - validation, decoding, encoding and repair. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "utf8.h"

#define V(s) utf8_valid(s, sizeof(s) - 1)

static void test_valid(void)
{
	OK(V(""), "empty is valid");
	OK(V("plain ascii"), "ASCII is valid");
	OK(V("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "2, 3 and 4-byte sequences");
	OK(V("\xf4\x8f\xbf\xbf"), "U+10FFFF is valid");
	OK(!V("\xf4\x90\x80\x80"), "above U+10FFFF is invalid");
	OK(!V("\xc0\xaf"), "overlong 2-byte '/' is invalid");
	OK(!V("\xe0\x80\xaf"), "overlong 3-byte is invalid");
	OK(!V("\xf0\x80\x80\xaf"), "overlong 4-byte is invalid");
	OK(!V("\xed\xa0\x80"), "surrogate U+D800 is invalid");
	OK(!V("\xed\xbf\xbf"), "surrogate U+DFFF is invalid");
	OK(V("\xee\x80\x80"), "U+E000 is valid");
	OK(!V("\x80"), "lone continuation byte is invalid");
	OK(!V("\xc3"), "truncated sequence is invalid");
	OK(!V("\xe2\x82"), "truncated 3-byte sequence is invalid");
	OK(!V("\xff"), "0xFF is invalid");
	OK(!V("\xf5\x80\x80\x80"), "0xF5 lead is invalid");
	OK(V("a\0b"), "NUL is valid UTF-8 (repair drops it)");
}

static void test_decode_encode(void)
{
	char out[4];
	size_t len;
	unsigned long cps[] = { 0, 0x41, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFD, 0xFFFF,
		0x10000, 0x10FFFF };
	size_t i;

	for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		size_t n = utf8_encode(cps[i], out);
		INT_EQ(utf8_decode(out, n, &len), (long)cps[i], "round trip U+%04lX", cps[i]);
		INT_EQ(len, n, "length of U+%04lX", cps[i]);
	}
	INT_EQ(utf8_encode(0xD800, out), 3, "a surrogate encodes as U+FFFD");
	OK(memcmp(out, "\xef\xbf\xbd", 3) == 0, "U+FFFD bytes");
	INT_EQ(utf8_encode(0x110000, out), 3, "beyond U+10FFFF encodes as U+FFFD");
	INT_EQ(utf8_decode("\xc3", 1, &len), -1, "truncated decode is -1");
	INT_EQ(len, 1, "invalid decode consumes 1 byte");
	INT_EQ(utf8_decode("\xe2\x28\xa1", 3, &len), -1, "bad continuation is -1");
	INT_EQ(utf8_decode("", 0, &len), -1, "empty decode is -1");
}

static void repair_case(const char *in, size_t n, const char *want, const char *name)
{
	char *r = utf8_strdup_repair(in, n);

	STR_EQ(r, want, "repair: %s", name);
	OK(r && utf8_valid(r, strlen(r)), "repair output valid: %s", name);
	free(r);
}

static void test_repair(void)
{
	struct buf b = BUF_INIT(0);
	static const char big[] = "\xff\xfe\xfd";
	char *r;
	size_t i;

	repair_case("hello", 5, "hello", "ASCII unchanged");
	repair_case("caf\xc3\xa9", 5, "caf\xc3\xa9", "valid UTF-8 unchanged");
	repair_case("a\xff" "b", 3, "a\xef\xbf\xbd" "b", "invalid byte");
	repair_case("a\0b", 3, "ab", "NUL dropped");
	repair_case("\xc3", 1, "\xef\xbf\xbd", "truncated at end");
	repair_case("\xed\xa0\x80x", 4, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx",
	            "surrogate: one U+FFFD per byte");
	repair_case("\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd", "overlong");
	repair_case("", 0, "", "empty");
	INT_EQ(utf8_repair(&b, big, 3), 0, "utf8_repair appends");
	INT_EQ(b.len, 9, "three replacement characters");
	buf_release(&b);
	/* A cap that is too small fails without partial garbage. */
	buf_init(&b, 4);
	INT_EQ(utf8_repair(&b, big, 3), -1, "utf8_repair reports a full buffer");
	OK(b.failed, "failed flag set");
	buf_release(&b);
	/* Every single byte value, repaired, is valid. */
	for (i = 0; i < 256; i++) {
		char c = (char)i;
		r = utf8_strdup_repair(&c, 1);
		bool ok = r && utf8_valid(r, strlen(r));
		free(r);
		if (!ok)
			break;
	}
	INT_EQ(i, 256, "every single byte repairs to valid UTF-8");
}

int main(void)
{
	test_valid();
	test_decode_encode();
	test_repair();
	return HARNESS_END();
}
