/* buf.c - growable byte buffer (see buf.h for the invariants). */
#include "buf.h"
#include "caps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
	b->data = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->failed = false;
	b->too_big = false;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->data);
	buf_init(b, b->max);
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (len)
		*len = b->len;
	if (b->cap) {
		p = b->data;
	} else {
		p = malloc(1);
		if (p)
			p[0] = '\0';
	}
	buf_init(b, b->max);
	return p;
}

int buf_grow(struct buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1 || b->len + extra > buf_cap(b)) {
		b->failed = true;
		b->too_big = true;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap < 64 ? 64 : b->cap;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 3 * 2) {
			ncap = need;
			break;
		}
		ncap = ncap / 2 * 3;
	}
	p = b->cap ? realloc(b->data, ncap) : malloc(ncap);
	if (!p) {
		b->failed = true;
		return -1;
	}
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = ncap;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t n)
{
	if (n == 0)
		return b->failed ? -1 : 0;
	/* room already (and under the cap): the common case, no buf_grow */
	if (!(n < b->cap - b->len && b->len + n <= buf_cap(b)) && buf_grow(b, n))
		return -1;
	memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return b->failed ? -1 : 0;
}

int buf_addstr(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addch_grow(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_add(b, &ch, 1);
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->failed = true;
		return -1;
	}
	if (buf_grow(b, (size_t)n))
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return b->failed ? -1 : 0;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		if (b->cap)
			b->data[len] = '\0';
	}
}

void buf_reset(struct buf *b)
{
	buf_truncate(b, 0);
	b->failed = false;
	b->too_big = false;
}

int buf_read_fd(struct buf *b, int fd)
{
	size_t start = b->len;

	for (;;) {
		ssize_t n;

		if (buf_grow(b, 8192)) {
			/* the cap may still allow a smaller read */
			if (b->len >= buf_cap(b) || !b->too_big) {
				buf_truncate(b, start);
				return -1;
			}
			b->failed = false;
			b->too_big = false;
			if (buf_grow(b, buf_cap(b) - b->len)) {
				buf_truncate(b, start);
				return -1;
			}
		}
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			buf_truncate(b, start);
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		b->data[b->len] = '\0';
		if (b->len > buf_cap(b)) {
			b->failed = true;
			b->too_big = true;
			buf_truncate(b, start);
			return -1;
		}
	}
	return 0;
}

int buf_read_file(struct buf *b, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r, saved;

	if (fd < 0)
		return -1;
	r = buf_read_fd(b, fd);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}
