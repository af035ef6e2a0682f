/* msg.c - stderr and stdout lines (see msg.h). */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int level = MSG_NORMAL;
static bool results = true;
static int tty = -1;       /* stderr is a terminal: unknown, no, yes */
static bool shown;         /* a progress line is on screen */
static double last_drawn;

static void clear_progress(void)
{
	if (shown) {
		fputs("\r\033[K", stderr);
		shown = false;
	}
}

void msg_set_level(int l)
{
	level = l;
}

void msg_set_results(bool on)
{
	results = on;
}

int msg_level(void)
{
	return level;
}

/* Writes s[0..n) with every control character escaped, so no name,
 * title, URL or server text in a message can move the cursor, clear the
 * screen, start a new line or reorder the text (issue 11): C0 controls
 * and DEL as \n, \r, \t or \xHH; C1 controls (U+0080..U+009F) and the
 * bidirectional formatting characters (U+061C, U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069) as \uHHHH; other bytes as they are. */
static void put_escaped(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned long cp = 0;
		size_t len = 0;

		if (c == '\n' || c == '\r' || c == '\t') {
			fputc('\\', f);
			fputc(c == '\n' ? 'n' : c == '\r' ? 'r' : 't', f);
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\x%02x", c);
			continue;
		}
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F) {
			cp = (unsigned char)s[i + 1];
			len = 2;
		} else if (c == 0xD8 && i + 1 < n && (unsigned char)s[i + 1] == 0x9C) {
			cp = 0x61C;
			len = 2;
		} else if (c == 0xE2 && i + 2 < n) {
			unsigned char b1 = (unsigned char)s[i + 1], b2 = (unsigned char)s[i + 2];

			if (b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE)))
				cp = 0x2000UL + (b2 - 0x80UL);
			else if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)
				cp = 0x2040UL + (b2 - 0x80UL);
			len = cp ? 3 : 0;
		}
		if (len) {
			fprintf(f, "\\u%04lX", cp);
			i += len - 1;
			continue;
		}
		fputc(c, f);
	}
}

/* The one formatting path of every message: pre, then the formatted text
 * with its controls escaped, then (when nl) a newline. */
__attribute__((format(printf, 4, 0)))
static void vput(FILE *f, const char *pre, bool nl, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static void vput(FILE *f, const char *pre, bool nl, const char *fmt, va_list ap)
{
	char small[512], *text = small;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n >= (int)sizeof small) {
		text = malloc((size_t)n + 1);
		if (text)
			vsnprintf(text, (size_t)n + 1, fmt, aq);
		else
			text = small, n = (int)sizeof small - 1; /* truncated */
	}
	va_end(aq);
	fputs(pre, f);
	if (n > 0)
		put_escaped(f, text, (size_t)n);
	if (nl)
		fputc('\n', f);
	if (text != small)
		free(text);
}

__attribute__((format(printf, 3, 0)))
static void vline(FILE *f, const char *pre, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vline(FILE *f, const char *pre, const char *fmt, va_list ap)
{
	vput(f, pre, true, fmt, ap);
}

void msg_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	clear_progress();
	va_start(ap, fmt);
	vline(stderr, "medium2jekyll: error: ", fmt, ap);
	va_end(ap);
}

void msg_warn(const char *fmt, ...)
{
	va_list ap;

	if (level < MSG_NORMAL)
		return;
	fflush(stdout);
	clear_progress();
	va_start(ap, fmt);
	vline(stderr, "medium2jekyll: warning: ", fmt, ap);
	va_end(ap);
}

void msg_note(const char *fmt, ...)
{
	va_list ap;

	if (level < MSG_VERBOSE)
		return;
	fflush(stdout);
	clear_progress();
	va_start(ap, fmt);
	vline(stderr, "medium2jekyll: ", fmt, ap);
	va_end(ap);
}

void msg_out(const char *fmt, ...)
{
	va_list ap;

	if (level < MSG_NORMAL || !results)
		return;
	clear_progress();
	va_start(ap, fmt);
	vline(stdout, "", fmt, ap);
	va_end(ap);
}

void msg_progress(const char *fmt, ...)
{
	struct timespec ts;
	double now;
	va_list ap;

	if (level < MSG_NORMAL)
		return;
	if (tty < 0)
		tty = isatty(STDERR_FILENO) ? 1 : 0;
	if (!tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	if (shown && now - last_drawn < 0.5)
		return;
	last_drawn = now;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vput(stderr, "", false, fmt, ap);
	va_end(ap);
	fflush(stderr);
	shown = true;
}

void msg_progress_done(void)
{
	if (shown) {
		fputc('\n', stderr);
		shown = false;
	}
}

void msg_progress_final(const char *fmt, ...)
{
	va_list ap;

	if (level < MSG_NORMAL)
		return;
	if (tty < 0)
		tty = isatty(STDERR_FILENO) ? 1 : 0;
	if (!tty && level < MSG_VERBOSE)
		return;
	fflush(stdout);
	msg_progress_done();
	va_start(ap, fmt);
	vline(stderr, "medium2jekyll: ", fmt, ap);
	va_end(ap);
}

void msg_print(const char *s, unsigned long len)
{
	fwrite(s, 1, len, stdout);
}
