/* json.c - JSON string escaping (see json.h). */
#include "json.h"

int json_str(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s)
		return buf_addstr(b, "null");
	buf_addch(b, '"');
	for (; *p; p++) {
		switch (*p) {
		case '"': buf_addstr(b, "\\\""); break;
		case '\\': buf_addstr(b, "\\\\"); break;
		case '\n': buf_addstr(b, "\\n"); break;
		case '\r': buf_addstr(b, "\\r"); break;
		case '\t': buf_addstr(b, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				buf_addf(b, "\\u%04x", *p);
			else
				buf_addch(b, (char)*p);
		}
	}
	return buf_addch(b, '"');
}
