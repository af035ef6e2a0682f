/* buf.h - growable byte buffer with a hard size cap.
 *
 * Invariants: data is never NULL and always NUL-terminated at data[len];
 * len + 1 <= cap unless data points at the static empty string (cap == 0).
 * Adds never exceed max (0 means BUF_MAX_DEFAULT); a failed add sets the
 * sticky `failed` flag and leaves the contents unchanged, so a run of adds
 * can be checked once.  The buffer may hold NUL bytes.
 */
#ifndef M2J_BUF_H
#define M2J_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "caps.h"

struct buf {
	char *data;
	size_t len, cap, max;
	bool failed;
	bool too_big; /* the failure was the cap, not memory */
};

extern char buf_empty[1];

#define BUF_INIT(m) { buf_empty, 0, 0, (m), false, false }

void buf_init(struct buf *b, size_t max);
/* Frees the memory and resets to the INIT state (same max). */
void buf_release(struct buf *b);
/* Hands the bytes to the caller (free with free()); resets b.  Never NULL
 * unless memory runs out. */
char *buf_detach(struct buf *b, size_t *len);
/* Ensures room for `extra` more bytes.  0 on success, -1 on failure. */
int buf_grow(struct buf *b, size_t extra);
int buf_add(struct buf *b, const void *data, size_t n);
int buf_addstr(struct buf *b, const char *s);
/* One byte: inline, as the Markdown writer adds most of its output a byte
 * at a time; buf_addch_grow when the buffer must grow (or is full). */
int buf_addch_grow(struct buf *b, int c);
/* The most b may hold: max, or BUF_MAX_DEFAULT when max is 0. */
static inline size_t buf_cap(const struct buf *b)
{
	return b->max ? b->max : BUF_MAX_DEFAULT;
}
static inline int buf_addch(struct buf *b, int c)
{
	if (b->len + 1 < b->cap && b->len < buf_cap(b)) {
		b->data[b->len++] = (char)c;
		b->data[b->len] = '\0';
		return b->failed ? -1 : 0;
	}
	return buf_addch_grow(b, c);
}
int buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void buf_truncate(struct buf *b, size_t len);
void buf_reset(struct buf *b); /* len = 0, keeps memory, clears failed */
/* Reads a whole file (fd or path) into b, capped at b->max. */
int buf_read_fd(struct buf *b, int fd);
int buf_read_file(struct buf *b, const char *path);

#endif
