/* strmap.h - a string -> size_t hash map (open addressing).  The map owns
 * copies of its keys. */
#ifndef M2J_STRMAP_H
#define M2J_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
	char *key;
	size_t value;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap, len; /* cap is 0 or a power of two */
};

#define STRMAP_INIT { NULL, 0, 0 }

/* 64-bit FNV-1a, also used for short stable ids. */
uint64_t strmap_hash(const void *data, size_t len);
/* Continues a hash h over more bytes (strmap_hash(a) then _more(b) equals
 * the hash of a followed by b). */
uint64_t strmap_hash_more(uint64_t h, const void *data, size_t len);
/* Sets key -> value (replacing).  0, or -1 when memory runs out. */
int strmap_put(struct strmap *m, const char *key, size_t value);
/* True and *value set when key is present. */
bool strmap_get(const struct strmap *m, const char *key, size_t *value);
void strmap_release(struct strmap *m);

#endif
